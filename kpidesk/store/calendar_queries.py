"""What the calendar export and the debrief inbox read: my planned activities (deleted ones
too, so a calendar can cancel them) and the accounts and contacts an appointment may name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from kpidesk.domain.hlc import Hlc, InvalidHlcError
from kpidesk.domain.vocabulary import ActivityKind, ActivityPurpose
from kpidesk.store.meta import my_id
from kpidesk.store.queries import acc, act, alive, con


@dataclass(frozen=True, slots=True)
class CalendarActivity:
    id: str
    kind: ActivityKind
    purpose: ActivityPurpose
    due_at: datetime
    done_at: datetime | None
    notes: str | None
    account_name: str | None
    account_place: str | None  # address, else city
    contact_name: str | None
    deleted: bool
    created_at: datetime
    last_edit_ms: int | None  # the newest field stamp (deletion is not stamped)
    cl: int  # causal length: odd alive, even deleted; grows with each delete/undelete


def planned_activities(
    conn: sa.Connection, start: datetime | None, end: datetime | None
) -> list[CalendarActivity]:
    """My activities with a due date in [start, end), deleted ones included."""
    query = (
        sa.select(
            act.c.id,
            act.c.kind,
            act.c.purpose,
            act.c.due_at,
            act.c.done_at,
            act.c.notes,
            acc.c.name,
            sa.func.coalesce(acc.c.address, acc.c.city),
            con.c.name,
            act.c.cl,
            act.c.created_at,
            act.c.clocks,
        )
        .select_from(act)
        .outerjoin(acc, acc.c.id == act.c.account_id)
        .outerjoin(con, sa.and_(con.c.id == act.c.contact_id, alive(con)))
        .where(act.c.due_at.is_not(None), act.c.owner_id == my_id(conn))
        .order_by(act.c.due_at, act.c.id)
    )
    if start is not None:
        query = query.where(act.c.due_at >= start)
    if end is not None:
        query = query.where(act.c.due_at < end)
    return [
        CalendarActivity(
            id=r[0],
            kind=r[1],
            purpose=r[2],
            due_at=r[3],
            done_at=r[4],
            notes=r[5],
            account_name=r[6],
            account_place=r[7],
            contact_name=r[8],
            deleted=r[9] % 2 == 0,
            created_at=r[10],
            last_edit_ms=_newest_stamp_ms(r[11]),
            cl=r[9],
        )
        for r in conn.execute(query)
    ]


def _newest_stamp_ms(clocks: Any) -> int | None:
    newest = None
    for stamp in (clocks or {}).values():
        try:
            ms = Hlc.decode(stamp).physical_ms
        except InvalidHlcError:
            continue  # a foreign stamp must not stop an export
        newest = ms if newest is None else max(newest, ms)
    return newest


@dataclass(frozen=True, slots=True)
class AccountHint:
    """An account the debrief can match an appointment to, with the e-mail domains it uses."""

    id: str
    name: str
    email_domains: frozenset[str]


def my_account_hints(conn: sa.Connection) -> list[AccountHint]:
    """My live accounts, each with the e-mail domains of itself and its contacts."""
    me = my_id(conn)
    domains: dict[str, set[str]] = {}
    rows = conn.execute(
        sa.select(con.c.account_id, con.c.email).where(alive(con), con.c.email.is_not(None))
    )
    for account_id, email in rows:
        _add_domain(domains.setdefault(account_id, set()), email)
    hints = []
    for account_id, name, email in conn.execute(
        sa.select(acc.c.id, acc.c.name, acc.c.email)
        .where(alive(acc), acc.c.owner_id == me)
        .order_by(acc.c.name)
    ):
        found = domains.get(account_id, set())
        _add_domain(found, email)
        hints.append(AccountHint(account_id, name, frozenset(found)))
    return hints


def _add_domain(into: set[str], email: str | None) -> None:
    if email and "@" in email:
        into.add(email.rsplit("@", 1)[1].strip().lower())


def my_done_times(
    conn: sa.Connection, start: datetime, end: datetime
) -> list[tuple[datetime, str]]:
    """(done_at, account_id) of my live activities done in [start, end)."""
    query = sa.select(act.c.done_at, act.c.account_id).where(
        alive(act),
        act.c.owner_id == my_id(conn),
        act.c.done_at >= start,
        act.c.done_at < end,
    )
    return [(r[0], r[1]) for r in conn.execute(query)]
