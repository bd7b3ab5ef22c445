"""Read an .ics file exported from the rep's calendar (Google, Outlook, Thunderbird, Apple).

Only the past appointments of a bounded window are kept: recurring events are expanded with
recurring-ical-events between two instants, so a rule without an end never runs away. Anything
wrong with the file raises :class:`CalendarFileError`, naming the file and what is wrong; an
event that cannot be placed in time is left out and counted, the rest is still read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kpidesk.domain.i18n import N_, Message, plural_message

MAX_BYTES = 50 * 1024 * 1024  # a year of a busy calendar is a few MB; more is not a calendar
MAX_EVENTS = 100_000  # occurrences kept from one window: far beyond any rep's fortnight
OWN_UID_SUFFIX = "@kpidesk"  # our own export, back from the rep's calendar: already planned here

# A fold is CRLF (or a bare LF) followed by one space or tab (RFC 5545 3.1). Unfolding the
# bytes before decoding keeps a UTF-8 character split by the fold whole.
_FOLD = re.compile(rb"\r?\n[ \t]")


class CalendarFileError(Exception):
    """The file cannot be read as a calendar; ``reason`` says why, in the rep's words later."""

    def __init__(self, path: Path, reason: Message) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason.english()}")


@dataclass(frozen=True)
class Appointment:
    key: str  # stable across imports of the same calendar: uid and the occurrence's start
    summary: str
    location: str
    start: datetime  # UTC; an all-day event starts at midnight in the rep's zone
    end: datetime
    all_day: bool
    attendee_domains: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CalendarRead:
    appointments: list[Appointment]
    left_out: list[Message] = field(default_factory=list)  # why some events were not kept


def read_calendar(path: Path, tz: ZoneInfo, start: datetime, end: datetime) -> CalendarRead:
    """The appointments of the calendar file ``path`` that start in [start, end)."""
    cal = _parse(path, _text(path))
    left_out: list[Message] = []
    no_start = [e for e in cal.walk("VEVENT") if _unplaceable(e)]
    if no_start:
        # recurring-ical-events cannot place them; the rest of the calendar is still good.
        for event in no_start:
            _remove(cal, event)
        left_out.append(
            plural_message(
                "{n} event has no valid start time and was left out.",
                "{n} events have no valid start time and were left out.",
                n=len(no_start),
            )
        )
    # The expansion drops the TZID of a zone it does not know: note them before.
    unknown_zones = {z for e in cal.walk("VEVENT") if (z := _unknown_zone(e))}
    try:
        import recurring_ical_events

        occurrences = recurring_ical_events.of(cal, skip_bad_series=True).between(
            start.astimezone(tz), end.astimezone(tz)
        )
    except Exception as exc:  # the library's errors are many; each means "cannot place it"
        raise CalendarFileError(
            path, Message(N_("its events cannot be placed in time ({detail})."), {"detail": exc})
        ) from None
    appointments, own, cancelled = [], 0, 0
    for event in occurrences:
        uid = str(event.get("UID", ""))
        if uid.endswith(OWN_UID_SUFFIX):
            own += 1
            continue
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            cancelled += 1
            continue
        appointment = _appointment(event, uid, tz)
        if start <= appointment.start < end:
            appointments.append(appointment)
        if len(appointments) > MAX_EVENTS:
            raise CalendarFileError(
                path,
                Message(
                    N_("it holds more than {n} appointments in the period."), {"n": MAX_EVENTS}
                ),
            )
    if own:
        left_out.append(
            plural_message(
                "{n} event is kpidesk's own planned activity and was left out.",
                "{n} events are kpidesk's own planned activities and were left out.",
                n=own,
            )
        )
    if cancelled:
        left_out.append(
            plural_message(
                "{n} cancelled event was left out.",
                "{n} cancelled events were left out.",
                n=cancelled,
            )
        )
    if unknown_zones:
        left_out.append(
            Message(
                N_("Unknown time zone {zones}: those times were read in your own time zone."),
                {"zones": ", ".join(sorted(unknown_zones))},
            )
        )
    appointments.sort(key=lambda a: (a.start, a.key))
    return CalendarRead(appointments, left_out)


def _text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CalendarFileError(
                path,
                Message(
                    N_("it is {mb} MB; a calendar file should be under {limit} MB."),
                    {"mb": size // (1024 * 1024), "limit": MAX_BYTES // (1024 * 1024)},
                ),
            )
        data = path.read_bytes()
    except IsADirectoryError:
        raise CalendarFileError(path, Message(N_("it is a folder, not a file."))) from None
    except FileNotFoundError:
        raise CalendarFileError(path, Message(N_("there is no such file."))) from None
    except OSError as exc:
        raise CalendarFileError(
            path, Message(N_("it cannot be read ({detail})."), {"detail": exc.strerror})
        ) from None
    data = _FOLD.sub(b"", data.removeprefix(b"\xef\xbb\xbf"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # RFC 5545 says UTF-8; older Outlook exports are Windows-1252, which decodes anything.
        return data.decode("cp1252", errors="replace")


def _parse(path: Path, text: str) -> object:
    from icalendar import Calendar

    stripped = text.strip()
    if not stripped:
        raise CalendarFileError(path, Message(N_("it is empty.")))
    if not stripped[:15].upper().startswith("BEGIN:VCALENDAR"):
        raise CalendarFileError(
            path, Message(N_("it is not a calendar (an .ics file starts with BEGIN:VCALENDAR)."))
        )
    if not re.search(r"END:VCALENDAR\s*\Z", stripped, re.IGNORECASE):
        raise CalendarFileError(
            path, Message(N_("it ends before END:VCALENDAR: the file seems cut short."))
        )
    try:
        return Calendar.from_ical(stripped)
    except Exception as exc:  # icalendar raises ValueError, KeyError, IndexError...
        raise CalendarFileError(
            path, Message(N_("it is not a valid calendar ({detail})."), {"detail": exc})
        ) from None


def _unplaceable(event: object) -> bool:
    """No start, or one icalendar could not read (kept as a broken property)."""
    broken = {name for name, _error in getattr(event, "errors", [])}
    return event.get("DTSTART") is None or "DTSTART" in broken  # type: ignore[attr-defined]


def _unknown_zone(event: object) -> str | None:
    start = event.get("DTSTART")  # type: ignore[attr-defined]
    zone = start.params.get("TZID")
    if zone and isinstance(start.dt, datetime) and start.dt.tzinfo is None:
        return str(zone)
    return None


def _remove(cal: object, event: object) -> None:
    for component in cal.walk():  # type: ignore[attr-defined]
        if event in component.subcomponents:
            component.subcomponents.remove(event)
            return


def _instant(value: object, tz: ZoneInfo) -> tuple[datetime, bool]:
    """An event time in UTC; a date is an all-day event, a floating time is the rep's."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=tz)
        return aware.astimezone(UTC), False
    if isinstance(value, date):
        return datetime.combine(value, time(), tz).astimezone(UTC), True
    raise ValueError(f"not a time: {value!r}")


def _appointment(event: object, uid: str, tz: ZoneInfo) -> Appointment:
    get = event.get  # type: ignore[attr-defined]
    start, all_day = _instant(get("DTSTART").dt, tz)
    end = start
    if get("DTEND") is not None and "DTEND" not in {n for n, _e in event.errors}:  # type: ignore[attr-defined]
        end = _instant(get("DTEND").dt, tz)[0]
    if end <= start:
        end = start + (timedelta(days=1) if all_day else timedelta(0))
    attendees = get("ATTENDEE") or []
    if not isinstance(attendees, list):
        attendees = [attendees]
    domains = frozenset(
        str(a).rsplit("@", 1)[1].strip().lower() for a in attendees if "@" in str(a)
    )
    return Appointment(
        key=f"{uid}|{start.isoformat()}",
        summary=str(get("SUMMARY", "")).strip(),
        location=str(get("LOCATION", "")).strip(),
        start=start,
        end=end,
        all_day=all_day,
        attendee_domains=domains,
    )
