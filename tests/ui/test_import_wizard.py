"""File > Import…: the wizard driven as a rep would, on the French office's workbook and on files
of the corpus; and the Export… buttons, read back with openpyxl."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import UTC, date, datetime

import openpyxl
import pytest
from PySide6.QtWidgets import QPushButton, QWizard

from kpidesk.domain.periods import period_containing
from kpidesk.presentation import Formatter
from kpidesk.presentation.kpis import KpiDisplay
from kpidesk.services.importing.service import CHUNK
from tests.services.importing.corpus import CASES
from tests.services.importing.helpers import dump_hash
from tests.services.importing.test_french_office import HEADERS, ROWS, _workbook
from tests.ui.test_indicators import tile


def _case(name, folder):
    case = next(c for c in CASES if c.name == name)
    path = folder / case.name
    case.write(path)
    return path


def _start(desktop, path):
    """File > Import…, the file chosen: the wizard on its first page, the file read."""
    desktop.window.import_action.trigger()
    wizard = desktop.import_wizard
    assert wizard is not None and wizard.isVisible()
    wizard.ask_path = lambda: path
    wizard.file_page.browse.click()
    return wizard


def _to_preview(wizard):
    assert wizard.file_page.isComplete(), wizard.file_page.status.text()
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    wizard.next()
    assert wizard.currentPage() is wizard.preview_page


def _import(wizard):
    assert wizard.preview_page.isComplete(), wizard.preview_page.status.text()
    wizard.next()  # the commit button: Import
    page = wizard.import_page
    assert wizard.currentPage() is page and page.isComplete()
    return page.status.text()


def _outbox(db_path):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT table_name, row_id, fields FROM outbox").fetchall()
    finally:
        conn.close()


@pytest.fixture
def office(tmp_path):
    path = tmp_path / "Suivi offres 2026.xlsx"
    _workbook(path, ROWS)
    return path


def test_the_empty_first_screen_offers_the_import(desktop):
    today = desktop.today
    assert today.welcome.isVisibleTo(today)  # no records yet
    today.import_button.click()
    assert desktop.import_wizard is not None
    desktop.import_wizard.reject()


def test_the_french_office_workbook_through_the_wizard_gives_the_hand_counted_indicators(
    desktop, office, workspace
):
    wizard = _start(desktop, office)
    assert wizard.file_page.sheet_box.isVisibleTo(
        wizard
    ) and not wizard.file_page.csv_box.isVisibleTo(wizard)
    assert "row 3" in wizard.file_page.status.text()  # below the title block
    _to_preview(wizard)
    counts = wizard.preview_page.counts.text()
    assert "<b>Accounts</b>: 4 new, 0 changed, 0 unchanged" in counts
    assert "<b>Offers</b>: 7 new, 0 changed, 0 unchanged" in counts
    rows = wizard.preview_page.rows
    assert rows.rowCount() == 7 and rows.item(0, 0).text() == "4"  # spreadsheet row numbers
    assert not wizard.preview_page.refused.isVisibleTo(wizard)
    text = _import(wizard)
    assert "11 records created, 0 updated" in text  # 4 accounts and 7 offers
    assert "11 records created" in desktop.window.toast._text.text()
    assert not desktop.today.welcome.isVisibleTo(desktop.today)  # the pages heard the change
    # The Indicators page of March 2026, checked against the hand count of the file
    # (tests/services/importing/test_french_office.py): 2 won of 3 decided; revenue
    # 12 400,00 + 1 999,99; pipeline at the end of March D-04 4 000,00 + D-05 15 000,00.
    page = desktop.indicators
    page.show_period(period_containing("month", datetime(2026, 3, 15, 12, tzinfo=UTC),
                                       workspace.tz))  # fmt: skip
    display = KpiDisplay(Formatter(), "EUR")
    assert tile(page, "conversion").value_label.text() == "67%"
    revenue = tile(page, "revenue")
    assert revenue.value_label.text() == display.value(revenue.definition, 1_439_999)
    pipeline = tile(page, "pipeline_value")
    assert pipeline.value_label.text() == display.value(pipeline.definition, 1_900_000)


def test_an_edited_copy_reimported_updates_exactly_the_edited_rows(
    desktop, office, tmp_path, db_path, workspace
):
    _import(_to_preview_of(desktop, office))
    desktop.import_wizard.accept()
    rows = [list(row) for row in ROWS]
    rows[3][5:8] = ["Gagné", "12/03/2026", "15/04/2026"]  # D-04 won in April
    rows[4][3] = "16 000,00 €"  # D-05's amount revised
    edited = tmp_path / "Suivi offres 2026 v2.xlsx"
    _workbook(edited, rows)
    before = len(_outbox(db_path))
    wizard = _to_preview_of(desktop, edited)
    counts = wizard.preview_page.counts.text()
    assert "<b>Offers</b>: 0 new, 2 changed, 5 unchanged" in counts
    assert "<b>Accounts</b>: 0 new, 1 changed, 3 unchanged" in counts  # Café des Arts won
    assert "0 records created, 3 updated" in _import(wizard)
    mutations = _outbox(db_path)[before:]
    by_reference = {row.reference: row.id for row in workspace.offers.list()}
    fields = {row_id: set(json.loads(f)) for table, row_id, f in mutations if table == "offer"}
    assert fields == {by_reference["D-04"]: {"status", "decided_at"},
                      by_reference["D-05"]: {"amount_cents"}}  # fmt: skip
    assert len(mutations) == 3


def _to_preview_of(desktop, path):
    wizard = _start(desktop, path)
    _to_preview(wizard)
    return wizard


def test_a_changed_mapping_is_saved_and_offered_again_for_the_same_columns(
    desktop, office, tmp_path
):
    wizard = _start(desktop, office)
    wizard.next()
    page = wizard.mapping_page
    assert not page.saved_note.isVisibleTo(wizard)
    title = HEADERS.index("Objet")
    assert page.combos[title].currentData() == "offer_title"
    page.set_field(title, None)  # the rep keeps "Objet" out
    page.save.setChecked(True)
    wizard.next()
    assert "Objet" not in [wizard.preview_page.rows.horizontalHeaderItem(c).text()
                           for c in range(wizard.preview_page.rows.columnCount())]  # fmt: skip
    wizard.reject()
    # Next month's copy of the file, same columns: the saved mapping is offered.
    copy = tmp_path / "Suivi offres avril.xlsx"
    _workbook(copy, ROWS[:2])
    again = _start(desktop, copy)
    again.next()
    assert again.mapping_page.saved_note.isVisibleTo(again)
    assert again.mapping_page.save.isChecked()
    assert again.mapping_page.combos[title].currentData() is None
    assert again.mapping_page.combos[HEADERS.index("Montant HT")].currentData() == "amount"
    again.reject()
    # A file with other columns gets the guess, not the saved mapping.
    other = tmp_path / "autre.csv"
    other.write_text("Client;Objet;Montant\nA;Fours;100\n", encoding="utf-8")
    third = _start(desktop, other)
    third.next()
    assert not third.mapping_page.saved_note.isVisibleTo(third)
    assert third.mapping_page.combos[1].currentData() == "offer_title"
    third.reject()


def test_every_refused_row_is_shown_with_its_row_column_and_reason(desktop, tmp_path):
    path = tmp_path / "offres.csv"
    path.write_text("Client;Montant;Statut\nA;100;Gagné\nB;douze;Perdu\n;300;Perdu\n"
                    "D;400;Peut-être\n", encoding="utf-8")  # fmt: skip
    wizard = _start(desktop, path)
    assert wizard.file_page.csv_box.isVisibleTo(wizard)
    page = wizard.file_page
    assert (page.encoding.currentData(), page.delimiter.currentData(),
            page.quoting.currentData()) == ("utf-8", ";", '"')  # fmt: skip
    _to_preview(wizard)
    refused = wizard.preview_page.refused
    cells = [[refused.item(r, c).text() for c in range(3)] for r in range(refused.rowCount())]
    assert cells == [
        ["2", "Sent on", "An offer that was sent needs its sent date."],  # won: it was sent
        ["3", "Montant", "'douze' is not a number."],
        ["4", "Client", "The account's name is missing."],
        ["5", "Statut", "'Peut-être' is not a value kpidesk knows here."],
    ]
    assert "4 rows cannot be imported" in wizard.preview_page.refused_title.text()
    assert not wizard.preview_page.isComplete()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    # Back to the mapping: "Statut" not imported, the preview again: one row fewer refused.
    wizard.back()
    wizard.mapping_page.set_field(2, None)
    wizard.next()
    assert refused.rowCount() == 2


def test_the_csv_options_can_be_changed_and_the_file_is_read_again(desktop, tmp_path):
    path = tmp_path / "offres.csv"
    path.write_bytes("Client;Montant;Ville\nCafé Müller;100;Lyon\n".encode("cp1252"))
    wizard = _start(desktop, path)
    page = wizard.file_page
    assert page.encoding.currentData() == "cp1252"
    page.encoding.setCurrentIndex(page.encoding.findData("utf-8"))
    page.encoding.activated.emit(page.encoding.currentIndex())
    assert not page.isComplete()
    assert "not in the utf-8 encoding" in page.status.text()
    page.encoding.setCurrentIndex(page.encoding.findData("latin-1"))
    page.encoding.activated.emit(page.encoding.currentIndex())
    assert page.isComplete()
    wizard.reject()


def test_when_the_dates_read_both_ways_the_wizard_asks(desktop, tmp_path):
    wizard = _start(desktop, _case("ambiguous_dates.csv", tmp_path))
    _to_preview(wizard)
    preview = wizard.preview_page
    assert preview.dates_question.isVisibleTo(wizard)
    assert "Date d'envoi" in preview.status.text()
    assert not preview.isComplete()
    preview.day_first.click()
    assert preview.isComplete()
    assert preview.rows.item(0, 3).text() == Formatter().date(
        datetime(2026, 2, 3, tzinfo=wizard.ctx.workspace.tz))  # fmt: skip
    assert wizard.mapping_page.date_order.currentData() == "day_first"


def test_cancel_during_the_import_leaves_the_database_byte_for_byte_unchanged(
    desktop, tmp_path, db_path, workspace
):
    workspace.accounts.create({"name": "Déjà là"})
    path = tmp_path / "comptes.csv"
    path.write_text("Client;Ville\n" + "".join(f"S{i};Lyon\n" for i in range(3 * CHUNK)),
                    "utf-8")  # fmt: skip
    wizard = _start(desktop, path)
    _to_preview(wizard)
    before = dump_hash(db_path)
    seen = []

    def on_progress(done, total):
        seen.append(done)
        wizard.import_page.cancel_button.click()  # the rep presses Cancel mid-way

    wizard.import_page.relay.sig_progress.connect(on_progress)
    text = _import(wizard)
    assert seen == [CHUNK]  # one chunk was written inside the transaction, then Cancel
    assert "Import cancelled: nothing was changed." in text
    assert dump_hash(db_path) == before
    assert [row.name for row in workspace.accounts.list()] == ["Déjà là"]


def test_the_export_buttons_write_real_numbers_and_dates(desktop, office, tmp_path, workspace):
    _import(_to_preview_of(desktop, office))
    desktop.import_wizard.accept()
    exporter = desktop.pipeline.exporter
    assert exporter.suggested_name() == f"kpidesk-pipeline-{date.today().isoformat()}.xlsx"
    exporter.ask_path = lambda suggested: tmp_path / suggested
    buttons = desktop.pipeline.findChildren(QPushButton)
    pipeline_button = next(b for b in buttons if b.text() == "Export…")
    pipeline_button.click()
    sheet = openpyxl.load_workbook(exporter.last_path).active
    header = [c.value for c in sheet[1]]
    rows = {r[header.index("Reference")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    d01 = rows["D-01"]
    assert d01[header.index("Amount")] == 12400.0  # a number, not "12 400,00 €"
    assert isinstance(d01[header.index("Sent on")], datetime)
    assert d01[header.index("Sent on")].date() == date(2026, 3, 2)
    assert rows["D-02"][header.index("Margin")] is None  # unknown, not 0
    # The indicators of a period: numbers (a rate as a fraction).
    page = desktop.indicators
    page.show_period(period_containing("month", datetime(2026, 3, 15, 12, tzinfo=UTC),
                                       workspace.tz))  # fmt: skip
    page.exporter.ask_path = lambda suggested: tmp_path / suggested
    assert page.exporter.suggested_name().startswith("kpidesk-kpi-month-2026-03-01-")
    page.export_button.click()
    values = {r[0]: r[2] for r in openpyxl.load_workbook(page.exporter.last_path).active
              .iter_rows(min_row=2, values_only=True)}  # fmt: skip
    assert values["Conversion rate"] == pytest.approx(2 / 3)
    assert values["Revenue"] == pytest.approx(14_399.99)
    # An indicator's counted records, and the journal as .csv.
    page.open_detail("conversion")
    detail = page.detail
    detail.exporter.ask_path = lambda suggested: tmp_path / suggested.replace(".xlsx", ".csv")
    detail.export_button.click()
    with detail.exporter.last_path.open(encoding="utf-8-sig", newline="") as handle:
        exported = list(csv.reader(handle, delimiter=";"))
    assert detail.exporter.last_path.name.startswith("kpidesk-conversion-records-month-2026-03")
    assert sorted(r[1] for r in exported[1:]) == ["D-01", "D-03"]  # the 2 offers won
