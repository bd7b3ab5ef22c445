"""My indicators: the rep's own numbers for a period, explained, with the records behind them.

The report is computed on a worker thread (latest request wins); tiles are built once and updated
in place, so a refresh after a change never flickers. Tiles are grouped as KPIS.md groups them,
or through the article's two lenses, prospecting and closing.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.changes import Changes, View
from kpidesk.domain.i18n import N_
from kpidesk.domain.kpis import (
    CATALOGUE,
    GROUP_LABELS,
    LENS_LABELS,
    LENSES,
    Funnel,
    KpiGroup,
    KpiReport,
    Lens,
    build_funnel,
    definition,
)
from kpidesk.domain.periods import CALENDAR_KINDS, ROLLING_DAYS, Period
from kpidesk.presentation import _, ngettext
from kpidesk.presentation.kpis import KpiDisplay, kpi_text
from kpidesk.presentation.periods import period_name, same_period
from kpidesk.services.exporting.sheets import kpi_sheet
from kpidesk.services.exporting.writers import Sheet
from kpidesk.services.kpis import ACTIVITY_KEYS, KpiService, ObjectiveStanding
from kpidesk.services.objectives import ObjectiveService
from kpidesk.ui.actions import RecordActions
from kpidesk.ui.context import UiContext
from kpidesk.ui.errors import plain_words
from kpidesk.ui.exporting import Exporter, export_button
from kpidesk.ui.pages.kpi_detail import KpiDetailPanel
from kpidesk.ui.widgets.common import header_row
from kpidesk.ui.widgets.kpi_funnel import FunnelView
from kpidesk.ui.widgets.kpi_tile import KpiTile
from kpidesk.ui.widgets.objectives_overview import ObjectivesOverview
from kpidesk.ui.widgets.period_selector import PeriodSelector
from kpidesk.ui.widgets.reflow_row import ReflowRow
from kpidesk.ui.widgets.tile_board import TileBoard

ALL = "all"
OBJECTIVES = "objectives"
VIEW_LABELS = {
    ALL: N_("All"),
    Lens.PROSPECTING: LENS_LABELS[Lens.PROSPECTING],  # marked with N_ in the catalogue
    Lens.CLOSING: LENS_LABELS[Lens.CLOSING],
    OBJECTIVES: N_("My objectives"),
}


def _view_label(view: str) -> str:
    if view in (ALL, OBJECTIVES):
        return _(VIEW_LABELS[view])
    return kpi_text(VIEW_LABELS[view])


class IndicatorsPage(QWidget):
    """Signals:
    sig_open_account_requested: show an account the rep opened from a detail (its id).
    sig_report_shown: a report reached the tiles (the KpiReport), for tests and benchmarks.
    """

    sig_open_account_requested = Signal(str)
    sig_report_shown = Signal(object)

    def __init__(
        self,
        ctx: UiContext,
        kpis: KpiService,
        objectives: ObjectiveService,
        actions: RecordActions,
    ) -> None:
        super().__init__()
        self._ctx = ctx
        self._kpis = kpis
        self.report: KpiReport | None = None
        self._detail_wanted: str | None = None  # asked for before the first report arrived
        self._stale = True  # the data changed since the last report (or there is none yet)
        self._follows_now = True  # the rep has not navigated away from the running period
        # The running period the page opened on, when it showed the one just ended instead
        # because nothing was logged in it yet (the 1st of the month); None otherwise.
        self._fell_back_from: Period | None = None
        self._may_fall_back = True  # the next report may fall back (the page chose the period)
        self.selector = PeriodSelector(kpis.period, kpis.custom_period)
        self.selector.install_shortcuts(self)
        self.comparison = QLabel(_("Computing…"))
        self.comparison.setObjectName("hint")
        self.comparison.setWordWrap(True)  # two lines on a narrow window, not cut at the edge
        self.empty_hint = QLabel(
            _(
                "Nothing logged in this period yet. Your indicators fill up as you log visits, "
                "calls and offers (Ctrl+L): each one is computed from what you enter, and only "
                "you see it here."
            )
        )
        self.empty_hint.setObjectName("emptyHint")
        # The page opened on the period just ended: why, and the one key back to the running one.
        self.fallback_hint = QLabel()
        self.fallback_hint.setObjectName("emptyHint")
        self.fallback_hint.setWordWrap(True)
        self.fallback_hint.hide()
        self.empty_hint.setWordWrap(True)
        self.empty_hint.hide()
        self.funnel = FunnelView(ctx.fmt)
        self.view_buttons = QButtonGroup(self)
        views_row = QHBoxLayout()
        views_row.setSpacing(0)
        for i, view in enumerate(VIEW_LABELS):
            button = QToolButton()
            button.setObjectName("lensButton")
            button.setText(_view_label(view))
            button.setCheckable(True)
            button.setChecked(i == 0)
            self.view_buttons.addButton(button, i)
            views_row.addWidget(button)
        self.boards: dict[str, TileBoard] = {
            ALL: self._board_by_groups(),
            Lens.PROSPECTING: self._board_for_lens(Lens.PROSPECTING),
            Lens.CLOSING: self._board_for_lens(Lens.CLOSING),
        }
        self.views = QStackedWidget()
        for board in self.boards.values():
            self.views.addWidget(board)
            board.sig_tile_activated.connect(self._on_board_tile_activated)
        # All targets (month, quarter, year) and their pace, whatever the period on screen.
        self.objectives = ObjectivesOverview()
        self.views.addWidget(self.objectives)
        self.objectives.sig_kpi_requested.connect(self.open_detail)
        self.detail = KpiDetailPanel(ctx, kpis, objectives, actions)
        self.detail.hide()
        # Esc closes the detail wherever focus is on the page (a tile, the panel, the period
        # selector). The shortcut lives on the page, not the panel, so a focused tile reaches
        # it; it is enabled only while the panel is open, so Esc means nothing else meanwhile.
        self.close_detail_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.close_detail_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.close_detail_shortcut.setEnabled(False)
        self.close_detail_shortcut.activated.connect(self.detail.close_panel)
        self.detail.installEventFilter(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.views)
        self.splitter.addWidget(self.detail)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self._opened_from: KpiTile | None = None

        views = QWidget()
        views.setLayout(views_row)
        views_row.setContentsMargins(0, 0, 0, 0)
        # Side by side on a wide window; on a narrow one (below about 1000 px, or sooner with a
        # custom period's two dates) what does not fit goes to the next line.
        self.controls = ReflowRow(self.selector, self.selector.custom_days, views)
        layout = QVBoxLayout(self)
        self.report_button = QPushButton(_("Review report (PDF)"))
        self.report_button.setToolTip(
            _("Save this period's indicators, charts and offers as a PDF for your review")
        )
        self.report_button.clicked.connect(self._on_report_button_clicked)
        self.exporter = Exporter(ctx, self, "kpi", self._report_sheet, self._period_label)
        self.export_button = export_button(self.exporter)
        self.export_button.setToolTip(_("Save this period's indicators as an Excel or CSV file"))
        layout.addLayout(header_row(_("My indicators"), self.export_button, self.report_button))
        layout.addLayout(self.controls)
        layout.addWidget(self.comparison)
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.fallback_hint)
        layout.addWidget(self.funnel)
        layout.addWidget(self.splitter, 1)
        # The custom dates joined the page's layout after the selector: Tab still goes from the
        # period's arrows to the dates, then to the views.
        chain = [self.selector.next_button, self.selector.first_day, self.selector.last_day]
        chain.append(self.view_buttons.button(0))
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)
        self.setFocusProxy(self.boards[ALL].tiles()[0])

        self.selector.sig_period_changed.connect(self._on_selector_period_changed)
        self.view_buttons.idClicked.connect(self._on_view_buttons_clicked)
        self.funnel.sig_stage_activated.connect(self.open_detail)
        self.detail.sig_closed.connect(self._on_detail_closed)
        self.detail.sig_open_account_requested.connect(self.sig_open_account_requested)
        ctx.events.sig_changed.connect(self._on_data_changed)

    # -- building -----------------------------------------------------------------------------

    @staticmethod
    def _board_by_groups() -> TileBoard:
        board = TileBoard()
        for group in KpiGroup:
            tiles = [KpiTile(d) for d in CATALOGUE if d.group is group]
            board.add_section(kpi_text(GROUP_LABELS[group]), tiles)
        return board

    @staticmethod
    def _board_for_lens(lens: Lens) -> TileBoard:
        board = TileBoard()
        tiles = [KpiTile(definition(item.key), item.part) for item in LENSES[lens]]
        board.add_section(kpi_text(LENS_LABELS[lens]), tiles)
        return board

    def current_board(self) -> TileBoard:
        """The tiles on screen (the All board while the objectives overview is shown)."""
        board = self.views.currentWidget()
        return board if isinstance(board, TileBoard) else self.boards[ALL]

    def tile(self, key: str) -> KpiTile | None:
        """The tile of ``key`` in the view on screen."""
        return self.current_board().tile(key)

    # -- loading ------------------------------------------------------------------------------

    @property
    def period(self) -> Period:
        return self.selector.period

    def on_shown(self) -> None:
        if self._follows_now and (
            self.period.kind in CALENDAR_KINDS or self.period.kind in ROLLING_DAYS
        ):
            current = self._kpis.period(self.period.kind)
            # The day (month...) turned while the app was open.
            if current not in (self.period, self._fell_back_from):
                self._fell_back_from = None
                self._may_fall_back = True
                self.selector.set_period(current)
                return
        if self._stale:
            self.reload()

    def show_period(self, period: Period) -> None:
        """Show ``period`` (the selector follows)."""
        self.selector.set_period(period)

    def _report_sheet(self) -> Callable[[], Sheet]:
        """The indicators of the period shown, computed on a worker thread."""
        kpis, period = self._kpis, self.period
        return lambda: kpi_sheet(kpis.compute(period))

    def _period_label(self) -> str:
        return f"{self.period.kind}-{self.period.first_day.isoformat()}"

    def ask_report_path(self) -> Path | None:
        """Where to save the review report; tests replace this to skip the native dialog."""
        chosen, _chosen_filter = QFileDialog.getSaveFileName(
            self, _("Review report (PDF)"), str(Path.home() / "kpidesk-review.pdf"),
            _("PDF files (*.pdf)"),
        )  # fmt: skip
        return Path(chosen) if chosen else None

    def _on_report_button_clicked(self) -> None:
        path = self.ask_report_path()
        if path is None:
            return
        # The PDF writer and the review's content load when a report is asked for, not with
        # the page.
        from kpidesk.services.report import build_review
        from kpidesk.ui.report import write_review_pdf

        workspace, period, fmt = self._ctx.workspace, self.period, self._ctx.fmt

        def build_and_write() -> int:  # off the GUI thread: SQL, then painting into a PDF file
            return write_review_pdf(build_review(workspace, period), path, fmt)

        def written(pages: int) -> None:
            self._ctx.notifier.notify(
                ngettext("Review report saved to {path} ({n} page).",
                         "Review report saved to {path} ({n} pages).", pages
                         ).format(path=path, n=pages)
            )  # fmt: skip

        def failed(exc: BaseException) -> None:
            self._ctx.notifier.error(
                _("Could not save {path}: {reason}").format(path=path, reason=plain_words(exc))
            )

        self._ctx.tasks.run(build_and_write, written, failed, key="review-report")

    def reload(self) -> None:
        kpis = self._kpis
        period = self._fell_back_from or self.period
        may_fall_back = self._may_fall_back or self._fell_back_from is not None
        self._may_fall_back = False

        def compute() -> tuple[KpiReport, Funnel, list[ObjectiveStanding]]:
            shown = kpis.opening_period(period) if may_fall_back else period
            report = kpis.compute(shown)
            funnel_keys = ("visits", "offers_sent", "conversion")
            funnel = build_funnel(shown, {k: report[k].current for k in funnel_keys})
            return report, funnel, kpis.objectives_overview()

        self._stale = False
        self._ctx.tasks.run(compute, self._on_report_loaded, self._on_report_failed, key="kpis")

    def _on_report_loaded(self, loaded: tuple[KpiReport, Funnel, list[ObjectiveStanding]]) -> None:
        report, funnel, standings = loaded
        self.report = report
        self._show_fallback(report.period)
        display = KpiDisplay(self._ctx.fmt, report.currency)
        for board in self.boards.values():
            for tile in board.tiles():
                tile.show_result(report[tile.key], report, display)
        self.funnel.show_funnel(funnel)
        self.objectives.show_standings(standings, display)
        if same_period(report.previous_period, report.year_ago_period):
            comparison = _("Arrows compare with {previous}; hover a tile for the details.")
        else:
            comparison = _(
                "Arrows compare with {previous}; hover a tile for {year_ago} and the details."
            )
        self.comparison.setText(
            comparison.format(
                previous=period_name(report.previous_period),
                year_ago=period_name(report.year_ago_period),
            )
        )
        self.empty_hint.setVisible(not any(report[k].value for k in ACTIVITY_KEYS))
        if self._detail_wanted is not None:
            self.open_detail(self._detail_wanted)
        elif self.detail.isVisible() and self.detail.key is not None:
            self.detail.show_kpi(report, self.detail.key)
        self.sig_report_shown.emit(report)

    def _show_fallback(self, shown: Period) -> None:
        """Say why the page shows the period just ended rather than the running one."""
        if shown != self.period:  # the page fell back (or came back) on its own
            if self.selector.is_running():
                self._fell_back_from = self.period
            else:
                self._fell_back_from = None  # something was logged: back to the running period
            self.selector.show_quietly(shown)
        if self._fell_back_from is None:
            self.fallback_hint.hide()
            return
        self.fallback_hint.setText(
            _(
                "Nothing logged yet in {running}: here is {shown}, just ended. "
                "Alt+Home shows {running}."
            ).format(running=period_name(self._fell_back_from), shown=period_name(shown))
        )
        self.fallback_hint.show()

    def _on_report_failed(self, error: BaseException) -> None:
        self._stale = True
        self.comparison.setText(plain_words(error))

    def _on_data_changed(self, changes: Changes) -> None:
        if not changes.affects(View.INDICATORS):
            return
        self._stale = True
        if self.isVisible():
            self.reload()  # otherwise at the next on_shown: hidden pages compute nothing

    def _on_selector_period_changed(self, period: Period) -> None:
        self._follows_now = self.selector.is_running()
        self._fell_back_from = None  # the rep chose: the page shows what was chosen
        self.reload()

    # -- views and detail ---------------------------------------------------------------------

    def _on_view_buttons_clicked(self, index: int) -> None:
        self.views.setCurrentIndex(index)
        if self.views.currentWidget() is self.objectives:
            self.setFocusProxy(None)
            self.objectives.focus_first()
            return
        first = self.current_board().tiles()[0]
        self.setFocusProxy(first)
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_board_tile_activated(self, key: str, tile: KpiTile) -> None:
        self._opened_from = tile
        self.open_detail(key)

    def open_detail(self, key: str) -> None:
        """Open the detail of ``key`` beside the tiles (as soon as a report is there)."""
        if self.report is None:
            self._detail_wanted = key
            return
        self._detail_wanted = None
        self.detail.show_kpi(self.report, key)
        if not self.detail.isVisible():
            self.detail.show()
            width = self.splitter.width()
            self.splitter.setSizes([width * 11 // 20, width * 9 // 20])
        self.detail.tabs.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.detail and event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            self.close_detail_shortcut.setEnabled(event.type() == QEvent.Type.Show)
        return super().eventFilter(watched, event)

    def _on_detail_closed(self) -> None:
        tile = self._opened_from or self.tile(self.detail.key or "")
        if tile is not None and tile.isVisible():
            tile.setFocus(Qt.FocusReason.OtherFocusReason)
