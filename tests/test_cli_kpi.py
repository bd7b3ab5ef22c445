"""`kpidesk kpi`: the same numbers as the service, as JSON or a table, and clear errors."""

import json
import math
from datetime import date

import pytest

from kpidesk.domain.periods import Period, period_containing
from kpidesk.services.kpis import KpiService
from kpidesk.store.database import open_database
from tests.kpi_dataset import PARIS, L, build_march_2026
from tests.test_cli import assert_one_line_error, run_cli


@pytest.fixture(scope="module")
def book_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "book.sqlite"
    db = open_database(path)
    build_march_2026(db)
    db.close()
    return path


def kpi_json(path, *args):
    proc = run_cli("kpi", "--db", path, "--tz", "Europe/Paris", "--json", *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-12)
    return a == b


def assert_json_is_the_report(data, report):
    assert data["currency"] == report.currency
    assert data["period"]["first_day"] == report.period.first_day.isoformat()
    assert data["period"]["previous"]["first_day"] == report.previous_period.first_day.isoformat()
    assert data["period"]["year_ago"]["first_day"] == report.year_ago_period.first_day.isoformat()
    assert set(data["kpis"]) == {r.key for r in report}
    for result in report:
        entry = data["kpis"][result.key]
        assert entry["unit"] == result.unit.value
        for field, value in (
            ("value", result.current.value),
            ("previous", result.previous.value),
            ("year_ago", result.year_ago.value),
        ):
            assert same(entry[field], value), (result.key, field, entry[field], value)
        rate = result.current.rate
        if rate is None:
            assert "numerator" not in entry
        else:
            assert (entry["numerator"], entry["denominator"]) == (rate.numerator, rate.denominator)
            assert same(entry["low"], rate.low) or entry["low"] is rate.low is None
            assert same(entry["high"], rate.high) or entry["high"] is rate.high is None


def test_json_equals_the_service(book_path):
    data = kpi_json(book_path, "--period", "month", "--at", "2026-03-15")
    db = open_database(book_path)
    try:
        report = KpiService(db, PARIS).compute(period_containing("month", L(2026, 3, 15), PARIS))
    finally:
        db.close()
    assert_json_is_the_report(data, report)
    # A few numbers worked out by hand (tests/services/test_kpis_by_hand.py).
    assert data["kpis"]["visits"]["value"] == 4
    assert data["kpis"]["visits"]["split"] == {"prospecting": 2, "other": 2}
    assert (data["kpis"]["conversion"]["numerator"], data["kpis"]["conversion"]["denominator"]) == (
        5,
        7,
    )
    assert data["kpis"]["conversion"]["low_confidence"] is True
    # Nothing was decided in February: no value, as null, never 0.
    assert data["kpis"]["conversion"]["previous"] is None
    assert data["kpis"]["visit_to_offer"]["low"] is None
    assert data["period"]["start"] == "2026-02-28T23:00:00Z"
    assert data["period"]["end"] == "2026-03-31T22:00:00Z"


def test_custom_period_from_to(book_path):
    data = kpi_json(book_path, "--from", "2026-03-01", "--to", "2026-04-01")
    db = open_database(book_path)
    try:
        report = KpiService(db, PARIS).compute(
            Period.custom(date(2026, 3, 1), date(2026, 4, 1), PARIS)
        )
    finally:
        db.close()
    assert data["period"]["kind"] == "custom"
    assert data["period"]["last_day"] == "2026-03-31"
    assert_json_is_the_report(data, report)
    # The custom "March" counts what the month counts; it is compared with the 31 days before.
    assert data["kpis"]["visits"]["value"] == 4
    assert data["period"]["previous"]["first_day"] == "2026-01-29"


def test_table(book_path):
    proc = run_cli("kpi", "--db", book_path, "--tz", "Europe/Paris", "--at", "2026-03-15")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "My indicators: March 2026" in out
    assert "Compared with the period before, February 2026, and a year earlier, March 2025." in out
    conversion = next(
        line for line in out.splitlines() if line.strip().startswith("Conversion rate")
    )
    # 5 / 7 = 71.4 %, written as the page's tile writes it: whole percent, CLDR en_GB.
    assert "71%" in conversion and "5 / 7 *" in conversion and "—" in conversion
    assert "71.4" not in conversion
    revenue = next(line for line in out.splitlines() if line.strip().startswith("Revenue"))
    assert "€11,000" in revenue  # 1,100,002 cents, in whole euros like the tile
    assert "low confidence" in out


def test_a_year_is_compared_with_the_year_before_named_once(book_path):
    proc = run_cli("kpi", "--db", book_path, "--tz", "Europe/Paris", "--period", "year",
                   "--at", "2025-03-15")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Compared with the period before, 2024, which is also a year earlier." in proc.stdout
    assert "2024 and 2024" not in proc.stdout


def test_a_rolling_period_says_its_days_once(book_path):
    proc = run_cli("kpi", "--db", book_path, "--tz", "Europe/Paris", "--period", "last_30_days",
                   "--at", "2026-03-31")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    title = proc.stdout.splitlines()[0]
    assert title == "My indicators: Last 30 days (02/03/2026 to 31/03/2026) (Europe/Paris)"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--from", "2026-03-10", "--to", "2026-03-01"], "must be before --to"),
        (["--from", "2026-03-10", "--to", "2026-03-10"], "must be before --to"),
        (["--from", "2026-03-10"], "needs both --from and --to"),
        (["--to", "2026-03-10"], "needs both --from and --to"),
        (["--period", "month", "--from", "2026-03-01", "--to", "2026-04-01"], "not both"),
        (["--at", "2026-03-01", "--from", "2026-03-01", "--to", "2026-04-01"], "not both"),
        (["--at", "2026-02-30"], "not a date"),
        (["--from", "yesterday", "--to", "2026-04-01"], "not a date"),
        (["--period", "fortnight"], "invalid choice"),
        (["--tz", "Mars/Olympus"], "unknown time zone"),
    ],
)
def test_errors_are_one_clear_line(book_path, args, fragment):
    assert_one_line_error(run_cli("kpi", "--db", book_path, *args), fragment)


def test_a_missing_database_is_not_created(tmp_path):
    missing = tmp_path / "nope.sqlite"
    assert_one_line_error(run_cli("kpi", "--db", missing), "no kpidesk database")
    assert not missing.exists()
