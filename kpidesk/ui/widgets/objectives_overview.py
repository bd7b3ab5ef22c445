"""My objectives: every target (month, quarter, year) with where the rep stands, on one screen.

One line per objective: the indicator, its running period, the value against the target, a bar
coloured by what the pace means, and the pace in words. Enter (or a click) on a line opens the
indicator's detail, where the target is changed.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kpidesk.presentation import _
from kpidesk.presentation.kpis import KpiDisplay, kpi_text
from kpidesk.presentation.periods import period_name
from kpidesk.services.kpis import ObjectiveStanding
from kpidesk.ui.widgets.common import EmptyState
from kpidesk.ui.widgets.kpi_tile import pace_meaning


class ObjectiveLine:
    """The widgets of one objective's line (kept for tests and in-place updates)."""

    def __init__(self, standing: ObjectiveStanding, display: KpiDisplay) -> None:
        kpi, progress = standing.definition, standing.progress
        self.standing = standing
        self.name = QPushButton(kpi_text(kpi.label))
        self.name.setObjectName("objectiveName")
        self.name.setFlat(True)
        self.name.setAutoDefault(True)  # Enter opens it, as Enter opens a tile
        self.period = QLabel(period_name(standing.period))
        self.period.setObjectName("hint")
        self.value = QLabel(
            _("{value} of {target}").format(
                value=display.value(kpi, standing.value.value),
                target=display.value(kpi, progress.target),
            )
        )
        self.bar = QProgressBar()
        self.bar.setObjectName("kpiProgress")
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.bar.setValue(round(min(1.0, max(0.0, progress.progress or 0.0)) * 1000))
        self.bar.setProperty("meaning", pace_meaning(progress.pace))
        self.pace = QLabel(display.pace(kpi, progress))
        self.pace.setObjectName("kpiPace")
        self.pace.setProperty("meaning", pace_meaning(progress.pace))
        self.pace.setWordWrap(True)

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.name, self.period, self.value, self.bar, self.pace)


class ObjectivesOverview(QScrollArea):
    """Signals:
    sig_kpi_requested: the rep opened an objective's line (the indicator's key).
    """

    sig_kpi_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tileBoard")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.lines: list[ObjectiveLine] = []
        self.empty = EmptyState(
            _(
                "<h3>No objective yet</h3><p>Open an indicator (Enter on its tile) and set "
                "a target for the month, the quarter or the year: every target and its pace "
                "then shows here.</p>"
            )
        )
        self._content = QWidget()
        self._content.setObjectName("tileBoardContent")
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(16)
        self._grid.setVerticalSpacing(8)
        self._grid.setColumnStretch(3, 2)
        self._grid.setColumnStretch(4, 3)
        self._grid.setColumnMinimumWidth(3, 160)
        layout = QVBoxLayout(self._content)
        layout.addWidget(self.empty)
        layout.addLayout(self._grid)
        layout.addStretch(1)
        self.setWidget(self._content)

    def show_standings(self, standings: Sequence[ObjectiveStanding], display: KpiDisplay) -> None:
        for line in self.lines:
            for widget in line.widgets():
                self._grid.removeWidget(widget)
                widget.deleteLater()
        self.lines = [ObjectiveLine(s, display) for s in standings]
        for row, line in enumerate(self.lines):
            for column, widget in enumerate(line.widgets()):
                align = Qt.AlignmentFlag.AlignVCenter
                if column == 0:
                    align |= Qt.AlignmentFlag.AlignLeft
                self._grid.addWidget(widget, row, column, align)
            key = line.standing.definition.key
            line.name.clicked.connect(lambda _checked=False, k=key: self.sig_kpi_requested.emit(k))
        self.empty.setVisible(not self.lines)

    def focus_first(self) -> None:
        if self.lines:
            self.lines[0].name.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.setFocus(Qt.FocusReason.OtherFocusReason)
