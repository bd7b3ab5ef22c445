"""Reading and settling the sync conflicts kept on this laptop (SYNC.md, "Conflicts")."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from kpidesk.store import queries
from kpidesk.store.tables import sync_conflict, table_of


def open_count(conn: sa.Connection) -> int:
    return conn.execute(
        sa.select(sa.func.count())
        .select_from(sync_conflict)
        .where(sync_conflict.c.resolved_at.is_(None))
    ).scalar_one()


def conflict(conn: sa.Connection, conflict_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        sa.select(sync_conflict).where(sync_conflict.c.id == conflict_id)
    ).mappings().first()  # fmt: skip
    return dict(row) if row else None


def open_on_field(conn: sa.Connection, table: str, row_id: str, field: str) -> list[int]:
    """The open conflicts on one field of one record (settled together)."""
    return list(
        conn.execute(
            sa.select(sync_conflict.c.id).where(
                sync_conflict.c.table_name == table,
                sync_conflict.c.row_id == row_id,
                sync_conflict.c.field == field,
                sync_conflict.c.resolved_at.is_(None),
            )
        ).scalars()
    )


def caption(conn: sa.Connection, table: str, row_id: str) -> str | None:
    """What names a referenced record: an account's or contact's name, an offer's reference."""
    row = queries.get_row(conn, table_of(table), row_id)
    if row is None:
        return None
    return row["reference"] if table == "offer" else row["name"]
