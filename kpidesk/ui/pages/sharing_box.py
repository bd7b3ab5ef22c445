"""Settings > Sharing: in plain words, exactly what the rep's managers see, and the one
thing the rep may add (their activities and their counts). The rep decides; the change
takes effect on the team server at once."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from kpidesk.presentation import _
from kpidesk.presentation.coaching import needs_server_text
from kpidesk.protocol.coaching import SharingChoice
from kpidesk.services.coaching import COACHING_CHANGED
from kpidesk.sync.errors import SyncProblemError
from kpidesk.ui.context import UiContext


def always_shared_text() -> str:
    return _(
        "<p>Your managers always see the <b>quality of your pipeline</b>: your open offers "
        "with their amount, age, last follow-up and next step; your hot prospects with their "
        "last contact and next step; how often you follow up offers within 7 days; your "
        "weighted pipeline and how it covers your revenue objective; your conversion with "
        "what it is made of; your stale offers; your agreed objectives and their pace.</p>"
        "<p>They <b>never</b> see your private notes, and they see your activities and their "
        "counts (visits, calls, follow-ups) only if you choose to share them below.</p>"
    )


class SharingBox(QGroupBox):
    """Signals:
    sig_view_requested: the rep wants to see the page their manager sees (Team).
    """

    sig_view_requested = Signal()

    def __init__(
        self,
        ctx: UiContext,
        read: Callable[[], SharingChoice],
        write: Callable[[SharingChoice], SharingChoice],
    ) -> None:
        super().__init__(_("Sharing with my manager"))
        self._ctx = ctx
        self._read = read
        self._write = write
        self._shown: bool | None = None
        text = QLabel(always_shared_text())
        text.setWordWrap(True)
        self.activities = QCheckBox(_("Also share my activities and their counts"))
        self.activities.setEnabled(False)
        self.state = QLabel()
        self.state.setObjectName("hint")
        self.state.setWordWrap(True)
        see = QPushButton(_("See what my manager sees"))
        row = QHBoxLayout()
        row.addWidget(self.activities)
        row.addStretch(1)
        row.addWidget(see)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(row)
        layout.addWidget(self.state)
        self.activities.toggled.connect(self._on_toggled)
        see.clicked.connect(self.sig_view_requested.emit)

    def refresh(self) -> None:
        """Ask the team server what is shared now (a rep may have changed it on another
        laptop); offline, the box says so and changes nothing. Settings calls it when shown."""
        self.state.setText(_("Asking the team server…"))
        self._ctx.tasks.run(self._read, self._on_read, self._on_unavailable, key="sharing")

    def _on_read(self, choice: SharingChoice) -> None:
        self._show(choice.activities)
        self.state.setText(
            _("Your activities are shared with your managers.")
            if choice.activities
            else _("Your activities stay on your side: your managers do not see them.")
        )

    def _on_unavailable(self, error: BaseException) -> None:
        self.activities.setEnabled(False)
        if isinstance(error, SyncProblemError):
            self.state.setText(needs_server_text(error.kind, error.message))
        else:
            raise error

    def _show(self, shared: bool) -> None:
        self._shown = shared
        self.activities.blockSignals(True)
        self.activities.setChecked(shared)
        self.activities.blockSignals(False)
        self.activities.setEnabled(True)

    def _on_toggled(self, checked: bool) -> None:
        if self._shown is None or checked == self._shown:
            return
        self.activities.setEnabled(False)
        self.state.setText(_("Telling the team server…"))
        self._ctx.tasks.run(
            lambda: self._write(SharingChoice(activities=checked)),
            self._on_written,
            self._on_write_failed,
            key="sharing",
        )

    def _on_written(self, choice: SharingChoice) -> None:
        self._on_read(choice)
        self._ctx.events.announce(COACHING_CHANGED)  # the team view was fetched again
        self._ctx.notifier.notify(
            _("Your managers now see your activities and their counts.")
            if choice.activities
            else _("Your managers no longer see your activities.")
        )

    def _on_write_failed(self, error: BaseException) -> None:
        if self._shown is not None:
            self._show(self._shown)  # nothing changed: the box says what is true
        self._on_unavailable(error)
