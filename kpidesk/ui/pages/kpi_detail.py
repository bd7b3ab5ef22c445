"""One indicator in detail: its last 12 periods, what it means, the records behind it, and the
rep's objective.

Everything slow runs in the background: the history (and, the first time, importing pyqtgraph),
the counted records and the objectives. The panel shows what the report already holds at once.
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.kpis import KpiReport, KpiResult, RecordKind
from kpidesk.domain.outcomes import outcome_counts
from kpidesk.presentation import _, ngettext
from kpidesk.presentation.kpis import KpiDisplay, currency_symbol, kpi_text
from kpidesk.presentation.labels import outcome_label
from kpidesk.presentation.periods import period_name
from kpidesk.services.errors import InvalidInputError
from kpidesk.services.exporting import sheets
from kpidesk.services.exporting.writers import Sheet
from kpidesk.services.kpis import KpiService
from kpidesk.services.objectives import ObjectiveService
from kpidesk.ui.actions import RecordActions
from kpidesk.ui.context import UiContext
from kpidesk.ui.errors import plain_words
from kpidesk.ui.exporting import Exporter, export_button
from kpidesk.ui.models.counted_records import RATE_PARTS, counted_columns, load_counted
from kpidesk.ui.models.table import RowSortFilterProxy, RowTableModel
from kpidesk.ui.theme import colour
from kpidesk.ui.widgets.common import EmptyState, RecordTable
from kpidesk.ui.widgets.objective_form import ObjectiveForm

HISTORY_LENGTH = 12
RECORD_ORDER = {
    RecordKind.ACTIVITY: (0, Qt.SortOrder.DescendingOrder),  # when
    RecordKind.OFFER: (4, Qt.SortOrder.DescendingOrder),  # sent
    RecordKind.ACCOUNT: (0, Qt.SortOrder.AscendingOrder),  # name
}
CHART_MODULE = "kpidesk.ui.widgets.kpi_chart"


RECORDS_TAB = 1  # the tabs: About, Records, Objective


class KpiDetailPanel(QFrame):
    """Signals:
    sig_closed: the rep closed the panel (Esc or the close button).
    sig_open_account_requested: open an account the indicator counted (its id).
    """

    sig_closed = Signal()
    sig_open_account_requested = Signal(str)

    def __init__(
        self,
        ctx: UiContext,
        kpis: KpiService,
        objectives: ObjectiveService,
        actions: RecordActions,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kpiDetail")
        self._ctx, self._kpis, self._objectives, self._actions = ctx, kpis, objectives, actions
        self.report: KpiReport | None = None
        self.key: str | None = None
        self._has_parts = False  # a rate: the records tab switches numerator / denominator
        self.chart: Any = None  # a KpiChart, created when the first history arrives
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip(_("Close (Esc)"))
        close.clicked.connect(self.close_panel)
        self.value_line = QLabel()
        self.value_line.setObjectName("summary")
        self.value_line.setWordWrap(True)
        self.chart_placeholder = QLabel(_("Loading the last 12 periods…"))
        self.chart_placeholder.setObjectName("hint")
        self.chart_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chart_placeholder.setMinimumHeight(190)
        # The chart gives its height to the list on the Records tab (at 1366 × 768 the list
        # showed four rows under it).
        self.chart_area = QWidget()
        self._chart_box = QVBoxLayout(self.chart_area)
        self._chart_box.setContentsMargins(0, 0, 0, 0)
        self._chart_box.addWidget(self.chart_placeholder)
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.about.setTextFormat(Qt.TextFormat.RichText)
        self.about.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.about.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.about, _("About"))
        self.tabs.addTab(self._build_records_tab(), _("Records"))
        self.objective_form: ObjectiveForm | None = None
        self._objective_host = QWidget()
        QVBoxLayout(self._objective_host).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self._objective_host, _("Objective"))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.value_line)
        layout.addWidget(self.chart_area)
        layout.addWidget(self.tabs, 1)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

    def _build_records_tab(self) -> QWidget:
        self.records_caption = QLabel()
        self.records_caption.setWordWrap(True)
        self.numerator_button = QPushButton()
        self.denominator_button = QPushButton()
        self._part_buttons = QButtonGroup(self)
        for i, button in enumerate((self.numerator_button, self.denominator_button)):
            button.setCheckable(True)
            self._part_buttons.addButton(button, i)
        self.numerator_button.setChecked(True)
        self._part_buttons.idClicked.connect(lambda _id: self._load_records())
        self.tables: dict[RecordKind, RecordTable] = {}
        self.models: dict[RecordKind, RowTableModel[Any]] = {}
        self._table_stack = QStackedWidget()
        for kind in RecordKind:
            model: RowTableModel[Any] = RowTableModel(counted_columns(kind, self._ctx.fmt), self)
            proxy = RowSortFilterProxy(self)
            proxy.setSourceModel(model)
            table = RecordTable(proxy)
            # Newest first (accounts by name), and the header says so.
            column, order = RECORD_ORDER[kind]
            table.sortByColumn(column, order)
            table.sig_row_activated.connect(lambda row, k=kind: self._on_record_activated(k, row))
            self.models[kind], self.tables[kind] = model, table
            self._table_stack.addWidget(table)
        self.no_record = EmptyState(_("<p>Nothing was counted in this period.</p>"))
        self._table_stack.addWidget(self.no_record)
        switch = QHBoxLayout()
        switch.addWidget(self.numerator_button)
        switch.addWidget(self.denominator_button)
        switch.addStretch(1)
        self.exporter = Exporter(self._ctx, self, "records", self._counted_sheet,
                                 self._period_label)  # fmt: skip
        self.export_button = export_button(self.exporter)
        self.export_button.setToolTip(_("Save the records this indicator counted as a file"))
        switch.addWidget(self.export_button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.records_caption)
        layout.addLayout(switch)
        layout.addWidget(self._table_stack, 1)
        return tab

    # -- showing an indicator -----------------------------------------------------------------

    @property
    def result(self) -> KpiResult | None:
        return self.report[self.key] if self.report is not None and self.key else None

    def show_kpi(self, report: KpiReport, key: str) -> None:
        """Show ``key`` from ``report``; the chart, records and objectives follow."""
        changed_key = key != self.key
        self.report, self.key = report, key
        result = report[key]
        d = result.definition
        display = KpiDisplay(self._ctx.fmt, report.currency)
        self.title.setText(kpi_text(d.label))
        self.value_line.setText(self._value_text(result, report, display))
        self.about.setText(self._about_html(result, report, display))
        parts = RATE_PARTS.get(key)
        self._has_parts = parts is not None
        self.numerator_button.setVisible(self._has_parts)
        self.denominator_button.setVisible(self._has_parts)
        if parts is not None:
            rate = result.current.rate
            n, m = (rate.numerator, rate.denominator) if rate else (0, 0)
            self.numerator_button.setText(f"{_(parts[0])} ({n})")
            self.denominator_button.setText(f"{_(parts[1])} ({m})")
        if changed_key:
            self.numerator_button.setChecked(True)
            self._install_objective_form(result, display)
        self._load_records()
        self._load_history()
        self._load_objectives()

    def _value_text(self, result: KpiResult, report: KpiReport, display: KpiDisplay) -> str:
        d = result.definition
        parts = [f"{period_name(report.period)}: {display.value(d, result.value)}"]
        if d.is_rate and result.current.rate is not None:
            parts.append(display.fraction(result.current.rate))
            if display.interval(result.current.rate):
                parts.append(display.interval(result.current.rate))
        if display.coverage(result.current):
            parts.append(display.coverage(result.current))
        if report.is_partial:
            parts.append(_("so far"))
        return " · ".join(parts)

    def _about_html(self, result: KpiResult, report: KpiReport, display: KpiDisplay) -> str:
        d = result.definition

        def para(caption: str, text: str) -> str:
            return f"<p><b>{html.escape(caption)}</b> {html.escape(kpi_text(text))}</p>"

        chunks = [
            f"<p>{html.escape(kpi_text(d.definition))}</p>",
            para(_("Formula:"), d.formula),
            para(_("What moves it:"), d.levers),
        ]
        if d.note:
            muted = colour("muted").name()  # the theme's quiet text: readable light or dark
            chunks.append(f"<p style='color:{muted}'>{html.escape(kpi_text(d.note))}</p>")
        if d.is_rate and result.current.low_confidence:
            chunks.append(
                "<p>"
                + html.escape(
                    _(
                        "Fewer than 10 cases: a hint rather than a measure, so no trend arrow "
                        "is drawn. The interval shows how far the true rate may be."
                    )
                )
                + "</p>"
            )
        compared = [
            display.comparison(d, result.previous, report.previous_period),
            display.comparison(d, result.year_ago, report.year_ago_period),
        ]
        # Outside the f-string: the catalogue's extraction does not look inside one.
        caption = _("Compared with:")
        chunks.append(f"<p><b>{html.escape(caption)}</b> {html.escape(' · '.join(compared))}</p>")
        return "".join(chunks)

    def _install_objective_form(self, result: KpiResult, display: KpiDisplay) -> None:
        layout = self._objective_host.layout()
        if self.objective_form is not None:
            layout.removeWidget(self.objective_form)
            self.objective_form.deleteLater()
        form = ObjectiveForm(result.definition, display)
        assert self.report is not None
        form.select_kind(self.report.period.kind)
        form.sig_save_requested.connect(self._on_objective_save_requested)
        form.sig_clear_requested.connect(self._on_objective_clear_requested)
        layout.addWidget(form)
        self.objective_form = form

    def _on_tabs_current_changed(self, index: int) -> None:
        self.chart_area.setVisible(index != RECORDS_TAB)

    def close_panel(self) -> None:
        self.hide()
        self.sig_closed.emit()

    # -- background loads ---------------------------------------------------------------------

    def records_kind(self) -> RecordKind:
        result = self.result
        assert result is not None
        d = result.definition
        if self._has_parts and self._part_buttons.checkedId() == 1:
            return d.denominator_records or d.records
        return d.records

    def counted_ids(self) -> tuple[str, ...]:
        result = self.result
        assert result is not None
        if self._has_parts and self._part_buttons.checkedId() == 1:
            return result.current.denominator_ids
        return result.current.ids

    def _counted_sheet(self) -> Callable[[], Sheet]:
        """The records shown (numerator or denominator), as a sheet built on a worker thread."""
        build = {RecordKind.ACTIVITY: sheets.journal_sheet, RecordKind.OFFER: sheets.pipeline_sheet,
                 RecordKind.ACCOUNT: sheets.accounts_sheet}[self.records_kind()]  # fmt: skip
        workspace, ids = self._ctx.workspace, self.counted_ids()
        self.exporter.what = f"{self.key}-records"
        return lambda: build(workspace, ids)

    def _period_label(self) -> str | None:
        period = self.report.period if self.report is not None else None
        return f"{period.kind}-{period.first_day.isoformat()}" if period is not None else None

    def _load_records(self) -> None:
        kind, ids = self.records_kind(), self.counted_ids()
        workspace = self._ctx.workspace
        self.records_caption.setText(self._records_caption(kind, len(ids)))
        self._ctx.tasks.run(
            lambda: (kind, load_counted(workspace, kind, ids)),
            self._on_records_loaded,
            key="kpi-detail-records",
        )

    def _records_caption(self, kind: RecordKind, n: int) -> str:
        texts = {
            RecordKind.ACTIVITY: ngettext(
                "{n} activity counted. Enter opens it.",
                "{n} activities counted. Enter opens one.",
                n,
            ),
            RecordKind.OFFER: ngettext(
                "{n} offer counted. Enter opens it.", "{n} offers counted. Enter opens one.", n
            ),
            RecordKind.ACCOUNT: ngettext(
                "{n} account counted. Enter opens it.", "{n} accounts counted. Enter opens one.", n
            ),
        }
        return texts[kind].format(n=self._ctx.fmt.number(n))

    def _on_records_loaded(self, loaded: tuple[RecordKind, list[Any]]) -> None:
        kind, rows = loaded
        self.models[kind].set_rows(rows)
        if kind is RecordKind.ACTIVITY:  # what the counted calls and visits came to
            counts = outcome_counts(row.outcome for row in rows)
            if counts:
                caption = self._records_caption(kind, len(rows))
                outcomes = " · ".join(
                    f"{outcome_label(o)} {self._ctx.fmt.number(n)}" for o, n in counts
                )
                self.records_caption.setText(
                    _("{caption} Outcomes: {outcomes}.").format(caption=caption, outcomes=outcomes)
                )
        self._table_stack.setCurrentWidget(self.tables[kind] if rows else self.no_record)

    def _load_history(self) -> None:
        assert self.report is not None and self.key is not None
        key, period, kpis = self.key, self.report.period, self._kpis

        def load() -> Any:
            # The chart module pulls in pyqtgraph and NumPy: imported here, off the GUI thread.
            importlib.import_module(CHART_MODULE)
            return key, kpis.history(key, period, HISTORY_LENGTH)

        self._ctx.tasks.run(load, self._on_history_loaded, key="kpi-detail-history")

    def _on_history_loaded(self, loaded: tuple[str, list[Any]]) -> None:
        key, points = loaded
        result = self.result
        if key != self.key or result is None:
            return
        if self.chart is None:
            chart_module = importlib.import_module(CHART_MODULE)
            self.chart = chart_module.KpiChart()
            self._chart_box.replaceWidget(self.chart_placeholder, self.chart)
            self.chart_placeholder.hide()
            # Building the first chart and drawing it are each a long moment on the GUI
            # thread: in two turns of the event loop, the window answers in between.
            QTimer.singleShot(0, self, lambda: self._on_history_loaded(loaded))
            return
        objective = result.objective
        self.chart.show_history(
            result.definition,
            points,
            currency_symbol(self.report.currency if self.report else "EUR"),
            objective.target if objective is not None else None,
        )

    def _load_objectives(self) -> None:
        self._ctx.tasks.run(
            self._objectives.list, self._on_objectives_loaded, key="kpi-detail-objectives"
        )

    def _on_objectives_loaded(self, rows: list[Any]) -> None:
        if self.objective_form is not None:
            self.objective_form.set_objectives(rows)

    # -- actions ------------------------------------------------------------------------------

    def _on_record_activated(self, kind: RecordKind, row: Any) -> None:
        if kind is RecordKind.ACTIVITY:
            self._actions.edit_activity(row.id)
        elif kind is RecordKind.OFFER:
            self._actions.edit_offer(row.id)
        else:
            self.sig_open_account_requested.emit(row.id)

    def _on_objective_save_requested(self, kind: Any, target: float) -> None:
        key, form = self.key, self.objective_form
        assert key is not None and form is not None
        notifier = self._ctx.notifier
        # A quick indexed write on the GUI thread, so a refusal shows in the form at once.
        try:
            before = self._objectives.find(key, kind)
            written = self._objectives.set_target(key, kind, target)
        except InvalidInputError as exc:
            form.errors.show(exc.problems)
            return
        except Exception as exc:
            notifier.error(plain_words(exc))
            return
        form.errors.clear()
        self._ctx.events.announce(written.changes)

        def undo() -> None:
            if before is None:
                taken_back = self._objectives.clear(key, kind)
            else:
                taken_back = self._objectives.set_target(key, kind, before.target)
            self._ctx.events.announce(taken_back.changes)

        notifier.notify(_("Objective saved."), undo)

    def _on_objective_clear_requested(self, kind: Any) -> None:
        key = self.key
        assert key is not None
        try:
            before = self._objectives.find(key, kind)
            removed = self._objectives.clear(key, kind)
        except Exception as exc:
            self._ctx.notifier.error(plain_words(exc))
            return
        if not removed or before is None:
            return
        self._ctx.events.announce(removed.changes)

        def undo() -> None:
            self._ctx.events.announce(self._objectives.set_target(key, kind, before.target).changes)

        self._ctx.notifier.notify(_("Objective removed."), undo)
