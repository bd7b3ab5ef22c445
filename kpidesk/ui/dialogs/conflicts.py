"""The Conflicts view: what crossed a colleague's (or another computer's) change, and which
value to keep.

The sync already kept the later value; the rep can keep the other one instead. Keeping a value
that was not kept is an ordinary new write (it syncs); keeping the one that was kept only marks
the conflict reviewed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.changes import Written
from kpidesk.presentation import _
from kpidesk.presentation.conflicts import conflict_sentence, keep_label
from kpidesk.services.conflicts import Choice, ConflictItem
from kpidesk.ui.context import UiContext
from kpidesk.ui.errors import plain_words
from kpidesk.ui.sync_controller import SyncController
from kpidesk.ui.sync_state import SyncState
from kpidesk.ui.widgets.common import EmptyState


class ConflictCard(QFrame):
    """One conflict: the sentence, and a button per value.

    Signals:
        sig_keep_requested: (conflict id, Choice) the rep chose.
    """

    sig_keep_requested = Signal(int, object)

    def __init__(self, item: ConflictItem, sentence: str, username: str | None) -> None:
        super().__init__()
        self.setObjectName("conflictCard")
        self.item = item
        self.sentence = QLabel(sentence)
        self.sentence.setWordWrap(True)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.keep_yours = QPushButton(keep_label(item, Choice.YOURS, username))
        self.keep_theirs = QPushButton(keep_label(item, Choice.THEIRS, username))
        if item.record is None:
            # Deleted since: there is nothing to write a value into; only dismiss it.
            self.keep_yours.hide()
            self.keep_theirs.setText(_("Dismiss"))
            self.keep_theirs.clicked.connect(lambda: self._keep(item.kept))
        else:
            self.keep_yours.clicked.connect(lambda: self._keep(Choice.YOURS))
            self.keep_theirs.clicked.connect(lambda: self._keep(Choice.THEIRS))
        for button in (self.keep_yours, self.keep_theirs):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        kept = self.keep_theirs if item.kept is Choice.THEIRS else self.keep_yours
        kept.setToolTip(_("The value kept now: keeping it marks the conflict reviewed"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.sentence)
        layout.addLayout(buttons)

    def _keep(self, choice: Choice) -> None:
        self.keep_yours.setEnabled(False)
        self.keep_theirs.setEnabled(False)
        self.sig_keep_requested.emit(self.item.id, choice)


class ConflictsDialog(QDialog):
    def __init__(self, ctx: UiContext, sync: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._sync = sync
        self._shown_count: int | None = None
        self.cards: list[ConflictCard] = []
        self.setWindowTitle(_("Conflicts to review"))
        self.setMinimumSize(680, 420)
        intro = QLabel(
            _(
                "You and someone else changed the same thing before syncing. The later change "
                "was kept; you can keep the other value instead."
            )
        )
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        self._list = QWidget()
        self._list.setObjectName("conflictList")
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setSpacing(8)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._list)
        self.empty = EmptyState(
            _(
                "No conflicts to review.<br>When you and a colleague change the same thing "
                "before syncing, kpidesk keeps the later change and lists it here so you can "
                "choose."
            )
        )
        self._stack = QStackedWidget()
        self._stack.addWidget(scroll)
        self._stack.addWidget(self.empty)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self._stack, 1)
        layout.addWidget(buttons)
        sync.sig_state_changed.connect(self._on_sync_state_changed)
        self.reload()

    def reload(self) -> None:
        self._ctx.tasks.run(
            self._ctx.workspace.conflicts.list_open,
            self._show,
            lambda exc: self._ctx.notifier.error(plain_words(exc)),
            key="conflicts-view",
        )

    def _show(self, items: list[ConflictItem]) -> None:
        for card in self.cards:
            card.deleteLater()
        self.cards = []
        while self._list_layout.count():
            self._list_layout.takeAt(0)
        username = self._sync.state.username
        for item in items:
            sentence = conflict_sentence(item, self._ctx.fmt, username)
            card = ConflictCard(item, sentence, username)
            card.sig_keep_requested.connect(self.keep)
            self._list_layout.addWidget(card)
            self.cards.append(card)
        self._list_layout.addStretch(1)
        self._shown_count = len(items)
        self._stack.setCurrentWidget(self.empty if not items else self._stack.widget(0))
        if self.cards:
            self.cards[0].keep_theirs.setFocus()

    def keep(self, conflict_id: int, choice: Choice) -> None:
        def done(kept: Written) -> None:
            self._shown_count = None  # reloaded below, not again on the new count
            if kept.fields:  # a new write: pages reload, and the sync sends it
                self._ctx.events.announce(kept.changes)
                self._ctx.notifier.notify(_("Done: the value you kept is sent at the next sync."))
            else:
                self._sync.refresh()  # one conflict fewer in the status bar
            self.reload()

        def failed(error: BaseException) -> None:
            self._ctx.notifier.error(plain_words(error))
            self.reload()

        self._ctx.tasks.run(
            lambda: self._ctx.workspace.conflicts.keep(conflict_id, choice), done, failed
        )

    def _on_sync_state_changed(self, state: SyncState) -> None:
        if self._shown_count is not None and state.conflicts != self._shown_count:
            self.reload()  # a sync brought new conflicts, or one was settled elsewhere
