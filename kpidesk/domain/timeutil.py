"""Time helpers: the project stores UTC and refuses naive datetimes everywhere."""

from __future__ import annotations

from datetime import UTC, datetime


class NaiveDatetimeError(ValueError):
    """A datetime without a time zone reached a place that stores instants."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def require_aware(value: datetime) -> datetime:
    """Return ``value`` converted to UTC; refuse a naive datetime (its instant is unknown)."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise NaiveDatetimeError(f"datetime {value.isoformat()} has no time zone")
    return value.astimezone(UTC)


def to_wire(value: datetime) -> str:
    """ISO 8601 in UTC with microseconds and a 'Z', fixed width so text order is time order."""
    return require_aware(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_wire(text: str) -> datetime:
    """Parse an ISO 8601 instant; a value without an offset is refused."""
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    return require_aware(parsed)
