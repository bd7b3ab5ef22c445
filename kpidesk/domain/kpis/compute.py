"""From a period's facts to every indicator's value and the records behind it (no SQL here)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import timedelta
from fractions import Fraction

from kpidesk.domain.kpis.catalogue import CATALOGUE
from kpidesk.domain.kpis.facts import NEEDS, Counted, OpenOffer, PeriodFacts, WonOffer
from kpidesk.domain.kpis.rates import Rate, proportion, ratio
from kpidesk.domain.kpis.settings import KpiSettings
from kpidesk.domain.kpis.values import Coverage, KpiPart, KpiValue

_MICROSECONDS_PER_DAY = 86_400_000_000
_MICROSECOND = timedelta(microseconds=1)


def round_half_up(value: float | Fraction) -> int:
    """Money is whole cents; half a cent goes up (not to even, as ``round`` would)."""
    if isinstance(value, Fraction):
        return math.floor(value + Fraction(1, 2))
    return math.floor(value + 0.5)


def _count(key: str, counted: Counted) -> KpiValue:
    return KpiValue(key, counted.count, counted.ids)


def _rate(key: str, rate: Rate, numerator: Counted, denominator: Counted) -> KpiValue:
    return KpiValue(key, rate.value, numerator.ids, rate, denominator.ids)


class _Computation:
    """Computes the values one at a time, sharing what several of them use."""

    def __init__(self, facts: PeriodFacts, settings: KpiSettings) -> None:
        self.facts = facts
        self.settings = settings
        self.won_money = [o for o in facts.won if o.currency == settings.currency]
        self.open_money = [o for o in facts.open_offers if o.currency == settings.currency]
        self.margin_known = [o for o in self.won_money if o.margin_cents is not None]
        self.margin_coverage = (
            Coverage(len(self.margin_known), len(self.won_money))
            if len(self.margin_known) < len(self.won_money)
            else None
        )
        self.visits_all = facts.prospecting_visits + facts.other_visits
        self.won = Counted.of(o.id for o in facts.won)
        self.decided = self.won + facts.lost + facts.abandoned
        # sales_cycle and pipeline_velocity both need it; a year holds hundreds of wins.
        self.won_sent = [o for o in facts.won if o.sent_at is not None]
        self.cycle = _mean_days(self.won_sent)

    # -- quantities ---------------------------------------------------------------------------

    def visits(self) -> KpiValue:
        f = self.facts
        parts = (
            KpiPart("prospecting", f.prospecting_visits.count, f.prospecting_visits.ids),
            KpiPart("other", f.other_visits.count, f.other_visits.ids),
        )
        return KpiValue("visits", self.visits_all.count, self.visits_all.ids, parts=parts)

    def calls(self) -> KpiValue:
        return _count("calls", self.facts.calls)

    def follow_ups(self) -> KpiValue:
        return _count("follow_ups", self.facts.follow_ups)

    def offers_sent(self) -> KpiValue:
        return _count("offers_sent", self.facts.sent)

    def new_prospects(self) -> KpiValue:
        return _count("new_prospects", self.facts.new_prospects)

    def new_clients(self) -> KpiValue:
        clients = Counted.of(c.account_id for c in self.facts.new_clients)
        return self._with_ids(_count("new_clients", clients))

    # -- money --------------------------------------------------------------------------------

    def revenue(self) -> KpiValue:
        won = self.won_money
        return KpiValue("revenue", _revenue(won), self._won_ids())

    def margin(self) -> KpiValue:
        known = self.margin_known
        value = sum(o.margin_cents for o in known) if known or not self.won_money else None
        return KpiValue("margin", value, self._ids_of(known), coverage=self.margin_coverage)

    def margin_rate(self) -> KpiValue:
        # On the offers whose margin is known: their margin over *their* revenue. Over all the
        # revenue, an offer with no margin entered would read as an offer sold at cost.
        known = self.margin_known
        revenue = _revenue(known)
        value = sum(o.margin_cents for o in known) / revenue if revenue else None
        return KpiValue("margin_rate", value, self._ids_of(known), coverage=self.margin_coverage)

    def average_deal(self) -> KpiValue:
        won = self.won_money
        value = round_half_up(Fraction(_revenue(won), len(won))) if won else None
        return KpiValue("average_deal", value, self._won_ids())

    def _won_ids(self) -> tuple[str, ...]:
        return self._ids_of(self.won_money)

    def _ids_of(self, offers: Iterable[WonOffer]) -> tuple[str, ...]:
        return tuple(o.id for o in offers) if self.facts.with_ids else ()

    # -- rates --------------------------------------------------------------------------------

    def conversion(self) -> KpiValue:
        won = self.won
        rate = proportion(won.count, self.decided.count)
        return self._with_ids(_rate("conversion", rate, won, self.decided))

    def visit_to_offer(self) -> KpiValue:
        f = self.facts
        rate = ratio(f.sent.count, self.visits_all.count)
        return _rate("visit_to_offer", rate, f.sent, self.visits_all)

    def follow_up_rate(self) -> KpiValue:
        f = self.facts
        eligible = f.followed_up + f.not_followed_up
        rate = proportion(f.followed_up.count, eligible.count)
        return _rate("follow_up_rate", rate, f.followed_up, eligible)

    def retention(self) -> KpiValue:
        f = self.facts
        new = {c.account_id for c in f.new_clients}
        # (E − N): the clients active at the end that are not new. For periods of 12 months or
        # less every new client is active at the end, so this is exactly E − N.
        kept = Counted.of(sorted(f.active_at_end - new))  # sorted: sets have no stable order
        start = Counted.of(sorted(f.active_at_start))
        rate = proportion(kept.count, start.count)
        return self._with_ids(_rate("retention", rate, kept, start))

    def recommendation(self) -> KpiValue:
        clients = self.facts.new_clients
        referred = Counted.of(c.account_id for c in clients if c.referral)
        everyone = Counted.of(c.account_id for c in clients)
        rate = proportion(referred.count, everyone.count)
        return self._with_ids(_rate("recommendation", rate, referred, everyone))

    def _with_ids(self, value: KpiValue) -> KpiValue:
        # Values computed from rows always know their ids; keep the promise of PeriodFacts:
        # without the drill-down, no ids at all.
        if self.facts.with_ids:
            return value
        return KpiValue(value.key, value.value, (), value.rate, (), value.parts)

    # -- pipeline -----------------------------------------------------------------------------

    def pipeline_value(self) -> KpiValue:
        offers = self.open_money
        return KpiValue("pipeline_value", sum(o.amount_cents for o in offers), self._open_ids())

    def weighted_pipeline(self) -> KpiValue:
        # fsum is exactly rounded, so the result does not depend on the order of the rows.
        total = math.fsum(o.amount_cents * self._probability(o) for o in self.open_money)
        return KpiValue("weighted_pipeline", round_half_up(total), self._open_ids())

    def _open_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.open_money) if self.facts.with_ids else ()

    def _probability(self, offer: OpenOffer) -> float:
        if offer.probability is not None:
            return offer.probability
        return self.settings.probability(offer.temperature)

    def hot_prospects(self) -> KpiValue:
        return _count("hot_prospects", self.facts.hot_prospects)

    def stale_offers(self) -> KpiValue:
        f = self.facts
        threshold = f.as_of - timedelta(days=self.settings.stale_after_days)
        stale = []
        for offer in f.open_offers:
            touched = offer.sent_at
            if offer.last_activity_at is not None and offer.last_activity_at > touched:
                touched = offer.last_activity_at
            if touched < threshold:
                stale.append(offer.id)
        return self._with_ids(_count("stale_offers", Counted.of(stale)))

    def sales_cycle(self) -> KpiValue:
        ids = tuple(o.id for o in self.won_sent) if self.facts.with_ids else ()
        return KpiValue("sales_cycle", self.cycle, ids)

    def pipeline_velocity(self) -> KpiValue:
        won_money = self.won_money
        cycle = self.cycle
        value = None
        if won_money and cycle:
            average_deal = Fraction(_revenue(won_money), len(won_money))
            conversion = Fraction(len(self.facts.won), self.decided.count)
            value = round_half_up(
                len(self.open_money) * average_deal * conversion / Fraction(cycle)
            )
        return KpiValue("pipeline_velocity", value, self._open_ids())


def _revenue(offers: list[WonOffer]) -> int:
    return sum(o.amount_cents for o in offers)


def _mean_days(offers: list[WonOffer]) -> float | None:
    """Mean of decided_at − sent_at in days of 24 hours, exact to the microsecond."""
    if not offers:
        return None
    # Summing the timedeltas is exact (whole microseconds), as summing each one's microseconds
    # was, and divides once instead of once per offer.
    total = sum(
        (o.decided_at - o.sent_at for o in offers),  # type: ignore[operator]
        timedelta(),
    )
    return total // _MICROSECOND / len(offers) / _MICROSECONDS_PER_DAY


_COMPUTE: dict[str, Callable[[_Computation], KpiValue]] = {
    d.key: getattr(_Computation, d.key) for d in CATALOGUE
}


def compute_values(
    facts: PeriodFacts, settings: KpiSettings, keys: Iterable[str] | None = None
) -> dict[str, KpiValue]:
    """The values of ``keys`` (default: every indicator whose facts were fetched)."""
    computation = _Computation(facts, settings)
    wanted = [d.key for d in CATALOGUE] if keys is None else list(keys)
    values = {}
    for key in wanted:
        missing = NEEDS[key] - facts.fetched
        if missing:
            if keys is None:
                continue
            raise ValueError(f"{key} needs facts that were not fetched: {sorted(missing)}")
        values[key] = _COMPUTE[key](computation)
    return values
