"""Periods of the rep's calendar: weeks, months, quarters, years, rolling windows, custom ranges.

A period is a half-open range of whole *local* days ``[first_day, end_day)`` in the rep's time
zone (KPIS.md, "Periods"). The zone is always passed in: domain code never guesses the machine's.
Its bounds as instants (:attr:`Period.start`, :attr:`Period.end`) are the local midnights
converted to UTC, which is what the store compares with; a month that contains a daylight-saving
change is therefore 743 or 745 hours long, as it should be.

Working-day helpers (Monday to Friday) serve the pace of objectives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kpidesk.domain.i18n import N_, Message
from kpidesk.domain.timeutil import require_aware
from kpidesk.domain.vocabulary import PeriodKind

CALENDAR_KINDS = frozenset({PeriodKind.WEEK, PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR})
ROLLING_DAYS = {PeriodKind.LAST_30_DAYS: 30, PeriodKind.LAST_90_DAYS: 90}

_MONTH_LABELS = (
    N_("January {year}"),
    N_("February {year}"),
    N_("March {year}"),
    N_("April {year}"),
    N_("May {year}"),
    N_("June {year}"),
    N_("July {year}"),
    N_("August {year}"),
    N_("September {year}"),
    N_("October {year}"),
    N_("November {year}"),
    N_("December {year}"),
)


class InvalidPeriodError(ValueError):
    """A period that cannot exist (empty, reversed, or a kind that needs explicit bounds)."""


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The first instant of ``day`` in ``tz``, in UTC.

    Where a zone skips midnight (a daylight-saving gap at 00:00), the day starts at the end of
    the gap: fold=0 reads the skipped wall time with the offset in force before it, which is
    exactly the transition instant.
    """
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def shift_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (earlier if negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def one_year_before(instant: datetime, tz: ZoneInfo) -> datetime:
    """The same local wall time one calendar year earlier, as a UTC instant.

    "The 12 months before that instant" (KPIS.md, retention) is read on the rep's calendar, so
    that the window before a period's start is itself a whole number of local days.
    """
    local = require_aware(instant).astimezone(tz)
    earlier = datetime.combine(shift_years(local.date(), -1), local.timetz().replace(tzinfo=None))
    return earlier.replace(tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Period:
    """Whole local days ``[first_day, end_day)`` of one kind, in the zone ``tz``.

    Build one with :func:`period_containing` or :meth:`Period.custom`; compare it with
    :meth:`previous` and :meth:`year_ago`.
    """

    kind: PeriodKind
    first_day: date
    end_day: date  # exclusive: the first local day after the period
    tz: ZoneInfo

    def __post_init__(self) -> None:
        if self.first_day >= self.end_day:
            raise InvalidPeriodError(
                f"a period must end after it starts ({self.first_day} to {self.end_day})"
            )

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def custom(cls, first_day: date, end_day: date, tz: ZoneInfo) -> Period:
        """A custom period of whole local days; ``end_day`` is excluded."""
        return cls(PeriodKind.CUSTOM, first_day, end_day, tz)

    # -- bounds -------------------------------------------------------------------------------

    @property
    def start(self) -> datetime:
        """The first instant of the period, in UTC (compare with ``>=``)."""
        return local_midnight(self.first_day, self.tz)

    @property
    def end(self) -> datetime:
        """The first instant after the period, in UTC (compare with ``<``)."""
        return local_midnight(self.end_day, self.tz)

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(self.tz)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(self.tz)

    @property
    def last_day(self) -> date:
        """The last local day inside the period (for display: "1–31 March")."""
        return self.end_day - timedelta(days=1)

    @property
    def days(self) -> int:
        """Number of local calendar days (not 24-hour spans: DST days count as one)."""
        return (self.end_day - self.first_day).days

    def contains(self, instant: datetime) -> bool:
        return self.start <= require_aware(instant) < self.end

    # -- comparisons --------------------------------------------------------------------------

    def previous(self) -> Period:
        """The period just before: the previous calendar week/month/quarter/year, or for rolling
        and custom periods the window of the same number of days that ends where this starts."""
        if self.kind in CALENDAR_KINDS:
            return period_containing(self.kind, self.first_day - timedelta(days=1), self.tz)
        return Period(
            self.kind, self.first_day - timedelta(days=self.days), self.first_day, self.tz
        )

    def first_days(self, n: int) -> Period:
        """The first ``n`` days of this period as a custom period (this period itself when it
        has no more days): what a running period is fairly compared with."""
        if n >= self.days:
            return self
        return Period.custom(self.first_day, self.first_day + timedelta(days=max(1, n)), self.tz)

    def next(self) -> Period:
        """The period just after (the inverse of :meth:`previous`): for the page's "next" key."""
        if self.kind in CALENDAR_KINDS:
            return period_containing(self.kind, self.end_day, self.tz)
        return Period(self.kind, self.end_day, self.end_day + timedelta(days=self.days), self.tz)

    def year_ago(self) -> Period:
        """The same period one year earlier.

        Months, quarters and years: the same calendar period. ISO weeks: the week with the same
        number in the previous ISO year (its last week when that year has no week 53). Rolling and
        custom periods: the same number of days, ending on the same calendar day a year earlier.
        """
        if self.kind is PeriodKind.WEEK:
            iso_year, week, _ = self.first_day.isocalendar()
            weeks_then = date(iso_year - 1, 12, 28).isocalendar().week  # 28 Dec is in the last
            monday = date.fromisocalendar(iso_year - 1, min(week, weeks_then), 1)
            return period_containing(PeriodKind.WEEK, monday, self.tz)
        if self.kind in CALENDAR_KINDS:
            return period_containing(self.kind, shift_years(self.first_day, -1), self.tz)
        end_day = shift_years(self.end_day, -1)
        return Period(self.kind, end_day - timedelta(days=self.days), end_day, self.tz)

    def history(self, n: int) -> list[Period]:
        """The ``n`` periods ending with this one, oldest first (for charts)."""
        if n < 1:
            raise ValueError(f"a history holds at least one period, not {n}")
        periods = [self]
        while len(periods) < n:
            periods.append(periods[-1].previous())
        return periods[::-1]

    # -- objectives ---------------------------------------------------------------------------

    @property
    def working_days(self) -> int:
        return working_days_between(self.first_day, self.end_day)

    def working_days_elapsed(self, now: datetime) -> int:
        """Working days of the period already over at ``now``.

        Today is not counted until it is over: in the morning the rep is not yet "behind" for
        today, and what remains to do includes today.
        """
        today = require_aware(now).astimezone(self.tz).date()
        upto = min(max(today, self.first_day), self.end_day)
        return working_days_between(self.first_day, upto)

    # -- display ------------------------------------------------------------------------------

    def label(self) -> Message:
        """A short translatable name: "March 2026", "Week 11, 2026", "Q1 2026"..."""
        first, last = self.first_day, self.last_day
        if self.kind is PeriodKind.WEEK:
            iso = first.isocalendar()
            return Message(
                N_("Week {week}, {year}"),
                {"week": iso.week, "year": iso.year},
            )
        if self.kind is PeriodKind.MONTH:
            return Message(_MONTH_LABELS[first.month - 1], {"year": first.year})
        if self.kind is PeriodKind.QUARTER:
            return Message(
                N_("Q{quarter} {year}"),
                {"quarter": (first.month - 1) // 3 + 1, "year": first.year},
            )
        if self.kind is PeriodKind.YEAR:
            return Message(N_("{year}"), {"year": first.year})
        span = {"first": first, "last": last}  # days: shown in the rep's locale, ISO in str()
        if self.kind is PeriodKind.LAST_30_DAYS:
            return Message(N_("Last 30 days ({first} to {last})"), span)
        if self.kind is PeriodKind.LAST_90_DAYS:
            return Message(N_("Last 90 days ({first} to {last})"), span)
        return Message(N_("{first} to {last}"), span)

    def __str__(self) -> str:
        return self.label().english()


def period_containing(kind: PeriodKind | str, at: datetime | date, tz: ZoneInfo) -> Period:
    """The period of ``kind`` that contains ``at`` (an instant, or a local day).

    Rolling windows end with the local day of ``at`` included: "last 30 days" on 31 March is
    2 March to 31 March.
    """
    kind = PeriodKind(kind)
    day = require_aware(at).astimezone(tz).date() if isinstance(at, datetime) else at
    if kind is PeriodKind.WEEK:
        monday = day - timedelta(days=day.weekday())
        return Period(kind, monday, monday + timedelta(days=7), tz)
    if kind is PeriodKind.MONTH:
        first = day.replace(day=1)
        return Period(kind, first, _add_months(first, 1), tz)
    if kind is PeriodKind.QUARTER:
        first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period(kind, first, _add_months(first, 3), tz)
    if kind is PeriodKind.YEAR:
        return Period(kind, date(day.year, 1, 1), date(day.year + 1, 1, 1), tz)
    if kind in ROLLING_DAYS:
        end_day = day + timedelta(days=1)
        return Period(kind, end_day - timedelta(days=ROLLING_DAYS[kind]), end_day, tz)
    raise InvalidPeriodError("a custom period needs its first and end days: use Period.custom")


def _add_months(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def working_days_between(first: date, end: date) -> int:
    """Mondays to Fridays in ``[first, end)`` (public holidays are not known, so they count)."""
    if end <= first:
        return 0
    days = (end - first).days
    full_weeks, rest = divmod(days, 7)
    count = full_weeks * 5
    weekday = first.weekday()
    for offset in range(rest):
        if (weekday + offset) % 7 < 5:
            count += 1
    return count
