"""A French office's offers workbook (French headers, "12 400,00 €", dd/mm/yyyy, Gagné / Perdu /
En cours) imports, and the indicators of March 2026 equal the numbers worked out by hand; a
second import of an edited copy updates exactly the edited rows and fields."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from kpidesk.domain.periods import period_containing
from kpidesk.domain.vocabulary import AccountStatus, OfferStatus
from kpidesk.services.importing.service import ImportService
from kpidesk.services.kpis import KpiService

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 6, 15, 10, tzinfo=UTC)  # March is over
HEADERS = ["N° devis", "Client", "Objet", "Montant HT", "Marge", "Statut", "Date d'envoi",
           "Date de décision", "Commercial"]  # fmt: skip
ROWS = [
    ["D-01", "Boulangerie Martin", "Fours", "12 400,00 €", "3 100,00 €", "Gagné",
     "02/03/2026", "16/03/2026", "Jean"],
    ["D-02", "SARL Dupont", "Vitrines", "8 250,50 €", None, "Perdu",
     "05/03/2026", "20/03/2026", "Jean"],
    ["D-03", "SARL Dupont", "Entretien", "1 999,99 €", "500,00 €", "Gagné",
     "10/02/2026", "25/03/2026", "Marie"],
    ["D-04", "Café des Arts", "Machine", "4 000,00 €", None, "En cours",
     "12/03/2026", None, "Jean"],
    ["D-05", "Boulangerie Martin", "Extension", "15 000,00 €", None, "En cours",
     "20/02/2026", None, "Jean"],
    ["D-06", "Hôtel du Lac", "Literie", "7 500,00 €", None, "Abandonné",
     "01/02/2026", "14/02/2026", "Jean"],
    ["D-07", "Café des Arts", "Option", "900,00 €", None, "Brouillon", None, None, "Jean"],
]  # fmt: skip


def _workbook(path, rows):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Suivi offres"
    sheet.append(["Suivi des offres — équipe Rhône-Alpes"])
    sheet.append([])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)


@pytest.fixture
def imported(workspace, tmp_path):
    path = tmp_path / "offres.xlsx"
    _workbook(path, ROWS)
    service = ImportService(workspace.db, PARIS)
    source = service.open(path)
    preview = service.preview(source)
    _written, plan = service.run(source)
    return workspace, service, preview, plan


def test_the_preview_counts_what_the_file_holds(imported):
    _ws, _service, preview, _plan = imported
    assert preview.refusals == []
    assert preview.rows == 7
    assert (preview.counts("account").new, preview.counts("offer").new) == (4, 7)
    assert preview.preview[0].number == 4  # title, blank line, header: the first offer is row 4


def test_the_indicators_of_march_equal_the_numbers_by_hand(imported):
    workspace, _service, _preview, _plan = imported
    report = KpiService(workspace.db, PARIS, clock=lambda: NOW).compute(
        period_containing("month", datetime(2026, 3, 15, 12, tzinfo=UTC), PARIS)
    )
    # Decided in March: D-01 won (16/03), D-02 lost (20/03), D-03 won (25/03); D-06 was
    # abandoned in February. Conversion 2 won of 3 decided.
    conversion = report["conversion"].current.rate
    assert (conversion.numerator, conversion.denominator) == (2, 3)
    # Revenue: D-01 12 400,00 € + D-03 1 999,99 € = 14 399,99 €.
    assert report["revenue"].value == 1_240_000 + 199_999
    # Margin: 3 100,00 € + 500,00 € (D-02 has none: unknown, and it was lost anyway).
    assert report["margin"].value == 310_000 + 50_000
    # Open at the end of March: D-04 (4 000,00 €) and D-05 (15 000,00 €); D-07 is a draft.
    assert report["pipeline_value"].value == 400_000 + 1_500_000


def test_the_records_are_the_reps_and_the_owner_column_is_kept(imported):
    workspace, _service, _preview, _plan = imported
    accounts = {row.name: workspace.accounts.get(row.id) for row in workspace.accounts.list()}
    assert set(accounts) == {"Boulangerie Martin", "SARL Dupont", "Café des Arts", "Hôtel du Lac"}
    assert accounts["SARL Dupont"]["notes"] == "Commercial: Jean\nCommercial: Marie"
    # A won offer makes its account a client, as when the rep records the decision.
    assert accounts["Boulangerie Martin"]["status"] is AccountStatus.CLIENT
    assert accounts["Café des Arts"]["status"] is AccountStatus.PROSPECT
    offers = {row.reference: row for row in workspace.offers.list()}
    assert offers["D-02"].margin_cents is None  # unknown, never zero
    assert offers["D-02"].probability is None
    assert offers["D-07"].status is OfferStatus.DRAFT and offers["D-07"].sent_at is None
    assert offers["D-01"].sent_at == datetime(2026, 3, 1, 23, tzinfo=UTC)  # 2 March in Paris
    me = workspace.profile().user_id
    assert {row.owner_id for row in workspace.offers.list()} == {me}


def _outbox(db_path):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT table_name, row_id, fields FROM outbox").fetchall()
    finally:
        conn.close()


def test_the_same_file_again_changes_nothing(imported, db_path, tmp_path):
    _ws, service, _preview, _plan = imported
    before = len(_outbox(db_path))
    written, plan = service.run(service.open(tmp_path / "offres.xlsx"))
    assert not written
    assert (plan.counts("offer").unchanged, plan.counts("account").unchanged) == (7, 4)
    assert len(_outbox(db_path)) == before


def test_an_edited_copy_updates_exactly_the_edited_rows(imported, db_path, tmp_path):
    workspace, service, _preview, _plan = imported
    rows = [list(row) for row in ROWS]
    rows[3][5:8] = ["Gagné", "12/03/2026", "15/04/2026"]  # D-04 won in April
    rows[4][3] = "16 000,00 €"  # D-05's amount revised
    rows.append(["D-08", "Hôtel du Lac", "Draps", "650,00 €", None, "En cours", "02/06/2026",
                 None, "Jean"])  # fmt: skip
    edited = tmp_path / "offres v2.xlsx"
    _workbook(edited, rows)
    before = len(_outbox(db_path))
    _written, plan = service.run(service.open(edited))
    offer = plan.counts("offer")
    # D-08 new; D-04 and D-05 changed; D-01, D-02, D-03, D-06, D-07 as they were.
    assert (offer.new, offer.changed, offer.unchanged) == (1, 2, 5)
    account = plan.counts("account")
    assert (account.new, account.changed, account.unchanged) == (0, 1, 3)  # Café des Arts won
    mutations = _outbox(db_path)[before:]
    by_reference = {row.reference: row.id for row in workspace.offers.list()}
    fields = {row_id: set(json.loads(f)) for table, row_id, f in mutations if table == "offer"}
    assert fields[by_reference["D-04"]] == {"status", "decided_at"}
    assert fields[by_reference["D-05"]] == {"amount_cents"}
    assert by_reference["D-08"] in fields
    assert len(mutations) == 4  # D-04, D-05, D-08 and Café des Arts becoming a client
