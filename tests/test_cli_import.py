"""`kpidesk import`: counts, --dry-run, --json, a saved mapping, and refused rows (exit 2, every
refused row listed with its row and column, nothing written)."""

from __future__ import annotations

import json

import pytest

from tests.services.importing.helpers import dump_hash
from tests.test_cli import assert_one_line_error, run_cli

OFFERS = (
    "Suivi 2026\n\n"
    "N° devis;Client;Montant HT;Statut;Date d'envoi;Date de décision;Commercial\n"
    "D-1;SARL Dupont;12 400,00 €;Gagné;03/02/2026;15/02/2026;Jean\n"
    "D-2;Boulangerie Martin;1.250,50;Perdu;10/02/2026;20/03/2026;Jean\n"
    "D-3;SARL Dupont;3 000;En cours;01/03/2026;;Marie\n"
)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "kpidesk.sqlite"
    assert run_cli("init", "--db", path).returncode == 0
    return path


def test_import_then_again(db, tmp_path):
    offers = tmp_path / "offres.csv"
    offers.write_text(OFFERS, encoding="cp1252")
    proc = run_cli("import", offers, "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert "column names on row 3" in proc.stdout
    assert "Accounts: 2 new, 0 changed, 0 unchanged" in proc.stdout
    assert "Offers: 3 new, 0 changed, 0 unchanged" in proc.stdout
    again = run_cli("import", offers, "--db", db, "--json")
    data = json.loads(again.stdout)
    assert data["encoding"] == "cp1252" and data["delimiter"] == ";"
    assert data["counts"]["offer"] == {"new": 0, "changed": 0, "unchanged": 3}
    assert data["written"] is True and data["refused"] == []


def test_dry_run_writes_nothing(db, tmp_path):
    offers = tmp_path / "offres.csv"
    offers.write_text(OFFERS, encoding="utf-8")
    before = dump_hash(db)
    proc = run_cli("import", offers, "--db", db, "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert "Offers: 3 new" in proc.stdout and "--dry-run" in proc.stdout
    assert dump_hash(db) == before


def test_refused_rows_are_all_listed_and_nothing_is_written(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Client;Montant;Statut\nA;douze;Gagné\nB;100;Peut-être\nC;5;Brouillon\n")
    before = dump_hash(db)
    proc = run_cli("import", bad, "--db", db)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "bad.csv, row 2, column 'Montant': 'douze' is not a number." in proc.stderr
    assert "bad.csv, row 3, column 'Statut': 'Peut-être' is not a value" in proc.stderr
    assert "row 4" not in proc.stderr
    assert dump_hash(db) == before
    data = json.loads(run_cli("import", bad, "--db", db, "--json").stdout)
    assert [(r["row"], r["column"]) for r in data["refused"]] == [(2, "Montant"), (3, "Statut")]


def test_an_unreadable_file_is_one_line(db, tmp_path):
    garbage = tmp_path / "export.xlsx"
    garbage.write_bytes(b"\x00garbage" * 100)
    assert_one_line_error(run_cli("import", garbage, "--db", db), "export.xlsx", "not an Excel")


def test_ambiguous_dates_ask_and_date_order_answers(db, tmp_path):
    offers = tmp_path / "o.csv"
    offers.write_text("Client;Montant;Date d'envoi\nA;1;03/02/2026\nB;2;04/05/2026\n")
    assert_one_line_error(run_cli("import", offers, "--db", db), "o.csv", "Date d'envoi",
                          "reads both ways")  # fmt: skip
    proc = run_cli("import", offers, "--db", db, "--date-order", "day-first", "--json")
    assert json.loads(proc.stdout)["counts"]["offer"]["new"] == 2


def test_a_saved_mapping_is_used_again(db, tmp_path):
    accounts = tmp_path / "a.csv"
    accounts.write_text("Nom;Lieu\nDupont;Lyon\n")  # names kpidesk does not know
    assert_one_line_error(run_cli("import", accounts, "--db", db), "a.csv", "No column")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"header_row": 1, "columns": {"Nom": "account",
                                                                "Lieu": "city"}}))  # fmt: skip
    proc = run_cli("import", accounts, "--db", db, "--mapping", mapping, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["counts"]["account"]["new"] == 1


def test_dry_run_shows_the_first_rows_as_read(db, tmp_path):
    offers = tmp_path / "offres.csv"
    offers.write_text(OFFERS, encoding="utf-8")
    data = json.loads(run_cli("import", offers, "--db", db, "--dry-run", "--json").stdout)
    first = data["preview"][0]
    assert first["row"] == 4  # title, blank line, header
    assert first["values"]["Montant HT"] == "€12,400.00"  # en_GB in the tests
    assert first["values"]["Statut"] == "Won"
    assert data["written"] is False


def test_export_names_the_file_and_imports_back_unchanged(db, tmp_path):
    offers = tmp_path / "offres.csv"
    offers.write_text(OFFERS, encoding="utf-8")
    assert run_cli("import", offers, "--db", db).returncode == 0
    proc = run_cli("export", "pipeline", "--db", db, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    [written] = tmp_path.glob("kpidesk-pipeline-*.xlsx")  # what and when, e.g. ...-2026-03-15
    assert str(written.name) in proc.stdout and "3 rows" in proc.stdout
    before = dump_hash(db)
    again = json.loads(run_cli("import", written, "--db", db, "--json").stdout)
    assert again["counts"]["offer"] == {"new": 0, "changed": 0, "unchanged": 3}
    assert dump_hash(db) == before
    kpi = tmp_path / "kpi.csv"
    assert run_cli("export", "kpi", "--db", db, "-o", kpi, "--period", "year").returncode == 0
    assert kpi.read_text(encoding="utf-8-sig").startswith("Indicator;Unit;This period")
    assert_one_line_error(run_cli("export", "journal", "--db", db, "-o", tmp_path / "j.pdf"),
                          ".xlsx or .csv")  # fmt: skip
