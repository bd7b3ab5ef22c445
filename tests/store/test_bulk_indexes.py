"""A large load into an empty table builds its indexes once, after the rows, in the same
transaction: a rollback leaves them as they were."""

from __future__ import annotations

import sqlite3

import pytest

from kpidesk.store.bulk import BULK_LOAD_ROWS, indexes_rebuilt
from kpidesk.store.changes import changes


def _indexes(conn, table="offer"):
    return sorted(
        tuple(r)
        for r in conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
            " AND sql IS NOT NULL",
            (table,),
        )
    )


def _offers(account_id, count):
    return [{"account_id": account_id, "amount_cents": 100 + n} for n in range(count)]


def _integrity(db_path):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()


def test_the_indexes_are_dropped_during_the_load_and_rebuilt_as_defined(db, db_path):
    with db.read() as conn:
        before = _indexes(conn)
    assert len(before) >= 5
    with changes(db) as c:
        account = c.create("account", {"name": "Garage Dupont"})
        with indexes_rebuilt(c.conn, "offer", BULK_LOAD_ROWS):
            assert _indexes(c.conn) == []  # set aside while the rows go in
            c.create_many("offer", _offers(account, BULK_LOAD_ROWS))
        assert _indexes(c.conn) == before
    with db.read() as conn:
        assert _indexes(conn) == before
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM offer WHERE decided_at > '2026'"
        ).fetchall()
    assert "ix_offer_decided_at" in str(plan)
    assert _integrity(db_path) == [("ok",)]


def test_a_rollback_leaves_the_indexes_as_they_were(db, db_path):
    with db.read() as conn:
        before = _indexes(conn)
    with pytest.raises(RuntimeError), changes(db) as c:
        account = c.create("account", {"name": "Garage Dupont"})
        with indexes_rebuilt(c.conn, "offer", 5_000):
            c.create_many("offer", _offers(account, 600))
            raise RuntimeError("Cancel")
    with db.read() as conn:
        assert _indexes(conn) == before
        assert conn.exec_driver_sql("SELECT count(*) FROM offer").scalar() == 0
    assert _integrity(db_path) == [("ok",)]


@pytest.mark.parametrize(("rows", "filled"), [(BULK_LOAD_ROWS - 1, False), (BULK_LOAD_ROWS, True)])
def test_a_small_load_or_a_table_with_rows_keeps_its_indexes(db, rows, filled):
    with changes(db) as c:
        account = c.create("account", {"name": "Garage Dupont"})
        if filled:
            c.create("offer", {"account_id": account, "amount_cents": 1})
        before = _indexes(c.conn)
        with indexes_rebuilt(c.conn, "offer", rows):
            assert _indexes(c.conn) == before
