"""A corpus of malformed, hostile and awkward spreadsheets, written on demand into a folder.

Each case says what kpidesk must do with it: refuse it with a message naming the file (and the
row and column when there is one), or import it with the counts a person expects. Run
``python -m tests.services.importing.corpus FOLDER`` to look at the files themselves.
"""

from __future__ import annotations

import codecs
import io
import random
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Case:
    name: str  # the file name
    write: Callable[[Path], None]
    # Refused: words the message must hold (besides the file's name); the row and column.
    refused: tuple[str, ...] = ()
    row: int | None = None
    column: str | None = None
    # Imported: {table: (new, changed, unchanged)} for the tables that must have moved.
    counts: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    options: dict[str, object] = field(default_factory=dict)


def _text(content: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content.encode(encoding))


def _bytes(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def _workbook(
    rows: list[list[object]], *, merge: tuple[str, ...] = (), title: str = "Offres"
) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = title
        for row in rows:
            sheet.append(row)
        for cells in merge:
            sheet.merge_cells(cells)
        book.save(path)

    return write


def _garbage(size: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(size))


def _zip_of_junk(path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    path.write_bytes(buffer.getvalue())


def _truncated(path: Path) -> None:
    # A workbook cut short, as a copy interrupted on a USB stick leaves it.
    _workbook([["Client"], ["A"]])(path)
    path.write_bytes(path.read_bytes()[:300])


def _big(rows: int, bad_last: bool) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        lines = ["Client;Ville"]
        lines += [f"Société {i};Lyon" for i in range(rows - 1)]
        lines.append("Société finale;Lyon" if not bad_last else ";Lyon")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    return write


HEADER = "Client;Montant HT;Statut;Date d'envoi;Date de décision\n"

CASES: tuple[Case, ...] = (
    Case("empty.csv", _bytes(b""), refused=("empty",)),
    Case("empty.xlsx", _bytes(b""), refused=("empty",)),
    Case("header_only.csv", _text(HEADER)),
    Case("garbage.xlsx", _bytes(_garbage(4096, 1)), refused=("not an Excel workbook",)),
    Case("garbage.csv", _bytes(b"\x00\x01\x02" * 2000), refused=("not a spreadsheet",)),
    Case("encrypted.xlsx", _bytes(OLE_MAGIC + _garbage(4088, 2)), refused=("password",)),
    Case("zip_not_workbook.xlsx", _zip_of_junk, refused=("damaged",)),
    Case("truncated.xlsx", _truncated, refused=("damaged",)),
    Case("unknown_columns.csv", _text("Foo;Bar;Baz\n1;2;3\n"), refused=("No column",)),
    Case("only_blank_rows.xlsx", _workbook([[None], [None]]), refused=("no rows",)),
    Case(
        "title_block.xlsx",
        _workbook(
            [
                ["Suivi des offres — 2026"],
                [],
                ["Client", "Montant", "Statut", "Date d'envoi"],
                ["Dupont", 1200, "En cours", date(2026, 2, 3)],
            ]
        ),
        counts={"account": (1, 0, 0), "offer": (1, 0, 0)},
    ),
    Case(
        "merged_cells.xlsx",
        # The account's name merged down two rows: only the first row holds it.
        _workbook(
            [
                ["Client", "Montant", "Statut", "Date d'envoi"],
                ["Dupont", 100, "En cours", date(2026, 2, 3)],
                [None, 200, "En cours", date(2026, 2, 4)],
            ],
            merge=("A2:A3",),
        ),
        refused=("account's name is missing",),
        row=3,
        column="Client",
    ),
    Case(
        "formulas.xlsx",
        # A formula openpyxl wrote was never calculated: no cached result, so no amount.
        _workbook(
            [
                ["Client", "Montant", "Statut", "Date d'envoi"],
                ["Dupont", "=2*600", "En cours", date(2026, 2, 3)],
            ]
        ),
        refused=("amount is missing",),
        row=2,
        column="Montant",
    ),
    Case(
        "serial_dates.xlsx",
        _workbook(
            [["Client", "Montant", "Statut", "Date d'envoi"], ["Dupont", 100, "En cours", 46056]]
        ),  # 3 February 2026
        counts={"account": (1, 0, 0), "offer": (1, 0, 0)},
    ),
    Case(
        "text_dates.xlsx",
        _workbook(
            [
                ["Client", "Montant", "Statut", "Date d'envoi"],
                ["Dupont", 100, "En cours", "03/02/2026"],
                ["Martin", 100, "En cours", "15/02/2026"],
            ]
        ),
        counts={"account": (2, 0, 0), "offer": (2, 0, 0)},
    ),
    Case(
        "mixed_date_orders.csv",
        _text("Client;Montant;Date d'envoi\nA;1;13/02/2026\nB;2;02/13/2026\n"),
        refused=("mixes day-first and month-first",),
        column="Date d'envoi",
    ),
    Case(
        "ambiguous_dates.csv",
        _text("Client;Montant;Date d'envoi\nA;1;03/02/2026\nB;2;04/05/2026\n"),
        refused=("reads both ways",),
        column="Date d'envoi",
    ),
    Case(
        "ambiguous_dates_told.csv",
        _text("Client;Montant;Date d'envoi\nA;1;03/02/2026\nB;2;04/05/2026\n"),
        counts={"offer": (2, 0, 0)},
        options={"date_order": "day_first"},
    ),
    Case(
        "two_digit_years.csv",
        _text("Client;Montant;Date d'envoi\nA;1;13/02/26\nB;2;01/03/26\n"),
        counts={"offer": (2, 0, 0)},
    ),
    Case(
        "rows_50000.csv",
        _big(50_000, bad_last=True),
        refused=("account's name is missing",),
        row=50_001,
        column="Client",
    ),
    Case(
        "cell_1mb.csv",
        _text("Client;Notes\nDupont;" + "x" * 1_000_000 + "\n"),
        refused=("too long",),
        row=2,
        column="Notes",
    ),
    Case(
        "nul_in_cell.csv", _text("Client;Ville\nDu\x00pont;Lyon\n"), counts={"account": (1, 0, 0)}
    ),
    Case(
        "csv_injection.csv",
        _text('Client;Ville\n=HYPERLINK("http://x");+33 1\n@SUM(A1);-2+3\n"\tTab";"\rCR"\n'),
        counts={"account": (3, 0, 0)},  # stored as the text it is; export neutralises it
    ),
    Case(
        "utf16.csv",
        _text("Client\tVille\nSociété Générale\tSète\n", "utf-16"),
        counts={"account": (1, 0, 0)},
    ),
    Case(
        "cp1252.csv",
        _text("Client;Ville\nSociété Générale;Sète\n", "cp1252"),
        counts={"account": (1, 0, 0)},
    ),
    Case(
        "utf8_bom.csv",
        _bytes(codecs.BOM_UTF8 + "Client;Ville\nÉlan;Sète\n".encode()),
        counts={"account": (1, 0, 0)},
    ),
    Case(
        "comma_quoted.csv",
        _text('Client,Montant,Date d\'envoi\nDupont,"1 250,50",2026-02-03\n'),
        counts={"offer": (1, 0, 0)},
    ),
    Case(
        "duplicate_headers.csv",
        _text("Client;Montant;Montant;Date d'envoi\nDupont;100;999;2026-02-03\n"),
        counts={"offer": (1, 0, 0)},  # the first "Montant" is used, the second left unmapped
    ),
    Case(
        "bad_amount.csv",
        _text("Client;Montant\nA;100\nB;douze\n"),
        refused=("'douze' is not a number",),
        row=3,
        column="Montant",
    ),
    Case(
        "unknown_status.csv",
        _text("Client;Montant;Statut\nA;100;Peut-être\n"),
        refused=("is not a value kpidesk knows",),
        row=2,
        column="Statut",
    ),
    Case(
        "won_without_decision.csv",
        _text("Client;Montant;Statut;Date d'envoi\nA;100;Gagné;2026-02-03\n"),
        refused=("decision date",),
        row=2,
        column="Decided on",
    ),
    Case(
        "repeated_reference.csv",
        _text("N° devis;Client;Montant;Date d'envoi\nD1;A;1;2026-02-03\nD1;A;2;2026-02-04\n"),
        refused=("repeats row 2",),
        row=3,
    ),
    Case(
        "wrong_sheet.xlsx",
        _workbook([["Client"], ["A"]]),
        refused=("no sheet named",),
        options={"sheet": "Feuil9"},
    ),
)


def build(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for case in CASES:
        path = folder / case.name
        case.write(path)
        paths[case.name] = path
    return paths


if __name__ == "__main__":
    for name in build(Path(sys.argv[1])):
        print(name)
