"""An indicator over its last periods, drawn with pyqtgraph.

pyqtgraph (and NumPy behind it) take about half a second to import: this module is imported only
when the first chart is needed, on a worker thread (see ``KpiDetailPanel``), never at start-up.
Rates are drawn as a line with their 95 % interval as a band; counts and amounts as bars, the
period on screen highlighted.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QWidget

from kpidesk.domain.kpis import HistoryPoint, KpiDefinition, KpiUnit
from kpidesk.presentation import Formatter, _
from kpidesk.presentation.kpis import PERCENT_UNITS
from kpidesk.presentation.periods import short_period_name
from kpidesk.ui.theme import colour, theme_of


def _band() -> QColor:
    """The interval band: the line's colour, faint."""
    band = colour("chart_line")
    band.setAlpha(45 if not is_dark() else 70)
    return band


def is_dark() -> bool:
    current = theme_of()
    return current is not None and current.is_dark()


def display_scale(definition: KpiDefinition) -> float:
    """Rates in percent, money in currency units (cents are stored)."""
    if definition.unit in PERCENT_UNITS:
        return 100.0
    if definition.unit in (KpiUnit.MONEY, KpiUnit.MONEY_PER_DAY):
        return 0.01
    return 1.0


TICK_GAP_PX = 10  # the least room between two period names on the axis


def labelled_slots(widest_label_px: float, slot_px: float, count: int) -> list[int]:
    """Which bars get their period's name so that no two names touch: every k-th bar, the
    smallest k whose room holds the widest name and a gap, counted back from the last bar (the
    period on screen, always named). French month names are longer ("janv. 26", "févr."), so a
    narrow chart names every second or third month rather than writing "décjanv. 26févr."."""
    if count <= 0:
        return []
    stride = 1
    if slot_px > 0:
        stride = max(1, math.ceil((widest_label_px + TICK_GAP_PX) / slot_px))
    return sorted(range(count - 1, -1, -stride))


def _nan(value: float | None, scale: float) -> float:
    return math.nan if value is None else float(value) * scale


class LocaleAxis(pg.AxisItem):
    """Tick values written the rep's way ("400,000" or "400 000"), not "400000"."""

    def tickStrings(self, values, scale, spacing):
        decimals = 0 if spacing * scale >= 1 else 1
        fmt = Formatter()
        return [fmt.number(float(v * scale), decimals) for v in values]


class KpiChart(pg.PlotWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        # No view-box menu at all (it is disabled below anyway): building it is a good part of
        # the first chart's cost on the GUI thread.
        super().__init__(
            parent,
            background=colour("chart_bg"),
            viewBox=pg.ViewBox(enableMenu=False),
            axisItems={"left": LocaleAxis(orientation="left")},
        )
        self.setObjectName("kpiChart")
        item = self.getPlotItem()
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        item.setMenuEnabled(False)
        item.showGrid(x=False, y=True, alpha=0.15)
        self._paint_axes()
        current = theme_of()
        if current is not None:  # the system went dark (or light): the next draw uses its colours
            current.sig_changed.connect(self._on_theme_changed)
        self.setMinimumHeight(190)
        self.drawn_values: list[float] = []  # what is on screen, in display units (tests read it)
        self._periods: list = []  # the bars' periods, named again when the width changes
        self.tick_names: list[tuple[int, str]] = []  # the names on the axis (tests read them)

    def _paint_axes(self) -> None:
        self.setBackground(colour("chart_bg"))
        for name in ("left", "bottom"):
            axis = self.getPlotItem().getAxis(name)
            axis.setPen(pg.mkPen(colour("chart_axis")))
            axis.setTextPen(pg.mkPen(colour("chart_axis")))

    def _on_theme_changed(self, _name: str) -> None:
        self._paint_axes()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if getattr(self, "_periods", None):  # pyqtgraph resizes once inside its own __init__
            self._name_periods()

    def _name_periods(self) -> None:
        """Names the bars that have room for it (see ``labelled_slots``), at the axis's width."""
        periods = self._periods
        axis = self.getPlotItem().getAxis("bottom")
        metrics = QFontMetricsF(axis.style.get("tickFont") or self.font())
        widest = max((metrics.horizontalAdvance(short_period_name(p)) for p in periods), default=0)
        slot = self.getPlotItem().getViewBox().width() / len(periods) if periods else 0.0
        named = labelled_slots(widest, slot, len(periods))
        # Widths were taken with the year: a January, and the first name, may carry theirs.
        self.tick_names = []
        for x in named:
            with_year = x == named[0] or periods[x].first_day.month == 1
            self.tick_names.append((x, short_period_name(periods[x], with_year=with_year)))
        axis.setTicks([self.tick_names])

    def show_history(
        self,
        definition: KpiDefinition,
        points: Sequence[HistoryPoint],
        currency_symbol: str,
        target: float | None = None,
    ) -> None:
        item = self.getPlotItem()
        item.clear()
        scale = display_scale(definition)
        xs = list(range(len(points)))
        values = [_nan(p.value.value, scale) for p in points]
        self.drawn_values = values
        if definition.unit in PERCENT_UNITS or definition.unit is KpiUnit.DAYS:
            self._draw_line(definition, points, xs, values, scale)
        else:
            self._draw_bars(xs, values)
        if target is not None:
            line = pg.InfiniteLine(
                pos=target * scale,
                angle=0,
                pen=pg.mkPen(colour("chart_target"), width=1.5, style=Qt.PenStyle.DashLine),
                label=_("target"),
                labelOpts={
                    "position": 0.04,
                    "color": colour("chart_target"),
                    "anchors": [(0, 1), (0, 1)],
                },
            )
            item.addItem(line)
        self._periods = [p.period for p in points]
        self._name_periods()
        item.setLabel("left", self._unit_label(definition, currency_symbol))
        item.setXRange(-0.6, len(points) - 0.4, padding=0)
        finite = [v for v in values if not math.isnan(v)]
        top = max([*finite, (target or 0) * scale, 1.0])
        if definition.unit is KpiUnit.RATE:
            top = max(top, 100.0)
        item.setYRange(0, top * 1.08, padding=0)

    def _draw_line(self, definition, points, xs, values, scale) -> None:
        item = self.getPlotItem()
        if definition.has_interval:
            # One band per run of periods that have an interval: a gap stays a gap.
            run: list[tuple[int, float, float]] = []
            for x, point in zip(xs, points, strict=True):
                rate = point.value.rate
                if rate is not None and rate.low is not None and rate.high is not None:
                    run.append((x, rate.low * scale, rate.high * scale))
                    continue
                self._band(run)
                run = []
            self._band(run)
        if all(math.isnan(v) for v in values):
            return  # nothing to draw: the axes and the period names stay, empty
        item.addItem(
            pg.PlotDataItem(
                xs, values, pen=pg.mkPen(colour("chart_line"), width=2), symbol="o", symbolSize=7,
                symbolBrush=colour("chart_line"), symbolPen=None, connect="finite",
            )
        )  # fmt: skip
        if values and not math.isnan(values[-1]):
            item.addItem(
                pg.ScatterPlotItem(
                    [xs[-1]], [values[-1]], size=11, brush=colour("accent"), pen=None
                )
            )

    def _band(self, run: list[tuple[int, float, float]]) -> None:
        if not run:
            return
        xs = [x for x, _, _ in run]
        if len(run) == 1:  # a lone period: a vertical bar from low to high
            x, low, high = run[0]
            self.getPlotItem().addItem(
                pg.PlotDataItem([x, x], [low, high], pen=pg.mkPen(_band().darker(150), width=6))
            )
            return
        # Curves with a (faint) pen: FillBetweenItem fills between their drawn paths, and a
        # curve without a pen has none.
        edge = pg.mkPen(_band(), width=1)
        low = pg.PlotCurveItem(xs, [lo for _, lo, _ in run], pen=edge)
        high = pg.PlotCurveItem(xs, [hi for _, _, hi in run], pen=edge)
        self.getPlotItem().addItem(pg.FillBetweenItem(low, high, brush=pg.mkBrush(_band())))

    def _draw_bars(self, xs: list[int], values: list[float]) -> None:
        heights = [0.0 if math.isnan(v) else v for v in values]
        brushes = [pg.mkBrush(colour("chart_bar")) for _ in xs]
        if brushes:
            brushes[-1] = pg.mkBrush(colour("accent"))
        self.getPlotItem().addItem(
            pg.BarGraphItem(x=xs, height=heights, width=0.62, brushes=brushes, pen=None)
        )

    @staticmethod
    def _unit_label(definition: KpiDefinition, currency_symbol: str) -> str:
        if definition.unit in PERCENT_UNITS:
            return "%"
        if definition.unit is KpiUnit.MONEY:
            return currency_symbol
        if definition.unit is KpiUnit.MONEY_PER_DAY:
            return _("{currency} / day").format(currency=currency_symbol)
        if definition.unit is KpiUnit.DAYS:
            return _("days")
        return ""
