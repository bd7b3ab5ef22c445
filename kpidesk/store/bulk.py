"""Writes that bypass the outbox, for data that never syncs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.schema import CreateIndex, DropIndex

from kpidesk.records import SYNCED_RECORDS
from kpidesk.store import meta
from kpidesk.store.database import DEFERRED_INDEXES  # tables, comma-separated
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
    until :func:`restore_deferred_indexes`, built once from all the rows instead of kept up to
    date through every page (a first sync of 58,000 records: 0.4 s of its 2.5 s). The drop and
    the note of it are in the caller's transaction: both happen, or neither."""
    tbl = table_of(table)
    if rows < BULK_LOAD_ROWS or not tbl.indexes:
        return False
    if conn.execute(sa.select(sa.literal(1)).select_from(tbl).limit(1)).first() is not None:
        return False
    for index in sorted(tbl.indexes, key=lambda index: str(index.name)):
        conn.execute(DropIndex(index, if_exists=True))
    meta.put(conn, DEFERRED_INDEXES, ",".join(sorted({*_deferred(conn), table})))
    return True


def restore_deferred_indexes(conn: sa.Connection) -> list[str]:
    """Build again the indexes :func:`defer_indexes` set aside (at the end of the pull, after
    one cancelled or failed, or at the next opening after a crash); the tables, [] if none."""
    tables = _deferred(conn)
    for table in tables:
        for index in sorted(table_of(table).indexes, key=lambda index: str(index.name)):
            conn.execute(CreateIndex(index, if_not_exists=True))
    if tables:
        meta.delete(conn, DEFERRED_INDEXES)
    return tables


def _deferred(conn: sa.Connection) -> list[str]:
    noted = meta.get(conn, DEFERRED_INDEXES)
    return [t for t in noted.split(",") if t in SYNCED_RECORDS] if noted else []


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
