"""Shared by the import tests: a fingerprint of the whole database."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def dump_hash(path: Path) -> str:
    """The SHA-256 of the database's SQL dump: equal hashes, equal contents (every table and
    row, the outbox and the clock included), whatever SQLite did to the file's pages."""
    conn = sqlite3.connect(path)
    try:
        digest = hashlib.sha256()
        for line in conn.iterdump():
            digest.update(line.encode())
        return digest.hexdigest()
    finally:
        conn.close()
