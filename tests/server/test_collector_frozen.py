"""The served app, once built (each worker process builds its own), is kept out of the cycle
collector's passes: each full pass visited all of it again, and a first sync's pages of 10,000
rows set off one pass after another."""

from __future__ import annotations

import os
import subprocess
import sys


def test_the_served_app_is_kept_out_of_the_collector_s_passes(server_db_url, tmp_path):
    """What uvicorn's factory returns (each worker process builds its own) has been frozen:
    the collector's passes no longer visit the app's routes, schemas and tables."""
    env = {
        **os.environ,
        "KPIDESK_DATABASE_URL": server_db_url,
        "KPIDESK_SERVER_DATA": str(tmp_path / "data"),
    }
    probe = (
        "import gc; from kpidesk.server.app import app_from_environment; "
        "before = gc.get_freeze_count(); app_from_environment(); "
        "print(before, gc.get_freeze_count(), gc.isenabled())"
    )
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                         text=True, timeout=120, check=True).stdout.split()  # fmt: skip
    before, frozen, enabled = int(out[0]), int(out[1]), out[2]
    assert before == 0
    assert frozen > 100_000  # the whole app, not a handful of objects
    assert enabled == "True"  # still collecting what requests leave behind
