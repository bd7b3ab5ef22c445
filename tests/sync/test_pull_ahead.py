"""While a page of a long pull is applied, the next one is already asked for: each page is
asked for once. The request asked ahead is the one the next step would send; one that differs
is dropped and asked again, which doubles the server's work for that page."""

from __future__ import annotations

import threading

import pytest

from kpidesk.domain.ids import uuid7
from kpidesk.protocol.schemas import MAX_CHANGES_PER_RESPONSE
from kpidesk.store import meta
from kpidesk.store.database import open_database
from kpidesk.sync.client import FIRST_BATCH, SyncClient
from tests.store.test_replica import account_change
from tests.store.test_replica_pages import page_reply

PAGES = 4


@pytest.fixture
def laptop(tmp_path):
    db = open_database(tmp_path / "laptop.sqlite")
    with db.write() as conn:
        meta.ensure_identity(conn)
        meta.put(conn, meta.USER_ID, "me")
    yield db
    db.close()


class _LongPull:
    """A server with ``PAGES`` pages to send, one account each; it notes every request."""

    def __init__(self) -> None:
        self.asked: list[tuple[int, int]] = []  # (cursor, limit)
        self._lock = threading.Lock()  # asked from the sync's thread and its helper

    def sync(self, request):
        with self._lock:
            self.asked.append((request.cursor, request.limit))
        page = page_reply(account_change(uuid7(), request.cursor + 1, 1000 + request.cursor))
        return page.model_copy(update={"next_cursor": request.cursor + 1,
                                       "has_more": request.cursor + 1 < PAGES})  # fmt: skip


def test_each_page_of_a_long_pull_is_asked_for_once(laptop):
    server = _LongPull()
    report = SyncClient(laptop, server).sync()
    assert report.received == PAGES
    assert sorted(server.asked) == [
        (0, FIRST_BATCH),  # a small first page: the laptop starts applying sooner
        *((cursor, MAX_CHANGES_PER_RESPONSE) for cursor in range(1, PAGES)),
    ]
