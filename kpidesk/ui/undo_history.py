"""The last changes the rep made, each undoable for as long as the app is open.

Every notice that offers an undo (``Notifier.notify(text, undo)``) is also kept here, newest
first, up to ``LIMIT``: Ctrl+Z takes back the newest one still standing, and the Journal's
"Recent changes" lists them with Undo. An undo is the same service write the notice offered
(through the outbox, so it syncs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QObject, Signal

from kpidesk.domain.timeutil import utc_now
from kpidesk.presentation import _
from kpidesk.ui.widgets.toast import ToastBar


@dataclass(eq=False)
class UndoEntry:
    text: str
    undo: Callable[[], None]
    at: datetime
    undone: bool = False


class UndoHistory(QObject):
    """Signals:
    sig_changed: an entry was added or undone.
    """

    LIMIT = 20
    sig_changed = Signal()

    def __init__(self, parent: QObject | None = None, now: Callable[[], datetime] = utc_now):
        super().__init__(parent)
        self._entries: list[UndoEntry] = []
        self._now = now

    def push(self, text: str, undo: Callable[[], None]) -> UndoEntry:
        entry = UndoEntry(text, undo, self._now())
        self._entries.insert(0, entry)
        del self._entries[self.LIMIT :]
        self.sig_changed.emit()
        return entry

    def entries(self) -> list[UndoEntry]:
        """The changes that can still be undone, newest first."""
        return [entry for entry in self._entries if not entry.undone]

    def undo(self, entry: UndoEntry) -> bool:
        if entry.undone or entry not in self._entries:
            return False
        entry.undone = True
        self.sig_changed.emit()
        entry.undo()
        return True

    def undo_last(self) -> bool:
        standing = self.entries()
        return self.undo(standing[0]) if standing else False


class RememberingNotifier:
    """The app's notifier: the toast shows the notice, the history keeps its undo."""

    def __init__(self, toast: ToastBar, history: UndoHistory) -> None:
        self._toast = toast
        self._history = history

    def notify(self, text: str, undo: Callable[[], None] | None = None) -> None:
        if undo is None:
            self._toast.notify(text)
            return
        entry = self._history.push(text, undo)
        self._toast.notify(text, lambda: self.undo(entry))

    def undo(self, entry: UndoEntry) -> None:
        if self._history.undo(entry):
            self._toast.notify(_("Undone: {change}").format(change=entry.text))

    def undo_last(self) -> bool:
        """Ctrl+Z: the newest change still standing, whether or not its notice is on show."""
        standing = self._history.entries()
        if not standing:
            return False
        self.undo(standing[0])
        return True

    def error(self, text: str) -> None:
        self._toast.error(text)
