"""Reminders of planned activities: the settings, and what to remind of now, remembered once.

Keys in the local ``setting`` table (never synced):

- ``reminders.enabled`` (bool, default true) and ``reminders.lead_minutes`` (1-240, default 15);
- ``reminders.shown``: the reminders already shown (``kpidesk.domain.reminders.shown_key``), so
  a restart never shows one twice; pruned of keys that can no longer fire.

The rules themselves are pure (``kpidesk.domain.reminders``); this module reads their inputs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kpidesk.domain.changes import Changes, Kind
from kpidesk.domain.reminders import (
    Planned,
    ReminderSettings,
    check_reminder_settings,
    due_reminders,
    shown_key,
    still_worth_keeping,
    window,
)
from kpidesk.services.errors import InvalidInputError
from kpidesk.services.work_settings import working_time_from
from kpidesk.store import queries
from kpidesk.store.database import Database
from kpidesk.store.settings import read_settings, write_settings

ENABLED_KEY = "reminders.enabled"
LEAD_KEY = "reminders.lead_minutes"
SHOWN_KEY = "reminders.shown"


def settings_from(stored: dict[str, Any]) -> ReminderSettings:
    """Each value missing or out of range keeps its default."""
    default = ReminderSettings()
    enabled = stored.get(ENABLED_KEY)
    lead = stored.get(LEAD_KEY)
    candidate = ReminderSettings(
        enabled if isinstance(enabled, bool) else default.enabled,
        lead if isinstance(lead, int) and not isinstance(lead, bool) else default.lead_minutes,
    )
    if check_reminder_settings(candidate):
        return ReminderSettings(candidate.enabled, default.lead_minutes)
    return candidate


class ReminderService:
    def __init__(self, db: Database, tz: ZoneInfo) -> None:
        self._db = db
        self._tz = tz

    def settings(self) -> ReminderSettings:
        with self._db.read() as conn:
            return settings_from(read_settings(conn, "reminders."))

    def save_settings(self, settings: ReminderSettings) -> Changes:
        """Store ``settings``, or raise InvalidInputError and store nothing."""
        problems = check_reminder_settings(settings)
        if problems:
            raise InvalidInputError(problems)
        with self._db.write() as conn:
            write_settings(conn, {ENABLED_KEY: settings.enabled, LEAD_KEY: settings.lead_minutes})
        return Changes.of([Kind.SETTING])

    def take_due(self, now: datetime) -> list[Planned]:
        """The reminders due at ``now`` (aware), recorded as shown in the same transaction:
        whatever happens next, none is shown twice (a crash before showing loses one, never
        repeats one)."""
        now_local = now.astimezone(self._tz)
        with self._db.write() as conn:
            stored = {**read_settings(conn, "reminders."), **read_settings(conn, "work.")}
            settings = settings_from(stored)
            working = working_time_from(stored)
            if not settings.enabled or not working.is_working_time(now_local):
                return []
            start, end = window(now_local, settings)
            # The filter's end is excluded; the window's is not.
            flt = queries.ActivityFilter(
                planned=True, mine=True, start=start, end=end + timedelta(seconds=1)
            )
            rows = queries.list_activities(conn, flt)
            planned = [
                Planned(row.id, _aware(row.due_at), str(row.kind), row.name or "")
                for row in rows
                if row.due_at is not None
            ]
            shown = [k for k in stored.get(SHOWN_KEY) or [] if isinstance(k, str)]
            due = due_reminders(planned, now_local, settings, working, shown)
            if due:
                kept = [k for k in shown if still_worth_keeping(k, now)]
                write_settings(conn, {SHOWN_KEY: kept + [shown_key(p) for p in due]})
        return due


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
