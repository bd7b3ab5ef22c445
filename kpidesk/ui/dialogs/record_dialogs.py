"""Forms to create and edit accounts, contacts and activities.

Each form refuses bad input with the reason under the field and saves nothing; a save is a
quick local write done on the GUI thread so the refusal shows at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.vocabulary import AccountSource, AccountStatus, ActivityKind, Temperature
from kpidesk.presentation import Formatter, _
from kpidesk.services.errors import InvalidInputError
from kpidesk.store.errors import StoreError
from kpidesk.ui.account_directory import AccountDirectory
from kpidesk.ui.dialogs.quick_log import KINDS, PURPOSES, OutcomeCombo
from kpidesk.ui.errors import plain_words
from kpidesk.ui.formatting import to_qdatetime, to_utc
from kpidesk.ui.widgets.account_picker import AccountPicker
from kpidesk.ui.widgets.enum_combo import EnumCombo
from kpidesk.ui.widgets.form import FieldErrors

STATUSES = tuple(AccountStatus)
TEMPERATURES = tuple(Temperature)
SOURCES = tuple(AccountSource)


def select_data(combo: QComboBox, value: Any) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


def optional_text(widget: QLineEdit | QPlainTextEdit) -> str | None:
    text = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
    return text.strip() or None


class RecordDialog(QDialog):
    """A form whose ``save_values`` callable writes the record (create or update).

    Signals:
        sig_saved: the record was written; carries its id.
    """

    sig_saved = Signal(str)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.form = QFormLayout()
        self.errors = FieldErrors(self.form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.buttons)
        self.write: Callable[[Mapping[str, Any]], str] | None = None

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The cursor starts in the first field: typing "Garage Dupont" must not press a button
        # with its space, nor Down+Enter press Cancel.
        field = self.errors.first_field()
        if field is not None and field.isEnabled() and field.window() is self:
            field.setFocus()
        else:
            self.buttons.setFocus()

    # A field that stays editable on a colleague's record (never synced, so always mine).
    LOCAL_FIELD: str | None = None

    def show_read_only(self, owner_name: str) -> None:
        """A colleague's record: shown as it is, named as theirs, with nothing to save (the
        team server would refuse the change, and this laptop would be left out of step)."""
        keep = getattr(self, self.LOCAL_FIELD) if self.LOCAL_FIELD else None
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            box = item.widget() if item is not None else None
            if box is not None and not (keep is not None and box.isAncestorOf(keep)):
                box.setEnabled(False)
        note = QLabel(
            _("This record belongs to {owner}: you can read it here, not change it.")
            .format(owner=owner_name)
        )  # fmt: skip
        note.setObjectName("readOnlyNote")
        note.setWordWrap(True)
        self.layout().insertWidget(0, note)
        if keep is None:
            self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
            self.buttons.rejected.connect(self.reject)
            self.write = None
        else:
            self._only = self.LOCAL_FIELD

    def save(self) -> None:
        if self.write is None:  # read-only
            return
        values = self.values()
        only = getattr(self, "_only", None)
        if only is not None:  # a colleague's record: the one local field only
            values = {only: values[only]}
        try:
            record_id = self.write(values)
        except InvalidInputError as exc:
            self.errors.show(exc.problems)
            return
        except StoreError as exc:  # a full disk...: nothing saved, the dialog keeps the typing
            self.errors.show_texts([("", plain_words(exc))])
            return
        self.sig_saved.emit(record_id)
        self.accept()


class AccountDialog(RecordDialog):
    def __init__(
        self,
        directory: AccountDirectory,
        current: Mapping[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Edit account") if current else _("New account"), parent)
        self.name = QLineEdit()
        self.status = EnumCombo(STATUSES)
        self.temperature = EnumCombo(TEMPERATURES)
        self.source = EnumCombo(SOURCES)
        self.referred_by = AccountPicker(directory.choices)
        self.referred_by.setPlaceholderText(_("The client who recommended them (optional)"))
        self.sector = QLineEdit()
        self.city = QLineEdit()
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(70)
        for field, caption, widget in (
            ("name", _("&Name"), self.name),
            ("status", _("&Status"), self.status),
            ("temperature", _("&Temperature"), self.temperature),
            ("source", _("S&ource"), self.source),
            ("referred_by", _("&Referred by"), self.referred_by),
            ("sector", _("Se&ctor"), self.sector),
            ("city", _("C&ity"), self.city),
            ("address", _("A&ddress"), self.address),
            ("phone", _("&Phone"), self.phone),
            ("email", _("&E-mail"), self.email),
            ("notes", _("N&otes"), self.notes),
        ):
            self.errors.add(field, caption, widget)
        self._is_new = current is None
        if current:
            self.name.setText(current["name"])
            self.status.set_value(current["status"])
            self.temperature.set_value(current["temperature"])
            self.source.set_value(current["source"])
            if current.get("referred_by"):
                self.referred_by.select_account(current["referred_by"])
            for widget, key in (
                (self.sector, "sector"),
                (self.city, "city"),
                (self.address, "address"),
                (self.phone, "phone"),
                (self.email, "email"),
            ):
                widget.setText(current.get(key) or "")
            self.notes.setPlainText(current.get("notes") or "")
        else:
            self.status.set_value(AccountStatus.PROSPECT)

    def values(self) -> dict[str, Any]:
        values = {
            "name": self.name.text().strip(),
            "status": self.status.value(),
            "temperature": self.temperature.value(),
            "source": self.source.value(),
            "referred_by": self.referred_by.account_id() or None,
            "sector": optional_text(self.sector),
            "city": optional_text(self.city),
            "address": optional_text(self.address),
            "phone": optional_text(self.phone),
            "email": optional_text(self.email),
            "notes": optional_text(self.notes),
        }
        if self._is_new:
            values["created_status"] = values["status"]
        return values


class ContactDialog(RecordDialog):
    def __init__(
        self,
        account_id: str,
        current: Mapping[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Edit contact") if current else _("New contact"), parent)
        self._account_id = account_id
        self.name = QLineEdit()
        self.role = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        for field, caption, widget in (
            ("name", _("&Name"), self.name),
            ("role", _("&Role"), self.role),
            ("phone", _("&Phone"), self.phone),
            ("email", _("&E-mail"), self.email),
        ):
            self.errors.add(field, caption, widget)
        if current:
            for widget, key in (
                (self.name, "name"),
                (self.role, "role"),
                (self.phone, "phone"),
                (self.email, "email"),
            ):
                widget.setText(current.get(key) or "")

    def values(self) -> dict[str, Any]:
        return {
            "account_id": self._account_id,
            "name": self.name.text().strip(),
            "role": optional_text(self.role),
            "phone": optional_text(self.phone),
            "email": optional_text(self.email),
        }


class ActivityDialog(RecordDialog):
    """Edit a logged or planned activity (dates, kind, purpose, outcome, notes)."""

    LOCAL_FIELD = "private_note"  # a private note is possible on a colleague's activity too

    def __init__(
        self, fmt: Formatter, current: Mapping[str, Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(_("Edit activity"), parent)
        self.kind = EnumCombo(KINDS)
        self.purpose = EnumCombo(PURPOSES)
        # Not "done": that would hide QDialog.done(), which reject() and accept() call (the
        # app crashed when the rep cancelled this dialog).
        self.is_done = QCheckBox(_("Done"))
        self.done_at = _datetime_edit(fmt, current.get("done_at"))
        self.due_at = _datetime_edit(fmt, current.get("due_at"))
        self.has_due = QCheckBox(_("Planned for"))
        self.outcome = OutcomeCombo()
        self.outcome.set_stored(ActivityKind(current["kind"]), current.get("outcome"))
        self.notes = QPlainTextEdit(current.get("notes") or "")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(70)
        self.private_note = QLineEdit(current.get("private_note") or "")
        self.private_note.setPlaceholderText(_("Only for you: never synced or shared"))
        self.kind.set_value(current["kind"])
        self.purpose.set_value(current["purpose"])
        self.is_done.setChecked(current.get("done_at") is not None)
        self.has_due.setChecked(current.get("due_at") is not None)
        self.done_at.setEnabled(self.is_done.isChecked())
        self.due_at.setEnabled(self.has_due.isChecked())
        self.is_done.toggled.connect(self.done_at.setEnabled)
        self.has_due.toggled.connect(self.due_at.setEnabled)
        self.kind.currentIndexChanged.connect(lambda _i: self.outcome.set_kind(self.kind.value()))
        for field, caption, widget in (
            ("kind", _("&Kind"), self.kind),
            ("purpose", _("&Purpose"), self.purpose),
            ("due_at", self.has_due, self.due_at),
            ("done_at", self.is_done, self.done_at),
            ("outcome", _("&Outcome"), self.outcome),
            ("notes", _("&Notes"), self.notes),
            ("private_note", _("P&rivate note"), self.private_note),
        ):
            self.errors.add(field, caption, widget)

    def values(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value(),
            "purpose": self.purpose.value(),
            "done_at": to_utc(self.done_at.dateTime()) if self.is_done.isChecked() else None,
            "due_at": to_utc(self.due_at.dateTime()) if self.has_due.isChecked() else None,
            "outcome": self.outcome.value(),
            "notes": optional_text(self.notes),
            "private_note": optional_text(self.private_note),
        }


def _datetime_edit(fmt: Formatter, instant: Any) -> QDateTimeEdit:
    edit = QDateTimeEdit(to_qdatetime(instant) if instant else QDateTime.currentDateTime())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy HH:mm")
    return edit
