"""The indicators of KPIS.md: catalogue, rate maths, comparison, objectives and computation.

Pure: no SQL, no Qt. The store reads :class:`~kpidesk.domain.kpis.facts.PeriodFacts` and
:func:`~kpidesk.domain.kpis.compute.compute_values` turns them into values.
"""

from kpidesk.domain.kpis.catalogue import (
    CATALOGUE,
    KPI_KEYS,
    KPIS,
    LENS_LABELS,
    LENSES,
    definition,
    in_group,
    lenses_of,
)
from kpidesk.domain.kpis.compute import compute_values
from kpidesk.domain.kpis.definition import (
    GROUP_LABELS,
    KpiDefinition,
    KpiGroup,
    KpiUnit,
    Lens,
    LensItem,
    RecordKind,
)
from kpidesk.domain.kpis.objectives import ObjectiveProgress, Pace, objective_progress
from kpidesk.domain.kpis.rates import LOW_CONFIDENCE_BELOW, Rate, proportion, ratio, wilson_interval
from kpidesk.domain.kpis.report import (
    Funnel,
    FunnelStage,
    FunnelStep,
    HistoryPoint,
    KpiReport,
    KpiResult,
    build_funnel,
)
from kpidesk.domain.kpis.settings import KpiSettings
from kpidesk.domain.kpis.trend import Direction, Trend, compare
from kpidesk.domain.kpis.values import Coverage, KpiPart, KpiValue

__all__ = [
    "CATALOGUE",
    "GROUP_LABELS",
    "KPIS",
    "KPI_KEYS",
    "LENSES",
    "LENS_LABELS",
    "LOW_CONFIDENCE_BELOW",
    "Coverage",
    "Direction",
    "Funnel",
    "FunnelStage",
    "FunnelStep",
    "HistoryPoint",
    "KpiDefinition",
    "KpiGroup",
    "KpiPart",
    "KpiReport",
    "KpiResult",
    "KpiSettings",
    "KpiUnit",
    "KpiValue",
    "Lens",
    "LensItem",
    "ObjectiveProgress",
    "Pace",
    "Rate",
    "RecordKind",
    "Trend",
    "build_funnel",
    "compare",
    "compute_values",
    "definition",
    "in_group",
    "lenses_of",
    "objective_progress",
    "proportion",
    "ratio",
    "wilson_interval",
]
