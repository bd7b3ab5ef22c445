"""Export a list, import it back: nothing changes. In .xlsx numbers and dates are real numbers
and dates; no exported cell is ever a formula."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from kpidesk.domain.vocabulary import ActivityKind, ActivityPurpose, OfferStatus
from kpidesk.services.exporting import sheets
from kpidesk.services.exporting.writers import write_csv, write_xlsx
from kpidesk.services.importing.service import ImportService
from tests.services.importing.helpers import dump_hash

PARIS = ZoneInfo("Europe/Paris")
HOSTILE = '=HYPERLINK("http://evil","x")'


@pytest.fixture
def book(workspace):
    dupont = workspace.accounts.create({"name": "SARL Dupont", "city": "+33 Lyon",
                                        "notes": "@SUM(A1)\nsecond line"}).id  # fmt: skip
    evil = workspace.accounts.create({"name": HOSTILE, "sector": "-2+3"}).id
    workspace.offers.create({"account_id": dupont, "reference": "D-1", "title": "Fours",
                             "amount_cents": 1_240_050, "margin_cents": 310_000,
                             "status": OfferStatus.WON, "probability": 0.4,
                             "sent_at": datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC),
                             "decided_at": datetime(2026, 3, 16, 14, tzinfo=UTC)})  # fmt: skip
    workspace.offers.create({"account_id": evil, "reference": "D-2", "title": "\tTab",
                             "amount_cents": 99, "status": OfferStatus.DRAFT})  # fmt: skip
    workspace.activities.create({"account_id": dupont, "kind": ActivityKind.VISIT,
                                 "purpose": ActivityPurpose.FOLLOW_UP,
                                 "done_at": datetime(2026, 3, 3, 8, tzinfo=UTC),
                                 "outcome": "+ intéressé", "notes": "RDV\r\ncafé"})  # fmt: skip
    return workspace


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("what", ["accounts", "pipeline", "journal"])
def test_export_then_import_changes_nothing(book, db_path, tmp_path, what, suffix):
    sheet = getattr(sheets, f"{what}_sheet")(book)
    assert sheet.rows, what
    path = tmp_path / sheets.file_name(what, datetime(2026, 3, 20).date(), suffix)
    (write_xlsx if suffix == ".xlsx" else write_csv)(sheet, path, PARIS)
    before = dump_hash(db_path)
    service = ImportService(book.db, PARIS)
    source = service.open(path)
    plan = service.preview(source)
    assert plan.refusals == [], [str(r) for r in plan.refusals]
    written, plan = service.run(source)
    assert not written, {t: plan.updates.get(t) for t in ("account", "offer", "activity")}
    assert dump_hash(db_path) == before
    kind = {"accounts": "account", "pipeline": "offer", "journal": "activity"}[what]
    assert plan.counts(kind).unchanged == len(sheet.rows)


def test_xlsx_holds_numbers_dates_and_never_a_formula(book, tmp_path):
    import openpyxl

    path = tmp_path / "pipeline.xlsx"
    write_xlsx(sheets.pipeline_sheet(book), path, PARIS)
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    rows = {r[1].value: r for r in ws.iter_rows(min_row=2)}
    amount = rows["D-1"][header.index("Amount")]
    assert amount.value == pytest.approx(12_400.50) and amount.data_type == "n"
    sent = rows["D-1"][header.index("Sent on")]
    assert isinstance(sent.value, datetime)
    assert sent.value.replace(microsecond=0) == datetime(2026, 3, 2, 10, 30, 15)  # Paris time
    assert rows["D-1"][header.index("Probability")].value == pytest.approx(0.4)
    account = rows["D-2"][header.index("Account")]
    assert account.value == HOSTILE and account.data_type == "s"  # a text, not a formula
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


def test_csv_neutralises_formula_starts(book, tmp_path):
    path = tmp_path / "accounts.csv"
    write_csv(sheets.accounts_sheet(book), path, PARIS)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle, delimiter=";") for cell in row]
    assert "'" + HOSTILE in cells and HOSTILE not in cells
    assert "'+33 Lyon" in cells and "'-2+3" in cells and "'@SUM(A1)\nsecond line" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_the_file_name_says_what_and_when():
    day = datetime(2026, 3, 15).date()
    assert sheets.file_name("pipeline", day, ".xlsx") == "kpidesk-pipeline-2026-03-15.xlsx"
    assert (sheets.file_name("kpi", day, ".csv", "month-2026-03-01")
            == "kpidesk-kpi-month-2026-03-01-2026-03-15.csv")  # fmt: skip
