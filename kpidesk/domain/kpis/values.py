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
class Coverage:
    """How many of the records an indicator is about hold the value it sums: a margin known on
    12 of the 40 offers won. KPIS.md: over partly unknown values an indicator is computed on the
    known ones and says so; over none it is "—"."""

    known: int
    total: int


@dataclass(frozen=True, slots=True)
class KpiValue:
    """One indicator's value over one period, in the unit of its definition.

    ``value`` is None when it does not exist (a rate or mean over nothing). ``ids`` are the
    records counted, in no particular order (the page sorts them): for a count,
    ``len(ids) == value``; for a sum of money, the sum over these records; for a rate, the
    numerator's records, the denominator's being ``denominator_ids``. ``coverage`` is set when
    some of the records the indicator is about lack the value it is computed on (they are then
    left out of ``ids`` as of the value).
    """

    key: str
    value: int | float | None
    ids: tuple[str, ...] = ()
    rate: Rate | None = None
    denominator_ids: tuple[str, ...] = ()
    parts: tuple[KpiPart, ...] = ()
    coverage: Coverage | None = None

    @property
    def low_confidence(self) -> bool:
        return self.rate is not None and self.rate.low_confidence

    def part(self, key: str) -> KpiPart:
        for part in self.parts:
            if part.key == key:
                return part
        raise KeyError(f"{self.key} has no part {key!r}")
