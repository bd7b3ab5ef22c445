"""The log holds a failure's shape for support, never a record's values, and only its owner
can read it."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from kpidesk.services.diagnostics import diagnostics
from kpidesk.services.logfile import (
    LOG_NAME,
    PrivateRotatingFileHandler,
    log_failure,
    setup_logging,
)

SECRET = "Garage Moreau - code porte 4417"


def _failed_insert(db) -> Exception:
    # NOT NULL columns missing: SQLAlchemy's error shows the parameters.
    with pytest.raises(sa.exc.DBAPIError) as caught, db.write() as conn:
        conn.execute(sa.text("INSERT INTO account (id, name) VALUES (:i, :n)"),
                     {"i": "x", "n": SECRET})  # fmt: skip
    assert SECRET in str(caught.value)  # what used to reach crash.log
    return caught.value


@pytest.fixture
def log_file(tmp_path):
    path = setup_logging(tmp_path / "logs")
    yield path
    logger = logging.getLogger("kpidesk")
    for handler in list(logger.handlers):
        if isinstance(handler, PrivateRotatingFileHandler):
            logger.removeHandler(handler)
            handler.close()


def test_a_failure_is_logged_by_its_shape_without_values(db, log_file):
    log_failure("saving failed", _failed_insert(db))
    text = log_file.read_text()
    assert "IntegrityError" in text and "(statement: INSERT)" in text
    assert SECRET not in text and "4417" not in text and "Moreau" not in text
    assert log_file.stat().st_mode & 0o777 == 0o600
    assert log_file.parent.stat().st_mode & 0o777 == 0o700


def test_a_failed_background_task_logs_no_values(db, log_file, qapp):
    from kpidesk.ui.tasks import TaskRunner

    failures = []
    TaskRunner(synchronous=True).run(lambda: (_ for _ in ()).throw(_failed_insert(db)),
                                     on_failure=failures.append)  # fmt: skip
    assert failures
    text = log_file.read_text()
    assert "background task failed" in text and SECRET not in text


def test_rotated_files_stay_private(tmp_path):
    path = tmp_path / LOG_NAME
    handler = PrivateRotatingFileHandler(path, maxBytes=300, backupCount=2, encoding="utf-8")
    record = logging.LogRecord("kpidesk", logging.INFO, __file__, 1, "x" * 100, None, None)
    for _ in range(20):
        handler.emit(record)
    handler.close()
    files = sorted(tmp_path.glob(f"{LOG_NAME}*"))
    assert len(files) == 3
    assert {f.stat().st_mode & 0o777 for f in files} == {0o600}


CRASHING_COMMAND = f"""
import sys, sqlite3
import kpidesk.cli as cli
def boom(args):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x NOT NULL)")
    import sqlalchemy.exc
    raise sqlalchemy.exc.IntegrityError("INSERT INTO t VALUES (?)", ({SECRET!r},), Exception())
cli.COMMANDS["kpi"] = boom
sys.exit(cli.main(["kpi", "--db", "/nowhere/{SECRET}.sqlite"]))
"""


def test_the_cli_crash_log_is_private_and_holds_no_values(tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "XDG_STATE_HOME": str(home / "state")}
    proc = subprocess.run([sys.executable, "-c", CRASHING_COMMAND], env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 1
    assert "unexpected error (IntegrityError)" in proc.stderr and SECRET not in proc.stderr
    logs = list((home / "state").rglob("*.log"))
    assert [p.name for p in logs] == [LOG_NAME]
    text = logs[0].read_text()
    assert "IntegrityError" in text and "kpidesk kpi --db failed" in text
    assert SECRET not in text and "4417" not in text
    assert logs[0].stat().st_mode & 0o777 == 0o600


def test_diagnostics_hold_counts_not_names(workspace):
    workspace.accounts.create({"name": SECRET, "city": "Annecy"})
    data = diagnostics(workspace.db, {"qt": "6.x"})
    assert data["account_records"] == 1 and data["changes_not_synced"] == 1
    assert data["schema"] and data["database_bytes"] > 0 and data["qt"] == "6.x"
    text = repr(data)
    assert SECRET not in text and "Annecy" not in text and str(workspace.db.path) not in text
