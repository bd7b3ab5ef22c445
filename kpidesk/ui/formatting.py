"""Numbers, money and dates the way the rep's locale writes them; instants in local time."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, QTimeZone

DASH = "—"  # a value that does not exist is shown as a dash, never as 0


def tr(text: str) -> str:
    return QCoreApplication.translate("Formatting", text)


class Formatter:
    def __init__(self, locale: QLocale | None = None) -> None:
        self.locale = locale or QLocale()

    def money(self, cents: int | None, currency: str = "EUR", *, decimals: int = 0) -> str:
        if cents is None:
            return DASH
        symbol = "€" if currency == "EUR" else currency
        return self.locale.toCurrencyString(cents / 100, symbol, decimals)

    def number(self, value: float | None, decimals: int = 0) -> str:
        if value is None:
            return DASH
        return self.locale.toString(float(value), "f", decimals)

    def percent(self, fraction: float | None, decimals: int = 0) -> str:
        if fraction is None:
            return DASH
        return f"{self.locale.toString(fraction * 100, 'f', decimals)} %"

    def local(self, instant: datetime) -> QDateTime:
        """An aware UTC instant as a QDateTime in the machine's local zone."""
        utc = QDateTime.fromSecsSinceEpoch(int(instant.timestamp()), QTimeZone.utc())
        return utc.toLocalTime()

    def date(self, instant: datetime | None) -> str:
        if instant is None:
            return DASH
        return self.locale.toString(self.local(instant).date(), QLocale.FormatType.ShortFormat)

    def datetime(self, instant: datetime | None) -> str:
        if instant is None:
            return DASH
        return self.locale.toString(self.local(instant), QLocale.FormatType.ShortFormat)

    def days_ago(self, instant: datetime | None, now: datetime | None = None) -> str:
        if instant is None:
            return DASH
        days = ((now or datetime.now(UTC)) - instant).days
        if days <= 0:
            return tr("today")
        if days == 1:
            return tr("yesterday")
        return tr("{n} days ago").format(n=days)


def to_utc(value: QDateTime) -> datetime:
    """A QDateTime the rep entered (local time) as an aware UTC datetime."""
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)
