"""Data-change announcements: every write's :class:`Changes` reaches every view.

Each view asks the announcement whether it is concerned (``changes.affects(View.JOURNAL)``):
which kinds feed which view is written once, in ``kpidesk.domain.changes``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kpidesk.domain.changes import Changes


class DataEvents(QObject):
    """``sig_changed(Changes)``: emitted after a write that changed something."""

    sig_changed = Signal(object)

    def announce(self, changes: Changes) -> None:
        if changes:  # a write that changed nothing (a second click, a no-op edit) is quiet
            self.sig_changed.emit(changes)
