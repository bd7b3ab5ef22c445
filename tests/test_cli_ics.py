"""``kpidesk ics export`` and ``kpidesk ics import``, run as the rep runs them."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from kpidesk.domain.vocabulary import ActivityKind
from kpidesk.services.rows import ActivityFilter
from kpidesk.services.workspace import open_workspace
from tests.conftest import require
from tests.test_cli_today import run_cli

NOW = datetime.now(UTC).replace(microsecond=0)


def test_export_writes_the_file_and_respects_the_days(db_path, tmp_path):
    ws = open_workspace(db_path)
    acme = ws.accounts.create({"name": "ACME"}).id
    soon = ws.activities.plan(acme, datetime(2026, 12, 3, 9, 0, tzinfo=UTC)).id
    ws.activities.plan(acme, datetime(2026, 12, 20, 9, 0, tzinfo=UTC))
    ws.close()
    out = tmp_path / "planned.ics"
    proc = run_cli("ics", "export", "--db", db_path, "-o", out, "--tz", "Europe/Paris",
                   "--from", "2026-12-01", "--to", "2026-12-10")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert str(out) in proc.stdout
    uids = [str(e["UID"]) for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")]
    assert uids == [f"{soon}@kpidesk"]
    to_stdout = run_cli("ics", "export", "--db", db_path)
    assert to_stdout.stdout.startswith("BEGIN:VCALENDAR")


def test_export_with_offer_reminders(db_path, tmp_path):
    ws = open_workspace(db_path)
    acme = ws.accounts.create({"name": "ACME"}).id
    planned = ws.activities.plan(acme, datetime(2026, 12, 14, 9, 0, tzinfo=UTC)).id
    bakery = ws.accounts.create({"name": "Boulangerie"}).id
    # Sent on Tuesday 1 December: followed up Tuesday 8 at 09:30 (Paris), the default habit.
    offer = ws.offers.create({"account_id": bakery, "status": "sent",
                              "sent_at": datetime(2026, 12, 1, 15, 0, tzinfo=UTC)}).id  # fmt: skip
    ws.close()
    out = tmp_path / "planned.ics"
    proc = run_cli("ics", "export", "--db", db_path, "-o", out, "--tz", "Europe/Paris",
                   "--offer-reminders")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"{out}: 1 activity and 1 offer follow-up (0 cancelled)."
    events = {str(e["UID"]): e for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    assert set(events) == {f"{planned}@kpidesk", f"offer-{offer}-follow-up@kpidesk"}
    reminder = events[f"offer-{offer}-follow-up@kpidesk"]
    assert reminder["DTSTART"].dt.replace(tzinfo=None) == datetime(2026, 12, 8, 9, 30)
    without = run_cli("ics", "export", "--db", db_path, "--tz", "Europe/Paris")
    assert "follow-up@kpidesk" not in without.stdout


def test_export_errors_are_one_line(db_path, tmp_path):
    open_workspace(db_path).close()
    proc = run_cli("ics", "export", "--db", db_path, "-o", tmp_path / "no" / "such" / "x.ics")
    assert proc.returncode == 2
    assert "no folder" in proc.stderr and "Traceback" not in proc.stderr


def _agenda(tmp_path, start):
    path = tmp_path / "agenda.ics"
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:{n}\r\nDTSTAMP:20261101T000000Z\r\n"
        f"DTSTART:{start + timedelta(days=n):%Y%m%dT%H%M%SZ}\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\n"
        for n, summary in enumerate(["Visite ACME", "Café avec un inconnu", "Appel ACME"])
    )
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n{events}END:VCALENDAR\r\n",
                    newline="")  # fmt: skip
    return path


def test_import_lists_logs_and_dismisses(db_path, tmp_path):
    ws = open_workspace(db_path)
    acme = ws.accounts.create({"name": "ACME"}).id
    ws.close()
    start = NOW - timedelta(days=5)
    path = _agenda(tmp_path, start)
    listed = run_cli("ics", "import", path, "--db", db_path)
    assert listed.returncode == 0, listed.stderr
    assert "3 appointments to debrief" in listed.stdout
    assert "Café avec un inconnu  -> no account found" in listed.stdout

    logged = run_cli("ics", "import", path, "--db", db_path, "--log", "1", "--kind", "visit",
                     "--outcome", "offer_requested")  # fmt: skip
    assert logged.returncode == 0, logged.stderr
    assert "Logged:" in logged.stdout
    no_account = run_cli("ics", "import", path, "--db", db_path, "--log", "1")
    assert no_account.returncode == 2
    assert "--account" in no_account.stderr  # entry 1 is now the unknown coffee
    dismissed = run_cli("ics", "import", path, "--db", db_path, "--dismiss", "1")
    assert dismissed.returncode == 0, dismissed.stderr
    again = run_cli("ics", "import", path, "--db", db_path)
    assert "1 appointment to debrief" in again.stdout and "Appel ACME" in again.stdout

    ws = open_workspace(db_path)
    (visit,) = ws.activities.list(ActivityFilter(mine=True))
    ws.close()
    assert (visit.account_id, visit.kind, visit.done_at, visit.outcome) == (
        acme, ActivityKind.VISIT, start, "offer_requested"
    )  # fmt: skip


def test_import_refuses_an_outcome_of_another_kind_and_saves_nothing(db_path, tmp_path):
    ws = open_workspace(db_path)
    ws.accounts.create({"name": "ACME"})
    ws.close()
    path = _agenda(tmp_path, NOW - timedelta(days=5))
    wrong = run_cli("ics", "import", path, "--db", db_path, "--log", "1", "--kind", "call",
                    "--outcome", "meeting_held")  # fmt: skip
    assert wrong.returncode == 2
    assert "--outcome meeting_held does not apply to a call" in wrong.stderr
    assert "reached" in wrong.stderr  # the call's outcomes are named
    unknown = run_cli("ics", "import", path, "--db", db_path, "--log", "1", "--outcome", "super")
    assert unknown.returncode == 2 and "invalid choice" in unknown.stderr
    ws = open_workspace(db_path)
    assert ws.activities.list(ActivityFilter(mine=True)) == []
    ws.close()


def test_the_cli_outcome_keys_are_the_structured_outcomes():
    from kpidesk.commands.ics import OUTCOMES
    from kpidesk.domain.outcomes import Outcome

    assert set(OUTCOMES) == {o.value for o in Outcome}


def test_import_of_a_bad_file_names_it_and_the_reason(db_path, tmp_path):
    open_workspace(db_path).close()
    bad = tmp_path / "export.csv"
    bad.write_text("Nom;Date\nACME;24/11/2026\n")
    proc = run_cli("ics", "import", bad, "--db", db_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        f"kpidesk: cannot read {bad}: it is not a calendar (an .ics file starts with "
        "BEGIN:VCALENDAR)."
    )
    out_of_range = run_cli("ics", "import", _agenda(tmp_path, NOW - timedelta(days=2)),
                           "--db", db_path, "--log", "7")  # fmt: skip
    assert out_of_range.returncode == 2 and "no entry 7" in out_of_range.stderr


def _khal(tmp_path, *args: str) -> str:
    import shutil
    import subprocess

    khal = shutil.which("khal")
    require(khal is not None, "khal is not installed (apt-get install khal)")
    config = tmp_path / "khal.conf"
    if not config.exists():
        (tmp_path / "vdir").mkdir()
        config.write_text(
            f"[calendars]\n[[mine]]\npath = {tmp_path / 'vdir'}\n"
            "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
            "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
            "local_timezone = Europe/Paris\ndefault_timezone = Europe/Paris\n"
        )
    done = subprocess.run([khal, "-c", str(config), *args], capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_weeks_plan_goes_through_khal_and_comes_back_as_a_debrief(db_path, tmp_path):
    """The issue's walk, with a real calendar program: the week's plan into khal, two
    appointments added there, khal's calendar back into the debrief, both logged."""
    paris = ZoneInfo("Europe/Paris")
    ws = open_workspace(db_path, paris)
    acme = ws.accounts.create({"name": "ACME"}).id
    moreau = ws.accounts.create({"name": "Garage Moreau"}).id
    monday = (datetime.now(paris) + timedelta(days=7 - datetime.now(paris).weekday())).date()
    visit = ws.activities.plan(acme, datetime.combine(monday, time(10), paris).astimezone(UTC),
                               kind=ActivityKind.VISIT).id  # fmt: skip
    ws.close()
    week = tmp_path / "week.ics"
    exported = run_cli("ics", "export", "--db", db_path, "-o", week, "--tz", "Europe/Paris",
                       "--from", monday.isoformat(),
                       "--to", (monday + timedelta(days=7)).isoformat())  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    _khal(tmp_path, "import", "--batch", str(week))
    listed = _khal(tmp_path, "list", monday.isoformat(), "7d")
    assert "10:00-11:00 Visit – ACME" in listed
    # The rep's own appointments of the last days, entered in the calendar program.
    yesterday = datetime.now(paris).date() - timedelta(days=1)
    before = yesterday - timedelta(days=1)
    _khal(tmp_path, "new", "-a", "mine", f"{before} 10:00", "11:00", "Visite Garage Moreau")
    _khal(tmp_path, "new", "-a", "mine", f"{yesterday} 14:00", "14:30", "Appel ACME")
    back = Calendar()
    back.add("prodid", "-//khal vdir//EN")
    back.add("version", "2.0")
    for event_file in sorted((tmp_path / "vdir").glob("*.ics")):
        for component in Calendar.from_ical(event_file.read_bytes()).subcomponents:
            back.add_component(component)
    agenda = tmp_path / "back.ics"
    agenda.write_bytes(back.to_ical())

    inbox = run_cli("ics", "import", agenda, "--db", db_path, "--tz", "Europe/Paris")
    assert inbox.returncode == 0, inbox.stderr
    assert "2 appointments to debrief" in inbox.stdout  # kpidesk's own visit is left out
    for kind, outcome in (("visit", "meeting_held"), ("call", "reached")):
        logged = run_cli("ics", "import", agenda, "--db", db_path, "--tz", "Europe/Paris",
                         "--log", "1", "--kind", kind, "--outcome", outcome)  # fmt: skip
        assert logged.returncode == 0, logged.stderr
    ws = open_workspace(db_path, paris)
    done = sorted(
        (a.done_at, a.account_id, a.kind, a.outcome)
        for a in ws.activities.list(ActivityFilter(mine=True))
        if a.id != visit
    )
    ws.close()  # fmt: skip
    assert done == [
        (datetime.combine(before, time(10), paris).astimezone(UTC), moreau, ActivityKind.VISIT,
         "meeting_held"),
        (datetime.combine(yesterday, time(14), paris).astimezone(UTC), acme, ActivityKind.CALL,
         "reached"),
    ]  # fmt: skip
    again = run_cli("ics", "import", agenda, "--db", db_path, "--tz", "Europe/Paris")
    assert "0 appointments to debrief" in again.stdout
