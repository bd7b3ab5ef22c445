"""Objectives: progress towards a target and pace by working days (KPIS.md, "Objectives")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from kpidesk.domain.checks import Problem
from kpidesk.domain.i18n import N_, Message
from kpidesk.domain.kpis.definition import KpiDefinition
from kpidesk.domain.periods import Period
from kpidesk.domain.vocabulary import OBJECTIVE_PERIOD_KINDS, PeriodKind


class Pace(StrEnum):
    """Where the rep stands: while the period runs (ahead, on pace, behind, too early to say),
    or once it is over (reached, missed). An accumulating target met before the end is reached.
    """

    AHEAD = "ahead"
    ON_PACE = "on_pace"
    BEHIND = "behind"
    TOO_EARLY = "too_early"  # under a fifth of the working days passed: no verdict yet
    REACHED = "reached"
    MISSED = "missed"

    @property
    def is_good(self) -> bool | None:
        """True for good news (reached, ahead, on pace), False for bad, None for no verdict."""
        if self is Pace.TOO_EARLY:
            return None
        return self in (Pace.AHEAD, Pace.ON_PACE, Pace.REACHED)


# A running period gets a verdict once this share of its working days has passed (KPIS.md).
VERDICT_AFTER_SHARE = 1 / 5


@dataclass(frozen=True, slots=True)
class ObjectiveProgress:
    """Where the rep stands against one objective over one period.

    ``expected_now`` is where the rep should be by now: for indicators that accumulate over the
    period (counts, revenue) the target times the share of working days elapsed; for levels (rates,
    pipeline, cycle) the target itself. For "lower is better" keys the pace is inverted: being
    under the expected value is ahead.
    """

    objective_id: str | None
    target: float
    value: float | None
    progress: float | None  # value ÷ target (None without a value or with a zero target)
    expected_now: float
    working_days_elapsed: int
    working_days_total: int
    pace: Pace | None  # None without a value
    # For accumulating keys: what is still needed per remaining working day (today included).
    needed_per_day: float | None


def objective_progress(
    definition: KpiDefinition,
    value: float | None,
    target: float,
    period: Period,
    now: datetime,
    objective_id: str | None = None,
) -> ObjectiveProgress:
    total = period.working_days
    elapsed = period.working_days_elapsed(now)
    expected = target * elapsed / total if definition.accumulates and total else target
    progress = value / target if value is not None and target else None
    pace = None if value is None else _pace(definition, value, target, expected, period, now)
    needed = None
    remaining = total - elapsed
    if definition.accumulates and definition.higher_is_better and remaining > 0:
        needed = max(0.0, target - (value or 0)) / remaining
    return ObjectiveProgress(
        objective_id, target, value, progress, expected, elapsed, total, pace, needed
    )


def _pace(
    definition: KpiDefinition,
    value: float,
    target: float,
    expected: float,
    period: Period,
    now: datetime,
) -> Pace:
    met = value >= target if definition.higher_is_better else value <= target
    if now >= period.end:
        return Pace.REACHED if met else Pace.MISSED
    if met and definition.accumulates and definition.higher_is_better:
        return Pace.REACHED  # counted things cannot be taken back: met is met
    total = period.working_days
    if total and period.working_days_elapsed(now) < total * VERDICT_AFTER_SHARE:
        return Pace.TOO_EARLY
    if value == expected:
        return Pace.ON_PACE
    if (value > expected) == definition.higher_is_better:
        return Pace.AHEAD
    return Pace.BEHIND


def check_objective_period_kind(values: Mapping[str, Any]) -> list[Problem]:
    """Objectives are set per month, quarter or year only."""
    kind = values.get("period_kind") or PeriodKind.MONTH
    try:
        valid = PeriodKind(kind) in OBJECTIVE_PERIOD_KINDS
    except ValueError:
        valid = False
    if valid:
        return []
    return [
        Problem(
            "period_kind",
            Message(
                N_("An objective is set per month, quarter or year."),
            ),
        )
    ]
