"""Numbers, money, percentages, dates and relative times the way the rep's locale writes them
(CLDR, through Babel); instants are shown in the machine's local time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from kpidesk.presentation.translation import _, active

# Babel is imported when a Formatter first writes something, not with this module: the window
# paints before Babel's import and its first locale load (tests/benchmarks/bench_startup.py).
if TYPE_CHECKING:
    from babel import Locale

DASH = "—"  # a value that does not exist is shown as a dash, never as 0


class Formatter:
    """``locale``: the active language's unless given; ``tz``: where instants are shown (the
    machine's zone unless given)."""

    def __init__(self, locale: Locale | None = None, tz: tzinfo | None = None) -> None:
        self._locale = locale
        self._language = active()  # the language in force now, its locale read when needed
        self.tz = tz

    @property
    def locale(self) -> Locale:
        return self._locale or self._language.locale

    # -- numbers ------------------------------------------------------------------------------

    def number(self, value: float | None, decimals: int = 0) -> str:
        if value is None:
            return DASH
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        from babel.numbers import format_decimal

        return format_decimal(value, format=pattern, locale=self.locale)

    def money(self, cents: int | None, currency: str = "EUR", *, decimals: int = 0) -> str:
        """ "€12,400" (en_GB), "12 400 €" (fr_FR); ``decimals=2`` for cents."""
        if cents is None:
            return DASH
        pattern = self.locale.currency_formats["standard"].pattern.split(";")[0]
        if decimals != 2:
            fraction = "." + "0" * decimals if decimals else ""
            pattern = pattern.replace(".00", fraction)
        from babel.numbers import format_currency

        return format_currency(
            cents / 100, currency, format=pattern, locale=self.locale, currency_digits=False
        )

    def currency_symbol(self, currency: str = "EUR") -> str:
        from babel.numbers import get_currency_symbol

        return get_currency_symbol(currency, locale=self.locale)

    def percent(self, fraction: float | None, decimals: int = 0) -> str:
        """0.667 -> "67%" (en), "67 %" (fr)."""
        if fraction is None:
            return DASH
        pattern = self.locale.percent_formats[None].pattern.split(";")[0]
        if decimals:
            pattern = pattern.replace("0%", "0." + "0" * decimals + "%")
        from babel.numbers import format_percent

        return format_percent(fraction, format=pattern, locale=self.locale)

    # -- dates --------------------------------------------------------------------------------

    def local(self, instant: datetime) -> datetime:
        """An aware instant in the shown zone."""
        return instant.astimezone(self.tz) if self.tz else instant.astimezone()

    def day(self, day: date | None, width: str = "short") -> str:
        """A calendar day: "10/03/2026" (short), "10 Mar 2026" (medium)."""
        from babel.dates import format_date

        return DASH if day is None else format_date(day, width, locale=self.locale)

    def date(self, instant: datetime | None) -> str:
        return DASH if instant is None else self.day(self.local(instant).date())

    def datetime(self, instant: datetime | None) -> str:
        if instant is None:
            return DASH
        from babel.dates import format_datetime

        return format_datetime(self.local(instant), "short", tzinfo=self.local(instant).tzinfo,
                               locale=self.locale)  # fmt: skip

    def when_in_full(self, instant: datetime) -> str:
        """ "Tuesday 8 December 2026 at 09:30": the weekday, the day and the time, in words."""
        from babel.dates import format_date, format_time

        local = self.local(instant)
        return _("{day} at {time}").format(
            day=format_date(local.date(), "full", locale=self.locale),
            time=format_time(local.time(), "short", locale=self.locale),
        )

    def skeleton(self, day: date, skeleton: str) -> str:
        """A day in a CLDR skeleton ("MMMy" -> "Mar 2026", "dMMM" -> "10 Mar")."""
        from babel.dates import format_skeleton

        return format_skeleton(skeleton, day, locale=self.locale)

    def month_name(self, month: int, width: str = "abbreviated") -> str:
        return self.locale.months["stand-alone"][width][month]

    def weekday_name(self, iso_weekday: int, width: str = "abbreviated") -> str:
        """Monday = 1 ... Sunday = 7, in the rep's language ("Mon", "lun.")."""
        return self.locale.days["stand-alone"][width][iso_weekday - 1]

    def day_range(self, first: date, last: date) -> str:
        """ "1 Oct 2026 to 27 Oct 2026": both days, in words."""
        return _("{first} to {last}").format(
            first=self.day(first, "medium"), last=self.day(last, "medium")
        )

    def days_ago(self, instant: datetime | None, now: datetime | None = None) -> str:
        """ "today", "yesterday", "3 days ago": whole days."""
        if instant is None:
            return DASH
        days = ((now or datetime.now(UTC)) - instant).days
        if days <= 0:
            return _("today")
        if days == 1:
            return _("yesterday")
        return self.time_ago(timedelta(days=days))

    def time_ago(self, elapsed: timedelta, threshold: float = 0.85) -> str:
        """ "3 min ago", "2 hours ago", "3 days ago" (CLDR's words)."""
        from babel.dates import format_timedelta

        return format_timedelta(
            -elapsed, add_direction=True, threshold=threshold, locale=self.locale
        )

    def time_ahead(self, delay: timedelta) -> str:
        """ "in 2 minutes"."""
        from babel.dates import format_timedelta

        return format_timedelta(delay, add_direction=True, locale=self.locale)
