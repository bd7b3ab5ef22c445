"""Which column fills which kpidesk field, and which row holds the column names.

The header is found even below a title block ("Suivi des offres 2026", a blank line, then the
names): it is the row, among the first ones, whose cells name the most kpidesk fields. The
mapping is guessed from the names (``kpidesk.domain.import_columns``), can be changed, and is
saved as JSON keyed by column name, so it still fits next month's copy of the file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpidesk.domain.i18n import N_, Message
from kpidesk.domain.import_columns import (
    FIELD_BY_KEY,
    Kind,
    guess_mapping,
    header_score,
    row_kind,
)
from kpidesk.domain.import_values import text_of
from kpidesk.services.importing.errors import ImportFileError
from kpidesk.services.importing.reading import SourceTable

HEADER_SEARCH_ROWS = 30
MAPPING_VERSION = 1


@dataclass(frozen=True)
class ColumnMapping:
    header_row: int  # 1-based spreadsheet row of the column names
    headers: tuple[str, ...]  # column names as written ("" for an unnamed column)
    columns: dict[int, str]  # column index -> field key
    date_order: str | None = None  # day_first / month_first, when the rep says so

    @property
    def kind(self) -> Kind:
        return row_kind(set(self.columns.values()))

    def header_of(self, key: str) -> str | None:
        for index, field_key in self.columns.items():
            if field_key == key:
                return self.column_name(index)
        return None

    def column_name(self, index: int) -> str:
        name = self.headers[index] if index < len(self.headers) else ""
        return name or _column_letter(index)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": MAPPING_VERSION,
            "header_row": self.header_row,
            "date_order": self.date_order,
            "columns": {self.column_name(i): key for i, key in sorted(self.columns.items())},
        }


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def find_header_row(table: SourceTable) -> int:
    """The 1-based row holding the column names."""
    best_row, best_score = 0, 0
    for number, row in enumerate(table.rows[:HEADER_SEARCH_ROWS], start=1):
        score = header_score([text_of(c) or "" for c in row])
        if score > best_score:
            best_row, best_score = number, score
    if best_score == 0:
        if not any(table.rows):
            raise ImportFileError(table.path, Message(N_("The file holds no rows.")))
        raise ImportFileError(
            table.path,
            Message(N_("No column has a name kpidesk knows (such as Client, Montant, Statut,"
                       " Date d'envoi): name the columns, or give a mapping file.")),
        )  # fmt: skip
    return best_row


def guess(table: SourceTable, header_row: int | None = None) -> ColumnMapping:
    """The first guess: the header found, each column mapped from its name."""
    row = header_row or find_header_row(table)
    headers = _headers(table, row)
    columns = guess_mapping(headers)
    _place_plain_date(headers, columns)
    return ColumnMapping(row, headers, columns)


def _place_plain_date(headers: tuple[str, ...], columns: dict[int, str]) -> None:
    # A column named just "Date" is the sent date in an offers file and the day it was done
    # in a journal of calls and visits; in a list of accounts it means nothing kpidesk keeps.
    from kpidesk.domain.import_values import fold

    for index, name in enumerate(headers):
        if fold(name) == "date" and columns.get(index) == "sent_at":
            others = {k for i, k in columns.items() if i != index}
            kind = row_kind(others)
            if kind is Kind.OFFER:
                continue
            del columns[index]
            if kind is Kind.ACTIVITY and "done_at" not in others:
                columns[index] = "done_at"


def _headers(table: SourceTable, row: int) -> tuple[str, ...]:
    if not 1 <= row <= len(table.rows):
        raise ImportFileError(
            table.path, Message(N_("There is no row {row} in this file."), {"row": row})
        )
    return tuple(text_of(c) or "" for c in table.rows[row - 1])


def header_signature(headers: tuple[str, ...]) -> str:
    """What identifies a file's layout: its column names, folded (next month's copy of the
    file, or the same names in another case, has the same signature)."""
    from kpidesk.domain.import_values import fold

    return hashlib.sha256("\x1f".join(fold(h) for h in headers).encode()).hexdigest()[:32]


def load(table: SourceTable, path: Path) -> ColumnMapping:
    """A mapping saved as JSON, applied to this file's columns by their names."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    return from_json(table, data, path)


def from_json(table: SourceTable, data: Any, origin: Path) -> ColumnMapping:
    """A mapping as :meth:`ColumnMapping.to_json` wrote it, applied to ``table``'s columns by
    their names; ``origin`` (the mapping file, or the spreadsheet for a saved one) is named in
    the error when it does not fit."""
    path = origin
    try:
        header_row = data.get("header_row")
        columns_by_name = data["columns"]
        if not isinstance(columns_by_name, dict) or (
            header_row is not None and not isinstance(header_row, int)
        ):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise ImportFileError(
            path, Message(N_('This is not a kpidesk mapping file (JSON with "columns").'))
        ) from None
    base = guess(table, header_row)
    columns: dict[int, str] = {}
    names = [base.column_name(i) for i in range(len(base.headers))]
    for name, key in columns_by_name.items():
        if key is None:
            continue
        if key not in FIELD_BY_KEY:
            raise ImportFileError(
                path, Message(N_("Unknown kpidesk field {key!r} in the mapping."), {"key": key})
            )
        if name not in names:
            raise ImportFileError(
                path,
                Message(N_("The mapping names a column {name!r} this file does not have."),
                        {"name": name}),
                column=name,
            )  # fmt: skip
        columns[names.index(name)] = key
    order = data.get("date_order")
    return ColumnMapping(base.header_row, base.headers, columns, order)


def save(mapping: ColumnMapping, path: Path) -> None:
    path.write_text(json.dumps(mapping.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
