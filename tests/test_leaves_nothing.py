"""The app's demo database goes with the window: nothing left in the temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys


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
