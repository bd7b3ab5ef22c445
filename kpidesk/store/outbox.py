"""The outbox: local changes waiting to be acknowledged by the team server."""

from __future__ import annotations

import sqlalchemy as sa

from kpidesk.store.tables import outbox


def pending_count(conn: sa.Connection) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(outbox)).scalar_one()


def restart_mutation_ids(conn: sa.Connection) -> None:
    """Mutation ids count per device: a new device's first change is number 1."""
    conn.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = 'outbox'")
