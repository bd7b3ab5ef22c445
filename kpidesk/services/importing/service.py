"""Import a spreadsheet: open it, guess or load the mapping, preview, and write it all in one
transaction (or nothing: a refused row, an error or Cancel leaves the database as it was).

The preview is built from a read; the write builds the plan again inside its own transaction so
it compares the file with the database as it is at that moment.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kpidesk.domain.changes import Written
from kpidesk.services.importing import mapping as mappings
from kpidesk.services.importing.errors import (
    ImportCancelledError,
    ImportFileError,
    RowsRefusedError,
)
from kpidesk.services.importing.mapping import ColumnMapping
from kpidesk.services.importing.plan import TABLES, ImportPlan, build_plan
from kpidesk.services.importing.reading import SourceTable, read_source
from kpidesk.store import bulk
from kpidesk.store.changes import changes
from kpidesk.store.database import Database
from kpidesk.store.import_lookup import my_live_rows, unavailable_ids
from kpidesk.store.settings import read_setting, write_setting

MAPPING_SETTING = "import.mapping."  # + the header signature of the file's columns
CHUNK = 500  # rows per executemany; Cancel is looked at between chunks

Progress = Callable[[int, int], None]  # (written so far, total)


@dataclass(frozen=True)
class ImportSource:
    """A file read and mapped, ready for a preview or an import."""

    table: SourceTable
    mapping: ColumnMapping
    saved: bool = False  # the mapping is the one the rep saved for files laid out like this

    def with_mapping(self, mapping: ColumnMapping) -> ImportSource:
        """The same cells under another mapping (the rep changed a column, or the date order)."""
        return ImportSource(self.table, mapping, self.saved)


class ImportService:
    def __init__(self, db: Database, tz: ZoneInfo) -> None:
        self._db = db
        self.tz = tz

    def open(
        self,
        path: Path,
        *,
        sheet: str | None = None,
        encoding: str | None = None,
        delimiter: str | None = None,
        mapping_file: Path | None = None,
        date_order: str | None = None,
        quotechar: str | None = None,
        use_saved: bool = False,
    ) -> ImportSource:
        """Read the file and map its columns (raises ImportFileError naming what is wrong).
        ``use_saved``: apply the mapping the rep saved for a file with the same column names
        (see :meth:`save_mapping`), if there is one that still fits."""
        table = read_source(path, sheet=sheet, encoding=encoding, delimiter=delimiter,
                            quotechar=quotechar)  # fmt: skip
        saved = False
        if mapping_file:
            mapping = mappings.load(table, mapping_file)
        else:
            mapping = mappings.guess(table)
            stored = self.saved_mapping(mapping.headers) if use_saved else None
            if stored is not None:
                try:
                    mapping = mappings.from_json(table, stored, path)
                    saved = True
                except ImportFileError:
                    pass  # a saved mapping that no longer fits: the guess, as for a new file
        if date_order is not None:
            mapping = ColumnMapping(mapping.header_row, mapping.headers, mapping.columns,
                                    date_order)  # fmt: skip
        return ImportSource(table, mapping, saved)

    def saved_mapping(self, headers: tuple[str, ...]) -> dict[str, Any] | None:
        """The mapping saved for files whose column names are ``headers``, as JSON."""
        with self._db.read() as conn:
            stored = read_setting(conn, _mapping_key(headers))
        if isinstance(stored, str):
            try:
                stored = json.loads(stored)
            except ValueError:
                return None
        return stored if isinstance(stored, dict) else None

    def save_mapping(self, mapping: ColumnMapping) -> None:
        """Remember ``mapping`` for the next file laid out the same way (with the store's
        settings, on this laptop: never synced)."""
        with self._db.write() as conn:
            write_setting(conn, _mapping_key(mapping.headers), mapping.to_json())

    def preview(self, source: ImportSource) -> ImportPlan:
        with self._db.read() as conn:
            existing = my_live_rows(conn), unavailable_ids(conn)
        plan = build_plan(source.table, source.mapping, existing[0], self.tz, existing[1])
        plan.basis = (source, existing)
        return plan

    def run(
        self,
        source: ImportSource,
        *,
        cancelled: Callable[[], bool] = lambda: False,
        progress: Progress | None = None,
        preview: ImportPlan | None = None,
    ) -> tuple[Written, ImportPlan]:
        """Write the import in one transaction. Raises RowsRefusedError (nothing written) when any
        row is refused, ImportCancelledError (rolled back) when ``cancelled()`` turns true.

        ``preview``, the plan :meth:`preview` made of this source, is written as it is when the
        rep's records are still exactly those it was built against (read again inside this
        transaction); else the plan is built again, against the database as it is now."""
        with changes(self._db) as change_set:
            existing = my_live_rows(change_set.conn), unavailable_ids(change_set.conn)
            basis = preview.basis if preview is not None else None
            if basis is not None and basis[0] is source and basis[1] == existing:
                plan = preview
                _stamp_at_write(plan)
            else:
                plan = build_plan(source.table, source.mapping, existing[0], self.tz, existing[1])
            if plan.refusals:
                raise RowsRefusedError(source.table.path, plan.refusals)
            total, done = plan.writes, 0
            for table in TABLES:
                creates = plan.creates.get(table, [])
                # A first import into an empty table: its indexes are built once at the end.
                with bulk.indexes_rebuilt(change_set.conn, table, len(creates)):
                    for start in range(0, len(creates), CHUNK):
                        if cancelled():
                            raise ImportCancelledError
                        chunk = creates[start : start + CHUNK]
                        change_set.create_many(table, chunk, plan.checked.get(table))
                        done += len(chunk)
                        if progress:
                            progress(done, total)
                for number, (row_id, values) in enumerate(plan.updates.get(table, {}).items()):
                    if not values:
                        continue
                    if number % CHUNK == 0 and cancelled():
                        raise ImportCancelledError
                    change_set.update(table, row_id, values)
                    done += 1
            if cancelled():
                raise ImportCancelledError
            if progress:
                progress(total, total)
        return Written(change_set.changed()), plan


def _stamp_at_write(plan: ImportPlan) -> None:
    """A record the file gives no date of is created "now": the write's instant, not the
    preview's (the rep may have looked at the preview for minutes, or overnight). The preview
    checked it with its own "now"; the write checks it again, which stamps it then."""
    for table, rows in plan.creates.items():
        checked = plan.checked.get(table)
        if checked:
            for values in rows:
                if "created_at" not in values:
                    checked.pop(values["id"], None)


def _mapping_key(headers: tuple[str, ...]) -> str:
    return MAPPING_SETTING + mappings.header_signature(headers)
