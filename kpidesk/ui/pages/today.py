"""Today: what is due, what is worth doing and why, and the deals closest to closing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.changes import Changes, View
from kpidesk.domain.suggestions import ActionKind, Suggestion
from kpidesk.presentation import Formatter, _
from kpidesk.presentation.labels import label, message_text
from kpidesk.services.calendar_read import CalendarFileError
from kpidesk.services.debrief import DebriefInbox
from kpidesk.services.rows import ActivityFilter, ActivityRow
from kpidesk.services.today import HotItem, hot_list
from kpidesk.ui.account_directory import AccountDirectory
from kpidesk.ui.actions import RecordActions
from kpidesk.ui.context import UiContext
from kpidesk.ui.dialogs.debrief import DebriefDialog
from kpidesk.ui.models.accounts import TEMPERATURE_COLORS
from kpidesk.ui.models.table import Column, RowSortFilterProxy, RowTableModel
from kpidesk.ui.pages.activity_columns import journal_columns
from kpidesk.ui.widgets.common import EmptyState, RecordTable, header_row
from kpidesk.ui.widgets.suggestion_list import SuggestionList

UPCOMING_DAYS = 7


def hot_columns(fmt: Formatter) -> list[Column[HotItem]]:
    return [
        Column(lambda: _("Account"), lambda i: i.account_name, width_chars=16, stretch=True),
        Column(lambda: _("Offer"), lambda i: _hot_what(i, fmt), width_chars=16),
        Column(
            lambda: _("Weighted"),
            lambda i: fmt.money(i.weighted_cents) if i.weighted_cents else "",
            lambda i: i.weighted_cents,
            align_right=True,
            width_chars=10,
        ),
        Column(
            lambda: _("Temperature"),
            lambda i: label(i.temperature),
            foreground=lambda i: TEMPERATURE_COLORS[i.temperature],
            width_chars=10,
        ),
    ]


def _hot_what(item: HotItem, fmt: Formatter) -> str:
    if item.offer is None:
        return _("hot prospect, no offer yet")
    return f"{item.offer.reference} · {fmt.money(item.offer.amount_cents, item.offer.currency)}"


def _section(title: str, names: QWidget | None = None) -> QLabel:
    """A section's title; it names the list under it for a screen reader (its buddy)."""
    label_widget = QLabel(title)
    label_widget.setObjectName("sectionTitle")
    if names is not None:
        label_widget.setBuddy(names)
    return label_widget


class TodayPage(QWidget):
    """Signals:
    sig_open_account_requested: show an account's page (its id).
    sig_open_indicator_requested: show an indicator on the Indicators page (its key).
    sig_import_requested: the rep wants to import a spreadsheet (the button shown while there
        are no records yet).
    """

    sig_open_account_requested = Signal(str)
    sig_open_indicator_requested = Signal(str)
    sig_import_requested = Signal()

    def __init__(self, ctx: UiContext, directory: AccountDirectory, actions: RecordActions) -> None:
        super().__init__()
        self._ctx = ctx
        self._directory = directory
        self._actions = actions
        self._loaded_once = False
        self.due_model: RowTableModel[ActivityRow] = RowTableModel(journal_columns(ctx.fmt), self)
        self.due_table = self._activity_table(self.due_model)
        self.upcoming_model: RowTableModel[ActivityRow] = RowTableModel(
            journal_columns(ctx.fmt), self
        )
        self.upcoming_table = self._activity_table(self.upcoming_model)
        self.suggestions = SuggestionList()
        self.no_suggestion = EmptyState(
            _("<p>Nothing to suggest today: your offers are followed up and your hot "
                    "prospects have heard from you.</p>")
        )  # fmt: skip
        self.hot_model: RowTableModel[HotItem] = RowTableModel(hot_columns(ctx.fmt), self)
        hot_proxy = RowSortFilterProxy(self)
        hot_proxy.setSourceModel(self.hot_model)
        self.hot_table = RecordTable(hot_proxy, sortable=False)  # ranked by weighted value
        self.empty = EmptyState(
            _(
                "<h3>Nothing planned for today</h3><p>Log what you did with <b>Ctrl+L</b>: "
                "kpidesk plans the follow-up for you, and it shows up here on the day.</p>"
            )
        )
        self.date_label = QLabel()
        self.date_label.setObjectName("hint")
        self._due_stack = QStackedWidget()
        self._due_stack.addWidget(self.due_table)
        self._due_stack.addWidget(self.empty)
        self._suggestion_stack = QStackedWidget()
        self._suggestion_stack.addWidget(self.suggestions)
        self._suggestion_stack.addWidget(self.no_suggestion)
        hint = QLabel(_(
            "Planned: Ctrl+D done (with outcome and next step), Enter edit · Suggestions: "
            "Enter do it, S later, Del never"))  # fmt: skip
        hint.setObjectName("hint")

        grid = QGridLayout()
        grid.addWidget(_section(_("Due today and overdue"), self.due_table), 0, 0)
        grid.addWidget(self._due_stack, 1, 0)
        grid.addWidget(_section(_("Coming up in the next 7 days"), self.upcoming_table), 2, 0)
        grid.addWidget(self.upcoming_table, 3, 0)
        grid.addWidget(_section(_("Worth doing today")), 0, 1)
        grid.addWidget(self._suggestion_stack, 1, 1)
        grid.addWidget(_section(_("Closest to closing"), self.hot_table), 2, 1)
        grid.addWidget(self.hot_table, 3, 1)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 4)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(3, 2)
        layout = QVBoxLayout(self)
        self.debrief_button = QPushButton(_("Debrief…"))
        self.debrief_button.setToolTip(
            _("Open your calendar's export (.ics) and log the appointments you have not logged")
        )
        self.debrief_button.clicked.connect(self._on_debrief)
        layout.addLayout(header_row(_("Today"), self.date_label, self.debrief_button))
        layout.addWidget(self._welcome())
        layout.addLayout(grid, 1)
        layout.addWidget(hint)

        for table in (self.due_table, self.upcoming_table):
            table.sig_row_activated.connect(lambda row: self._actions.edit_activity(row.id))
            table.sig_delete_requested.connect(self._actions.delete_activity)
        self.hot_table.sig_row_activated.connect(self._on_hot_activated)
        self.suggestions.sig_action_requested.connect(self.act_on)
        self.suggestions.sig_dismiss_requested.connect(self._on_dismiss)
        self.suggestions.sig_snooze_requested.connect(self._on_snooze)
        QShortcut(QKeySequence("Ctrl+D"), self, self._on_complete)
        ctx.events.sig_changed.connect(self._on_data_changed)
        directory.sig_updated.connect(self._refresh_hot_list)
        directory.sig_updated.connect(self._refresh_welcome)
        self._refresh_welcome()

    def _welcome(self) -> QFrame:
        """What a rep with no records yet sees first: bring the team's spreadsheet in."""
        self.welcome = QFrame()
        self.welcome.setObjectName("welcome")
        text = QLabel(_("<b>No records yet.</b> Your accounts and offers are in an Excel or CSV"
                        " file? Bring them in: kpidesk reads the columns, shows what it will"
                        " create, and your indicators are there at once."))  # fmt: skip
        text.setWordWrap(True)
        self.import_button = QPushButton(_("Import a spreadsheet…"))
        self.import_button.clicked.connect(self.sig_import_requested.emit)
        row = QHBoxLayout(self.welcome)
        row.addWidget(text, 1)
        row.addWidget(self.import_button)
        return self.welcome

    def _refresh_welcome(self) -> None:
        directory = self._directory
        self.welcome.setVisible(directory.loaded and not directory.snapshot.accounts)

    def ask_calendar_path(self) -> Path | None:
        """Which calendar export to debrief; tests replace this to skip the native dialog."""
        chosen, _chosen_filter = QFileDialog.getOpenFileName(
            self, _("Debrief your appointments"), str(Path.home()), _("Calendar files (*.ics)")
        )
        return Path(chosen) if chosen else None

    def _on_debrief(self) -> None:
        path = self.ask_calendar_path()
        if path is None:
            return
        debrief = self._ctx.workspace.debrief
        self._ctx.tasks.run(lambda: debrief.inbox(path), self._on_inbox_read, self._on_inbox_failed)

    def _on_inbox_read(self, inbox: DebriefInbox) -> None:
        self.debrief_dialog = DebriefDialog(self._ctx, inbox, self._directory, self)
        self.debrief_dialog.sig_logged.connect(self._ctx.events.announce)
        self.debrief_dialog.open()
        self.debrief_dialog.list.setFocus()

    def _on_inbox_failed(self, exc: BaseException) -> None:
        if isinstance(exc, CalendarFileError):
            text = _("Cannot read {path}: {reason}").format(
                path=exc.path, reason=message_text(exc.reason, self._ctx.fmt)
            )
        else:
            text = _("Cannot read the calendar: {reason}").format(reason=exc)
        self._ctx.notifier.error(text)

    def _activity_table(self, model: RowTableModel[ActivityRow]) -> RecordTable:
        proxy = RowSortFilterProxy(self)
        proxy.setSourceModel(model)
        table = RecordTable(proxy)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        # Purpose, owner (my day is mine), outcome and notes (empty for what is to do).
        for column in (3, 5, 6, 7):
            table.hideColumn(column)
        return table

    def on_shown(self) -> None:
        self.reload()
        self.due_table.setFocus()

    def reload(self) -> None:
        self.date_label.setText(Formatter().day(date.today(), "full"))
        today_end = _local_midnight_after(datetime.now(UTC))
        upcoming_end = today_end + timedelta(days=UPCOMING_DAYS)
        workspace = self._ctx.workspace

        def load() -> tuple[list[ActivityRow], list[ActivityRow], list[Suggestion]]:
            due = workspace.activities.list(ActivityFilter(planned=True, end=today_end))
            upcoming = workspace.activities.list(
                ActivityFilter(planned=True, start=today_end, end=upcoming_end)
            )
            return due, upcoming, workspace.suggestions.today()

        self._ctx.tasks.run(load, self._on_loaded, key="today")

    def _on_loaded(
        self, loaded: tuple[list[ActivityRow], list[ActivityRow], list[Suggestion]]
    ) -> None:
        self._loaded_once = True
        due, upcoming, suggestions = loaded
        self.due_model.set_rows(due)
        self.upcoming_model.set_rows(upcoming)
        self._due_stack.setCurrentWidget(self.due_table if due else self.empty)
        self.due_table.select_first()
        # Overdue activities are already in the list on the left, in red: no second card.
        cards = [s for s in suggestions if s.rule != "overdue_follow_up"]
        self.suggestions.set_suggestions(cards)
        self._suggestion_stack.setCurrentWidget(self.suggestions if cards else self.no_suggestion)
        self._refresh_hot_list()

    def _refresh_hot_list(self) -> None:
        snapshot = self._directory.snapshot
        offers = [o for offers in snapshot.open_offers_by_account.values() for o in offers]
        self.hot_model.set_rows(hot_list(snapshot.accounts, offers))

    def _on_data_changed(self, changes: Changes) -> None:
        if self._loaded_once and changes.affects(View.TODAY):
            self.reload()

    def _on_complete(self) -> None:
        table = self.upcoming_table if self.upcoming_table.hasFocus() else self.due_table
        row = table.current_row()
        if row is not None:
            self._actions.complete_activity(row)

    def _on_hot_activated(self, item: HotItem) -> None:
        if item.offer is not None:
            self._actions.edit_offer(item.offer.id)
        else:
            self.sig_open_account_requested.emit(item.account_id)

    # -- suggestions -----------------------------------------------------------------------

    def act_on(self, suggestion: Suggestion) -> None:
        action = suggestion.action
        if action.kind is ActionKind.PLAN_FOLLOW_UP and action.account_id:
            self._actions.plan_follow_up(action.account_id, action.offer_id)
        elif action.kind is ActionKind.LOG_CALL and action.account_id:
            self._actions.log_activity(action.account_id)
        elif action.kind is ActionKind.OPEN_ACTIVITY and action.activity_id:
            row = next((r for r in self.due_model.rows() if r.id == action.activity_id), None)
            if row is not None:
                self._actions.complete_activity(row)
            else:
                self._actions.edit_activity(action.activity_id)
        elif action.kind is ActionKind.RECORD_REFERRAL and action.account_id:
            self._actions.record_referral(action.account_id)
        elif action.kind is ActionKind.OPEN_INDICATOR and action.kpi_key:
            self.sig_open_indicator_requested.emit(action.kpi_key)
        elif action.kind is ActionKind.OPEN_OFFER and action.offer_id:
            self._actions.edit_offer(action.offer_id)
        elif action.account_id:
            self.sig_open_account_requested.emit(action.account_id)

    def _on_dismiss(self, suggestion: Suggestion) -> None:
        changes = self._ctx.workspace.suggestions.dismiss(suggestion)  # a quick local write
        self._ctx.notifier.notify(_("You won't see this suggestion again."))
        self._ctx.events.announce(changes)

    def _on_snooze(self, suggestion: Suggestion, how) -> None:
        changes = self._ctx.workspace.suggestions.snooze(suggestion, how)
        self._ctx.notifier.notify(_("Put aside; it will come back later."))
        self._ctx.events.announce(changes)


def _local_midnight_after(now: datetime) -> datetime:
    local = now.astimezone()
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.astimezone(UTC)
