"""The drill-down lists exactly the records each indicator counted, for every indicator.

Checked on a year of demo data and on the hand-built book: counts are the number of ids, sums of
money are sums over the ids' rows, rates list their numerator and denominator records.
"""

from __future__ import annotations

import math
import sqlite3
from datetime import UTC, date, datetime

import pytest

from kpidesk.domain.kpis import CATALOGUE, KPIS, KpiUnit, RecordKind
from kpidesk.domain.periods import period_containing
from kpidesk.services.demo import create_demo_database
from kpidesk.services.kpis import KpiService
from kpidesk.store.database import open_database
from tests.kpi_dataset import PARIS, L, build_march_2026

PROBABILITY = {"hot": 0.6, "warm": 0.3, "cold": 0.1}


def _rows(path, table: str, ids) -> dict[str, sqlite3.Row]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        marks = ",".join("?" * len(ids))
        rows = conn.execute(f"SELECT * FROM {table} WHERE id IN ({marks})", list(ids)).fetchall()
    finally:
        conn.close()
    return {row["id"]: row for row in rows}


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def check_drilldown(path, report) -> None:
    period = report.period
    for definition in CATALOGUE:
        value = report[definition.key].current
        table = definition.records.value
        rows = _rows(path, table, value.ids)
        # Every id is a live record of the right table, listed once.
        assert len(set(value.ids)) == len(value.ids), definition.key
        assert set(rows) == set(value.ids), definition.key
        assert all(row["cl"] % 2 == 1 for row in rows.values()), definition.key
        unit, key = definition.unit, definition.key
        if value.rate is not None:
            assert len(value.ids) == value.rate.numerator, key
            assert len(value.denominator_ids) == value.rate.denominator, key
            denominator_table = (definition.denominator_records or definition.records).value
            assert len(_rows(path, denominator_table, value.denominator_ids)) == len(
                value.denominator_ids
            )
        elif unit is KpiUnit.COUNT:
            assert len(value.ids) == value.value, key
        elif key in ("revenue", "pipeline_value"):
            assert sum(r["amount_cents"] for r in rows.values()) == value.value, key
        elif key == "margin":
            # Only the offers with a margin entered are counted (an unknown margin is not 0).
            assert all(r["margin_cents"] is not None for r in rows.values())
            assert sum(r["margin_cents"] for r in rows.values()) == value.value
        elif key == "margin_rate" and value.value is not None:
            amounts = sum(r["amount_cents"] for r in rows.values())
            margins = sum(r["margin_cents"] or 0 for r in rows.values())
            assert value.value == pytest.approx(margins / amounts)
        elif key == "average_deal" and value.value is not None:
            amounts = [r["amount_cents"] for r in rows.values()]
            assert abs(value.value - sum(amounts) / len(amounts)) <= 0.5
        elif key == "sales_cycle" and value.value is not None:
            days = [
                (_ts(r["decided_at"]) - _ts(r["sent_at"])).total_seconds() / 86400
                for r in rows.values()
            ]
            assert value.value == pytest.approx(sum(days) / len(days))
        elif key in ("weighted_pipeline", "pipeline_velocity"):
            assert set(value.ids) == set(report["pipeline_value"].current.ids), key
    # What the ids are, not only how many.
    for key, kind in (("visits", "visit"), ("calls", "call")):
        for row in _rows(path, "activity", report[key].current.ids).values():
            assert row["kind"] == kind and period.contains(_ts(row["done_at"]))
    for row in _rows(path, "activity", report["follow_ups"].current.ids).values():
        assert row["purpose"] == "follow_up" and period.contains(_ts(row["done_at"]))
    for row in _rows(path, "offer", report["offers_sent"].current.ids).values():
        assert row["status"] != "draft" and period.contains(_ts(row["sent_at"]))
    for row in _rows(path, "account", report["hot_prospects"].current.ids).values():
        assert row["temperature"] == "hot"
    visits = report["visits"].current
    assert sum(p.value for p in visits.parts) == visits.value
    assert set().union(*(p.ids for p in visits.parts)) == set(visits.ids)
    conversion = report["conversion"].current
    assert set(conversion.ids) <= set(conversion.denominator_ids)
    won = _rows(path, "offer", conversion.ids)
    assert all(r["status"] == "won" and period.contains(_ts(r["decided_at"])) for r in won.values())
    assert set(report["revenue"].current.ids) <= set(conversion.ids)
    follow = report["follow_up_rate"].current
    assert set(follow.ids) <= set(follow.denominator_ids) <= set(report["offers_sent"].current.ids)
    assert set(report["visit_to_offer"].current.ids) == set(report["offers_sent"].current.ids)
    assert set(report["visit_to_offer"].current.denominator_ids) == set(visits.ids)
    assert set(report["stale_offers"].current.ids) <= _open_ids(report)
    recommendation = report["recommendation"].current
    assert set(recommendation.denominator_ids) == set(report["new_clients"].current.ids)
    referred = _rows(path, "account", recommendation.ids)
    assert all(r["source"] == "referral" for r in referred.values())
    weighted = report["weighted_pipeline"].current
    if weighted.ids:
        offers = _rows(path, "offer", weighted.ids)
        accounts = _rows(path, "account", {r["account_id"] for r in offers.values()})
        total = math.fsum(
            r["amount_cents"]
            * (
                r["probability"]
                if r["probability"] is not None
                else PROBABILITY[accounts[r["account_id"]]["temperature"]]
            )
            for r in offers.values()
        )
        assert abs(weighted.value - total) <= 0.5


def _open_ids(report) -> set[str]:
    # Open offers in any currency: the stale ones may be in another currency than the report's.
    return set(report["stale_offers"].current.ids) | set(report["pipeline_value"].current.ids)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    create_demo_database(path, 1, 3, date(2026, 6, 30))
    db = open_database(path)
    yield path, db
    db.close()


@pytest.mark.parametrize(
    ("kind", "day"),
    [
        ("month", date(2026, 5, 15)),
        ("quarter", date(2026, 2, 1)),
        ("last_90_days", date(2026, 6, 29)),
    ],
)
def test_demo_drilldown_matches_every_value(demo, kind, day):
    path, db = demo
    service = KpiService(db, PARIS, clock=lambda: datetime(2026, 7, 1, tzinfo=UTC))
    report = service.compute(period_containing(kind, day, PARIS))
    assert report["visits"].value > 50  # a real book, not an empty one
    check_drilldown(path, report)


def test_a_running_period_reads_its_state_now(demo):
    path, db = demo
    now = datetime(2026, 6, 20, 15, tzinfo=UTC)
    service = KpiService(db, PARIS, clock=lambda: now)
    report = service.compute(service.period("month"))
    assert report.is_partial and report.as_of == now
    check_drilldown(path, report)


def test_hand_book_drilldown(db):
    build_march_2026(db)
    report = KpiService(db, PARIS, clock=lambda: L(2026, 6, 1)).compute(
        period_containing("month", L(2026, 3, 15), PARIS)
    )
    check_drilldown(db.path, report)


def test_compared_periods_and_charts_carry_numbers_only(demo):
    _, db = demo
    service = KpiService(db, PARIS, clock=lambda: datetime(2026, 7, 1, tzinfo=UTC))
    period = period_containing("month", date(2026, 5, 15), PARIS)
    report = service.compute(period)
    for result in report:
        assert result.previous.ids == () and result.year_ago.ids == ()
        assert result.previous.denominator_ids == ()
    for point in service.history("visits", period, n=3):
        assert point.value.ids == () and point.value.value > 0
    # The same numbers with or without ids.
    with_ids = service.values(period.previous())
    without = service.values(period.previous(), with_ids=False)
    assert {k: v.value for k, v in with_ids.items()} == {k: v.value for k, v in without.items()}
    assert {k: v.value for k, v in with_ids.items()} == {r.key: r.previous.value for r in report}


def test_record_kinds_of_the_catalogue():
    assert KPIS["visit_to_offer"].records is RecordKind.OFFER
    assert KPIS["visit_to_offer"].denominator_records is RecordKind.ACTIVITY
    assert KPIS["retention"].records is RecordKind.ACCOUNT
