"""The rep's follow-up habit and working week, from the local settings (with defaults).

Keys (the Settings page writes them; a missing or unreadable one falls back to its default):

- ``follow_up.delay_days``: days between a log and the next step proposed (default 7, the
  same week as the ``follow_up_stale_offer`` suggestion);
- ``follow_up.hour``: the hour of the next step, as ``"HH:MM"`` or a number of hours
  (``9.5`` = 09:30; default 09:30);
- ``work.days``: the working ISO weekdays, Monday 1 ... Sunday 7 (default Monday to Friday);
- ``work.start_hour``, ``work.end_hour``: the working hours, whole hours (default 8 and 18).
"""

from __future__ import annotations

from datetime import time
from typing import Any

from kpidesk.domain.changes import Changes, Kind
from kpidesk.domain.next_step import WorkingTime
from kpidesk.domain.work import check_work_settings, work_settings_values
from kpidesk.services.errors import InvalidInputError
from kpidesk.store.database import Database
from kpidesk.store.settings import read_settings, write_settings

DELAY_KEY = "follow_up.delay_days"
HOUR_KEY = "follow_up.hour"
DAYS_KEY = "work.days"
START_KEY = "work.start_hour"
END_KEY = "work.end_hour"
SETTING_KEYS = (DELAY_KEY, HOUR_KEY, DAYS_KEY, START_KEY, END_KEY)


def read_working_time(db: Database) -> WorkingTime:
    with db.read() as conn:
        stored = {**read_settings(conn, "follow_up."), **read_settings(conn, "work.")}
    return working_time_from(stored)


def working_time_from(stored: dict[str, Any]) -> WorkingTime:
    """The settings as a :class:`WorkingTime`; each value out of range keeps its default."""
    default = WorkingTime()
    delay = _whole(stored.get(DELAY_KEY), 1, 365, default.delay_days)
    start = _whole(stored.get(START_KEY), 0, 23, default.start_hour)
    end = _whole(stored.get(END_KEY), 1, 24, default.end_hour)
    if end <= start:
        start, end = default.start_hour, default.end_hour
    days = default.days
    raw_days = stored.get(DAYS_KEY)
    if isinstance(raw_days, list | tuple):
        chosen = {d for d in raw_days if isinstance(d, int) and 1 <= d <= 7}
        if chosen:
            days = frozenset(chosen)
    return WorkingTime(delay, _hour(stored.get(HOUR_KEY), default.hour), days, start, end)


def _whole(value: Any, low: int, high: int, default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        return default
    return int(value) if low <= value <= high else default


def _hour(value: Any, default: time) -> time:
    if isinstance(value, str):
        try:
            hours, minutes = (int(part) for part in value.strip().split(":"))
            return time(hours, minutes)
        except ValueError:
            return default
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 24:
        minutes = round(value * 60)
        return time(minutes // 60, minutes % 60) if minutes < 24 * 60 else default
    return default


def read_work_settings(db: Database) -> WorkingTime:
    """The same as :func:`read_working_time`, for the Settings page."""
    return read_working_time(db)


def save_work_settings(db: Database, working: WorkingTime) -> Changes:
    """Store ``working`` whole under the keys above, or raise InvalidInputError and store
    nothing."""
    problems = check_work_settings(working)
    if problems:
        raise InvalidInputError(problems)
    with db.write() as conn:
        write_settings(conn, work_settings_values(working))
    return Changes.of([Kind.SETTING])
