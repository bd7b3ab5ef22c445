"""Quick log (Ctrl+L): what just happened, in a few keystrokes; Enter saves.

Typical use without the mouse: type "bou", Enter (account chosen), Tab to the kind and type
"v" (visit), Tab, Tab, the first letter of the outcome ("m": meeting held), Enter: saved, with
the next step planned as proposed (the delay from the settings, at a working hour), or the step
the account already has planned kept instead of a duplicate.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.next_step import WorkingTime
from kpidesk.domain.outcomes import OUTCOMES_BY_KIND, outcome_key
from kpidesk.domain.timeutil import utc_now
from kpidesk.domain.vocabulary import AccountStatus, ActivityKind, ActivityPurpose
from kpidesk.presentation import _
from kpidesk.presentation.labels import label, outcome_label, outcome_text
from kpidesk.services.activities import QuickLogEntry, QuickLogResult
from kpidesk.services.errors import InvalidInputError
from kpidesk.services.rows import ActivityRow
from kpidesk.services.work_settings import read_working_time
from kpidesk.store.errors import StoreError
from kpidesk.ui.account_directory import AccountDirectory
from kpidesk.ui.context import UiContext
from kpidesk.ui.errors import plain_words
from kpidesk.ui.formatting import to_qdatetime, to_utc
from kpidesk.ui.widgets.account_picker import AccountPicker
from kpidesk.ui.widgets.enum_combo import EnumCombo
from kpidesk.ui.widgets.form import FieldErrors
from kpidesk.ui.widgets.next_step import NextStepEditor

KINDS = (ActivityKind.CALL, ActivityKind.VISIT, ActivityKind.EMAIL, ActivityKind.OTHER)
PURPOSES = (
    ActivityPurpose.PROSPECTING,
    ActivityPurpose.FOLLOW_UP,
    ActivityPurpose.ACCOUNT_MANAGEMENT,
    ActivityPurpose.OTHER,
)


class OutcomeCombo(QComboBox):
    """The outcomes of one kind of activity, plus "no outcome"; ``value()`` is the stable key
    stored in ``outcome``. The first letter of an outcome picks it. An outcome written as free
    text before the list existed is kept as one more entry, as it was written."""

    _free_text: str | None = None

    def set_kind(self, kind: ActivityKind) -> None:
        chosen = self.value()
        self.clear()
        self.addItem(_("— (no outcome)"), None)
        for outcome in OUTCOMES_BY_KIND.get(kind, ()):
            self.addItem(outcome_label(outcome), outcome.value)
        if self._free_text:
            self.addItem(self._free_text, self._free_text)
        index = self.findData(chosen) if chosen else -1
        self.setCurrentIndex(max(index, 0))

    def set_stored(self, kind: ActivityKind, stored: str | None) -> None:
        """Show an activity's stored outcome: a key among the kind's, or old free text."""
        self._free_text = stored if stored and outcome_key(stored) is None else None
        self.set_kind(kind)
        index = self.findData(stored) if stored else -1
        if index < 0 and stored:  # a key of another kind: still the rep's, kept
            self.addItem(outcome_text(stored), stored)
            index = self.count() - 1
        self.setCurrentIndex(max(index, 0))

    def value(self) -> str | None:
        data = self.currentData()
        return str(data) if data else None


def load_working_time(ctx: UiContext, apply: Callable[[WorkingTime], None]) -> None:
    """Read the rep's delay and working week in the background, then ``apply`` it."""
    db = ctx.workspace.db
    ctx.tasks.run(lambda: read_working_time(db), apply, key="working-time")


def find_planned_step(
    ctx: UiContext,
    account_id: str,
    now: datetime,
    apply: Callable[[ActivityRow | None], None],
    exclude_id: str | None = None,
) -> None:
    """Look up the account's next planned step in the background, then ``apply`` it, unless
    the dialog it belongs to is gone by then (Enter pressed before the answer came)."""
    activities = ctx.workspace.activities
    owner = getattr(apply, "__self__", None)

    def deliver(found: ActivityRow | None) -> None:
        if isinstance(owner, QObject) and not shiboken6.isValid(owner):
            return
        apply(found)

    ctx.tasks.run(
        lambda: activities.planned_step(account_id, now, exclude_id), deliver, key="planned-step"
    )


class QuickLogDialog(QDialog):
    """Signals:
    sig_logged: the activity (and follow-up, and new prospect) were saved: a QuickLogResult.
    """

    sig_logged = Signal(object)

    def __init__(
        self,
        ctx: UiContext,
        directory: AccountDirectory,
        parent: QWidget | None = None,
        account_id: str | None = None,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._now = now
        self._directory = directory
        self._purpose_touched = False
        self.setWindowTitle(_("Log an activity"))
        self.setMinimumWidth(520)

        self.account = AccountPicker(directory.choices)
        self.account.setAccessibleName(_("Account"))
        self.account_hint = QLabel()
        self.account_hint.setObjectName("hint")
        self.kind = EnumCombo(KINDS)
        self.purpose = EnumCombo(PURPOSES)
        self.outcome = OutcomeCombo()
        self.outcome.set_kind(self.kind.value())
        self.notes = QLineEdit()
        self.notes.setPlaceholderText(_("Free note: what was said, what to remember"))
        self.private_note = QLineEdit()
        self.private_note.setPlaceholderText(_("Only for you: never synced or shared"))
        self.when = QDateTimeEdit(to_qdatetime(now()))
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.offer = QComboBox()
        self.next_step = NextStepEditor(ctx.fmt)

        form = QFormLayout()
        self.errors = FieldErrors(form)
        account_box = QWidget()
        account_layout = QVBoxLayout(account_box)
        account_layout.setContentsMargins(0, 0, 0, 0)
        account_layout.setSpacing(2)
        account_layout.addWidget(self.account)
        account_layout.addWidget(self.account_hint)
        self.errors.add("account_id", _("&Account"), account_box)
        self.errors.add("kind", _("&Kind"), self.kind)
        self.errors.add("purpose", _("&Purpose"), self.purpose)
        self.errors.add("outcome", _("&Outcome"), self.outcome)
        self.errors.add("notes", _("&Notes"), self.notes)
        self.errors.add("private_note", _("P&rivate note"), self.private_note)
        self.errors.add("done_at", _("&When"), self.when)
        self.errors.add("offer_id", _("O&ffer"), self.offer)
        self.errors.add("follow_up_in_days", _("Ne&xt step"), self.next_step)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addWidget(buttons)

        self.account.sig_account_changed.connect(self._on_account_changed)
        self.account.textChanged.connect(self._update_account_hint)
        self.purpose.activated.connect(self._on_purpose_activated)
        self.offer.currentIndexChanged.connect(self._on_offer_changed)
        self.kind.currentIndexChanged.connect(lambda _i: self.outcome.set_kind(self.kind.value()))
        self.when.dateTimeChanged.connect(
            lambda value: self.next_step.set_done_at(to_utc(value).astimezone())
        )
        self.next_step.set_done_at(to_utc(self.when.dateTime()).astimezone())
        load_working_time(ctx, self.next_step.set_working_time)
        if account_id:
            self.account.select_account(account_id)
        self._on_account_changed(self.account.account_id())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # The cursor starts where typing is needed: the account, or the kind when it is known.
        (self.kind if self.account.account_id() else self.account).setFocus()

    # -- reacting to the rep ---------------------------------------------------------------

    def _on_account_changed(self, account_id: str) -> None:
        self.offer.clear()
        self.offer.addItem(_("No offer"), None)
        for offer in self._directory.snapshot.open_offers_by_account.get(account_id, []):
            amount = self._ctx.fmt.money(offer.amount_cents, offer.currency)
            self.offer.addItem(f"{offer.reference} · {offer.title} · {amount}", offer.id)
        account = self._directory.account(account_id) if account_id else None
        if not self._purpose_touched:
            if account is None or account.status in (AccountStatus.SUSPECT, AccountStatus.PROSPECT):
                self._set_purpose(ActivityPurpose.PROSPECTING)
            else:
                self._set_purpose(ActivityPurpose.ACCOUNT_MANAGEMENT)
        self._update_account_hint()
        if account_id:
            find_planned_step(self._ctx, account_id, self._now(), self._on_planned_step_found)
        else:
            self.next_step.set_existing(None)

    def _on_planned_step_found(self, existing: ActivityRow | None) -> None:
        if existing is None or existing.account_id == self.account.account_id():
            self.next_step.set_existing(existing)

    def _on_offer_changed(self, _index: int) -> None:
        if self.offer.currentData() and not self._purpose_touched:
            self._set_purpose(ActivityPurpose.FOLLOW_UP)

    def _on_purpose_activated(self, _index: int) -> None:
        self._purpose_touched = True

    def _set_purpose(self, purpose: ActivityPurpose) -> None:
        self.purpose.set_value(purpose)

    def _update_account_hint(self) -> None:
        account_id = self.account.account_id()
        account = self._directory.account(account_id) if account_id else None
        if account is not None:
            self.account_hint.setText(
                _("{status} · {temperature} · last contact {when}").format(
                    status=label(account.status),
                    temperature=label(account.temperature),
                    when=self._ctx.fmt.days_ago(account.last_contact_at),
                )
            )
        elif self.account.new_account_name():
            self.account_hint.setText(
                _("New prospect “{name}” will be created").format(
                    name=self.account.new_account_name()
                )
            )
        else:
            self.account_hint.setText("")

    # -- saving ----------------------------------------------------------------------------

    def entry(self) -> QuickLogEntry:
        return QuickLogEntry(
            kind=self.kind.value(),
            purpose=self.purpose.value(),
            account_id=self.account.account_id() or None,
            new_account_name=self.account.new_account_name() or None,
            done_at=to_utc(self.when.dateTime()),
            outcome=self.outcome.value(),
            notes=self.notes.text().strip() or None,
            private_note=self.private_note.text().strip() or None,
            offer_id=self.offer.currentData(),
            follow_up_in_days=None,
            next_step=self.next_step.value(),
        )

    def save(self) -> None:
        if not self.account.account_id() and not self.account.new_account_name():
            # Never a guess: an account comes from the list, a new prospect from its last entry.
            self.errors.show_texts([("account_id", _(
                "Choose the account in the list, or its last entry “+ New prospect” to create one."
            ))])  # fmt: skip
            return
        # A quick indexed write (a few ms): done on the GUI thread so a refusal shows at once.
        try:
            result: QuickLogResult = self._ctx.workspace.activities.quick_log(self.entry())
        except InvalidInputError as exc:
            self.errors.show(exc.problems)
            return
        except StoreError as exc:  # a full disk...: nothing saved, the dialog keeps the typing
            self.errors.show_texts([("", plain_words(exc))])
            return
        self.sig_logged.emit(result)
        self.accept()
