"""What an import would do, record by record: create, update (only the fields that changed) or
leave alone, and which rows it refuses. Building a plan writes nothing; the service builds it
again inside the write transaction, against the database as it is then.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from kpidesk.domain.checks import check_activity, check_offer
from kpidesk.domain.i18n import N_, Message
from kpidesk.domain.ids import uuid7
from kpidesk.domain.import_columns import FIELD_BY_KEY, Kind
from kpidesk.domain.vocabulary import (
    AccountStatus,
    ActivityKind,
    ActivityPurpose,
    OfferStatus,
)
from kpidesk.records import SYNCED_RECORDS
from kpidesk.records.wire import new_record_values
from kpidesk.services.importing import keys
from kpidesk.services.importing.errors import Refusal
from kpidesk.services.importing.mapping import ColumnMapping
from kpidesk.services.importing.reading import SourceTable
from kpidesk.services.importing.rows import ParsedRow, parsed_rows

TABLES = ("account", "contact", "offer", "activity")  # the order they are written in
PREVIEW_ROWS = 10

# The import field that fills a record's field, to name the column of a refused value.
_COLUMN_OF = {
    "account": {"name": "account", "status": "account_status", "phone": "account_phone",
                "email": "account_email"},
    "contact": {"name": "contact", "role": "contact_role", "phone": "contact_phone",
                "email": "contact_email", "account_id": "account"},
    "offer": {"account_id": "account", "title": "offer_title", "amount_cents": "amount",
              "margin_cents": "margin", "status": "offer_status"},
    "activity": {"account_id": "account", "kind": "activity_kind", "offer_id": "offer_id"},
}  # fmt: skip


# The import fields copied as they are into a record's fields.
_FIELDS = {
    "account": (("account_status", "status"), ("temperature", "temperature"),
                ("source", "source"), ("sector", "sector"), ("city", "city"),
                ("address", "address"), ("account_phone", "phone"), ("account_email", "email")),
    "contact": (("contact_role", "role"), ("contact_phone", "phone"), ("contact_email", "email")),
    "offer": (("reference", "reference"), ("offer_title", "title"), ("amount", "amount_cents"),
              ("margin", "margin_cents"), ("offer_status", "status"), ("sent_at", "sent_at"),
              ("decided_at", "decided_at"), ("lost_reason", "lost_reason"),
              ("probability", "probability")),
}  # fmt: skip
_CHECKS = {"offer": check_offer, "activity": check_activity}


# Why an id the file gives may not be a new record's (see import_lookup.unavailable_ids).
_UNAVAILABLE = {
    "colleague": Message(N_("This id is a colleague's record on this laptop, and an import never "
                            "changes another rep's records: clear the cell to import the row as "
                            "a new record of yours.")),
    "deleted": Message(N_("This id is a record you deleted: clear the cell to import the row as "
                          "a new record.")),
}  # fmt: skip
_NOT_AN_OFFER_ID = Message(
    N_(
        "This is not a kpidesk id of an offer: clear the cell to import "
        "the activity without its offer."
    )
)
_NO_SUCH_OFFER = Message(
    N_(
        "No offer of yours has this id on this laptop: import the pipeline "
        "first, or clear the cell to import the activity without its offer."
    )
)
_ANOTHER_ACCOUNTS_OFFER = Message(N_("This offer belongs to another account than the row's."))
_NOT_AN_ID = Message(N_("This is not a kpidesk id: clear the cell to import the row as a new "
                        "record."))  # fmt: skip


class _Target(NamedTuple):
    """The record a row fills: its key in the file, the record it updates (None: a new one)
    and the id a new one takes (None: a fresh one). A tuple: one is made per row and table."""

    key: Hashable
    existing_id: str | None
    new_id: str | None


@dataclass
class Counts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0


@dataclass
class ImportPlan:
    kind: Kind
    rows: int = 0  # data rows read
    creates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    updates: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # id -> changes
    matched: dict[str, set[str]] = field(default_factory=dict)  # existing ids the file names
    refusals: list[Refusal] = field(default_factory=list)
    preview: list[ParsedRow] = field(default_factory=list)
    # A new record's values as the field checks returned them (wire, stored), by id: the write
    # inserts those instead of checking every record a second time. A record a later row
    # changes is checked again (or dropped from here: the write checks it then).
    checked: dict[str, dict[str, tuple[dict[str, Any], list[Any]]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # What a preview was built from (its source, the records read): ImportService.run writes
    # the same plan when the database still holds exactly those records.
    basis: tuple[Any, Any] | None = field(default=None, repr=False, compare=False)

    def counts(self, table: str) -> Counts:
        updated = self.updates.get(table, {})
        changed = sum(1 for values in updated.values() if values)
        matched = self.matched.get(table, set())
        return Counts(len(self.creates.get(table, [])), changed, len(matched) - changed)

    @property
    def writes(self) -> int:
        return sum(len(v) for v in self.creates.values()) + sum(
            1 for per in self.updates.values() for v in per.values() if v
        )


class _Index:
    """The records of one table: the database's (mine) and the file's new ones, by key."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        self.by_id: dict[str, dict[str, Any]] = {}
        self.by_key: dict[Hashable, str] = {}
        self.rows = list(rows)

    def add(self, key: Hashable, row: dict[str, Any]) -> None:
        self.by_id[row["id"]] = row
        self.by_key.setdefault(key, row["id"])


def build_plan(
    table: SourceTable,
    mapping: ColumnMapping,
    existing: dict[str, list[dict[str, Any]]],
    tz: ZoneInfo,
    unavailable: dict[str, dict[str, str]] | None = None,
) -> ImportPlan:
    """``existing``: my live records per table; ``unavailable``: per table, the other ids this
    laptop holds (a colleague's record, a deleted one of mine), which a file's id may not take.
    """
    return _Planner(mapping, existing, tz, unavailable or {}).run(table)


class _Planner:
    def __init__(
        self,
        mapping: ColumnMapping,
        existing: dict[str, list[dict[str, Any]]],
        tz: ZoneInfo,
        unavailable: dict[str, dict[str, str]],
    ) -> None:
        self.mapping = mapping
        self.tz = tz
        self.unavailable = unavailable
        self.owner_header = mapping.header_of("owner")  # asked for every row
        self.status_column = mapping.header_of("account_status") is not None
        # Per record, the (import field, record field) pairs of the columns the file has: a row's
        # values hold no other keys, so the others need not be asked for on every row.
        mapped = set(mapping.columns.values())
        self.fields = {table: [(key, name) for key, name in pairs if key in mapped]
                       for table, pairs in _FIELDS.items()}  # fmt: skip
        self.plan = ImportPlan(mapping.kind)
        self.index = {name: _Index(existing.get(name, [])) for name in TABLES}
        self.new_ids: dict[str, set[str]] = {name: set() for name in TABLES}
        self.first_row: dict[tuple[str, Hashable], int] = {}
        for row in self.index["account"].rows:
            self.index["account"].add(keys.account_key(row["name"]), row)
        for row in self.index["contact"].rows:
            self.index["contact"].add(keys.contact_key(row["account_id"], row["name"]), row)
        for row in self.index["offer"].rows:
            self.index["offer"].add(keys.offer_key(row, tz), row)
        for row in self.index["activity"].rows:
            self.index["activity"].add(keys.activity_key(row, tz), row)

    def run(self, table: SourceTable) -> ImportPlan:
        plan = self.plan
        seen = 0
        for row in parsed_rows(table, self.mapping, self.tz, plan.refusals):
            plan.rows += 1
            if len(plan.preview) < PREVIEW_ROWS:
                plan.preview.append(row)
            if len(plan.refusals) == seen:  # else a cell was unreadable: the row is refused
                self._row(row)
            seen = len(plan.refusals)
        plan.refusals.sort(key=lambda r: r.row)
        return plan

    # --- one row ---------------------------------------------------------------------------

    def _row(self, row: ParsedRow) -> None:
        v = row.values
        kind = self.plan.kind
        name = v.get("account")
        if not name:
            self._refuse(row, "account", Message(N_("The account's name is missing.")))
            return
        account_id = self._account(row, name)
        if account_id is None:
            return
        if v.get("contact"):
            contact_id = self._contact(row, account_id)
        else:
            contact_id = None
            if kind is Kind.CONTACT:
                self._refuse(row, "contact", Message(N_("The contact's name is missing.")))
                return
        offer_id = self._offer(row, account_id) if kind is Kind.OFFER else None
        if kind is Kind.ACTIVITY:
            self._activity(row, account_id, contact_id)
        if v.get("follow_up_at") is not None:
            self._follow_up(row, account_id, offer_id)

    def _account(self, row: ParsedRow, name: str) -> str | None:
        v = row.values
        values: dict[str, Any] = {"name": name}
        for key, record_field in self.fields["account"]:
            if v.get(key) is not None:
                values[record_field] = v[key]
        notes = self._notes(v, own=self.plan.kind is Kind.ACCOUNT)
        # An accounts file names its record by its id column; an offer or an activity names
        # its account by the account id column (both as kpidesk exports them).
        id_key = "id" if self.plan.kind is Kind.ACCOUNT else "account_id"
        key = keys.account_key(name)
        target = self._target(row, "account", id_key, key)
        if target is None:
            return None
        index = self.index["account"]
        record_id = target.existing_id
        if record_id is None:
            values["id"] = target.new_id or uuid7()
            if "status" in values:
                values["created_status"] = values["status"]
            values["notes"] = notes
            if not self._valid(row, "account", values):
                return None
            self.plan.creates.setdefault("account", []).append(values)
            self.new_ids["account"].add(values["id"])
            index.add(key, values)
            return values["id"]
        if notes:
            values["notes"] = notes
        self._merge(row, "account", record_id, values)
        return record_id

    def _contact(self, row: ParsedRow, account_id: str) -> str | None:
        v = row.values
        values: dict[str, Any] = {"account_id": account_id, "name": v["contact"]}
        for key, record_field in self.fields["contact"]:
            if v.get(key) is not None:
                values[record_field] = v[key]
        if self.plan.kind is Kind.CONTACT:
            values["notes"] = self._notes(v, own=True)
        id_key = "id" if self.plan.kind is Kind.CONTACT else None
        target = self._target(row, "contact", id_key, keys.contact_key(account_id, v["contact"]))
        if target is None:
            return None
        return self._upsert(row, "contact", target, values, duplicates_refused=False)

    def _offer(self, row: ParsedRow, account_id: str) -> str | None:
        v = row.values
        values: dict[str, Any] = {"account_id": account_id}
        for key, record_field in self.fields["offer"]:
            if v.get(key) is not None:
                values[record_field] = v[key]
        if v.get("currency"):
            values["currency"] = str(v["currency"]).upper()
        target = self._target(row, "offer", "id", keys.offer_key(values, self.tz))
        if target is None:
            return None
        if target.existing_id is None:
            if values.get("amount_cents") is None:
                # kpidesk keeps an offer's amount; a blank is not zero, so the row waits for one.
                self._refuse(row, "amount", Message(N_("The offer's amount is missing.")))
                return None
            values.setdefault("status", OfferStatus.SENT if "sent_at" in values
                              else OfferStatus.DRAFT)  # fmt: skip
            values["created_at"] = values.get("sent_at") or values.get("decided_at")
            if values["created_at"] is None:
                del values["created_at"]
        offer_id = self._upsert(row, "offer", target, values)
        if offer_id is not None:
            self._promote(account_id, offer_id)
        return offer_id

    def _activity(self, row: ParsedRow, account_id: str, contact_id: str | None) -> None:
        v = row.values
        values: dict[str, Any] = {"account_id": account_id,
                                  "kind": v.get("activity_kind") or ActivityKind.OTHER}  # fmt: skip
        if contact_id is not None:
            values["contact_id"] = contact_id
        for key in ("done_at", "due_at", "purpose", "outcome"):
            if v.get(key) is not None:
                values[key] = v[key]
        if v.get("offer_id"):  # a journal kpidesk exported: the offer the activity is about
            offer_id = self._linked_offer(row, account_id, v["offer_id"])
            if offer_id is None:
                return
            values["offer_id"] = offer_id
        notes = self._notes(v, own=True)
        if notes:
            values["notes"] = notes
        created = values.get("done_at") or values.get("due_at")
        if created is not None:
            values["created_at"] = created
        target = self._target(row, "activity", "id", keys.activity_key(values, self.tz))
        if target is None:
            return
        if target.existing_id is not None:
            values.pop("created_at", None)
        self._upsert(row, "activity", target, values)

    def _linked_offer(self, row: ParsedRow, account_id: str, value: str) -> str | None:
        """The offer of mine an activity row names by id (on this laptop, or made by this same
        file), on the row's account; None when the row is refused."""
        try:
            offer_id = str(uuid.UUID(value))
        except ValueError:
            self._refuse(row, "offer_id", _NOT_AN_OFFER_ID)
            return None
        if offer_id not in self.index["offer"].by_id:
            self._refuse(row, "offer_id", _NO_SUCH_OFFER)
            return None
        if self._field("offer", offer_id, "account_id") != account_id:
            self._refuse(row, "offer_id", _ANOTHER_ACCOUNTS_OFFER)
            return None
        return offer_id

    def _follow_up(self, row: ParsedRow, account_id: str, offer_id: str | None) -> None:
        # "Date de relance" in an offers file: the follow-up planned for that offer.
        values: dict[str, Any] = {
            "account_id": account_id,
            "kind": ActivityKind.CALL,
            "purpose": ActivityPurpose.FOLLOW_UP,
            "due_at": row.values["follow_up_at"],
        }
        if offer_id is not None:
            values["offer_id"] = offer_id
        target = self._target(row, "activity", None, keys.activity_key(values, self.tz))
        assert target is not None  # no id column names a follow-up
        if target.existing_id is None:
            values["created_at"] = values["due_at"]
        self._upsert(row, "activity", target, values, duplicates_refused=False)

    # --- shared ----------------------------------------------------------------------------

    def _upsert(
        self,
        row: ParsedRow,
        table: str,
        target: _Target,
        values: dict[str, Any],
        *,
        duplicates_refused: bool = True,
    ) -> str | None:
        key, existing_id = target.key, target.existing_id
        seen = self.first_row.get((table, key))
        if seen is not None and duplicates_refused:
            self._refuse(
                row,
                None,
                Message(N_("This row repeats row {row} (the same record twice)."), {"row": seen}),
            )
            return None
        self.first_row.setdefault((table, key), row.number)
        if existing_id is None:
            values["id"] = target.new_id or uuid7()
            if not self._valid(row, table, values):
                return None
            self.plan.creates.setdefault(table, []).append(values)
            self.new_ids[table].add(values["id"])
            self.index[table].add(key, values)
            return values["id"]
        self._merge(row, table, existing_id, values)
        return existing_id

    def _merge(self, row: ParsedRow, table: str, record_id: str, values: dict[str, Any]) -> None:
        """Compare the file's values with the record's (a blank cell never erases anything)."""
        index = self.index[table]
        current = index.by_id[record_id]
        if record_id in self.new_ids[table]:
            filled = False
            for name, value in values.items():  # a later row fills what an earlier one left out
                if name == "notes" and value and current.get("notes"):
                    notes = _append_lines(current["notes"], value)
                    filled = filled or notes != current["notes"]
                    current[name] = notes
                elif current.get(name) is None and value is not None:
                    current[name] = value
                    filled = True
            if filled:  # the record is checked again as it now is, this row refused if it fails
                self.plan.checked.get(table, {}).pop(record_id, None)
                self._valid(row, table, current)
            return
        pending = self.plan.updates.setdefault(table, {}).setdefault(record_id, {})
        self.plan.matched.setdefault(table, set()).add(record_id)
        for name, value in values.items():
            if name in ("id", "created_at") or value is None or name in pending:
                continue
            if name == "notes" and table == "account" and current.get("notes"):
                value = _append_lines(current["notes"], value)
            if not _same(current.get(name), value):
                pending[name] = value
        if pending and not self._valid(row, table, {**current, **pending}, record_id):
            pending.clear()

    def _promote(self, account_id: str, offer_id: str) -> None:
        # A won offer makes its account a client, as OfferService does for one offer; a status
        # written in the file's own column wins.
        if self.status_column or self._status("offer", offer_id) is not OfferStatus.WON:
            return
        if self._status("account", account_id) is AccountStatus.CLIENT:
            return
        if account_id in self.new_ids["account"]:
            self.index["account"].by_id[account_id]["status"] = AccountStatus.CLIENT
            self.plan.checked.get("account", {}).pop(account_id, None)  # the write checks it
        else:
            pending = self.plan.updates.setdefault("account", {}).setdefault(account_id, {})
            self.plan.matched.setdefault("account", set()).add(account_id)
            pending["status"] = AccountStatus.CLIENT

    def _status(self, table: str, record_id: str) -> Any:
        """The record's status as the import leaves it (asked for every offer row)."""
        return self._field(table, record_id, "status")

    def _field(self, table: str, record_id: str, name: str) -> Any:
        """One field of a record as the import leaves it, without merging dicts."""
        pending = self.plan.updates.get(table, {}).get(record_id)
        if pending and name in pending:
            return pending[name]
        return self.index[table].by_id[record_id].get(name)

    def _target(
        self, row: ParsedRow, table: str, id_key: str | None, natural: Hashable
    ) -> _Target | None:
        """The record a row fills. When the file gives it an id (a list kpidesk exported), the
        id decides: the record of mine with that id, else a new record that keeps it, so an
        export imported into another database holds the same records, two accounts of the
        same name included. Without one, the natural key (a name, a reference...) decides.
        None: the id is refused (the row says why)."""
        value = row.values.get(id_key) if id_key else None
        if not value:
            return _Target(natural, self.index[table].by_key.get(natural), None)
        try:
            record_id = str(uuid.UUID(value))
        except ValueError:
            self._refuse(row, id_key, _NOT_AN_ID)
            return None
        if record_id in self.index[table].by_id:
            return _Target(("id", record_id), record_id, None)
        reason = self.unavailable.get(table, {}).get(record_id)
        if reason is not None:
            self._refuse(row, id_key, _UNAVAILABLE[reason])
            return None
        return _Target(("id", record_id), None, record_id)

    def _notes(self, v: dict[str, Any], *, own: bool) -> str | None:
        """The notes column, and the file's owner column kept as a line of notes (the record
        belongs to the rep who imports; the colleague named in the file is not lost)."""
        lines = [v["notes"]] if own and v.get("notes") else []
        owner_header = self.owner_header
        if v.get("owner") and owner_header:
            lines.append(f"{owner_header}: {v['owner']}")
        return "\n".join(lines) or None

    def _valid(
        self, row: ParsedRow, table: str, values: dict[str, Any], record_id: str | None = None
    ) -> bool:
        check = _CHECKS.get(table)
        for problem in check(values) if check is not None else ():
            self._refuse(row, _COLUMN_OF.get(table, {}).get(problem.field, problem.field),
                         problem.message)  # fmt: skip
            return False
        checked = new_record_values(table, values)
        if checked is not None:  # the compiled checks a first sync uses: the common case, fast
            if record_id is None:  # a new record: its write uses these values
                self.plan.checked.setdefault(table, {})[values["id"]] = checked
            return True
        record_cls = SYNCED_RECORDS[table]
        data = {k: v for k, v in values.items() if k in record_cls.model_fields}
        try:
            record_cls.model_validate({**data, "owner_id": "import"})
        except ValidationError as exc:
            error = exc.errors()[0]
            name = str(error["loc"][0]) if error["loc"] else ""
            column = _COLUMN_OF.get(table, {}).get(name, name)
            limit = (error.get("ctx") or {}).get("max_length")
            if error["type"] == "string_too_long" and limit:
                message = Message(N_("This text is too long ({limit} characters at most)."),
                                  {"limit": limit})  # fmt: skip
            else:
                message = Message(N_("This value is not accepted here."))
            self._refuse(row, column, message)
            return False
        return True

    def _refuse(self, row: ParsedRow, key: str | None, message: Message) -> None:
        # The column as the file names it; a field the file has no column for, by its label.
        column: str | Message | None = None
        if key:
            column = self.mapping.header_of(key)
            if column is None and key in FIELD_BY_KEY:
                column = Message(FIELD_BY_KEY[key].label)
        self.plan.refusals.append(Refusal(row.number, column, message))


def _same(stored: Any, value: Any) -> bool:
    # A spreadsheet keeps a date-time to the second at best (Excel to the millisecond): the
    # instant written back by an export is the record's own.
    if isinstance(stored, datetime) and isinstance(value, datetime):
        return abs(stored - value) < timedelta(seconds=1)
    if isinstance(stored, str) and isinstance(value, str):
        # Cells are read trimmed, and a workbook keeps "\n" for "\r\n": neither is a change.
        return _lines(stored.strip()) == _lines(value)
    return stored == value


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _append_lines(current: str, addition: str) -> str:
    # Asked for every row naming an account already read (its owner line, again and again).
    if addition == current:
        return current
    present = set(current.splitlines())
    missing = [line for line in addition.splitlines() if line not in present]
    return "\n".join([current, *missing]) if missing else current
