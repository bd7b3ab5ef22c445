"""The SQL behind the indicators: it reads a period's facts, the domain computes the values.

Every indicator is the signed-in rep's own (``owner_id = :me``): a laptop also holds colleagues'
records (accounts shared with the rep, a manager's read-only team pipeline), and none of them
counts in "my" numbers.

Every query filters an indexed column by a range (``done_at``, ``sent_at``, ``decided_at``,
``created_at``) and keeps live rows only (``cl % 2 = 1``). Instants are compared as the fixed-width
UTC text SQLite stores (``YYYY-MM-DD HH:MM:SS.ffffff``), so the comparisons are exact and use the
indexes.

Each list of records is read either with its ids (one ``group_concat`` string: building thousands
of Python rows would cost more than the query) or, for periods the report only compares with, as
a count. The two forms come from one template, so they cannot disagree on what is counted.

Plain DB-API execution (no SQL expression compilation, no per-row type processing) keeps the
round trips cheap; the timestamps that the computation needs are parsed here, once.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from kpidesk.domain.kpis.facts import Counted, Fact, NewClient, OpenOffer, PeriodFacts, WonOffer
from kpidesk.domain.kpis.settings import FOLLOW_UP_WINDOW_DAYS
from kpidesk.domain.periods import Period, one_year_before
from kpidesk.domain.timeutil import require_aware
from kpidesk.domain.vocabulary import PeriodKind, Temperature
from kpidesk.store.meta import my_id

SEP = "\x1f"  # ASCII unit separator: cannot occur in a record id


class _Listing:
    """A query template whose ``{list(x)}`` aggregates become ids or counts."""

    def __init__(self, template: str) -> None:
        # The separator is a literal: written char(31), SQLite called char() for every row and
        # every list (half the cost of a year's four activity lists, 10,000 rows).
        separator = f"'{SEP}'"
        self.ids = template.replace("{list(", "group_concat((").replace(")}", f"), {separator})")
        self.counts = template.replace("{list(", "count((").replace(")}", "))")

    def read(self, cursor: sqlite3.Cursor, params: dict[str, Any], with_ids: bool) -> list[Counted]:
        row = cursor.execute(self.ids if with_ids else self.counts, params).fetchone()
        if with_ids:
            return [Counted.of(_split(joined)) for joined in row]
        return [Counted(count) for count in row]


# One pass over the activities done in P: visits (prospecting or not), calls, follow-ups.
_ACTIVITIES = _Listing("""
SELECT {list(CASE WHEN kind = 'visit' AND purpose = 'prospecting' THEN id END)},
       {list(CASE WHEN kind = 'visit' AND purpose != 'prospecting' THEN id END)},
       {list(CASE WHEN kind = 'call' THEN id END)},
       {list(CASE WHEN purpose = 'follow_up' THEN id END)}
FROM activity
WHERE done_at >= :start AND done_at < :end AND cl % 2 = 1 AND owner_id = :me
""")

_SENT = _Listing("""
SELECT {list(id)}
FROM offer
WHERE sent_at >= :start AND sent_at < :end AND status != 'draft' AND cl % 2 = 1
  AND owner_id = :me
""")

# follow_up_rate: the offers sent in P at least 7 days before :at, split by whether they were
# followed up within [sent_at, sent_at + 7 days). The window's end keeps the sent time to the
# microsecond: UTC days all last 24 hours, so only the date moves (read from the date part alone,
# since date() on a full timestamp rounds 23:59:59.9995 up to the next day). The subquery names
# the verdict once, so the EXISTS lookups run once per offer.
_FOLLOW_UP_WINDOWS = _Listing("""
SELECT {list(CASE WHEN followed THEN id END)}, {list(CASE WHEN NOT followed THEN id END)}
FROM (
  SELECT o.id,
    coalesce(o.decided_at >= o.sent_at AND o.decided_at < o.window_end, 0)
    OR EXISTS (
      SELECT 1 FROM activity f
      WHERE f.offer_id = o.id AND f.done_at >= o.sent_at AND f.done_at < o.window_end
        AND f.purpose = 'follow_up' AND f.cl % 2 = 1 AND f.owner_id = :me)
    OR EXISTS (
      SELECT 1 FROM activity f
      WHERE f.account_id = o.account_id AND f.done_at >= o.sent_at AND f.done_at < o.window_end
        AND f.purpose = 'follow_up' AND f.cl % 2 = 1 AND f.owner_id = :me) AS followed
  FROM (
    SELECT id, account_id, sent_at, decided_at,
      date(substr(sent_at, 1, 10), '+7 days') || substr(sent_at, 11) AS window_end
    FROM offer
    WHERE sent_at >= :start AND sent_at < :end AND sent_at <= :latest_sent
      AND status != 'draft' AND cl % 2 = 1 AND owner_id = :me) o
  -- A LIMIT keeps SQLite from flattening this subquery into the outer one, which would
  -- evaluate the verdict (and its lookups) once per CASE.
  LIMIT -1)
""")

# One pass over the offers decided in P: the won ones with what the money needs, the lost and
# abandoned ones by id (reading them in a second query read the same index range again).
_DECIDED = """
SELECT status, id, amount_cents, margin_cents, currency, sent_at, decided_at
FROM offer
WHERE status IN ('won', 'lost', 'abandoned') AND decided_at >= :start AND decided_at < :end
  AND cl % 2 = 1 AND owner_id = :me
"""

# First wins: a won offer of mine in the period with no earlier win of the same account (by
# anyone: an account a colleague already won was a client before my offer).
_NEW_CLIENTS = """
SELECT o.account_id, max(a.source = 'referral')
FROM offer o JOIN account a ON a.id = o.account_id AND a.cl % 2 = 1
WHERE o.decided_at >= :start AND o.decided_at < :end AND o.status = 'won' AND o.cl % 2 = 1
  AND o.owner_id = :me
  AND NOT EXISTS (
    SELECT 1 FROM offer p
    WHERE p.account_id = o.account_id AND p.status = 'won' AND p.cl % 2 = 1
      AND p.decided_at < o.decided_at)
GROUP BY o.account_id
"""

# Active clients at an instant: an offer of mine won in the 12 months before it. One read of
# the wins over the union of the windows serves every instant of a report (see ActiveClients).
_WINS = """
SELECT o.account_id, o.decided_at
FROM offer o JOIN account a ON a.id = o.account_id AND a.cl % 2 = 1
WHERE o.status = 'won' AND o.decided_at >= :start AND o.decided_at < :end AND o.cl % 2 = 1
  AND o.owner_id = :me
ORDER BY o.decided_at
"""

# Open at :at: sent before it, not a draft, and not decided before it. "+o.sent_at" keeps the
# planner off the sent_at index (every offer of the past is sent before :at); it reads the few
# undecided offers and those decided after :at from the decided_at index instead.
_OPEN = """
SELECT o.id, o.amount_cents, o.currency, o.probability, a.temperature, o.sent_at,
  (SELECT max(x.done_at) FROM activity x
   WHERE x.offer_id = o.id AND x.done_at < :at AND x.cl % 2 = 1 AND x.owner_id = :me)
FROM offer o LEFT JOIN account a ON a.id = o.account_id AND a.cl % 2 = 1
WHERE (o.decided_at IS NULL OR o.decided_at >= :at) AND +o.sent_at < :at
  AND o.status != 'draft' AND o.cl % 2 = 1 AND o.owner_id = :me
"""

_NEW_PROSPECTS = _Listing("""
SELECT {list(id)}
FROM account
WHERE created_at >= :start AND created_at < :end
  AND created_status IN ('suspect', 'prospect') AND cl % 2 = 1 AND owner_id = :me
""")

# Hot prospects at :at, rebuilt as the catalogue's note says: a prospect now, or a client now
# whose first win came at or after :at and who was a prospect by then (created as one, or sent
# an offer before :at).
_HOT_PROSPECTS = _Listing("""
SELECT {list(a.id)}
FROM account a
WHERE a.temperature = 'hot' AND a.created_at < :at AND a.cl % 2 = 1 AND a.owner_id = :me
  AND (a.status = 'prospect'
    OR (a.status IN ('client', 'former') AND a.created_status IN ('suspect', 'prospect')
      AND NOT EXISTS (SELECT 1 FROM offer w WHERE w.account_id = a.id AND w.status = 'won'
                      AND w.cl % 2 = 1 AND w.decided_at < :at)
      AND EXISTS (SELECT 1 FROM offer w WHERE w.account_id = a.id AND w.status = 'won'
                  AND w.cl % 2 = 1 AND w.decided_at >= :at)
      AND (a.created_status = 'prospect'
        OR EXISTS (SELECT 1 FROM offer s WHERE s.account_id = a.id AND s.status != 'draft'
                   AND s.cl % 2 = 1 AND s.sent_at < :at))))
""")

_TEMPERATURES = {t.value: t for t in Temperature}


def sql_instant(value: datetime) -> str:
    """An instant as SQLite stores it (see ``kpidesk.records.types.UtcDateTime``)."""
    return require_aware(value).replace(tzinfo=None).isoformat(" ", "microseconds")


def _instant(text: str) -> datetime:
    # Appending the offset is ~7 times faster than parsing then .replace(tzinfo=UTC).
    return datetime.fromisoformat(text + "+00:00")


def _maybe_instant(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text + "+00:00")


def _split(joined: str | None) -> tuple[str, ...]:
    return tuple(joined.split(SEP)) if joined else ()


def _cursor(conn: sa.Connection) -> sqlite3.Cursor:
    # The DB-API connection of this SQLAlchemy connection: same transaction, same snapshot.
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]


class ActiveClients:
    """The accounts with an offer won in the 12 months before each of some instants.

    A report needs this at up to six instants (the start and end of the period and of the two it
    is compared with), whose windows overlap: the wins of their union are read once, in the
    order of the index they are read from (by ``decided_at``), then each window is cut out by
    bisecting the fixed-width UTC text, without parsing a date or looking at every win.
    """

    def __init__(
        self, cursor: sqlite3.Cursor, instants: Iterable[datetime], tz: ZoneInfo, me: str
    ) -> None:
        self._windows = {
            sql_instant(at): sql_instant(one_year_before(at, tz)) for at in set(instants)
        }
        params = {"start": min(self._windows.values()), "end": max(self._windows), "me": me}
        self.me = me  # whose numbers: read once per report, not once per period
        wins = cursor.execute(_WINS, params).fetchall()
        self._accounts = [account for account, _ in wins]
        self._decided = [decided for _, decided in wins]
        self._cache: dict[str, frozenset[str]] = {}

    @classmethod
    def for_periods(
        cls, conn: sa.Connection, periods_and_ends: Iterable[tuple[Period, datetime]]
    ) -> ActiveClients:
        pairs = list(periods_and_ends)
        cursor = _cursor(conn)
        try:
            instants = [x for period, end in pairs for x in (period.start, end)]
            return cls(cursor, instants, pairs[0][0].tz, my_id(conn))
        finally:
            cursor.close()

    def at(self, instant: datetime) -> frozenset[str]:
        end = sql_instant(instant)
        if end not in self._cache:
            start = self._windows[end]  # KeyError: an instant this object was not made for
            window = slice(bisect_left(self._decided, start), bisect_left(self._decided, end))
            self._cache[end] = frozenset(self._accounts[window])
        return self._cache[end]


def _decided(
    cursor: sqlite3.Cursor, span: dict[str, Any], with_ids: bool
) -> tuple[tuple[WonOffer, ...], Counted, Counted]:
    won = []
    lost: list[str] = []
    abandoned: list[str] = []
    for status, i, amount, margin, currency, sent, decided in cursor.execute(_DECIDED, span):
        if status == "won":
            won.append(
                WonOffer(i, amount, margin, currency, _maybe_instant(sent), _instant(decided))
            )
        else:
            (lost if status == "lost" else abandoned).append(i)
    if with_ids:
        return tuple(won), Counted.of(lost), Counted.of(abandoned)
    return tuple(won), Counted(len(lost)), Counted(len(abandoned))


def read_period_facts(
    conn: sa.Connection,
    period: Period,
    as_of: datetime,
    needs: Iterable[Fact],
    *,
    with_ids: bool = True,
    active_clients: ActiveClients | None = None,
) -> PeriodFacts:
    """Read the facts ``needs`` of ``period``; states "at the end" are read at ``as_of``.

    ``with_ids=False`` counts instead of listing where the computation needs no ids.
    """
    needs = frozenset(needs)
    me = active_clients.me if active_clients is not None else my_id(conn)
    cursor = _cursor(conn)
    span = {"start": sql_instant(period.start), "end": sql_instant(period.end), "me": me}
    at = {"at": sql_instant(as_of), "me": me}
    found: dict[str, Any] = {}
    try:
        if Fact.ACTIVITIES in needs:
            prospecting, other, calls, follow_ups = _ACTIVITIES.read(cursor, span, with_ids)
            found.update(
                prospecting_visits=prospecting,
                other_visits=other,
                calls=calls,
                follow_ups=follow_ups,
            )
        if Fact.SENT in needs:
            (found["sent"],) = _SENT.read(cursor, span, with_ids)
        if Fact.FOLLOW_UP_WINDOWS in needs:
            latest = sql_instant(as_of - timedelta(days=FOLLOW_UP_WINDOW_DAYS))
            params = {**span, "latest_sent": latest}
            found["followed_up"], found["not_followed_up"] = _FOLLOW_UP_WINDOWS.read(
                cursor, params, with_ids
            )
        if Fact.DECIDED in needs:
            found["won"], found["lost"], found["abandoned"] = _decided(cursor, span, with_ids)
        if Fact.NEW_CLIENTS in needs:
            found["new_clients"] = tuple(
                NewClient(account, bool(referral))
                for account, referral in cursor.execute(_NEW_CLIENTS, span)
            )
        if Fact.ACTIVE_CLIENTS in needs:
            active = active_clients or ActiveClients(cursor, (period.start, as_of), period.tz, me)
            found["active_at_start"] = active.at(period.start)
            found["active_at_end"] = active.at(as_of)
        if Fact.OPEN in needs:
            found["open_offers"] = tuple(
                OpenOffer(
                    i,
                    amount,
                    currency,
                    probability,
                    _TEMPERATURES.get(temperature),
                    _instant(sent),
                    _maybe_instant(last),
                )
                for i, amount, currency, probability, temperature, sent, last in cursor.execute(
                    _OPEN, at
                )
            )
        if Fact.NEW_PROSPECTS in needs:
            (found["new_prospects"],) = _NEW_PROSPECTS.read(cursor, span, with_ids)
        if Fact.HOT_PROSPECTS in needs:
            (found["hot_prospects"],) = _HOT_PROSPECTS.read(cursor, at, with_ids)
    finally:
        cursor.close()
    return PeriodFacts(period.start, period.end, as_of, needs, with_ids, **found)


@dataclass(frozen=True, slots=True)
class ObjectiveRow:
    id: str
    kpi_key: str
    period_kind: PeriodKind
    target: float
    created_at: datetime


_OBJECTIVES = """
SELECT id, kpi_key, period_kind, target, created_at
FROM objective
WHERE cl % 2 = 1 AND (:kind IS NULL OR period_kind = :kind) AND owner_id = :me
ORDER BY created_at, id
"""


def list_objectives(
    conn: sa.Connection, period_kind: PeriodKind | str | None = None, me: str | None = None
) -> list[ObjectiveRow]:
    """Live objectives of ``me`` (by default whoever is signed in), one per (indicator, period
    kind). A report passes the ``me`` it has already read, sparing one more query.

    Two devices may each set the same objective while offline; both rows then sync. The one
    created last (then the larger id) is the rep's objective, the same on every device.
    """
    kind = None if period_kind is None else PeriodKind(period_kind).value
    owner = my_id(conn) if me is None else me
    cursor = _cursor(conn)
    try:
        rows = cursor.execute(_OBJECTIVES, {"kind": kind, "me": owner}).fetchall()
    finally:
        cursor.close()
    chosen: dict[tuple[str, PeriodKind], ObjectiveRow] = {}
    for row_id, key, row_kind, target, created in rows:
        objective = ObjectiveRow(row_id, key, PeriodKind(row_kind), target, _instant(created))
        chosen[(key, objective.period_kind)] = objective
    return sorted(chosen.values(), key=lambda r: (r.period_kind, r.kpi_key))
