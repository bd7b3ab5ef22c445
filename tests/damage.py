"""Really damaging a kpidesk database file, the ways disks and copies do."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def page_size(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()


def overwrite_middle_pages(path: Path, pages: int = 3) -> None:
    """Garbage over a few pages in the middle, as a bad sector or a torn copy leaves it."""
    size = page_size(path)
    count = path.stat().st_size // size
    assert count > pages + 4, f"{path} is too small to damage in the middle ({count} pages)"
    with path.open("r+b") as handle:
        handle.seek((count // 2) * size)
        handle.write(bytes(range(256)) * (pages * size // 256))


def truncate_half(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def zero_bytes(path: Path) -> None:
    path.write_bytes(b"")


DAMAGES = {
    "garbage pages": overwrite_middle_pages,
    "truncated": truncate_half,
    "zero bytes": zero_bytes,
}
