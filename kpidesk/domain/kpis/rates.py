"""Rates with their numerator, denominator and 95 % Wilson score interval (KPIS.md, "Rates").

A rate whose denominator is zero has no value ("—"), never 0 %; one whose denominator is under
10 is low-confidence, and the page draws no trend arrow for it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# The two-sided 95 % quantile of the standard normal distribution.
Z_95 = 1.959963984540054
LOW_CONFIDENCE_BELOW = 10


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of ``successes / trials``; None when it does not exist.

    Wilson rather than the textbook "p ± 1.96 √(p(1−p)/n)": it stays inside [0, 1] and is
    honest for the small counts a rep has (7 / 12), where the textbook one collapses at 0 and 1.
    """
    if trials <= 0 or not 0 <= successes <= trials:
        return None
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    # At 0 and n the bounds are exactly 0 and 1; rounding would leave 1e-17 on the wrong side.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True, slots=True)
class Rate:
    """``numerator / denominator`` with its interval (``low``, ``high``), if it has one."""

    numerator: int
    denominator: int
    low: float | None = None
    high: float | None = None

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def low_confidence(self) -> bool:
        return self.denominator < LOW_CONFIDENCE_BELOW

    def overlaps(self, other: Rate) -> bool | None:
        """Whether the two intervals overlap; None when either has no interval."""
        if None in (self.low, self.high, other.low, other.high):
            return None
        return self.low <= other.high and other.low <= self.high  # type: ignore[operator]

    def __str__(self) -> str:
        return f"{self.numerator} / {self.denominator}"


def proportion(numerator: int, denominator: int) -> Rate:
    """A share of records, with its Wilson interval (none when it cannot exist)."""
    interval = wilson_interval(numerator, denominator)
    low, high = interval if interval else (None, None)
    return Rate(numerator, denominator, low, high)


def ratio(numerator: int, denominator: int) -> Rate:
    """A quotient that may exceed 1 (offers per visit): no interval."""
    return Rate(numerator, denominator)
