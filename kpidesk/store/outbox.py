"""The outbox: local changes waiting to be acknowledged by the team server."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from kpidesk.store.tables import outbox


def wire_fields(fields: dict[str, Any], hlc: str | None) -> dict[str, Any]:
    """A mutation's fields as SYNC.md sends them, {name: {"v": value, "hlc": stamp}}, from a
    row of either form (a compact row holds {name: value} and its one stamp in ``hlc``)."""
    if hlc is None:
        return fields
    return {name: {"v": value, "hlc": hlc} for name, value in fields.items()}


def pending_count(conn: sa.Connection) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(outbox)).scalar_one()


def restart_mutation_ids(conn: sa.Connection) -> None:
    """Mutation ids count per device: a new device's first change is number 1."""
    conn.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = 'outbox'")


def renumber(conn: sa.Connection) -> int:
    """Give the waiting changes mids 1, 2, 3... in their order, for a new device identity
    (a restored backup): the server counts mids per device and expects them without gaps."""
    rows = conn.execute(
        sa.select(outbox.c.table_name, outbox.c.row_id, outbox.c.cl, outbox.c.base,
                  outbox.c.fields, outbox.c.hlc).order_by(outbox.c.mid)
    ).mappings().all()  # fmt: skip
    conn.execute(sa.delete(outbox))
    restart_mutation_ids(conn)
    if rows:
        conn.execute(sa.insert(outbox), [dict(row) for row in rows])
    return len(rows)
