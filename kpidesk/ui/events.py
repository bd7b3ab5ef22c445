"""Data-change notifications: pages listen and reload what they show."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal


class DataEvents(QObject):
    """Emitted after every local write; ``tables`` names what changed (e.g. {"activity"})."""

    sig_changed = Signal(frozenset)

    def changed(self, tables: Iterable[str]) -> None:
        self.sig_changed.emit(frozenset(tables))
