"""The rep's preferences in the local ``setting`` table: JSON values by key, never synced."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from kpidesk.store.tables import setting


def read_settings(conn: sa.Connection, prefix: str = "") -> dict[str, Any]:
    """Every stored setting whose key starts with ``prefix``."""
    # Plain DB-API: the KPI page reads its settings at each refresh, inside its timed budget.
    # The keys sharing the prefix form a range: LIKE would read "_" in a prefix as a wildcard.
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        rows = cursor.execute(
            "SELECT key, value FROM setting WHERE key >= ? AND key < ?",
            (prefix, prefix + "\U0010ffff"),
        ).fetchall()
    finally:
        cursor.close()
    return {key: _decoded(value) for key, value in rows}


def _decoded(stored: Any) -> Any:
    # The column is declared JSON, which SQLite gives numeric affinity: a JSON number comes back
    # as a number, anything else as its JSON text.
    return json.loads(stored) if isinstance(stored, str | bytes) else stored


def write_settings(conn: sa.Connection, values: Mapping[str, Any]) -> None:
    """Store ``values``; a key whose value is None is removed (back to its default)."""
    for key, value in values.items():
        conn.execute(sa.delete(setting).where(setting.c.key == key))
        if value is not None:
            conn.execute(sa.insert(setting).values(key=key, value=value))


def read_setting(conn: sa.Connection, key: str) -> Any:
    """One stored setting's value, or None."""
    stored = conn.execute(sa.select(setting.c.value).where(setting.c.key == key)).scalar()
    return stored


def write_setting(conn: sa.Connection, key: str, value: Any) -> None:
    conn.execute(sa.insert(setting).prefix_with("OR REPLACE").values(key=key, value=value))
