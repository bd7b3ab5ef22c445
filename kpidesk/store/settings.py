"""The rep's preferences in the local ``setting`` table: JSON values by key, never synced."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from kpidesk.store.tables import setting


def read_settings(conn: sa.Connection, prefix: str = "") -> dict[str, Any]:
    """Every stored setting whose key starts with ``prefix``."""
    query = sa.select(setting.c.key, setting.c.value)
    if prefix:
        # Compare on the range of keys that share the prefix: LIKE would read "_" as a wildcard.
        query = query.where(setting.c.key >= prefix, setting.c.key < prefix + "\U0010ffff")
    return dict(conn.execute(query).all())


def write_settings(conn: sa.Connection, values: Mapping[str, Any]) -> None:
    """Store ``values``; a key whose value is None is removed (back to its default)."""
    for key, value in values.items():
        conn.execute(sa.delete(setting).where(setting.c.key == key))
        if value is not None:
            conn.execute(sa.insert(setting).values(key=key, value=value))
