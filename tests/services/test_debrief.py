"""The debrief inbox: which past appointments still need logging, and to which account."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kpidesk.domain.outcomes import Outcome
from kpidesk.domain.vocabulary import ActivityKind
from kpidesk.services.errors import InvalidInputError
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
    # 10 minutes after the Moreau visit, but on ACME: another customer, it covers nothing.
    log(QuickLogEntry(ActivityKind.CALL, ActivityPurpose.OTHER, accounts["acme"],
                      done_at=at + timedelta(days=1, minutes=10),
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
    result = workspace.debrief.log(first[0], ActivityKind.VISIT, Outcome.OFFER_REQUESTED)
    assert result.changes  # a real write: it syncs through the outbox
    workspace.debrief.dismiss(first[1], now=NOW)
    (logged,) = workspace.activities.list(ActivityFilter(mine=True))
    assert (logged.account_id, logged.kind, logged.done_at, logged.outcome) == (
        accounts["acme"],
        ActivityKind.VISIT,
        at,
        "offer_requested",
    )
    # The visit waits for the next sync; a dismissal stays on this laptop.
    assert workspace.pending_changes() == pending + 1
    assert workspace.debrief.inbox(path, now=NOW).entries == []


def test_logging_refuses_an_outcome_of_another_kind_or_no_account_and_saves_nothing(
    workspace, accounts, tmp_path
):
    at = NOW - timedelta(days=4)
    path = _ics(tmp_path, ("v", at, "SUMMARY:Visite ACME\r\n"),
                ("x", at + timedelta(hours=5), "SUMMARY:Café\r\n"))  # fmt: skip
    acme, unknown = workspace.debrief.inbox(path, now=NOW).entries
    assert unknown.account_id is None
    pending = workspace.pending_changes()
    with pytest.raises(InvalidInputError) as refused:
        workspace.debrief.log(acme, ActivityKind.CALL, Outcome.MEETING_HELD)
    assert refused.value.for_field("outcome")
    with pytest.raises(InvalidInputError) as no_account:
        workspace.debrief.log(unknown, ActivityKind.VISIT)
    assert no_account.value.for_field("account_id")
    assert workspace.activities.list(ActivityFilter(mine=True)) == []
    assert workspace.pending_changes() == pending


def test_an_unmatched_appointment_logs_on_the_account_the_rep_chose_or_a_new_prospect(
    workspace, accounts, tmp_path
):
    at = NOW - timedelta(days=3)
    path = _ics(tmp_path, ("a", at, "SUMMARY:Café\r\n"),
                ("b", at + timedelta(hours=5), "SUMMARY:Rendez-vous\r\n"))  # fmt: skip
    cafe, meeting = workspace.debrief.inbox(path, now=NOW).entries
    before = {a.id for a in workspace.accounts.list()}
    chosen = workspace.debrief.log(cafe, ActivityKind.VISIT, account_id=accounts["acme"])
    created = workspace.debrief.log(meeting, ActivityKind.CALL, Outcome.REACHED,
                                    new_account_name="Boulangerie Neuve")  # fmt: skip
    assert chosen.account_id == accounts["acme"] and not chosen.created_account
    assert created.created_account
    new = [a for a in workspace.accounts.list() if a.id not in before]
    assert [(a.id, a.name) for a in new] == [(created.account_id, "Boulangerie Neuve")]


def test_two_accounts_of_the_same_name_match_neither(workspace, accounts, tmp_path):
    workspace.accounts.create({"name": "Garage Moreau", "city": "Lyon"})
    path = _ics(tmp_path, ("m", NOW - timedelta(days=2), "SUMMARY:Visite garage moreau\r\n"))
    (entry,) = workspace.debrief.inbox(path, now=NOW).entries
    assert (entry.account_id, entry.account_name) == (None, None)


def test_a_debriefed_activity_takes_the_purpose_the_quick_log_would_propose(
    workspace, accounts, tmp_path
):
    from kpidesk.domain.vocabulary import AccountStatus, ActivityPurpose

    client = workspace.accounts.create({"name": "Hôtel du Lac", "status": AccountStatus.CLIENT})
    prospect = workspace.accounts.create({"name": "Garage Neuf", "status": AccountStatus.PROSPECT})
    at = NOW - timedelta(days=2)
    path = _ics(tmp_path, ("c", at, "SUMMARY:Visite Hôtel du Lac\r\n"),
                ("p", at + timedelta(hours=4), "SUMMARY:Appel Garage Neuf\r\n"),
                ("n", at + timedelta(hours=8), "SUMMARY:Café\r\n"))  # fmt: skip
    on_client, on_prospect, unknown = workspace.debrief.inbox(path, now=NOW).entries
    assert (on_client.account_id, on_prospect.account_id) == (client.id, prospect.id)
    ids = [
        workspace.debrief.log(on_client, ActivityKind.VISIT).activity_id,
        workspace.debrief.log(on_prospect, ActivityKind.CALL).activity_id,
        workspace.debrief.log(unknown, ActivityKind.CALL, new_account_name="Café Neuf").activity_id,
    ]
    purposes = [workspace.activities.get(i)["purpose"] for i in ids]
    assert purposes == [ActivityPurpose.ACCOUNT_MANAGEMENT, ActivityPurpose.PROSPECTING,
                        ActivityPurpose.PROSPECTING]  # fmt: skip
