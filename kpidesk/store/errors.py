"""Errors the local store reports in words a rep (or a script) can act on."""

from __future__ import annotations


class StoreError(Exception):
    """A database cannot be used; the message names the file and what is wrong."""


class DatabaseMissingError(StoreError):
    pass


class NotADatabaseError(StoreError):
    pass


class ForeignDatabaseError(StoreError):
    """A SQLite database that belongs to another program."""


class NewerSchemaError(StoreError):
    """The database was upgraded by a newer kpidesk than this one."""


class DemoDatabaseError(StoreError):
    """A demo database used where real data is expected, or the reverse."""


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
