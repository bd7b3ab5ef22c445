"""Every interactive control on every page and in every dialog has a name a screen reader can
say: its accessible name (Qt takes a button's or check box's own text), or a label whose buddy
it is (directly, or through the focus proxy the label's mnemonic follows)."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QTextEdit,
    QWidget,
)

from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.ui.dialogs.conflicts import ConflictsDialog
from kpidesk.ui.dialogs.import_wizard import open_import_wizard
from kpidesk.ui.dialogs.shortcuts import ShortcutsDialog

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView,
               QTextEdit, QPlainTextEdit, QSlider)  # fmt: skip
PAGES = ("today", "indicators", "pipeline", "accounts", "journal", "team", "settings")


def unnamed(top: QWidget) -> list[str]:
    """The visible interactive controls under ``top`` that nothing names."""
    buddied: set[int] = set()
    for label in top.findChildren(QLabel):
        target = label.buddy() if label.text().strip() else None
        while target is not None:  # the mnemonic gives the focus to the proxy: named too
            buddied.add(id(target))
            target = target.focusProxy()
    missing = []
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(top):
            continue
        if isinstance(widget, QHeaderView):  # part of its table, named with it
            continue
        if isinstance(widget, QLineEdit) and isinstance(
            widget.parent(), QComboBox | QAbstractSpinBox
        ):  # the editor inside a combo box or spin box: the outer control is named
            continue
        if isinstance(widget.parent(), QLineEdit):  # a line edit's own clear button
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name) if interface is not None else ""
        if not name.strip() and id(widget) not in buddied:
            hint = getattr(widget, "placeholderText", lambda: "")() or widget.toolTip()
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} ({hint[:50]!r})")
    return missing


def test_every_page_names_its_controls(qtbot, seeded, desktop):
    window = desktop.window
    found = {}
    for key in PAGES:
        window.show_page(key)
        qtbot.wait(10)
        found[key] = unnamed(window.page(key))
    desktop.accounts.open_account(seeded["garage"])
    found["account detail"] = unnamed(desktop.accounts)
    window.show_page("indicators")
    desktop.indicators.open_detail("conversion")
    qtbot.waitUntil(lambda: desktop.indicators.detail.isVisible())
    found["indicator detail"] = unnamed(desktop.indicators)
    missing = {where: names for where, names in found.items() if names}
    assert not missing, "\n".join(f"{where}: {names}" for where, names in missing.items())


def test_every_dialog_names_its_controls(qtbot, seeded, desktop):
    actions, ws, window = desktop.actions, desktop.ctx.workspace, desktop.window
    offer = next(o for o in ws.offers.list() if o.id == seeded["offer"])
    planned = next(a for a in ws.activities.list() if a.id == seeded["planned"])
    done = next(a for a in ws.activities.list() if not a.is_planned)
    openers = {
        "quick log": lambda: actions.log_activity(),
        "new account": actions.new_account,
        "edit account": lambda: actions.edit_account(seeded["garage"]),
        "new contact": lambda: actions.new_contact(seeded["garage"]),
        "new offer": actions.new_offer,
        "edit offer": lambda: actions.edit_offer(seeded["offer"]),
        "decide an offer": lambda: actions.decide_offer(offer, OfferStatus.LOST),
        "edit activity": lambda: actions.edit_activity(done.id),
        "complete activity": lambda: actions.complete_activity(planned),
        "recent changes": actions.open_recent_changes,
        "shortcuts": lambda: ShortcutsDialog(window),
        "conflicts": lambda: ConflictsDialog(desktop.ctx, desktop.sync, window),
        "import": lambda: open_import_wizard(desktop.ctx, window),
    }
    found = {}
    for name, open_dialog in openers.items():
        actions.last_dialog = None
        dialog = open_dialog() or actions.last_dialog
        assert dialog is not None, name
        dialog.show()
        qtbot.wait(10)
        found[name] = unnamed(dialog)
        dialog.close()
    missing = {where: names for where, names in found.items() if names}
    assert not missing, "\n".join(f"{where}: {names}" for where, names in missing.items())
