"""A rep's live rows (``cl`` odd) of their own records, as the domain's ``RepBook``.

Only the columns the team view computes from are read: no note, no contact, nothing of a
record another user owns (an account shared with the rep stays its owner's).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kpidesk.domain.coaching import (
    BookAccount,
    BookActivity,
    BookObjective,
    BookOffer,
    RepBook,
)
from kpidesk.server.tables import SERVER_RECORD_TABLES, table_of

_ACCOUNT = table_of(SERVER_RECORD_TABLES["account"])
_OFFER = table_of(SERVER_RECORD_TABLES["offer"])
_ACTIVITY = table_of(SERVER_RECORD_TABLES["activity"])
_OBJECTIVE = table_of(SERVER_RECORD_TABLES["objective"])
BOOK_TABLES = (_ACCOUNT, _OFFER, _ACTIVITY, _OBJECTIVE)  # what a book is read from (no contact)


def _live_of(table: sa.Table, rep_id: str) -> list[sa.ColumnElement[bool]]:
    return [table.c.owner_id == rep_id, table.c.cl % 2 == 1]


def book_of(session: Session, rep_id: str, rep_name: str, shares_activities: bool) -> RepBook:
    a, o, v, j = _ACCOUNT, _OFFER, _ACTIVITY, _OBJECTIVE
    accounts = tuple(
        BookAccount(r.id, r.name, r.status, r.temperature, r.created_at, r.city)
        for r in session.execute(
            sa.select(a.c.id, a.c.name, a.c.status, a.c.temperature, a.c.created_at, a.c.city)
            .where(*_live_of(a, rep_id))
            .order_by(a.c.id)
        )
    )
    offers = tuple(
        BookOffer(
            r.id,
            r.account_id,
            r.reference or r.title,
            r.amount_cents,
            r.currency,
            r.status,
            r.sent_at,
            r.decided_at,
            r.probability,
        )
        for r in session.execute(
            sa.select(
                o.c.id,
                o.c.account_id,
                o.c.reference,
                o.c.title,
                o.c.amount_cents,
                o.c.currency,
                o.c.status,
                o.c.sent_at,
                o.c.decided_at,
                o.c.probability,
            )
            .where(*_live_of(o, rep_id))
            .order_by(o.c.id)
        )
    )
    activities = tuple(
        BookActivity(r.id, r.account_id, r.offer_id, r.kind, r.purpose, r.due_at, r.done_at)
        for r in session.execute(
            sa.select(
                v.c.id, v.c.account_id, v.c.offer_id, v.c.kind, v.c.purpose, v.c.due_at, v.c.done_at
            )
            .where(*_live_of(v, rep_id))
            .order_by(v.c.id)
        )
    )
    objectives = tuple(
        BookObjective(r.kpi_key, r.period_kind, r.target)
        for r in session.execute(
            sa.select(j.c.kpi_key, j.c.period_kind, j.c.target)
            .where(*_live_of(j, rep_id))
            .order_by(j.c.kpi_key, j.c.period_kind, j.c.id)
        )
    )
    return RepBook(
        rep_id=rep_id,
        rep_name=rep_name,
        shares_activities=shares_activities,
        accounts=accounts,
        offers=offers,
        activities=activities,
        objectives=objectives,
    )
