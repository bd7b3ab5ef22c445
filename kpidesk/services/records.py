"""Create, edit, delete (as a tombstone) and undelete any synced record, with its checks.

Every public write returns a :class:`Written`: the record it was about and what the
transaction changed, so the app can announce it (``kpidesk.domain.changes``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from kpidesk.domain.changes import Written
from kpidesk.domain.checks import Problem
from kpidesk.services.errors import InvalidInputError, from_validation_error
from kpidesk.store import queries
from kpidesk.store.changes import ChangeSet, changes
from kpidesk.store.database import Database
from kpidesk.store.errors import RecordNotFoundError

Check = Callable[[Mapping[str, Any]], list[Problem]]


class RecordService:
    """The shared editing rules of one record type; subclasses add the trade's use cases."""

    table: str
    check: Check = staticmethod(lambda values: [])

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, row_id: str) -> dict[str, Any]:
        with self._db.read() as conn:
            row = queries.get_row(conn, self.table, row_id)
        if row is None:
            raise RecordNotFoundError(self.table, row_id)
        return row

    def create(self, values: Mapping[str, Any]) -> Written:
        with changes(self._db) as change_set:
            row_id = self.create_in(change_set, values)
        return Written(change_set.changed(), row_id)

    def update(self, row_id: str, values: Mapping[str, Any]) -> Written:
        with changes(self._db) as change_set:
            fields = self.update_in(change_set, row_id, values)
        return Written(change_set.changed(), row_id, frozenset(fields))

    def delete(self, row_id: str) -> Written:
        """Tombstone the record; nothing changes (a falsy result) if it was deleted already."""
        with changes(self._db) as change_set:
            change_set.delete(self.table, row_id)
        return Written(change_set.changed(), row_id)

    def undelete(self, row_id: str) -> Written:
        with changes(self._db) as change_set:
            change_set.undelete(self.table, row_id)
        return Written(change_set.changed(), row_id)

    # The *_in variants join a transaction a use case has already opened.

    def get_in(self, change_set: ChangeSet, row_id: str) -> dict[str, Any]:
        row = queries.get_row(change_set.conn, self.table, row_id)
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
