"""Recent changes (from the Journal): the last changes, newest first, each with Undo."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kpidesk.presentation import Formatter, _
from kpidesk.ui.undo_history import RememberingNotifier, UndoEntry, UndoHistory


class RecentChangesDialog(QDialog):
    def __init__(
        self,
        history: UndoHistory,
        notifier: RememberingNotifier,
        fmt: Formatter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._history = history
        self._notifier = notifier
        self._fmt = fmt
        self._shown: list[UndoEntry] = []  # the list's rows, in order
        self.setWindowTitle(_("Recent changes"))
        self.setMinimumSize(640, 380)
        intro = QLabel(
            _(
                "Your last changes since the app was opened, newest first. Undo takes one back "
                "(it is synced like any change). Ctrl+Z undoes the newest."
            )
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)  # a change's sentence is long: wrapped, never cut
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setSpacing(2)
        self.empty = QLabel(_("Nothing to undo."))
        self.empty.setObjectName("hint")
        self.undo_button = QPushButton(_("&Undo the selected change"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.undo_button.clicked.connect(self.undo_selected)
        # Later: the undo rebuilds the list, which must not happen inside the list's own signal.
        self.list.itemActivated.connect(
            lambda _item: QTimer.singleShot(0, self, self.undo_selected)
        )
        self.list.currentRowChanged.connect(lambda _row: self._update_button())
        history.sig_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        row = max(self.list.currentRow(), 0)
        self.list.clear()
        self._shown = self._history.entries()
        for entry in self._shown:
            self.list.addItem(
                _("{time} · {change}").format(time=self._fmt.datetime(entry.at), change=entry.text)
            )
        has_rows = self.list.count() > 0
        self.list.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        if has_rows:
            self.list.setCurrentRow(min(row, self.list.count() - 1))
            self.list.setFocus()
        self._update_button()

    def selected(self) -> UndoEntry | None:
        row = self.list.currentRow()
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def undo_selected(self) -> None:
        entry = self.selected()
        if entry is not None:
            self._notifier.undo(entry)

    def _update_button(self) -> None:
        self.undo_button.setEnabled(self.selected() is not None)
