"""A full disk without a small file system: SQLite's max_page_count caps the file, and a write
past it fails with SQLITE_FULL exactly as on a full disk. And a real small tmpfs when root."""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from tests.conftest import require


def cap_at_current_size(db, spare_pages: int = 0) -> None:
    """From now on the database cannot grow beyond its size plus ``spare_pages``."""
    with db.read() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
    limit = pages + spare_pages

    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count={limit}")

    db.engine.dispose()  # the pooled connections go; new ones get the cap
    sa.event.listen(db.engine, "connect", _on_connect)


@contextlib.contextmanager
def small_disk(size: str = "2m") -> Iterator[Path]:
    """A tmpfs of ``size`` (needs root and mount rights; CI runs as root)."""
    can = os.geteuid() == 0
    require(can, "mounting a small tmpfs needs root (CI runs as root)")
    folder = Path(tempfile.mkdtemp(prefix="kpidesk-small-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if mounted.returncode != 0:
        folder.rmdir()
        require(False, f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)
        folder.rmdir()


def fill_leaving(folder: Path, free_bytes: int) -> None:
    """Take the disk's space but ``free_bytes``."""
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    with (folder / "filler.bin").open("wb") as handle:
        handle.write(b"\0" * max(0, free - free_bytes))
