"""One indicator as a tile: its value, what it is made of, how it moved, and the rep's target.

A tile is focusable: Tab and the arrow keys reach it, Enter (or a click) opens its detail.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from kpidesk.domain.i18n import N_
from kpidesk.domain.kpis import (
    KpiDefinition,
    KpiReport,
    KpiResult,
    KpiValue,
    Pace,
    Trend,
    compare,
)
from kpidesk.presentation import DASH, _
from kpidesk.presentation.kpis import KpiDisplay, kpi_text

PART_LABELS = {
    ("visits", "prospecting"): N_("Prospecting visits"),
}

# Arrow keys -> (dx, dy) for the board's spatial navigation.
MOVES = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _part_value(value: KpiValue, part: str | None) -> KpiValue:
    """The value of one part of an indicator (the visits' prospecting split) as a value."""
    if part is None:
        return value
    return KpiValue(value.key, value.part(part).value, value.part(part).ids)


class KpiTile(QFrame):
    """Signals:
    sig_activated: the rep opened the tile (Enter, Space or a click): the indicator's key.
    sig_move_requested: an arrow key: (tile, dx, dy), for the board to move the focus.
    """

    sig_activated = Signal(str)
    sig_move_requested = Signal(object, int, int)

    def __init__(
        self, definition: KpiDefinition, part: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.definition = definition
        self.part = part
        self.result: KpiResult | None = None
        self.setObjectName("kpiTile")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.title = QLabel(self._title_text())
        self.title.setObjectName("kpiTitle")
        self.title.setWordWrap(True)
        # "so far" sits beside the title: appended to the big value it would be clipped.
        self.so_far_label = QLabel(_("so far"))
        self.so_far_label.setObjectName("kpiSoFar")
        self.value_label = QLabel(DASH)
        self.value_label.setObjectName("kpiValue")
        # Rates: "7 / 12", and the low-confidence mark; margins: "on 12 of 40 offers won".
        self.fraction_label = QLabel()
        self.fraction_label.setObjectName("kpiFraction")
        self.shows_fraction = definition.is_rate and part is None
        # A margin's line only when some margin is unknown: an empty line would gap the tile.
        self.shows_coverage = definition.on_known_values and part is None
        self.trend_label = QLabel()
        self.trend_label.setObjectName("kpiTrend")
        # An empty trend keeps its line, so tiles do not jump when an arrow comes and goes.
        self.trend_label.setMinimumHeight(self.trend_label.fontMetrics().height())
        self.progress = QProgressBar()
        self.progress.setObjectName("kpiProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(6)
        self.pace_label = QLabel()
        self.pace_label.setObjectName("kpiPace")
        self.pace_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(3)
        title_row = QHBoxLayout()
        title_row.setSpacing(6)
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.so_far_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(title_row)
        layout.addWidget(self.value_label)
        layout.addWidget(self.fraction_label)
        layout.addWidget(self.trend_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.pace_label)
        layout.addStretch(1)
        # Only once in the layout: showing a parentless widget would open it as a window.
        self.fraction_label.setVisible(self.shows_fraction)
        self.so_far_label.hide()
        self._show_objective(False)

    @property
    def key(self) -> str:
        return self.definition.key

    def _title_text(self) -> str:
        part_label = PART_LABELS.get((self.key, self.part or ""))
        if part_label is not None:
            return _(part_label)
        return kpi_text(self.definition.label)

    # -- content ------------------------------------------------------------------------------

    def show_result(self, result: KpiResult, report: KpiReport, display: KpiDisplay) -> None:
        """Show one report's numbers; widgets are updated in place (no flicker on refresh)."""
        self.result = result
        d = self.definition
        current = _part_value(result.current, self.part)
        value_text = display.value(d, current.value)
        self.value_label.setText(value_text)
        so_far = report.is_partial and d.accumulates
        self.so_far_label.setVisible(so_far)
        if so_far:
            value_text += " " + _("so far")
        rate = current.rate
        if self.shows_fraction and rate is not None:
            fraction = display.fraction(rate)
            if rate.low_confidence and rate.denominator:  # 0 / 0 is "—", not "few"
                fraction += " · " + _("few cases")
            self.fraction_label.setText(fraction)
            self.fraction_label.setProperty("lowConfidence", rate.low_confidence)
            _repolish(self.fraction_label)
        elif self.shows_coverage:
            coverage = display.coverage(current)
            self.fraction_label.setText(coverage)
            self.fraction_label.setProperty("lowConfidence", True)  # read with care
            self.fraction_label.setVisible(bool(coverage))
            _repolish(self.fraction_label)
        trend = self._trend(result)
        self.trend_label.setText(display.trend(d, trend) if trend is not None else "")
        self.trend_label.setProperty("state", _state(trend))
        _repolish(self.trend_label)
        objective = result.objective if self.part is None else None
        self._show_objective(objective is not None)
        if objective is not None:
            shown = min(1.0, max(0.0, objective.progress or 0.0))
            self.progress.setValue(round(shown * 1000))
            self.pace_label.setText(display.pace(d, objective))
            meaning = pace_meaning(objective.pace)
            for widget in (self.progress, self.pace_label):
                widget.setProperty("meaning", meaning)
                _repolish(widget)
        self.setToolTip(self._tooltip(result, report, display))
        self.setAccessibleName(f"{self.title.text()}: {value_text}")

    def _trend(self, result: KpiResult) -> Trend | None:
        if self.part is None:
            return result.vs_previous
        return compare(
            self.definition,
            _part_value(result.current, self.part),
            _part_value(result.previous, self.part),
        )

    def _show_objective(self, visible: bool) -> None:
        self.progress.setVisible(visible)
        self.pace_label.setVisible(visible)

    def _tooltip(self, result: KpiResult, report: KpiReport, display: KpiDisplay) -> str:
        d = self.definition
        lines = [f"<b>{kpi_text(d.label)}</b>", kpi_text(d.definition)]
        rate = result.current.rate
        if d.is_rate and self.part is None:
            interval = display.interval(rate)
            if interval:
                lines.append(interval)
            if rate is not None and rate.low_confidence:
                lines.append(
                    _("Fewer than 10 cases: read it as a hint, not a trend (no arrow is drawn).")
                )
        coverage = display.coverage(result.current) if self.part is None else ""
        if coverage:
            lines.append(_("Computed on the offers won with a margin entered: {coverage}.").format(
                coverage=coverage))  # fmt: skip
        previous = _part_value(result.previous, self.part)
        year_ago = _part_value(result.year_ago, self.part)
        lines.append(display.comparison(d, previous, report.previous_period))
        lines.append(display.comparison(d, year_ago, report.year_ago_period))
        year_trend = result.vs_year_ago if self.part is None else None
        if year_trend is not None:
            lines.append(
                _("Against a year ago: {trend}").format(trend=display.trend(d, year_trend))
            )
        # Outside the f-string: the catalogue's extraction does not look inside one.
        enter = _("Enter opens the detail: chart, records, objective.")
        lines.append(f"<i>{enter}</i>")
        return "<br>".join(lines)

    # -- keyboard and mouse -------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.sig_activated.emit(self.key)
            return
        move = MOVES.get(Qt.Key(event.key()))
        if move is not None and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.sig_move_requested.emit(self, *move)
            return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        inside = self.rect().contains(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and inside:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.sig_activated.emit(self.key)
            return
        super().mouseReleaseEvent(event)


def pace_meaning(pace: Pace | None) -> str:
    """The colour of an objective's bar and words: "good" (reached, ahead, on pace), "bad"
    (behind, missed) or "none" (no value yet, too early to judge)."""
    good = None if pace is None else pace.is_good
    return "none" if good is None else ("good" if good else "bad")


def _state(trend: Trend | None) -> str:
    if trend is None:
        return "none"
    if trend.improved is None:
        return "flat"
    return "better" if trend.improved else "worse"
