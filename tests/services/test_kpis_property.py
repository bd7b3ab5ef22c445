"""Every indicator against a deliberately naive reference, on random books (Hypothesis).

The reference below reads KPIS.md (and the catalogue's notes on edge cases) and loops over plain
Python lists: no SQL, no shared helper with the engine. Random instants lean on the edges that
matter (the period's bounds, a microsecond either side, 7 and 14 days before its end, a year
before), in Paris, around both daylight-saving changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpidesk.domain.periods import Period, period_containing
from kpidesk.domain.vocabulary import PeriodKind
from kpidesk.services.kpis import KpiService
from kpidesk.store.changes import changes
from kpidesk.store.database import open_database

PARIS = ZoneInfo("Europe/Paris")
US = timedelta(microseconds=1)
DAY = timedelta(days=1)

# -- the books --------------------------------------------------------------------------------


@dataclass
class Acc:
    status: str
    created_status: str
    temperature: str
    source: str
    created_at: datetime
    alive: bool
    id: str = ""


@dataclass
class Off:
    account: int
    amount: int
    margin: int | None
    currency: str
    status: str
    sent_at: datetime | None
    decided_at: datetime | None
    probability: float | None
    alive: bool
    id: str = ""
    account_id: str = ""


@dataclass
class Act:
    account: int
    offer: int | None
    kind: str
    purpose: str
    done_at: datetime | None
    due_at: datetime | None
    alive: bool
    id: str = ""
    account_id: str = ""
    offer_id: str | None = None


def local_year_earlier(instant: datetime) -> datetime:
    local = instant.astimezone(PARIS)
    day = local.date()
    day = day.replace(year=day.year - 1, day=28 if (day.month, day.day) == (2, 29) else day.day)
    return datetime.combine(day, local.time(), tzinfo=PARIS).astimezone(UTC)


@st.composite
def periods(draw):
    anchor = draw(st.dates(date(2025, 10, 1), date(2026, 5, 31)))
    kind = draw(
        st.sampled_from(["week", "month", "quarter", "last_30_days", "last_90_days", "custom"])
    )
    if kind == "custom":
        return Period.custom(anchor, anchor + timedelta(days=draw(st.integers(1, 120))), PARIS)
    return period_containing(kind, anchor, PARIS)


@st.composite
def books(draw):
    period = draw(periods())
    s, e = period.start, period.end
    running = draw(st.booleans())
    now = (
        draw(st.datetimes(s.replace(tzinfo=None), e.replace(tzinfo=None), timezones=st.just(UTC)))
        if running
        else e + timedelta(days=200)
    )
    t = min(e, max(s, now))
    edges = [s, s - US, e, e - US, t, t - timedelta(days=7), t - timedelta(days=7) + US,
             t - timedelta(days=14), t - timedelta(days=14) - US, local_year_earlier(s),
             local_year_earlier(t), local_year_earlier(t) - US]  # fmt: skip
    span = (
        (s - timedelta(days=420)).replace(tzinfo=None),
        (e + timedelta(days=30)).replace(tzinfo=None),
    )
    instant = st.one_of(
        st.sampled_from(edges),
        st.datetimes(*span, timezones=st.just(UTC)),
        st.datetimes(*span, timezones=st.just(UTC)).map(
            lambda d: d.replace(second=0, microsecond=0)
        ),
    )
    # Decisions are facts of the past: never after "now" (a running period's end is now).
    past = instant.filter(lambda d: d < now)

    accounts = draw(
        st.lists(
            st.builds(
                Acc,
                status=st.sampled_from(["suspect", "prospect", "client", "former"]),
                created_status=st.sampled_from(["suspect", "prospect", "client"]),
                temperature=st.sampled_from(["cold", "warm", "hot", "hot"]),
                source=st.sampled_from(["prospecting", "referral", "inbound"]),
                created_at=instant,
                alive=st.integers(0, 7).map(lambda i: i > 0),
            ),
            min_size=1,
            max_size=6,
        )
    )
    n = len(accounts)
    offers = []
    for _ in range(draw(st.integers(0, 14))):
        status = draw(st.sampled_from(["draft", "sent", "won", "won", "lost", "abandoned"]))
        sent = draw(past) if status != "draft" or draw(st.booleans()) else None
        decided = None
        if status in ("won", "lost", "abandoned"):
            room = (now - sent) // US  # microseconds from sending to now (excluded)
            near = [d for d in edges if sent <= d < now]
            decided = draw(
                st.one_of(
                    st.just(sent),
                    st.sampled_from(near) if near else st.just(sent),
                    st.integers(0, room - 1).map(lambda us, sent=sent: sent + us * US),
                )
            )
        amount = draw(st.integers(0, 2_000_000))
        offers.append(
            Off(
                account=draw(st.integers(0, n - 1)),
                amount=amount,
                margin=draw(st.none() | st.integers(0, amount)),
                currency=draw(st.sampled_from(["EUR", "EUR", "EUR", "USD"])),
                status=status,
                sent_at=sent,
                decided_at=decided,
                probability=draw(st.none() | st.sampled_from([0.0, 0.15, 0.5, 0.85, 1.0])),
                alive=draw(st.integers(0, 7)) > 0,
            )
        )
    # Activities also fall on the edges of the offers' follow-up weeks.
    weeks = [
        o.sent_at + d for o in offers if o.sent_at for d in (timedelta(0), 7 * DAY - US, 7 * DAY)
    ]
    around_offers = st.sampled_from(weeks) if weeks else instant
    activities = []
    for _ in range(draw(st.integers(0, 20))):
        done = draw(st.none() | instant | around_offers)
        activities.append(
            Act(
                account=draw(st.integers(0, n - 1)),
                offer=draw(st.none() | st.integers(0, len(offers) - 1)) if offers else None,
                kind=draw(st.sampled_from(["call", "visit", "email"])),
                purpose=draw(st.sampled_from(["prospecting", "follow_up", "follow_up", "other"])),
                done_at=done,
                due_at=None if done else draw(instant),
                alive=draw(st.integers(0, 7)) > 0,
            )
        )
    return period, now, accounts, offers, activities


# -- the naive reference ----------------------------------------------------------------------

PROBABILITY = {"hot": 0.6, "warm": 0.3, "cold": 0.1}


def reference(period: Period, now: datetime, accounts, offers, activities) -> dict:
    s, e = period.start, period.end
    t = min(e, max(s, now))

    def in_p(instant):
        return instant is not None and s <= instant < e

    live_accounts = [a for a in accounts if a.alive]
    live_ids = {a.id for a in live_accounts}
    by_id = {a.id: a for a in live_accounts}
    offs = [o for o in offers if o.alive]
    acts = [a for a in activities if a.alive]
    r: dict = {}

    visits = [a for a in acts if a.kind == "visit" and in_p(a.done_at)]
    r["visits"] = len(visits)
    r["visits.prospecting"] = len([a for a in visits if a.purpose == "prospecting"])
    r["calls"] = len([a for a in acts if a.kind == "call" and in_p(a.done_at)])
    r["follow_ups"] = len([a for a in acts if a.purpose == "follow_up" and in_p(a.done_at)])
    sent = [o for o in offs if o.status != "draft" and in_p(o.sent_at)]
    r["offers_sent"] = len(sent)
    r["new_prospects"] = len(
        [a for a in live_accounts if in_p(a.created_at) and a.created_status != "client"]
    )

    wins_of: dict[str, list[datetime]] = {}
    for o in offs:
        if o.status == "won":
            wins_of.setdefault(o.account_id, []).append(o.decided_at)
    new_clients = [acc for acc, wins in wins_of.items() if acc in live_ids and in_p(min(wins))]
    r["new_clients"] = len(new_clients)

    won = [o for o in offs if o.status == "won" and in_p(o.decided_at)]
    decided = [o for o in offs if o.status in ("won", "lost", "abandoned") and in_p(o.decided_at)]
    won_eur = [o for o in won if o.currency == "EUR"]
    revenue = sum(o.amount for o in won_eur)
    with_margin = [o for o in won_eur if o.margin is not None]
    # unknown is not zero: offers won and no margin known is no margin; with some known, the
    # margin and its rate are those of the offers that have one (KPIS.md)
    margin = sum(o.margin for o in with_margin) if with_margin or not won_eur else None
    revenue_with_margin = sum(o.amount for o in with_margin)
    r["revenue"] = revenue
    r["margin"] = margin
    r["margin_rate"] = margin / revenue_with_margin if revenue_with_margin else None
    r["average_deal"] = (
        math.floor(Fraction(revenue, len(won_eur)) + Fraction(1, 2)) if won_eur else None
    )
    r["conversion"] = (len(won), len(decided))
    r["visit_to_offer"] = (len(sent), len(visits))

    followed = 0
    eligible = [o for o in sent if o.sent_at + timedelta(days=7) <= t]
    for o in eligible:
        end = o.sent_at + timedelta(days=7)
        hit = o.decided_at is not None and o.sent_at <= o.decided_at < end
        for a in acts:
            on_it = a.offer_id == o.id or a.account_id == o.account_id
            if on_it and a.purpose == "follow_up" and a.done_at and o.sent_at <= a.done_at < end:
                hit = True
        followed += hit
    r["follow_up_rate"] = (followed, len(eligible))

    def active(instant):
        since = local_year_earlier(instant)
        return {
            o.account_id
            for o in offs
            if o.status == "won" and o.account_id in live_ids and since <= o.decided_at < instant
        }

    start_clients, end_clients = active(s), active(t)
    r["retention"] = (len(end_clients) - len(new_clients), len(start_clients))
    referred = [acc for acc in new_clients if by_id[acc].source == "referral"]
    r["recommendation"] = (len(referred), len(new_clients))

    open_offers = [
        o
        for o in offs
        if o.status != "draft"
        and o.sent_at is not None
        and o.sent_at < t
        and (o.decided_at is None or o.decided_at >= t)
    ]
    open_eur = [o for o in open_offers if o.currency == "EUR"]
    r["pipeline_value"] = sum(o.amount for o in open_eur)
    weighted = Fraction(0)
    for o in open_eur:
        account = by_id.get(o.account_id)
        p = (
            o.probability
            if o.probability is not None
            else PROBABILITY[account.temperature if account else "cold"]
        )
        weighted += Fraction(o.amount) * Fraction(p)
    r["weighted_pipeline"] = math.floor(weighted + Fraction(1, 2))
    stale = 0
    for o in open_offers:
        touched = o.sent_at
        for a in acts:
            if a.offer_id == o.id and a.done_at is not None and a.done_at < t:
                touched = max(touched, a.done_at)
        stale += touched < t - timedelta(days=14)
    r["stale_offers"] = stale

    hot = 0
    for a in live_accounts:
        if a.temperature != "hot" or not a.created_at < t:
            continue
        if a.status == "prospect":
            hot += 1
        elif a.status in ("client", "former") and a.created_status in ("suspect", "prospect"):
            wins = wins_of.get(a.id, [])
            became_client_later = bool(wins) and min(wins) >= t
            offered_before = any(
                o.account_id == a.id
                and o.status != "draft"
                and o.sent_at is not None
                and o.sent_at < t
                for o in offs
            )
            if became_client_later and (a.created_status == "prospect" or offered_before):
                hot += 1
    r["hot_prospects"] = hot

    cycles = [(o.decided_at - o.sent_at).total_seconds() / 86400 for o in won if o.sent_at]
    cycle = sum(cycles) / len(cycles) if cycles else None
    r["sales_cycle"] = cycle
    r["pipeline_velocity"] = None
    if won_eur and cycle:
        velocity = len(open_eur) * (revenue / len(won_eur)) * (len(won) / len(decided)) / cycle
        r["pipeline_velocity"] = math.floor(velocity + 0.5)
    return r


# -- the comparison ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("prop") / "prop.sqlite")
    yield db
    db.close()


def write(db, accounts, offers, activities):
    with db.write() as conn:
        for table in ("account", "offer", "activity", "outbox"):
            conn.exec_driver_sql(f"DELETE FROM {table}")
    with changes(db) as c:
        for a in accounts:
            a.id = c.create(
                "account",
                {"name": "x", "status": a.status, "created_status": a.created_status,
                 "temperature": a.temperature, "source": a.source, "created_at": a.created_at},
            )  # fmt: skip
        for o in offers:
            o.account_id = accounts[o.account].id
            o.id = c.create(
                "offer",
                {"account_id": o.account_id, "amount_cents": o.amount, "margin_cents": o.margin,
                 "currency": o.currency, "status": o.status, "sent_at": o.sent_at,
                 "decided_at": o.decided_at, "probability": o.probability},
            )  # fmt: skip
        for a in activities:
            a.account_id = accounts[a.account].id
            a.offer_id = offers[a.offer].id if a.offer is not None else None
            a.id = c.create(
                "activity",
                {"account_id": a.account_id, "offer_id": a.offer_id, "kind": a.kind,
                 "purpose": a.purpose, "done_at": a.done_at, "due_at": a.due_at},
            )  # fmt: skip
        for table, rows in (("account", accounts), ("offer", offers), ("activity", activities)):
            for row in rows:
                if not row.alive:
                    c.delete(table, row.id)


def assert_matches(value, expected, key, where):
    if key == "visits.prospecting":
        assert value.part("prospecting").value == expected, where
    elif isinstance(expected, tuple):
        assert (value.rate.numerator, value.rate.denominator) == expected, (key, where)
        k, n = expected
        assert value.value == (pytest.approx(k / n) if n else None), (key, where)
    elif key in ("weighted_pipeline", "pipeline_velocity") and expected is not None:
        # Both round a real number to the cent; the reference's float products may land on the
        # other side of a half, and lose digits beyond 1e15 (a cycle of a few microseconds).
        assert value.value is not None, (key, where)
        assert abs(value.value - expected) <= max(1, abs(expected) * 1e-12), (key, where)
    elif isinstance(expected, float):
        assert value.value == pytest.approx(expected, rel=1e-9, abs=1e-9), (key, where)
    else:
        assert value.value == expected, (key, where)


def compared(other: Period, period: Period, now: datetime) -> Period:
    """KPIS.md, written out again: a running calendar period is compared with the same number
    of days (today included) from the start of the other period."""
    if period.kind is PeriodKind.CUSTOM or period.kind.value.startswith("last_"):
        return other
    if not (period.start <= now < period.end):
        return other
    days = (now.astimezone(PARIS).date() - period.first_day).days + 1
    end_day = min(other.end_day, other.first_day + timedelta(days=days))
    return other if end_day == other.end_day else Period.custom(other.first_day, end_day, PARIS)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(book=books())
def test_every_indicator_matches_the_naive_reference(store, book):
    period, now, accounts, offers, activities = book
    write(store, accounts, offers, activities)
    report = KpiService(store, PARIS, clock=lambda: now).compute(period)
    for which, p, attr in (
        ("current", period, "current"),
        ("previous", compared(period.previous(), period, now), "previous"),
        ("year ago", compared(period.year_ago(), period, now), "year_ago"),
    ):
        expected = reference(p, now, accounts, offers, activities)
        for key, value in expected.items():
            result = report[key.split(".")[0]]
            assert_matches(getattr(result, attr), value, key, (which, str(p)))
