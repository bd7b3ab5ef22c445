"""A sync decodes and applies its pages with Python's cycle collector paused (each of its full
passes visited everything the app holds, again and again over a first sync's pages of 10,000
rows), and the collector is on again after, even when the server's reply is refused."""

from __future__ import annotations

import gc

import pytest

from kpidesk.domain.ids import uuid7
from kpidesk.store import meta, replica
from kpidesk.store.database import open_database
from kpidesk.sync.client import SyncClient
from kpidesk.sync.errors import SyncProblemError
from tests.store.test_replica import account_change
from tests.store.test_replica_pages import page_reply


@pytest.fixture
def laptop(tmp_path):
    db = open_database(tmp_path / "laptop.sqlite")
    with db.write() as conn:
        meta.ensure_identity(conn)
        meta.put(conn, meta.USER_ID, "me")
    yield db
    db.close()


@pytest.fixture(autouse=True)
def _collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


class _TwoPages:
    """A server whose pull comes in two pages; ``garbled`` makes the second move backwards."""

    def __init__(self, garbled: bool = False) -> None:
        self.garbled, self.asked, self.collector_on = garbled, 0, []

    def sync(self, request):
        self.asked += 1
        self.collector_on.append(gc.isenabled())
        page = page_reply(account_change(uuid7(), self.asked, 1000 + self.asked))
        cursor = 0 if self.garbled and self.asked == 2 else request.cursor + 1
        return page.model_copy(update={"next_cursor": cursor, "has_more": self.asked == 1})


def _watch_apply(monkeypatch) -> list[bool]:
    seen: list[bool] = []
    apply = replica.apply_reply

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return apply(*args, **kwargs)

    monkeypatch.setattr(replica, "apply_reply", watched)
    return seen


def test_a_sync_applies_its_pages_with_the_collector_paused_then_turns_it_on(laptop, monkeypatch):
    applied = _watch_apply(monkeypatch)
    server = _TwoPages()
    report = SyncClient(laptop, server).sync()
    assert report.received == 2
    assert server.collector_on == [False, False]
    assert applied == [False, False]
    assert gc.isenabled()


def test_one_step_is_applied_with_the_collector_paused_too(laptop, monkeypatch):
    applied = _watch_apply(monkeypatch)
    SyncClient(laptop, _TwoPages()).step()
    assert applied == [False]
    assert gc.isenabled()


def test_a_refused_reply_still_turns_the_collector_back_on(laptop):
    with pytest.raises(SyncProblemError, match="backwards"):
        SyncClient(laptop, _TwoPages(garbled=True)).sync()
    assert gc.isenabled()
