"""Log, then schedule the next step; structured outcomes; the undo history (issue 15).

A fixed clock: Friday 4 December 2026, 16:45, local time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel

from kpidesk.domain.changes import Changes
from kpidesk.domain.vocabulary import ActivityKind, ActivityPurpose, OfferStatus
from kpidesk.presentation import using
from kpidesk.services.activities import QuickLogEntry
from kpidesk.services.rows import ActivityFilter
from kpidesk.store.errors import RecordNotFoundError
from kpidesk.store.settings import write_settings
from kpidesk.ui.dialogs.complete_activity import CompleteActivityDialog
from kpidesk.ui.dialogs.recent_changes import RecentChangesDialog
from kpidesk.ui.undo_history import UndoHistory
from tests.ui.conftest import outbox_count
from tests.ui.test_quick_log import _open_quick_log, _press, _type

FRIDAY = datetime(2026, 12, 4, 16, 45).astimezone()  # naive = local: the rep's wall clock


@pytest.fixture
def fixed(desktop):
    desktop.actions.clock = lambda: FRIDAY
    return desktop


def _local(due: datetime) -> tuple[int, int, int, int, int]:
    local = due.astimezone()
    return (local.year, local.month, local.day, local.hour, local.minute)


def _planned(workspace, account):
    return workspace.activities.list(ActivityFilter(account_id=account, planned=True))


def _choose_account(qtbot, dialog, text):
    qtbot.waitUntil(dialog.account.hasFocus)
    _type(qtbot, text)
    popup = dialog.account.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Return)


def test_the_quick_log_plans_the_chosen_kind_at_a_working_hour(qtbot, seeded, fixed, workspace):
    accounts_before = len(workspace.accounts.list())
    dialog = _open_quick_log(qtbot, fixed)
    _choose_account(qtbot, dialog, "helo")
    _press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "c")  # a call
    _press(qtbot, Qt.Key.Key_Tab, 2)
    assert dialog.outcome.hasFocus()
    _type(qtbot, "v")  # "Voicemail"
    # The next step: its own kind, day and time, proposed 7 days on at 09:30.
    assert dialog.next_step.mode() == "new"
    dialog.next_step.kind.setFocus()
    _type(qtbot, "v")  # a visit this time
    qtbot.keyClick(dialog.notes, Qt.Key.Key_Return)
    assert not dialog.isVisible()

    account = seeded["boulangerie"]
    logged = workspace.activities.list(ActivityFilter(account_id=account, planned=False))[0]
    assert (logged.kind, logged.outcome) == (ActivityKind.CALL, "voicemail")
    [step] = _planned(workspace, account)
    # Friday 4 + 7 days = Friday 11 December, at 09:30 (not at 16:45, the time of the log).
    assert _local(step.due_at) == (2026, 12, 11, 9, 30)
    assert (step.kind, step.purpose) == (ActivityKind.VISIT, ActivityPurpose.FOLLOW_UP)
    assert len(workspace.accounts.list()) == accounts_before  # no junk prospect
    text = fixed.window.toast.text()
    assert text.startswith("Logged for Boulangerie Héloïse. Next step: visit on ")
    assert "Friday" in text and "11 December 2026" in text and "09:30" in text


def test_a_step_landing_on_the_weekend_moves_to_monday(qtbot, seeded, fixed, workspace):
    with workspace.db.write() as conn:
        write_settings(conn, {"follow_up.delay_days": 1})  # the Settings page's key
    dialog = _open_quick_log(qtbot, fixed)
    _choose_account(qtbot, dialog, "helo")
    assert "outside" not in dialog.next_step.hint.text()
    _press(qtbot, Qt.Key.Key_Return)
    [step] = _planned(workspace, seeded["boulangerie"])
    assert _local(step.due_at) == (2026, 12, 7, 9, 30)  # Saturday 5 -> Monday 7


def test_a_step_already_planned_is_kept_instead_of_a_duplicate(qtbot, seeded, fixed, workspace):
    hotel = seeded["hotel"]
    planned_at = datetime(2026, 12, 8, 10, 0).astimezone()  # Tuesday 8 December, 10:00
    existing = workspace.activities.plan(hotel, planned_at).id
    fixed.ctx.events.announce(Changes.of(activity=[existing]))
    dialog = fixed.actions.log_activity(hotel)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert dialog.kind.hasFocus()  # the account is known: the cursor starts at the kind
    assert dialog.next_step.mode() == "keep"  # offered first
    assert "Tuesday" in dialog.next_step.choice.currentText()
    qtbot.keyClick(dialog.notes, Qt.Key.Key_Return)
    assert [a.id for a in _planned(workspace, hotel)] == [existing]
    assert _local(_planned(workspace, hotel)[0].due_at) == (2026, 12, 8, 10, 0)
    assert "Next step kept: call on Tuesday" in fixed.window.toast.text()

    # Moving it: the same activity, to the day chosen; undo puts it back.
    dialog = fixed.actions.log_activity(hotel)
    editor = dialog.next_step
    editor.choice.setCurrentIndex(editor.choice.findData("move"))
    editor.day.setDate(editor.day.date().addDays(-1))  # Thursday 10 instead of Friday 11
    qtbot.keyClick(dialog.notes, Qt.Key.Key_Return)
    [step] = _planned(workspace, hotel)
    assert step.id == existing and _local(step.due_at) == (2026, 12, 10, 9, 30)
    assert "Next step moved" in fixed.window.toast.text()
    fixed.window.toast.hide()  # the message bar is gone: Ctrl+Z still undoes
    fixed.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is fixed.window)
    qtbot.keyClick(fixed.window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    [step] = _planned(workspace, hotel)
    assert step.id == existing and _local(step.due_at) == (2026, 12, 8, 10, 0)


def test_a_kept_steps_long_sentence_squeezes_no_label_in_french(qtbot, seeded, fixed, workspace):
    """The README's quick log picture showed "Prochaine é": the kept step's sentence widened
    the combo, the form squeezed its labels, and the sentence ran past the dialog's edge."""
    hotel = seeded["hotel"]
    existing = workspace.activities.plan(hotel, datetime(2026, 12, 8, 10, 0).astimezone()).id
    fixed.ctx.events.announce(Changes.of(activity=[existing]))
    with using("fr"):
        dialog = fixed.actions.log_activity(hotel)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        editor = dialog.next_step
        assert editor.mode() == "keep"
        sentence = editor.choice.currentText()
        assert sentence.startswith("Garder l'étape déjà prévue") and "10:00" in sentence
        labels = [w for w in dialog.findChildren(QLabel) if w.buddy() is not None and w.isVisible()]
        assert any(w.text().replace("&", "").startswith("Prochaine") for w in labels)
        for label in labels:
            assert label.width() >= label.sizeHint().width(), label.text()
        for widget in (editor.choice, dialog.notes):
            assert widget.mapTo(dialog, QPoint(widget.width(), 0)).x() <= dialog.width()
        assert editor.choice.toolTip() == sentence  # the whole sentence when it is elided
        # The list opens wide enough to read each choice whole.
        view = editor.choice.view()
        assert view.minimumWidth() >= view.sizeHintForColumn(0)
        dialog.reject()


def test_ctrl_d_offers_the_accounts_other_planned_step(qtbot, workspace, fixed):
    account = workspace.accounts.create({"name": "Hôtel du Lac"}).id
    due = workspace.activities.plan(account, FRIDAY - timedelta(hours=1)).id
    visit = workspace.activities.plan(
        account, FRIDAY + timedelta(days=4), kind=ActivityKind.VISIT
    ).id
    row = workspace.activities.list(ActivityFilter(ids=frozenset({due})))[0]
    dialog = fixed.actions.complete_activity(row)
    assert isinstance(dialog, CompleteActivityDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert dialog.outcome.hasFocus()
    assert dialog.next_step.mode() == "keep"  # the visit, not the call being done
    assert "visit" in dialog.next_step.choice.currentText()
    qtbot.keyClicks(dialog.outcome, "r")  # "Reached"
    qtbot.keyClick(dialog.notes, Qt.Key.Key_Return)
    assert workspace.activities.get(due)["outcome"] == "reached"
    assert [a.id for a in _planned(workspace, account)] == [visit]


def test_two_accounts_of_the_same_name_are_told_apart_by_city(qtbot, seeded, fixed, workspace):
    workspace.accounts.create({"name": "Boulangerie Héloïse", "city": "Villeurbanne"})
    fixed.ctx.events.announce(Changes.of(["account"]))
    result = workspace.activities.quick_log(
        QuickLogEntry(ActivityKind.CALL, ActivityPurpose.PROSPECTING,
                      account_id=seeded["boulangerie"], done_at=FRIDAY)
    )  # fmt: skip
    fixed.actions._on_logged(result)
    assert fixed.window.toast.text().startswith("Logged for Boulangerie Héloïse (Lyon). ")


def test_undo_after_the_message_bar_is_gone(qtbot, seeded, fixed, workspace):
    dialog = _open_quick_log(qtbot, fixed)
    _choose_account(qtbot, dialog, "helo")
    _press(qtbot, Qt.Key.Key_Return)
    logged_first = workspace.activities.list(
        ActivityFilter(account_id=seeded["boulangerie"], planned=False)
    )[0].id
    fixed.window.activateWindow()  # offscreen has no window manager to give focus back
    qtbot.waitUntil(lambda: QApplication.activeWindow() is fixed.window)
    dialog = _open_quick_log(qtbot, fixed)
    _type(qtbot, "Brasserie Neuve")
    popup = dialog.account.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # "+ New prospect"
    _press(qtbot, Qt.Key.Key_Return)
    brasserie = next(a for a in workspace.accounts.list() if a.name == "Brasserie Neuve")
    fixed.window.toast.hide()  # as after its 8 seconds
    assert len(fixed.history.entries()) == 2

    fixed.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is fixed.window)
    sent = outbox_count(workspace)
    qtbot.keyClick(fixed.window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Brasserie Neuve" not in {a.name for a in workspace.accounts.list()}
    assert workspace.activities.list(ActivityFilter(account_id=brasserie.id)) == []
    assert outbox_count(workspace) > sent  # the undo is sent to the team like any change
    assert workspace.activities.get(logged_first)  # the first log still stands
    assert fixed.window.toast.text().startswith("Undone: Logged for Brasserie Neuve.")

    # The Journal's "Recent changes": delete an activity, let the bar go, undo it from there.
    fixed.window.show_page("journal")
    journal = fixed.journal
    journal.table.setFocus()
    row = journal.table.current_row()
    assert row is not None
    fixed.actions.delete_activity(row)
    with pytest.raises(RecordNotFoundError):
        workspace.activities.get(row.id)
    fixed.window.toast.hide()
    journal.recent_button.click()
    changes = fixed.actions.last_dialog
    assert isinstance(changes, RecentChangesDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is changes)
    assert changes.list.hasFocus() and changes.list.currentRow() == 0
    assert changes.list.count() == 2  # the deletion, then the first log
    assert "deleted" in changes.list.item(0).text()
    qtbot.keyClick(changes.list, Qt.Key.Key_Return)  # undo the selected one
    qtbot.waitUntil(lambda: changes.list.count() == 1)
    assert workspace.activities.get(row.id)["cl"] == 3  # undeleted
    changes.undo_button.click()  # and the first log
    with pytest.raises(RecordNotFoundError):
        workspace.activities.get(logged_first)
    assert changes.list.count() == 0
    assert changes.empty.isVisible() and not changes.undo_button.isEnabled()


def test_the_history_keeps_the_last_20_changes():
    history = UndoHistory()
    undone = []
    for n in range(25):
        history.push(f"change {n}", lambda n=n: undone.append(n))
    assert [e.text for e in history.entries()][:2] == ["change 24", "change 23"]
    assert len(history.entries()) == 20
    assert history.undo_last() and history.undo_last()
    assert undone == [24, 23]
    oldest = history.entries()[-1]
    assert oldest.text == "change 5"
    assert history.undo(oldest) and not history.undo(oldest)  # once only
    assert undone == [24, 23, 5]


def test_outcomes_are_a_journal_filter_and_old_texts_stay(qtbot, seeded, fixed, workspace):
    for outcome in ("reached", "reached", "no_answer"):
        workspace.activities.quick_log(
            QuickLogEntry(ActivityKind.CALL, ActivityPurpose.PROSPECTING, outcome=outcome,
                          account_id=seeded["hotel"], follow_up_in_days=None)
        )  # fmt: skip
    fixed.ctx.events.announce(Changes.of(["activity"]))
    fixed.window.show_page("journal")
    journal = fixed.journal
    shown = {journal.model.rows()[i].outcome: i for i in range(len(journal.model.rows()))}
    outcome_column = 6
    old = journal.model.index(shown["RDV fixé"], outcome_column).data()
    assert old == "RDV fixé"  # a free-text outcome from before: as it was written
    assert journal.model.index(shown["reached"], outcome_column).data() == "Reached"
    reached = journal.outcome.findData("reached")
    assert journal.outcome.itemText(reached) == "Reached (2)"
    journal.outcome.setCurrentIndex(reached)
    assert journal.proxy.rowCount() == 2
    assert {journal.proxy.row_at(i).outcome for i in range(2)} == {"reached"}
    journal.outcome.setCurrentIndex(0)
    assert journal.proxy.rowCount() == len(journal.model.rows())


def test_an_open_offer_without_a_next_step_is_flagged_on_the_account(
    qtbot, seeded, fixed, workspace
):
    garage = seeded["garage"]  # an open offer; its only planned call is overdue
    fixed.window.show_page("accounts")
    fixed.accounts.open_account(garage)
    detail = fixed.accounts.detail
    assert detail.no_next_step.isVisible()
    assert "an offer is open" in detail.no_next_step.text()
    workspace.activities.plan(garage, datetime.now().astimezone() + timedelta(days=2))
    fixed.ctx.events.announce(Changes.of(["activity"]))
    assert not detail.no_next_step.isVisible()
    # A client with nothing open is not flagged.
    fixed.accounts.open_account(seeded["boulangerie"])
    assert not detail.no_next_step.isVisible()
    assert workspace.offers.get(seeded["offer"])["status"] is OfferStatus.SENT


def test_ctrl_h_opens_the_recent_changes_from_any_page(qtbot, seeded, fixed, workspace):
    fixed.actions.delete_activity(workspace.activities.list(ActivityFilter(planned=False))[0])
    fixed.window.show_page("pipeline")
    fixed.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is fixed.window)
    qtbot.keyClick(fixed.window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    dialog = fixed.actions.last_dialog
    assert isinstance(dialog, RecentChangesDialog)
    assert dialog.list.count() == 1 and dialog.undo_button.isEnabled()


def test_editing_an_activity_keeps_its_outcome_key_or_old_text(qtbot, seeded, fixed, workspace):
    from kpidesk.ui.dialogs.record_dialogs import ActivityDialog

    old = next(a for a in workspace.activities.list() if a.outcome == "RDV fixé")
    dialog = ActivityDialog(fixed.ctx.fmt, workspace.activities.get(old.id))
    qtbot.addWidget(dialog)
    assert dialog.outcome.currentText() == "RDV fixé"  # shown and kept as it was written
    assert dialog.values()["outcome"] == "RDV fixé"
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("no_answer"))
    assert dialog.values()["outcome"] == "no_answer"
    assert dialog.outcome.currentText() == "No answer"
