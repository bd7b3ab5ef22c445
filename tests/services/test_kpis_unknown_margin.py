"""Unknown is not zero (KPIS.md): offers won without a margin give no margin and no margin rate
("—" on the tile), not 0.00 and 0 %; with some margins known, the margin is their sum."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from kpidesk.domain.periods import period_containing
from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.presentation import Formatter
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
