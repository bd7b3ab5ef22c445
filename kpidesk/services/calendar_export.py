"""My planned activities as an RFC 5545 calendar (.ics), for the rep's own calendar program.

Each activity is one VEVENT whose UID is ``<activity id>@kpidesk``: importing a newer export
updates the events instead of duplicating them, and a deleted activity comes back as
STATUS:CANCELLED so the calendar removes it. Times are written in the rep's zone with its
VTIMEZONE, so the calendar shows them where the rep planned them even after a DST change.

Optionally, the follow-up reminder of each open offer: one VEVENT (UID
``offer-<offer id>-follow-up@kpidesk``) on the day the rep's follow-up delay falls after the
offer was sent or last followed up, at their follow-up hour on a working day (the quick log's
next step). It is cancelled once the offer is won, lost, abandoned or deleted, or once a step is
planned on it (that activity is in the calendar itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kpidesk.domain.next_step import WorkingTime, default_next_step
from kpidesk.domain.timeutil import utc_now
from kpidesk.domain.vocabulary import ActivityKind, ActivityPurpose, OfferStatus
from kpidesk.presentation import _
from kpidesk.presentation.labels import label
from kpidesk.services.work_settings import read_working_time
from kpidesk.store.calendar_queries import (
    CalendarActivity,
    CalendarOffer,
    planned_activities,
    sent_offers,
)
from kpidesk.store.database import Database

UID_DOMAIN = "kpidesk"
PRODID = "-//kpidesk//kpidesk calendar export//EN"

# An activity has a due time but no length: a calendar needs one. A visit usually blocks an
# hour with the travel around it; a call or an e-mail is a short slot.
DURATIONS = {ActivityKind.VISIT: timedelta(hours=1)}
SHORT = timedelta(minutes=15)
# A decided offer's reminder is sent as cancelled for this long after its decision: long
# enough for any calendar that took an earlier export, without filling a first export with
# the cancelled reminders of years of offers. (A deleted one always is, as a
# deleted activity: when it was deleted is not recorded.)
CANCELLED_KEPT = timedelta(days=90)


@dataclass(frozen=True)
class CalendarExport:
    ics: bytes
    events: int  # every VEVENT: activities and offer reminders, cancelled ones included
    cancelled: int
    reminders: int = 0  # the offer reminders among the events


def export_calendar(
    db: Database,
    tz: ZoneInfo,
    start: datetime | None = None,
    end: datetime | None = None,
    now: datetime | None = None,
    offer_reminders: bool = False,
) -> CalendarExport:
    """My planned activities due in [start, end) (both optional) as an .ics document, and
    with ``offer_reminders`` the follow-up reminders of my offers falling in it."""
    from icalendar import Calendar

    stamp = (now or utc_now()).astimezone(UTC)
    with db.read() as conn:
        activities = planned_activities(conn, start, end)
        offers = sent_offers(conn) if offer_reminders else []
    reminders = []
    if offers:
        working = read_working_time(db)
        for offer in offers:
            reminder = offer_reminder(offer, tz, working, stamp)
            if reminder is not None and _in_window(reminder[0], start, end):
                reminders.append((offer, *reminder))
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("kpidesk: my planned activities"))
    for activity in activities:
        cal.add_component(_event(activity, tz, stamp))
    for offer, due, cancelled in reminders:
        cal.add_component(_reminder_event(offer, due, cancelled, stamp))
    if activities or reminders:
        cal.add_missing_timezones()
    cancelled = sum(a.deleted for a in activities) + sum(r[2] for r in reminders)
    return CalendarExport(cal.to_ical(), len(activities) + len(reminders), cancelled,
                          len(reminders))  # fmt: skip


def offer_reminder(
    offer: CalendarOffer, tz: ZoneInfo, working: WorkingTime, now: datetime
) -> tuple[datetime, bool] | None:
    """When the offer's follow-up falls (local, aware) and whether it is cancelled; None for
    a decided offer whose cancellation every calendar has had time to take."""
    last_touch = offer.last_follow_up_at or offer.sent_at
    due = default_next_step(last_touch.astimezone(tz), working)
    open_offer = offer.status is OfferStatus.SENT and not offer.deleted
    if open_offer:
        return due, offer.follow_up_planned
    if offer.deleted:  # when it was deleted is not recorded: always sent as cancelled
        return due, True
    # The decision's own date when there is one (a synced or imported offer's fields may all
    # have been written today), else its last change.
    decided = offer.decided_at or _changed_at(offer)
    return (due, True) if now - decided <= CANCELLED_KEPT else None


def _changed_at(offer: CalendarOffer) -> datetime:
    if offer.changed_ms is None:
        return offer.created_at
    return datetime.fromtimestamp(offer.changed_ms / 1000, UTC)


def _in_window(at: datetime, start: datetime | None, end: datetime | None) -> bool:
    return (start is None or at >= start) and (end is None or at < end)


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


def reminder_summary(offer: CalendarOffer) -> str:
    """ "Follow up offer 2026-014 – ACME": the reminder as the calendar's grid shows it."""
    if offer.account_name:
        return _("Follow up offer {ref} – {account}").format(
            ref=offer.reference, account=offer.account_name
        )
    return _("Follow up offer {ref}").format(ref=offer.reference)


def _reminder_event(
    offer: CalendarOffer, due: datetime, cancelled: bool, stamp: datetime
) -> object:
    from icalendar import Event

    event = Event()
    event.add("uid", f"offer-{offer.id}-follow-up@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", due)
    event.add("dtend", due + SHORT)
    event.add("summary", reminder_summary(offer))
    place = ", ".join(p for p in (offer.account_name, offer.account_place) if p)
    if place:
        event.add("location", place)
    if offer.title:
        event.add("description", offer.title)
    event.add("categories", [label(ActivityPurpose.FOLLOW_UP)])
    # Seconds of changes since the offer was made, plus one per delete or undelete of it and
    # of the activities that decide the reminder: grows whenever the reminder moves or ends.
    changed = _changed_at(offer)
    edited = max(0, int(changed.timestamp() - offer.created_at.timestamp()))
    event.add("sequence", edited + offer.cl_total - 1)
    event.add("last-modified", changed.astimezone(UTC))
    event.add("created", offer.created_at.astimezone(UTC))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # a reminder, not a slot taken: the rep stays free
    return event
