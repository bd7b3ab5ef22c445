"""``kpidesk report``: the review PDF holds the very numbers of ``kpidesk kpi --json``.

The PDF's text is extracted with pypdf; each indicator's JSON value is formatted with the same
KpiDisplay the PDF uses, and must be found on the page. Pages are rendered with pdftoppm (a
real PDF reader) to check the file opens and every page has the rep's name and the period.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader

from kpidesk.domain.kpis import definition
from kpidesk.presentation import Formatter
from kpidesk.presentation.kpis import KpiDisplay
from kpidesk.services.demo import create_demo_database
from tests.conftest import require
from tests.test_cli_today import run_cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    # A year of history that ended in June 2026: the first quarter of 2026 is complete.
    path = tmp_path_factory.mktemp("report") / "demo.sqlite"
    create_demo_database(path, 1, 7, date(2026, 6, 30))
    return path


# Whose computer it is, for a rep who never gave a name: a login no passwd entry has, so the
# system's full name cannot stand in for it.
LOGIN = "camille.martin-kpidesk-test"


@pytest.fixture(scope="module")
def report(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "review.pdf"
    mp = pytest.MonkeyPatch()
    mp.setenv("LOGNAME", LOGIN)  # getpass reads LOGNAME first; the child process inherits it
    try:
        proc = _make_report(demo, out)
    finally:
        mp.undo()
    assert proc.returncode == 0, proc.stderr
    assert "3 pages" in proc.stdout
    kpis = run_cli("kpi", "--json", "--db", demo, "--period", "quarter", "--at", "2026-02-10",
                   "--tz", "Europe/Paris")  # fmt: skip
    assert kpis.returncode == 0, kpis.stderr
    return out, json.loads(kpis.stdout)


def _make_report(demo, out):
    return run_cli("report", "--db", demo, "--period", "quarter", "--at", "2026-02-10",
                   "--tz", "Europe/Paris", "-o", out)  # fmt: skip


def _words(text: str) -> str:
    # pypdf writes the gaps between glyph runs as tabs and keeps the font's ligatures ("ﬀ").
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _text(path):
    return [_words(page.extract_text()) for page in PdfReader(path).pages]


def test_every_number_equals_kpi_json(report):
    path, data = report
    text = "\n".join(_text(path))
    display = KpiDisplay(Formatter(), data["currency"])
    missing = []
    for key, entry in data["kpis"].items():
        kpi = definition(key)
        for field in ("value", "previous", "year_ago"):
            shown = _words(display.value(kpi, entry[field]))
            if shown not in text:
                missing.append((key, field, shown))
        if "numerator" in entry and f"{entry['numerator']} / {entry['denominator']}" not in text:
            missing.append((key, "n", entry["numerator"], entry["denominator"]))
    assert missing == []
    assert "Q1 2026" in text


def test_every_page_names_the_rep_and_the_period(report):
    path, _data = report
    pages = _text(path)
    assert len(pages) == 3
    for page in pages:
        # Nobody signed in and no name given at the first run: the computer's login stands in.
        assert page.startswith(f"{LOGIN} · Q1 2026")


def test_the_pdf_is_a4_with_embedded_fonts(report):
    path, _data = report
    reader = PdfReader(path)
    for page in reader.pages:
        width_mm, height_mm = (float(v) / 72 * 25.4 for v in page.mediabox[2:])
        assert (round(width_mm), round(height_mm)) == (210, 297)
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            descriptor = ref.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor  # embedded


def test_a_real_reader_renders_every_page(report, tmp_path):
    pdftoppm = shutil.which("pdftoppm")
    require(pdftoppm is not None, "pdftoppm is not installed (apt-get install poppler-utils)")
    path, _data = report
    subprocess.run([pdftoppm, "-r", "30", "-png", str(path), str(tmp_path / "p")], check=True,
                   capture_output=True, timeout=120)  # fmt: skip
    assert len(list(tmp_path.glob("p-*.png"))) == 3


def test_report_errors_are_one_line(demo, tmp_path):
    proc = run_cli("report", "--db", demo, "-o", tmp_path / "nowhere" / "r.pdf")
    assert proc.returncode == 2
    assert "no folder" in proc.stderr and "Traceback" not in proc.stderr


def test_margins_left_blank_are_said_with_their_count(demo, tmp_path):
    """Offers won in February lose their margin: the PDF's n column and its sentence under the
    table give the count of offers won in Q1 with a margin, as counted here in SQL."""
    import sqlite3

    path = tmp_path / "blank-margins.sqlite"
    shutil.copyfile(demo, path)
    q1 = ("2025-12-31 23:00:00", "2026-03-31 22:00:00")  # Q1 2026 in Paris, in UTC
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE offer SET margin_cents = NULL WHERE status = 'won'"
                     " AND decided_at >= '2026-02-01' AND decided_at < '2026-03-01'")  # fmt: skip
        won = ("status = 'won' AND cl % 2 = 1 AND currency = 'EUR'"
               " AND decided_at >= ? AND decided_at < ?")  # fmt: skip
        total = conn.execute(f"SELECT count(*) FROM offer WHERE {won}", q1).fetchone()[0]
        known = conn.execute(f"SELECT count(*) FROM offer WHERE {won} AND margin_cents IS NOT NULL",
                             q1).fetchone()[0]  # fmt: skip
    conn.close()
    assert 0 < known < total
    out = tmp_path / "review.pdf"
    proc = _make_report(path, out)
    assert proc.returncode == 0, proc.stderr
    text = _text(out)[0]
    assert f"{known} / {total}" in text
    assert (
        f"computed on the offers won with a margin entered, on {known} of {total} offers won."
        in text
    )
