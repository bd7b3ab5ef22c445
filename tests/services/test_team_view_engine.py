"""The team view computes a rep's pipeline numbers from plain rows (the server has no
laptop SQL): they must be the very numbers the rep's own Indicators page shows. Checked on
a year of the demo's history against the laptop's SQL engine, for every running period."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from kpidesk.domain.coaching import (
    BookAccount,
    BookActivity,
    BookObjective,
    BookOffer,
    RepBook,
    rep_quality,
)
from kpidesk.domain.vocabulary import PeriodKind
from kpidesk.services.demo import create_demo_database
from kpidesk.services.workspace import open_workspace
from kpidesk.store.tables import metadata

END = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 15, 30, tzinfo=UTC)


def _rows(conn: sa.Connection, table: str) -> list[sa.Row]:
    t = metadata.tables[table]
    return list(conn.execute(sa.select(t).where(t.c.cl % 2 == 1)))


def _book(workspace, shares: bool) -> RepBook:
    with workspace.db.read() as conn:
        accounts = tuple(
            BookAccount(r.id, r.name, r.status, r.temperature, r.created_at, r.city)
            for r in _rows(conn, "account")
        )
        offers = tuple(
            BookOffer(r.id, r.account_id, r.reference or r.title, r.amount_cents, r.currency,
                      r.status, r.sent_at, r.decided_at, r.probability)
            for r in _rows(conn, "offer")
        )  # fmt: skip
        activities = tuple(
            BookActivity(r.id, r.account_id, r.offer_id, r.kind, r.purpose, r.due_at, r.done_at)
            for r in _rows(conn, "activity")
        )
        objectives = tuple(
            BookObjective(r.kpi_key, r.period_kind, r.target) for r in _rows(conn, "objective")
        )
    return RepBook("me", "Me", shares, accounts, offers, activities, objectives)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    create_demo_database(path, 1, 3, END)
    workspace = open_workspace(path)
    yield workspace
    workspace.close()


@pytest.mark.parametrize("kind", [PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR])
def test_the_team_view_counts_as_the_reps_own_indicators(demo, kind):
    kpis = demo.kpis.__class__(demo.db, demo.tz, clock=lambda: NOW)
    period = kpis.period(kind, NOW.astimezone(demo.tz).date())
    report = kpis.compute(period)
    quality = rep_quality(_book(demo, shares=True), period, NOW)

    def value(key):
        return report[key].current.value

    assert quality.pipeline_value_cents == value("pipeline_value") > 0
    assert quality.weighted_pipeline_cents == value("weighted_pipeline")
    assert quality.hot_prospects == value("hot_prospects")
    assert quality.stale_offers == value("stale_offers")
    assert quality.revenue_cents == value("revenue")
    conversion = report["conversion"].current.rate
    assert (quality.conversion.numerator, quality.conversion.denominator) == (
        conversion.numerator, conversion.denominator)  # fmt: skip
    assert quality.conversion.denominator > 0
    follow_up = report["follow_up_rate"].current.rate
    assert (quality.follow_up_rate.numerator, quality.follow_up_rate.denominator) == (
        follow_up.numerator, follow_up.denominator)  # fmt: skip
    counts = quality.activity_counts
    assert (counts.visits, counts.calls, counts.follow_ups) == (
        value("visits"), value("calls"), value("follow_ups"))  # fmt: skip
    assert {line.offer_id for line in quality.open_offers} == set(
        report["pipeline_value"].current.ids
    )
