"""Looking at a database file must never release the locks this process holds on it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from kpidesk.store.errors import ForeignDatabaseError, NotADatabaseError
from kpidesk.store.files import inspect_file

OTHER_PROCESS_WRITES = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
try:
    conn.execute("BEGIN IMMEDIATE")
except sqlite3.OperationalError as exc:
    print("refused:", exc)
else:
    print("got the write lock")
"""


def _inspect_as_the_laptop(path):
    with pytest.raises(ForeignDatabaseError):  # not kpidesk's: the lock is what matters here
        inspect_file(path)


def _inspect_as_the_server(path):
    import sqlalchemy as sa

    from kpidesk.server.db import make_engine

    make_engine(sa.make_url(f"sqlite:///{path}")).dispose()


@pytest.mark.parametrize("inspect", [_inspect_as_the_laptop, _inspect_as_the_server])
def test_inspecting_a_file_this_process_is_writing_keeps_its_lock(tmp_path, inspect):
    path = tmp_path / "rep.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")  # this process holds the write lock
    holder.execute("INSERT INTO t VALUES (1)")
    # What opening a database does first. Both used to read the header with open() and
    # close(), which released this process's lock: another process could then write.
    inspect(path)
    other = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS_WRITES, str(path)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    holder.execute("COMMIT")
    holder.close()
    assert other.stdout.startswith("refused: database is locked"), other.stdout


def test_a_file_that_is_not_a_database_is_named(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"Dear customer, " * 100)
    with pytest.raises(NotADatabaseError, match="not a SQLite file"):
        inspect_file(path)
