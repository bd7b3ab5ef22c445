"""Every local write goes through a ChangeSet: validated, clock-stamped, and mirrored in the
outbox in the same SQLite transaction (SYNC.md, "Outbox")."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import orjson
import sqlalchemy as sa

from kpidesk.domain.changes import Changes
from kpidesk.domain.hlc import HybridClock, wall_clock_ms
from kpidesk.domain.ids import uuid7
from kpidesk.domain.merge import DEFAULT_CLOCK, deleted_cl, is_alive, undeleted_cl
from kpidesk.records import SYNCED_RECORDS, business_fields
from kpidesk.records.codec import encode_value
from kpidesk.records.wire import SPECS, new_record_values
from kpidesk.store import meta
from kpidesk.store.database import Database
from kpidesk.store.errors import NotYoursError, RecordNotFoundError
from kpidesk.store.tables import LOCAL_ONLY_FIELDS, outbox, table_of


class ChangeSet:
    """Writes made inside one transaction; use :func:`changes` to get one."""

    def __init__(self, conn: sa.Connection, clock: HybridClock, owner_id: str) -> None:
        self.conn = conn
        self.owner_id = owner_id
        self.device_id = clock.device_id
        self._clock = clock
        self.mutations = 0
        self._changed: dict[str, set[str]] = {}

    def changed(self) -> Changes:
        """The records this transaction created, edited, deleted or undeleted so far."""
        return Changes.of(**{table: ids for table, ids in self._changed.items() if ids})

    def _touched(self, table: str, row_id: str) -> None:
        self._changed.setdefault(table, set()).add(row_id)

    def create(self, table: str, values: Mapping[str, Any], *, row_id: str | None = None) -> str:
        """Insert a new row; every synced field is stamped and sent."""
        record_cls = SYNCED_RECORDS[table]
        local_only = LOCAL_ONLY_FIELDS.get(table, frozenset())
        synced = {k: v for k, v in values.items() if k not in local_only}
        extra = {k: v for k, v in values.items() if k in local_only}
        data = {**synced, "owner_id": self.owner_id}
        if row_id is not None:
            data["id"] = row_id
        record = record_cls.model_validate(data)
        stamp = self._clock.tick()
        names = business_fields(record_cls)
        row = {
            **record.model_dump(),
            "clocks": {DEFAULT_CLOCK: stamp},
            "cl": 1,
            "server_version": 0,
            **extra,
        }
        self.conn.execute(sa.insert(table_of(table)).values(**row))
        self._append_outbox(
            table, record.id, 1, {n: (getattr(record, n), stamp) for n in names}, base=0
        )
        self._touched(table, record.id)
        return record.id

    def create_many(
        self,
        table: str,
        rows: Sequence[Mapping[str, Any]],
        checked: Mapping[str, tuple[dict[str, Any], list[Any]]] | None = None,
    ) -> list[str]:
        """Insert many new rows in this transaction (an import): each is checked and stamped
        like :meth:`create`, and each gets its outbox mutation, so bulk-written records sync
        like any other. Values are checked by the compiled field checks a first sync uses
        (the model's own validation only for a row they refuse, to say why), and the rows
        and their mutations go in two plain ``executemany`` on the same transaction.

        ``checked``: by id, what ``new_record_values`` returned for a row's values as they are
        now (an import's plan checked each record already); a row without one is checked here."""
        record_cls = SYNCED_RECORDS[table]
        local_only = LOCAL_ONLY_FIELDS.get(table, frozenset())
        names = [spec.name for spec in SPECS[table]]
        extras = sorted({k for values in rows for k in values if k in local_only})
        inserts: list[list[Any]] = []
        mutations: list[tuple[Any, ...]] = []
        ids: list[str] = []
        # One clock stamp for the whole batch: its records are written by one event, and a
        # field's clock is compared only with the same record's (SYNC.md); a tick per record
        # cost more than its insert. The JSON goes through orjson: json.dumps of every
        # mutation was a third of the write.
        stamp = self._clock.tick()
        clocks = orjson.dumps({DEFAULT_CLOCK: stamp}).decode()
        for values in rows:
            row_id = values.get("id") or uuid7()
            done = checked.get(row_id) if checked is not None else None
            if done is None and _is_id(row_id):
                done = new_record_values(table, values)
            if done is None:  # the model says why (or repairs a value, as a NUL in a text)
                data = {k: v for k, v in values.items() if k not in local_only}
                record = record_cls.model_validate({**data, "owner_id": self.owner_id})
                row_id = record.id
                done = new_record_values(table, record.model_dump())
                if done is None:
                    raise ValueError(f"{table} {row_id}: refused by the field checks")
            wire, stored = done
            inserts.append([row_id, self.owner_id, clocks, 1, 0, *stored,
                            *(values.get(k) for k in extras)])  # fmt: skip
            # The compact form (tables.outbox): the values only, the batch's one stamp beside.
            fields = orjson.dumps({n: wire[n] for n in names}).decode()
            mutations.append((table, row_id, 1, 0, fields, stamp))
            ids.append(row_id)
        if inserts:
            raw = self.conn.connection.driver_connection  # bulk path: plain sqlite3, same tx
            assert raw is not None
            columns = ["id", "owner_id", "clocks", "cl", "server_version", *names, *extras]
            marks = ",".join("?" * len(columns))
            raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                            inserts)  # fmt: skip
            raw.executemany(
                "INSERT INTO outbox (table_name, row_id, cl, base, fields, hlc)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                mutations,
            )
            self.mutations += len(mutations)
            self._changed.setdefault(table, set()).update(ids)
        return ids

    def update(self, table: str, row_id: str, values: Mapping[str, Any]) -> set[str]:
        """Change some fields of a live row; returns the names of the fields that changed."""
        current = self._load(table, row_id)
        record_cls = SYNCED_RECORDS[table]
        local_only = LOCAL_ONLY_FIELDS.get(table, frozenset())
        merged = {**current, **{k: v for k, v in values.items() if k not in local_only}}
        record = record_cls.model_validate({k: merged[k] for k in record_cls.model_fields})
        changed = {
            name
            for name in business_fields(record_cls)
            if name in values and getattr(record, name) != current[name]
        }
        local_changes = {k: v for k, v in values.items() if k in local_only and v != current.get(k)}
        if not changed and not local_changes:
            return set()
        if changed:
            self._check_mine(table, row_id, current["owner_id"])
        update_values: dict[str, Any] = dict(local_changes)
        if changed:
            stamp = self._clock.tick()
            clocks = {**current["clocks"], **dict.fromkeys(changed, stamp)}
            update_values.update({name: getattr(record, name) for name in changed})
            update_values["clocks"] = clocks
            self._append_outbox(
                table,
                row_id,
                current["cl"],
                {n: (getattr(record, n), stamp) for n in changed},
                base=current["server_version"],
            )
        tbl = table_of(table)
        self.conn.execute(sa.update(tbl).where(tbl.c.id == row_id).values(**update_values))
        self._touched(table, row_id)
        return changed | set(local_changes)

    def delete(self, table: str, row_id: str) -> bool:
        """Tombstone a row (causal length made even). False when it was already deleted."""
        return self._set_cl(table, row_id, deleted_cl)

    def undelete(self, table: str, row_id: str) -> bool:
        return self._set_cl(table, row_id, undeleted_cl)

    def _set_cl(self, table: str, row_id: str, change: Callable[[int], int]) -> bool:
        tbl = table_of(table)
        row = self.conn.execute(
            sa.select(tbl.c.cl, tbl.c.server_version, tbl.c.owner_id).where(tbl.c.id == row_id)
        ).first()
        if row is None:
            raise RecordNotFoundError(table, row_id)
        self._check_mine(table, row_id, row.owner_id)
        new_cl = change(row.cl)
        if new_cl == row.cl:
            return False
        self.conn.execute(sa.update(tbl).where(tbl.c.id == row_id).values(cl=new_cl))
        self._append_outbox(table, row_id, new_cl, {}, base=row.server_version)
        self._touched(table, row_id)
        return True

    def _check_mine(self, table: str, row_id: str, owner_id: str) -> None:
        # A manager's laptop holds the team's pipeline read-only; a write to it would be
        # refused by the server and leave this laptop out of step with everyone else.
        if owner_id != self.owner_id:
            raise NotYoursError(table, row_id)

    def _load(self, table: str, row_id: str) -> dict[str, Any]:
        tbl = table_of(table)
        row = self.conn.execute(sa.select(tbl).where(tbl.c.id == row_id)).mappings().first()
        if row is None or not is_alive(row["cl"]):
            raise RecordNotFoundError(table, row_id)
        return dict(row)

    def _append_outbox(
        self,
        table: str,
        row_id: str,
        cl: int,
        fields: Mapping[str, tuple[Any, str]],
        *,
        base: int,
    ) -> None:
        wire = {name: {"v": encode_value(v), "hlc": stamp} for name, (v, stamp) in fields.items()}
        self.conn.execute(
            sa.insert(outbox).values(table_name=table, row_id=row_id, cl=cl, base=base, fields=wire)
        )
        self.mutations += 1


def _is_id(value: Any) -> bool:
    return type(value) is str and 0 < len(value) <= 36


@contextlib.contextmanager
def changes(db: Database, now_ms: Callable[[], int] = wall_clock_ms) -> Iterator[ChangeSet]:
    """Open a write transaction with the device clock loaded; commit it all on success."""
    with db.write() as conn:
        device_id, owner_id = meta.ensure_identity(conn)
        clock = HybridClock(device_id, meta.get(conn, meta.HLC), now_ms=now_ms)
        change_set = ChangeSet(conn, clock, owner_id)
        yield change_set
        if change_set.mutations:
            meta.put(conn, meta.HLC, clock.last)
