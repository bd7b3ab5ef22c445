"""Pipeline: the open offers by age and temperature, their total and weighted value, and the
decision (won, lost, abandoned) in two keystrokes."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.changes import Changes, View
from kpidesk.domain.pipeline import win_probability
from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.presentation import Formatter, _, ngettext
from kpidesk.presentation.labels import label
from kpidesk.services.exporting import sheets
from kpidesk.services.rows import OfferFilter, OfferRow
from kpidesk.ui.actions import RecordActions
from kpidesk.ui.context import UiContext
from kpidesk.ui.exporting import Exporter, export_button
from kpidesk.ui.models.accounts import TEMPERATURE_COLORS, TEMPERATURE_ORDER
from kpidesk.ui.models.table import Column, RowSortFilterProxy, RowTableModel, owner_column
from kpidesk.ui.widgets.common import EmptyState, RecordTable, header_row


def age_days(offer: OfferRow, now: datetime) -> int | None:
    return (now - offer.sent_at).days if offer.sent_at else None


def weighted_cents(offer: OfferRow) -> int:
    return round(offer.amount_cents * win_probability(offer.probability, offer.temperature))


def pipeline_columns(fmt: Formatter) -> list[Column[OfferRow]]:
    now = datetime.now(UTC)
    return [
        Column(lambda: _("Offer"), lambda o: o.reference, width_chars=9),
        Column(lambda: _("Account"), lambda o: o.account_name or "", width_chars=22),
        owner_column(),
        # What is on offer says most about it: beside the account, never off the screen.
        Column(lambda: _("Title"), lambda o: o.title, width_chars=18, stretch=True),
        Column(
            lambda: _("Amount"),
            lambda o: fmt.money(o.amount_cents, o.currency),
            lambda o: o.amount_cents,
            align_right=True,
            width_chars=11,
        ),
        Column(
            lambda: _("Temperature"),
            lambda o: label(o.temperature) if o.temperature else "",
            lambda o: TEMPERATURE_ORDER.get(o.temperature, -1),
            foreground=lambda o: TEMPERATURE_COLORS.get(o.temperature),
            width_chars=10,
        ),
        Column(
            lambda: _("Chance"),
            lambda o: fmt.percent(win_probability(o.probability, o.temperature)),
            lambda o: win_probability(o.probability, o.temperature),
            align_right=True,
            width_chars=7,
            tooltip=lambda o: (
                _("The offer's own probability")
                if o.probability is not None
                else _("From the account's temperature")
            ),
        ),
        Column(
            lambda: _("Weighted"),
            lambda o: fmt.money(weighted_cents(o), o.currency),
            weighted_cents,
            align_right=True,
            width_chars=11,
        ),
        Column(
            lambda: _("Sent"), lambda o: fmt.date(o.sent_at), lambda o: o.sent_at, width_chars=10
        ),
        Column(
            lambda: _("Age"),
            lambda o: _("{n} d").format(n=age_days(o, now)) if o.sent_at else "",
            lambda o: age_days(o, now),
            align_right=True,
            width_chars=6,
        ),
        Column(
            lambda: _("Last follow-up"),
            lambda o: fmt.days_ago(o.last_activity_at) if o.last_activity_at else _("none"),
            lambda o: o.last_activity_at,
        ),
        Column(
            lambda: _("Status"),
            lambda o: label(o.status),
            lambda o: o.status.value,
            width_chars=7,
        ),
    ]


class PipelinePage(QWidget):
    """Signals:
    sig_open_account_requested: the rep wants to see the selected offer's account (its id).
    """

    sig_open_account_requested = Signal(str)

    def __init__(self, ctx: UiContext, actions: RecordActions) -> None:
        super().__init__()
        self._ctx = ctx
        self._actions = actions
        self._loaded_once = False
        self.model: RowTableModel[OfferRow] = RowTableModel(pipeline_columns(ctx.fmt), self)
        self.proxy = RowSortFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = RecordTable(self.proxy)
        self.table.setAccessibleName(_("Pipeline"))
        self.table.sortByColumn(8, Qt.SortOrder.DescendingOrder)  # by age: oldest offers first
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.show_drafts = QCheckBox(_("Show drafts"))
        buttons = {
            OfferStatus.WON: QPushButton(_("Won…")),
            OfferStatus.LOST: QPushButton(_("Lost…")),
            OfferStatus.ABANDONED: QPushButton(_("Abandoned…")),
        }
        edit = QPushButton(_("Edit"))
        open_account = QPushButton(_("Open account"))
        new_offer = QPushButton(_("New offer"))
        self.empty = EmptyState(
            _(
                "<h3>No open offer</h3><p>Offers you send appear here with their age and "
                "temperature, so you know which ones to follow up.<br>Create one with "
                "<b>New offer</b>, or from an account's page.</p>"
            )
        )
        self._stack = QStackedWidget()
        self._stack.addWidget(self.table)
        self._stack.addWidget(self.empty)
        actions_row = QHBoxLayout()
        for button in (*buttons.values(), edit, open_account):
            actions_row.addWidget(button)
        actions_row.addStretch(1)
        actions_row.addWidget(self.show_drafts)
        layout = QVBoxLayout(self)
        workspace = ctx.workspace
        build = partial(sheets.pipeline_sheet, workspace)
        self.exporter = Exporter(ctx, self, "pipeline", lambda: build)
        layout.addLayout(header_row(_("Pipeline"), export_button(self.exporter), new_offer))
        layout.addWidget(self.summary)
        layout.addLayout(actions_row)
        layout.addWidget(self._stack, 1)

        self.table.enable_for_own_rows(*buttons.values(), edit)
        for status, button in buttons.items():
            button.clicked.connect(lambda _=False, s=status: self._on_decide(s))
        edit.clicked.connect(self._on_edit)
        open_account.clicked.connect(self._on_open_account)
        new_offer.clicked.connect(lambda: self._actions.new_offer())
        self.show_drafts.toggled.connect(self.reload)
        self.table.sig_row_activated.connect(lambda offer: self._actions.edit_offer(offer.id))
        self.table.sig_delete_requested.connect(self._actions.delete_offer)
        ctx.events.sig_changed.connect(self._on_data_changed)

    def on_shown(self) -> None:
        if not self._loaded_once:
            self.reload()
        self.table.setFocus()
        self.table.select_first()

    def reload(self) -> None:
        statuses = {OfferStatus.SENT}
        if self.show_drafts.isChecked():
            statuses.add(OfferStatus.DRAFT)
        flt = OfferFilter(statuses=frozenset(statuses))
        self._ctx.tasks.run(
            lambda: self._ctx.workspace.offers.list(flt), self._on_loaded, key="pipeline"
        )

    def _on_loaded(self, offers: list[OfferRow]) -> None:
        self._loaded_once = True
        self.model.set_rows(offers)
        self.table.show_owners(offers)
        # The totals are the rep's own pipeline; colleagues' offers are listed, not summed.
        sent = [o for o in offers if o.status is OfferStatus.SENT and o.is_mine]
        others = sum(1 for o in offers if o.status is OfferStatus.SENT and not o.is_mine)
        fmt = self._ctx.fmt
        text = ngettext(
            "{n} open offer · total {total} · weighted {weighted}",
            "{n} open offers · total {total} · weighted {weighted}",
            len(sent),
        ).format(
            n=len(sent),
            total=fmt.money(sum(o.amount_cents for o in sent)),
            weighted=fmt.money(sum(weighted_cents(o) for o in sent)),
        )
        if others:
            text += " · " + ngettext(
                "{n} colleague's offer shown read-only",
                "{n} colleagues' offers shown read-only",
                others,
            ).format(n=others)
        self.summary.setText(text)
        self._stack.setCurrentWidget(self.table if offers else self.empty)

    def _on_data_changed(self, changes: Changes) -> None:
        if self._loaded_once and changes.affects(View.PIPELINE):
            self.reload()

    def _on_decide(self, status: OfferStatus) -> None:
        offer = self.table.current_row()
        if offer is not None:
            self._actions.decide_offer(offer, status)

    def _on_edit(self) -> None:
        offer = self.table.current_row()
        if offer is not None:
            self._actions.edit_offer(offer.id)

    def _on_open_account(self) -> None:
        offer = self.table.current_row()
        if offer is not None:
            self.sig_open_account_requested.emit(offer.account_id)
