"""A spreadsheet's cells, as rows of Python values: .xlsx through openpyxl, .csv through the
standard library with the encoding and the delimiter detected (and overridable).

Reading never writes anything; a file it cannot read raises :class:`ImportFileError` with a
sentence that says what the file is and what to do.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kpidesk.domain.i18n import N_, Message
from kpidesk.services.importing.errors import ImportFileError

MAX_FILE_BYTES = 200 * 1024 * 1024  # far above a team's file; stops a mistaken pick of a disk image
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .xlsx or an old .xls
_ZIP_MAGIC = b"PK\x03\x04"
DELIMITERS = (";", ",", "\t", "|")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1")


@dataclass(frozen=True)
class SourceTable:
    """The cells of one sheet (or of a CSV file) and how they were read."""

    path: Path
    rows: list[tuple[Any, ...]]  # row i is spreadsheet row i + 1
    sheet: str | None = None  # None for a CSV file
    sheets: tuple[str, ...] = ()
    encoding: str | None = None  # CSV only
    delimiter: str | None = None  # CSV only
    quotechar: str | None = None  # CSV only; "" when quotes are plain characters
    notes: list[Message] = field(default_factory=list)  # what reading had to do (e.g. formulas)


def read_source(
    path: Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    quotechar: str | None = None,
) -> SourceTable:
    """Read ``path`` (.xlsx or .csv, told apart by their first bytes, not only the suffix).
    A CSV file's cells are quoted with ``"`` unless ``quotechar`` says otherwise ("" for no
    quoting at all)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ImportFileError(
            path, Message(N_("The file cannot be opened ({reason})."), {"reason": exc.strerror})
        ) from None
    if size == 0:
        raise ImportFileError(path, Message(N_("The file is empty.")))
    if size > MAX_FILE_BYTES:
        raise ImportFileError(path, Message(N_("The file is too large to be a team's list.")))
    if head.startswith(_OLE_MAGIC):
        raise ImportFileError(
            path,
            Message(
                N_("This is a password-protected workbook or an old .xls file: open it in"
                   " Excel and save it as .xlsx without a password.")
            ),
        )  # fmt: skip
    if head.startswith(_ZIP_MAGIC):
        return _read_xlsx(path, sheet)
    if path.suffix.lower() in XLSX_SUFFIXES:
        raise ImportFileError(
            path, Message(N_("This file is named .xlsx but is not an Excel workbook."))
        )
    return _read_csv(path, encoding, delimiter, '"' if quotechar is None else quotechar)


def _read_xlsx(path: Path, sheet: str | None) -> SourceTable:
    import openpyxl  # heavy: only when a workbook is read

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ImportFileError(
            path,
            Message(N_("This workbook is damaged or not an Excel file ({reason})."),
                    {"reason": type(exc).__name__}),
        ) from None  # fmt: skip
    except Exception as exc:  # openpyxl raises many kinds on a hostile file; none may escape
        raise ImportFileError(
            path,
            Message(N_("This workbook is damaged or not an Excel file ({reason})."),
                    {"reason": type(exc).__name__}),
        ) from None  # fmt: skip
    try:
        names = tuple(book.sheetnames)
        if sheet is None:
            chosen = book.worksheets[0].title if book.worksheets else None
        elif sheet in names:
            chosen = sheet
        else:
            raise ImportFileError(
                path,
                Message(N_("There is no sheet named {sheet!r} (the sheets are: {names})."),
                        {"sheet": sheet, "names": ", ".join(names)}),
            )  # fmt: skip
        if chosen is None:
            raise ImportFileError(path, Message(N_("The workbook has no sheet.")))
        rows = [tuple(_cell(v) for v in row) for row in book[chosen].iter_rows(values_only=True)]
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(
            path,
            Message(N_("This workbook is damaged or not an Excel file ({reason})."),
                    {"reason": type(exc).__name__}),
        ) from None  # fmt: skip
    finally:
        book.close()
    return SourceTable(path, _trimmed(rows), sheet=chosen, sheets=names)


def _cell(value: Any) -> Any:
    # data_only=True gives a formula's cached result; a formula never calculated has none.
    if isinstance(value, str):
        return value.replace("\x00", "")
    return value


def _read_csv(
    path: Path, encoding: str | None, delimiter: str | None, quotechar: str
) -> SourceTable:
    data = path.read_bytes()
    if encoding is None:
        encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise ImportFileError(
            path, Message(N_("The file is not in the {encoding} encoding."), {"encoding": encoding})
        ) from None
    text = text.removeprefix("\ufeff")
    if _looks_binary(text):
        raise ImportFileError(
            path, Message(N_("This file is not a spreadsheet or a text (CSV) file."))
        )
    if delimiter is None:
        delimiter = detect_delimiter(text)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FILE_BYTES)  # a 1 MB cell is read, then refused by its field's limit
    try:
        quoting = {"quotechar": quotechar} if quotechar else {"quoting": csv.QUOTE_NONE}
        if "\x00" in text:  # a NUL is no character of a cell (nor a delimiter or a quote)
            text = text.replace("\x00", "")
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, **quoting)
        rows = list(map(tuple, reader))
    except csv.Error as exc:
        raise ImportFileError(
            path, Message(N_("The CSV file is malformed ({reason})."), {"reason": str(exc)})
        ) from None
    finally:
        csv.field_size_limit(old_limit)
    return SourceTable(path, _trimmed(rows), encoding=encoding, delimiter=delimiter,
                       quotechar=quotechar)  # fmt: skip


def detect_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with its BOM, else what charset-normalizer finds
    among the Windows and Latin encodings a French office uses."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=["cp1252", "latin_1"]).best()
    return best.encoding if best is not None else "cp1252"


def detect_delimiter(text: str) -> str:
    """The delimiter of the first lines (csv.Sniffer), else the most frequent candidate."""
    sample = text[:64_000]
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample.strip() else ""
        return max(DELIMITERS, key=first.count) if first else ","


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for c in sample if c < " " and c not in "\t\r\n")
    return bool(sample) and controls > len(sample) // 20


def _trimmed(rows: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows without their trailing empty cells, and without trailing empty rows."""
    out = []
    for row in rows:
        if row and (row[-1] is None or row[-1] == ""):
            cells = list(row)
            while cells and (cells[-1] is None or cells[-1] == ""):
                cells.pop()
            row = tuple(cells)
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out
