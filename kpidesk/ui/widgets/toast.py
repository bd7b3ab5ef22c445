"""A slim bar at the bottom of the window: "Visit logged. [Undo]", or an error in plain words."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from kpidesk.presentation import _


class ToastBar(QFrame):
    """One message at a time; a new one replaces the old. Errors stay until dismissed."""

    NOTICE_MS = 8000

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toast")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._text = QLabel()
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._undo = QPushButton(_("Undo"))
        self._undo.setToolTip(_("Undo (Ctrl+Z)"))
        self._close = QPushButton(_("Dismiss"))
        self._close.setFlat(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        layout.addWidget(self._text, 1)
        layout.addWidget(self._undo)
        layout.addWidget(self._close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self._undo.clicked.connect(self._on_undo_clicked)
        self._close.clicked.connect(self.hide)
        self._undo_action: Callable[[], None] | None = None
        self.hide()

    def notify(self, text: str, undo: Callable[[], None] | None = None) -> None:
        self.setProperty("kind", "notice")
        self._show(text, undo)
        self._timer.start(self.NOTICE_MS)

    def error(self, text: str) -> None:
        self.setProperty("kind", "error")
        self._show(text, None)
        self._timer.stop()

    def remind(self, text: str) -> None:
        """A reminder where the system has no notifications: it stays until dismissed."""
        self.setProperty("kind", "reminder")
        self._show(text, None)
        self._timer.stop()

    def text(self) -> str:
        return self._text.text()

    def _show(self, text: str, undo: Callable[[], None] | None) -> None:
        self.style().unpolish(self)
        self.style().polish(self)
        self._text.setText(text)
        self._undo_action = undo
        self._undo.setVisible(undo is not None)
        self._undo.setEnabled(undo is not None)
        self.show()

    def undo(self) -> bool:
        """Run the offered undo, if one is on show (Ctrl+Z in the main window)."""
        if self.isHidden() or self._undo_action is None:
            return False
        self._on_undo_clicked()
        return True

    def _on_undo_clicked(self) -> None:
        action, self._undo_action = self._undo_action, None
        self.hide()
        if action is not None:
            action()
