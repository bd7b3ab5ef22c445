"""The store side of the indicators: exact instants, indexes in use, ids and counts agree."""

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from kpidesk.domain.kpis.facts import Fact
from kpidesk.domain.periods import period_containing
from kpidesk.store import kpi_queries
from kpidesk.store.changes import changes
from kpidesk.store.kpi_queries import list_objectives, read_period_facts, sql_instant
from kpidesk.store.settings import read_settings, write_settings
from tests.kpi_dataset import PARIS, L, build_march_2026


def test_bound_instants_compare_exactly_with_stored_ones(db):
    instant = datetime(2026, 3, 31, 21, 59, 59, 999_999, tzinfo=UTC)
    with changes(db) as c:
        account = c.create("account", {"name": "A"})
        c.create("activity", {"account_id": account, "kind": "call", "done_at": instant})
        c.create(
            "activity",
            {"account_id": account, "kind": "call", "done_at": instant.replace(microsecond=0)},
        )
    raw = sqlite3.connect(db.path)
    stored = sorted(r[0] for r in raw.execute("SELECT done_at FROM activity"))
    raw.close()
    assert sql_instant(instant) in stored
    assert sql_instant(instant.replace(microsecond=0)) in stored  # ".000000" kept: fixed width


def _plan(db, sql, params):
    raw = sqlite3.connect(db.path)
    try:
        return " | ".join(row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + sql, params))
    finally:
        raw.close()


@pytest.mark.parametrize(
    ("sql", "index"),
    [
        (kpi_queries._ACTIVITIES.ids, "COVERING INDEX ix_activity_done_kind_purpose"),
        (kpi_queries._DECIDED, "ix_offer_status_decided"),
        (kpi_queries._NEW_CLIENTS, "ix_offer_account_status_decided"),
        (kpi_queries._FOLLOW_UP_WINDOWS.ids, "ix_activity_offer_done_purpose"),
        (kpi_queries._FOLLOW_UP_WINDOWS.ids, "ix_activity_account_done_purpose"),
        (kpi_queries._OPEN, "ix_offer_decided_at"),
        (kpi_queries._HOT_PROSPECTS.ids, "ix_offer_account_status_decided"),
        # Not every account created before the end: the hot ones alone, from the index.
        (kpi_queries._HOT_PROSPECTS.ids, "COVERING INDEX ix_account_temperature_status"),
    ],
)
def test_the_indicator_queries_read_through_their_indexes(db, sql, index):
    params = {"start": "2026-01-01", "end": "2026-02-01", "at": "2026-02-01", "latest_sent": "x",
              "me": "01a00000-0000-7000-8000-000000000001"}  # fmt: skip
    plan = _plan(db, sql, {k: v for k, v in params.items() if f":{k}" in sql})
    assert index in plan
    assert "SCAN offer" not in plan and "SCAN activity" not in plan


def test_every_connection_keeps_a_report_s_pages_in_its_cache(db):
    # SQLite's default 2 MiB cache does not hold a month's report on 20 years of history: its
    # pages then come back through the OS on every report (bench_growth: 1.4x the 5-year cost).
    with db.read() as conn:
        reading = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    with db.write() as conn:
        writing = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    assert reading == writing == -16 * 1024  # negative: KiB, whatever the page size


def test_counts_equal_the_number_of_ids(db):
    build_march_2026(db)
    march = period_containing("month", L(2026, 3, 15), PARIS)
    with db.read() as conn:
        listed = read_period_facts(conn, march, march.end, set(Fact))
        counted = read_period_facts(conn, march, march.end, set(Fact), with_ids=False)
    for name in ("prospecting_visits", "other_visits", "calls", "follow_ups", "sent",
                 "followed_up", "not_followed_up", "lost", "abandoned", "new_prospects",
                 "hot_prospects"):  # fmt: skip
        assert getattr(counted, name).count == getattr(listed, name).count, name
        assert len(getattr(listed, name).ids) == getattr(listed, name).count, name
        assert getattr(counted, name).ids == (), name
    assert listed.sent.count == 12


def test_settings_by_prefix(db):
    values = {"kpi.stale_after_days": 21, "kpi.currency": "CHF", "kpi.probability_hot": 0.55}
    with db.write() as conn:
        write_settings(conn, {**values, "kpi_x": 1, "kpiz": [2], "other": {"a": True}})
    with db.read() as conn:
        assert read_settings(conn, "kpi.") == values  # types survive: int, text, float
        assert read_settings(conn)["other"] == {"a": True}
        assert len(read_settings(conn)) == 6
    with db.write() as conn:
        write_settings(conn, {"kpi.currency": None, "kpi.probability_hot": None})
    with db.write() as conn:
        write_settings(conn, {"kpi.stale_after_days": None})
    with db.read() as conn:
        assert read_settings(conn, "kpi.") == {}


def test_of_two_objectives_synced_for_the_same_key_the_last_created_wins(db):
    t0 = datetime(2026, 1, 5, tzinfo=UTC)
    with changes(db) as c:
        c.create("objective", {"kpi_key": "visits", "period_kind": "month", "target": 40,
                               "created_at": t0})  # fmt: skip
        newer = c.create("objective", {"kpi_key": "visits", "period_kind": "month", "target": 55,
                                       "created_at": t0 + timedelta(days=1)})  # fmt: skip
        c.create("objective", {"kpi_key": "visits", "period_kind": "year", "target": 600,
                               "created_at": t0})  # fmt: skip
    with db.read() as conn:
        monthly = list_objectives(conn, "month")
        everything = list_objectives(conn)
    assert [(o.id, o.target) for o in monthly] == [(newer, 55)]
    assert len(everything) == 2


def test_objectives_are_those_of_the_owner_asked_for(db):
    with changes(db) as c:
        mine = c.create("objective", {"kpi_key": "visits", "period_kind": "month", "target": 40})
        theirs = c.create("objective", {"kpi_key": "offers", "period_kind": "month", "target": 9})
    with db.write() as conn:  # as a colleague's objective arrives by sync
        conn.exec_driver_sql("UPDATE objective SET owner_id = 'colleague' WHERE id = ?", (theirs,))
    with db.read() as conn:
        assert [o.id for o in list_objectives(conn, "month")] == [mine]  # the signed-in rep
        assert [o.id for o in list_objectives(conn, "month", me="colleague")] == [theirs]
        assert list_objectives(conn, "month", me="nobody") == []
