"""The calendar in the app: Journal > Export to calendar, Today > Debrief, by keyboard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar
from PySide6.QtCore import Qt

from kpidesk.domain.vocabulary import ActivityKind
from kpidesk.services.rows import ActivityFilter

NOW = datetime.now(UTC).replace(microsecond=0)


def test_journal_exports_the_planned_activities_to_a_file(qtbot, seeded, desktop, tmp_path):
    page = desktop.journal
    desktop.window.show_page("journal")
    target = tmp_path / "mine.ics"
    page.ask_export_path = lambda: target
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    (event,) = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert str(event["UID"]) == f"{seeded['planned']}@kpidesk"  # the one planned activity
    assert "1 planned activity saved to" in desktop.window.toast.text()


def test_journal_export_to_an_unwritable_place_says_so(qtbot, seeded, desktop, tmp_path):
    page = desktop.journal
    page.ask_export_path = lambda: tmp_path / "missing-folder" / "mine.ics"
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
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


def test_debrief_logs_two_appointments_with_the_keyboard(qtbot, seeded, desktop, workspace,
                                                         tmp_path):  # fmt: skip
    path, rows = _agenda(tmp_path)
    today = desktop.today
    desktop.window.show_page("today")
    today.ask_calendar_path = lambda: path
    qtbot.mouseClick(today.debrief_button, Qt.MouseButton.LeftButton)
    dialog = today.debrief_dialog
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.list.hasFocus)
    assert dialog.list.count() == 3
    before = {a.id for a in workspace.activities.list(ActivityFilter(mine=True))}

    # The Moreau visit: V, type the outcome, Enter.
    qtbot.keyClick(dialog.list, Qt.Key.Key_V)
    qtbot.waitUntil(dialog.outcome.hasFocus)
    # ASCII only: QTest.keyClicks asserts inside Qt (qasciikey.cpp) on a non-ASCII character.
    qtbot.keyClicks(dialog.outcome, "Devis demande")
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_Return)
    # Now the lunch at the hotel is first: C then Enter, two keystrokes, no outcome.
    assert dialog.list.count() == 2
    qtbot.keyClick(dialog.list, Qt.Key.Key_C)
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_Return)
    # The dentist matches no account: V does not log it, D dismisses it.
    qtbot.keyClick(dialog.list, Qt.Key.Key_V)
    assert "No account found" in dialog.status.text()
    qtbot.keyClick(dialog.list, Qt.Key.Key_D)
    assert dialog.list.count() == 0

    new = [a for a in workspace.activities.list(ActivityFilter(mine=True)) if a.id not in before]
    got = sorted((a.account_id, a.kind, a.done_at, a.outcome) for a in new)
    assert got == sorted([
        (seeded["garage"], ActivityKind.VISIT, rows[0][1], "Devis demande"),
        (seeded["hotel"], ActivityKind.CALL, rows[1][1], None),
    ])  # fmt: skip
    assert workspace.debrief.inbox(path).entries == []  # a second import lists nothing new


def test_debrief_of_a_bad_file_names_it(qtbot, desktop, tmp_path):
    bad = tmp_path / "agenda.ics"
    bad.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    desktop.today.ask_calendar_path = lambda: bad
    qtbot.mouseClick(desktop.today.debrief_button, Qt.MouseButton.LeftButton)
    assert desktop.window.toast.text().startswith(f"Cannot read {bad}: it ends before")
