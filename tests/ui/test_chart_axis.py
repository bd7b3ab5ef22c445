"""The chart's period names never run into each other, in French or English, at any width.

French month names are longer ("janv. 26", "févr."): a 13-month chart in the detail panel at
1366×768 wrote them end to end ("décjanv. 26févr."). The check below measures the names with
the axis's own font and places them where the view box draws each bar, so it does not trust the
chart's own arithmetic.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QFontMetricsF

from kpidesk.domain.kpis.catalogue import definition
from kpidesk.domain.kpis.report import HistoryPoint
from kpidesk.domain.kpis.values import KpiValue
from kpidesk.domain.periods import PeriodKind, period_containing
from kpidesk.presentation import using

pytest.importorskip("pyqtgraph")

from kpidesk.ui.widgets.kpi_chart import TICK_GAP_PX, KpiChart, labelled_slots

PARIS = ZoneInfo("Europe/Paris")


def test_every_bar_is_named_while_there_is_room():
    assert labelled_slots(50, 80, 5) == [0, 1, 2, 3, 4]


def test_a_narrow_axis_names_every_kth_bar_counted_back_from_the_last():
    # 50 px names with a 10 px gap need 60 px: 25 px slots give room for one name in three.
    assert labelled_slots(50, 25, 8) == [1, 4, 7]
    assert labelled_slots(50, 25, 1) == [0]
    assert labelled_slots(50, 25, 0) == []


def _months(count: int) -> list[HistoryPoint]:
    points = []
    year, month = 2025, 12
    for _ in range(count):
        period = period_containing(PeriodKind.MONTH, date(year, month, 15), PARIS)
        points.append(HistoryPoint(period=period, value=KpiValue(key="visits", value=12)))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(points))


def _drawn_boxes(chart: KpiChart) -> list[tuple[float, float, str]]:
    """Each name's left and right edge in pixels, where the view box puts its bar."""
    axis = chart.getPlotItem().getAxis("bottom")
    metrics = QFontMetricsF(axis.style.get("tickFont") or chart.font())
    box = chart.getPlotItem().getViewBox()
    boxes = []
    for x, text in chart.tick_names:
        centre = box.mapViewToScene(QPointF(x, 0)).x()
        half = metrics.horizontalAdvance(text) / 2
        boxes.append((centre - half, centre + half, text))
    return boxes


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("width", [360, 520, 900])
def test_no_two_names_touch_and_the_period_on_screen_is_named(qtbot, language, width):
    with using(language):
        chart = KpiChart()
        qtbot.addWidget(chart)
        chart.resize(width, 240)
        chart.show()
        qtbot.waitExposed(chart)
        points = _months(13)
        chart.show_history(definition("visits"), points, "€")
        qtbot.wait(10)
        boxes = _drawn_boxes(chart)
    assert chart.tick_names[-1][0] == len(points) - 1  # the running month keeps its name
    for (_, right, left_name), (left, _, right_name) in pairwise(boxes):
        assert left - right >= TICK_GAP_PX - 1, (left_name, right_name, width)
    if width >= 900:
        assert len(chart.tick_names) == len(points)  # room for all: none left out
    # The first name says its year, so the reader knows which December starts the chart.
    assert "25" in chart.tick_names[0][1] or "24" in chart.tick_names[0][1]


def test_a_wider_chart_names_the_bars_it_had_left_out(qtbot):
    with using("fr"):
        chart = KpiChart()
        qtbot.addWidget(chart)
        chart.resize(360, 240)
        chart.show()
        qtbot.waitExposed(chart)
        chart.show_history(definition("visits"), _months(13), "€")
        narrow = len(chart.tick_names)
        chart.resize(1200, 240)
        qtbot.waitUntil(lambda: len(chart.tick_names) == 13)
    assert narrow < 13
