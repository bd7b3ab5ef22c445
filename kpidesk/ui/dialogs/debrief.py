"""Today > Debrief: the past appointments of the rep's calendar that nothing logged covers.

Keyboard first: in the list, V (visit) or C (call) moves to the outcome line; Enter logs the
appointment at its own time through the quick log (so it syncs), Esc goes back. D or Delete
dismisses the entry for good. Nothing is written before the rep confirms an entry.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.vocabulary import ActivityKind
from kpidesk.presentation import _, ngettext
from kpidesk.presentation.labels import label, message_text
from kpidesk.services.activities import QuickLogResult
from kpidesk.services.debrief import DebriefEntry, DebriefInbox
from kpidesk.ui.context import UiContext

# By key code: a typed "é" has a code that is no member of Qt.Key, so no enum conversion.
KIND_KEYS = {Qt.Key.Key_V.value: ActivityKind.VISIT, Qt.Key.Key_C.value: ActivityKind.CALL}
DISMISS_KEYS = {Qt.Key.Key_D.value, Qt.Key.Key_Delete.value}


def entry_text(entry: DebriefEntry, ctx: UiContext) -> str:
    appointment, fmt = entry.appointment, ctx.fmt
    if appointment.all_day:
        when = fmt.day(fmt.local(appointment.start).date())
    else:
        when = fmt.datetime(appointment.start)
    what = appointment.summary or appointment.location or _("(no title)")
    account = entry.account_name or _("no account found")
    return f"{when}   {what}   → {account}"


class DebriefDialog(QDialog):
    """Signals:
    sig_logged: an appointment became an activity (the write's changes).
    """

    sig_logged = Signal(object)

    def __init__(self, ctx: UiContext, inbox: DebriefInbox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._kind: ActivityKind | None = None
        self.setWindowTitle(_("Debrief your appointments"))
        self.resize(720, 420)
        self.list = QListWidget()
        for entry in inbox.entries:
            item = QListWidgetItem(entry_text(entry, ctx))
            item.setData(Qt.ItemDataRole.UserRole, entry)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.installEventFilter(self)
        self.outcome = QLineEdit()
        self.outcome.setEnabled(False)
        self.outcome.setPlaceholderText(_("Press V for a visit or C for a call"))
        self.outcome.returnPressed.connect(self._on_outcome_return_pressed)
        self.outcome.installEventFilter(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        help_text = QLabel(
            _("V: visit, C: call, then the outcome and Enter. D: dismiss for good. Esc: close.")
        )
        help_text.setWordWrap(True)
        notes = " ".join(message_text(m, ctx.fmt) for m in inbox.left_out)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(help_text)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.outcome)
        layout.addWidget(self.status)
        if notes:
            layout.addWidget(QLabel(notes))
        layout.addWidget(buttons)
        self._update_status()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = int(event.key())
        if watched is self.list and key in KIND_KEYS:
            self._choose_kind(KIND_KEYS[key])
            return True
        if watched is self.list and key in DISMISS_KEYS:
            self._dismiss_current()
            return True
        if watched is self.outcome and key == Qt.Key.Key_Escape.value:
            self._back_to_list()
            return True
        return super().eventFilter(watched, event)

    def current_entry(self) -> DebriefEntry | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _choose_kind(self, kind: ActivityKind) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        if entry.account_id is None:
            self.status.setText(
                _("No account found for this appointment: log it with the quick log (Ctrl+L)"
                  " or dismiss it (D).")
            )  # fmt: skip
            return
        self._kind = kind
        self.outcome.setEnabled(True)
        self.outcome.setPlaceholderText(
            _("Outcome of the {kind} with {account} (Enter to log, Esc to go back)").format(
                kind=label(kind).lower(), account=entry.account_name
            )
        )
        self.outcome.setFocus()

    def _back_to_list(self) -> None:
        self._kind = None
        self.outcome.clear()
        self.outcome.setEnabled(False)
        self.outcome.setPlaceholderText(_("Press V for a visit or C for a call"))
        self.list.setFocus()

    def _on_outcome_return_pressed(self) -> None:
        entry, kind = self.current_entry(), self._kind
        if entry is None or kind is None:
            return
        outcome = self.outcome.text().strip() or None
        row = self.list.currentRow()
        debrief = self._ctx.workspace.debrief

        def logged(result: QuickLogResult) -> None:
            self.list.takeItem(row)
            self._back_to_list()
            self._ctx.notifier.notify(
                _("Logged: {kind} with {account}.").format(
                    kind=label(kind), account=result.account_name
                )
            )
            self._update_status()
            self.sig_logged.emit(result.changes)

        # A quick log is a quick indexed local write, but it runs through the one helper too.
        self._ctx.tasks.run(lambda: debrief.log(entry, kind, outcome), logged, self._failed)

    def _dismiss_current(self) -> None:
        entry, row = self.current_entry(), self.list.currentRow()
        if entry is None:
            return
        debrief = self._ctx.workspace.debrief

        def dismissed(_result: object) -> None:
            self.list.takeItem(row)
            self._update_status()

        self._ctx.tasks.run(lambda: debrief.dismiss(entry), dismissed, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(_("Not saved: {reason}").format(reason=exc))

    def _update_status(self) -> None:
        count = self.list.count()
        if count == 0:
            self.status.setText(_("Nothing left to debrief."))
            return
        self.status.setText(
            ngettext("{n} appointment to debrief.", "{n} appointments to debrief.", count).format(
                n=count
            )
        )
