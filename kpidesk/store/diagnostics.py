"""Counts for support's diagnostics: how much there is, never what it says."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from kpidesk.store import outbox
from kpidesk.store.tables import LOCAL_TABLES


def database_vitals(conn: sa.Connection) -> dict[str, Any]:
    schema = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    vitals: dict[str, Any] = {"schema": schema}
    for table in LOCAL_TABLES:
        vitals[f"{table}_records"] = conn.exec_driver_sql(
            f"SELECT count(*) FROM {table}"
        ).scalar_one()
    vitals["changes_not_synced"] = outbox.pending_count(conn)
    vitals["page_size"] = conn.exec_driver_sql("PRAGMA page_size").scalar_one()
    return vitals
