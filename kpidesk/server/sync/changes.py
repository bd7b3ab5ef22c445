"""Reading what a device has not seen yet: rows it may see, changed after its cursor."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from kpidesk.protocol.schemas import Conflict
from kpidesk.records.codec import encode_value
from kpidesk.records.wire import sqlite_instant_to_wire
from kpidesk.server.sync.audience import Audience
from kpidesk.server.sync.mutations import FIELDS, INSTANTS, TABLE_ORDER
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
    pages: list[dict[str, Any]] = field(default_factory=list)  # ChangePage-shaped, if compact
    purged_before: int = 0  # the purge mark (SYNC.md, "Deletions")


def read_changes(
    session: Session,
    audience: Audience,
    device_id: str,
    cursor: int,
    limit: int,
    *,
    skip_own: bool = False,
    compact: bool = False,
) -> ChangeBatch:
    """Up to ``limit`` rows with ``server_version > cursor`` this user may see, oldest first.

    With ``compact``, the rows come as one page per table (``pages``, SYNC.md) instead of
    one object each in ``changes``.

    With ``skip_own``, rows whose latest version this device wrote and holds (``written_by``,
    see `echo.mark_writer`) are left out, as if they were not there: the cursor moves past
    them, so a first upload of 50,000 records is not downloaded back.

    The counter is read first and rows are taken up to it: every version at or below it was
    committed (versions are handed out one transaction at a time), so none is ever skipped.

    A device whose cursor predates purged tombstones, or whose user's view changed (a share,
    a team), is told to start again from 0 (``resync``, no rows): it then asks with cursor 0,
    which is when the server knows the restart has begun. A lost "start again" is repeated.

    The cursor also tells how far the device has synced (``device.synced_to``, which holds back
    the purge of tombstones); it is written only when it moved, so an empty sync writes nothing.
    """
    state, devices = table_of(ServerState), table_of(Device)
    # One round trip for the counter, the purge mark and this device's resync flag and progress.
    top, purged_before, flagged, synced_to = session.execute(
        sa.select(
            state.c.last_server_version,
            state.c.purged_before,
            devices.c.resync_needed,
            devices.c.synced_to,
        )
        .select_from(sa.join(state, devices, devices.c.id == device_id))
        .where(state.c.id == 1)
    ).one()
    if cursor > 0 and (flagged or cursor < purged_before):
        return ChangeBatch([], 0, True, resync=True, purged_before=purged_before)
    changed: dict[str, Any] = {}
    # A cursor beyond the counter cannot have been applied: it does not count as progress.
    if min(cursor, top) > synced_to:
        changed["synced_to"] = min(cursor, top)
    if flagged:  # cursor 0: the restart is under way
        changed["resync_needed"] = False
    if changed:
        session.execute(sa.update(devices).where(devices.c.id == device_id).values(**changed))
    if top <= cursor:  # nothing new anywhere: no table to look at
        return ChangeBatch([], max(top, cursor), False, resync=False, purged_before=purged_before)
    # First the versions only (read from the indexes), to find where this batch ends; then
    # the rows up to there. Reading `limit` full rows from each table would waste four fifths.
    tables = {t: table_of(SERVER_RECORD_TABLES[t]) for t in TABLE_ORDER}

    def window(tbl: Any, upper: int) -> Any:
        condition = sa.and_(
            tbl.c.server_version > cursor,
            tbl.c.server_version <= upper,
            audience.readable(tbl.name, tbl.c),
        )
        if skip_own:  # null: nobody holds it (an `!=` alone would drop nulls in SQL)
            held_elsewhere = sa.or_(tbl.c.written_by.is_(None), tbl.c.written_by != device_id)
            condition = sa.and_(condition, held_elsewhere)
        return condition

    # One query for the versions of every table (each part reads its own index).
    parts = [
        sa.select(sa.literal(table).label("tbl"), tbl.c.server_version.label("v"))
        .where(window(tbl, top))
        .order_by(tbl.c.server_version)
        .limit(limit + 1)
        .subquery()
        for table, tbl in tables.items()
    ]
    union = sa.union_all(*(sa.select(part) for part in parts)).subquery()
    found = session.execute(
        sa.select(union.c.tbl, union.c.v).order_by(union.c.v).limit(limit + 1)
    ).all()
    if not found:
        return ChangeBatch([], top, False, resync=False, purged_before=purged_before)
    has_more = len(found) > limit
    upper = found[limit - 1].v if has_more else top
    changes: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    wanted = {row.tbl for row in found[:limit]}
    tables = {t: tbl for t, tbl in tables.items() if t in wanted}
    raw_instants = session.get_bind().dialect.name == "sqlite"
    for table, tbl in tables.items():
        columns = [
            tbl.c.id,
            tbl.c.owner_id,
            tbl.c.cl,
            tbl.c.server_version,
            _raw_json(tbl.c.clocks),
        ]
        columns += [_wire_column(tbl.c[name], raw_instants) for name in FIELDS[table]]
        rows = session.execute(sa.select(*columns).where(window(tbl, upper))).all()
        if compact:
            pages.append(_page(table, rows, raw_instants))
        else:
            changes.extend(_changes(table, rows, raw_instants))
    changes.sort(key=lambda change: change["server_version"])
    next_cursor = upper if has_more else max(top, cursor)
    return ChangeBatch(
        changes, next_cursor, has_more, resync=False, pages=pages, purged_before=purged_before
    )


# A first sync sends tens of thousands of rows: each is turned into its wire form with as
# little Python per value as possible. On SQLite, instants are read as their stored text and
# only reshaped; enums are read as plain text (no round trip through Python objects).


def _raw_json(column: Any) -> Any:
    """A JSON column read as its text: it goes out as it is stored (``orjson.Fragment``), not
    parsed into a dict per row and written back (that was a third of a first sync's page)."""
    return sa.cast(column, sa.Text).label(column.name)


def _wire_column(column: Any, raw_instants: bool) -> Any:
    kind = type(column.type).__name__
    if kind == "EnumText" or (kind == "UtcDateTime" and raw_instants):
        return sa.type_coerce(column, sa.String).label(column.name)
    return column


def _changes(table: str, rows: Any, raw_instants: bool) -> Iterator[dict[str, Any]]:
    names = FIELDS[table]
    instants = INSTANTS[table]
    reshape = [
        (sqlite_instant_to_wire if raw_instants else encode_value) if n in instants else None
        for n in names
    ]
    for row in rows:
        values = row[5:]
        yield {
            "table": table,
            "id": row[0],
            "owner_id": row[1],
            "cl": row[2],
            "server_version": row[3],
            "clocks": orjson.Fragment(row[4]),
            "fields": {  # nulls are left out: a field not sent is null
                name: (value if convert is None else convert(value))
                for name, value, convert in zip(names, values, reshape, strict=True)
                if value is not None
            },
        }


PAGE_COLUMNS = {table: ["id", "owner_id", "cl", "server_version", "clocks", *FIELDS[table]]
                for table in TABLE_ORDER}  # fmt: skip


def _page(table: str, rows: Any, raw_instants: bool) -> dict[str, Any]:
    """One table's rows in the compact form: the columns once, each row as an array (nulls
    stay, as null: a position cannot be left out), oldest version first."""
    reshape = [
        (i, sqlite_instant_to_wire if raw_instants else encode_value)
        for i, name in enumerate(FIELDS[table], start=5)
        if name in INSTANTS[table]
    ]
    out = []
    for row in sorted(rows, key=lambda r: r[3]):
        values = list(row)
        values[4] = orjson.Fragment(values[4])
        for i, convert in reshape:
            if values[i] is not None:
                values[i] = convert(values[i])
        out.append(values)
    return {"table": table, "columns": PAGE_COLUMNS[table], "rows": out}


def undelivered_conflicts(session: Session, device_id: str, cursor: int) -> list[Conflict]:
    """Conflicts this device may not have applied yet (its cursor is below their version);
    those it has are forgotten."""
    conflicts = table_of(SyncConflict)
    rows = (
        session.execute(
            sa.select(conflicts).where(conflicts.c.device_id == device_id).order_by(conflicts.c.id)
        )
        .mappings()
        .all()
    )
    if any(r["server_version"] <= cursor for r in rows):
        session.execute(
            sa.delete(conflicts).where(
                conflicts.c.device_id == device_id, conflicts.c.server_version <= cursor
            )
        )
    rows = [r for r in rows if r["server_version"] > cursor]
    return [
        Conflict(
            table=r["table_name"], id=r["row_id"], field=r["field"], yours=r["yours"],
            theirs=r["theirs"], their_author=r["their_author"], kept=r["kept"],
            server_version=r["server_version"],
        )
        for r in rows
    ]  # fmt: skip
