"""A first sync's large pages into empty tables set the tables' secondary indexes aside and
build them once at the end of the pull; a pull cut short, or a crash halfway, never leaves a
laptop without them."""

from __future__ import annotations

import json
import sqlite3

import pytest

from kpidesk.domain.ids import uuid7
from kpidesk.store.bulk import BULK_LOAD_ROWS
from kpidesk.store.database import DEFERRED_INDEXES, open_database
from kpidesk.sync.client import SyncClient
from kpidesk.sync.errors import SyncProblemError
from tests.store.test_replica import account_change, apply, reply
from tests.store.test_replica_pages import page_reply


def _indexes(path, table="account"):
    conn = sqlite3.connect(path)
    try:
        return sorted(
            conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
                " AND sql IS NOT NULL",
                (table,),
            ).fetchall()
        )
    finally:
        conn.close()


def _noted(path):
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT value FROM local_meta WHERE key = ?", (DEFERRED_INDEXES,))
        return row.fetchone()
    finally:
        conn.close()


def _count(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM account").fetchone()[0], conn.execute(
            "PRAGMA integrity_check"
        ).fetchone()[0]
    finally:
        conn.close()


def _pages(count, first_version=1, pages=2):
    """``count`` new accounts as ``pages`` compact pages of a long pull, the last one ending it."""
    changes = [account_change(uuid7(), first_version + n, 1000 + n) for n in range(count)]
    size = count // pages
    out = []
    for start in range(0, count, size):
        page = page_reply(*changes[start : start + size])
        out.append(page.model_copy(update={"has_more": start + size < count}))
    return out


def test_a_long_pull_builds_the_indexes_once_at_its_end(db, db_path):
    before = _indexes(db_path)
    assert len(before) >= 2
    first, last = _pages(2 * BULK_LOAD_ROWS)
    apply(db, first)
    assert _indexes(db_path) == []  # set aside while the pages come in, noted as they were
    assert sorted(json.loads(_noted(db_path)[0])) == [sql for _, sql in before]
    apply(db, last)
    assert _indexes(db_path) == before  # as the table definition has them
    assert _noted(db_path) is None
    assert _count(db_path) == (2 * BULK_LOAD_ROWS, "ok")
    with db.read() as conn:
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM account WHERE created_at > '2026'"
        ).fetchall()
    assert "ix_account_created_at" in str(plan)


def test_small_pages_and_tables_with_rows_keep_their_indexes(db, db_path):
    before = _indexes(db_path)
    small = page_reply(*[account_change(uuid7(), n, 1000 + n) for n in range(1, 11)])
    apply(db, small.model_copy(update={"has_more": True}))
    assert _indexes(db_path) == before  # 10 rows: kept up to date row by row
    apply(db, _pages(BULK_LOAD_ROWS, first_version=100, pages=1)[0].model_copy(
        update={"has_more": True}))  # fmt: skip
    assert _indexes(db_path) == before  # the table was not empty
    assert _noted(db_path) is None


def test_a_crash_halfway_leaves_the_indexes_to_the_next_opening(db_path):
    db = open_database(db_path)
    before = _indexes(db_path)
    apply(db, _pages(2 * BULK_LOAD_ROWS)[0])  # then the laptop dies before the last page
    db.close()
    assert _indexes(db_path) == []
    reopened = open_database(db_path)
    try:
        assert _indexes(db_path) == before
        assert _noted(db_path) is None
        assert _count(db_path) == (BULK_LOAD_ROWS, "ok")
    finally:
        reopened.close()


class _OnePageThenCancel:
    """A server whose pull has more pages than the rep waits for."""

    def __init__(self, page):
        self.page = page

    def sync(self, request):
        return self.page.model_copy(update={"next_cursor": request.cursor + 1})


def test_a_pull_cancelled_after_its_first_page_builds_the_indexes_then(db, db_path):
    before = _indexes(db_path)
    page = _pages(2 * BULK_LOAD_ROWS)[0]
    with db.write() as conn:
        from kpidesk.store import meta

        meta.ensure_identity(conn)
        meta.put(conn, meta.USER_ID, "me")
    asked = []
    report = SyncClient(db, _OnePageThenCancel(page)).sync(cancelled=lambda: bool(asked.append(1))
                                                           or len(asked) > 1)  # fmt: skip
    assert report.cancelled and report.steps == 1
    assert _indexes(db_path) == before
    assert _noted(db_path) is None
    assert _count(db_path) == (BULK_LOAD_ROWS, "ok")


def test_a_reply_in_the_one_row_form_is_deferred_alike(db, db_path):
    before = _indexes(db_path)
    changes = [account_change(uuid7(), n, 1000 + n) for n in range(1, BULK_LOAD_ROWS + 1)]
    apply(db, reply(*changes, has_more=True))
    assert _indexes(db_path) == []
    apply(db, reply(account_change(uuid7(), BULK_LOAD_ROWS + 1, 5000)))
    assert _indexes(db_path) == before
    assert _count(db_path) == (BULK_LOAD_ROWS + 1, "ok")


class _OnePageThenGarbled:
    """A server whose second reply cannot be right (it would move the laptop backwards)."""

    def __init__(self, page):
        self.page, self.calls = page, 0

    def sync(self, request):
        self.calls += 1
        cursor = request.cursor + 1 if self.calls == 1 else 0
        return self.page.model_copy(update={"next_cursor": cursor, "has_more": True})


def test_a_pull_refused_halfway_builds_the_indexes_before_saying_so(db, db_path):
    before = _indexes(db_path)
    with db.write() as conn:
        from kpidesk.store import meta

        meta.ensure_identity(conn)
        meta.put(conn, meta.USER_ID, "me")
    with pytest.raises(SyncProblemError, match="backwards"):  # the sync's own problem, shown
        SyncClient(db, _OnePageThenGarbled(_pages(2 * BULK_LOAD_ROWS)[0])).sync()
    assert _indexes(db_path) == before
    assert _noted(db_path) is None


def _note(path, value):
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("INSERT OR REPLACE INTO local_meta (key, value) VALUES (?, ?)",
                         (DEFERRED_INDEXES, value))  # fmt: skip
    finally:
        conn.close()


def test_a_rebuild_that_fails_at_opening_still_opens_the_file_and_tries_again(db_path, caplog):
    open_database(db_path).close()
    bad = json.dumps(["CREATE INDEX ix_nowhere ON no_such_table (x)"])
    _note(db_path, bad)
    reopened = open_database(db_path)  # the rep's data still opens
    try:
        with reopened.read() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM account").scalar() == 0
    finally:
        reopened.close()
    assert _noted(db_path) == (bad,)  # kept: the next opening or sync tries again
    assert "not rebuilt yet" in caplog.text


def test_a_note_kpidesk_did_not_write_is_dropped(db_path):
    open_database(db_path).close()
    before = _indexes(db_path)
    _note(db_path, "account,offer")  # not a list of DDL
    open_database(db_path).close()
    assert _noted(db_path) is None
    assert _indexes(db_path) == before
