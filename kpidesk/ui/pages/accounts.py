"""Accounts: a searchable, sortable list, and each account's own page."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.i18n import N_
from kpidesk.domain.vocabulary import AccountStatus
from kpidesk.presentation import _
from kpidesk.services.exporting import sheets
from kpidesk.services.rows import AccountRow
from kpidesk.ui.account_directory import AccountDirectory
from kpidesk.ui.actions import RecordActions
from kpidesk.ui.context import UiContext
from kpidesk.ui.exporting import Exporter, export_button
from kpidesk.ui.models.accounts import AccountsModel, account_columns
from kpidesk.ui.pages.account_detail import AccountDetailView
from kpidesk.ui.widgets.common import EmptyState, RecordTable, header_row

STATUS_FILTERS = (
    (None, N_("All accounts")),
    (
        frozenset({AccountStatus.SUSPECT, AccountStatus.PROSPECT}),
        N_("Prospects and suspects"),
    ),
    (frozenset({AccountStatus.CLIENT}), N_("Clients")),
    (frozenset({AccountStatus.FORMER}), N_("Former clients")),
)


class AccountsPage(QWidget):
    def __init__(self, ctx: UiContext, directory: AccountDirectory, actions: RecordActions) -> None:
        super().__init__()
        self._ctx = ctx
        self._directory = directory
        self._actions = actions
        # The model filters itself: a proxy would call Python once per account per keystroke.
        self.model = AccountsModel(account_columns(ctx.fmt), self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search name, city or sector (Ctrl+F)"))
        self.search.setAccessibleName(_("Search accounts"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.status_filter = QComboBox()
        for statuses, text in STATUS_FILTERS:
            self.status_filter.addItem(_(text), statuses)
        new_account = QPushButton(_("New account"))
        new_account.setToolTip(_("New account (Ctrl+N)"))
        self.table = RecordTable(self.model)
        self.table.setAccessibleName(_("Accounts"))
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.empty = EmptyState(
            _(
                "<h3>No accounts yet</h3>"
                "<p>Press <b>Ctrl+L</b> to log your first call or visit: type the company's "
                "name and it is created as a prospect.<br>Or add one with <b>New account</b>.</p>"
            )
        )
        self.detail = AccountDetailView(ctx, directory, actions)

        list_page = QWidget()
        list_layout = QVBoxLayout(list_page)
        workspace = ctx.workspace
        build = partial(sheets.accounts_sheet, workspace)
        self.exporter = Exporter(ctx, self, "accounts", lambda: build)
        list_layout.addLayout(header_row(_("Accounts"), export_button(self.exporter), new_account))
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.status_filter)
        list_layout.addLayout(filters)
        self._list_stack = QStackedWidget()
        self._list_stack.addWidget(self.table)
        self._list_stack.addWidget(self.empty)
        list_layout.addWidget(self._list_stack, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(list_page)
        self.stack.addWidget(self.detail)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.search.textChanged.connect(self.model.set_query)
        self.search.returnPressed.connect(self._on_search_return)
        self.status_filter.currentIndexChanged.connect(self._on_status_filter_changed)
        new_account.clicked.connect(self._actions.new_account)
        self.table.sig_row_activated.connect(self.open_account)
        self.detail.sig_back_requested.connect(self.show_list)
        directory.sig_updated.connect(self._on_directory_updated)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        QShortcut(QKeySequence.StandardKey.New, self, self._actions.new_account)
        self._on_directory_updated()

    def on_shown(self) -> None:
        if self.stack.currentWidget() is not self.detail:
            self.search.setFocus()

    def _on_directory_updated(self) -> None:
        current = self.table.current_row()
        self.model.set_rows(self._directory.snapshot.accounts)
        self.table.show_owners(self._directory.snapshot.accounts)
        has_rows = bool(self._directory.snapshot.accounts) or not self._directory.loaded
        self._list_stack.setCurrentWidget(self.table if has_rows else self.empty)
        if current is not None:
            self._reselect(current.id)

    def _reselect(self, account_id: str) -> None:
        for row, account in enumerate(self.model.rows()):
            if account.id == account_id:
                self.table.selectRow(row)
                return

    def _on_status_filter_changed(self, _index: int) -> None:
        self.model.set_statuses(self.status_filter.currentData())

    def _on_search_return(self) -> None:
        if self.model.rowCount():
            self.table.setFocus()
            self.table.select_first()

    def _focus_search(self) -> None:
        self.show_list()
        self.search.setFocus()
        self.search.selectAll()

    def open_account(self, row: AccountRow | str) -> None:
        account_id = row if isinstance(row, str) else row.id
        self.detail.show_account(account_id)
        self.stack.setCurrentWidget(self.detail)

    def show_list(self) -> None:
        self.stack.setCurrentIndex(0)
        self.table.setFocus()
