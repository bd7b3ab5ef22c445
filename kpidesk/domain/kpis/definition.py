"""The vocabulary of the catalogue: groups, units, lenses and the shape of a definition."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kpidesk.domain.i18n import N_


class KpiGroup(StrEnum):
    RATES = "rates"
    QUANTITIES = "quantities"
    MONEY = "money"
    PIPELINE = "pipeline"


GROUP_LABELS = {
    KpiGroup.RATES: N_("Rates"),
    KpiGroup.QUANTITIES: N_("Quantities"),
    KpiGroup.MONEY: N_("Money"),
    KpiGroup.PIPELINE: N_("Pipeline quality"),
}


class KpiUnit(StrEnum):
    COUNT = "count"  # a whole number of records
    MONEY = "money_cents"  # integer cents, excluding tax, in the report currency
    RATE = "rate"  # a fraction in [0, 1] (shown as a percentage)
    RATIO = "ratio"  # a quotient that may exceed 1 (shown as a percentage)
    DAYS = "days"  # a (fractional) number of days
    MONEY_PER_DAY = "money_cents_per_day"  # integer cents per day


class RecordKind(StrEnum):
    """The table the drill-down ids belong to."""

    ACTIVITY = "activity"
    OFFER = "offer"
    ACCOUNT = "account"


class Lens(StrEnum):
    """The two skills of the article (KPIS.md): each lens gathers the indicators of one."""

    PROSPECTING = "prospecting"
    CLOSING = "closing"


@dataclass(frozen=True, slots=True)
class KpiDefinition:
    key: str  # stable: stored in objectives, used in JSON and by the sync server
    group: KpiGroup
    label: str  # English, translatable (marked with N_; French in the catalogue)
    definition: str  # one plain sentence
    formula: str  # as shown to the rep
    unit: KpiUnit
    higher_is_better: bool
    levers: str  # what moves it, in one line
    records: RecordKind  # what the drill-down ids (for rates: the numerator's) point to
    # For rates: the denominator's records, when they are not the numerator's kind.
    denominator_records: RecordKind | None = None
    # True when the value grows through the period (counts and sums "in P"): objectives are
    # then paced by working days; a level (a rate, a state at the end of P) is not.
    accumulates: bool = False
    # A rate with a 95 % Wilson interval (a proportion of records); ratios have none.
    has_interval: bool = False
    note: str = ""  # how edge cases are read, when KPIS.md leaves a choice
    # Computed on the records whose value is known (a margin left blank is unknown, not zero):
    # its value then says on how many of them (KpiValue.coverage).
    on_known_values: bool = False
    lenses: frozenset[Lens] = frozenset()  # filled in from the catalogue's LENSES table

    @property
    def is_rate(self) -> bool:
        """Shown as "numerator / denominator" (the Rates group)."""
        return self.group is KpiGroup.RATES


@dataclass(frozen=True, slots=True)
class LensItem:
    key: str
    part: str | None = None  # a part of the indicator (the visits' "prospecting" split)
