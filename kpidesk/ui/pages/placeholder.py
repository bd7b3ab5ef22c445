"""An honest page for a part of kpidesk that is not built yet."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kpidesk.ui.widgets.common import EmptyState, header_row


class PlaceholderPage(QWidget):
    def __init__(self, title: str, explanation: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addLayout(header_row(title))
        layout.addWidget(EmptyState(explanation), 1)
