"""What the engine says about one indicator over one period: the value and the records behind."""

from __future__ import annotations

from dataclasses import dataclass

from kpidesk.domain.kpis.rates import Rate


@dataclass(frozen=True, slots=True)
class KpiPart:
    """A named part of an indicator (the visits' "prospecting" and "other")."""

    key: str
    value: int
    ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KpiValue:
    """One indicator's value over one period, in the unit of its definition.

    ``value`` is None when it does not exist (a rate or mean over nothing). ``ids`` are the
    records counted, in no particular order (the page sorts them): for a count,
    ``len(ids) == value``; for a sum of money, the sum over these records; for a rate, the
    numerator's records, the denominator's being ``denominator_ids``.
    """

    key: str
    value: int | float | None
    ids: tuple[str, ...] = ()
    rate: Rate | None = None
    denominator_ids: tuple[str, ...] = ()
    parts: tuple[KpiPart, ...] = ()

    @property
    def low_confidence(self) -> bool:
        return self.rate is not None and self.rate.low_confidence

    def part(self, key: str) -> KpiPart:
        for part in self.parts:
            if part.key == key:
                return part
        raise KeyError(f"{self.key} has no part {key!r}")
