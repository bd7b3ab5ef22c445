"""One account: who it is, its temperature (one click), its contacts, and a timeline of every
activity and offer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.changes import Changes, View
from kpidesk.domain.next_step import lacks_next_step
from kpidesk.domain.timeutil import utc_now
from kpidesk.domain.vocabulary import AccountStatus, OfferStatus, Temperature
from kpidesk.presentation import Formatter, _
from kpidesk.presentation.labels import label, outcome_text
from kpidesk.services.accounts import AccountDetail
from kpidesk.services.rows import ActivityRow, OfferRow
from kpidesk.ui.account_directory import AccountDirectory
from kpidesk.ui.actions import RecordActions
from kpidesk.ui.context import UiContext
from kpidesk.ui.models.table import Column, RowSortFilterProxy, RowTableModel
from kpidesk.ui.widgets.common import RecordTable


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime | None
    what: str
    details: str
    activity: ActivityRow | None = None
    offer: OfferRow | None = None


def timeline(detail: AccountDetail, fmt: Formatter) -> list[TimelineEntry]:
    entries = []
    for a in detail.activities:
        what = f"{label(a.kind)} · {label(a.purpose)}"
        if a.is_planned:
            what = _("Planned: {what}").format(what=what)
        details = " — ".join(filter(None, (outcome_text(a.outcome), a.notes)))
        entries.append(TimelineEntry(a.when, what, details, activity=a))
    for o in detail.offers:
        what = _("Offer {ref} · {status}").format(ref=o.reference, status=label(o.status))
        details = f"{o.title} · {fmt.money(o.amount_cents, o.currency)}"
        if o.lost_reason:
            details += f" · {o.lost_reason}"
        entries.append(TimelineEntry(o.decided_at or o.sent_at, what, details, offer=o))
    return sorted(entries, key=lambda e: e.when.timestamp() if e.when else 0, reverse=True)


class AccountDetailView(QWidget):
    """Signals:
    sig_back_requested: the rep wants the accounts list again (Esc or the back button).
    """

    sig_back_requested = Signal()

    def __init__(self, ctx: UiContext, directory: AccountDirectory, actions: RecordActions) -> None:
        super().__init__()
        self._ctx = ctx
        self._actions = actions
        self.account_id: str | None = None
        self.detail: AccountDetail | None = None

        back = QPushButton(_("← All accounts"))
        back.setFlat(True)
        back.setToolTip(_("Back to the list (Esc)"))
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.meta = QLabel()
        self.meta.setObjectName("hint")
        self.meta.setWordWrap(True)
        self.no_next_step = QLabel()
        self.no_next_step.setObjectName("warningNote")
        self.no_next_step.setWordWrap(True)
        self.no_next_step.hide()
        self.temperature_buttons = QButtonGroup(self)
        temperature_row = QHBoxLayout()
        temperature_row.addWidget(QLabel(_("Temperature:")))
        for temperature in (Temperature.COLD, Temperature.WARM, Temperature.HOT):
            button = QPushButton(label(temperature))
            button.setCheckable(True)
            button.setObjectName(f"temperature_{temperature.value}")
            self.temperature_buttons.addButton(button)
            button.setProperty("temperature", temperature.value)
            temperature_row.addWidget(button)
        temperature_row.addStretch(1)

        log = QPushButton(_("Log activity"))
        new_offer = QPushButton(_("New offer"))
        add_contact = QPushButton(_("Add contact"))
        edit = QPushButton(_("Edit account"))
        delete = QPushButton(_("Delete"))
        # A colleague's account (shared with the rep, or a manager's team pipeline) is theirs
        # to change; the rep still logs their own activities and offers on it.
        self._owner_only = [edit, delete, *self.temperature_buttons.buttons()]
        buttons = QHBoxLayout()
        for button in (log, new_offer, add_contact, edit):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(delete)

        self.contacts = QListWidget()
        self.contacts.setObjectName("contacts")
        fmt = ctx.fmt
        self.timeline_model: RowTableModel[TimelineEntry] = RowTableModel(
            [
                Column(
                    lambda: _("Date"),
                    lambda e: fmt.datetime(e.when),
                    lambda e: e.when,
                    width_chars=16,
                ),
                Column(lambda: _("What"), lambda e: e.what, width_chars=24, stretch=True),
                Column(lambda: _("Details"), lambda e: e.details),
            ],
            self,
        )
        proxy = RowSortFilterProxy(self)
        proxy.setSourceModel(self.timeline_model)
        self.timeline = RecordTable(proxy)
        self.timeline.setSortingEnabled(False)

        contacts_box = QWidget()
        contacts_layout = QVBoxLayout(contacts_box)
        contacts_layout.setContentsMargins(0, 0, 0, 0)
        contacts_title = QLabel(_("Contacts"))
        contacts_title.setBuddy(self.contacts)  # names the list for a screen reader
        contacts_layout.addWidget(contacts_title)
        contacts_layout.addWidget(self.contacts)
        timeline_box = QWidget()
        timeline_layout = QVBoxLayout(timeline_box)
        timeline_layout.setContentsMargins(0, 0, 0, 0)
        timeline_title = QLabel(_("Timeline"))
        timeline_title.setBuddy(self.timeline)
        timeline_layout.addWidget(timeline_title)
        timeline_layout.addWidget(self.timeline)
        splitter = QSplitter()
        splitter.addWidget(contacts_box)
        splitter.addWidget(timeline_box)
        splitter.setSizes([260, 740])

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(back)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(self.no_next_step)
        layout.addLayout(temperature_row)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)

        back.clicked.connect(self.sig_back_requested.emit)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.sig_back_requested.emit)
        self.temperature_buttons.buttonClicked.connect(self._on_temperature_clicked)
        log.clicked.connect(lambda: self._actions.log_activity(self.account_id))
        new_offer.clicked.connect(lambda: self._actions.new_offer(self.account_id))
        add_contact.clicked.connect(lambda: self._actions.new_contact(self.account_id or ""))
        edit.clicked.connect(lambda: self._actions.edit_account(self.account_id or ""))
        delete.clicked.connect(self._on_delete_clicked)
        self.timeline.sig_row_activated.connect(self._on_timeline_activated)
        self.contacts.itemActivated.connect(self._on_contact_activated)
        ctx.events.sig_changed.connect(self._on_data_changed)

    def show_account(self, account_id: str) -> None:
        self.account_id = account_id
        self.reload()

    def reload(self) -> None:
        if self.account_id is None:
            return
        account_id = self.account_id
        self._ctx.tasks.run(
            lambda: self._ctx.workspace.accounts.detail(account_id),
            self._on_loaded,
            self._on_load_failed,
            key="account-detail",
        )

    def _on_loaded(self, detail: AccountDetail) -> None:
        if detail.account["id"] != self.account_id:
            return
        self.detail = detail
        account = detail.account
        self.title.setText(account["name"])
        parts = [label(account["status"]), label(account["source"])]
        if detail.referred_by_name:
            parts.append(_("recommended by {name}").format(name=detail.referred_by_name))
        parts.extend(filter(None, (account.get("sector"), account.get("city"))))
        parts.extend(filter(None, (account.get("phone"), account.get("email"))))
        if detail.owner_name is not None:
            parts.append(_("{owner}'s account: read-only here").format(owner=detail.owner_name))
        self.meta.setText(" · ".join(parts))
        for button in self._owner_only:
            button.setEnabled(detail.owner_name is None)
        for button in self.temperature_buttons.buttons():
            button.setChecked(button.property("temperature") == account["temperature"].value)
        self.contacts.clear()
        for contact in detail.contacts:
            text = " · ".join(filter(None, (contact.name, contact.role, contact.phone)))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, contact.id)
            self.contacts.addItem(item)
        if not detail.contacts:
            self.contacts.addItem(_("No contact yet"))
        self.timeline_model.set_rows(timeline(detail, self._ctx.fmt))
        self._flag_next_step(detail)

    def _flag_next_step(self, detail: AccountDetail) -> None:
        """An open offer or a hot prospect with no next step planned: said at the top."""
        account = detail.account
        open_offers = sum(1 for o in detail.offers if o.status is OfferStatus.SENT)
        hot = account["status"] is AccountStatus.PROSPECT and account["temperature"] is (
            Temperature.HOT
        )
        planned = [a.due_at for a in detail.activities if a.is_planned and a.due_at is not None]
        if detail.owner_name is None and lacks_next_step(open_offers, hot, planned, utc_now()):
            reason = _("an offer is open") if open_offers else _("it is a hot prospect")
            self.no_next_step.setText(
                _("No next step planned, and {reason}: press Ctrl+L to log and plan one.").format(
                    reason=reason
                )
            )
            self.no_next_step.show()
        else:
            self.no_next_step.hide()

    def _on_load_failed(self, _error: BaseException) -> None:
        self.sig_back_requested.emit()  # deleted meanwhile: back to the list

    def _on_data_changed(self, changes: Changes) -> None:
        if self.isVisible() and changes.affects(View.ACCOUNTS):
            self.reload()

    def _on_temperature_clicked(self, button: QPushButton) -> None:
        if self.account_id:
            self._actions.set_temperature(
                self.account_id, Temperature(button.property("temperature"))
            )

    def _on_delete_clicked(self) -> None:
        if self.account_id and self.detail:
            self._actions.delete_account(self.account_id, self.detail.account["name"])
            self.sig_back_requested.emit()

    def _on_timeline_activated(self, entry: TimelineEntry) -> None:
        if entry.activity is not None:
            self._actions.edit_activity(entry.activity.id)
        elif entry.offer is not None:
            self._actions.edit_offer(entry.offer.id)

    def _on_contact_activated(self, item: QListWidgetItem) -> None:
        contact_id: Any = item.data(Qt.ItemDataRole.UserRole)
        if contact_id and self.account_id:
            self._actions.edit_contact(self.account_id, contact_id)
