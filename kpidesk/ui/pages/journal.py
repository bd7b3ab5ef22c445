"""Journal: what was done, newest first, and the planned steps in their own section below;
filters for both; mark done, edit, delete with undo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.changes import Changes, View
from kpidesk.domain.i18n import N_
from kpidesk.domain.outcomes import Outcome, outcome_key
from kpidesk.domain.text import fold, matches_all_words
from kpidesk.domain.vocabulary import ActivityKind, ActivityPurpose
from kpidesk.presentation import _, ngettext
from kpidesk.presentation.labels import label, outcome_label
from kpidesk.services.calendar_export import CalendarExport, write_calendar
from kpidesk.services.exporting import sheets
from kpidesk.services.rows import ActivityFilter, ActivityRow
from kpidesk.ui.actions import RecordActions
from kpidesk.ui.context import UiContext
from kpidesk.ui.exporting import Exporter, export_button
from kpidesk.ui.models.table import RowSortFilterProxy, RowTableModel
from kpidesk.ui.pages.activity_columns import journal_columns
from kpidesk.ui.widgets.common import EmptyState, RecordTable, header_row

# How far back the journal reads (upcoming planned activities are always included).
PERIODS = (
    (7, N_("Last 7 days and upcoming")),
    (30, N_("Last 30 days and upcoming")),
    (90, N_("Last 90 days and upcoming")),
    (365, N_("Last 12 months and upcoming")),
    (None, N_("Everything")),
)
STATES = (
    (None, N_("Planned and done")),
    (True, N_("Planned only")),
    (False, N_("Done only")),
)


class JournalFilterProxy(RowSortFilterProxy):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.kind: ActivityKind | None = None
        self.purpose: ActivityPurpose | None = None
        self.planned: bool | None = None
        self.outcome: Outcome | None = None
        self._account_query = ""

    def set_account_query(self, text: str) -> None:
        with self.changing_filter():
            self._account_query = fold(text.strip())

    def set_filters(self, kind: Any, purpose: Any, planned: Any) -> None:
        with self.changing_filter():
            self.kind, self.purpose, self.planned = kind, purpose, planned

    def set_outcome(self, outcome: Outcome | None) -> None:
        with self.changing_filter():
            self.outcome = outcome

    def accepts(self, row: ActivityRow) -> bool:
        if self.outcome is not None and outcome_key(row.outcome) is not self.outcome:
            return False
        if self.kind is not None and row.kind is not self.kind:
            return False
        if self.purpose is not None and row.purpose is not self.purpose:
            return False
        if self.planned is not None and row.is_planned != self.planned:
            return False
        return not self._account_query or matches_all_words(
            self._account_query, fold(row.account_name)
        )


def _section(title: QLabel, table: RecordTable) -> QWidget:
    title.setObjectName("sectionTitle")
    section = QWidget()
    layout = QVBoxLayout(section)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(title)
    layout.addWidget(table, 1)
    return section


def _combo(items: Any, translate: Any = _) -> QComboBox:
    combo = QComboBox()
    for data, text in items:
        combo.addItem(translate(text) if translate else text, data)
    return combo


class JournalPage(QWidget):
    def __init__(self, ctx: UiContext, actions: RecordActions) -> None:
        super().__init__()
        self._ctx = ctx
        self._actions = actions
        self._loaded_once = False
        self.model: RowTableModel[ActivityRow] = RowTableModel(journal_columns(ctx.fmt), self)
        # What was done, newest first: what the rep just logged is at the top.
        self.proxy = JournalFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = RecordTable(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        # The planned steps, soonest first, in their own section (same filters). A model of
        # their own: a model sorts its rows, and the two sections sort the other way round.
        self.planned_model: RowTableModel[ActivityRow] = RowTableModel(
            journal_columns(ctx.fmt), self
        )
        self.planned_proxy = JournalFilterProxy(self)
        self.planned_proxy.setSourceModel(self.planned_model)
        self.planned_table = RecordTable(self.planned_proxy)
        self.planned_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.planned_table.hideColumn(6)  # the outcome: nothing happened yet
        self._active = self.table  # the list the rep was last in: where the buttons act
        for table in (self.table, self.planned_table):
            table.installEventFilter(self)
        self.period = _combo(PERIODS)
        self.period.setCurrentIndex(1)
        self.state = _combo(STATES)
        self.kind = _combo([(None, _("All kinds")), *((k, label(k)) for k in ActivityKind)], None)
        self.purpose = _combo(
            [(None, _("All purposes")), *((p, label(p)) for p in ActivityPurpose)], None
        )
        self.outcome = QComboBox()
        self.outcome.setToolTip(_("Only the activities with this outcome (how many in brackets)"))
        self._fill_outcomes([])
        self.account_filter = QLineEdit()
        self.account_filter.setPlaceholderText(_("Account…"))
        self.account_filter.setClearButtonEnabled(True)
        self.account_filter.setAccessibleName(_("Only the activities of this account"))
        mark_done = QPushButton(_("Mark done"))
        mark_done.setToolTip(_("Mark the selected activity done (Ctrl+D)"))
        edit = QPushButton(_("Edit"))
        delete = QPushButton(_("Delete"))
        delete.setToolTip(_("Delete the selected activity (Del); you can undo"))
        self.recent_button = QPushButton(_("Recent changes…"))
        self.recent_button.setToolTip(
            _("Your last changes, to undo one (Ctrl+H; Ctrl+Z undoes the newest)")
        )
        self.export_button = QPushButton(_("Export to calendar"))
        self.export_button.setToolTip(
            _("Save your planned activities as an .ics file for your calendar program")
        )
        # Two exports behind one button: the plan alone, or with each open offer's follow-up.
        calendar_menu = QMenu(self.export_button)
        self.export_plan_action = calendar_menu.addAction(_("My planned activities…"))
        self.export_with_offers_action = calendar_menu.addAction(
            _("My planned activities and the follow-ups of my open offers…")
        )
        self.export_button.setMenu(calendar_menu)
        self.empty = EmptyState(
            _(
                "<h3>Nothing in the journal for these filters</h3>"
                "<p>Press <b>Ctrl+L</b> to log a call, a visit or an e-mail in a few seconds.</p>"
            )
        )

        filters = QHBoxLayout()
        for widget in (self.period, self.state, self.kind, self.purpose, self.outcome):
            filters.addWidget(widget)
        filters.addWidget(self.account_filter, 1)
        # Their counts once loaded; "…" until then.
        self.done_title = QLabel(_("Done ({n})").format(n="…"))
        self.planned_title = QLabel(_("Planned ({n})").format(n="…"))
        self.done_title.setBuddy(self.table)  # each section's title names its list
        self.planned_title.setBuddy(self.planned_table)
        self.done_section = _section(self.done_title, self.table)
        self.planned_section = _section(self.planned_title, self.planned_table)
        self.sections = QSplitter(Qt.Orientation.Vertical)
        self.sections.setChildrenCollapsible(False)
        self.sections.addWidget(self.done_section)
        self.sections.addWidget(self.planned_section)
        self.sections.setStretchFactor(0, 3)
        self.sections.setStretchFactor(1, 2)
        self._stack = QStackedWidget()
        self._stack.addWidget(self.sections)
        self._stack.addWidget(self.empty)
        self._apply_filters()
        layout = QVBoxLayout(self)
        workspace = ctx.workspace
        build = partial(sheets.journal_sheet, workspace)
        self.exporter = Exporter(ctx, self, "journal", lambda: build)
        layout.addLayout(
            header_row(
                _("Journal"),
                mark_done,
                edit,
                delete,
                self.recent_button,
                self.export_button,
                export_button(self.exporter),
            )
        )
        layout.addLayout(filters)
        layout.addWidget(self._stack, 1)

        self.period.currentIndexChanged.connect(self.reload)
        for combo in (self.state, self.kind, self.purpose):
            combo.currentIndexChanged.connect(self._on_filters_changed)
        self.outcome.currentIndexChanged.connect(self._on_outcome_changed)
        self.account_filter.textChanged.connect(self._on_account_filter_changed)
        self._mark_done_button, self._delete_button = mark_done, delete
        for table in (self.table, self.planned_table):
            table.sig_current_changed.connect(lambda _row: self._update_buttons())
            table.sig_row_activated.connect(lambda row: self._actions.edit_activity(row.id))
            table.sig_delete_requested.connect(self._actions.delete_activity)
        self._update_buttons()
        mark_done.clicked.connect(self._on_mark_done)
        edit.clicked.connect(self._on_edit)
        delete.clicked.connect(self._on_delete)
        self.export_plan_action.triggered.connect(lambda: self._on_export_calendar(False))
        self.export_with_offers_action.triggered.connect(lambda: self._on_export_calendar(True))
        self.recent_button.clicked.connect(self._actions.open_recent_changes)
        QShortcut(QKeySequence("Ctrl+D"), self, self._on_mark_done)
        ctx.events.sig_changed.connect(self._on_data_changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and watched in (self.table, self.planned_table):
            self._active = watched  # type: ignore[assignment]
            self._update_buttons()
        return super().eventFilter(watched, event)

    def current_row(self) -> ActivityRow | None:
        """The selected row of the list the rep was last in."""
        return self._active.current_row()

    def _update_buttons(self) -> None:
        row = self.current_row()
        mine = row is not None and row.is_mine
        self._mark_done_button.setEnabled(mine and row is not None and row.is_planned)
        self._delete_button.setEnabled(mine)

    def on_shown(self) -> None:
        if not self._loaded_once:
            self.reload()
        first = self.table if self.done_section.isVisibleTo(self) else self.planned_table
        first.setFocus()

    def reload(self) -> None:
        days = self.period.currentData()
        start = datetime.now(UTC) - timedelta(days=days) if days else None
        flt = ActivityFilter(start=start)
        self._ctx.tasks.run(
            lambda: self._ctx.workspace.activities.list(flt), self._on_loaded, key="journal"
        )

    def _on_loaded(self, rows: list[ActivityRow]) -> None:
        self._loaded_once = True
        current = {table: table.current_row() for table in (self.table, self.planned_table)}
        self.model.set_rows([row for row in rows if not row.is_planned])
        self.planned_model.set_rows([row for row in rows if row.is_planned])
        self._fill_outcomes(rows)
        for table, was in current.items():
            table.show_owners(rows)
            proxy = table.model()
            assert isinstance(proxy, JournalFilterProxy)
            for row in range(proxy.rowCount() if was is not None else 0):
                if proxy.row_at(row).id == was.id:  # type: ignore[union-attr]
                    table.selectRow(row)
                    break
        self._update_empty_state()

    def _update_empty_state(self) -> None:
        done, planned = self.proxy.rowCount(), self.planned_proxy.rowCount()
        self.done_title.setText(_("Done ({n})").format(n=self._ctx.fmt.number(done)))
        self.planned_title.setText(_("Planned ({n})").format(n=self._ctx.fmt.number(planned)))
        self._stack.setCurrentWidget(self.sections if done + planned else self.empty)
        self._update_buttons()

    def _apply_filters(self) -> None:
        kind, purpose = self.kind.currentData(), self.purpose.currentData()
        state = self.state.currentData()
        for proxy, planned in ((self.proxy, False), (self.planned_proxy, True)):
            proxy.set_filters(
                ActivityKind(kind) if kind else None,
                ActivityPurpose(purpose) if purpose else None,
                planned,
            )
        # "Planned only" and "Done only" show one section; both by default.
        self.done_section.setVisible(state is not True)
        self.planned_section.setVisible(state is not False)
        if not self._active.isVisibleTo(self):
            self._active = self.planned_table if state is True else self.table

    def _on_filters_changed(self, _index: int = 0) -> None:
        self._apply_filters()
        self._update_empty_state()

    def _fill_outcomes(self, rows: list[ActivityRow]) -> None:
        """Each outcome with how many of the loaded activities have it."""
        counts: dict[Outcome, int] = {}
        for row in rows:
            key = outcome_key(row.outcome)
            if key is not None:
                counts[key] = counts.get(key, 0) + 1
        chosen = self.outcome.currentData()
        self.outcome.blockSignals(True)
        self.outcome.clear()
        self.outcome.addItem(_("All outcomes"), None)
        for outcome in Outcome:
            self.outcome.addItem(
                _("{outcome} ({n})").format(
                    outcome=outcome_label(outcome), n=counts.get(outcome, 0)
                ),
                outcome.value,
            )
        self.outcome.setCurrentIndex(max(self.outcome.findData(chosen), 0) if chosen else 0)
        self.outcome.blockSignals(False)

    def _on_outcome_changed(self, _index: int = 0) -> None:
        chosen = self.outcome.currentData()
        for proxy in (self.proxy, self.planned_proxy):
            proxy.set_outcome(Outcome(chosen) if chosen else None)
        self._update_empty_state()

    def _on_account_filter_changed(self, text: str) -> None:
        for proxy in (self.proxy, self.planned_proxy):
            proxy.set_account_query(text)
        self._update_empty_state()

    def _on_data_changed(self, changes: Changes) -> None:
        if self._loaded_once and changes.affects(View.JOURNAL):
            self.reload()

    def _on_mark_done(self) -> None:
        row = self.current_row()
        if row is not None and row.is_planned:
            self._actions.complete_activity(row)  # the outcome and the next step, in one go

    def _on_edit(self) -> None:
        row = self.current_row()
        if row is not None:
            self._actions.edit_activity(row.id)

    def _on_delete(self) -> None:
        row = self.current_row()
        if row is not None:
            self._actions.delete_activity(row)

    def ask_export_path(self) -> Path | None:
        """Where to save the calendar; tests replace this to skip the native dialog."""
        chosen, _chosen_filter = QFileDialog.getSaveFileName(
            self,
            _("Export to calendar"),
            str(Path.home() / "kpidesk.ics"),
            _("Calendar files (*.ics)"),
        )
        return Path(chosen) if chosen else None

    def _on_export_calendar(self, offer_reminders: bool) -> None:
        path = self.ask_export_path()
        if path is None:
            return
        workspace = self._ctx.workspace

        def export_and_write() -> CalendarExport:  # off the GUI thread: SQL and a file write
            export = workspace.export_calendar(offer_reminders=offer_reminders)
            write_calendar(export, path)
            return export

        def done(export: CalendarExport) -> None:
            activities = export.events - export.reminders
            text = ngettext(
                "{n} planned activity saved to {path}; open it with your calendar program.",
                "{n} planned activities saved to {path}; open it with your calendar program.",
                activities,
            ).format(n=activities, path=path)
            if offer_reminders:
                planned = ngettext("{n} planned activity", "{n} planned activities", activities)
                reminders = ngettext("{n} offer follow-up", "{n} offer follow-ups",
                                     export.reminders)  # fmt: skip
                text = _(
                    "{activities} and {reminders} saved to {path}; open it with your"
                    " calendar program."
                ).format(
                    activities=planned.format(n=activities),
                    reminders=reminders.format(n=export.reminders),
                    path=path,
                )
            self._ctx.notifier.notify(text)

        def failed(exc: BaseException) -> None:
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            self._ctx.notifier.error(
                _("Could not save {path}: {reason}").format(path=path, reason=reason)
            )

        self._ctx.tasks.run(export_and_write, done, failed, key="calendar-export")
