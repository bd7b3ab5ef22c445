"""Hostile and odd calendar files: each is read right or refused in words naming the file and
what is wrong, and reading never changes the database.

The fixtures in calendars/ are byte-exact (.gitattributes keeps git off their line endings).
The expected times are worked out by hand: Paris is UTC+1 in November 2026, so 10:00 in Paris
is 09:00 UTC. The window is the 14 days before NOW.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kpidesk.services import calendar_read
from kpidesk.services.calendar_read import CalendarFileError, read_calendar

HERE = Path(__file__).parent / "calendars"
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
START = NOW - timedelta(days=14)


def utc(month_day_hour: str) -> datetime:
    return datetime.strptime(f"2026-{month_day_hour}", "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


READ = {
    # file: ([(summary, start in UTC)], words of each note about what was left out)
    "bom.ics": ([("Visite ACME", "11-24 09:00")], []),
    "lf_only.ics": ([("Visite ACME", "11-24 09:00")], []),
    "floating.ics": ([("Visite ACME", "11-24 09:00")], []),  # 10:00, the rep's own time
    "cp1252.ics": ([("Visite Société Générale", "11-24 09:00")], []),
    "fold_mid_utf8.ics": ([("Visite Société ACME", "11-24 09:00")], []),
    "no_events.ics": ([], []),
    "no_dtstart.ics": ([("Visite ACME", "11-24 09:00")], ["no valid start time"]),
    "broken_dtstart.ics": ([("Appel Dupont", "11-25 09:00")], ["no valid start time"]),
    "bad_line.ics": ([], ["no valid start time"]),
    "unknown_tzid.ics": ([("Visite ACME", "11-24 09:00")], ["Mars/Olympus"]),
    "cancelled.ics": ([("Appel ACME", "11-25 09:00")], ["cancelled"]),
    "own_export.ics": ([], ["kpidesk's own"]),
    # 14:00 in Outlook's "Romance Standard Time", defined in the file (UTC+1 in November).
    "outlook_zone.ics": ([("Rendez-vous", "11-24 13:00")], []),
    # Every Monday and Wednesday at 09:00 Paris since 2020, no end: in the window the Mondays
    # 16 and 23, Wednesday 18 is excluded (EXDATE), Wednesday 25 moved to 15:00.
    "rrule_forever.ics": (
        [
            ("Point hebdo ACME", "11-16 08:00"),
            ("Point hebdo ACME", "11-23 08:00"),
            ("Point hebdo ACME (décalé)", "11-25 14:00"),
        ],
        [],
    ),
    # Midnight in Paris is 23:00 UTC the day before; it lasts two days (DTEND is excluded).
    "all_day.ics": ([("Salon ACME", "11-23 23:00")], []),
}

REFUSED = {
    "empty.ics": "it is empty",
    "blank_lines.ics": "it is empty",
    "not_a_calendar.ics": "it is not a calendar",
    "binary.ics": "it is not a calendar",
    "two_end_lines_missing_begin.ics": "it is not a calendar",
    "truncated.ics": "cut short",
}


def test_every_fixture_is_covered():
    assert {p.name for p in HERE.glob("*.ics")} == set(READ) | set(REFUSED)


@pytest.mark.proof("files")
@pytest.mark.parametrize("name", sorted(READ))
def test_odd_files_are_read_right(name):
    expected, notes = READ[name]
    read = read_calendar(HERE / name, PARIS, START, NOW)
    assert [(a.summary, a.start) for a in read.appointments] == [
        (summary, utc(when)) for summary, when in expected
    ]
    assert len(read.left_out) == len(notes)
    for note, words in zip(read.left_out, notes, strict=True):
        assert words in note.english()


def test_an_all_day_event_is_marked_and_spans_its_days():
    (fair,) = read_calendar(HERE / "all_day.ics", PARIS, START, NOW).appointments
    assert fair.all_day
    assert fair.end - fair.start == timedelta(days=2)


def test_attendees_and_location_are_kept():
    (meeting,) = read_calendar(HERE / "outlook_zone.ics", PARIS, START, NOW).appointments
    assert meeting.location == "ACME, 3 rue Neuve, Lyon"
    assert meeting.attendee_domains == {"acme.fr"}


@pytest.mark.proof("files")
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_files_are_refused_naming_the_file_and_the_reason(name):
    with pytest.raises(CalendarFileError) as caught:
        read_calendar(HERE / name, PARIS, START, NOW)
    assert caught.value.path == HERE / name
    assert REFUSED[name] in caught.value.reason.english()
    assert name in str(caught.value)


def test_a_missing_file_and_a_folder_are_named(tmp_path):
    with pytest.raises(CalendarFileError, match="no such file"):
        read_calendar(tmp_path / "nope.ics", PARIS, START, NOW)
    with pytest.raises(CalendarFileError, match="folder"):
        read_calendar(tmp_path, PARIS, START, NOW)


@pytest.mark.proof("files")
def test_a_file_too_big_to_be_a_calendar_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(calendar_read, "MAX_BYTES", 1024 * 1024)
    big = tmp_path / "big.ics"
    big.write_bytes(b"BEGIN:VCALENDAR\r\n" + b"X" * (2 * 1024 * 1024))
    with pytest.raises(CalendarFileError, match="MB"):
        read_calendar(big, PARIS, START, NOW)


def _calendar(events: list[str]) -> bytes:
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kpidesk tests//EN\r\n"
    return (head + "".join(events) + "END:VCALENDAR\r\n").encode()


def _event(n: int, start: datetime, extra: str = "") -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:e{n}\r\nDTSTAMP:20261101T000000Z\r\n"
        f"DTSTART:{start:%Y%m%dT%H%M%SZ}\r\nSUMMARY:Rendez-vous {n}\r\n{extra}END:VEVENT\r\n"
    )


@pytest.mark.proof("files")
def test_ten_thousand_events_are_read_and_only_the_window_kept(tmp_path):
    # One event every hour, backwards from NOW: 10,000 hours is over a year; the 14-day window
    # [NOW - 14 days, NOW) holds the events 1 to 336 hours before NOW (event 0 is at NOW).
    path = tmp_path / "ten_thousand.ics"
    path.write_bytes(_calendar([_event(n, NOW - timedelta(hours=n)) for n in range(10_000)]))
    began = time.perf_counter()
    read = read_calendar(path, PARIS, START, NOW)
    assert len(read.appointments) == 14 * 24
    assert time.perf_counter() - began < 60  # generous: a guard against a quadratic read


@pytest.mark.proof("files")
def test_a_one_megabyte_description_is_read(tmp_path):
    path = tmp_path / "long.ics"
    description = "DESCRIPTION:" + "Compte rendu très détaillé. " * 40_000 + "\r\n"
    path.write_bytes(_calendar([_event(1, utc("11-24 09:00"), description)]))
    assert path.stat().st_size > 1_000_000
    (appointment,) = read_calendar(path, PARIS, START, NOW).appointments
    assert appointment.summary == "Rendez-vous 1"


def _dump_hash(workspace) -> str:
    with workspace.db.read() as conn:
        raw = conn.connection.driver_connection
        return hashlib.sha256("\n".join(raw.iterdump()).encode()).hexdigest()


@pytest.mark.proof("files")  # the same files: counts no more of them, but a failure
@pytest.mark.parametrize("name", sorted(set(READ) | set(REFUSED)))
def test_the_inbox_never_changes_the_database(workspace, name, proof):
    acme = workspace.accounts.create({"name": "ACME"}).id
    workspace.activities.plan(acme, NOW - timedelta(days=3))
    before = _dump_hash(workspace)
    with contextlib.suppress(CalendarFileError):
        workspace.debrief.inbox(HERE / name, now=NOW)
    assert _dump_hash(workspace) == before
    proof(0)
