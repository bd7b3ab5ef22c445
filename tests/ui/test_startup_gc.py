"""The start's imports run with the cycle collector off, and it is on again after them, even
when an import fails; a collector someone had already turned off stays off."""

from __future__ import annotations

import gc

import pytest

from kpidesk.ui.app import _no_cycle_collection


@pytest.fixture(autouse=True)
def _collector_as_it_was():
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_off_during_the_imports_and_on_after():
    gc.enable()
    with _no_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_failing_import_still_turns_it_back_on():
    gc.enable()
    with pytest.raises(ImportError), _no_cycle_collection():
        raise ImportError("no module named kpidesk.missing")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    with _no_cycle_collection():
        pass
    assert not gc.isenabled()
