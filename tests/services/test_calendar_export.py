"""The calendar export: one VEVENT per planned activity of mine, readable by a strict parser."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from kpidesk.domain.vocabulary import ActivityKind
from kpidesk.services.calendar_export import export_calendar, write_calendar
from tests.conftest import require

PARIS = ZoneInfo("Europe/Paris")
# The last Sunday of March 2026: Paris moves from UTC+1 to UTC+2 at 01:00 UTC.
AFTER_THE_CHANGE = datetime(2026, 3, 29, 8, 30, tzinfo=UTC)  # 10:30 in Paris (UTC+2)
BEFORE_THE_CHANGE = datetime(2026, 3, 27, 8, 30, tzinfo=UTC)  # 09:30 in Paris (UTC+1)


@pytest.fixture
def planned(workspace):
    ws = workspace
    acme = ws.accounts.create({"name": "ACME Lyon", "city": "Lyon", "address": "3 rue Neuve"}).id
    ws.contacts.create({"account_id": acme, "name": "Jeanne Martin"})
    visit = ws.activities.plan(acme, AFTER_THE_CHANGE, kind=ActivityKind.VISIT).id
    call = ws.activities.plan(acme, BEFORE_THE_CHANGE, notes="Rappeler pour le devis").id
    return ws, acme, visit, call


def _events(ics: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(ics)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_each_planned_activity_is_one_event_in_the_reps_zone(planned):
    ws, _acme, visit, call = planned
    export = export_calendar(ws.db, PARIS)
    events = _events(export.ics)
    assert set(events) == {f"{visit}@kpidesk", f"{call}@kpidesk"}
    event = events[f"{visit}@kpidesk"]
    start = event["DTSTART"]
    assert start.params["TZID"] == "Europe/Paris"
    assert start.dt.replace(tzinfo=None) == datetime(2026, 3, 29, 10, 30)
    assert event["DTEND"].dt - start.dt == timedelta(hours=1)  # a visit blocks an hour
    assert str(event["SUMMARY"]) == "Visit – ACME Lyon"
    assert str(event["LOCATION"]) == "ACME Lyon, 3 rue Neuve"
    assert str(event["STATUS"]) == "CONFIRMED"
    for prop in ("DTSTAMP", "SEQUENCE", "LAST-MODIFIED"):
        assert prop in event
    other = events[f"{call}@kpidesk"]
    assert other["DTSTART"].dt.replace(tzinfo=None) == datetime(2026, 3, 27, 9, 30)
    assert str(other["DESCRIPTION"]) == "Rappeler pour le devis"
    # The zone's definition travels with the file, both offsets of the change included.
    zones = Calendar.from_ical(export.ics).walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/Paris"]
    offsets = {str(s["TZOFFSETTO"].to_ical()) for s in zones[0].subcomponents}
    assert {"+0100", "+0200"} <= offsets


def test_the_output_is_valid_rfc5545(planned):
    ws, *_ = planned
    text = export_calendar(ws.db, PARIS).ics.decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)  # folded (RFC 5545 3.1)
    cal = Calendar.from_ical(text)
    assert {"PRODID", "VERSION"} <= set(cal)
    for event in cal.walk("VEVENT"):
        assert event.errors == []  # what icalendar's parser could not read
        assert {"UID", "DTSTAMP", "DTSTART"} <= set(event)  # required by RFC 5545 3.6.1


def test_reexport_keeps_uids_and_a_deleted_activity_is_cancelled_with_a_higher_sequence(planned):
    ws, _acme, visit, call = planned
    before = _events(export_calendar(ws.db, PARIS).ics)
    ws.activities.delete(call)
    after = _events(export_calendar(ws.db, PARIS).ics)
    assert set(after) == set(before)
    cancelled = after[f"{call}@kpidesk"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) > int(before[f"{call}@kpidesk"]["SEQUENCE"])
    assert str(after[f"{visit}@kpidesk"]["STATUS"]) == "CONFIRMED"


def test_only_my_activities_and_only_the_asked_days(planned):
    ws, acme, visit, call = planned
    theirs = ws.activities.plan(acme, AFTER_THE_CHANGE + timedelta(hours=2)).id
    with ws.db.write() as conn:  # a colleague's activity reached this laptop
        conn.exec_driver_sql("UPDATE activity SET owner_id = 'colleague' WHERE id = ?", (theirs,))
    assert set(_events(export_calendar(ws.db, PARIS).ics)) == {
        f"{visit}@kpidesk",
        f"{call}@kpidesk",
    }
    march_28 = datetime(2026, 3, 28, tzinfo=PARIS)
    only_later = _events(export_calendar(ws.db, PARIS, start=march_28).ics)
    assert set(only_later) == {f"{visit}@kpidesk"}


def test_an_empty_export_is_still_a_calendar(workspace):
    cal = Calendar.from_ical(export_calendar(workspace.db, PARIS).ics)
    assert cal.walk("VEVENT") == []


def test_a_real_calendar_program_reads_the_export(planned, tmp_path):
    """khal (Debian's khal package) prints what it understood of the file."""
    khal = shutil.which("khal")
    require(khal is not None, "khal is not installed (apt-get install khal)")
    ws, *_ = planned
    path = tmp_path / "planned.ics"
    write_calendar(export_calendar(ws.db, PARIS), path)
    config = tmp_path / "khal.conf"
    (tmp_path / "cal").mkdir()
    config.write_text(
        f"[calendars]\n[[mine]]\npath = {tmp_path / 'cal'}\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "local_timezone = Europe/Paris\ndefault_timezone = Europe/Paris\n"
    )
    proc = subprocess.run(
        [khal, "-c", str(config), "printics", str(path)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "2 events found" in proc.stdout
    assert "Visit – ACME Lyon" in proc.stdout
    assert "2026-03-29 10:30" in proc.stdout  # read in Paris time, after the change
