"""The cycle collector's pause: off inside, back on after, even when the work fails; a
collector someone had already turned off stays off; pauses that overlap (nested, or on two
threads) keep it off until the last one ends. Keeping what exists out of its passes happens
once: what came after stays collectable."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading

import pytest

from kpidesk.domain.cycles import cycle_collection_paused


@pytest.fixture(autouse=True)
def _collector_as_it_was():
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_off_during_the_work_and_on_after():
    gc.enable()
    with cycle_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_failing_work_still_turns_it_back_on():
    gc.enable()
    with pytest.raises(ImportError), cycle_collection_paused():
        raise ImportError("no module named kpidesk.missing")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    with cycle_collection_paused():
        pass
    assert not gc.isenabled()


def test_a_nested_pause_does_not_end_the_outer_one():
    gc.enable()
    with cycle_collection_paused():
        with cycle_collection_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_overlapping_pauses_on_two_threads_end_with_the_last():
    """The start's imports and a sync each pause on their own worker thread: the first to end
    must not turn the collector on under the other."""
    gc.enable()
    inside, release = threading.Event(), threading.Event()
    seen: list[bool] = []

    def other_thread() -> None:
        with cycle_collection_paused():
            inside.set()
            release.wait(10)
            seen.append(gc.isenabled())

    thread = threading.Thread(target=other_thread)
    with cycle_collection_paused():
        thread.start()
        assert inside.wait(10)
    assert not gc.isenabled()  # this thread's pause ended; the other's goes on
    release.set()
    thread.join(10)
    assert seen == [False]
    assert gc.isenabled()


# In a process of its own: a freeze is for the process's lifetime.
_FREEZE_TWICE = """
import gc
from kpidesk.domain.cycles import keep_out_of_collection
keep_out_of_collection()
first = gc.get_freeze_count()
made_after = [[n] for n in range(1000)]
keep_out_of_collection()
print(first, gc.get_freeze_count())
"""


def test_only_the_first_call_keeps_what_exists_out_of_the_passes():
    out = subprocess.run([sys.executable, "-c", _FREEZE_TWICE], capture_output=True,
                         text=True, timeout=60, check=True).stdout.split()  # fmt: skip
    first, second = int(out[0]), int(out[1])
    assert first > 1000  # the modules, classes and functions imported so far
    assert second == first  # the lists made after it were left to the collector
