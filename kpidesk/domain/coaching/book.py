"""One rep's rows as the team view reads them, and the period facts they give.

The server fills a :class:`RepBook` from its tables (live rows only); this module turns it
into the very :class:`PeriodFacts` the laptop's store reads with SQL, so the manager's numbers
come from the same computation as the rep's own indicators (``compute_values``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from kpidesk.domain.kpis.facts import Counted, Fact, OpenOffer, PeriodFacts, WonOffer
from kpidesk.domain.kpis.settings import FOLLOW_UP_WINDOW_DAYS
from kpidesk.domain.vocabulary import (
    AccountStatus,
    ActivityKind,
    ActivityPurpose,
    OfferStatus,
    PeriodKind,
    Temperature,
)


@dataclass(frozen=True, slots=True)
class BookAccount:
    id: str
    name: str
    status: AccountStatus
    temperature: Temperature
    created_at: datetime
    city: str | None = None


@dataclass(frozen=True, slots=True)
class BookOffer:
    id: str
    account_id: str
    label: str  # the reference, else the title
    amount_cents: int
    currency: str
    status: OfferStatus
    sent_at: datetime | None
    decided_at: datetime | None
    probability: float | None


@dataclass(frozen=True, slots=True)
class BookActivity:
    """An activity's facts: never its notes (activities have no private note on the server,
    and the team view reads no text of them)."""

    id: str
    account_id: str
    offer_id: str | None
    kind: ActivityKind
    purpose: ActivityPurpose
    due_at: datetime | None
    done_at: datetime | None


@dataclass(frozen=True, slots=True)
class BookObjective:
    kpi_key: str
    period_kind: PeriodKind
    target: float


@dataclass(frozen=True)
class RepBook:
    """Everything the team view may read of one rep: their live accounts, offers, activities
    and objectives. ``shares_activities`` is the rep's choice: without it the view shows no
    activity count (the activities still tell when an offer was last followed up)."""

    rep_id: str
    rep_name: str
    shares_activities: bool
    accounts: tuple[BookAccount, ...] = ()
    offers: tuple[BookOffer, ...] = ()
    activities: tuple[BookActivity, ...] = ()
    objectives: tuple[BookObjective, ...] = ()

    # Indexes built once: each offer looks up its own activities and its account's.
    @cached_property
    def activities_of_offer(self) -> dict[str, list[BookActivity]]:
        index: dict[str, list[BookActivity]] = defaultdict(list)
        for a in self.activities:
            if a.offer_id is not None:
                index[a.offer_id].append(a)
        return index

    @cached_property
    def activities_of_account(self) -> dict[str, list[BookActivity]]:
        index: dict[str, list[BookActivity]] = defaultdict(list)
        for a in self.activities:
            index[a.account_id].append(a)
        return index


def facts_of(book: RepBook, start: datetime, end: datetime, as_of: datetime) -> PeriodFacts:
    """The facts of ``[start, end)`` (states at ``as_of``) the team view computes from: as
    ``kpidesk.store.kpi_queries.read_period_facts`` reads them on the rep's laptop. Activity
    counts are read only when the rep shares them."""
    fetched = {Fact.SENT, Fact.FOLLOW_UP_WINDOWS, Fact.DECIDED, Fact.OPEN, Fact.HOT_PROSPECTS}
    temperature = {a.id: a.temperature for a in book.accounts}
    found: dict[str, object] = {}
    if book.shares_activities:
        fetched.add(Fact.ACTIVITIES)
        done = [a for a in book.activities if a.done_at is not None and start <= a.done_at < end]
        visits = [a for a in done if a.kind is ActivityKind.VISIT]
        prospecting = ActivityPurpose.PROSPECTING
        found.update(
            prospecting_visits=Counted.of(a.id for a in visits if a.purpose is prospecting),
            other_visits=Counted.of(a.id for a in visits if a.purpose is not prospecting),
            calls=Counted.of(a.id for a in done if a.kind is ActivityKind.CALL),
            follow_ups=Counted.of(a.id for a in done if a.purpose is ActivityPurpose.FOLLOW_UP),
        )
    sent = [
        o
        for o in book.offers
        if o.sent_at is not None and start <= o.sent_at < end and o.status is not OfferStatus.DRAFT
    ]
    found["sent"] = Counted.of(o.id for o in sent)
    latest_sent = as_of - timedelta(days=FOLLOW_UP_WINDOW_DAYS)
    windows = [o for o in sent if o.sent_at <= latest_sent]  # type: ignore[operator]
    followed = {o.id for o in windows if _followed_up_in_window(book, o)}
    found["followed_up"] = Counted.of(o.id for o in windows if o.id in followed)
    found["not_followed_up"] = Counted.of(o.id for o in windows if o.id not in followed)
    decided = [o for o in book.offers if o.decided_at is not None and start <= o.decided_at < end]
    found["won"] = tuple(
        WonOffer(o.id, o.amount_cents, None, o.currency, o.sent_at, o.decided_at)  # type: ignore[arg-type]
        for o in decided
        if o.status is OfferStatus.WON
    )
    found["lost"] = Counted.of(o.id for o in decided if o.status is OfferStatus.LOST)
    found["abandoned"] = Counted.of(o.id for o in decided if o.status is OfferStatus.ABANDONED)
    found["open_offers"] = tuple(
        OpenOffer(
            o.id,
            o.amount_cents,
            o.currency,
            o.probability,
            temperature.get(o.account_id),
            o.sent_at,  # type: ignore[arg-type]
            last_offer_activity(book, o.id, as_of),
        )
        for o in open_offers(book, as_of)
    )
    found["hot_prospects"] = Counted.of(a.id for a in hot_prospects(book, as_of))
    return PeriodFacts(start, end, as_of, frozenset(fetched), True, **found)  # type: ignore[arg-type]


def open_offers(book: RepBook, as_of: datetime) -> list[BookOffer]:
    """Sent before ``as_of``, not a draft, not decided before it (as the laptop's _OPEN)."""
    return [
        o
        for o in book.offers
        if o.status is not OfferStatus.DRAFT
        and o.sent_at is not None
        and o.sent_at < as_of
        and (o.decided_at is None or o.decided_at >= as_of)
    ]


def hot_prospects(book: RepBook, as_of: datetime) -> list[BookAccount]:
    """Hot prospects now. The team view shows running periods only, so "at the end of P" is
    now and the account's status is the one to read (the laptop also rebuilds past ends)."""
    return [
        a
        for a in book.accounts
        if a.status is AccountStatus.PROSPECT
        and a.temperature is Temperature.HOT
        and a.created_at < as_of
    ]


def last_offer_activity(book: RepBook, offer_id: str, as_of: datetime) -> datetime | None:
    """The latest done activity linked to the offer, before ``as_of`` (stale offers)."""
    done = [
        a.done_at
        for a in book.activities_of_offer.get(offer_id, ())
        if a.done_at is not None and a.done_at < as_of
    ]
    return max(done, default=None)


def _followed_up_in_window(book: RepBook, offer: BookOffer) -> bool:
    sent = offer.sent_at
    assert sent is not None
    window_end = sent + timedelta(days=FOLLOW_UP_WINDOW_DAYS)
    if offer.decided_at is not None and sent <= offer.decided_at < window_end:
        return True
    candidates = (
        *book.activities_of_offer.get(offer.id, ()),
        *book.activities_of_account.get(offer.account_id, ()),
    )
    return any(
        a.purpose is ActivityPurpose.FOLLOW_UP
        and a.done_at is not None
        and sent <= a.done_at < window_end
        for a in candidates
    )
