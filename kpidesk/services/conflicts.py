"""Conflicts the team server reported for this laptop's writes (SYNC.md, "Conflicts").

The rep reads each one with what is needed to recognise the record (its account, the offer's
reference...), and keeps either value. Keeping the value that was not kept is an ordinary new
write through the record's service, so it is checked, clock-stamped and synced like any other;
keeping the value that was kept changes nothing. Either way the conflict is marked resolved in
the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from kpidesk.domain.changes import NOTHING, Changes, Kind, Written
from kpidesk.records import SYNCED_RECORDS
from kpidesk.records.references import REFERENCE_FIELDS
from kpidesk.services.records import RecordService
from kpidesk.store import conflicts as stored_conflicts
from kpidesk.store import queries, replica
from kpidesk.store.changes import changes
from kpidesk.store.database import Connection, Database


class Choice(StrEnum):
    YOURS = "yours"
    THEIRS = "theirs"


@dataclass(frozen=True)
class ConflictItem:
    """One open conflict, values decoded (datetimes, enum members, cents)."""

    id: int
    table: str
    row_id: str
    field: str
    yours: Any
    theirs: Any
    their_author: str  # the other writer's username, as the server named it
    kept: Choice
    received_at: datetime
    record: dict[str, Any] | None  # the record as it is now; None once deleted
    account_name: str | None  # the record's account (or the account itself)
    references: dict[str, str] = field(default_factory=dict)  # id -> caption, for id values

    def value(self, choice: Choice) -> Any:
        return self.yours if choice is Choice.YOURS else self.theirs


@cache
def _adapter(table: str, name: str) -> TypeAdapter[Any]:
    return TypeAdapter(SYNCED_RECORDS[table].model_fields[name].annotation)


def decode_value(table: str, name: str, wire: Any) -> Any:
    """A wire value (JSON) as the record's Python value; left as is if it does not parse."""
    if wire is None:
        return None
    try:
        return _adapter(table, name).validate_python(wire)
    except (KeyError, ValidationError):
        return wire


class ConflictService:
    """``editors``: the record services by table, so a kept value is written with their rules."""

    def __init__(self, db: Database, editors: Mapping[str, RecordService]) -> None:
        self._db = db
        self._editors = editors

    def open_count(self) -> int:
        with self._db.read() as conn:
            return stored_conflicts.open_count(conn)

    def list_open(self) -> list[ConflictItem]:
        with self._db.read() as conn:
            return [self._item(conn, row) for row in replica.open_conflicts(conn)]

    def keep(self, conflict_id: int, choice: Choice) -> Written:
        """Keep one value of a conflict; the result's fields are non-empty when that meant a
        new write (the conflict itself is settled either way).

        Every open conflict on the same field of the same record is resolved with it: the
        field now holds the value the rep chose.
        """
        choice = Choice(choice)
        fields: set[str] = set()
        with changes(self._db) as change_set:
            conn = change_set.conn
            row = stored_conflicts.conflict(conn, conflict_id)
            if row is None or row["resolved_at"] is not None:
                return Written(NOTHING)  # already settled (a second click, or another window)
            table, name = row["table_name"], row["field"]
            if choice.value != row["kept"]:
                value = decode_value(table, name, row[choice.value])
                editor = self._editors[table]
                fields = editor.update_in(change_set, row["row_id"], {name: value})
            same_field = stored_conflicts.open_on_field(conn, table, row["row_id"], name)
            replica.resolve_conflicts(conn, same_field)
        settled = Changes.of([Kind.CONFLICT]) | change_set.changed()
        return Written(settled, row["row_id"], frozenset(fields))

    # -- reading ---------------------------------------------------------------------------

    def _item(self, conn: Connection, row: Mapping[str, Any]) -> ConflictItem:
        table, name = row["table_name"], row["field"]
        record = queries.get_row(conn, table, row["row_id"])
        yours = decode_value(table, name, row["yours"])
        theirs = decode_value(table, name, row["theirs"])
        references: dict[str, str] = {}
        if name in REFERENCE_FIELDS:
            for value in (yours, theirs):
                caption = (
                    stored_conflicts.caption(conn, REFERENCE_FIELDS[name], value) if value else None
                )
                if caption is not None:
                    references[value] = caption
        return ConflictItem(
            id=row["id"],
            table=table,
            row_id=row["row_id"],
            field=name,
            yours=yours,
            theirs=theirs,
            their_author=row["their_author"],
            kept=Choice(row["kept"]),
            received_at=row["received_at"],
            record=record,
            account_name=_account_name(conn, table, record),
            references=references,
        )


def _account_name(conn: Connection, table: str, record: dict[str, Any] | None) -> str | None:
    if record is None:
        return None
    if table == "account":
        return record["name"]
    account_id = record.get("account_id")
    return stored_conflicts.caption(conn, "account", account_id) if account_id else None
