"""After a page shortcut, the keyboard is where the rep's next key goes: in the page's main
list, with a row selected, and its actions enabled only for a row the rep may change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


@pytest.mark.parametrize(
    ("key", "page", "table"),
    [
        (Qt.Key.Key_1, "today", "due_table"),
        (Qt.Key.Key_3, "pipeline", "table"),
        (Qt.Key.Key_5, "journal", "table"),
    ],
)
def test_a_page_shortcut_puts_the_focus_on_its_list_with_a_row_selected(
    qtbot, seeded, desktop, key, page, table
):
    other = Qt.Key.Key_2 if key != Qt.Key.Key_2 else Qt.Key.Key_4
    qtbot.keyClick(desktop.window, other, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(desktop.window, key, Qt.KeyboardModifier.ControlModifier)
    shown = getattr(getattr(desktop, page), table)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is shown)
    assert shown.current_row() is not None
    assert shown.selectionModel().isRowSelected(shown.currentIndex().row())


def test_the_accounts_shortcut_puts_the_cursor_in_the_search(qtbot, seeded, desktop):
    qtbot.keyClick(desktop.window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is desktop.accounts.search)


def test_new_account_opens_with_the_cursor_in_the_name(qtbot, desktop, workspace):
    # Typing "Garage Dupont" once pressed Save with the space and lost "Garage".
    dialog = desktop.actions.new_account()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClicks(QApplication.focusWidget(), "Garage Dupont")
    assert dialog.isVisible()
    assert dialog.name.text() == "Garage Dupont"


def test_new_offer_opens_with_the_cursor_in_its_first_field(qtbot, seeded, desktop):
    dialog = desktop.actions.new_offer()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert QApplication.focusWidget() is dialog.errors.first_field()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert dialog.isVisible()  # Down+Enter once pressed Cancel
