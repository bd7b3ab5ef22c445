"""Periods in words: "November 2026", "Q4 2026", "Week 48, 2026", a chart's "W48", and the
names of the kinds of period ("Month", "Last 30 days")."""

from __future__ import annotations

from typing import Any

from kpidesk.domain.periods import Period
from kpidesk.domain.vocabulary import PeriodKind
from kpidesk.presentation.formats import Formatter
from kpidesk.presentation.labels import message_text
from kpidesk.presentation.translation import N_, _

KIND_LABELS = {
    PeriodKind.WEEK: N_("Week"),
    PeriodKind.MONTH: N_("Month"),
    PeriodKind.QUARTER: N_("Quarter"),
    PeriodKind.YEAR: N_("Year"),
    PeriodKind.LAST_30_DAYS: N_("Last 30 days"),
    PeriodKind.LAST_90_DAYS: N_("Last 90 days"),
    PeriodKind.CUSTOM: N_("Custom…"),
}
DATED_KINDS = (PeriodKind.LAST_30_DAYS, PeriodKind.LAST_90_DAYS, PeriodKind.CUSTOM)


def kind_label(kind: Any) -> str:
    """ "Month"; a value that is no kind of period is shown as it is."""
    try:
        return _(KIND_LABELS[PeriodKind(kind)])
    except (KeyError, ValueError):
        return str(kind)


def period_name(period: Period, fmt: Formatter | None = None) -> str:
    """ "March 2026", "Q1 2026", "Last 30 days (01/03/2026 to 30/03/2026)", "1 Oct 2026 to
    27 Oct 2026" (a custom period: days in words, not ISO dates)."""
    fmt = fmt or Formatter()
    if period.kind is PeriodKind.CUSTOM:
        return fmt.day_range(period.first_day, period.last_day)
    return message_text(period.label(), fmt)


def names_its_days(period: Period) -> bool:
    """Whether :func:`period_name` already says the first and last day."""
    return period.kind in DATED_KINDS


def short_period_name(
    period: Period, fmt: Formatter | None = None, *, with_year: bool = True
) -> str:
    """A chart's axis label: "W11", "Mar 26" (or "Mar"), "Q1 26", "2026", or the first day."""
    fmt = fmt or Formatter()
    first = period.first_day
    if period.kind is PeriodKind.WEEK:
        return _("W{week}").format(week=first.isocalendar().week)
    if period.kind is PeriodKind.MONTH:
        month = fmt.month_name(first.month)
        return f"{month} {first.year % 100:02d}" if with_year else month
    if period.kind is PeriodKind.QUARTER:
        return _("Q{quarter} {year}").format(
            quarter=(first.month - 1) // 3 + 1, year=f"{first.year % 100:02d}"
        )
    if period.kind is PeriodKind.YEAR:
        return str(first.year)
    return fmt.skeleton(first, "dM")


def same_period(a: Period, b: Period) -> bool:
    """A year's previous period is the year-ago one: name it once."""
    return (a.kind, a.first_day, a.end_day) == (b.kind, b.first_day, b.end_day)


def comparison_sentence(previous: Period, year_ago: Period, fmt: Formatter | None = None) -> str:
    """What a report compares with, each period named once: a year's previous period is also
    the year before, so it is not said twice ("Compared with 2025 and 2025")."""
    fmt = fmt or Formatter()
    if same_period(previous, year_ago):
        return _(
            "Compared with the period before, {previous}, which is also a year earlier."
        ).format(previous=period_name(previous, fmt))
    return _("Compared with the period before, {previous}, and a year earlier, {year_ago}.").format(
        previous=period_name(previous, fmt), year_ago=period_name(year_ago, fmt)
    )
