"""The facts the store reads for one period, from which every indicator is computed.

The store fills only the facts the wanted indicators need (``NEEDS``), with index-friendly
queries; :mod:`kpidesk.domain.kpis.compute` turns them into values without any SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from kpidesk.domain.vocabulary import Temperature


class Fact(StrEnum):
    ACTIVITIES = "activities"  # visits, calls and follow-ups done in P
    SENT = "sent"  # offers sent in P (not drafts)
    FOLLOW_UP_WINDOWS = "follow_up_windows"  # offers of follow_up_rate, followed up or not
    DECIDED = "decided"  # offers decided in P
    NEW_CLIENTS = "new_clients"  # accounts whose first win is in P
    ACTIVE_CLIENTS = "active_clients"  # accounts active at the start and at the end of P
    OPEN = "open"  # offers open at the end of P
    NEW_PROSPECTS = "new_prospects"  # accounts created in P as suspect or prospect
    HOT_PROSPECTS = "hot_prospects"  # hot prospects at the end of P


NEEDS: dict[str, frozenset[Fact]] = {
    "visits": frozenset({Fact.ACTIVITIES}),
    "calls": frozenset({Fact.ACTIVITIES}),
    "follow_ups": frozenset({Fact.ACTIVITIES}),
    "offers_sent": frozenset({Fact.SENT}),
    "new_prospects": frozenset({Fact.NEW_PROSPECTS}),
    "new_clients": frozenset({Fact.NEW_CLIENTS}),
    "revenue": frozenset({Fact.DECIDED}),
    "margin": frozenset({Fact.DECIDED}),
    "margin_rate": frozenset({Fact.DECIDED}),
    "average_deal": frozenset({Fact.DECIDED}),
    "pipeline_value": frozenset({Fact.OPEN}),
    "weighted_pipeline": frozenset({Fact.OPEN}),
    "conversion": frozenset({Fact.DECIDED}),
    "visit_to_offer": frozenset({Fact.ACTIVITIES, Fact.SENT}),
    "follow_up_rate": frozenset({Fact.FOLLOW_UP_WINDOWS}),
    "retention": frozenset({Fact.ACTIVE_CLIENTS, Fact.NEW_CLIENTS}),
    "recommendation": frozenset({Fact.NEW_CLIENTS}),
    "hot_prospects": frozenset({Fact.HOT_PROSPECTS}),
    "stale_offers": frozenset({Fact.OPEN}),
    "sales_cycle": frozenset({Fact.DECIDED}),
    "pipeline_velocity": frozenset({Fact.OPEN, Fact.DECIDED}),
}


def facts_for(keys: frozenset[str] | set[str]) -> frozenset[Fact]:
    needed: set[Fact] = set()
    for key in keys:
        needed |= NEEDS[key]
    return frozenset(needed)


@dataclass(frozen=True, slots=True)
class Counted:
    """A number of records, with their ids when the drill-down was asked for.

    Reading ids costs more than counting (the store builds their text); the periods a report
    only compares with are read as counts. When ``ids`` were read, ``len(ids) == count``.
    """

    count: int = 0
    ids: tuple[str, ...] = ()

    @classmethod
    def of(cls, ids: Iterable[str]) -> Counted:
        ids = tuple(ids)
        return cls(len(ids), ids)

    def __add__(self, other: Counted) -> Counted:
        return Counted(self.count + other.count, self.ids + other.ids)


@dataclass(frozen=True, slots=True)
class WonOffer:
    id: str
    amount_cents: int
    margin_cents: int | None
    currency: str
    sent_at: datetime | None
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class OpenOffer:
    id: str
    amount_cents: int
    currency: str
    probability: float | None
    temperature: Temperature | None  # None: the account is not (or no longer) here
    sent_at: datetime
    last_activity_at: datetime | None  # latest done activity linked to the offer, before as_of


@dataclass(frozen=True, slots=True)
class NewClient:
    account_id: str
    referral: bool


@dataclass(frozen=True)
class PeriodFacts:
    """What happened in ``[start, end)``, and the state at ``as_of`` (the end, or now).

    Ids come in no particular order. ``followed_up`` and ``not_followed_up`` are the offers of
    follow_up_rate (sent in P, at least 7 days old at ``as_of``), split by whether a follow-up came
    within 7 days: the store decides that per offer, as the catalogue says. Won and open offers,
    new clients and active clients always come with their ids: the computation needs them.
    """

    start: datetime
    end: datetime
    as_of: datetime
    fetched: frozenset[Fact]
    with_ids: bool = True
    prospecting_visits: Counted = Counted()
    other_visits: Counted = Counted()
    calls: Counted = Counted()
    follow_ups: Counted = Counted()
    sent: Counted = Counted()
    followed_up: Counted = Counted()
    not_followed_up: Counted = Counted()
    won: tuple[WonOffer, ...] = ()
    lost: Counted = Counted()
    abandoned: Counted = Counted()
    new_clients: tuple[NewClient, ...] = ()
    active_at_start: frozenset[str] = field(default_factory=frozenset)
    active_at_end: frozenset[str] = field(default_factory=frozenset)
    open_offers: tuple[OpenOffer, ...] = ()
    new_prospects: Counted = Counted()
    hot_prospects: Counted = Counted()
