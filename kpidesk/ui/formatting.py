"""QDateTime for the input widgets: an instant the rep edits in local time, stored in UTC.

Texts and numbers are written by ``kpidesk.presentation``; only the date editors need Qt's type.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QTimeZone


def to_qdatetime(instant: datetime) -> QDateTime:
    """An aware UTC instant as a QDateTime in the machine's local zone."""
    utc = QDateTime.fromSecsSinceEpoch(int(instant.timestamp()), QTimeZone.utc())
    return utc.toLocalTime()


def to_utc(value: QDateTime) -> datetime:
    """A QDateTime the rep entered (local time) as an aware UTC datetime."""
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)
