"""The debrief inbox: which past appointments still need logging, and to which account."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kpidesk.domain.vocabulary import ActivityKind
from kpidesk.services.rows import ActivityFilter

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kpidesk tests//EN\r\n"


def _ics(tmp_path, *events: tuple[str, datetime, str]) -> object:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\n"
        f"DTSTART:{start:%Y%m%dT%H%M%SZ}\r\n{extra}END:VEVENT\r\n"
        for uid, start, extra in events
    )
    path = tmp_path / "agenda.ics"
    path.write_bytes((HEAD + body + "END:VCALENDAR\r\n").encode())
    return path


@pytest.fixture
def accounts(workspace):
    ws = workspace
    acme = ws.accounts.create({"name": "ACME"}).id
    acme_lyon = ws.accounts.create({"name": "ACME Lyon"}).id
    moreau = ws.accounts.create({"name": "Garage Moreau"}).id
    ws.contacts.create({"account_id": moreau, "name": "Luc", "email": "luc@garage-moreau.fr"})
    return {"acme": acme, "acme_lyon": acme_lyon, "moreau": moreau}


def test_appointments_are_matched_by_name_location_and_mail_domain(workspace, accounts, tmp_path):
    day = NOW - timedelta(days=3)
    path = _ics(
        tmp_path,
        ("1", day, "SUMMARY:Visite acme lyon\r\n"),  # the longer name wins over "ACME"
        ("2", day + timedelta(hours=3), "SUMMARY:Rendez-vous\r\nLOCATION:ACME\\, Paris\r\n"),
        ("3", day + timedelta(hours=6),
         "SUMMARY:Point\r\nATTENDEE:mailto:boss@GARAGE-MOREAU.fr\r\n"),
        ("4", day + timedelta(hours=8), "SUMMARY:Dentiste\r\nATTENDEE:mailto:me@gmail.com\r\n"),
        ("5", day + timedelta(hours=9), "SUMMARY:Acmeology seminar\r\n"),  # not the word ACME
    )  # fmt: skip
    entries = workspace.debrief.inbox(path, now=NOW).entries
    assert [e.account_id for e in entries] == [
        accounts["acme_lyon"],
        accounts["acme"],
        accounts["moreau"],
        None,
        None,
    ]


def test_a_logged_activity_near_the_time_covers_the_appointment(workspace, accounts, tmp_path):
    at = NOW - timedelta(days=2)
    path = _ics(
        tmp_path,
        ("same-account", at, "SUMMARY:Visite ACME\r\n"),
        ("any-account", at + timedelta(hours=5), "SUMMARY:Appel inconnu\r\n"),
        ("not-near", at + timedelta(days=1), "SUMMARY:Visite Garage Moreau\r\n"),
    )
    log = workspace.activities.quick_log
    from kpidesk.domain.vocabulary import ActivityPurpose
    from kpidesk.services.activities import QuickLogEntry

    # 1 h 50 after the ACME visit, on ACME: within the two hours of the same account.
    log(
        QuickLogEntry(
            ActivityKind.VISIT,
            ActivityPurpose.OTHER,
            accounts["acme"],
            done_at=at + timedelta(hours=1, minutes=50),
            follow_up_in_days=None,
        )
    )
    # 25 minutes after the unknown call, on another account: within the half hour of any.
    log(
        QuickLogEntry(
            ActivityKind.CALL,
            ActivityPurpose.OTHER,
            accounts["moreau"],
            done_at=at + timedelta(hours=5, minutes=25),
            follow_up_in_days=None,
        )
    )
    # 2 h 10 before the Moreau visit, on Moreau: too far for the same account.
    log(QuickLogEntry(ActivityKind.CALL, ActivityPurpose.OTHER, accounts["moreau"],
                      done_at=at + timedelta(days=1) - timedelta(hours=2, minutes=10),
                      follow_up_in_days=None))  # fmt: skip
    entries = workspace.debrief.inbox(path, now=NOW).entries
    assert [e.appointment.key.split("|")[0] for e in entries] == ["not-near"]


def test_only_the_last_days_and_only_the_past(workspace, accounts, tmp_path):
    path = _ics(
        tmp_path,
        ("old", NOW - timedelta(days=15), "SUMMARY:ACME\r\n"),
        ("recent", NOW - timedelta(days=13), "SUMMARY:ACME\r\n"),
        ("future", NOW + timedelta(hours=1), "SUMMARY:ACME\r\n"),
    )
    keys = [e.appointment.key.split("|")[0] for e in workspace.debrief.inbox(path, now=NOW).entries]
    assert keys == ["recent"]
    keys = [
        e.appointment.key.split("|")[0]
        for e in workspace.debrief.inbox(path, days=30, now=NOW).entries
    ]
    assert keys == ["old", "recent"]


def test_logging_and_dismissing_empty_the_inbox_and_a_second_import_lists_nothing_new(
    workspace, accounts, tmp_path
):
    at = NOW - timedelta(days=4)
    path = _ics(tmp_path, ("v", at, "SUMMARY:Visite ACME\r\n"), ("d", at + timedelta(days=1),
                "SUMMARY:Déjeuner ACME\r\n"))  # fmt: skip
    first = workspace.debrief.inbox(path, now=NOW).entries
    assert len(first) == 2
    assert workspace.activities.list(ActivityFilter(mine=True)) == []  # nothing written yet
    pending = workspace.pending_changes()  # the accounts and the contact of the fixture
    result = workspace.debrief.log(first[0], ActivityKind.VISIT, "Devis demandé")
    assert result.changes  # a real write: it syncs through the outbox
    workspace.debrief.dismiss(first[1], now=NOW)
    (logged,) = workspace.activities.list(ActivityFilter(mine=True))
    assert (logged.account_id, logged.kind, logged.done_at, logged.outcome) == (
        accounts["acme"],
        ActivityKind.VISIT,
        at,
        "Devis demandé",
    )
    # The visit waits for the next sync; a dismissal stays on this laptop.
    assert workspace.pending_changes() == pending + 1
    assert workspace.debrief.inbox(path, now=NOW).entries == []
