"""Growth: what each measure costs on 20 years of history (about 200,000 activities, 20,000
offers, 4,000 accounts: `kpidesk demo --years 20`) against the same measure on 5 years, timed
interleaved (5 years, 20 years, 5 years...). The ratio is 20-year cost / 5-year cost.

Work bounded by the period (a month's indicators, today's suggestions, the Today view, a quick
log) must cost the same on either history (within 1.3x); a year's indicators may grow at most
linearly with the history (4x: 20 years / 5). Before timing, each side's indicators are checked
against the raw sqlite3 computation of bench_kpis on the same data.

The first sync of each history (every record, into an empty laptop, from a `kpidesk-server
serve` process of its own on loopback) may grow at most linearly too: as its records do, with
10% for a run's noise. Each is checked to bring every record, and the next sync nothing.

Memory: the peak resident size (``VmHWM`` in ``/proc/self/status``) of a process that opens
the desktop on the 20-year data, shows the Indicators page and draws a chart, against a process
showing a bare PySide6 window; both run in fresh subprocesses, alternately.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from tests.benchmarks.common import DEMO_END, Result, demo_database, interleaved_ms, writable_copy

ROUNDS = 15
NOW = datetime.combine(DEMO_END, time(9), UTC)
RSS_ROUNDS = 3
RSS_LIMIT_MB = 300

# Each prints its peak resident size in MB, then quits. The indicators one checks that the
# page really shows the month's report and a chart of 12 periods before it reports.
# VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over fork and exec, so a child of
# this (by then large) benchmark process reported the parent's peak, the bare window's too.
_PEAK = (
    "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]; "
    "print(f'peak-mb {int(hwm.split()[1]) / 1024:.1f}')"
)
BARE_WINDOW = textwrap.dedent(
    f"""
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication([])
    window = QMainWindow()
    window.resize(1360, 820)
    window.show()
    app.processEvents()
    {_PEAK}
    """
)
INDICATORS_PAGE = textwrap.dedent(
    f"""
    import sys
    from datetime import timedelta
    from pathlib import Path
    from kpidesk.domain.periods import period_containing
    from kpidesk.services.local_zone import machine_zone
    from tests.benchmarks.bench_indicators import _desktop, _wait
    from tests.benchmarks.common import DEMO_END
    qt_app, tasks, desktop = _desktop(Path(sys.argv[1]), Path(sys.argv[2]))
    page = desktop.indicators
    period = period_containing("month", DEMO_END - timedelta(days=10), machine_zone())
    desktop.window.show_page("indicators")
    page.show_period(period)
    _wait(qt_app, lambda: page.report is not None and page.report.period == period, 120)
    page.open_detail("conversion")
    chart = lambda: page.detail.chart
    _wait(qt_app, lambda: chart() is not None and len(chart().drawn_values) == 12, 120)
    tasks.wait()
    qt_app.processEvents()
    {_PEAK}
    desktop.ctx.workspace.close()
    """
)


def _peak_mb(args: list[str]) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600, check=True)
    marks = [line for line in out.stdout.splitlines() if line.startswith("peak-mb ")]
    assert marks, out.stderr[-2000:]
    return float(marks[-1].split()[1])


def _peak_rss(folder: Path) -> Result:
    path = writable_copy(demo_database(20), folder)
    root = str(Path(__file__).resolve().parents[2])  # the repository: `tests` importable
    ours, bare = [], []
    for _ in range(RSS_ROUNDS):
        ours.append(_peak_mb([sys.executable, "-c", f"import sys; sys.path.insert(0, {root!r})\n"
                              + INDICATORS_PAGE, str(path), str(folder)]))  # fmt: skip
        bare.append(_peak_mb([sys.executable, "-c", BARE_WINDOW]))
    return Result.of(
        "growth: peak RSS, Indicators page with a chart on 20 years", ours,
        "bare PySide6 window", bare, f"< {RSS_LIMIT_MB} MB",
        lambda mb, _ratio: mb < RSS_LIMIT_MB, unit="MB",
    )  # fmt: skip


SYNC_ROUNDS = 3
# A first sync does the same work per record on either history; its ratio sits on the records'
# ratio, and a run's noise moves it a few percent either way.
LINEAR_NOISE = 0.10


def _first_sync_growth(folder: Path) -> Result:
    """The first sync of 20 years against that of 5, each from its own server, interleaved."""
    from tests.benchmarks.bench_sync import first_sync, load_demo_into_server, start_server

    servers, procs = {}, []
    try:
        for years in (20, 5):
            (folder / f"{years}y").mkdir()
            url, base, proc = start_server(folder / f"{years}y")
            procs.append(proc)
            secret, count = load_demo_into_server(url, demo_database(years))
            servers[years] = (url, base, secret.split("|")[2], count)
        samples: dict[int, list[float]] = {20: [], 5: []}
        for n in range(SYNC_ROUNDS):
            for years, (url, base, user_id, count) in servers.items():
                path = folder / f"{years}y" / f"laptop{n}.sqlite"
                elapsed, report, client, connection, laptop = first_sync(
                    url, base, user_id, path, f"laptop {n}"
                )
                assert report.received == count, (years, report.received, count)
                assert client.sync().received == 0  # nothing of its own comes back
                connection.close()
                laptop.close()
                path.unlink()
                samples[years].append(elapsed * 1000)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)
    records = {years: server[3] for years, server in servers.items()}
    # Linear: the time grows as the records do (4.0x here), give or take this run's noise.
    linear = records[20] / records[5]
    limit = linear * (1 + LINEAR_NOISE)
    return Result.of(
        f"growth: first sync ({records[20]:,} records against {records[5]:,}), 20 years / 5 years",
        samples[20], "5 years", samples[5],
        f"≤ {limit:.1f}× (linear: {linear:.1f}× the records, +{LINEAR_NOISE:.0%})",
        lambda _ms, ratio: ratio <= limit,
    )  # fmt: skip


def _sides(folder: Path):
    from zoneinfo import ZoneInfo

    from kpidesk.services.workspace import open_workspace

    tz = ZoneInfo("Europe/Paris")
    sides = []
    for years in (5, 20):
        path = writable_copy(demo_database(years), folder / f"{years}y")
        sides.append(open_workspace(path, tz))
    return tz, sides


def _check_indicators(workspaces, tz, period_of) -> None:
    import sqlite3

    from kpidesk.services.kpis import KpiService
    from tests.benchmarks.bench_kpis import check, kpidesk_numbers, raw_report

    for ws in workspaces:
        service = KpiService(ws.db, tz, clock=lambda: NOW)
        raw = sqlite3.connect(ws.db.path, isolation_level=None)
        try:
            for kind in ("month", "year"):
                period = period_of(kind)
                check(kpidesk_numbers(service.compute(period)), raw_report(raw, period, NOW), kind)
        finally:
            raw.close()


def run() -> list[Result]:
    from kpidesk.domain.periods import period_containing
    from kpidesk.services.kpis import KpiService
    from kpidesk.services.suggestions import SuggestionService
    from kpidesk.services.today import today_view

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "5y").mkdir()
        (folder / "20y").mkdir()
        tz, (five, twenty) = _sides(folder)

        def period_of(kind: str):
            # Complete periods (September 2026, the year 2025): the raw computation compares
            # whole previous periods, kpidesk an in-progress one with the same span before it.
            back = 70 if kind == "month" else 400
            return period_containing(kind, DEMO_END - timedelta(days=back), tz)

        _check_indicators((five, twenty), tz, period_of)
        account = {}
        for ws in (five, twenty):
            account[id(ws)] = ws.accounts.list(mine=True)[0].id

        def measures(ws):
            kpis = KpiService(ws.db, tz, clock=lambda: NOW)
            suggestions = SuggestionService(ws.db)
            end = NOW.replace(hour=0) + timedelta(days=1)
            return {
                "a month's indicators": (lambda: kpis.compute(period_of("month")), 1.3),
                "a year's indicators": (lambda: kpis.compute(period_of("year")), 4.0),
                "today's suggestions": (lambda: suggestions.today(NOW), 1.3),
                "the Today view": (lambda: today_view(ws, end), 1.3),
                "quick log (record + outbox, committed)": (
                    lambda: ws.activities.create(
                        {"account_id": account[id(ws)], "kind": "call", "done_at": NOW}
                    ),
                    1.3,
                ),
            }

        small, large = measures(five), measures(twenty)
        for name, (on_five, _limit) in small.items():
            on_twenty, limit = large[name]
            twenty_ms, five_ms = interleaved_ms(on_twenty, on_five, ROUNDS)
            target = "≤ 1.3× (bounded by the period)" if limit < 2 else "≤ 4× (linear)"
            results.append(
                Result.of(
                    f"growth: {name}, 20 years / 5 years",
                    twenty_ms,
                    "5 years",
                    five_ms,
                    target,
                    lambda _ms, ratio, limit=limit: ratio <= limit,
                )
            )
        five.close()
        twenty.close()
        (folder / "sync").mkdir()
        results.append(_first_sync_growth(folder / "sync"))
        (folder / "rss").mkdir()
        results.append(_peak_rss(folder / "rss"))
    return results
