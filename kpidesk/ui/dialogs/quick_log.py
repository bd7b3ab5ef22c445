"""Quick log (Ctrl+L): what just happened, in a few keystrokes; Enter saves.

Typical use without the mouse: type "bou", Down, Enter (account chosen), Tab to the kind and
type "v" (visit), Tab, type the outcome, Enter: saved with a follow-up planned in 7 days.
"""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.vocabulary import AccountStatus, ActivityKind, ActivityPurpose
from kpidesk.presentation import _
from kpidesk.presentation.labels import label
from kpidesk.services.activities import QuickLogEntry, QuickLogResult
from kpidesk.services.errors import InvalidInputError
from kpidesk.store.errors import StoreError
from kpidesk.ui.account_directory import AccountDirectory
from kpidesk.ui.context import UiContext
from kpidesk.ui.errors import plain_words
from kpidesk.ui.formatting import to_utc
from kpidesk.ui.widgets.account_picker import AccountPicker
from kpidesk.ui.widgets.enum_combo import EnumCombo
from kpidesk.ui.widgets.form import FieldErrors

KINDS = (ActivityKind.CALL, ActivityKind.VISIT, ActivityKind.EMAIL, ActivityKind.OTHER)
PURPOSES = (
    ActivityPurpose.PROSPECTING,
    ActivityPurpose.FOLLOW_UP,
    ActivityPurpose.ACCOUNT_MANAGEMENT,
    ActivityPurpose.OTHER,
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
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._directory = directory
        self._purpose_touched = False
        self.setWindowTitle(_("Log an activity"))
        self.setMinimumWidth(520)

        self.account = AccountPicker(directory.choices)
        self.account_hint = QLabel()
        self.account_hint.setObjectName("hint")
        self.kind = EnumCombo(KINDS)
        self.purpose = EnumCombo(PURPOSES)
        self.outcome = QLineEdit()
        self.outcome.setPlaceholderText(_("e.g. meeting set, quote requested"))
        self.notes = QLineEdit()
        self.private_note = QLineEdit()
        self.private_note.setPlaceholderText(_("Only for you: never synced or shared"))
        self.when = QDateTimeEdit(QDateTime.currentDateTime())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.offer = QComboBox()
        self.follow_up = QCheckBox(_("Plan a follow-up in"))
        self.follow_up.setChecked(True)
        self.follow_up_days = QSpinBox()
        self.follow_up_days.setRange(1, 365)
        self.follow_up_days.setValue(7)
        self.follow_up_days.setSuffix(_(" days"))

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
        follow_row = QWidget()
        follow_layout = QHBoxLayout(follow_row)
        follow_layout.setContentsMargins(0, 0, 0, 0)
        follow_layout.addWidget(self.follow_up)
        follow_layout.addWidget(self.follow_up_days)
        follow_layout.addStretch(1)
        self.errors.add("follow_up_in_days", _("Next step"), follow_row)

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
        self.follow_up.toggled.connect(self.follow_up_days.setEnabled)
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
            outcome=self.outcome.text().strip() or None,
            notes=self.notes.text().strip() or None,
            private_note=self.private_note.text().strip() or None,
            offer_id=self.offer.currentData(),
            follow_up_in_days=self.follow_up_days.value() if self.follow_up.isChecked() else None,
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
