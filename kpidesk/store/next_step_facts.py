"""The facts of the ``no_next_step`` suggestion: the rep's accounts with nothing planned that
have an open offer sent, or are a hot prospect contacted, within the window.

Neither grows with the years of history: the offers are read from the window
(``offer.status, sent_at`` is indexed), the hot prospects from their own index (a handful),
each then looked up in the window through ``activity.account_id, done_at``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from kpidesk.domain.suggestions import NextStepGap, OpenOffer

# Nothing planned by the rep on the account: no activity with a due time and not done, overdue
# or not (an overdue step has its own suggestion, "do it now or move it").
_NOTHING_PLANNED = """NOT EXISTS (SELECT 1 FROM activity p
     WHERE p.cl % 2 = 1 AND p.done_at IS NULL AND p.due_at IS NOT NULL AND p.owner_id = :me
       AND p.account_id = a.id)"""

_LAST_CONTACT = """(SELECT max(t.done_at) FROM activity t
     WHERE t.cl % 2 = 1 AND t.account_id = a.id AND t.done_at IS NOT NULL
       AND t.owner_id = :me)"""


def _text(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _instant(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


def read_next_step_gaps(
    conn: sa.Connection, me: str, now: datetime, window_days: int
) -> list[NextStepGap]:
    params: dict[str, Any] = {"me": me, "since": _text(now - timedelta(days=window_days))}
    offers = conn.execute(sa.text(f"""
        SELECT o.id, o.account_id, a.name, a.status, a.temperature, a.clocks AS account_clocks,
               o.reference, o.amount_cents, o.currency, o.sent_at, o.clocks,
               {_LAST_CONTACT} AS last_contact
          FROM offer o JOIN account a ON a.id = o.account_id AND a.cl % 2 = 1
         WHERE o.cl % 2 = 1 AND o.status = 'sent' AND o.sent_at >= :since
           AND o.owner_id = :me AND {_NOTHING_PLANNED}"""), params)  # fmt: skip
    gaps = [
        NextStepGap(
            r.account_id, r.name, r.status == "prospect" and r.temperature == "hot",
            _instant(r.last_contact),
            OpenOffer(r.id, r.account_id, r.name, r.reference, r.amount_cents, r.currency,
                      _instant(r.sent_at), None, False, r.clocks),  # type: ignore[arg-type]
            # (its follow-up fields stay empty: the stale-offer rule reads those, not this one)
            r.account_clocks,
        )
        for r in offers
    ]  # fmt: skip
    hot = conn.execute(sa.text(f"""
        SELECT a.id, a.name, a.clocks, {_LAST_CONTACT} AS last_contact
          FROM account a
         WHERE a.cl % 2 = 1 AND a.owner_id = :me
           AND a.status = 'prospect' AND a.temperature = 'hot'
           -- From each hot prospect to its activities of the window: starting from every
           -- activity of the window instead (an IN list) read 60 times as many rows.
           AND EXISTS (SELECT 1 FROM activity c
                        WHERE c.account_id = a.id AND c.done_at >= :since
                          AND c.cl % 2 = 1 AND c.owner_id = :me)
           AND {_NOTHING_PLANNED}"""), params)  # fmt: skip
    gaps += [NextStepGap(r.id, r.name, True, _instant(r.last_contact), None, r.clocks) for r in hot]
    return gaps
