"""What the calendar export and the debrief inbox read: my planned activities (deleted ones
too, so a calendar can cancel them), my sent offers with what their follow-up reminder needs,
and the accounts and contacts an appointment may name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from kpidesk.domain.hlc import Hlc, InvalidHlcError
from kpidesk.domain.vocabulary import ActivityKind, ActivityPurpose, OfferStatus
from kpidesk.store.meta import my_id
from kpidesk.store.queries import acc, act, alive, con, off


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


@dataclass(frozen=True, slots=True)
class CalendarOffer:
    """One of my offers that was sent, with what its follow-up reminder is made of."""

    id: str
    reference: str
    title: str
    status: OfferStatus
    account_name: str | None
    account_place: str | None
    sent_at: datetime
    decided_at: datetime | None
    deleted: bool
    created_at: datetime
    last_follow_up_at: datetime | None  # my newest follow-up since sent (until decided)
    follow_up_planned: bool  # something is planned on the offer or its account
    # Grows with every change of the offer or of an activity on it: the event's SEQUENCE.
    changed_ms: int | None
    cl_total: int  # the causal lengths of the offer and those activities, summed


def sent_offers(conn: sa.Connection) -> list[CalendarOffer]:
    """My offers with a sent date (deleted ones too). Their follow-ups are counted as the
    ``follow_up_stale_offer`` suggestion counts them: my follow-up activities done since the
    offer was sent, on the offer or its account; planned: my live planned activity there."""
    me = my_id(conn)
    offers = conn.execute(
        sa.select(
            off.c.id, off.c.reference, off.c.title, off.c.status, off.c.account_id, acc.c.name,
            sa.func.coalesce(acc.c.address, acc.c.city), off.c.sent_at, off.c.cl,
            off.c.created_at, off.c.clocks, off.c.decided_at,
        )
        .select_from(off)
        .outerjoin(acc, acc.c.id == off.c.account_id)
        .where(off.c.sent_at.is_not(None), off.c.owner_id == me)
        .order_by(off.c.sent_at, off.c.id)
    ).all()  # fmt: skip
    accounts = {r[4] for r in offers}
    by_offer: dict[str, list[Any]] = {}
    by_account: dict[str, list[Any]] = {}
    for row in conn.execute(
        sa.select(act.c.offer_id, act.c.account_id, act.c.purpose, act.c.done_at, act.c.due_at,
                  act.c.cl, act.c.clocks)
        .where(act.c.owner_id == me, act.c.account_id.in_(accounts))
    ):  # fmt: skip
        by_account.setdefault(row[1], []).append(row)
        if row[0] is not None:
            by_offer.setdefault(row[0], []).append(row)
    return [_calendar_offer(r, by_offer.get(r[0], []), by_account.get(r[4], [])) for r in offers]


def _calendar_offer(r: Any, on_offer: list[Any], on_account: list[Any]) -> CalendarOffer:
    sent_at = r[7]
    deciding = {id(a): a for a in on_offer + on_account}
    live = [a for a in deciding.values() if a[5] % 2 == 1]
    decided_at = r[11]
    # Since it was sent, and until it was decided: a later follow-up is about something else.
    follow_ups = [a[3] for a in live
                  if a[2] == ActivityPurpose.FOLLOW_UP and a[3] is not None and a[3] >= sent_at
                  and (decided_at is None or a[3] <= decided_at)]  # fmt: skip
    planned = any(a[3] is None and a[4] is not None for a in live)
    # The stamps of every activity there, deleted ones too: one that stopped deciding the
    # reminder (a planned call marked done) must still count, or the sequence would go back.
    clocks = [r[10], *(a[6] for a in deciding.values())]
    stamps = [ms for ms in map(_newest_stamp_ms, clocks) if ms is not None]
    return CalendarOffer(
        id=r[0], reference=r[1], title=r[2], status=OfferStatus(r[3]), account_name=r[5],
        account_place=r[6], sent_at=sent_at, decided_at=decided_at, deleted=r[8] % 2 == 0,
        created_at=r[9],
        last_follow_up_at=max(follow_ups, default=None), follow_up_planned=planned,
        changed_ms=max(stamps, default=None),
        cl_total=r[8] + sum(a[5] for a in deciding.values()),
    )  # fmt: skip


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
