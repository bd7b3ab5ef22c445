"""The shortcut sheet (F1 or Ctrl+/): every key the rep can use."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from kpidesk.domain.i18n import QT_TRANSLATE_NOOP

SHORTCUTS = (
    ("Ctrl+L", QT_TRANSLATE_NOOP("ShortcutsDialog", "Log an activity, from anywhere")),
    (
        "Ctrl+1 … Ctrl+6",
        QT_TRANSLATE_NOOP(
            "ShortcutsDialog", "Today, Indicators, Pipeline, Accounts, Journal, Settings"
        ),
    ),
    ("Ctrl+F", QT_TRANSLATE_NOOP("ShortcutsDialog", "Search accounts")),
    ("Ctrl+N", QT_TRANSLATE_NOOP("ShortcutsDialog", "New account (on the Accounts page)")),
    ("Enter", QT_TRANSLATE_NOOP("ShortcutsDialog", "Open or edit the selected row; save a form")),
    ("Esc", QT_TRANSLATE_NOOP("ShortcutsDialog", "Close a form; back from an account to the list")),
    ("Ctrl+D", QT_TRANSLATE_NOOP("ShortcutsDialog", "Mark the selected planned activity done")),
    (
        "Alt+Left, Alt+Right",
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Indicators: previous or next period (Alt+Home: now)"),
    ),
    (
        "Arrows, Enter",
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Indicators: move between tiles, open the detail"),
    ),
    (
        "Del",
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Delete the selected activity or offer (with undo)"),
    ),
    ("Ctrl+Z", QT_TRANSLATE_NOOP("ShortcutsDialog", "Undo the last change shown at the bottom")),
    (
        "Ctrl+Shift+S",
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Sync with the team server now (or click the status)"),
    ),
    ("F1, Ctrl+/", QT_TRANSLATE_NOOP("ShortcutsDialog", "This sheet")),
    ("Ctrl+Q", QT_TRANSLATE_NOOP("ShortcutsDialog", "Quit")),
)


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = "".join(
            f"<tr><td style='padding:3px 16px 3px 0'><b>{keys}</b></td>"
            f"<td>{QCoreApplication.translate('ShortcutsDialog', text)}</td></tr>"
            for keys, text in SHORTCUTS
        )
        sheet = QLabel(f"<table>{rows}</table>")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(sheet)
        layout.addWidget(buttons)
