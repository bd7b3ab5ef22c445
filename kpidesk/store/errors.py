"""Errors the local store reports: a kind, the file and a detail, so the words a rep (or a
script) reads are made by ``kpidesk.presentation.errors`` in their language; ``str()`` is an
English sentence for logs."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path


class StoreProblem(StrEnum):
    UNUSABLE = "unusable"  # cannot read, open, create or use the file (detail: the OS's reason)
    MISSING = "missing"  # no database at the path (and none may be made)
    FOLDER = "folder"  # the path is a folder
    NOT_SQLITE = "not_sqlite"  # not a SQLite file, or a damaged one
    FOREIGN = "foreign"  # a SQLite database of another program (detail: some of its tables)
    NEWER_SCHEMA = "newer_schema"  # upgraded by a newer kpidesk (detail: the schema revision)
    UPGRADE_FAILED = "upgrade_failed"  # the migration failed; nothing was applied
    REAL_DATA = "real_data"  # a demo asked for over a database that holds real data


class StoreError(Exception):
    """A database cannot be used. ``message``: English, for logs and ``str()``."""

    kind: StoreProblem = StoreProblem.UNUSABLE

    def __init__(
        self,
        message: str,
        *,
        kind: StoreProblem | None = None,
        path: Path | str | None = None,
        detail: str = "",
    ) -> None:
        super().__init__(message)
        if kind is not None:
            self.kind = kind
        self.path = path
        self.detail = detail


class DatabaseMissingError(StoreError):
    kind = StoreProblem.MISSING


class NotADatabaseError(StoreError):
    kind = StoreProblem.NOT_SQLITE


class ForeignDatabaseError(StoreError):
    """A SQLite database that belongs to another program."""

    kind = StoreProblem.FOREIGN


class NewerSchemaError(StoreError):
    """The database was upgraded by a newer kpidesk than this one."""

    kind = StoreProblem.NEWER_SCHEMA


class DemoDatabaseError(StoreError):
    """A demo database used where real data is expected, or the reverse."""

    kind = StoreProblem.REAL_DATA


class RecordNotFoundError(StoreError):
    def __init__(self, table: str, row_id: str) -> None:
        super().__init__(f"no {table} with id {row_id}")
        self.table = table
        self.row_id = row_id


class NotYoursError(StoreError):
    """A change to a record another user owns: the team server would refuse it (SYNC.md,
    "Visibility"), and the laptop would then hold a value nobody else has."""

    def __init__(self, table: str, row_id: str) -> None:
        super().__init__(
            f"the {table} {row_id} belongs to someone else: only its owner can change it"
        )
        self.table = table
        self.row_id = row_id


class DamagedDatabaseError(StoreError):
    """The file is a kpidesk database (or was meant to be one) whose content is damaged:
    it must not be read as if it were whole, nor written to."""

    def __init__(self, path: object, problem: str) -> None:
        super().__init__(f"{path} is damaged ({problem}); nothing was read from it or written")
        self.path = path
        self.problem = problem


class DiskFullError(StoreError):
    """The disk (or the database's size limit) is full: the write was rolled back whole."""

    def __init__(self, path: object) -> None:
        super().__init__(f"the disk is full: {path} could not be written, nothing was saved")
        self.path = path


class NotABackupError(StoreError):
    """A file offered for restoring is not a whole kpidesk database: nothing was changed."""
