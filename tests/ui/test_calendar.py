"""The calendar in the app: Journal > Export to calendar, Today > Debrief, by keyboard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar
from PySide6.QtCore import Qt

from kpidesk.domain.outcomes import Outcome
from kpidesk.domain.vocabulary import ActivityKind
from kpidesk.services.rows import ActivityFilter

NOW = datetime.now(UTC).replace(microsecond=0)


def test_journal_exports_the_planned_activities_to_a_file(qtbot, seeded, desktop, tmp_path):
    page = desktop.journal
    desktop.window.show_page("journal")
    target = tmp_path / "mine.ics"
    page.ask_export_path = lambda: target
    assert page.export_button.menu().actions() == [page.export_plan_action,
                                                   page.export_with_offers_action]  # fmt: skip
    page.export_plan_action.trigger()
    (event,) = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert str(event["UID"]) == f"{seeded['planned']}@kpidesk"  # the one planned activity
    assert "1 planned activity saved to" in desktop.window.toast.text()


def test_journal_exports_the_plan_with_the_open_offers_follow_ups(qtbot, seeded, desktop,
                                                                  workspace, tmp_path):  # fmt: skip
    # An open offer on an account with nothing planned (the garage's is covered by its plan).
    bakery = seeded["boulangerie"]
    offer = workspace.offers.create({"account_id": bakery, "status": "sent", "title": "Four",
                                     "sent_at": NOW - timedelta(days=2)}).id  # fmt: skip
    page = desktop.journal
    target = tmp_path / "mine.ics"
    page.ask_export_path = lambda: target
    page.export_with_offers_action.trigger()
    events = {str(e["UID"]): e for e in Calendar.from_ical(target.read_bytes()).walk("VEVENT")}
    assert set(events) == {f"{seeded['planned']}@kpidesk", f"offer-{offer}-follow-up@kpidesk",
                           f"offer-{seeded['offer']}-follow-up@kpidesk"}  # fmt: skip
    assert str(events[f"offer-{offer}-follow-up@kpidesk"]["STATUS"]) == "CONFIRMED"
    # The garage's offer has a planned step: its reminder goes out cancelled.
    assert str(events[f"offer-{seeded['offer']}-follow-up@kpidesk"]["STATUS"]) == "CANCELLED"
    assert desktop.window.toast.text().startswith(
        "1 planned activity and 2 offer follow-ups saved to"
    )


def test_journal_export_to_an_unwritable_place_says_so(qtbot, seeded, desktop, tmp_path):
    page = desktop.journal
    page.ask_export_path = lambda: tmp_path / "missing-folder" / "mine.ics"
    page.export_with_offers_action.trigger()
    assert "Could not save" in desktop.window.toast.text()
    assert "missing-folder" in desktop.window.toast.text()


def _agenda(tmp_path):
    """Three appointments the rep had this week, none logged yet: 5 hours away from the
    seeded activities (done 2, 9 and 40 days ago), so nothing logged covers them."""
    rows = [
        ("1", NOW - timedelta(days=3, hours=5), "Visite Garage Moreau"),
        ("2", NOW - timedelta(days=2, hours=5), "Déjeuner Hôtel du Lac"),
        ("3", NOW - timedelta(days=1, hours=5), "Dentiste"),
    ]
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\n"
        f"DTSTART:{at:%Y%m%dT%H%M%SZ}\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\n"
        for uid, at, summary in rows
    )
    path = tmp_path / "agenda.ics"
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n{events}END:VCALENDAR\r\n",
                    newline="")  # fmt: skip
    return path, rows


def _open_debrief(qtbot, desktop, path):
    today = desktop.today
    desktop.window.show_page("today")
    today.ask_calendar_path = lambda: path
    qtbot.mouseClick(today.debrief_button, Qt.MouseButton.LeftButton)
    dialog = today.debrief_dialog
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.list.hasFocus)
    return dialog


def _new_activities(workspace, before):
    return [a for a in workspace.activities.list(ActivityFilter(mine=True)) if a.id not in before]


def test_debrief_logs_two_appointments_with_the_keyboard(qtbot, seeded, desktop, workspace,
                                                         tmp_path):  # fmt: skip
    path, rows = _agenda(tmp_path)
    dialog = _open_debrief(qtbot, desktop, path)
    assert dialog.list.count() == 3
    before = {a.id for a in workspace.activities.list(ActivityFilter(mine=True))}

    # The Moreau visit, matched by name: V, then 2, the visit's second outcome. Two keys.
    qtbot.keyClick(dialog.list, Qt.Key.Key_V)
    qtbot.waitUntil(dialog.outcomes.hasFocus)
    assert dialog.account.text() == "Garage Moreau — Annecy"  # the matched account, shown
    assert dialog.outcomes.item(1).text().endswith("Quote requested")
    qtbot.keyClick(dialog.outcomes, Qt.Key.Key_2)
    # Now the lunch at the hotel is first: C then Enter logs the highlighted first outcome.
    assert dialog.list.count() == 2
    qtbot.waitUntil(dialog.list.hasFocus)
    qtbot.keyClick(dialog.list, Qt.Key.Key_C)
    qtbot.keyClick(dialog.outcomes, Qt.Key.Key_Return)
    # The dentist matches no account: D dismisses it.
    qtbot.keyClick(dialog.list, Qt.Key.Key_D)
    assert dialog.list.count() == 0
    assert dialog.isVisible()  # Enter logged; it did not also close the dialog

    got = sorted((a.account_id, a.kind, a.done_at, a.outcome)
                 for a in _new_activities(workspace, before))  # fmt: skip
    assert got == sorted([
        (seeded["garage"], ActivityKind.VISIT, rows[0][1], Outcome.OFFER_REQUESTED.value),
        (seeded["hotel"], ActivityKind.CALL, rows[1][1], Outcome.REACHED.value),
    ])  # fmt: skip
    assert workspace.debrief.inbox(path).entries == []  # a second import lists nothing new


def _type_account(qtbot, dialog, letters):
    qtbot.waitUntil(dialog.account.hasFocus)
    qtbot.keyClicks(dialog.account, letters)
    popup = dialog.account.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    return popup


def test_an_unmatched_appointment_is_logged_on_the_account_the_rep_picks(
    qtbot, seeded, desktop, workspace, tmp_path
):
    # A second "Garage Moreau", in Lyon: the list must tell the two apart by their city.
    lyon = workspace.accounts.create({"name": "Garage Moreau", "city": "Lyon"}).id
    desktop.directory.refresh()  # created behind the app's back: as after a sync
    path, rows = _agenda(tmp_path)
    dialog = _open_debrief(qtbot, desktop, path)
    qtbot.waitUntil(lambda: "Garage Moreau — Lyon" in [
        dialog.account.completer().model().index(r, 0).data()
        for r in range(dialog.account.completer().model().rowCount())])  # fmt: skip
    before = {a.id for a in workspace.activities.list(ActivityFilter(mine=True))}
    accounts_before = {a.id for a in workspace.accounts.list()}
    # The Moreau visit now names two accounts: it is matched to neither, the rep picks.
    assert dialog.current_entry().appointment.summary == "Visite Garage Moreau"
    assert dialog.current_entry().account_id is None
    assert dialog.list.currentItem().text().endswith("no account found: V or C, then type it")
    qtbot.keyClick(dialog.list, Qt.Key.Key_V)
    assert not dialog.outcomes.isEnabled()  # no outcome before an account
    popup = _type_account(qtbot, dialog, "moreau lyon")
    assert popup.currentIndex().row() in (-1, 0)
    assert popup.model().index(0, 0).data() == "Garage Moreau — Lyon"
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # takes the highlighted account
    qtbot.waitUntil(dialog.outcomes.hasFocus)
    qtbot.keyClick(dialog.outcomes, Qt.Key.Key_1)  # meeting held

    (logged,) = _new_activities(workspace, before)
    assert (logged.account_id, logged.kind, logged.done_at, logged.outcome) == (
        lyon, ActivityKind.VISIT, rows[0][1], Outcome.MEETING_HELD.value)  # fmt: skip
    assert {a.id for a in workspace.accounts.list()} == accounts_before  # no junk prospect


def test_an_unmatched_appointment_makes_a_prospect_only_when_asked(
    qtbot, seeded, desktop, workspace, tmp_path
):
    path, rows = _agenda(tmp_path)
    dialog = _open_debrief(qtbot, desktop, path)
    dialog.list.setCurrentRow(2)  # the dentist
    before = {a.id for a in workspace.activities.list(ActivityFilter(mine=True))}
    accounts_before = {a.id for a in workspace.accounts.list()}
    qtbot.keyClick(dialog.list, Qt.Key.Key_C)
    # A name that is no account, Enter with the list closed: refused, nothing saved.
    popup = _type_account(qtbot, dialog, "Cabinet Dentaire")
    popup.hide()
    qtbot.keyClick(dialog.account, Qt.Key.Key_Return)
    assert "+ New prospect" in dialog.status.text()
    assert not dialog.outcomes.hasFocus()
    assert _new_activities(workspace, before) == []
    # Its explicit last entry: a new prospect, then 0 for no outcome.
    assert dialog.isVisible()  # Enter there did not close the dialog either
    dialog.account.clear()
    popup = _type_account(qtbot, dialog, "Cabinet Dentaire")
    last = popup.model().index(popup.model().rowCount() - 1, 0)
    assert last.data() == "+ New prospect “Cabinet Dentaire”"
    popup.setCurrentIndex(last)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.outcomes.hasFocus)
    qtbot.keyClick(dialog.outcomes, Qt.Key.Key_0)

    (logged,) = _new_activities(workspace, before)
    (created,) = [a for a in workspace.accounts.list() if a.id not in accounts_before]
    assert created.name == "Cabinet Dentaire"
    assert (logged.account_id, logged.kind, logged.done_at, logged.outcome) == (
        created.id, ActivityKind.CALL, rows[2][1], None)  # fmt: skip


def test_esc_goes_back_to_the_list_and_saves_nothing(qtbot, seeded, desktop, workspace, tmp_path):
    path, _rows = _agenda(tmp_path)
    dialog = _open_debrief(qtbot, desktop, path)
    before = workspace.pending_changes()
    qtbot.keyClick(dialog.list, Qt.Key.Key_V)
    qtbot.waitUntil(dialog.outcomes.hasFocus)
    qtbot.keyClick(dialog.outcomes, Qt.Key.Key_Escape)
    assert dialog.list.hasFocus() and dialog.isVisible() and dialog.list.count() == 3
    assert not dialog.outcomes.isEnabled()
    assert workspace.pending_changes() == before


def test_debrief_of_a_bad_file_names_it(qtbot, desktop, tmp_path):
    bad = tmp_path / "agenda.ics"
    bad.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    desktop.today.ask_calendar_path = lambda: bad
    qtbot.mouseClick(desktop.today.debrief_button, Qt.MouseButton.LeftButton)
    assert desktop.window.toast.text().startswith(f"Cannot read {bad}: it ends before")
