"""The keyboard alone, page by page and dialog by dialog: after each page's shortcut the
focus is inside that page (on its main list with a row selected where it has one), every
form opens with the cursor in its first field, and Esc closes it with nothing saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kpidesk.domain.vocabulary import OfferStatus

PAGES = ("today", "indicators", "pipeline", "accounts", "journal", "team", "settings")
LISTS = {"today": "due_table", "pipeline": "table", "journal": "table"}


def _focus():
    return QApplication.focusWidget()


def test_each_page_shortcut_leaves_the_focus_in_that_page(qtbot, seeded, desktop):
    for n, key in enumerate(PAGES, 1):
        qtbot.keyClick(_focus() or desktop.window, getattr(Qt.Key, f"Key_{n}"),
                       Qt.KeyboardModifier.ControlModifier)  # fmt: skip
        assert desktop.window.current_page_key() == key
        page = desktop.window.page(key)
        qtbot.waitUntil(lambda page=page: _focus() is not None and page.isAncestorOf(_focus()))
        if key in LISTS:
            table = getattr(page, LISTS[key])
            qtbot.waitUntil(lambda table=table: _focus() is table)
            assert table.selectionModel().isRowSelected(table.currentIndex().row())
        if key == "accounts":
            assert _focus() is page.search  # type to find an account


def _forms(desktop, seeded):
    actions, ws = desktop.actions, desktop.ctx.workspace
    offer = next(o for o in ws.offers.list() if o.id == seeded["offer"])
    return {
        "quick log": lambda: actions.log_activity(),
        "new account": actions.new_account,
        "new offer": actions.new_offer,
        "decide an offer": lambda: actions.decide_offer(offer, OfferStatus.WON),
    }


@pytest.mark.parametrize("form", ["quick log", "new account", "new offer", "decide an offer"])
def test_every_form_opens_in_its_first_field_and_esc_closes_it_unsaved(
    qtbot, seeded, desktop, workspace, form
):
    before = (len(workspace.accounts.list()), len(workspace.offers.list()),
              len(workspace.activities.list()))  # fmt: skip
    dialog = _forms(desktop, seeded)[form]()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    focused = _focus()
    assert focused is not None and dialog.isAncestorOf(focused)
    first = getattr(getattr(dialog, "errors", None), "first_field", lambda: None)()
    if first is not None:
        assert focused is first or first.isAncestorOf(focused)
    qtbot.keyClick(focused, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    after = (len(workspace.accounts.list()), len(workspace.offers.list()),
             len(workspace.activities.list()))  # fmt: skip
    assert after == before


def test_the_shortcut_sheet_opens_with_f1_and_closes_with_esc(qtbot, desktop):
    from kpidesk.ui.dialogs.shortcuts import ShortcutsDialog

    qtbot.keyClick(desktop.window, Qt.Key.Key_F1)

    def sheet():
        shown = [w for w in desktop.window.findChildren(ShortcutsDialog) if w.isVisible()]
        return shown[0] if shown else None

    qtbot.waitUntil(lambda: sheet() is not None)
    opened = sheet()
    qtbot.keyClick(opened, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not opened.isVisible())
