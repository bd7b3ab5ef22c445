"""The shortcut sheet (F1 or Ctrl+/): every key the rep can use."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from kpidesk.domain.i18n import N_
from kpidesk.presentation import _

SHORTCUTS = (
    ("Ctrl+L", N_("Log an activity, from anywhere")),
    (
        "Ctrl+1 … Ctrl+7",
        N_("Today, Indicators, Pipeline, Accounts, Journal, Team, Settings"),
    ),
    ("Ctrl+F", N_("Search accounts (on the Accounts page)")),
    ("Ctrl+N", N_("New account (on the Accounts page)")),
    ("Enter", N_("Open or edit the selected row; save a form")),
    ("Esc", N_("Close a form; back from an account to the list")),
    ("Ctrl+D", N_("Mark the selected planned activity done, with its outcome and next step")),
    (
        "Alt+Left, Alt+Right, Alt+Home",
        N_("Indicators: previous or next period, back to the running one"),
    ),
    (
        "Arrows, Enter, Esc",
        N_("Indicators: move between tiles, open the detail, close it"),
    ),
    (
        "Del",
        N_("Delete the selected activity or offer (with undo)"),
    ),
    ("Ctrl+Z", N_("Undo the last change, then the one before")),
    ("Ctrl+H", N_("Recent changes: the last 20, each with Undo (also in the Journal)")),
    (
        "V, C, 1–9, 0, D",
        N_("Today › Debrief: visit or call, then the outcome's digit (0: none); D dismisses"),
    ),
    (
        "Ctrl+Shift+S",
        N_("Sync with the team server now (or click the status)"),
    ),
    ("Ctrl+I", N_("Import a spreadsheet")),
    ("F1, Ctrl+/", N_("This sheet")),
    ("Ctrl+Q", N_("Quit")),
)


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Keyboard shortcuts"))
        rows = "".join(
            f"<tr><td style='padding:3px 16px 3px 0'><b>{keys}</b></td><td>{_(text)}</td></tr>"
            for keys, text in SHORTCUTS
        )
        sheet = QLabel(f"<table>{rows}</table>")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(sheet)
        layout.addWidget(buttons)
