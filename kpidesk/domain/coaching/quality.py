"""A rep's pipeline quality as their manager sees it (KPIS.md, "Team view").

Every number comes with what it is made of: rates with numerator, denominator and interval,
the open offers with their age and last follow-up. Activity counts are there only for a rep
who shares them, and a team page lists its reps by name: never ranked by anything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from kpidesk.domain.coaching.book import (
    BookAccount,
    RepBook,
    facts_of,
    hot_prospects,
    open_offers,
)
from kpidesk.domain.kpis.catalogue import definition
from kpidesk.domain.kpis.compute import compute_values, round_half_up
from kpidesk.domain.kpis.objectives import objective_progress
from kpidesk.domain.kpis.rates import Rate, proportion
from kpidesk.domain.kpis.settings import KpiSettings
from kpidesk.domain.kpis.values import KpiValue
from kpidesk.domain.periods import Period
from kpidesk.domain.vocabulary import ActivityPurpose, OfferStatus, PeriodKind, Temperature

# What the team view can compute from what a rep shares (margins are not part of it).
PIPELINE_KEYS = (
    "pipeline_value",
    "weighted_pipeline",
    "hot_prospects",
    "stale_offers",
    "conversion",
    "revenue",
    "offers_sent",
    "average_deal",
    "follow_up_rate",
    "sales_cycle",
)
ACTIVITY_KEYS = ("visits", "calls", "follow_ups", "visit_to_offer")
SECONDS_PER_DAY = 86_400


@dataclass(frozen=True, slots=True)
class PeriodSpan:
    kind: PeriodKind
    first_day: date
    end_day: date  # exclusive


@dataclass(frozen=True, slots=True)
class RateFigure:
    numerator: int
    denominator: int
    low: float | None = None
    high: float | None = None

    @classmethod
    def of(cls, rate: Rate | None) -> RateFigure:
        if rate is None:
            return cls(0, 0)
        return cls(rate.numerator, rate.denominator, rate.low, rate.high)

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def as_rate(self) -> Rate:
        return Rate(self.numerator, self.denominator, self.low, self.high)


@dataclass(frozen=True, slots=True)
class OpenOfferLine:
    offer_id: str
    account_id: str
    account_name: str
    label: str
    amount_cents: int
    weighted_cents: int
    sent_at: datetime
    age_days: int
    last_follow_up_at: datetime | None  # the latest follow-up on the offer or its account
    next_step_at: datetime | None  # the next planned activity on the offer or its account
    stale: bool


@dataclass(frozen=True, slots=True)
class HotProspectLine:
    account_id: str
    name: str
    city: str | None
    last_activity_at: datetime | None
    next_step_at: datetime | None


@dataclass(frozen=True, slots=True)
class TemperatureConversion:
    temperature: Temperature
    rate: RateFigure


@dataclass(frozen=True, slots=True)
class ActivityCounts:
    visits: int
    calls: int
    follow_ups: int


@dataclass(frozen=True, slots=True)
class ObjectiveLine:
    kpi_key: str
    period_kind: PeriodKind
    target: float
    value: float | None  # None: the indicator is not part of what the rep shares
    progress: float | None
    expected_now: float
    pace: str | None  # a kpidesk.domain.kpis.objectives.Pace value


@dataclass(frozen=True)
class RepQuality:
    rep_id: str
    rep_name: str
    period: PeriodSpan
    as_of: datetime
    shares_activities: bool
    pipeline_value_cents: int
    weighted_pipeline_cents: int
    revenue_cents: int
    revenue_objective_cents: int | None
    pipeline_coverage: float | None  # weighted pipeline ÷ what remains of the objective
    open_offer_age_median_days: float | None
    open_offer_age_p90_days: float | None
    next_step_planned: RateFigure  # open offers and hot prospects with a planned activity
    hot_prospects: int
    stale_offers: int
    conversion: RateFigure
    follow_up_rate: RateFigure
    conversion_by_temperature: tuple[TemperatureConversion, ...]
    activity_counts: ActivityCounts | None  # only for a rep who shares them
    open_offers: tuple[OpenOfferLine, ...]  # oldest sent first
    hot_list: tuple[HotProspectLine, ...]  # by name
    objectives: tuple[ObjectiveLine, ...]


@dataclass(frozen=True)
class TeamPage:
    team_id: str
    team_name: str
    reps: tuple[RepQuality, ...]  # by name, never by a number

    def hot_list(self) -> list[tuple[RepQuality, HotProspectLine]]:
        return sorted(
            ((rep, line) for rep in self.reps for line in rep.hot_list),
            key=lambda pair: (pair[1].name.casefold(), pair[0].rep_name.casefold()),
        )

    def stale_offers(self) -> list[tuple[RepQuality, OpenOfferLine]]:
        return sorted(
            ((rep, line) for rep in self.reps for line in rep.open_offers if line.stale),
            key=lambda pair: pair[1].sent_at,
        )


def win_probability(
    own: float | None, temperature: Temperature | None, settings: KpiSettings
) -> float:
    return own if own is not None else settings.probability(temperature)


def rep_quality(
    book: RepBook, period: Period, now: datetime, settings: KpiSettings | None = None
) -> RepQuality:
    """The team view of ``book`` over ``period``; states "at the end" are read at the end of
    the period or now, whichever comes first."""
    settings = settings or KpiSettings()
    as_of = min(now, period.end)
    facts = facts_of(book, period.start, period.end, as_of)
    keys = PIPELINE_KEYS + (ACTIVITY_KEYS if book.shares_activities else ())
    values = compute_values(facts, settings, keys)
    accounts = {a.id: a for a in book.accounts}
    stale_ids = set(values["stale_offers"].ids)
    lines = tuple(
        sorted(
            (
                _offer_line(book, o, accounts, as_of, settings, o.id in stale_ids)
                for o in open_offers(book, as_of)
                if o.currency == settings.currency
            ),
            key=lambda line: (line.sent_at, line.offer_id),
        )
    )
    hot = tuple(
        sorted(
            (_hot_line(book, a, as_of) for a in hot_prospects(book, as_of)),
            key=lambda line: (line.name.casefold(), line.account_id),
        )
    )
    revenue = int(values["revenue"].value or 0)
    weighted = int(values["weighted_pipeline"].value or 0)
    revenue_target = _revenue_target(book, period)
    return RepQuality(
        rep_id=book.rep_id,
        rep_name=book.rep_name,
        period=PeriodSpan(period.kind, period.first_day, period.end_day),
        as_of=as_of,
        shares_activities=book.shares_activities,
        pipeline_value_cents=int(values["pipeline_value"].value or 0),
        weighted_pipeline_cents=weighted,
        revenue_cents=revenue,
        revenue_objective_cents=revenue_target,
        pipeline_coverage=_coverage(weighted, revenue, revenue_target),
        open_offer_age_median_days=_percentile([line.age_days for line in lines], 0.5),
        open_offer_age_p90_days=_percentile([line.age_days for line in lines], 0.9),
        next_step_planned=_next_step_planned(lines, hot),
        hot_prospects=int(values["hot_prospects"].value or 0),
        stale_offers=len(stale_ids),
        conversion=RateFigure.of(values["conversion"].rate),
        follow_up_rate=RateFigure.of(values["follow_up_rate"].rate),
        conversion_by_temperature=_conversion_by_temperature(book, period),
        activity_counts=_activity_counts(values) if book.shares_activities else None,
        open_offers=lines,
        hot_list=hot,
        objectives=_objectives(book, period, now, values),
    )


def _offer_line(book, offer, accounts, as_of, settings, stale) -> OpenOfferLine:  # type: ignore[no-untyped-def]
    account: BookAccount | None = accounts.get(offer.account_id)
    temperature = account.temperature if account else None
    probability = (
        offer.probability if offer.probability is not None else settings.probability(temperature)
    )
    candidates = (
        *book.activities_of_offer.get(offer.id, ()),
        *(a for a in book.activities_of_account.get(offer.account_id, ()) if a.offer_id is None),
    )
    follow_ups = [
        a.done_at
        for a in candidates
        if a.purpose is ActivityPurpose.FOLLOW_UP
        and a.done_at is not None
        and offer.sent_at <= a.done_at < as_of
    ]
    return OpenOfferLine(
        offer_id=offer.id,
        account_id=offer.account_id,
        account_name=account.name if account else "",
        label=offer.label,
        amount_cents=offer.amount_cents,
        weighted_cents=round_half_up(offer.amount_cents * probability),
        sent_at=offer.sent_at,
        age_days=int((as_of - offer.sent_at).total_seconds() // SECONDS_PER_DAY),
        last_follow_up_at=max(follow_ups, default=None),
        next_step_at=_next_step(book, offer.account_id, as_of, offer.id),
        stale=stale,
    )


def _hot_line(book: RepBook, account: BookAccount, as_of: datetime) -> HotProspectLine:
    done = [
        a.done_at
        for a in book.activities_of_account.get(account.id, ())
        if a.done_at is not None and a.done_at < as_of
    ]
    return HotProspectLine(
        account.id,
        account.name,
        account.city,
        max(done, default=None),
        _next_step(book, account.id, as_of, any_offer=True),
    )


def _next_step(
    book: RepBook,
    account_id: str,
    as_of: datetime,
    offer_id: str | None = None,
    *,
    any_offer: bool = False,
) -> datetime | None:
    """The next planned (not done) activity due after ``as_of`` on the account: for an
    offer, one on that offer or on the account itself (one tied to another offer of the
    account is that offer's step); for a prospect (``any_offer``), any of them."""
    due = [
        a.due_at
        for a in book.activities_of_account.get(account_id, ())
        if a.done_at is None
        and a.due_at is not None
        and a.due_at >= as_of
        and (any_offer or a.offer_id is None or a.offer_id == offer_id)
    ]
    return min(due, default=None)


def _next_step_planned(
    lines: tuple[OpenOfferLine, ...], hot: tuple[HotProspectLine, ...]
) -> RateFigure:
    planned = sum(1 for line in lines if line.next_step_at is not None)
    planned += sum(1 for line in hot if line.next_step_at is not None)
    return RateFigure.of(proportion(planned, len(lines) + len(hot)))


def _conversion_by_temperature(book: RepBook, period: Period) -> tuple[TemperatureConversion, ...]:
    """Conversion of the offers decided in P, split by their account's temperature now."""
    temperature = {a.id: a.temperature for a in book.accounts}
    split = []
    for temp in (Temperature.HOT, Temperature.WARM, Temperature.COLD):
        decided = [
            o
            for o in book.offers
            if o.status.is_decided
            and o.decided_at is not None
            and period.contains(o.decided_at)
            and temperature.get(o.account_id, Temperature.COLD) is temp
        ]
        won = sum(1 for o in decided if o.status is OfferStatus.WON)
        split.append(TemperatureConversion(temp, RateFigure.of(proportion(won, len(decided)))))
    return tuple(split)


def _activity_counts(values: dict[str, KpiValue]) -> ActivityCounts:
    return ActivityCounts(
        int(values["visits"].value or 0),
        int(values["calls"].value or 0),
        int(values["follow_ups"].value or 0),
    )


def _revenue_target(book: RepBook, period: Period) -> int | None:
    for objective in book.objectives:
        if objective.kpi_key == "revenue" and objective.period_kind is period.kind:
            return round_half_up(objective.target)
    return None


def _coverage(weighted: int, revenue: int, target: int | None) -> float | None:
    """How many times the weighted pipeline covers what remains of the revenue objective;
    None without an objective, or once it is reached (nothing remains to cover)."""
    if target is None or revenue >= target:
        return None
    return weighted / (target - revenue)


def _percentile(ages: list[int], q: float) -> float | None:
    """The q-quantile by linear interpolation between closest ranks (NumPy's default)."""
    if not ages:
        return None
    ordered = sorted(ages)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _objectives(
    book: RepBook, period: Period, now: datetime, values: dict[str, KpiValue]
) -> tuple[ObjectiveLine, ...]:
    lines = []
    for objective in sorted(book.objectives, key=lambda o: (o.kpi_key, o.period_kind)):
        if objective.period_kind is not period.kind:
            continue
        known = values.get(objective.kpi_key)
        value = None if known is None else known.value
        progress = objective_progress(
            definition(objective.kpi_key), value, objective.target, period, now
        )
        lines.append(
            ObjectiveLine(
                objective.kpi_key,
                objective.period_kind,
                objective.target,
                value,
                progress.progress,
                progress.expected_now,
                None if progress.pace is None else progress.pace.value,
            )
        )
    return tuple(lines)
