"""Start-up: the first window painted, against a bare PySide6 window in the same run.

Both are started as processes under the offscreen platform with the same interpreter; each
prints the wall-clock time of its first paint (kpidesk through KPIDESK_STARTUP_PROBE=1), so
the measure includes the interpreter and every import, as a rep would experience it.

One more start runs under ``python -X importtime``: what it imported before its first paint is
summed per top-level package and printed (stderr), and the row says whether any heavy package
(``HEAVY``) was among them; those belong after the first paint, on the worker thread.
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
# As the installed `kpidesk` command starts it (its console script): `-m kpidesk.cli` would
# compile cli.py on every start, since a `__main__` module is never read from bytecode.
KPIDESK = [sys.executable, "-c", "import sys; from kpidesk.cli import main; sys.exit(main())"]
# Imported after the first paint (or only when a feature needs them), never before.
HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "pyqtgraph", "numpy", "httpx", "babel", "keyring")


def _launch(args: list[str], env: dict[str, str]) -> dict[str, float]:
    start = time.time()
    out = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120).stdout
    marks = {}
    for line in out.splitlines():
        name, _, stamp = line.partition(" ")
        if name in ("first-paint", "ready"):
            marks[name] = (float(stamp) - start) * 1000
    return marks


def imports_before_paint(args: list[str], env: dict[str, str]) -> dict[str, float]:
    """Milliseconds of import per top-level package (the modules' own times, at any depth: a
    package imported by another counts as itself), of what was imported before the first
    paint (``-X importtime`` writes to stderr, the probe to stdout: merged, in order)."""
    out = subprocess.run(
        [args[0], "-X", "importtime", *args[1:]],
        env=env,
        timeout=120,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ).stdout
    before, painted, _after = out.partition("first-paint ")
    assert painted, "no first paint in the output"
    packages: dict[str, float] = {}
    for line in before.splitlines():
        fields = line.removeprefix("import time:").split("|")
        if (
            not line.startswith("import time:")
            or len(fields) != 3
            or not fields[0].strip().isdigit()
        ):
            continue  # the header line, or the probe's own output
        own, _cumulative, name = fields
        package = name.strip().split(".")[0]
        packages[package] = packages.get(package, 0.0) + int(own) / 1000
    return packages


def _import_row(db: Path, env: dict[str, str]) -> Result:
    packages = imports_before_paint([*KPIDESK, "--db", str(db)], env)
    bare = imports_before_paint([sys.executable, "-c", BARE], env)
    heavy = sorted(p for p in packages if p in HEAVY)
    print(
        "start-up: imported before the first paint (ms of import, per package, top 12):",
        file=sys.stderr,
    )
    for name, ms in sorted(packages.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {name:<28} {ms:8.1f}{'  HEAVY' if name in heavy else ''}", file=sys.stderr)
    return Result(
        f"start-up: imports before the first paint (heavy: {', '.join(heavy) or 'none'})",
        sum(packages.values()), "bare PySide6 window's", sum(bare.values()),
        "none of " + ", ".join(HEAVY), not heavy,
    )  # fmt: skip


def run() -> list[Result]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KPIDESK_STARTUP_PROBE": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        env["XDG_CONFIG_HOME"] = tmp
        # Bytecode as an installed kpidesk has it (pip and the packaged build ship .pyc): where
        # PYTHONDONTWRITEBYTECODE is set (these machines), every start compiled kpidesk's
        # sources again, ~250 ms no rep ever waits. The warm-up start writes it in the folder.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "bytecode")
        db = writable_copy(demo_database(5), Path(tmp))
        _launch([*KPIDESK, "--db", str(db)], env)  # migrate, warm up
        bare, paint, ready = [], [], []
        for _ in range(RUNS):
            bare.append(_launch([sys.executable, "-c", BARE], env)["first-paint"])
            marks = _launch([*KPIDESK, "--db", str(db)], env)
            paint.append(marks["first-paint"])
            ready.append(marks["ready"])
        imports = _import_row(db, env)
    # Each kpidesk start ran right after a bare one: the ratios are per pair.
    return [
        Result.of("start-up: first window painted", paint, "bare PySide6 window", bare,
                  "≤ 1.5× baseline", lambda _ms, ratio: ratio <= 1.5),
        Result.of("start-up: pages ready on the 5-year data", ready, "bare PySide6 window", bare,
                  "≤ 0.8 s", lambda ms, _ratio: ms <= 800),
        imports,
    ]  # fmt: skip
