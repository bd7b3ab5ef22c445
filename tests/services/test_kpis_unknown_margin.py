"""Unknown is not zero (KPIS.md): offers won without a margin give no margin and no margin rate
("—" on the tile), not 0.00 and 0 %; with some margins known, the margin and the margin rate are
those of the offers that have one, and every place that shows them says on how many."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from kpidesk.commands.kpi import report_as_json, report_as_text
from kpidesk.domain.periods import period_containing
from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.presentation import Formatter, using
from kpidesk.presentation.kpis import KpiDisplay
from kpidesk.services.kpis import KpiService

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 31, 18, tzinfo=UTC)
MARCH = period_containing("month", datetime(2026, 3, 15, 12, tzinfo=UTC), PARIS)


def _won(workspace, amount: int, margin: int | None) -> None:
    account = workspace.accounts.create({"name": f"Client {amount}"}).id
    workspace.offers.create({"account_id": account, "amount_cents": amount,
                             "margin_cents": margin, "status": OfferStatus.WON,
                             "sent_at": datetime(2026, 3, 2, 9, tzinfo=UTC),
                             "decided_at": datetime(2026, 3, 10, 9, tzinfo=UTC)})  # fmt: skip


def _report(workspace):
    report = KpiService(workspace.db, PARIS, clock=lambda: NOW).compute(MARCH)
    return {r.key: r for r in report}


def test_won_offers_without_a_margin_have_no_margin(workspace):
    _won(workspace, 1_240_000, None)
    _won(workspace, 500_000, None)
    results = _report(workspace)
    assert results["revenue"].current.value == 1_740_000
    assert results["margin"].current.value is None
    assert results["margin_rate"].current.value is None
    display = KpiDisplay(Formatter(), "EUR")
    assert display.value(results["margin"].definition, None) == "—"
    assert display.value(results["margin_rate"].definition, None) == "—"


def test_with_some_margins_known_the_margin_is_their_sum(workspace):
    _won(workspace, 1_240_000, 310_000)
    _won(workspace, 500_000, None)
    results = _report(workspace)
    assert results["margin"].current.value == 310_000


def test_no_offer_won_is_a_margin_of_zero_as_revenue_is(workspace):
    results = _report(workspace)
    assert results["revenue"].current.value == 0
    assert results["margin"].current.value == 0


def test_with_some_margins_known_the_rate_is_theirs_and_says_on_how_many(workspace):
    # KPIS.md: over partly unknown values, computed on the known ones, and saying so. The rate
    # is the known margin over the revenue of the offers that have one: 310,000 / 1,240,000 =
    # 25 %, not 310,000 / 1,740,000 (an offer with no margin entered is not sold at cost).
    _won(workspace, 1_240_000, 310_000)
    _won(workspace, 500_000, None)
    _won(workspace, 260_000, 26_000)
    results = _report(workspace)
    margin, rate = results["margin"].current, results["margin_rate"].current
    assert margin.value == 336_000
    assert rate.value == pytest.approx(336_000 / 1_500_000)
    assert (margin.coverage.known, margin.coverage.total) == (2, 3)
    assert rate.coverage == margin.coverage
    assert len(margin.ids) == len(rate.ids) == 2  # the drill-down lists the offers counted
    assert results["revenue"].current.coverage is None  # an amount is never unknown
    display = KpiDisplay(Formatter(), "EUR")
    assert display.coverage(margin) == "on 2 of 3 offers won"
    with using("fr"):
        assert KpiDisplay(Formatter(), "EUR").coverage(margin) == "sur 2 des 3 offres gagnées"


def test_with_every_margin_known_nothing_is_said(workspace):
    _won(workspace, 1_240_000, 310_000)
    results = _report(workspace)
    assert results["margin"].current.coverage is None
    assert KpiDisplay(Formatter(), "EUR").coverage(results["margin"].current) == ""
    assert results["margin_rate"].current.value == pytest.approx(0.25)


def test_with_no_margin_known_the_dash_says_why(workspace):
    _won(workspace, 1_240_000, None)
    _won(workspace, 500_000, None)
    margin = _report(workspace)["margin"].current
    assert (margin.coverage.known, margin.coverage.total) == (0, 2)
    assert KpiDisplay(Formatter(), "EUR").coverage(margin) == (
        "no margin entered on the 2 offers won"
    )
    with using("fr"):
        assert KpiDisplay(Formatter(), "EUR").coverage(margin) == (
            "aucune marge saisie sur les 2 offres gagnées"
        )


def test_the_json_and_the_table_say_on_how_many(workspace):
    _won(workspace, 1_240_000, 310_000)
    _won(workspace, 500_000, None)
    report = KpiService(workspace.db, PARIS, clock=lambda: NOW).compute(MARCH)
    kpis = report_as_json(report)["kpis"]
    assert kpis["margin"]["coverage"] == {"known": 1, "total": 2}
    assert kpis["margin_rate"]["value"] == pytest.approx(0.25)
    assert "coverage" not in kpis["revenue"]
    margin_line = next(line for line in report_as_text(report).splitlines()
                       if line.strip().startswith("Margin "))  # fmt: skip
    assert "on 1 of 2 offers won" in margin_line


def test_the_exported_indicators_say_on_how_many(workspace, tmp_path):
    import openpyxl

    from kpidesk.services.exporting.sheets import kpi_sheet
    from kpidesk.services.exporting.writers import write_xlsx

    _won(workspace, 1_240_000, 310_000)
    _won(workspace, 500_000, None)
    report = KpiService(workspace.db, PARIS, clock=lambda: NOW).compute(MARCH)
    path = tmp_path / "kpi.xlsx"
    write_xlsx(kpi_sheet(report), path, PARIS)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    header, by_label = rows[0], {row[0]: row for row in rows[1:]}
    note = header.index("Computed on")
    assert by_label["Margin"][header.index("This period")] == pytest.approx(3_100.00)
    assert by_label["Margin rate"][header.index("This period")] == pytest.approx(0.25)
    assert by_label["Margin"][note] == by_label["Margin rate"][note] == "on 1 of 2 offers won"
    assert by_label["Revenue"][note] is None
