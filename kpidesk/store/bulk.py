"""Writes that bypass the outbox, for data that never syncs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from kpidesk.records import SYNCED_RECORDS
from kpidesk.store import meta
from kpidesk.store.tables import table_of


def insert_unsynced(conn: sa.Connection, table: str, rows: Sequence[dict[str, Any]]) -> None:
    """Insert complete rows (sync columns included) with no outbox mutation.

    The one caller is the demo generator: a demo database never syncs, and its 50,000 rows
    would cost seconds through the outbox. Everything the rep (or an import) writes goes
    through :class:`kpidesk.store.changes.ChangeSet` instead, so it syncs.
    """
    if rows:
        conn.execute(sa.insert(table_of(table)), list(rows))


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
