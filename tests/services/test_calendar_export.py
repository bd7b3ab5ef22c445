"""The calendar export: one VEVENT per planned activity of mine, readable by a strict parser."""

from __future__ import annotations

import shutil
import subprocess
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from kpidesk.domain.vocabulary import ActivityKind, OfferStatus
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


def _khal_printics(khal: str, tmp_path, path) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "khal.conf"
    (tmp_path / "cal").mkdir()
    config.write_text(
        f"[calendars]\n[[mine]]\npath = {tmp_path / 'cal'}\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "local_timezone = Europe/Paris\ndefault_timezone = Europe/Paris\n"
    )
    return subprocess.run(
        [khal, "-c", str(config), "printics", str(path)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_a_real_calendar_program_reads_the_export(planned, tmp_path):
    """khal (Debian's khal package) prints what it understood of the file."""
    khal = shutil.which("khal")
    require(khal is not None, "khal is not installed (apt-get install khal)")
    ws, *_ = planned
    path = tmp_path / "planned.ics"
    write_calendar(export_calendar(ws.db, PARIS), path)
    proc = _khal_printics(khal, tmp_path, path)
    assert proc.returncode == 0, proc.stderr
    assert "2 events found" in proc.stdout
    assert "Visit – ACME Lyon" in proc.stdout
    assert "2026-03-29 10:30" in proc.stdout  # read in Paris time, after the change


# -- the follow-up reminders of open offers -------------------------------------------------

# Wednesday 4 March 2026, 10:00 UTC: with the default delay (7 days) and hour (09:30), the
# reminder falls on Wednesday 11 March at 09:30 in Paris (UTC+1 until the 29th).
SENT_WEDNESDAY = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
# Saturday 7 March: 7 days later is a Saturday too, so the reminder moves to Monday 16.
SENT_SATURDAY = datetime(2026, 3, 7, 10, 0, tzinfo=UTC)
EXPORTED_AT = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def _reminder_uid(offer_id: str) -> str:
    return f"offer-{offer_id}-follow-up@kpidesk"


@pytest.fixture
def offers(planned):
    ws, *_ = planned
    # Accounts with nothing planned (ACME's planned visit would stand for the follow-up).
    bakery = ws.accounts.create({"name": "Boulangerie Héloïse", "city": "Lyon",
                                 "address": "12 place Bellecour"}).id  # fmt: skip
    wednesday = ws.offers.create(
        {
            "account_id": bakery,
            "title": "Pont élévateur",
            "status": "sent",
            "sent_at": SENT_WEDNESDAY,
            "amount_cents": 480_000,
        }
    ).id
    other = ws.accounts.create({"name": "Garage Moreau", "city": "Annecy"}).id
    saturday = ws.offers.create(
        {
            "account_id": other,
            "title": "Compresseur",
            "status": "sent",
            "sent_at": SENT_SATURDAY,
            "amount_cents": 90_000,
        }
    ).id
    draft = ws.offers.create({"account_id": other, "title": "Brouillon"}).id  # never sent
    return ws, bakery, other, wednesday, saturday, draft


def planned_account(ws) -> str:
    (acme,) = [a.id for a in ws.accounts.list() if a.name == "ACME Lyon"]
    return acme


def _export(ws, **kwargs):
    return export_calendar(ws.db, PARIS, now=EXPORTED_AT, offer_reminders=True, **kwargs)


def test_reminders_are_only_there_when_asked(offers):
    ws, *_ = offers
    plain = export_calendar(ws.db, PARIS, now=EXPORTED_AT)
    assert not [uid for uid in _events(plain.ics) if uid.startswith("offer-")]
    assert plain.reminders == 0


def test_each_open_offer_gets_a_reminder_after_the_delay_on_a_working_day(offers):
    ws, _acme, _other, wednesday, saturday, _draft = offers
    export = _export(ws)
    events = _events(export.ics)
    reminders = {uid for uid in events if uid.startswith("offer-")}
    assert reminders == {_reminder_uid(wednesday), _reminder_uid(saturday)}  # not the draft
    assert (export.reminders, export.events, export.cancelled) == (2, 4, 0)
    # ACME has a planned visit: an offer there needs no reminder, it is cancelled.
    acme = planned_account(ws)
    on_acme = ws.offers.create({"account_id": acme, "status": "sent", "sent_at": SENT_WEDNESDAY})
    assert str(_events(_export(ws).ics)[_reminder_uid(on_acme.id)]["STATUS"]) == "CANCELLED"
    first = events[_reminder_uid(wednesday)]
    reference = ws.offers.get(wednesday)["reference"]
    assert str(first["SUMMARY"]) == f"Follow up offer {reference} – Boulangerie Héloïse"
    assert str(first["LOCATION"]) == "Boulangerie Héloïse, 12 place Bellecour"
    assert str(first["DESCRIPTION"]) == "Pont élévateur"
    assert first["DTSTART"].params["TZID"] == "Europe/Paris"
    assert first["DTSTART"].dt.replace(tzinfo=None) == datetime(2026, 3, 11, 9, 30)
    assert str(first["STATUS"]) == "CONFIRMED" and str(first["TRANSP"]) == "TRANSPARENT"
    later = events[_reminder_uid(saturday)]
    assert later["DTSTART"].dt.replace(tzinfo=None) == datetime(2026, 3, 16, 9, 30)  # Monday
    # --from/--to choose the reminders by the day they fall on.
    window = _export(ws, start=datetime(2026, 3, 12, tzinfo=PARIS),
                     end=datetime(2026, 3, 17, tzinfo=PARIS))  # fmt: skip
    assert {u for u in _events(window.ics) if u.startswith("offer-")} == {_reminder_uid(saturday)}


def test_a_follow_up_moves_the_reminder_under_the_same_uid(offers):
    ws, bakery, _other, wednesday, *_ = offers
    before = _events(_export(ws).ics)[_reminder_uid(wednesday)]
    followed = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)  # a Tuesday
    ws.activities.create({"account_id": bakery, "offer_id": wednesday, "kind": "call",
                          "purpose": "follow_up", "done_at": followed})  # fmt: skip
    after = _events(_export(ws).ics)[_reminder_uid(wednesday)]
    assert after["DTSTART"].dt.replace(tzinfo=None) == datetime(2026, 3, 17, 9, 30)
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert str(after["STATUS"]) == "CONFIRMED"


def test_a_won_deleted_or_planned_offer_has_its_reminder_cancelled(offers):
    ws, _bakery, other, wednesday, saturday, _draft = offers
    before = _events(_export(ws).ics)
    time.sleep(1.1)  # SEQUENCE counts seconds of changes: a rep's next edit is not instant
    ws.offers.decide(wednesday, OfferStatus.WON, decided_at=EXPORTED_AT - timedelta(days=1))
    ws.offers.delete(saturday)
    lost = ws.offers.create({"account_id": other, "title": "Pneus", "status": "sent",
                             "sent_at": SENT_WEDNESDAY}).id  # fmt: skip
    ws.activities.plan(other, EXPORTED_AT + timedelta(days=2))  # the next step is planned
    export = _export(ws)
    after = _events(export.ics)
    for offer_id in (wednesday, saturday):
        uid = _reminder_uid(offer_id)
        assert str(after[uid]["STATUS"]) == "CANCELLED"
        assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    assert str(after[_reminder_uid(lost)]["STATUS"]) == "CANCELLED"  # the planned step is there
    assert export.cancelled == 3


def test_a_long_decided_offer_leaves_the_export(offers):
    ws, bakery, _other, wednesday, *_ = offers
    decided = SENT_WEDNESDAY + timedelta(days=3)
    ws.offers.decide(wednesday, OfferStatus.LOST, decided_at=decided)
    # Another offer's follow-up, after the decision: it does not move this one's reminder.
    ws.activities.create({"account_id": bakery, "kind": "call", "purpose": "follow_up",
                          "done_at": decided + timedelta(days=2)})  # fmt: skip
    soon = _events(_export(ws).ics)[_reminder_uid(wednesday)]
    assert str(soon["STATUS"]) == "CANCELLED"  # decided 13 days before: still sent
    assert soon["DTSTART"].dt.replace(tzinfo=None) == datetime(2026, 3, 11, 9, 30)
    later = decided + timedelta(days=91)  # by the decision's date, whatever the real clock
    events = _events(export_calendar(ws.db, PARIS, now=later, offer_reminders=True).ics)
    assert _reminder_uid(wednesday) not in events


def test_the_export_with_reminders_is_valid_rfc5545_and_khal_reads_it(offers, tmp_path):
    ws, *_ = offers
    export = _export(ws)
    text = export.ics.decode("utf-8")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    cal = Calendar.from_ical(text)
    for event in cal.walk("VEVENT"):
        assert event.errors == []
        assert {"UID", "DTSTAMP", "DTSTART"} <= set(event)
    assert len({str(e["UID"]) for e in cal.walk("VEVENT")}) == export.events == 4
    khal = shutil.which("khal")
    require(khal is not None, "khal is not installed (apt-get install khal)")
    path = tmp_path / "planned.ics"
    write_calendar(export, path)
    proc = _khal_printics(khal, tmp_path, path)
    assert proc.returncode == 0, proc.stderr
    assert "4 events found" in proc.stdout
    assert "2026-03-11 09:30" in proc.stdout and "Follow up offer" in proc.stdout
