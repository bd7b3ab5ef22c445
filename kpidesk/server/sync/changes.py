"""Reading what a device has not seen yet: rows it may see, changed after its cursor."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kpidesk.protocol.schemas import Conflict
from kpidesk.records.codec import encode_value
from kpidesk.server.db import current_server_version
from kpidesk.server.sync.audience import Audience
from kpidesk.server.sync.mutations import FIELDS, TABLE_ORDER
from kpidesk.server.tables import (
    SERVER_RECORD_TABLES,
    Device,
    ServerState,
    SyncConflict,
    table_of,
)


@dataclass(frozen=True)
class ChangeBatch:
    changes: list[dict[str, Any]]  # Change-shaped dicts, ready for JSON
    next_cursor: int
    has_more: bool
    resync: bool


def read_changes(
    session: Session, audience: Audience, device_id: str, cursor: int, limit: int
) -> ChangeBatch:
    """Up to ``limit`` rows with ``server_version > cursor`` this user may see, oldest first.

    The counter is read first and rows are taken up to it: every version at or below it was
    committed (versions are handed out one transaction at a time), so none is ever skipped.

    A device whose cursor predates purged tombstones, or whose user's view changed (a share,
    a team), is told to start again from 0 (``resync``, no rows): it then asks with cursor 0,
    which is when the server knows the restart has begun. A lost "start again" is repeated.
    """
    state, devices = table_of(ServerState), table_of(Device)
    purged_before = session.execute(
        sa.select(state.c.purged_before).where(state.c.id == 1)
    ).scalar_one()
    flagged = session.execute(
        sa.select(devices.c.resync_needed).where(devices.c.id == device_id)
    ).scalar_one()
    if cursor > 0 and (flagged or cursor < purged_before):
        return ChangeBatch([], 0, True, resync=True)
    if flagged:  # cursor 0: the restart is under way
        session.execute(
            sa.update(devices).where(devices.c.id == device_id).values(resync_needed=False)
        )
    top = current_server_version(session)
    streams = []
    for table in TABLE_ORDER:
        tbl = table_of(SERVER_RECORD_TABLES[table])
        columns = [tbl.c.id, tbl.c.owner_id, tbl.c.cl, tbl.c.server_version, tbl.c.clocks]
        columns += [tbl.c[name] for name in FIELDS[table]]
        rows = session.execute(
            sa.select(*columns)
            .where(
                tbl.c.server_version > cursor,
                tbl.c.server_version <= top,
                audience.readable(table, tbl.c),
            )
            .order_by(tbl.c.server_version)
            .limit(limit + 1)
        ).all()
        streams.append([(row.server_version, table, row) for row in rows])
    merged = list(heapq.merge(*streams, key=lambda item: item[0]))
    has_more = len(merged) > limit
    taken = merged[:limit]
    changes = [_change(table, row) for _version, table, row in taken]
    next_cursor = taken[-1][0] if has_more else max(top, cursor)
    return ChangeBatch(changes, next_cursor, has_more, resync=False)


def _change(table: str, row: Any) -> dict[str, Any]:
    return {
        "table": table,
        "id": row.id,
        "cl": row.cl,
        "server_version": row.server_version,
        "owner_id": row.owner_id,
        "fields": {name: encode_value(getattr(row, name)) for name in FIELDS[table]},
        "clocks": row.clocks,
    }


def undelivered_conflicts(session: Session, device_id: str, cursor: int) -> list[Conflict]:
    """Conflicts this device may not have applied yet (its cursor is below their version);
    those it has are forgotten."""
    conflicts = table_of(SyncConflict)
    session.execute(
        sa.delete(conflicts).where(
            conflicts.c.device_id == device_id, conflicts.c.server_version <= cursor
        )
    )
    rows = session.execute(
        sa.select(conflicts).where(conflicts.c.device_id == device_id).order_by(conflicts.c.id)
    ).mappings()
    return [
        Conflict(
            table=r["table_name"], id=r["row_id"], field=r["field"], yours=r["yours"],
            theirs=r["theirs"], their_author=r["their_author"], kept=r["kept"],
            server_version=r["server_version"],
        )
        for r in rows
    ]  # fmt: skip
