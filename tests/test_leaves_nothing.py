"""The app's demo database goes with the window: nothing left in the temporary folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time


def test_the_demo_app_removes_its_temporary_database_when_it_closes(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {
        **os.environ,
        "TMPDIR": str(temp),
        "QT_QPA_PLATFORM": "offscreen",
        "KPIDESK_STARTUP_PROBE": "1",
    }  # fmt: skip  (the probe quits once the pages are ready)
    proc = subprocess.run([sys.executable, "-m", "kpidesk.cli", "--demo"], env=env,
                          capture_output=True, text=True, timeout=180)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "ready" in proc.stdout
    assert list(temp.iterdir()) == []


def test_the_demo_app_ended_by_sigterm_removes_its_temporary_database_too(tmp_path):
    # What a session logging out (or `kill`) sends: the app ends as if its window were closed.
    # Before, Python's default ended it on the spot and each demo's folder stayed behind.
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "QT_QPA_PLATFORM": "offscreen"}
    app = subprocess.Popen([sys.executable, "-m", "kpidesk.cli", "--demo"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not list(temp.glob("kpidesk-demo-*/demo.sqlite")):
            assert app.poll() is None, app.stdout.read()
            assert time.monotonic() < deadline, "no demo database was made"
            time.sleep(0.2)
        time.sleep(2)  # the window is up, the demo being built or open
        app.send_signal(signal.SIGTERM)
        output, _ = app.communicate(timeout=120)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    assert app.returncode == 0, output
    assert list(temp.iterdir()) == []
