"""Today > Debrief: the past appointments of the rep's calendar that nothing logged covers.

Keyboard first. In the list, V (visit) or C (call) chooses the kind. An appointment matched to
an account goes straight to its outcomes: a digit logs it with that outcome (V then 1: "visit,
meeting held", two keystrokes), Enter logs the highlighted one. An appointment that matched no
account first asks for it in the quick log's account field (same-name accounts told apart by
their city; a new prospect only through its explicit "+ New prospect" entry), then the
outcome. Shift+Tab from the outcomes changes the account, Esc goes back to the list, D or
Delete dismisses an entry for good. Nothing is written before the rep confirms an entry.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.outcomes import OUTCOMES_BY_KIND, Outcome
from kpidesk.domain.vocabulary import ActivityKind
from kpidesk.presentation import _, ngettext
from kpidesk.presentation.labels import label, message_text, outcome_label
from kpidesk.services.activities import QuickLogResult
from kpidesk.services.debrief import DebriefEntry, DebriefInbox
from kpidesk.ui.account_directory import AccountDirectory
from kpidesk.ui.context import UiContext
from kpidesk.ui.errors import plain_words
from kpidesk.ui.widgets.account_picker import AccountPicker

# By key code: a typed "é" has a code that is no member of Qt.Key, so no enum conversion.
KIND_KEYS = {Qt.Key.Key_V.value: ActivityKind.VISIT, Qt.Key.Key_C.value: ActivityKind.CALL}
DISMISS_KEYS = {Qt.Key.Key_D.value, Qt.Key.Key_Delete.value}
ENTER_KEYS = {Qt.Key.Key_Return.value, Qt.Key.Key_Enter.value}
DIGIT_KEYS = {Qt.Key.Key_0.value + n: n for n in range(10)}
NO_OUTCOME = 0  # the digit of the last row, "no outcome"


def entry_text(entry: DebriefEntry, ctx: UiContext) -> str:
    appointment, fmt = entry.appointment, ctx.fmt
    if appointment.all_day:
        when = fmt.day(fmt.local(appointment.start).date())
    else:
        when = fmt.datetime(appointment.start)
    what = appointment.summary or appointment.location or _("(no title)")
    account = entry.account_name or _("no account found: V or C, then type it")
    return f"{when}   {what}   → {account}"


class DebriefDialog(QDialog):
    """Signals:
    sig_logged: an appointment became an activity (the write's changes).
    """

    sig_logged = Signal(object)

    def __init__(
        self,
        ctx: UiContext,
        inbox: DebriefInbox,
        directory: AccountDirectory,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._kind: ActivityKind | None = None
        self.setWindowTitle(_("Debrief your appointments"))
        self.resize(760, 520)
        self.list = QListWidget()
        for entry in inbox.entries:
            item = QListWidgetItem(entry_text(entry, ctx))
            item.setData(Qt.ItemDataRole.UserRole, entry)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.installEventFilter(self)
        self.account = AccountPicker(directory.choices)
        self.account.setEnabled(False)
        self.account.sig_entry_taken.connect(self._to_outcomes)
        self.account.installEventFilter(self)
        self.outcomes = QListWidget()
        self.outcomes.setEnabled(False)
        self.outcomes.installEventFilter(self)
        # Room for seven rows (a call's five outcomes, "no outcome" and a margin) before any
        # is listed: the dialog does not jump when the rep presses V.
        rows = self.outcomes.fontMetrics().lineSpacing() + 4
        self.outcomes.setFixedHeight(rows * 7 + 2 * self.outcomes.frameWidth())
        self.status = QLabel()
        self.status.setWordWrap(True)
        help_text = QLabel(_(
            "V: visit, C: call, then the outcome's digit (or Enter for the highlighted one)."
            " Without an account, type it first. Shift+Tab: another account. Esc: back."
            " D: dismiss for good."))  # fmt: skip
        help_text.setWordWrap(True)
        notes = " ".join(message_text(m, ctx.fmt) for m in inbox.left_out)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("&Account"), self.account)
        form.addRow(_("&Outcome"), self.outcomes)
        layout = QVBoxLayout(self)
        layout.addWidget(help_text)
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
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
        if watched is self.outcomes and key in DIGIT_KEYS:
            self._log_digit(DIGIT_KEYS[key])
            return True
        if watched is self.outcomes and key in ENTER_KEYS:
            self._log_highlighted()
            return True  # never also the dialog's default button
        if watched is self.account and key in ENTER_KEYS:
            self._on_account_return_pressed()  # the list is closed: it has the keys when open
            return True
        if watched in (self.outcomes, self.account) and key == Qt.Key.Key_Escape.value:
            self._back_to_list()
            return True
        return super().eventFilter(watched, event)

    def current_entry(self) -> DebriefEntry | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    # -- the steps: kind, account when unknown, outcome --------------------------------------

    def _choose_kind(self, kind: ActivityKind) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        self._kind = kind
        self.outcomes.clear()
        for n, outcome in enumerate(OUTCOMES_BY_KIND[kind], 1):
            item = QListWidgetItem(f"{n}   {outcome_label(outcome)}")
            item.setData(Qt.ItemDataRole.UserRole, outcome.value)  # Qt keeps a plain str
            self.outcomes.addItem(item)
        self.outcomes.addItem(QListWidgetItem(f"{NO_OUTCOME}   {_('— (no outcome)')}"))
        self.outcomes.setCurrentRow(0)
        self.account.setEnabled(True)
        self.account.clear()
        if entry.account_id is not None:
            self.account.select_account(entry.account_id)
            self._to_outcomes()
            return
        self.status.setText(
            _("{kind}: with which account? Type 2 or 3 letters and Enter; the list's last"
              " entry creates a new prospect.").format(kind=label(kind))
        )  # fmt: skip
        self.account.setFocus()

    def _on_account_return_pressed(self) -> None:
        # The list was closed (an exact name typed, or Enter again after choosing).
        if self.account.account_id() or self.account.new_account_name():
            self._to_outcomes()
            return
        self.status.setText(_(
            "Choose the account in the list, or its last entry “+ New prospect” to create one."
        ))  # fmt: skip

    def _to_outcomes(self) -> None:
        if self._kind is None:
            return
        self.outcomes.setEnabled(True)
        account = self.account.new_account_name() or self.account.text()
        self.status.setText(
            _("{kind} with {account}: the outcome's digit, or Enter.").format(
                kind=label(self._kind), account=account
            )
        )
        self.outcomes.setFocus()

    def _back_to_list(self) -> None:
        self._kind = None
        self.account.clear()
        self.account.setEnabled(False)
        self.outcomes.clear()
        self.outcomes.setEnabled(False)
        self.list.setFocus()
        self._update_status()

    # -- writing -----------------------------------------------------------------------------

    def _log_digit(self, digit: int) -> None:
        row = self.outcomes.count() - 1 if digit == NO_OUTCOME else digit - 1
        if 0 <= row < self.outcomes.count():
            self.outcomes.setCurrentRow(row)
            self._log_highlighted()

    def _log_highlighted(self) -> None:
        entry, kind, item = self.current_entry(), self._kind, self.outcomes.currentItem()
        if entry is None or kind is None or item is None:
            return
        stored = item.data(Qt.ItemDataRole.UserRole)
        outcome = Outcome(stored) if stored else None
        account_id = self.account.account_id() or None
        new_name = self.account.new_account_name() or None
        if account_id is None and new_name is None:
            self.account.setFocus()
            self._on_account_return_pressed()
            return
        row = self.list.currentRow()
        debrief = self._ctx.workspace.debrief

        def logged(result: QuickLogResult) -> None:
            self.list.takeItem(row)
            self._back_to_list()
            if outcome is None:
                done = _("Logged: {kind} with {account}.")
            else:
                done = _("Logged: {kind} with {account} ({outcome}).")
            self._ctx.notifier.notify(done.format(
                kind=label(kind), account=result.account_name,
                outcome=outcome_label(outcome).lower() if outcome else "",
            ))  # fmt: skip
            self.sig_logged.emit(result.changes)

        # A quick log is a quick indexed local write, but it runs through the one helper too.
        self._ctx.tasks.run(
            lambda: debrief.log(entry, kind, outcome, account_id, new_name), logged, self._failed
        )

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
        self.status.setText(_("Not saved: {reason}").format(reason=plain_words(exc)))

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
