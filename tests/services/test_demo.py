"""The demo generator: deterministic, and the effects the product teaches are really there."""

import math
import sqlite3
from datetime import date, datetime, timedelta

import pytest

from kpidesk.services.demo import create_demo_database
from kpidesk.services.demo_world import simulate
from kpidesk.store.errors import DemoDatabaseError, ForeignDatabaseError

END = date(2026, 6, 15)


def _dump(path):
    conn = sqlite3.connect(path)
    try:
        return {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
            for t in ("account", "contact", "activity", "offer", "objective")
        }
    finally:
        conn.close()


def test_same_seed_same_data_and_another_seed_other_data(tmp_path):
    a = create_demo_database(tmp_path / "a.sqlite", 1, 7, END)
    b = create_demo_database(tmp_path / "b.sqlite", 1, 7, END)
    c = create_demo_database(tmp_path / "c.sqlite", 1, 8, END)
    assert _dump(a.path) == _dump(b.path)
    assert _dump(a.path)["offer"] != _dump(c.path)["offer"]


def test_size_follows_the_years():
    world = simulate(2, 3, END)
    assert len(world.accounts) == 400
    assert len(world.offers) == 2000
    assert 19_000 <= len(world.activities) <= 21_000


def _ts(text):
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def demo_rows(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    create_demo_database(path, 3, 11, END)
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    offers = [dict(r) for r in conn.execute("SELECT * FROM offer")]
    activities = [dict(r) for r in conn.execute("SELECT * FROM activity")]
    accounts = {r["id"]: dict(r) for r in conn.execute("SELECT * FROM account")}
    conn.close()
    return offers, activities, accounts


def _conversion(offers):
    decided = [o for o in offers if o["status"] in ("won", "lost", "abandoned")]
    won = sum(o["status"] == "won" for o in decided)
    return won, len(decided)


def _two_proportion_z(w1, n1, w2, n2):
    p = (w1 + w2) / (n1 + n2)
    return (w1 / n1 - w2 / n2) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))


def test_offers_followed_up_within_a_week_win_more(demo_rows):
    offers, activities, _ = demo_rows
    follow_ups: dict[str, list[datetime]] = {}
    for a in activities:
        if a["purpose"] == "follow_up" and a["done_at"]:
            follow_ups.setdefault(a["account_id"], []).append(_ts(a["done_at"]))
            if a["offer_id"]:
                follow_ups.setdefault(a["offer_id"], []).append(_ts(a["done_at"]))

    def followed(o):
        sent = _ts(o["sent_at"])
        times = follow_ups.get(o["id"], []) + follow_ups.get(o["account_id"], [])
        return any(sent <= t <= sent + timedelta(days=7) for t in times)

    with_fu = [o for o in offers if followed(o)]
    without = [o for o in offers if not followed(o)]
    w1, n1 = _conversion(with_fu)
    w2, n2 = _conversion(without)
    assert n1 > 300 and n2 > 300
    assert w1 / n1 - w2 / n2 > 0.1
    assert _two_proportion_z(w1, n1, w2, n2) > 4


def test_hot_accounts_convert_more_than_cold_ones(demo_rows):
    offers, _, accounts = demo_rows
    by_temp = {
        t: _conversion([o for o in offers if accounts[o["account_id"]]["temperature"] == t])
        for t in ("hot", "warm", "cold")
    }
    rate = {t: w / n for t, (w, n) in by_temp.items()}
    assert rate["hot"] > rate["warm"] > rate["cold"]


def test_referred_clients_keep_ordering_longer(demo_rows):
    offers, _, accounts = demo_rows
    won_days: dict[str, list[datetime]] = {}
    for o in offers:
        if o["status"] == "won":
            won_days.setdefault(o["account_id"], []).append(_ts(o["decided_at"]))
    span = {"referral": [], "other": []}
    for account_id, days in won_days.items():
        group = "referral" if accounts[account_id]["source"] == "referral" else "other"
        span[group].append((max(days) - min(days)).days)
    mean = {g: sum(v) / len(v) for g, v in span.items()}
    assert len(span["referral"]) > 20
    assert mean["referral"] > mean["other"] * 1.2


def test_the_demo_never_overwrites_real_data(tmp_path, db):
    from kpidesk.services.accounts import AccountService

    AccountService(db).create({"name": "Real client"})
    with pytest.raises(DemoDatabaseError):
        create_demo_database(db.path, 1, 1, END)
    assert [a.name for a in AccountService(db).list()] == ["Real client"]


def test_the_demo_refuses_another_programs_database(tmp_path):
    foreign = tmp_path / "other.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE songs (title)")
    conn.commit()
    conn.close()
    with pytest.raises(ForeignDatabaseError):
        create_demo_database(foreign, 1, 1, END)


def test_every_done_demo_activity_has_a_structured_outcome_of_its_kind(demo_rows):
    from kpidesk.domain.outcomes import OUTCOMES_BY_KIND
    from kpidesk.domain.vocabulary import ActivityKind

    _offers, activities, _accounts = demo_rows
    done = [a for a in activities if a["done_at"] is not None]
    assert done
    wrong = [
        (a["kind"], a["outcome"])
        for a in done
        if a["outcome"] not in {o.value for o in OUTCOMES_BY_KIND[ActivityKind(a["kind"])]}
    ]
    assert wrong == []  # fmt: skip
    assert all(a["outcome"] is None for a in activities if a["done_at"] is None)
