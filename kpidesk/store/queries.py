"""Read-only queries behind the lists the rep browses.

They return plain SQL rows (tuples) in the column order of the services' result types
(``kpidesk.services.rows``), each ending with the record's ``owner_id``: lists show colleagues'
records too (named, read-only); ``mine=True`` keeps the signed-in rep's own.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from kpidesk.domain import references
from kpidesk.domain.vocabulary import (
    AccountStatus,
    ActivityKind,
    ActivityPurpose,
    OfferStatus,
    Temperature,
)
from kpidesk.store.meta import my_id
from kpidesk.store.tables import Account, Activity, Contact, Offer, table_of

acc: Any = Account.__table__  # type: ignore[attr-defined]
act: Any = Activity.__table__  # type: ignore[attr-defined]
off: Any = Offer.__table__  # type: ignore[attr-defined]
con: Any = Contact.__table__  # type: ignore[attr-defined]


def alive(table: Any) -> Any:
    return table.c.cl % 2 == 1


def among(column: Any, ids: Collection[str]) -> Any:
    """``column IN ids``, the ids passed as one JSON parameter: a drill-down may hold tens of
    thousands of ids, more than SQLite accepts as separate parameters."""
    each = sa.func.json_each(json.dumps(sorted(ids))).table_valued("value")
    return column.in_(sa.select(each.c.value))


def list_accounts(
    conn: sa.Connection,
    ids: Collection[str] | None = None,
    *,
    mine: bool = False,
    or_hot_prospects: bool = False,
) -> list[sa.Row[Any]]:
    """Every live account (or those of ``ids``) with its last contact and open (sent) offers.

    ``or_hot_prospects`` adds the hot prospects to ``ids`` (the Today view's hot list). The
    per-account figures are correlated subqueries, each one index search: grouping the whole
    activity history first cost 5x more on 20 years and grew with it.
    """
    last_contact = (
        sa.select(sa.func.max(act.c.done_at))
        .where(alive(act), act.c.account_id == acc.c.id, act.c.done_at.is_not(None))
        .scalar_subquery()
    )
    sent = sa.and_(alive(off), off.c.account_id == acc.c.id, off.c.status == OfferStatus.SENT.value)
    open_count = sa.select(sa.func.count()).where(sent).scalar_subquery()
    open_amount = sa.select(sa.func.sum(off.c.amount_cents)).where(sent).scalar_subquery()
    query = (
        sa.select(
            acc.c.id,
            acc.c.name,
            acc.c.status,
            acc.c.temperature,
            acc.c.city,
            acc.c.sector,
            sa.type_coerce(last_contact, act.c.done_at.type),
            open_count,
            sa.func.coalesce(open_amount, 0),
            acc.c.owner_id,
        )
        .where(alive(acc))
        .order_by(acc.c.name)
    )
    if ids is not None:
        chosen = among(acc.c.id, ids)
        if or_hot_prospects:
            hot = sa.and_(
                acc.c.status == AccountStatus.PROSPECT.value,
                acc.c.temperature == Temperature.HOT.value,
            )
            chosen = sa.or_(chosen, hot)
        query = query.where(chosen)
    if mine:
        query = query.where(acc.c.owner_id == my_id(conn))
    return list(conn.execute(query))


def list_contacts(conn: sa.Connection, account_id: str) -> list[sa.Row[Any]]:
    query = (
        sa.select(
            con.c.id,
            con.c.account_id,
            con.c.name,
            con.c.role,
            con.c.phone,
            con.c.email,
            con.c.owner_id,
        )
        .where(alive(con), con.c.account_id == account_id)
        .order_by(con.c.name)
    )
    return list(conn.execute(query))


@dataclass(frozen=True)
class ActivityFilter:
    kinds: frozenset[ActivityKind] | None = None
    purposes: frozenset[ActivityPurpose] | None = None
    account_id: str | None = None
    offer_id: str | None = None
    start: datetime | None = None  # [start, end) on the done date, else the due date
    end: datetime | None = None
    planned: bool | None = None  # True: planned only, False: done only, None: both
    limit: int | None = None
    ids: frozenset[str] | None = None  # only these activities (an indicator's drill-down)
    mine: bool = False  # only the signed-in rep's own


def list_activities(
    conn: sa.Connection, flt: ActivityFilter = ActivityFilter()
) -> list[sa.Row[Any]]:
    when = sa.func.coalesce(act.c.done_at, act.c.due_at)
    query = (
        sa.select(
            act.c.id,
            act.c.account_id,
            acc.c.name,
            act.c.offer_id,
            act.c.kind,
            act.c.purpose,
            act.c.due_at,
            act.c.done_at,
            act.c.outcome,
            act.c.notes,
            act.c.private_note,
            act.c.owner_id,
        )
        .select_from(act)
        .outerjoin(acc, acc.c.id == act.c.account_id)
        .where(alive(act))
        .order_by(when.desc(), act.c.id.desc())
    )
    if flt.kinds:
        query = query.where(act.c.kind.in_([k.value for k in flt.kinds]))
    if flt.purposes:
        query = query.where(act.c.purpose.in_([p.value for p in flt.purposes]))
    if flt.account_id:
        query = query.where(act.c.account_id == flt.account_id)
    if flt.ids is not None:
        query = query.where(among(act.c.id, flt.ids))
    if flt.offer_id:
        query = query.where(act.c.offer_id == flt.offer_id)
    if flt.planned is True:
        query = query.where(act.c.done_at.is_(None))
    elif flt.planned is False:
        query = query.where(act.c.done_at.is_not(None))
    when_typed = sa.type_coerce(when, act.c.done_at.type)
    if flt.start is not None:
        query = query.where(when_typed >= flt.start)
    if flt.end is not None:
        query = query.where(when_typed < flt.end)
    if flt.mine:
        query = query.where(act.c.owner_id == my_id(conn))
    if flt.limit:
        query = query.limit(flt.limit)
    return list(conn.execute(query))


@dataclass(frozen=True)
class OfferFilter:
    statuses: frozenset[OfferStatus] | None = None
    account_id: str | None = None
    ids: frozenset[str] | None = None  # only these offers (an indicator's drill-down)
    mine: bool = False  # only the signed-in rep's own


def list_offers(conn: sa.Connection, flt: OfferFilter) -> list[sa.Row[Any]]:
    # One index search per listed offer (not a grouping of the whole activity history).
    last_activity = (
        sa.select(sa.func.max(act.c.done_at))
        .where(alive(act), act.c.offer_id == off.c.id, act.c.done_at.is_not(None))
        .scalar_subquery()
    )
    query = (
        sa.select(
            off.c.id,
            off.c.account_id,
            acc.c.name,
            acc.c.temperature,
            off.c.reference,
            off.c.title,
            off.c.amount_cents,
            off.c.margin_cents,
            off.c.currency,
            off.c.status,
            off.c.sent_at,
            off.c.decided_at,
            off.c.lost_reason,
            off.c.probability,
            sa.type_coerce(last_activity, act.c.done_at.type),
            off.c.owner_id,
        )
        .select_from(off)
        .outerjoin(acc, acc.c.id == off.c.account_id)
        .where(alive(off))
        .order_by(sa.func.coalesce(off.c.sent_at, off.c.created_at).desc())
    )
    if flt.statuses:
        query = query.where(off.c.status.in_([s.value for s in flt.statuses]))
    if flt.account_id:
        query = query.where(off.c.account_id == flt.account_id)
    if flt.ids is not None:
        query = query.where(among(off.c.id, flt.ids))
    if flt.mine:
        query = query.where(off.c.owner_id == my_id(conn))
    return list(conn.execute(query))


def get_row(conn: sa.Connection, table: Any, row_id: str) -> dict[str, Any] | None:
    """One live row (of a table, or a table named by its record kind) as a dict, or None."""
    if isinstance(table, str):
        table = table_of(table)
    row = (
        conn.execute(sa.select(table).where(table.c.id == row_id, alive(table))).mappings().first()
    )
    return dict(row) if row else None


def next_offer_reference(conn: sa.Connection, year: int, tag: str) -> str:
    """The next free "YYYY-TAG-NNN" reference of this year on this laptop (domain.references)."""
    prefix = references.reference_prefix(year, tag)
    taken = conn.execute(
        sa.select(off.c.reference).where(off.c.reference.like(f"{prefix}%"))
    ).scalars()
    return references.numbered(year, tag, references.next_number(prefix, list(taken)))
