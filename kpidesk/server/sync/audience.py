"""Who may read and write which rows (SYNC.md, "Visibility"). The server checks every row of
every mutation against this; a laptop never decides what it may see.

- A rep pulls their own records and the accounts shared with them (with those accounts'
  contacts and offers); they write only their own rows.
- A manager also pulls, read-only, the accounts and offers of the reps in the teams they lead,
  and the activities of those reps who chose to share them.
- Private notes never reach the server: no synced record has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kpidesk.protocol.auth import Role
from kpidesk.server.tables import (
    SERVER_RECORD_TABLES,
    AccountShare,
    Device,
    Team,
    TeamMember,
    User,
    table_of,
)


@dataclass(frozen=True)
class Audience:
    user_id: str
    role: Role
    team_reps: frozenset[str]  # users in the teams this user leads
    activity_sharers: frozenset[str]  # those of them who share their activities

    def readable(self, table: str, columns: Any) -> Any:
        """A SQL condition on ``columns`` (a table's ``.c``) for the rows this user may pull."""
        own = columns.owner_id == self.user_id
        shares = table_of(AccountShare)
        shared_accounts = sa.select(shares.c.account_id).where(shares.c.user_id == self.user_id)
        condition = own
        if table == "account":
            condition = sa.or_(condition, columns.id.in_(shared_accounts))
        elif table in ("contact", "offer"):
            condition = sa.or_(condition, columns.account_id.in_(shared_accounts))
        if self.team_reps and table in ("account", "offer"):
            condition = sa.or_(condition, columns.owner_id.in_(sorted(self.team_reps)))
        if self.activity_sharers and table == "activity":
            condition = sa.or_(condition, columns.owner_id.in_(sorted(self.activity_sharers)))
        return condition


def audience_for(session: Session, user_id: str, role: Role) -> Audience:
    reps: frozenset[str] = frozenset()
    sharers: frozenset[str] = frozenset()
    if role in (Role.MANAGER, Role.ADMIN):
        team, member, user = table_of(Team), table_of(TeamMember), table_of(User)
        rows = session.execute(
            sa.select(user.c.id, user.c.shares_activities)
            .join(member, member.c.user_id == user.c.id)
            .join(team, team.c.id == member.c.team_id)
            .where(team.c.manager_id == user_id, user.c.id != user_id)
        ).all()
        reps = frozenset(r.id for r in rows)
        sharers = frozenset(r.id for r in rows if r.shares_activities)
    return Audience(user_id, role, reps, sharers)


def resync_devices_of(session: Session, user_ids: set[str]) -> None:
    """What these users may see changed: their devices pull everything again at next sync
    (newly visible rows arrive, rows no longer visible go)."""
    if user_ids:
        devices = table_of(Device)
        update_devices(session, devices.c.user_id.in_(sorted(user_ids)), resync_needed=True)


def update_devices(session: Session, condition: Any, **values: Any) -> int:
    """Update several device rows, locking them first in id order: the order the purge locks
    every device in (and a sync locks its own). A plain multi-row UPDATE locks rows in the
    order it finds them, and could deadlock with a purge on PostgreSQL (it holding one row the
    purge waits for, waiting for one the purge holds). Returns how many rows changed."""
    devices = table_of(Device)
    ids = list(
        session.execute(
            sa.select(devices.c.id).where(condition).order_by(devices.c.id).with_for_update()
        ).scalars()
    )
    if ids:
        session.execute(sa.update(devices).where(devices.c.id.in_(ids)).values(**values))
    return len(ids)


def managers_of(session: Session, user_id: str) -> set[str]:
    """The managers of the teams ``user_id`` is a member of."""
    team, member = table_of(Team), table_of(TeamMember)
    return set(
        session.execute(
            sa.select(team.c.manager_id)
            .join(member, member.c.team_id == team.c.id)
            .where(member.c.user_id == user_id)
        ).scalars()
    )


def visible_accounts(session: Session, audience: Audience, account_ids: set[str]) -> set[str]:
    """Which of ``account_ids`` this user may attach their own records to: their own accounts
    and those shared with them (not a team member's account they only read)."""
    if not account_ids:
        return set()
    account = table_of(SERVER_RECORD_TABLES["account"])
    shares = table_of(AccountShare)
    shared = sa.select(shares.c.account_id).where(shares.c.user_id == audience.user_id)
    rows = session.execute(
        sa.select(account.c.id).where(
            account.c.id.in_(sorted(account_ids)),
            sa.or_(account.c.owner_id == audience.user_id, account.c.id.in_(shared)),
        )
    ).scalars()
    return set(rows)
