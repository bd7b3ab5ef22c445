"""My planned activities as an RFC 5545 calendar (.ics), for the rep's own calendar program.

Each activity is one VEVENT whose UID is ``<activity id>@kpidesk``: importing a newer export
updates the events instead of duplicating them, and a deleted activity comes back as
STATUS:CANCELLED so the calendar removes it. Times are written in the rep's zone with its
VTIMEZONE, so the calendar shows them where the rep planned them even after a DST change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kpidesk.domain.timeutil import utc_now
from kpidesk.domain.vocabulary import ActivityKind
from kpidesk.presentation import _
from kpidesk.presentation.labels import label
from kpidesk.store.calendar_queries import CalendarActivity, planned_activities
from kpidesk.store.database import Database

UID_DOMAIN = "kpidesk"
PRODID = "-//kpidesk//kpidesk calendar export//EN"

# An activity has a due time but no length: a calendar needs one. A visit usually blocks an
# hour with the travel around it; a call or an e-mail is a short slot.
DURATIONS = {ActivityKind.VISIT: timedelta(hours=1)}
SHORT = timedelta(minutes=15)


@dataclass(frozen=True)
class CalendarExport:
    ics: bytes
    events: int
    cancelled: int


def export_calendar(
    db: Database,
    tz: ZoneInfo,
    start: datetime | None = None,
    end: datetime | None = None,
    now: datetime | None = None,
) -> CalendarExport:
    """My planned activities due in [start, end) (both optional) as an .ics document."""
    from icalendar import Calendar

    with db.read() as conn:
        activities = planned_activities(conn, start, end)
    stamp = (now or utc_now()).astimezone(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("kpidesk: my planned activities"))
    for activity in activities:
        cal.add_component(_event(activity, tz, stamp))
    if activities:
        cal.add_missing_timezones()
    cancelled = sum(a.deleted for a in activities)
    return CalendarExport(cal.to_ical(), len(activities), cancelled)


def write_calendar(export: CalendarExport, path: Path) -> None:
    """Write beside the target and rename: a calendar program never reads half a file."""
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(export.ics)
    partial.replace(path)


def summary(activity: CalendarActivity) -> str:
    """ "Visit – ACME (Jeanne Martin)": what the rep sees in a calendar's grid."""
    text = label(activity.kind)
    if activity.account_name:
        text = f"{text} – {activity.account_name}"
    if activity.contact_name:
        text = f"{text} ({activity.contact_name})"
    return text


def _event(activity: CalendarActivity, tz: ZoneInfo, stamp: datetime) -> object:
    from icalendar import Event

    event = Event()
    event.add("uid", f"{activity.id}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    start = activity.due_at.astimezone(tz)
    event.add("dtstart", start)
    event.add("dtend", start + DURATIONS.get(activity.kind, SHORT))
    event.add("summary", summary(activity))
    place = ", ".join(p for p in (activity.account_name, activity.account_place) if p)
    if place:
        event.add("location", place)
    if activity.notes:
        event.add("description", activity.notes)
    event.add("categories", [label(activity.purpose)])
    event.add("sequence", _sequence(activity))
    if activity.last_edit_ms is not None:
        event.add("last-modified", datetime.fromtimestamp(activity.last_edit_ms / 1000, UTC))
    event.add("created", activity.created_at.astimezone(UTC))
    event.add("status", "CANCELLED" if activity.deleted else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _sequence(activity: CalendarActivity) -> int:
    """Grows with every change a calendar must take over the copy it holds (RFC 5545 3.8.7.4):
    seconds of editing since creation, plus one per delete or undelete (the causal length)."""
    edited = 0
    if activity.last_edit_ms is not None:
        edited = int(activity.last_edit_ms / 1000 - activity.created_at.timestamp())
    return max(0, edited) + activity.cl - 1
