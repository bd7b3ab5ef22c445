"""The log file opens just after the first paint; what the start logged before it is kept and
written there, even when the start fails before any window is painted."""

from __future__ import annotations

import logging
import sys

import pytest

from kpidesk.services import logfile
from kpidesk.ui import app


@pytest.fixture
def log_path(tmp_path, monkeypatch):
    """The log folder in tmp_path; kpidesk's logger and the excepthook as they were, after."""
    monkeypatch.setattr(logfile, "log_folder", lambda: tmp_path / "logs")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    logger = logging.getLogger("kpidesk")
    before = list(logger.handlers)
    yield tmp_path / "logs" / logfile.LOG_NAME
    for handler in [h for h in logger.handlers if h not in before]:
        logger.removeHandler(handler)
        handler.close()


def test_the_records_of_the_start_reach_the_file_once_it_opens(log_path):
    early = app._setup_logging()
    logging.getLogger("kpidesk.ui.app").warning("before the first paint")
    assert not log_path.exists()  # nothing opened before the window
    early.open_log_file()
    logging.getLogger("kpidesk.ui.app").warning("after the first paint")
    early.open_log_file()  # at most once: nothing written twice
    text = log_path.read_text()
    assert text.count("before the first paint") == 1
    assert text.count("after the first paint") == 1
    assert text.index("before the first paint") < text.index("after the first paint")


def test_a_start_failing_before_its_first_paint_still_writes_its_records(
    log_path, tmp_path, monkeypatch
):
    def failing_start():
        logging.getLogger("kpidesk.ui.app").error("no application")
        raise RuntimeError("no display")

    monkeypatch.setattr(app, "create_application", failing_start)
    with pytest.raises(RuntimeError):
        app.run_app(tmp_path / "kpidesk.sqlite")
    assert "no application" in log_path.read_text()


def test_a_log_folder_that_cannot_be_written_leaves_the_app_running(log_path, monkeypatch, capsys):
    def refused(folder=None):
        raise PermissionError(13, "Permission denied")

    early = app._setup_logging()
    logging.getLogger("kpidesk.ui.app").warning("kept")
    monkeypatch.setattr(logfile, "setup_logging", refused)
    early.open_log_file()  # no exception: the window stays
    assert early not in logging.getLogger("kpidesk").handlers  # nothing kept for ever after
    assert early.records == []
    assert "no log file (Permission denied)" in capsys.readouterr().err
    early.open_log_file()  # the exit's call: done already, nothing raised
