"""Writing a :class:`Sheet` as .xlsx or .csv.

Money is a number (euros, two decimals) and an instant a date-time in the rep's zone, so the
spreadsheet can sum and sort them. No cell is ever run as a formula: in .xlsx every text is a
text cell; in .csv a text starting with = + - @, a tab or a carriage return gets a leading
apostrophe (the OWASP advice on CSV injection), which the import takes off again.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT, MONEY, INSTANT, NUMBER, FRACTION = "text", "money", "instant", "number", "fraction"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]


def neutralised(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _value(value: Any, kind: str, tz: ZoneInfo) -> Any:
    if value is None:
        return None
    if kind == MONEY:
        return Decimal(value) / 100
    if kind == INSTANT and isinstance(value, datetime):
        return value.astimezone(tz).replace(tzinfo=None)
    if hasattr(value, "value") and isinstance(value, str):  # an enum kept as its label
        return str(value)
    return value


def write_xlsx(sheet: Sheet, path: Path, tz: ZoneInfo) -> None:
    import openpyxl
    from openpyxl.cell.cell import TYPE_STRING

    book = openpyxl.Workbook(write_only=False)
    ws = book.active
    ws.title = sheet.title[:31]
    ws.append([column.label for column in sheet.columns])
    formats = {MONEY: "#,##0.00", INSTANT: "yyyy-mm-dd hh:mm", FRACTION: "0%"}
    for number, row in enumerate(sheet.rows, start=2):
        for index, (column, value) in enumerate(zip(sheet.columns, row, strict=True), start=1):
            cell = ws.cell(row=number, column=index)
            value = _value(value, column.kind, tz)
            if isinstance(value, Decimal):
                value = float(value)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = TYPE_STRING  # a text starting with "=" stays a text
            elif column.kind in formats and value is not None:
                cell.number_format = formats[column.kind]
    book.save(path)


def write_csv(sheet: Sheet, path: Path, tz: ZoneInfo) -> None:
    # UTF-8 with a BOM and semicolons: what Excel opens correctly in a French office.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow([neutralised(column.label) for column in sheet.columns])
        for row in sheet.rows:
            writer.writerow([_csv_cell(v, c.kind, tz) for c, v in zip(sheet.columns, row,
                                                                      strict=True)])  # fmt: skip


def _csv_cell(value: Any, kind: str, tz: ZoneInfo) -> str:
    value = _value(value, kind, tz)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, int):
        return str(value)
    return neutralised(str(value))
