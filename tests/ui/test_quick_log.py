"""The quick log, driven with the keyboard only, as a rep between two appointments would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import shiboken6
import sqlalchemy as sa
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication

from kpidesk.domain.vocabulary import AccountStatus, ActivityKind, ActivityPurpose
from kpidesk.store.tables import outbox, table_of
from kpidesk.ui.dialogs.quick_log import QuickLogDialog, find_planned_step
from tests.ui.conftest import outbox_count


def _rows(workspace, table):
    tbl = table_of(table)
    with workspace.db.read() as conn:
        return [dict(r) for r in conn.execute(sa.select(tbl)).mappings()]


def _open_quick_log(qtbot, desktop) -> QuickLogDialog:
    qtbot.keyClick(desktop.window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = desktop.actions.last_dialog
    assert isinstance(dialog, QuickLogDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def _type(qtbot, text):
    qtbot.keyClicks(QApplication.focusWidget(), text)


def _press(qtbot, key, times=1):
    for _ in range(times):
        qtbot.keyClick(QApplication.focusWidget(), key)


def test_log_a_visit_with_the_keyboard_only(qtbot, seeded, desktop, workspace):
    before = outbox_count(workspace)
    dialog = _open_quick_log(qtbot, desktop)
    qtbot.waitUntil(dialog.account.hasFocus)
    _type(qtbot, "helo")  # no accent typed: still finds "Boulangerie Héloïse"
    popup = dialog.account.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.account.account_id() == seeded["boulangerie"]
    _press(qtbot, Qt.Key.Key_Tab)  # -> kind
    assert dialog.kind.hasFocus()
    _type(qtbot, "v")  # "Visit"
    _press(qtbot, Qt.Key.Key_Tab, 2)  # -> purpose -> outcome
    assert dialog.outcome.hasFocus()
    _type(qtbot, "m")  # the first outcome of a visit with an "m": "Meeting held"
    _press(qtbot, Qt.Key.Key_Tab)  # -> the free note
    assert dialog.notes.hasFocus()
    _type(qtbot, "Commande de 3 fours")
    started = datetime.now(UTC)
    _press(qtbot, Qt.Key.Key_Return)
    assert not dialog.isVisible()

    activities = {a["id"]: a for a in _rows(workspace, "activity")}
    logged = [a for a in activities.values() if a["notes"] == "Commande de 3 fours"]
    assert len(logged) == 1
    visit = logged[0]
    assert visit["outcome"] == "meeting_held"  # the stable key, whatever the language
    assert visit["account_id"] == seeded["boulangerie"]
    assert visit["kind"] is ActivityKind.VISIT
    assert visit["purpose"] is ActivityPurpose.ACCOUNT_MANAGEMENT  # a client: account management
    assert abs(visit["done_at"] - started) < timedelta(minutes=2)
    follow_ups = [
        a for a in activities.values()
        if a["account_id"] == seeded["boulangerie"] and a["done_at"] is None
    ]  # fmt: skip
    assert len(follow_ups) == 1
    assert follow_ups[0]["purpose"] is ActivityPurpose.FOLLOW_UP
    # 7 days later (the default delay), at 09:30, on a working day: Saturday and Sunday move on.
    expected = (visit["done_at"].astimezone() + timedelta(days=7)).date()
    expected += timedelta(days={6: 2, 7: 1}.get(expected.isoweekday(), 0))
    due = follow_ups[0]["due_at"].astimezone()
    assert (due.date(), due.hour, due.minute) == (expected, 9, 30)
    with workspace.db.read() as conn:
        sent = [r.row_id for r in conn.execute(sa.select(outbox)).all()[before:]]
    assert sorted(sent) == sorted([visit["id"], follow_ups[0]["id"]])
    toast = desktop.window.toast
    assert toast.isVisible()
    assert "Boulangerie Héloïse" in toast.text()


def test_undo_takes_back_the_whole_quick_log(qtbot, seeded, desktop, workspace):
    dialog = _open_quick_log(qtbot, desktop)
    _type(qtbot, "Brasserie Neuve")  # unknown: the list offers a new prospect, last
    popup = dialog.account.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # takes "+ New prospect “Brasserie Neuve”"
    assert dialog.isVisible()  # choosing is not saving
    assert "Brasserie Neuve" in dialog.account_hint.text()
    _press(qtbot, Qt.Key.Key_Return)
    names = {a["name"]: a for a in _rows(workspace, "account")}
    assert names["Brasserie Neuve"]["status"] is AccountStatus.PROSPECT
    assert names["Brasserie Neuve"]["cl"] == 1
    # The confirmation names the new prospect (the account list did not know it yet).
    assert desktop.window.toast.text().startswith("Logged for Brasserie Neuve. Next step: call on ")
    assert "New prospect created." in desktop.window.toast.text()
    desktop.window.activateWindow()  # offscreen has no window manager to give focus back
    qtbot.waitUntil(lambda: QApplication.activeWindow() is desktop.window)
    qtbot.keyClick(desktop.window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    names = {a["name"]: a for a in _rows(workspace, "account")}
    assert names["Brasserie Neuve"]["cl"] == 2  # tombstoned, and the deletion is sent
    live = [
        a for a in _rows(workspace, "activity") if a["account_id"] == names["Brasserie Neuve"]["id"]
    ]
    assert live and all(a["cl"] == 2 for a in live)
    assert [a.name for a in desktop.directory.snapshot.accounts].count("Brasserie Neuve") == 0


def test_an_empty_account_is_refused_next_to_the_field_and_nothing_is_saved(
    qtbot, seeded, desktop, workspace
):
    before = outbox_count(workspace)
    dialog = _open_quick_log(qtbot, desktop)
    _press(qtbot, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "Choose the account in the list" in dialog.errors.text_for("account_id")
    assert outbox_count(workspace) == before


def test_ctrl_l_on_an_account_page_logs_for_that_account(qtbot, seeded, desktop):
    desktop.window.show_page("accounts")
    desktop.accounts.open_account(seeded["garage"])
    dialog = _open_quick_log(qtbot, desktop)
    assert dialog.account.account_id() == seeded["garage"]
    assert dialog.offer.count() == 2  # "No offer" and the garage's open offer
    dialog.offer.setCurrentIndex(1)
    assert dialog.purpose.value() is ActivityPurpose.FOLLOW_UP


def test_tab_takes_the_highlighted_match_and_never_makes_a_junk_prospect(
    qtbot, seeded, desktop, workspace
):
    # The README's keys once saved a visit against a new prospect named "garag": Tab closed
    # the list without choosing.
    accounts_before = len(_rows(workspace, "account"))
    dialog = _open_quick_log(qtbot, desktop)
    _type(qtbot, "garag")
    popup = dialog.account.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Tab)
    assert dialog.account.account_id() == seeded["garage"]
    assert dialog.kind.hasFocus()
    _type(qtbot, "v")
    _press(qtbot, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert len(_rows(workspace, "account")) == accounts_before
    visits = [a for a in _rows(workspace, "activity") if a["kind"] is ActivityKind.VISIT
              and a["account_id"] == seeded["garage"]]  # fmt: skip
    assert len(visits) == 1


def test_the_first_prospect_of_an_empty_database_comes_from_the_quick_log(
    qtbot, desktop, workspace
):
    # What the empty Today and Accounts pages tell a new rep to do: no account exists yet,
    # and the list still ends with its "+ New prospect" entry.
    dialog = _open_quick_log(qtbot, desktop)
    qtbot.waitUntil(dialog.account.hasFocus)
    _type(qtbot, "Garage Moreau")
    popup = dialog.account.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    assert [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())] == [
        "+ New prospect “Garage Moreau”"
    ]
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    _press(qtbot, Qt.Key.Key_Return)
    (account,) = _rows(workspace, "account")
    assert (account["name"], account["status"]) == ("Garage Moreau", AccountStatus.PROSPECT)
    logged = [a for a in _rows(workspace, "activity") if a["done_at"] is not None]
    assert [a["account_id"] for a in logged] == [account["id"]]


def test_enter_on_typed_text_chooses_it_does_not_save(qtbot, seeded, desktop, workspace):
    before = outbox_count(workspace)
    dialog = _open_quick_log(qtbot, desktop)
    _type(qtbot, "qqq")
    popup = dialog.account.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() == 1  # nothing matches: only "+ New prospect “qqq”"
    qtbot.keyClick(popup, Qt.Key.Key_Escape)  # the rep closes the list without choosing
    _press(qtbot, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "Choose the account in the list" in dialog.errors.text_for("account_id")
    assert outbox_count(workspace) == before
    assert "qqq" not in {a["name"] for a in _rows(workspace, "account")}


class _DeferredTasks:
    """Holds each task's answer until the test releases it (the real runner is synchronous
    in tests, so the dialog could never be gone before the answer)."""

    def __init__(self) -> None:
        self.answers = []

    def run(self, fn, on_success=None, on_failure=None, *, key=None):
        self.answers.append(lambda: on_success(fn()))


class _Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.got = []

    def apply(self, found) -> None:
        self.got.append(found)


def test_a_planned_step_found_after_the_dialog_is_gone_is_dropped(qtbot, seeded, desktop):
    """Enter pressed before the background look-up answers: the answer finds the dialog
    deleted and is dropped (it raised on the deleted widgets before); a live one gets it."""
    tasks = _DeferredTasks()
    ctx = SimpleNamespace(workspace=desktop.ctx.workspace, tasks=tasks)
    dialog = desktop.actions.log_activity(seeded["boulangerie"])
    find_planned_step(ctx, seeded["boulangerie"], datetime.now(UTC),
                      dialog._on_planned_step_found)  # fmt: skip
    receiver = _Receiver()
    find_planned_step(ctx, seeded["garage"], datetime.now(UTC), receiver.apply)
    dialog.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))
    for answer in tasks.answers:
        answer()
    assert len(receiver.got) == 1  # the garage's look-up, answered (planned call or None)


def test_arrowing_down_to_new_prospect_creates_it_under_the_typed_name(
    qtbot, seeded, desktop, workspace
):
    dialog = _open_quick_log(qtbot, desktop)
    _type(qtbot, "Garage")  # matches Garage Moreau; the new prospect entry comes last
    popup = dialog.account.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    rows = popup.model().rowCount()
    assert rows == 2
    for _step in range(rows):
        qtbot.keyClick(popup, Qt.Key.Key_Down)  # Qt writes each highlighted entry in the field
    assert popup.currentIndex().row() == rows - 1
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.account.new_account_name() == "Garage"
    _press(qtbot, Qt.Key.Key_Return)
    names = [a["name"] for a in _rows(workspace, "account")]
    assert "Garage" in names and not [n for n in names if "New prospect" in n]
