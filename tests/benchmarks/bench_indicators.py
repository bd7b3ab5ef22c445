"""The Indicators page on the 5-year demo data set (`make bench ARGS=indicators`).

- Navigation: the rep switches to the page after a change -> the report computed on a worker
  thread -> every tile updated and the window repainted. Baseline: the KPI engine alone
  (``KpiService.compute``) for the same period, in the same run.
- Detail: a tile opened -> its chart of the last 12 periods drawn (the first time includes
  importing pyqtgraph on a worker thread). While waiting, a 10 ms timer measures the longest
  stall of the GUI thread: the window must never freeze.
"""

from __future__ import annotations

import itertools
import os
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from kpidesk.domain.changes import Changes, Kind

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.benchmarks.common import (
    DEMO_END,
    Result,
    demo_database,
    median,
    timings_ms,
    writable_copy,
)

ROUNDS = 15


def _desktop(path: Path, folder: Path):
    from PySide6.QtCore import QSettings

    from kpidesk.services.workspace import open_workspace
    from kpidesk.ui.app import create_application
    from kpidesk.ui.desktop import build_pages
    from kpidesk.ui.main_window import MainWindow
    from kpidesk.ui.tasks import TaskRunner

    qt_app = create_application()
    workspace = open_workspace(path)
    window = MainWindow(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
    window.resize(1360, 820)
    window.show()
    tasks = TaskRunner(window)
    desktop = build_pages(window, workspace, tasks)
    return qt_app, tasks, desktop


def _wait(qt_app, done, timeout_s: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("the page did not answer in time")
        qt_app.processEvents()
        time.sleep(0.0005)


def _navigation(qt_app, tasks, desktop, period) -> list[float]:
    page, window = desktop.indicators, desktop.window
    busy = [False]
    tasks.sig_busy_changed.connect(lambda running: busy.__setitem__(0, running))
    shown: list[object] = []
    page.sig_report_shown.connect(shown.append)
    window.show_page("indicators")
    page.show_period(period)
    _wait(qt_app, lambda: page.report is not None and page.report.period == period)
    samples = []
    for _ in range(ROUNDS):
        window.show_page("today")
        # A change while away: the page is stale.
        desktop.ctx.events.announce(Changes.of([Kind.ACTIVITY]))
        _wait(qt_app, lambda: not busy[0])  # other pages' reloads are over
        shown.clear()
        start = time.perf_counter()
        window.show_page("indicators")
        _wait(qt_app, lambda: bool(shown))
        window.repaint()  # the tiles on screen
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _detail(qt_app, desktop, key: str) -> tuple[float, float]:
    """Milliseconds from opening ``key`` to its chart drawn, and the longest GUI stall."""
    from PySide6.QtCore import QTimer

    page = desktop.indicators
    detail = page.detail
    drawn_before = id(detail.chart.drawn_values) if detail.chart is not None else None
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    start = time.perf_counter()
    ticks.append(start)
    page.open_detail(key)
    _wait(
        qt_app,
        lambda: (
            detail.chart is not None
            and id(detail.chart.drawn_values) != drawn_before
            and len(detail.chart.drawn_values) == 12
        ),
    )
    elapsed = (time.perf_counter() - start) * 1000
    ticks.append(time.perf_counter())
    timer.stop()
    stall = max((b - a) * 1000 for a, b in itertools.pairwise(ticks))
    return elapsed, stall


def run() -> list[Result]:
    from kpidesk.domain.periods import period_containing
    from kpidesk.services.kpis import KpiService
    from kpidesk.services.local_zone import machine_zone

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = writable_copy(demo_database(5), folder)
        qt_app, tasks, desktop = _desktop(path, folder)
        period = period_containing("month", DEMO_END - timedelta(days=10), machine_zone())
        engine = KpiService(desktop.ctx.workspace.db, machine_zone())
        baseline = median(timings_ms(lambda: engine.compute(period), ROUNDS))
        navigation = _navigation(qt_app, tasks, desktop, period)
        first_chart, first_stall = _detail(qt_app, desktop, "conversion")
        charts = [_detail(qt_app, desktop, key) for key in ("revenue", "visits", "conversion")]
        tasks.wait()
        desktop.window.close()  # stops the reminder clock before its database goes
        desktop.ctx.workspace.close()
    later = median([c[0] for c in charts])
    stall = max(first_stall, *(c[1] for c in charts))
    return [
        Result("indicators: navigation -> tiles visible (5-year data)", median(navigation),
               "KpiService.compute alone", baseline, "< 300 ms, worst too",
               max(navigation) < 300),
        Result("indicators: first chart drawn (pyqtgraph imported)", first_chart,
               "KpiService.compute alone", baseline, "< 1,500 ms", first_chart < 1500),
        Result("indicators: chart of another tile drawn", later,
               "KpiService.compute alone", baseline, "< 500 ms", later < 500),
        Result("indicators: longest GUI-thread stall while charts load", stall,
               "KpiService.compute alone", baseline, "< 150 ms (no freeze)", stall < 150),
    ]  # fmt: skip
