"""What an import compares the file with: the rep's own live records, read in one query each.

An import matches rows to records by a key (an id, a name, a reference...); the services build
the keys, the store only hands over the rows.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from kpidesk.store.meta import my_id
from kpidesk.store.queries import alive
from kpidesk.store.tables import table_of

IMPORTED_TABLES = ("account", "contact", "offer", "activity")


def my_live_rows(conn: sa.Connection) -> dict[str, list[dict[str, Any]]]:
    """Every live record of mine, per table (only mine: an import never edits a colleague's)."""
    me = my_id(conn)
    rows: dict[str, list[dict[str, Any]]] = {}
    for name in IMPORTED_TABLES:
        table = table_of(name)
        query = sa.select(table).where(alive(table), table.c.owner_id == me)
        rows[name] = [dict(row) for row in conn.execute(query).mappings()]
    return rows


def unavailable_ids(conn: sa.Connection) -> dict[str, dict[str, str]]:
    """Per table, the ids this laptop holds that are not my live records, each with why a new
    record may not take it: ``colleague`` (a team member's record, synced here read-only) or
    ``deleted`` (mine, deleted: its tombstone keeps the id). A file's id column names the
    record it fills; one of these ids is refused, never reused nor overwritten."""
    me = my_id(conn)
    taken: dict[str, dict[str, str]] = {}
    for name in IMPORTED_TABLES:
        table = table_of(name)
        query = sa.select(table.c.id, table.c.owner_id == me).where(
            sa.or_(sa.not_(alive(table)), table.c.owner_id != me)
        )
        taken[name] = {
            row_id: "deleted" if mine else "colleague" for row_id, mine in conn.execute(query)
        }
    return taken
