"""Comparing a value with the previous period or the year before: the trend arrow."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from kpidesk.domain.kpis.definition import KpiDefinition
from kpidesk.domain.kpis.values import KpiValue


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    FLAT = "flat"


@dataclass(frozen=True, slots=True)
class Trend:
    direction: Direction
    delta: float  # current − reference, in the indicator's unit
    relative: float | None  # delta ÷ |reference|; None when the reference is 0
    improved: bool | None  # None when flat; otherwise whether the change is good news


def compare(definition: KpiDefinition, current: KpiValue, reference: KpiValue) -> Trend | None:
    """The trend from ``reference`` to ``current``, or None when no arrow may be drawn.

    No arrow when either value does not exist, or when either side is a low-confidence rate
    (denominator under 10): an arrow between two rates of 2 / 3 and 1 / 4 would only show noise.
    """
    if current.value is None or reference.value is None:
        return None
    if current.low_confidence or reference.low_confidence:
        return None
    delta = float(current.value) - float(reference.value)
    if math.isclose(current.value, reference.value, rel_tol=1e-9, abs_tol=1e-12):
        return Trend(Direction.FLAT, 0.0, 0.0 if reference.value else None, None)
    direction = Direction.UP if delta > 0 else Direction.DOWN
    relative = delta / abs(reference.value) if reference.value else None
    improved = (delta > 0) == definition.higher_is_better
    return Trend(direction, delta, relative, improved)
