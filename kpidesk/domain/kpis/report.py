"""What the KPI service hands to the page and the CLI: plain, frozen objects."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from kpidesk.domain.i18n import N_
from kpidesk.domain.kpis.catalogue import LENSES
from kpidesk.domain.kpis.definition import (
    KpiDefinition,
    KpiGroup,
    KpiUnit,
    Lens,
    LensItem,
    RecordKind,
)
from kpidesk.domain.kpis.objectives import ObjectiveProgress
from kpidesk.domain.kpis.rates import Rate, ratio
from kpidesk.domain.kpis.trend import Trend, compare
from kpidesk.domain.kpis.values import KpiValue
from kpidesk.domain.periods import Period


@dataclass(frozen=True)
class KpiResult:
    """One tile: the value over the period and over the two periods it is compared with."""

    definition: KpiDefinition
    current: KpiValue
    previous: KpiValue
    year_ago: KpiValue
    objective: ObjectiveProgress | None = None

    @property
    def key(self) -> str:
        return self.definition.key

    @property
    def unit(self) -> KpiUnit:
        return self.definition.unit

    @property
    def value(self) -> int | float | None:
        return self.current.value

    @property
    def vs_previous(self) -> Trend | None:
        """The arrow against the previous period; None when none may be drawn."""
        return compare(self.definition, self.current, self.previous)

    @property
    def vs_year_ago(self) -> Trend | None:
        return compare(self.definition, self.current, self.year_ago)


@dataclass(frozen=True)
class KpiReport:
    """Every indicator over ``period``, compared with ``previous_period`` and ``year_ago_period``.

    Indicators read "at the end of the period" use ``as_of``: the period's end, or now while the
    period is still running.
    """

    period: Period
    previous_period: Period
    year_ago_period: Period
    as_of: datetime
    currency: str
    results: Mapping[str, KpiResult]  # in catalogue order

    def __getitem__(self, key: str) -> KpiResult:
        return self.results[key]

    def __iter__(self):
        return iter(self.results.values())

    @property
    def is_partial(self) -> bool:
        """True while the period is still running (its counts are "so far")."""
        return self.as_of < self.period.end

    def group(self, group: KpiGroup) -> list[KpiResult]:
        return [r for r in self.results.values() if r.definition.group is group]

    def lens(self, lens: Lens) -> list[tuple[KpiResult, LensItem]]:
        """The lens's tiles in its order; ``item.part`` names a part to show (visits)."""
        return [(self.results[item.key], item) for item in LENSES[lens] if item.key in self.results]


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    period: Period
    value: KpiValue


FUNNEL_LABELS = {
    "visits": N_("Visits"),
    "offers_sent": N_("Offers sent"),
    "offers_won": N_("Offers won"),
}


@dataclass(frozen=True, slots=True)
class FunnelStage:
    key: str  # "visits", "offers_sent", "offers_won"
    label: str  # English, marked with N_: translated where it is shown
    count: int
    ids: tuple[str, ...]
    records: RecordKind


@dataclass(frozen=True, slots=True)
class FunnelStep:
    """From one stage to the next: a ratio of counts of the same period (no interval)."""

    from_key: str
    to_key: str
    rate: Rate


@dataclass(frozen=True)
class Funnel:
    """Visits done → offers sent → offers won in one period, with the ratios between.

    The stages are counts of the same period, not one cohort followed through: an offer won in
    March may have been sent in February. Conversion (won ÷ decided) is the indicator to judge
    closing; the last step here (won ÷ sent) only shows the volumes side by side.
    """

    period: Period
    stages: tuple[FunnelStage, ...]
    steps: tuple[FunnelStep, ...]


def build_funnel(period: Period, values: Mapping[str, KpiValue]) -> Funnel:
    """The funnel from the values of ``visits``, ``offers_sent`` and ``conversion``."""
    won_ids = values["conversion"].ids
    stages = (
        FunnelStage(
            "visits",
            FUNNEL_LABELS["visits"],
            len(values["visits"].ids),
            values["visits"].ids,
            RecordKind.ACTIVITY,
        ),
        FunnelStage(
            "offers_sent",
            FUNNEL_LABELS["offers_sent"],
            len(values["offers_sent"].ids),
            values["offers_sent"].ids,
            RecordKind.OFFER,
        ),
        FunnelStage(
            "offers_won", FUNNEL_LABELS["offers_won"], len(won_ids), won_ids, RecordKind.OFFER
        ),
    )
    steps = tuple(
        FunnelStep(a.key, b.key, ratio(b.count, a.count)) for a, b in itertools.pairwise(stages)
    )
    return Funnel(period, stages, steps)
