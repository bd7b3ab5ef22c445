"""How an indicator reads: values in their unit and the rep's locale, trends, pace.

Pure text, so the tile, the detail panel, the funnel and ``kpidesk kpi`` say the same thing
with the same rounding. Catalogue texts (labels, definitions, formulas) are English source
strings marked with ``N_``: they are translated here, at display time, with :func:`kpi_text`.
"""

from __future__ import annotations

from kpidesk.domain.kpis import (
    Direction,
    KpiDefinition,
    KpiUnit,
    KpiValue,
    ObjectiveProgress,
    Pace,
    Rate,
    Trend,
)
from kpidesk.domain.periods import Period
from kpidesk.presentation.formats import DASH, Formatter
from kpidesk.presentation.periods import period_name
from kpidesk.presentation.translation import N_, _, ngettext

ARROWS = {Direction.UP: "▲", Direction.DOWN: "▼", Direction.FLAT: "="}
# Only rates read as percentages; a ratio ("offers per visit") reads as the number it is: 0.43.
PERCENT_UNITS = (KpiUnit.RATE,)


def kpi_text(text: str) -> str:
    """A catalogue text (label, definition, formula...) in the rep's language."""
    return _(text)


def currency_symbol(currency: str) -> str:
    return Formatter().currency_symbol(currency)


# What a tile says of an objective: the verdict and the target.
PACE_TEXTS = {
    Pace.AHEAD: N_("Ahead of pace · target {target}"),
    Pace.ON_PACE: N_("On pace · target {target}"),
    Pace.BEHIND: N_("Behind pace · target {target}"),
    Pace.TOO_EARLY: N_("Target {target} · too early to judge: {elapsed} of {total} working days"),
    Pace.REACHED: N_("Reached · target {target}"),
    Pace.MISSED: N_("Missed · target {target}"),
}


class KpiDisplay:
    """Formats one indicator's numbers; ``currency`` is the report's."""

    def __init__(self, fmt: Formatter | None = None, currency: str = "EUR") -> None:
        self.fmt = fmt or Formatter()
        self.currency = currency

    def value(self, definition: KpiDefinition, value: float | None) -> str:
        """The value in its unit: "58%", "12", "€48,200", "23.4 days"; "—" when none."""
        if value is None:
            return DASH
        unit = definition.unit
        if unit in PERCENT_UNITS:
            return self.fmt.percent(value)
        if unit is KpiUnit.RATIO:
            return self.fmt.number(value, 2)
        if unit is KpiUnit.MONEY:
            return self.fmt.money(round(value), self.currency)
        if unit is KpiUnit.MONEY_PER_DAY:
            return _("{amount} / day").format(amount=self.fmt.money(round(value), self.currency))
        if unit is KpiUnit.DAYS:
            return ngettext("{n} day", "{n} days", 1 if value == 1 else 2).format(
                n=self.fmt.number(value, 1)
            )
        return self.fmt.number(value)

    def delta(self, definition: KpiDefinition, delta: float) -> str:
        """A signed difference in the indicator's unit; rates move in percentage points."""
        sign = "+" if delta > 0 else ""
        unit = definition.unit
        if unit in PERCENT_UNITS:
            return _("{sign}{n} pts").format(sign=sign, n=self.fmt.number(delta * 100))
        if unit in (KpiUnit.MONEY, KpiUnit.MONEY_PER_DAY):
            # Some locales write a negative amount in parentheses (accounting style): the sign
            # is written here instead, the same for every unit.
            sign = "+" if delta > 0 else "−" if delta < 0 else ""
            return sign + self.fmt.money(abs(round(delta)), self.currency)
        if unit is KpiUnit.DAYS:
            days = ngettext("{sign}{n} day", "{sign}{n} days", 1 if abs(delta) == 1 else 2)
            return days.format(sign=sign, n=self.fmt.number(delta, 1))
        if unit is KpiUnit.RATIO:
            return sign + self.fmt.number(delta, 2)
        return sign + self.fmt.number(delta)

    def trend(self, definition: KpiDefinition, trend: Trend) -> str:
        """ "▲ +3 (+25 %)": the arrow, the change, and the relative change for amounts."""
        shown = self.delta(definition, trend.delta)
        # A change too small to show ("+0 pts") is no change: no arrow for it.
        if trend.direction is Direction.FLAT or shown.lstrip("+−-") == self.delta(definition, 0.0):
            return f"{ARROWS[Direction.FLAT]} " + _("unchanged")
        text = f"{ARROWS[trend.direction]} {shown}"
        if trend.relative is not None and definition.unit not in PERCENT_UNITS and trend.delta:
            sign = "+" if trend.relative > 0 else ""
            text += f" ({sign}{self.fmt.percent(trend.relative)})"
        return text

    @staticmethod
    def fraction(rate: Rate | None) -> str:
        """ "7 / 12": a rate always shows what it is made of."""
        return f"{rate.numerator} / {rate.denominator}" if rate is not None else ""

    def coverage(self, value: KpiValue) -> str:
        """ "on 12 of 40 offers won": the value is computed on the known margins only (KPIS.md);
        empty when every margin is known."""
        coverage = value.coverage
        if coverage is None:
            return ""
        total = self.fmt.number(coverage.total)
        if not coverage.known:
            return ngettext(
                "no margin entered on the offer won",
                "no margin entered on the {total} offers won",
                coverage.total,
            ).format(total=total)
        return ngettext(
            "on {known} of {total} offer won", "on {known} of {total} offers won", coverage.total
        ).format(known=self.fmt.number(coverage.known), total=total)

    def interval(self, rate: Rate | None) -> str:
        if rate is None or rate.low is None or rate.high is None:
            return ""
        return _("95% interval: {low} to {high}").format(
            low=self.fmt.percent(rate.low), high=self.fmt.percent(rate.high)
        )

    def comparison(self, definition: KpiDefinition, value: KpiValue, period: Period) -> str:
        """One line of a tooltip: "February 2026: 12 (7 / 12)"."""
        # Through the catalogue: French puts a (no-break) space before the colon.
        text = _("{period}: {value}").format(
            period=period_name(period, self.fmt), value=self.value(definition, value.value)
        )
        if value.rate is not None and definition.is_rate:
            text += f" ({self.fraction(value.rate)})"
        elif value.coverage is not None:
            text += f" ({self.coverage(value)})"
        return text

    def pace(self, definition: KpiDefinition, progress: ObjectiveProgress) -> str:
        """Where the rep stands against their target, in encouraging, plain words."""
        target = self.value(definition, progress.target)
        if progress.pace is None:
            return _("Target {target}").format(target=target)
        text = _(PACE_TEXTS[progress.pace]).format(
            target=target,
            elapsed=self.fmt.number(progress.working_days_elapsed),
            total=self.fmt.number(progress.working_days_total),
        )
        if progress.pace is Pace.BEHIND and progress.needed_per_day:
            needed = self.value(definition, progress.needed_per_day)
            if definition.unit is KpiUnit.COUNT:  # 1.5 visits a day, but 2 rather than 2.0
                per_day = progress.needed_per_day
                needed = self.fmt.number(per_day, 0 if per_day == round(per_day) else 1)
            text += " · " + _("{n} a working day to get there").format(n=needed)
        return text
