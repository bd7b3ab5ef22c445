"""Today: what is due today and overdue, and what comes next this week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from kpidesk.store.queries import ActivityFilter, ActivityRow
from kpidesk.ui.actions import RecordActions
from kpidesk.ui.context import UiContext
from kpidesk.ui.models.table import RowSortFilterProxy, RowTableModel
from kpidesk.ui.pages.journal import journal_columns
from kpidesk.ui.widgets.common import EmptyState, RecordTable, header_row

UPCOMING_DAYS = 7


class TodayPage(QWidget):
    def __init__(self, ctx: UiContext, actions: RecordActions) -> None:
        super().__init__()
        self._ctx = ctx
        self._actions = actions
        self._loaded_once = False
        self.due_model: RowTableModel[ActivityRow] = RowTableModel(journal_columns(ctx.fmt), self)
        due_proxy = RowSortFilterProxy(self)
        due_proxy.setSourceModel(self.due_model)
        self.due_table = RecordTable(due_proxy)
        self.due_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.upcoming_model: RowTableModel[ActivityRow] = RowTableModel(
            journal_columns(ctx.fmt), self
        )
        upcoming_proxy = RowSortFilterProxy(self)
        upcoming_proxy.setSourceModel(self.upcoming_model)
        self.upcoming_table = RecordTable(upcoming_proxy)
        self.upcoming_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.empty = EmptyState(
            self.tr(
                "<h3>Nothing planned for today</h3><p>Log what you did with <b>Ctrl+L</b>: "
                "kpidesk plans the follow-up for you, and it shows up here on the day.</p>"
            )
        )
        self.date_label = QLabel()
        self.date_label.setObjectName("hint")
        self._due_stack = QStackedWidget()
        self._due_stack.addWidget(self.due_table)
        self._due_stack.addWidget(self.empty)
        hint = QLabel(self.tr("Enter: edit · Ctrl+D: mark done · Del: delete"))
        hint.setObjectName("hint")

        layout = QVBoxLayout(self)
        layout.addLayout(header_row(self.tr("Today"), self.date_label))
        layout.addWidget(QLabel(self.tr("<b>Due today and overdue</b>")))
        layout.addWidget(self._due_stack, 3)
        layout.addWidget(QLabel(self.tr("<b>Coming up in the next 7 days</b>")))
        layout.addWidget(self.upcoming_table, 2)
        layout.addWidget(hint)

        for table in (self.due_table, self.upcoming_table):
            table.sig_row_activated.connect(lambda row: self._actions.edit_activity(row.id))
            table.sig_delete_requested.connect(self._actions.delete_activity)
        QShortcut(QKeySequence("Ctrl+D"), self, self._on_mark_done)
        ctx.events.sig_changed.connect(self._on_data_changed)

    def on_shown(self) -> None:
        self.reload()
        self.due_table.setFocus()

    def reload(self) -> None:
        self.date_label.setText(
            QLocale().toString(QDate.currentDate(), QLocale.FormatType.LongFormat)
        )
        today_end = _local_midnight_after(datetime.now(UTC))
        upcoming_end = today_end + timedelta(days=UPCOMING_DAYS)
        activities = self._ctx.workspace.activities

        def load() -> tuple[list[ActivityRow], list[ActivityRow]]:
            due = activities.list(ActivityFilter(planned=True, end=today_end))
            upcoming = activities.list(
                ActivityFilter(planned=True, start=today_end, end=upcoming_end)
            )
            return due, upcoming

        self._ctx.tasks.run(load, self._on_loaded, key="today")

    def _on_loaded(self, lists: tuple[list[ActivityRow], list[ActivityRow]]) -> None:
        self._loaded_once = True
        due, upcoming = lists
        self.due_model.set_rows(due)
        self.upcoming_model.set_rows(upcoming)
        self._due_stack.setCurrentWidget(self.due_table if due else self.empty)
        self.due_table.select_first()

    def _on_data_changed(self, tables: frozenset[str]) -> None:
        if self._loaded_once and tables & {"activity", "account"}:
            self.reload()

    def _on_mark_done(self) -> None:
        focused = self.upcoming_table if self.upcoming_table.hasFocus() else self.due_table
        row = focused.current_row()
        if row is not None:
            self._actions.mark_done(row)


def _local_midnight_after(now: datetime) -> datetime:
    local = now.astimezone()
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.astimezone(UTC)
