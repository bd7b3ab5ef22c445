"""Writes that bypass the outbox, for data that never syncs."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.schema import CreateIndex, DropIndex

from kpidesk.records import SYNCED_RECORDS
from kpidesk.store import meta
from kpidesk.store.database import DEFERRED_INDEXES
from kpidesk.store.tables import table_of


def insert_unsynced(conn: sa.Connection, table: str, rows: Sequence[dict[str, Any]]) -> None:
    """Insert complete rows (sync columns included) with no outbox mutation.

    The one caller is the demo generator: a demo database never syncs, and its 50,000 rows
    would cost seconds through the outbox. Everything the rep (or an import) writes goes
    through :class:`kpidesk.store.changes.ChangeSet` instead, so it syncs.
    """
    if rows:
        conn.execute(sa.insert(table_of(table)), list(rows))


BULK_LOAD_ROWS = 1_000  # below this, keeping the indexes up to date row by row costs less


@contextlib.contextmanager
def indexes_rebuilt(conn: sa.Connection, table: str, rows: int) -> Iterator[None]:
    """Around a load of ``rows`` new rows into ``table``: when the table is empty and the load
    is large, its secondary indexes are dropped first and built again after, each once from
    the sorted rows instead of thousands of B-tree inserts. The drop and the rebuild are in the
    caller's transaction (SQLite's DDL is transactional), so a rollback (Cancel, a refused row)
    leaves the indexes as they were; the DDL is the table definition's own (tables.py)."""
    tbl = table_of(table)
    empty = conn.execute(sa.select(sa.literal(1)).select_from(tbl).limit(1)).first() is None
    if rows < BULK_LOAD_ROWS or not empty or not tbl.indexes:
        yield
        return
    indexes = sorted(tbl.indexes, key=lambda index: str(index.name))
    for index in indexes:
        conn.execute(DropIndex(index, if_exists=True))
    yield
    for index in indexes:
        conn.execute(CreateIndex(index))


def defer_indexes(conn: sa.Connection, table: str, rows: int) -> bool:
    """Before a page of ``rows`` rows of a long pull (a first sync comes in pages, each its own
    transaction): when ``table`` is empty and the page large, its secondary indexes are dropped
    until :func:`~kpidesk.store.database.restore_deferred_indexes`, built once from all the rows
    instead of kept up to date through every page (a first sync of 58,000 records: 0.4 s of its
    2.5 s). Their DDL, as SQLite holds it, is noted in the caller's transaction with the drop:
    both happen, or neither, and the rebuild needs no schema of this version of kpidesk."""
    if rows < BULK_LOAD_ROWS:
        return False
    tbl = table_of(table)
    if conn.execute(sa.select(sa.literal(1)).select_from(tbl).limit(1)).first() is not None:
        return False
    indexes = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
        " AND sql IS NOT NULL ORDER BY name",
        (table,),
    ).all()
    if not indexes:
        return False
    noted = meta.get(conn, DEFERRED_INDEXES)
    statements = [*(json.loads(noted) if noted else []), *(sql for _, sql in indexes)]
    for name, _ in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    meta.put(conn, DEFERRED_INDEXES, json.dumps(statements))
    return True


def analyze(conn: sa.Connection) -> None:
    """Refresh the query planner's statistics after a bulk load."""
    conn.exec_driver_sql("ANALYZE")


def holds_anything(conn: sa.Connection) -> bool:
    """Whether any record is stored, or the database is signed in to a team server: only an
    untouched one (as ``kpidesk init`` leaves it) may become a demo."""
    if meta.get(conn, meta.SERVER_URL):
        return True
    return any(
        conn.execute(sa.select(table_of(table).c.id).limit(1)).first() is not None
        for table in SYNCED_RECORDS
    )
