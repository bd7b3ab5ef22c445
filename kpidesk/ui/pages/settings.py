"""Settings: where the rep's data lives and what is waiting to be synced."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from kpidesk.ui.context import UiContext
from kpidesk.ui.widgets.common import header_row


class SettingsPage(QWidget):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self._ctx = ctx
        workspace = ctx.workspace
        data = QGroupBox(self.tr("Your data"))
        data_form = QFormLayout(data)
        path = QLabel(str(workspace.db.path))
        path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        data_form.addRow(self.tr("Database file"), path)
        if workspace.is_demo:
            data_form.addRow(
                self.tr("Kind"), QLabel(self.tr("Demo data: nothing here is ever synced"))
            )
        self.pending = QLabel()
        data_form.addRow(self.tr("Changes not yet synced"), self.pending)
        server = QGroupBox(self.tr("Team server"))
        server_layout = QVBoxLayout(server)
        explanation = QLabel(
            self.tr(
                "Not connected. Everything you log is kept on this laptop and will be sent to "
                "your team's server once you connect to it."
            )
        )
        explanation.setWordWrap(True)
        server_layout.addWidget(explanation)
        layout = QVBoxLayout(self)
        layout.addLayout(header_row(self.tr("Settings")))
        layout.addWidget(data)
        layout.addWidget(server)
        layout.addStretch(1)
        ctx.events.sig_changed.connect(lambda _tables: self.refresh())

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self._ctx.tasks.run(
            self._ctx.workspace.pending_changes,
            lambda n: self.pending.setText(str(n)),
            key="settings-pending",
        )
