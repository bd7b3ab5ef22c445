"""The log file: rotating, in the user log folder, readable by its owner only (0600).

What goes in is written for support without giving anything away: failures through
:func:`kpidesk.services.diagnostics.failure_summary` (types and frames, no messages), never
record values, parameters, tokens or passwords.
"""

from __future__ import annotations

import contextlib
import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from kpidesk.services.diagnostics import failure_summary

LOG_NAME = "kpidesk.log"
MAX_BYTES = 1_000_000
KEEP = 3
_PRIVATE = 0o600


def log_folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir("kpidesk", appauthor=False))


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A RotatingFileHandler whose every file (the current one and each rotated one) is 0600,
    whatever the umask."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_CREAT | os.O_APPEND | os.O_WRONLY, _PRIVATE)
        os.chmod(self.baseFilename, _PRIVATE)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)


def setup_logging(folder: Path | None = None) -> Path:
    """Send kpidesk's log records to the private rotating file; returns its path."""
    folder = folder or log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)
        for old in folder.glob("*.log*"):  # files older versions left readable by others
            os.chmod(old, _PRIVATE)
    path = folder / LOG_NAME
    logger = logging.getLogger("kpidesk")
    for handler in logger.handlers:
        if isinstance(handler, PrivateRotatingFileHandler) and handler.baseFilename == str(path):
            return path
    handler = PrivateRotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=KEEP, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return path


def log_failure(what: str, error: BaseException) -> None:
    """Log a failure by its shape only (see the module's docstring)."""
    logging.getLogger("kpidesk").error("%s:\n%s", what, failure_summary(error))
