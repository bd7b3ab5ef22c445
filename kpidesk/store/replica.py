"""The laptop's side of sync, inside its database: what to send, and applying what came back.

Everything a reply changes is applied in one transaction (the caller's): acknowledged outbox
entries leave, incoming rows are merged field by field with the rule of SYNC.md (a pending
local write with a larger clock stays), conflicts are kept for the rep, and the cursor moves.
A reply that fails a check changes nothing.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from kpidesk.domain.changes import NOTHING, Changes, Kind
from kpidesk.domain.hlc import HybridClock
from kpidesk.domain.merge import DEFAULT_CLOCK, clock_of, is_alive
from kpidesk.domain.timeutil import utc_now
from kpidesk.protocol.schemas import HLC_PATTERN, Conflict, Mutation, SyncResponse
from kpidesk.records.codec import encode_value
from kpidesk.records.wire import (
    KNOWN_FIELDS,
    SPECS,
    InvalidFieldValueError,
    read_page,
    read_row,
)
from kpidesk.store import meta
from kpidesk.store.bulk import defer_indexes
from kpidesk.store.database import restore_deferred_indexes
from kpidesk.store.outbox import wire_fields
from kpidesk.store.profile import from_wire, write_profile
from kpidesk.store.tables import LOCAL_TABLES, outbox, sync_conflict, table_of

CURSOR = "sync_cursor"
ACKED_DELETIONS = "sync_acked_deletions"  # own deletions acknowledged, version not known yet
PURGED_BEFORE = "sync_purged_before"  # the server's purge mark this laptop last purged up to
RESYNC_PENDING = "sync_resync_pending"
_ID_CHUNK = 500
# `$` would also match before a final newline: a stamp is written into JSON by hand below.
_HLC = re.compile(HLC_PATTERN.removesuffix("$") + r"\Z")
KNOWN_CLOCK_KEYS = {
    table: names | {DEFAULT_CLOCK} for table, names in KNOWN_FIELDS.items()
}  # ids per "IN (...)" lookup, well under SQLite's parameter limit


@dataclass(frozen=True)
class ApplyReport:
    acked: int
    inserted: int
    updated: int
    conflicts: list[Conflict]  # the ones this laptop had not heard of (a reply may repeat)
    removed_after_resync: int
    changes: Changes = NOTHING  # the records that really changed here, for the views
    bad_rows: list[str] = field(default_factory=list)  # rows left out: what was wrong in each


def cursor(conn: sa.Connection) -> int:
    return int(meta.get(conn, CURSOR) or 0)


def resync_pending(conn: sa.Connection) -> bool:
    """A full pull after a resync is under way (see `_start_resync`)."""
    return bool(meta.get(conn, RESYNC_PENDING))


def pending_mutations(conn: sa.Connection, limit: int) -> list[Mutation]:
    rows = conn.execute(
        sa.select(outbox.c.mid, outbox.c.table_name, outbox.c.row_id, outbox.c.cl,
                  outbox.c.base, outbox.c.fields, outbox.c.hlc)
        .order_by(outbox.c.mid)
        .limit(limit)
    )  # fmt: skip
    return [
        Mutation(mid=r.mid, table=r.table_name, id=r.row_id, cl=r.cl, base=r.base,
                 fields=wire_fields(r.fields, r.hlc))
        for r in rows
    ]  # fmt: skip


def reown_local_records(conn: sa.Connection, old_owner: str, new_owner: str) -> int:
    """Give the local profile's records to the user who just signed in (one transaction)."""
    moved = 0
    for table in LOCAL_TABLES.values():
        tbl: Any = table.__table__  # type: ignore[attr-defined]
        result = conn.execute(
            sa.update(tbl).where(tbl.c.owner_id == old_owner).values(owner_id=new_owner)
        )
        moved += result.rowcount or 0
    meta.put(conn, meta.OWNER_ID, new_owner)
    return moved


def forget_all_records(conn: sa.Connection) -> None:
    """Another user signs in on this laptop: the previous user's records (all sent) and
    conflicts go, and the next sync pulls the new user's from the start."""
    for table in LOCAL_TABLES:
        conn.exec_driver_sql(f"DELETE FROM {table}")
    conn.execute(sa.delete(sync_conflict))
    meta.delete(conn, CURSOR)
    meta.delete(conn, PURGED_BEFORE)
    meta.delete(conn, ACKED_DELETIONS)


def clocks_text(table: str, row_id: str, clocks: dict[str, str]) -> str:
    """Check a row's clocks and write them as JSON (keys are field names, values HLC stamps:
    nothing in them needs escaping once checked)."""
    allowed, match = KNOWN_CLOCK_KEYS[table], _HLC.match
    for key, stamp in clocks.items():
        if key not in allowed or type(stamp) is not str or match(stamp) is None:
            raise InvalidFieldValueError(table, row_id, str(key), "not a valid clock")
    # Built by hand: a JSON encoder call per row cost more than checking the row (the keys
    # are known field names and the stamps match HLC_PATTERN: nothing to escape).
    return "{" + ",".join([f'"{key}":"{stamp}"' for key, stamp in clocks.items()]) + "}"


def apply_reply(
    conn: sa.Connection, reply: SyncResponse, clock: HybridClock, *, keep_going: bool = False
) -> ApplyReport:
    """Apply one server reply; raise ValueError (changing nothing) if it does not hold up.
    With ``keep_going``, a row that does not hold up is left out and named in the report's
    ``bad_rows``, and the rest is applied (the row comes again when it next changes)."""
    bad: list[str] | None = [] if keep_going else None
    incoming = _checked_rows(reply, bad)  # before anything is written
    latest = max((max(row[4].values(), default="") for rows in incoming.values()
                  for row in rows), default="")  # fmt: skip
    deleted_here = _acked_deletions(conn, reply.acked_mid)
    acked = conn.execute(sa.delete(outbox).where(outbox.c.mid <= reply.acked_mid)).rowcount or 0
    if reply.resync and not meta.get(conn, RESYNC_PENDING):
        _start_resync(conn)
    inserted = updated = 0
    touched: dict[str, list[str]] = {}
    for table, rows in incoming.items():
        defer_indexes(conn, table, len(rows))  # a first sync's pages: indexes built at its end
        i, u, ids = _merge_changes(conn, table, rows)
        inserted += i
        updated += u
        if ids:
            touched[table] = ids
    new_conflicts = _store_conflicts(conn, reply)
    clock.observe(reply.server_hlc)
    if latest:  # a write seen here is never outdone by one this laptop makes afterwards
        clock.observe(latest)
    meta.put(conn, meta.HLC, clock.last)
    meta.put(conn, CURSOR, str(reply.next_cursor))
    if not reply.has_more and not reply.resync:
        _bound_own_deletions(conn, reply.next_cursor)
    if not reply.has_more:
        restore_deferred_indexes(conn)
    _remember(conn, deleted_here)
    if reply.purged_before is not None:
        purge_tombstones(conn, reply.purged_before)
    removed: dict[str, int] = {}
    if not reply.has_more and meta.get(conn, RESYNC_PENDING):
        removed = _finish_resync(conn)
    settled = settle_stale_conflicts(conn)
    profile = []
    if reply.profile is not None:  # sent only when it changed (SYNC.md, "Profile")
        write_profile(conn, from_wire(reply.profile), reply.profile_etag)
        profile = [Kind.PROFILE]
    # Rows a resync removed are gone with their ids: their kinds change without ids.
    gone = [table for table, n in removed.items() if n]
    conflicts = [Kind.CONFLICT] if new_conflicts or settled else []
    changed = Changes.of([*gone, *conflicts, *profile], **touched)
    return ApplyReport(acked, inserted, updated, new_conflicts, sum(removed.values()), changed,
                       bad or [])  # fmt: skip


# A checked incoming row: (id, owner_id, cl, server_version, clocks, clocks as JSON text,
# values as stored here in SPECS order).
Incoming = tuple[str, str, int, int, dict[str, str], str, list[Any]]


def _checked_rows(reply: SyncResponse, bad: list[str] | None) -> dict[str, list[Incoming]]:
    """Every row of the reply, in either form, checked and converted, grouped by table (in
    the order they came); raises ValueError naming the first bad row and field. With ``bad``
    (a list), a row that does not hold up is left out and named there instead, and the rest
    is kept; a page malformed as a whole still raises."""
    out: dict[str, list[Incoming]] = {}
    for change in reply.changes:
        table, row_id, clocks = change["table"], change["id"], change["clocks"]
        try:
            text = clocks_text(table, row_id, clocks)
            values = read_row(table, row_id, change["fields"])
            row = (row_id, change["owner_id"], change["cl"], change["server_version"], clocks,
                   text, values)  # fmt: skip
        except InvalidFieldValueError as exc:
            if bad is None:
                raise
            bad.append(str(exc))
            continue
        out.setdefault(table, []).append(row)
    match = _HLC.match
    for page in reply.pages:
        table = page["table"]
        rows = out.setdefault(table, [])
        try:
            read = read_page(table, page["columns"], page["rows"])
        except InvalidFieldValueError as exc:
            if bad is None or exc.row_id == "?":  # strict, or the page's columns are wrong
                raise
            read = []  # one row at a time, to keep the good ones
            for one in page["rows"]:
                try:
                    read.extend(read_page(table, page["columns"], [one]))
                except InvalidFieldValueError as row_exc:
                    bad.append(str(row_exc))
        for row_id, owner_id, cl, version, clocks, values in read:
            # Most rows carry one stamp for every field: checked and written inline.
            stamp = clocks.get(DEFAULT_CLOCK) if len(clocks) == 1 else None
            if type(stamp) is str and match(stamp) is not None:
                text = '{"*":"' + stamp + '"}'
            else:
                try:
                    text = clocks_text(table, row_id, clocks)
                except InvalidFieldValueError as exc:
                    if bad is None:
                        raise
                    bad.append(str(exc))
                    continue
            rows.append((row_id, owner_id, cl, version, clocks, text, values))
    return out


def _merge_changes(
    conn: sa.Connection, table: str, changes: Sequence[Incoming]
) -> tuple[int, int, list[str]]:
    """Insert the new rows, merge the known ones; returns the counts and the ids of the rows
    that changed here (a change this laptop already had changes nothing)."""
    raw = conn.connection.driver_connection  # bulk path: plain sqlite3, same transaction
    assert raw is not None
    names = [spec.name for spec in SPECS[table]]
    existing: dict[str, tuple[str, int, int]] = {}
    ids = [c[0] for c in changes]
    for start in range(0, len(ids), _ID_CHUNK):
        chunk = ids[start : start + _ID_CHUNK]
        marks = ",".join("?" * len(chunk))
        for row_id, clocks, cl, version in raw.execute(
            f"SELECT id, clocks, cl, server_version FROM {table} WHERE id IN ({marks})", chunk
        ):
            existing[row_id] = (clocks, cl, version)

    inserts = []
    updated: list[str] = []
    for row_id, owner_id, their_cl, their_version, their_clocks, clocks, values in changes:
        current = existing.get(row_id)
        if current is None:  # the common case of a first sync: keep it lean
            inserts.append([row_id, owner_id, clocks, their_cl, their_version, *values])
            existing[row_id] = (clocks, their_cl, their_version)
            continue
        local_clocks = json.loads(current[0])
        won = {  # the values as stored here, already checked and converted by read_row
            n: value
            for n, value in zip(names, values, strict=True)
            if (clock_of(their_clocks, n) or "") > (clock_of(local_clocks, n) or "")
        }
        cl = max(current[1], their_cl)
        version = max(current[2], their_version)
        if not won and cl == current[1] and version == current[2]:
            continue
        merged = compact_clocks(
            {n: max(clock_of(their_clocks, n) or "", clock_of(local_clocks, n) or "")
             for n in names}
        )  # fmt: skip
        assignments = ", ".join(f"{n} = ?" for n in won)
        raw.execute(
            f"UPDATE {table} SET {assignments}{', ' if won else ''}clocks = ?, cl = ?,"
            f" server_version = ?, owner_id = ? WHERE id = ?",
            (*won.values(), json.dumps(merged), cl, version,
             owner_id, row_id),
        )  # fmt: skip
        existing[row_id] = (json.dumps(merged), cl, version)
        if won or cl != current[1]:  # not a mere server_version bump (our own write's echo)
            updated.append(row_id)
    if inserts:
        columns = ", ".join(["id", "owner_id", "clocks", "cl", "server_version", *names])
        marks = ",".join("?" * (5 + len(names)))
        raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", inserts)
    return len(inserts), len(updated), [row[0] for row in inserts] + updated


def compact_clocks(clocks: dict[str, str]) -> dict[str, str]:
    """Store the most frequent stamp once as the default, and only the others per field."""
    present = {k: v for k, v in clocks.items() if v}
    if not present:
        return {}
    common, _ = Counter(present.values()).most_common(1)[0]
    return {DEFAULT_CLOCK: common, **{k: v for k, v in present.items() if v != common}}


def _store_conflicts(conn: sa.Connection, reply: SyncResponse) -> list[Conflict]:
    """Keep the reply's conflicts once each; return those not kept before. The server repeats
    a conflict until this laptop's cursor passes it, so a lost reply loses nothing."""
    if not reply.conflicts:
        return []
    cols = sync_conflict.c
    known = {
        tuple(row)
        for row in conn.execute(
            sa.select(cols.table_name, cols.row_id, cols.field, cols.server_version).where(
                cols.row_id.in_({conflict.id for conflict in reply.conflicts})
            )
        )
    }
    new = [
        conflict
        for conflict in reply.conflicts
        if (conflict.table, conflict.id, conflict.field, conflict.server_version) not in known
    ]
    now = utc_now()
    conn.execute(
        sa.insert(sync_conflict).prefix_with("OR IGNORE"),  # repeats are kept once
        [
            {
                "table_name": c.table,
                "row_id": c.id,
                "field": c.field,
                "yours": c.yours,
                "theirs": c.theirs,
                "their_author": c.their_author,
                "kept": c.kept,
                "server_version": c.server_version,
                "received_at": now,
            }
            for c in reply.conflicts
        ],
    )
    return new


def _acked_deletions(conn: sa.Connection, acked_mid: int) -> list[list[str]]:
    """The rows whose deletion (an even ``cl``) the server acknowledges in this reply."""
    rows = conn.execute(
        sa.select(outbox.c.table_name, outbox.c.row_id)
        .where(outbox.c.mid <= acked_mid, outbox.c.cl % 2 == 0)
        .distinct()
    )
    return [[table, row_id] for table, row_id in rows]


def _remember(conn: sa.Connection, deleted: list[list[str]]) -> None:
    if deleted:
        waiting = json.loads(meta.get(conn, ACKED_DELETIONS) or "[]")
        meta.put(conn, ACKED_DELETIONS, json.dumps(waiting + deleted))


def _bound_own_deletions(conn: sa.Connection, cursor: int) -> None:
    """Give this laptop's acknowledged deletions a server version: the server does not send a
    laptop's own writes back, so their version is not known here, but once a later reply has
    brought everything (``has_more`` false) the cursor is past them. The cursor is an upper
    bound of their version, and the version this laptop last saw of them (a later change from
    elsewhere would have come in that reply): the purge below compares it with the mark."""
    waiting = json.loads(meta.get(conn, ACKED_DELETIONS) or "[]")
    if not waiting:
        return
    for name, record in LOCAL_TABLES.items():
        ids = [row_id for table, row_id in waiting if table == name]
        if not ids:
            continue
        table: Any = record.__table__  # type: ignore[attr-defined]
        for start in range(0, len(ids), 500):
            conn.execute(
                sa.update(table)
                .where(table.c.id.in_(ids[start : start + 500]), table.c.server_version == 0,
                       table.c.cl % 2 == 0)
                .values(server_version=cursor)
            )  # fmt: skip
    meta.delete(conn, ACKED_DELETIONS)


def purge_tombstones(conn: sa.Connection, purged_before: int) -> int:
    """Delete for good the local tombstones the server has purged (SYNC.md, "Deletions"):
    deleted rows the server confirmed (``server_version`` > 0) at or below its purge mark,
    which it will never send again. A row with a write still in the outbox stays (its
    deletion, or a later edit, has not reached the server). Runs only when the mark moved;
    returns how many rows went."""
    if purged_before <= int(meta.get(conn, PURGED_BEFORE) or 0):
        return 0
    gone = 0
    for name, record in LOCAL_TABLES.items():
        table: Any = record.__table__  # type: ignore[attr-defined]
        unsent = sa.select(outbox.c.row_id).where(outbox.c.table_name == name)
        result = conn.execute(
            sa.delete(table).where(
                table.c.cl % 2 == 0,
                table.c.server_version > 0,
                table.c.server_version <= purged_before,
                table.c.id.not_in(unsent),
            )
        )
        gone += result.rowcount or 0
    meta.put(conn, PURGED_BEFORE, str(purged_before))
    return gone


def _start_resync(conn: sa.Connection) -> None:
    # Rows the server still has come back with their version; whatever is left at -1 when the
    # full pull ends was purged or is no longer shared, and goes (unless a local write waits).
    for table in LOCAL_TABLES:
        conn.exec_driver_sql(f"UPDATE {table} SET server_version = -1 WHERE server_version > 0")
    meta.put(conn, RESYNC_PENDING, "1")
    meta.put(conn, CURSOR, "0")


def _finish_resync(conn: sa.Connection) -> dict[str, int]:
    removed = {}
    for table in LOCAL_TABLES:
        result = conn.exec_driver_sql(
            f"DELETE FROM {table} WHERE server_version = -1 AND id NOT IN"
            f" (SELECT row_id FROM outbox WHERE table_name = '{table}')"
        )
        removed[table] = result.rowcount or 0
        conn.exec_driver_sql(f"UPDATE {table} SET server_version = 0 WHERE server_version = -1")
    meta.delete(conn, RESYNC_PENDING)
    return removed


def open_conflicts(conn: sa.Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        sa.select(sync_conflict)
        .where(sync_conflict.c.resolved_at.is_(None))
        .order_by(sync_conflict.c.id)
    ).mappings()
    return [dict(r) for r in rows]


def settle_stale_conflicts(conn: sa.Connection) -> int:
    """Resolve the open conflicts that no longer hold: the record is gone, or its field has
    since taken a third value (a later edit here or elsewhere). Offering "keep yours" on one
    of them would overwrite that newer value with an old one. Returns how many."""
    stale = []
    for conflict in open_conflicts(conn):
        tbl = table_of(conflict["table_name"])
        row = conn.execute(
            sa.select(tbl.c[conflict["field"]], tbl.c.cl).where(tbl.c.id == conflict["row_id"])
        ).first()
        if row is None or not is_alive(row.cl):
            stale.append(conflict["id"])
            continue
        now = encode_value(row[0])
        if now != conflict["yours"] and now != conflict["theirs"]:
            stale.append(conflict["id"])
    if stale:
        resolve_conflicts(conn, stale)
    return len(stale)


def resolve_conflicts(conn: sa.Connection, conflict_ids: Iterable[int]) -> None:
    conn.execute(
        sa.update(sync_conflict)
        .where(sync_conflict.c.id.in_(list(conflict_ids)))
        .values(resolved_at=utc_now())
    )
