"""One rep's pipeline quality, as their manager sees it: the figures, the open offers with
their age and last follow-up, the hot prospects, the objectives. The team page shows it for
the selected rep, and "What my manager sees" shows the rep's own: one widget, one value.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.coaching import HotProspectLine, OpenOfferLine, RepQuality
from kpidesk.presentation import _, pgettext
from kpidesk.presentation.coaching import CoachingWords, QualityLine
from kpidesk.ui.models.table import Column, RowSortFilterProxy, RowTableModel
from kpidesk.ui.theme import colour
from kpidesk.ui.widgets.common import EmptyState, RecordTable


def offer_columns(words: CoachingWords) -> list[Column[OpenOfferLine]]:
    fmt = words.fmt
    return [
        Column(lambda: _("Account"), lambda o: o.account_name, width_chars=24),
        Column(lambda: _("Offer"), lambda o: o.label, width_chars=12),
        Column(lambda: _("Amount"), lambda o: words.money(o.amount_cents),
               lambda o: o.amount_cents, align_right=True, width_chars=10),
        Column(lambda: _("Weighted"), lambda o: words.money(o.weighted_cents),
               lambda o: o.weighted_cents, align_right=True, width_chars=10),
        Column(lambda: _("Age"), lambda o: _("{n} d").format(n=o.age_days),
               lambda o: o.age_days, align_right=True, width_chars=6,
               foreground=lambda o: colour("warm_fg") if o.stale else None,
               tooltip=lambda o: _stale_tip() if o.stale else None),
        Column(lambda: _("Next step"),
               lambda o: fmt.date(o.next_step_at) if o.next_step_at else _("none planned"),
               lambda o: o.next_step_at, width_chars=12),
        Column(lambda: _("Last follow-up"),
               lambda o: fmt.date(o.last_follow_up_at) if o.last_follow_up_at else _no_follow_up(),
               lambda o: o.last_follow_up_at, width_chars=12),
    ]  # fmt: skip


def _no_follow_up() -> str:
    return pgettext("follow-up", "none")


def _stale_tip() -> str:
    return _("Stale: no activity for more than 14 days")


def hot_columns(words: CoachingWords) -> list[Column[HotProspectLine]]:
    fmt = words.fmt
    return [
        Column(lambda: _("Account"), lambda h: h.name, width_chars=24),
        Column(lambda: _("City"), lambda h: h.city or "", width_chars=12),
        Column(lambda: _("Last contact"),
               lambda h: fmt.date(h.last_activity_at) if h.last_activity_at else _("none"),
               lambda h: h.last_activity_at, width_chars=12),
        Column(lambda: _("Next step"),
               lambda h: fmt.date(h.next_step_at) if h.next_step_at else _("none planned"),
               lambda h: h.next_step_at, width_chars=12),
    ]  # fmt: skip


class FigureGrid(QWidget):
    """Lines of label, value and what the value is made of."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(16)
        self._grid.setColumnStretch(0, 1)
        self._grid.setColumnStretch(1, 1)
        self._grid.setVerticalSpacing(2)
        self.values: dict[str, QLabel] = {}  # by line key (tests read them)

    def set_lines(self, lines: list[QualityLine]) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()  # at once: deleteLater waits for the event loop
                item.widget().deleteLater()
        self.values = {}
        for row in range(self._grid.rowCount()):  # a grid keeps its rows' stretch: reset it
            self._grid.setRowStretch(row, 0)
        for row, line in enumerate(lines):
            name = QLabel(line.label)
            # A value of several parts ("Hot 67 % (2 / 3) · Warm …") shows one per line.
            value = QLabel(line.value.replace(" · ", "\n"))
            value.setObjectName("figureValue")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)  # "Hot 67 % (2 / 3) · Warm …" wraps in a narrow window
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            # What the value is made of, under its name: narrow windows wrap it, never cut it.
            detail = QLabel(line.detail)
            detail.setObjectName("hint")
            detail.setWordWrap(True)
            detail.setVisible(bool(line.detail))
            self._grid.addWidget(name, 2 * row, 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(value, 2 * row, 1)
            self._grid.addWidget(detail, 2 * row + 1, 0, 1, 2)
            self.values[line.key] = value
        self._grid.setRowStretch(2 * len(lines), 1)


class RepQualityView(QWidget):
    """Signals:
    sig_offer_requested: the rep (or manager) opened an offer of the lists (its id).
    sig_account_requested: they opened a hot prospect (its account id).
    """

    sig_offer_requested = Signal(str)
    sig_account_requested = Signal(str)

    def __init__(self, words: CoachingWords, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words = words
        self.rep: RepQuality | None = None
        self.figures = FigureGrid()
        self.objectives = FigureGrid()
        self.offers_model: RowTableModel[OpenOfferLine] = RowTableModel(offer_columns(words), self)
        self.offers = self._table(self.offers_model)
        self.offers.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # by age: oldest first
        self.hot_model: RowTableModel[HotProspectLine] = RowTableModel(hot_columns(words), self)
        self.hot = self._table(self.hot_model)
        self.hot.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.no_objective = EmptyState(_("No objective for this period."))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.offers, _("Open offers"))
        self.tabs.addTab(self.hot, _("Hot prospects"))
        objectives = QWidget()
        objectives_layout = QVBoxLayout(objectives)
        objectives_layout.addWidget(self.objectives)
        objectives_layout.addWidget(self.no_objective)
        objectives_layout.addStretch(1)
        self.tabs.addTab(objectives, _("Objectives"))
        # Side by side: the figures keep their lines readable at 1366×768, the lists their rows.
        figures = QScrollArea()
        figures.setWidgetResizable(True)
        figures.setFrameShape(QFrame.Shape.NoFrame)
        figures.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        figures.setWidget(self.figures)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(figures, 2)
        layout.addWidget(self.tabs, 3)
        self.offers.sig_row_activated.connect(lambda o: self.sig_offer_requested.emit(o.offer_id))
        self.hot.sig_row_activated.connect(lambda h: self.sig_account_requested.emit(h.account_id))

    def _table(self, model: RowTableModel) -> RecordTable:  # type: ignore[type-arg]
        proxy = RowSortFilterProxy(self)
        proxy.setSourceModel(model)
        return RecordTable(proxy)

    def show_rep(self, rep: RepQuality | None) -> None:
        self.rep = rep
        words = self._words
        self.figures.set_lines(words.lines(rep) if rep else [])
        objective_lines = words.objective_lines(rep) if rep else []
        self.objectives.set_lines(objective_lines)
        self.no_objective.setVisible(not objective_lines)
        self.offers_model.set_rows(rep.open_offers if rep else ())
        self.hot_model.set_rows(rep.hot_list if rep else ())
        for table in (self.offers, self.hot):
            table.resizeColumnsToContents()
            # A long account name must not push the next step out of sight.
            table.setColumnWidth(
                0, min(table.columnWidth(0), table.fontMetrics().averageCharWidth() * 26)
            )
        self.tabs.setTabText(0, _("Open offers ({n})").format(n=len(rep.open_offers) if rep else 0))
        self.tabs.setTabText(1, _("Hot prospects ({n})").format(n=len(rep.hot_list) if rep else 0))
