"""Create, edit, delete (as a tombstone) and undelete any synced record, with its checks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from kpidesk.domain.checks import Problem
from kpidesk.services.errors import InvalidInputError, from_validation_error
from kpidesk.store import queries
from kpidesk.store.changes import ChangeSet, changes
from kpidesk.store.database import Database
from kpidesk.store.errors import RecordNotFoundError
from kpidesk.store.tables import table_of

Check = Callable[[Mapping[str, Any]], list[Problem]]


class RecordService:
    """The shared editing rules of one record type; subclasses add the trade's use cases."""

    table: str
    check: Check = staticmethod(lambda values: [])

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, row_id: str) -> dict[str, Any]:
        with self._db.read() as conn:
            row = queries.get_row(conn, table_of(self.table), row_id)
        if row is None:
            raise RecordNotFoundError(self.table, row_id)
        return row

    def create(self, values: Mapping[str, Any]) -> str:
        with changes(self._db) as change_set:
            return self.create_in(change_set, values)

    def update(self, row_id: str, values: Mapping[str, Any]) -> set[str]:
        with changes(self._db) as change_set:
            return self.update_in(change_set, row_id, values)

    def delete(self, row_id: str) -> bool:
        with changes(self._db) as change_set:
            return change_set.delete(self.table, row_id)

    def undelete(self, row_id: str) -> bool:
        with changes(self._db) as change_set:
            return change_set.undelete(self.table, row_id)

    # The *_in variants join a transaction a use case has already opened.

    def get_in(self, change_set: ChangeSet, row_id: str) -> dict[str, Any]:
        row = queries.get_row(change_set.conn, table_of(self.table), row_id)
        if row is None:
            raise RecordNotFoundError(self.table, row_id)
        return row

    def create_in(self, change_set: ChangeSet, values: Mapping[str, Any]) -> str:
        self._refuse(self.check(values))
        try:
            return change_set.create(self.table, values)
        except ValidationError as exc:
            raise from_validation_error(exc) from None

    def update_in(self, change_set: ChangeSet, row_id: str, values: Mapping[str, Any]) -> set[str]:
        current = self.get_in(change_set, row_id)
        self._refuse(self.check({**current, **values}))
        try:
            return change_set.update(self.table, row_id, values)
        except ValidationError as exc:
            raise from_validation_error(exc) from None

    @staticmethod
    def _refuse(problems: list[Problem]) -> None:
        if problems:
            raise InvalidInputError(problems)
