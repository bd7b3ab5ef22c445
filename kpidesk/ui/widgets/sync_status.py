"""The sync state in the window's status bar: one line in plain words, a click syncs now.

The text is rebuilt from the controller's last state (and re-sent by it every few seconds so
"Synced 3 min ago" stays true): no database read happens here.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QStatusBar

from kpidesk.presentation import Formatter, _
from kpidesk.presentation.sync import conflicts_link, problem_text, status_line
from kpidesk.ui.sync_controller import SyncController
from kpidesk.ui.sync_state import SyncPhase, SyncState


class SyncStatusView(QObject):
    """Signals:
    sig_conflicts_requested: the rep clicked "N conflicts to review".
    sig_settings_requested: the rep clicked the state while not connected (or signed out).
    """

    sig_conflicts_requested = Signal()
    sig_settings_requested = Signal()

    def __init__(
        self, label: QLabel, status_bar: QStatusBar, sync: SyncController, fmt: Formatter
    ) -> None:
        super().__init__(label)
        self._label = label
        self._sync = sync
        self._fmt = fmt
        label.setCursor(Qt.CursorShape.PointingHandCursor)
        label.installEventFilter(self)
        self.conflicts = QLabel()
        self.conflicts.setObjectName("syncConflicts")
        self.conflicts.setTextFormat(Qt.TextFormat.RichText)
        self.conflicts.linkActivated.connect(lambda _link: self.sig_conflicts_requested.emit())
        self.conflicts.hide()
        status_bar.insertPermanentWidget(0, self.conflicts)
        sync.sig_state_changed.connect(self._show)
        self._show(sync.state)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._label
            and event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
        ):
            self.click()
            return True
        return False

    def click(self) -> None:
        state = self._sync.state
        if state.phase is SyncPhase.SYNCING:
            self._sync.cancel()
        elif not state.connected or state.needs_sign_in:
            if state.phase is not SyncPhase.DEMO:
                self.sig_settings_requested.emit()
        else:
            self._sync.sync_now()

    def _show(self, state: SyncState) -> None:
        self._label.setText(status_line(state, self._fmt, self._sync.now()))
        self._label.setToolTip(self._tooltip(state))
        if state.conflicts and state.connected:
            self.conflicts.setText(f"<a href='#conflicts'>{conflicts_link(state.conflicts)}</a>")
            self.conflicts.show()
        else:
            self.conflicts.hide()

    def _tooltip(self, state: SyncState) -> str:
        if state.phase is SyncPhase.DEMO:
            return ""
        if state.phase is SyncPhase.SYNCING:
            return _("Click to stop the sync (what was already synced stays)")
        if not state.connected or state.needs_sign_in:
            return _("Connect to your team server in Settings")
        hint = _("Click to sync now (Ctrl+Shift+S)")
        if state.phase in (SyncPhase.OFFLINE, SyncPhase.PROBLEM):
            return problem_text(state.problem, state.problem_message) + "\n" + hint
        return hint
