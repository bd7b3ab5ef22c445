"""Merging one device's mutations into the server's rows, inside the sync transaction.

Order of work, chosen so concurrent syncs neither deadlock nor see half a change:
1. the device row is locked and its last mutation id read: mids already applied are skipped
   (a retried request changes nothing); a gap is refused;
2. every row the mutations touch is locked, in a fixed order (table, then id);
3. each mutation is checked on its own (table, fields, values, ownership, account visibility:
   a refused one lets no later one through) and merged
   field by field: the larger clock stamp wins, and the causal length by max;
4. only then is the global counter taken, once, for all the rows that changed: the counter's
   row lock is the last lock taken and is held to commit, so versions commit in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kpidesk.domain.hlc import Hlc, HybridClock, InvalidHlcError, is_too_far_ahead
from kpidesk.domain.merge import DEFAULT_CLOCK, clock_of, is_alive
from kpidesk.domain.timeutil import from_wire, utc_now
from kpidesk.protocol.schemas import Conflict, Mutation, Rejected
from kpidesk.records import SYNCED_RECORDS, business_fields
from kpidesk.records.codec import encode_value
from kpidesk.records.wire import SPECS, InvalidFieldValueError, check_fields
from kpidesk.server.errors import ServerOpError
from kpidesk.server.sync.audience import Audience, visible_accounts
from kpidesk.server.sync.values import check_values
from kpidesk.server.tables import (
    SERVER_RECORD_TABLES,
    Device,
    ServerState,
    SyncConflict,
    User,
    table_of,
)

TABLE_ORDER = ("account", "contact", "activity", "offer", "objective")
SERVER_CLOCK_ID = "server"


class SyncRefusedError(ServerOpError):
    """The whole request is refused (409) and nothing is applied; ``code`` tells the laptop
    which one (kpidesk.protocol.schemas.SyncError)."""

    status_code = 409

    def __init__(self, code: str, message: str, expected_mid: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.expected_mid = expected_mid


@dataclass
class _Row:
    table: str
    values: dict[str, Any]  # column -> value as stored (instants as aware datetimes)
    new: bool
    changed_fields: set[str] = field(default_factory=set)
    cl_changed: bool = False

    @property
    def dirty(self) -> bool:
        return self.new or bool(self.changed_fields) or self.cl_changed


@dataclass
class MutationOutcome:
    acked_mid: int
    rejected: list[Rejected]
    conflicts: list[Conflict]
    changed_rows: int
    server_hlc: str


def _instant_fields(table: str) -> frozenset[str]:
    return frozenset(spec.name for spec in SPECS[table] if spec.kind == "instant")


INSTANTS = {table: _instant_fields(table) for table in SYNCED_RECORDS}
FIELDS = {table: business_fields(record) for table, record in SYNCED_RECORDS.items()}


def _stored(table: str, name: str, wire_value: Any) -> Any:
    """A wire value as the server stores it (instants become aware datetimes)."""
    if wire_value is not None and name in INSTANTS[table]:
        return from_wire(wire_value)
    return wire_value


@dataclass
class PendingWrite:
    """Mutations merged in memory, rows locked, nothing written yet: :meth:`commit` writes
    them at the very end of the transaction, so the counter's lock is held for milliseconds
    (every writing sync waits for it)."""

    device_id: str
    fresh: list[Mutation]
    last_mid: int
    dirty: list[_Row]
    rejected: list[Rejected]
    pending_conflicts: list[tuple[_Row, dict[str, Any]]]
    now_ms: int

    def commit(self, session: Session) -> MutationOutcome:
        devices = table_of(Device)
        candidate = _server_stamp(self.fresh, self.now_ms)
        server_hlc = candidate
        if self.dirty:
            versions, server_hlc = _take_versions(session, len(self.dirty), candidate)
            for row, version in zip(self.dirty, versions, strict=True):
                _stamp(row, version)
            _write_rows(session, self.dirty, datetime.fromtimestamp(self.now_ms / 1000, UTC))
        conflicts = _store_conflicts(session, self.device_id, self.pending_conflicts)
        acked = self.fresh[-1].mid if self.fresh else self.last_mid
        if self.fresh:
            session.execute(
                sa.update(devices).where(devices.c.id == self.device_id).values(last_mid=acked)
            )
        return MutationOutcome(acked, self.rejected, conflicts, len(self.dirty), server_hlc)


def merge_mutations(
    session: Session,
    audience: Audience,
    device_id: str,
    mutations: Sequence[Mutation],
    now_ms: int,
) -> PendingWrite:
    devices = table_of(Device)
    last_mid = session.execute(
        sa.select(devices.c.last_mid).where(devices.c.id == device_id).with_for_update()
    ).scalar_one()
    fresh = [m for m in mutations if m.mid > last_mid]
    _check_sequence(fresh, last_mid)
    _check_clocks(fresh, now_ms)
    rows = _lock_rows(session, fresh)
    referenced = {
        m.fields["account_id"].v
        for m in fresh
        if "account_id" in m.fields and isinstance(m.fields["account_id"].v, str)
    }
    # Only accounts already the user's (or shared with them): an account this request makes
    # is added by _may_attach once its own mutation is accepted, never for being named.
    attachable = visible_accounts(session, audience, referenced)
    rejected: list[Rejected] = []
    pending_conflicts: list[tuple[_Row, dict[str, Any]]] = []
    for mutation in fresh:
        reason = _merge_one(mutation, rows, audience, device_id, attachable, pending_conflicts)
        if reason is not None:
            rejected.append(Rejected(mid=mutation.mid, reason=reason))
    dirty = [row for _key, row in sorted(rows.items()) if row.dirty]
    return PendingWrite(device_id, fresh, last_mid, dirty, rejected, pending_conflicts, now_ms)


def _check_sequence(fresh: Sequence[Mutation], last_mid: int) -> None:
    expected = last_mid + 1
    for mutation in fresh:
        if mutation.mid != expected:
            raise SyncRefusedError(
                "mutation_gap",
                f"changes are missing before change {mutation.mid}: the server expected "
                f"{expected}. Nothing was applied.",
                expected_mid=expected,
            )
        expected += 1


def _check_clocks(fresh: Sequence[Mutation], now_ms: int) -> None:
    for mutation in fresh:
        for write in mutation.fields.values():
            try:
                ahead = is_too_far_ahead(write.hlc, now_ms)
            except InvalidHlcError:
                ahead = False  # reported per mutation by the merge
            if ahead:
                raise SyncRefusedError(
                    "clock_skew",
                    "This laptop's clock is more than 5 minutes ahead of the team server's. "
                    "Set the date and time correctly (automatic time), then sync again; "
                    "nothing was lost.",
                )


def _lock_rows(session: Session, fresh: Sequence[Mutation]) -> dict[tuple[str, str], _Row]:
    wanted: dict[str, set[str]] = {}
    for mutation in fresh:
        wanted.setdefault(mutation.table, set()).add(mutation.id)
    rows: dict[tuple[str, str], _Row] = {}
    for table in TABLE_ORDER:  # one lock order for every request: no deadlock between syncs
        ids = sorted(wanted.get(table, ()))
        if not ids:
            continue
        tbl = table_of(SERVER_RECORD_TABLES[table])
        for start in range(0, len(ids), 500):
            result = session.execute(
                sa.select(tbl)
                .where(tbl.c.id.in_(ids[start : start + 500]))
                .order_by(tbl.c.id)
                .with_for_update()
            ).mappings()
            for found in result:
                rows[(table, found["id"])] = _Row(table, dict(found), new=False)
    return rows


def _merge_one(
    mutation: Mutation,
    rows: dict[tuple[str, str], _Row],
    audience: Audience,
    device_id: str,
    attachable: set[str],
    pending_conflicts: list[tuple[_Row, dict[str, Any]]],
) -> str | None:
    """Merge one mutation into ``rows``; return why it was refused, or None."""
    table = mutation.table
    incoming = {name: write.v for name, write in mutation.fields.items()}
    row = rows.get((table, mutation.id))
    try:
        for write in mutation.fields.values():
            Hlc.decode(write.hlc)
        check_fields(table, mutation.id, incoming, complete=row is None)
        check_values(table, mutation.id, incoming)
    except InvalidHlcError as exc:
        return str(exc)
    except InvalidFieldValueError as exc:
        if row is None and str(exc).endswith("missing"):
            return f"{table} {mutation.id} is not known to the server"
        return str(exc)
    if row is not None and row.values["owner_id"] != audience.user_id:
        return f"{table} {mutation.id} belongs to someone else: only its owner can change it"
    account_id = incoming.get("account_id")
    if account_id is not None and not _may_attach(account_id, attachable, rows, audience):
        return f"account {account_id} is not one of yours or shared with you"
    if row is None:
        if mutation.cl % 2 == 0 and not incoming:
            return f"{table} {mutation.id} is not known to the server"
        values = {name: _stored(table, name, value) for name, value in incoming.items()}
        clocks = {name: write.hlc for name, write in mutation.fields.items()}
        row = _Row(
            table,
            {**values, "id": mutation.id, "owner_id": audience.user_id, "clocks": clocks,
             "cl": mutation.cl, "server_version": 0, "versions": {}},
            new=True,
        )  # fmt: skip
        row.changed_fields = set(incoming)
        rows[(table, mutation.id)] = row
        return None
    clocks = dict(row.values["clocks"])
    versions = row.values["versions"]
    for name, write in mutation.fields.items():
        mine = clock_of(clocks, name)
        theirs_version = versions.get(name, versions.get(DEFAULT_CLOCK, 0))
        stored_wire = encode_value(row.values[name])
        author = Hlc.decode(mine).device_id if mine else None
        wins = mine is None or write.hlc > mine
        if (
            theirs_version > mutation.base
            and author not in (None, device_id)
            and stored_wire != write.v
            and name not in row.changed_fields  # not a value this request already wrote
        ):
            pending_conflicts.append(
                (row, {"field": name, "yours": write.v, "theirs": stored_wire,
                       "author_device": author, "kept": "yours" if wins else "theirs"})
            )  # fmt: skip
        if wins:
            row.values[name] = _stored(table, name, write.v)
            clocks[name] = write.hlc
            row.changed_fields.add(name)
    row.values["clocks"] = clocks
    if mutation.cl > row.values["cl"]:
        row.values["cl"] = mutation.cl
        row.cl_changed = True
    return None


def _may_attach(
    account_id: str, attachable: set[str], rows: dict[tuple[str, str], _Row], audience: Audience
) -> bool:
    """The user's account, one shared with them, or one an accepted mutation of this request
    made (a refused mutation never reaches ``rows``): each mutation is judged on its own."""
    if account_id in attachable:
        return True
    made = rows.get(("account", account_id))
    return made is not None and made.new and made.values["owner_id"] == audience.user_id


def _stamp(row: _Row, version: int) -> None:
    row.values["server_version"] = version
    if row.new:
        row.values["versions"] = {DEFAULT_CLOCK: version}
        row.values["clocks"] = _compact(row.values["clocks"])
        return
    versions = dict(row.values["versions"])
    for name in row.changed_fields:
        versions[name] = version
    row.values["versions"] = versions


def _compact(clocks: dict[str, str]) -> dict[str, str]:
    stamps = [s for s in clocks.values() if s]
    if not stamps:
        return {}
    common = max(set(stamps), key=stamps.count)
    return {DEFAULT_CLOCK: common, **{k: v for k, v in clocks.items() if v and v != common}}


def _deletion(row: _Row, now: datetime) -> dict[str, Any]:
    """When the row became a tombstone, for the purge: set by a delete, cleared by an undelete,
    left as it is by an edit (a delete carries no clock stamp: the server's time is used)."""
    if not (row.new or row.cl_changed):
        return {}
    return {"deleted_at": None if is_alive(row.values["cl"]) else now}


def _write_rows(session: Session, dirty: list[_Row], now: datetime) -> None:
    for table in TABLE_ORDER:
        tbl = table_of(SERVER_RECORD_TABLES[table])
        new = [row for row in dirty if row.table == table and row.new]
        if new:
            columns = set(tbl.c.keys())
            session.execute(
                sa.insert(tbl),
                [
                    {k: v for k, v in {**row.values, **_deletion(row, now)}.items() if k in columns}
                    for row in new
                ],
            )
        for row in dirty:
            if row.table != table or row.new:
                continue
            changed = {name: row.values[name] for name in row.changed_fields}
            session.execute(
                sa.update(tbl)
                .where(tbl.c.id == row.values["id"])
                .values(**changed, clocks=row.values["clocks"], cl=row.values["cl"],
                        server_version=row.values["server_version"],
                        versions=row.values["versions"], **_deletion(row, now))
            )  # fmt: skip


def _server_stamp(fresh: Sequence[Mutation], now_ms: int) -> str:
    """A server clock stamp later than every stamp accepted in this request and than now."""
    clock = HybridClock(SERVER_CLOCK_ID, now_ms=lambda: now_ms)
    for mutation in fresh:
        for write in mutation.fields.values():
            try:
                clock.observe(write.hlc)
            except InvalidHlcError:
                continue
    return clock.tick()


def _take_versions(session: Session, count: int, stamp: str) -> tuple[range, str]:
    """``count`` consecutive server versions and the server clock advanced to ``stamp``, in
    one statement on the counter's row (its lock, held to commit, orders the versions)."""
    state = table_of(ServerState)
    stored = state.c.hlc
    if session.get_bind().dialect.name == "postgresql":
        stored = sa.collate(stored, "C")  # byte order: the stamps' order (no locale rules)
    last, clock = session.execute(
        sa.update(state)
        .where(state.c.id == 1)
        .values(
            last_server_version=state.c.last_server_version + count,
            hlc=sa.case((sa.or_(state.c.hlc.is_(None), stored < stamp), stamp), else_=state.c.hlc),
        )
        .returning(state.c.last_server_version, state.c.hlc)
    ).one()
    return range(last - count + 1, last + 1), clock


def _store_conflicts(
    session: Session, device_id: str, pending: list[tuple[_Row, dict[str, Any]]]
) -> list[Conflict]:
    """Keep this device's conflicts (returned: they go in this reply, and again until its
    cursor passes them) and, for each one its write won, the same conflict seen from the
    device whose value lost: that device hears of it at its next sync, with the row's new
    version (SYNC.md, "Conflicts": both writers are told). An ordinary conflict entry: a
    laptop of any version reads it."""
    if not pending:
        return []
    devices, users = table_of(Device), table_of(User)
    authors = {d for _, c in pending if (d := c["author_device"])}
    names = dict(
        session.execute(
            sa.select(devices.c.id, users.c.username)
            .join(users, users.c.id == devices.c.user_id)
            .where(devices.c.id.in_(sorted({*authors, device_id})))
        ).all()
    )
    conflicts, losers = [], []
    for row, c in pending:
        conflict = Conflict(
            table=row.table, id=row.values["id"], field=c["field"], yours=c["yours"],
            theirs=c["theirs"], their_author=names.get(c["author_device"], "another device"),
            kept=c["kept"], server_version=row.values["server_version"],
        )  # fmt: skip
        conflicts.append(conflict)
        if c["kept"] == "yours" and c["author_device"] in names:
            told = conflict.model_copy(update={
                "yours": conflict.theirs, "theirs": conflict.yours, "kept": "theirs",
                "their_author": names.get(device_id, "another device"),
            })  # fmt: skip
            losers.append((c["author_device"], told))
    now = utc_now()
    session.execute(
        sa.insert(table_of(SyncConflict)),
        [
            {"device_id": device, "table_name": c.table, "row_id": c.id, "field": c.field,
             "yours": c.yours, "theirs": c.theirs, "their_author": c.their_author,
             "kept": c.kept, "server_version": c.server_version, "created_at": now}
            for device, c in [*((device_id, c) for c in conflicts), *losers]
        ],
    )  # fmt: skip
    return conflicts
