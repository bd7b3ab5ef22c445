"""Offers: create or edit one, and record its decision (won, lost, abandoned)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QLineEdit,
    QWidget,
)

from kpidesk.domain.vocabulary import DECIDED_OFFER_STATUSES, OfferStatus
from kpidesk.presentation import Formatter, _
from kpidesk.ui.account_directory import AccountDirectory
from kpidesk.ui.dialogs.record_dialogs import RecordDialog, optional_text
from kpidesk.ui.formatting import to_qdatetime, to_utc
from kpidesk.ui.widgets.account_picker import AccountPicker
from kpidesk.ui.widgets.enum_combo import EnumCombo

CURRENCIES = ("EUR", "CHF", "GBP", "USD")
DECISIONS = (OfferStatus.WON, OfferStatus.LOST, OfferStatus.ABANDONED)


def money_spin(maximum: float = 100_000_000.0) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(-maximum, maximum)  # negative values are refused by the checks, with a reason
    spin.setDecimals(2)
    spin.setGroupSeparatorShown(True)
    spin.setSingleStep(100)
    return spin


def to_cents(spin: QDoubleSpinBox) -> int:
    return round(spin.value() * 100)


def datetime_edit(fmt: Formatter, instant: Any = None) -> QDateTimeEdit:
    edit = QDateTimeEdit(to_qdatetime(instant) if instant else QDateTime.currentDateTime())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy HH:mm")
    return edit


class OfferDialog(RecordDialog):
    """Create an offer for an account (or edit one); the reference is numbered when empty."""

    def __init__(
        self,
        fmt: Formatter,
        directory: AccountDirectory,
        account_id: str | None = None,
        current: Mapping[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Edit offer") if current else _("New offer"), parent)
        self.account = AccountPicker(directory.choices)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText(_("Numbered automatically"))
        self.title_edit = QLineEdit()
        self.amount = money_spin()
        self.margin = money_spin()
        self.currency = QComboBox()
        self.currency.addItems(CURRENCIES)
        self.status = EnumCombo((OfferStatus.DRAFT, OfferStatus.SENT, *DECISIONS))
        self.sent_at = datetime_edit(fmt, current.get("sent_at") if current else None)
        self.decided = QCheckBox(_("Decided on"))
        self.decided_at = datetime_edit(fmt, current.get("decided_at") if current else None)
        self.lost_reason = QLineEdit()
        self.has_probability = QCheckBox(_("Own probability"))
        self.probability = QDoubleSpinBox()
        self.probability.setRange(0, 100)
        self.probability.setSuffix(" %")
        self.probability.setDecimals(0)
        self.probability.setToolTip(
            _("Leave unticked to use the account's temperature (hot 60 %, warm 30 %, cold 10 %)")
        )
        for field, caption, widget in (
            ("account_id", _("&Account"), self.account),
            ("reference", _("&Reference"), self.reference),
            ("title", _("&Title"), self.title_edit),
            ("amount_cents", _("A&mount (excl. tax)"), self.amount),
            ("margin_cents", _("Mar&gin"), self.margin),
            ("currency", _("&Currency"), self.currency),
            ("status", _("&Status"), self.status),
            ("sent_at", _("Se&nt on"), self.sent_at),
            ("decided_at", self.decided, self.decided_at),
            ("lost_reason", _("&Lost reason"), self.lost_reason),
            ("probability", self.has_probability, self.probability),
        ):
            self.errors.add(field, caption, widget)
        self.status.currentIndexChanged.connect(self._on_status_changed)
        self.has_probability.toggled.connect(self.probability.setEnabled)
        if current:
            self.account.select_account(current["account_id"])
            self.reference.setText(current["reference"])
            self.title_edit.setText(current["title"])
            self.amount.setValue(current["amount_cents"] / 100)
            self.margin.setValue((current.get("margin_cents") or 0) / 100)
            self.currency.setCurrentText(current["currency"])
            self.status.set_value(current["status"])
            self.decided.setChecked(current.get("decided_at") is not None)
            self.lost_reason.setText(current.get("lost_reason") or "")
            if current.get("probability") is not None:
                self.has_probability.setChecked(True)
                self.probability.setValue(current["probability"] * 100)
        else:
            self.status.set_value(OfferStatus.SENT)
            if account_id:
                self.account.select_account(account_id)
        self.probability.setEnabled(self.has_probability.isChecked())
        self._on_status_changed()

    def _on_status_changed(self, _index: int = 0) -> None:
        status = self.status.value()
        decided = status in DECIDED_OFFER_STATUSES
        self.decided.setChecked(decided)
        self.decided.setEnabled(False)  # follows the status: a decided offer has a date
        self.decided_at.setEnabled(decided)
        self.sent_at.setEnabled(status is not OfferStatus.DRAFT)
        self.lost_reason.setEnabled(status in (OfferStatus.LOST, OfferStatus.ABANDONED))

    def values(self) -> dict[str, Any]:
        status = self.status.value()
        return {
            "account_id": self.account.account_id(),
            "reference": self.reference.text().strip(),
            "title": self.title_edit.text().strip(),
            "amount_cents": to_cents(self.amount),
            "margin_cents": to_cents(self.margin) if self.margin.value() else None,
            "currency": self.currency.currentText(),
            "status": status,
            "sent_at": to_utc(self.sent_at.dateTime()) if status is not OfferStatus.DRAFT else None,
            "decided_at": to_utc(self.decided_at.dateTime())
            if status in DECIDED_OFFER_STATUSES
            else None,
            "lost_reason": optional_text(self.lost_reason)
            if status in (OfferStatus.LOST, OfferStatus.ABANDONED)
            else None,
            "probability": self.probability.value() / 100
            if self.has_probability.isChecked()
            else None,
        }


class DecideOfferDialog(RecordDialog):
    """Won, lost or abandoned, on which day, and why it was lost."""

    def __init__(
        self, fmt: Formatter, offer_caption: str, status: OfferStatus, parent: QWidget | None = None
    ) -> None:
        super().__init__(_("Decision on {offer}").format(offer=offer_caption), parent)
        self.status = EnumCombo(DECISIONS)
        self.status.set_value(status)
        self.decided_at = datetime_edit(fmt)
        self.lost_reason = QLineEdit()
        self.lost_reason.setPlaceholderText(_("e.g. price, competitor, project postponed"))
        for field, caption, widget in (
            ("status", _("&Outcome"), self.status),
            ("decided_at", _("&Decided on"), self.decided_at),
            ("lost_reason", _("&Why it was lost"), self.lost_reason),
        ):
            self.errors.add(field, caption, widget)
        self.status.currentIndexChanged.connect(self._on_status_changed)
        self._on_status_changed()

    def _on_status_changed(self, _index: int = 0) -> None:
        self.lost_reason.setEnabled(self.status.value() is not OfferStatus.WON)

    def values(self) -> dict[str, Any]:
        status = self.status.value()
        return {
            "status": status,
            "decided_at": to_utc(self.decided_at.dateTime()),
            "lost_reason": optional_text(self.lost_reason)
            if status is not OfferStatus.WON
            else None,
        }
