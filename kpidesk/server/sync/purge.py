"""Purging old tombstones (SYNC.md, "Deletions").

A deleted row stays as a tombstone so every device hears of the deletion. Once every device
that can still sync has synced past it (its ``synced_to``, see read_changes) and it was deleted
long enough ago, it is deleted for good and ``purged_before`` moves up: a device that comes
back with an older cursor (a revoked laptop signed in again, a laptop restored from an old
copy) is told to pull everything again, and drops what the server no longer has.

Run from ``kpidesk-server purge``, typically daily from cron.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kpidesk.server.db import current_server_version
from kpidesk.server.sync.mutations import TABLE_ORDER
from kpidesk.server.tables import (
    SERVER_RECORD_TABLES,
    Device,
    ServerState,
    SyncConflict,
    User,
    table_of,
)

DEFAULT_AGE = timedelta(days=90)
_ID_CHUNK = 500


@dataclass(frozen=True)
class HoldingDevice:
    """A device that can still sync but has not synced past some old tombstones."""

    id: str
    name: str
    username: str
    last_seen_at: datetime | None
    synced_to: int


@dataclass(frozen=True)
class PurgeReport:
    older_than: timedelta
    dry_run: bool
    horizon: int  # tombstones up to this version were synced by every device that can sync
    purged: dict[str, int] = field(default_factory=dict)  # table -> rows purged (or purgeable)
    kept: dict[str, int] = field(default_factory=dict)  # table -> old enough, held back
    holders: list[HoldingDevice] = field(default_factory=list)
    highest_purged: int = 0  # the highest server_version purged (0: none)

    @property
    def total_purged(self) -> int:
        return sum(self.purged.values())

    @property
    def total_kept(self) -> int:
        return sum(self.kept.values())


@dataclass(frozen=True)
class _DeviceRow:
    device: HoldingDevice
    can_sync: bool


def purge_tombstones(
    session: Session, *, now: datetime, older_than: timedelta = DEFAULT_AGE, dry_run: bool = False
) -> PurgeReport:
    """Purge, in the caller's transaction, the tombstones deleted more than ``older_than``
    before ``now`` that every device able to sync has synced past; with ``dry_run``, only
    count them.

    Every device row is locked first (not in a dry run): a sync locks its device row before
    reading anything, so no sync reads while rows vanish under it, and one that starts after
    the purge sees the new ``purged_before``. Syncs wait for the purge, which is short.
    """
    if older_than < timedelta(0):
        raise ValueError("older_than must not be negative")
    devices = _devices(session, lock=not dry_run)
    able = [row.device for row in devices if row.can_sync]
    horizon = min((d.synced_to for d in able), default=current_server_version(session))
    cutoff = now - older_than
    purged: dict[str, int] = {}
    kept: dict[str, int] = {}
    highest_purged = highest_kept = 0
    for table in TABLE_ORDER:
        tbl = table_of(SERVER_RECORD_TABLES[table])
        old = sa.and_(tbl.c.cl % 2 == 0, tbl.c.deleted_at < cutoff)
        synced = tbl.c.server_version <= horizon
        if dry_run:
            count, top = _count(session, tbl, old, synced)
        else:
            count, top = _delete(session, table, tbl, old, synced)
        purged[table], highest_purged = count, max(highest_purged, top)
        kept[table], top = _count(session, tbl, old, sa.not_(synced))
        highest_kept = max(highest_kept, top)
    if highest_purged and not dry_run:
        _raise_purged_before(session, highest_purged)
    holders = sorted(
        (d for d in able if d.synced_to < highest_kept), key=lambda d: (d.synced_to, d.name)
    )
    return PurgeReport(older_than, dry_run, horizon, purged, kept, holders, highest_purged)


def _devices(session: Session, *, lock: bool) -> list[_DeviceRow]:
    devices, users = table_of(Device), table_of(User)
    query = (
        sa.select(
            devices.c.id, devices.c.name, devices.c.last_seen_at, devices.c.revoked_at,
            devices.c.synced_to, users.c.username, users.c.disabled,
        )
        .join(users, users.c.id == devices.c.user_id)
        .order_by(devices.c.id)  # one lock order, as every sync locks its own row
    )  # fmt: skip
    if lock:
        query = query.with_for_update(of=devices)
    return [
        _DeviceRow(
            HoldingDevice(r.id, r.name, r.username, r.last_seen_at, r.synced_to),
            can_sync=r.revoked_at is None and not r.disabled,
        )
        for r in session.execute(query)
    ]


def _count(session: Session, tbl: Any, *conditions: Any) -> tuple[int, int]:
    count, top = session.execute(
        sa.select(sa.func.count(), sa.func.max(tbl.c.server_version)).where(*conditions)
    ).one()
    return count, top or 0


def _delete(session: Session, table: str, tbl: Any, *conditions: Any) -> tuple[int, int]:
    """Delete in one statement that checks every condition again row by row: a tombstone
    undeleted or edited meanwhile has a new version (or is alive) and stays."""
    gone = session.execute(
        sa.delete(tbl).where(*conditions).returning(tbl.c.id, tbl.c.server_version)
    ).all()
    _forget_conflicts(session, table, [row.id for row in gone])
    return len(gone), max((row.server_version for row in gone), default=0)


def _forget_conflicts(session: Session, table: str, row_ids: Sequence[str]) -> None:
    conflicts = table_of(SyncConflict)
    for start in range(0, len(row_ids), _ID_CHUNK):
        session.execute(
            sa.delete(conflicts).where(
                conflicts.c.table_name == table,
                conflicts.c.row_id.in_(row_ids[start : start + _ID_CHUNK]),
            )
        )


def _raise_purged_before(session: Session, version: int) -> None:
    # Never lowered: a later purge of fewer rows must not let old cursors through again.
    state = table_of(ServerState)
    session.execute(
        sa.update(state)
        .where(state.c.id == 1, state.c.purged_before < version)
        .values(purged_before=version)
    )
