"""No echo: remembering which device holds each row's latest version, so it is not sent back.

A device that wrote a row's latest version holds it exactly when its write was merged over a
version it had already applied: the laptop and the server then merged the same two things
with the same field rule (the larger stamp wins, ``cl`` by max) and got the same row. That
is the case when the row was new, or its version before the write was at or below the
request's cursor (the laptop applies a reply whole, and a request carrying mutations is never
sent from a cursor it has not applied: only pulls are prefetched). Otherwise (the write
merged over another device's change the laptop has not received yet) ``written_by`` is null
and the row goes to every device, its writer included.

The server-only column is set here rather than in the merge, while the rows are still locked
and before the counter is taken, so the counter's lock is not held any longer.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kpidesk.server.sync.mutations import TABLE_ORDER, PendingWrite
from kpidesk.server.tables import SERVER_RECORD_TABLES, table_of


def mark_writer(session: Session, pending: PendingWrite, device_id: str, cursor: int) -> None:
    """Set ``written_by`` on every row this request changes (before `PendingWrite.commit`)."""
    # A refused mutation leaves the laptop with a value the server does not have: a row it
    # touched is sent back even if another mutation of the same request changed it.
    refused = {r.mid for r in pending.rejected}
    disowned = {(m.table, m.id) for m in pending.fresh if m.mid in refused}
    updates: dict[str, list[dict[str, Any]]] = {}
    for row in pending.dirty:
        before = row.values["server_version"]  # the version before this write
        held = (row.new or before <= cursor) and (row.table, row.values["id"]) not in disowned
        writer = device_id if held else None
        if row.new:  # inserted by the commit with the values it holds
            row.values["written_by"] = writer
        elif row.values.get("written_by") != writer:
            updates.setdefault(row.table, []).append({"b_id": row.values["id"], "b_by": writer})
    for table in TABLE_ORDER:
        if table in updates:
            tbl = table_of(SERVER_RECORD_TABLES[table])
            statement = (
                sa.update(tbl)
                .where(tbl.c.id == sa.bindparam("b_id"))
                .values(written_by=sa.bindparam("b_by"))
            )
            session.connection().execute(statement, updates[table])
