"""How many times a report reads a period: a year's previous period is also its year ago."""

from __future__ import annotations

import pytest

from kpidesk.domain.periods import period_containing
from kpidesk.services import kpis
from kpidesk.services.kpis import KpiService
from tests.kpi_dataset import PARIS, L, build_march_2026

NOW = L(2026, 6, 15, 12)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    from kpidesk.store.database import open_database

    db = open_database(tmp_path_factory.mktemp("book") / "book.sqlite")
    build_march_2026(db)
    yield db
    db.close()


@pytest.fixture
def reads(monkeypatch):
    seen = []
    real = kpis.read_period_facts

    def counting(conn, period, as_of, needs, **options):
        seen.append((period.start, period.end, as_of))
        return real(conn, period, as_of, needs, **options)

    monkeypatch.setattr(kpis, "read_period_facts", counting)
    return seen


@pytest.mark.parametrize("day", [L(2025, 3, 15), L(2026, 3, 15)])  # over, and running at NOW
def test_a_year_reads_the_year_before_once_for_both_comparisons(book, reads, day):
    service = KpiService(book, PARIS, clock=lambda: NOW)
    year = period_containing("year", day, PARIS)
    report = service.compute(year)
    previous, year_ago = report.previous_period, report.year_ago_period
    assert (previous.start, previous.end) == (year_ago.start, year_ago.end)
    assert len(reads) == 2 and len(set(reads)) == 2
    # The shared column holds the year before's own values, as a separate reading gives them.
    before = service.values(previous, with_ids=False)
    for result in report:
        assert result.previous == result.year_ago
        assert result.previous.value == before[result.key].value, result.key


def test_a_month_reads_its_three_periods(book, reads):
    service = KpiService(book, PARIS, clock=lambda: NOW)
    report = service.compute(period_containing("month", L(2026, 3, 15), PARIS))
    assert report.previous_period.start != report.year_ago_period.start
    assert len(set(reads)) == 3
