"""The start's imports leave their objects out of the cycle collector's passes: they stay for
the app's lifetime, and the first pass after the imports went over all of them at once (50 to
80 ms before the pages were ready, measured), as each full pass after it did again."""

from __future__ import annotations

import os
import subprocess
import sys

# The real app (its console script's way), quitting once its pages are ready (the start-up
# probe), then saying how many objects the collector no longer visits.
_APP_THEN_FROZEN = (
    "import atexit, gc, sys; "
    "atexit.register(lambda: print('frozen', gc.get_freeze_count(), gc.isenabled(), flush=True)); "
    "from kpidesk.cli import main; sys.exit(main())"
)


def test_what_the_start_imported_is_kept_out_of_the_collector_s_passes(tmp_path):
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "KPIDESK_STARTUP_PROBE": "1",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }  # fmt: skip
    db = tmp_path / "kpidesk.sqlite"
    subprocess.run([sys.executable, "-m", "kpidesk.cli", "init", "--db", str(db)], env=env,
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", _APP_THEN_FROZEN, "--db", str(db)],
        env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "ready" in done.stdout
    (line,) = [ln for ln in done.stdout.splitlines() if ln.startswith("frozen ")]
    _, frozen, enabled = line.split()
    assert int(frozen) > 100_000  # the imported modules, classes and functions
    assert enabled == "True"  # what the rep's work leaves behind is still collected
