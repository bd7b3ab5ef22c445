"""Settings: where the rep's data lives, how follow-ups are planned and indicators computed,
backups, the team server, and what kpidesk is.

One box per concern, stacked in a scroll area (at 1366×768 they do not all fit): a new concern
is one more box in ``sections``, refreshed by ``on_shown`` if it has a ``refresh``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kpidesk.presentation import _
from kpidesk.ui.context import UiContext
from kpidesk.ui.pages.about_box import AboutBox
from kpidesk.ui.pages.backups_box import BackupsBox
from kpidesk.ui.pages.kpi_settings_box import KpiSettingsBox
from kpidesk.ui.pages.team_server import TeamServerBox
from kpidesk.ui.pages.work_settings_box import WorkSettingsBox
from kpidesk.ui.sync_controller import SyncController
from kpidesk.ui.sync_state import SyncState
from kpidesk.ui.widgets.common import header_row

SECTION_MAX_WIDTH = 900


class SettingsPage(QWidget):
    """Signals:
    sig_conflicts_requested: the rep wants to review sync conflicts.
    """

    sig_conflicts_requested = Signal()

    def __init__(self, ctx: UiContext, sync: SyncController) -> None:
        super().__init__()
        self._ctx = ctx
        self._sync = sync
        self._keyring_checked = False
        workspace = ctx.workspace
        data = QGroupBox(_("Your data"))
        data_form = QFormLayout(data)
        path = QLabel(str(workspace.db.path))
        path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        data_form.addRow(_("Database file"), path)
        if workspace.is_demo:
            data_form.addRow(_("Kind"), QLabel(_("Demo data: nothing here is ever synced")))
        self.pending = QLabel()
        data_form.addRow(_("Changes not yet synced"), self.pending)
        self.server = TeamServerBox(sync, ctx.fmt)
        self.server.sig_conflicts_requested.connect(self.sig_conflicts_requested.emit)
        self.work = WorkSettingsBox(ctx)
        self.kpi_settings = KpiSettingsBox(ctx)
        self.backups = BackupsBox(ctx)
        self.about = AboutBox(ctx)
        self.sections: list[QWidget] = [
            data,
            self.work,
            self.kpi_settings,
            self.backups,
            self.server,
            self.about,
        ]
        content = QWidget()
        content.setObjectName("settingsContent")
        self._sections_layout = sections = QVBoxLayout(content)
        sections.setContentsMargins(0, 0, 12, 0)
        # A form, not the screen's width. The limit is on the scrolled content, not on each
        # section: the scroll area asks the content its height for the width it will really
        # have, so every wrapped hint and every field gets its height (a limit on the sections
        # alone had their heights computed for the viewport's wider width, and cut them).
        content.setMaximumWidth(SECTION_MAX_WIDTH + sections.contentsMargins().right())
        for section in self.sections:
            sections.addWidget(section)
        sections.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("settingsScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addLayout(header_row(_("Settings")))
        layout.addWidget(self.scroll, 1)
        # The counts come with the sync state, read in the background: none read here.
        sync.sig_state_changed.connect(self._show_state)
        self._show_state(sync.state)

    def add_section(self, section: QWidget) -> None:
        """A section built elsewhere (Sharing, by the team view's wiring), before About."""
        self.sections.insert(self.sections.index(self.about), section)
        self._sections_layout.insertWidget(self._sections_layout.indexOf(self.about), section)

    def on_shown(self) -> None:
        self._sync.refresh()
        for section in self.sections:
            refresh = getattr(section, "refresh", None)
            if refresh is not None:
                refresh()
        if not self._keyring_checked:  # it does not come and go while kpidesk runs
            self._keyring_checked = True
            self._sync.check_keyring()

    def _show_state(self, state: SyncState) -> None:
        self.pending.setText(self._ctx.fmt.number(state.pending))
