"""Start-up: the first window painted, against a bare PySide6 window in the same run.

Both are started as processes under the offscreen platform with the same interpreter; each
prints the wall-clock time of its first paint (kpidesk through KPIDESK_STARTUP_PROBE=1), so
the measure includes the interpreter and every import, as a rep would experience it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from tests.benchmarks.common import Result, demo_database, writable_copy

BARE = textwrap.dedent(
    """
    import time
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    class Probe(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                print(f"first-paint {time.time():.6f}", flush=True)
                QTimer.singleShot(0, app.quit)
            return False

    app = QApplication([])
    window = QMainWindow()
    window.resize(1200, 760)
    probe = Probe()
    window.installEventFilter(probe)
    window.show()
    app.exec()
    """
)
RUNS = 7


def _launch(args: list[str], env: dict[str, str]) -> dict[str, float]:
    start = time.time()
    out = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120).stdout
    marks = {}
    for line in out.splitlines():
        name, _, stamp = line.partition(" ")
        if name in ("first-paint", "ready"):
            marks[name] = (float(stamp) - start) * 1000
    return marks


def run() -> list[Result]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KPIDESK_STARTUP_PROBE": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        env["XDG_CONFIG_HOME"] = tmp
        db = writable_copy(demo_database(5), Path(tmp))
        _launch([sys.executable, "-m", "kpidesk.cli", "--db", str(db)], env)  # migrate, warm up
        bare, paint, ready = [], [], []
        for _ in range(RUNS):
            bare.append(_launch([sys.executable, "-c", BARE], env)["first-paint"])
            marks = _launch([sys.executable, "-m", "kpidesk.cli", "--db", str(db)], env)
            paint.append(marks["first-paint"])
            ready.append(marks["ready"])
    # Each kpidesk start ran right after a bare one: the ratios are per pair.
    return [
        Result.of("start-up: first window painted", paint, "bare PySide6 window", bare,
                  "< 2× baseline", lambda _ms, ratio: ratio < 2),
        Result.of("start-up: pages ready on the 5-year data", ready, "bare PySide6 window", bare,
                  "< 1.5 s", lambda ms, _ratio: ms < 1500),
    ]  # fmt: skip
