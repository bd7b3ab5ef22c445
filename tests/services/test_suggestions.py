"""Suggestions on a real database: facts read right, choices kept, acting makes them go."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from kpidesk.domain.suggestions import SuggestionSettings
from kpidesk.domain.vocabulary import AccountStatus, OfferStatus, Temperature
from kpidesk.services.demo import create_demo_database
from kpidesk.services.suggestions import Snooze, SuggestionService
from kpidesk.services.workspace import open_workspace
from kpidesk.store.database import open_database
from kpidesk.store.suggestion_facts import read_facts

NOW = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def ws(db_path):
    workspace = open_workspace(db_path)
    yield workspace
    workspace.close()


def rules(ws, now=NOW):
    return {(s.rule, s.subject_key) for s in SuggestionService(ws.db).today(now)}


def sent_offer(ws, account, days_ago, **extra):
    return ws.offers.create({"account_id": account, "amount_cents": 300_000,
                             "status": OfferStatus.SENT, "sent_at": NOW - days_ago * DAY,
                             **extra}).id  # fmt: skip


def test_a_stale_offer_then_planning_the_follow_up_makes_it_disappear(ws):
    account = ws.accounts.create({"name": "Garage Moreau"}).id
    offer = sent_offer(ws, account, 10)
    assert ("follow_up_stale_offer", f"offer:{offer}") in rules(ws)
    ws.activities.plan(account, NOW + 2 * DAY, offer_id=offer)  # the suggested action
    assert ("follow_up_stale_offer", f"offer:{offer}") not in rules(ws)


def test_a_follow_up_done_after_sending_silences_the_offer_but_one_before_does_not(ws):
    account = ws.accounts.create({"name": "Serrurerie Dumas"}).id
    offer = sent_offer(ws, account, 12)
    ws.activities.create({"account_id": account, "kind": "call", "purpose": "follow_up",
                          "done_at": NOW - 13 * DAY})  # before the offer  # fmt: skip
    assert ("follow_up_stale_offer", f"offer:{offer}") in rules(ws)
    ws.activities.create({"account_id": account, "kind": "call", "purpose": "follow_up",
                          "done_at": NOW - 3 * DAY})  # fmt: skip
    assert ("follow_up_stale_offer", f"offer:{offer}") not in rules(ws)


def test_overdue_then_done(ws):
    account = ws.accounts.create({"name": "Hôtel du Lac"}).id
    late = ws.activities.plan(account, NOW - 2 * DAY).id
    soon = ws.activities.plan(account, NOW + 2 * DAY).id
    found = rules(ws)
    assert ("overdue_follow_up", f"activity:{late}") in found
    assert ("overdue_follow_up", f"activity:{soon}") not in found
    ws.activities.mark_done(late, NOW - DAY)
    assert ("overdue_follow_up", f"activity:{late}") not in rules(ws)


def test_hot_prospect_idle_reads_the_last_contact(ws):
    hot = ws.accounts.create({"name": "Pharmacie Roux", "temperature": Temperature.HOT}).id
    warm = ws.accounts.create({"name": "Cabinet Petit", "temperature": Temperature.WARM}).id
    for account in (hot, warm):
        ws.activities.create({"account_id": account, "kind": "visit", "purpose": "prospecting",
                              "done_at": NOW - 20 * DAY})  # fmt: skip
    found = rules(ws)
    assert ("hot_prospect_idle", f"account:{hot}") in found
    assert ("hot_prospect_idle", f"account:{warm}") not in found  # not hot: not this rule
    ws.activities.create({"account_id": hot, "kind": "call", "purpose": "prospecting",
                          "done_at": NOW - 13 * DAY})  # fmt: skip
    assert ("hot_prospect_idle", f"account:{hot}") not in rules(ws)


def test_client_at_risk_and_ask_referral_from_real_offers(ws):
    client = ws.accounts.create({"name": "Mécanique Roy", "status": AccountStatus.CLIENT}).id
    ws.offers.create({"account_id": client, "amount_cents": 90_000, "status": OfferStatus.WON,
                      "sent_at": NOW - 360 * DAY, "decided_at": NOW - 350 * DAY})  # fmt: skip
    ws.activities.create({"account_id": client, "kind": "visit", "purpose": "account_management",
                          "done_at": NOW - 120 * DAY})  # fmt: skip
    happy = ws.accounts.create({"name": "Boulangerie Denis"}).id
    ws.offers.create({"account_id": happy, "amount_cents": 50_000, "status": OfferStatus.WON,
                      "sent_at": NOW - 9 * DAY, "decided_at": NOW - 4 * DAY})  # fmt: skip
    found = rules(ws)
    assert ("client_at_risk", f"account:{client}") in found
    assert ("ask_referral", f"account:{happy}") in found
    ws.accounts.create({"name": "Fromagerie Vidal", "source": "referral", "referred_by": happy,
                        "created_at": NOW - DAY})  # fmt: skip
    assert ("ask_referral", f"account:{happy}") not in rules(ws)


def test_dismiss_and_snooze_survive_a_restart(db_path):
    ws = open_workspace(db_path)
    a = ws.accounts.create({"name": "A"}).id
    b = ws.accounts.create({"name": "B"}).id
    c = ws.accounts.create({"name": "C"}).id
    offers = [sent_offer(ws, account, 10) for account in (a, b, c)]
    service = SuggestionService(ws.db)
    by_offer = {s.subject_key: s for s in service.today(NOW)}
    service.dismiss(by_offer[f"offer:{offers[0]}"])
    service.snooze(by_offer[f"offer:{offers[1]}"], Snooze.DAY, now=NOW)
    service.snooze(by_offer[f"offer:{offers[2]}"], Snooze.UNTIL_CHANGED, now=NOW)
    ws.close()

    ws = open_workspace(db_path)
    service = SuggestionService(ws.db)
    visible = {s.subject_key for s in service.today(NOW + timedelta(hours=2))}
    assert not visible & {f"offer:{o}" for o in offers}
    later = {s.subject_key for s in service.today(NOW + 2 * DAY)}
    assert f"offer:{offers[1]}" in later  # the one-day snooze is over
    assert f"offer:{offers[0]}" not in later  # dismissed for good
    assert f"offer:{offers[2]}" not in later  # nothing changed on it
    ws.offers.update(offers[2], {"amount_cents": 350_000})  # something changed on it
    again = {s.subject_key for s in service.today(NOW + 2 * DAY)}
    assert f"offer:{offers[2]}" in again
    ws.close()


def test_evidence_numbers_equal_an_independent_computation_on_demo_data(tmp_path):
    path = create_demo_database(tmp_path / "demo.sqlite", 2, 5, date(2026, 5, 20)).path
    now = NOW
    conn = sqlite3.connect(path)
    offers = conn.execute(
        "SELECT id, account_id, status, sent_at, decided_at FROM offer"
        " WHERE status IN ('won','lost','abandoned')"
    ).fetchall()
    follow_ups = conn.execute(
        "SELECT account_id, offer_id, done_at FROM activity"
        " WHERE purpose = 'follow_up' AND done_at IS NOT NULL"
    ).fetchall()
    conn.close()

    def ts(text):
        return datetime.fromisoformat(text).replace(tzinfo=UTC)

    groups = {True: [0, 0], False: [0, 0]}
    for offer_id, account_id, status, sent, decided in offers:
        if not now - timedelta(days=365) <= ts(decided) < now:
            continue
        start = ts(sent)
        followed = any(
            (f_offer == offer_id or f_account == account_id)
            and start <= ts(done) <= start + timedelta(days=7)
            for f_account, f_offer, done in follow_ups
        )
        groups[followed][0] += status == "won"
        groups[followed][1] += 1
    db = open_database(path)
    stale = [s for s in SuggestionService(db).today(now) if s.rule == "follow_up_stale_offer"]
    db.close()
    assert stale, "the demo rep has offers waiting for a follow-up"
    params = stale[0].evidence.params
    assert (params["w1"], params["n1"]) == tuple(groups[True])
    assert (params["w2"], params["n2"]) == tuple(groups[False])
    assert params["p1"] > params["p2"]  # the planted effect shows in the rep's own numbers


def _decided(ws, account, won, lost, days_ago):
    for n in range(won + lost):
        ws.offers.create({"account_id": account, "amount_cents": 10_000,
                          "status": OfferStatus.WON if n < won else OfferStatus.LOST,
                          "sent_at": NOW - (days_ago + 5) * DAY,
                          "decided_at": NOW - days_ago * DAY})  # fmt: skip


@pytest.mark.parametrize(
    ("before", "now", "fires"),
    [((18, 2), (4, 16), True), ((12, 8), (10, 10), False)],
    ids=["clear drop", "within the noise"],
)
def test_conversion_drop_needs_intervals_that_do_not_overlap(db_path, before, now, fires):
    from zoneinfo import ZoneInfo

    ws = open_workspace(db_path, ZoneInfo("Europe/Paris"))
    account = ws.accounts.create({"name": "Many offers"}).id
    _decided(ws, account, *before, days_ago=120)  # in the 90 days before the last 90
    _decided(ws, account, *now, days_ago=30)  # in the last 90 days
    found = [s for s in ws.suggestions.today(NOW) if s.rule == "conversion_drop"]
    ws.close()
    assert bool(found) is fires
    if fires:
        assert (found[0].why.params["w1"], found[0].why.params["n1"]) == (now[0], sum(now))
        assert (found[0].why.params["w2"], found[0].why.params["n2"]) == (before[0], sum(before))


def test_objective_pace_says_what_is_needed_per_remaining_working_day(db_path):
    from zoneinfo import ZoneInfo

    from kpidesk.domain.vocabulary import PeriodKind

    ws = open_workspace(db_path, ZoneInfo("Europe/Paris"))
    account = ws.accounts.create({"name": "Visited"}).id
    # May 2026 has 21 working days (Mon-Fri). On 20 May at 09:00 UTC, 13 are over (1, 4-8,
    # 11-15, 18, 19) and 8 remain, today included.
    for n in range(4):
        ws.activities.create({"account_id": account, "kind": "visit", "purpose": "prospecting",
                              "done_at": NOW - (n + 1) * DAY})  # fmt: skip
    ws.objectives.set_target("visits", PeriodKind.MONTH, 40)
    (behind,) = [s for s in ws.suggestions.today(NOW) if s.rule == "objective_pace"]
    assert behind.why.params["value"] == 4
    assert behind.why.params["target"] == 40
    assert behind.why.params["days"] == 8
    assert behind.why.params["needed"] == 4.5  # (40 - 4) / 8
    ws.objectives.set_target("visits", PeriodKind.MONTH, 5)  # now ahead of pace
    assert not [s for s in ws.suggestions.today(NOW) if s.rule == "objective_pace"]
    ws.close()


def test_clients_at_risk_and_new_clients_equal_a_whole_history_computation(tmp_path):
    """The store reads only the wins of the periods concerned (to stay off the history's
    size); this recomputes both from every row, in Python, on 6 years of demo data."""
    path = create_demo_database(tmp_path / "demo.sqlite", 6, 3, date(2026, 5, 20)).path
    raw = sqlite3.connect(path)
    me = raw.execute("SELECT value FROM local_meta WHERE key = 'owner_id'").fetchone()[0]
    accounts = raw.execute(
        "SELECT id, status, source FROM account WHERE cl % 2 = 1 AND owner_id = ?", (me,)
    ).fetchall()
    wins: dict[str, list[datetime]] = {}
    for account_id, decided in raw.execute(
        "SELECT account_id, decided_at FROM offer WHERE cl % 2 = 1 AND status = 'won'"
        " AND owner_id = ? AND decided_at IS NOT NULL", (me,)
    ):  # fmt: skip
        wins.setdefault(account_id, []).append(datetime.fromisoformat(decided).replace(tzinfo=UTC))
    last_done = dict(raw.execute(
        "SELECT account_id, max(done_at) FROM activity WHERE cl % 2 = 1 AND owner_id = ?"
        " AND done_at IS NOT NULL GROUP BY account_id", (me,)
    ).fetchall())  # fmt: skip
    planned = {r[0] for r in raw.execute(
        "SELECT account_id FROM activity WHERE cl % 2 = 1 AND owner_id = ? AND done_at IS NULL"
        " AND due_at IS NOT NULL", (me,))}  # fmt: skip
    raw.close()
    year = timedelta(days=365)
    db = open_database(path)
    service = SuggestionService(db)
    checked_at_risk = 0
    for now in (NOW, NOW - 40 * DAY, NOW - 400 * DAY):
        expected_at_risk = set()
        for account_id, status, _source in accounts:
            if status != "client" or account_id in planned or account_id not in wins:
                continue
            last = last_done.get(account_id)
            if last and now - datetime.fromisoformat(last).replace(tzinfo=UTC) <= 90 * DAY:
                continue
            if now <= max(wins[account_id]) + year <= now + 30 * DAY:
                expected_at_risk.add(f"account:{account_id}")
        found = {s.subject_key for s in service.today(now) if s.rule == "client_at_risk"}
        assert found == expected_at_risk
        checked_at_risk += len(found)
        new = [src for a, _st, src in accounts if a in wins and now - year <= min(wins[a]) < now]
        with db.read() as conn:
            facts = read_facts(conn, now, SuggestionSettings())
        assert (facts.new_clients, facts.referral_clients) == (
            len(new), sum(1 for s in new if s == "referral"))  # fmt: skip
        assert facts.new_clients > 0
    db.close()
    assert checked_at_risk > 0, "the demo data has clients at risk on one of these days"


def test_a_later_win_or_an_earlier_first_win_keeps_a_client_off_these_lists(ws):
    """The edges of the bounded reads: a win in the lapse window followed by a newer one is
    no risk; a client won again this year but first won before is not a new client."""
    client = ws.accounts.create({"name": "Scierie Morel", "status": AccountStatus.CLIENT}).id
    for days_ago in (350, 20):
        ws.offers.create({"account_id": client, "amount_cents": 10_000, "status": OfferStatus.WON,
                          "sent_at": NOW - (days_ago + 5) * DAY,
                          "decided_at": NOW - days_ago * DAY})  # fmt: skip
    old = ws.accounts.create({"name": "Garage Petit", "status": AccountStatus.CLIENT}).id
    for days_ago in (500, 100):
        ws.offers.create({"account_id": old, "amount_cents": 10_000, "status": OfferStatus.WON,
                          "sent_at": NOW - (days_ago + 5) * DAY,
                          "decided_at": NOW - days_ago * DAY})  # fmt: skip
    assert ("client_at_risk", f"account:{client}") not in rules(ws)
    with ws.db.read() as conn:
        facts = read_facts(conn, NOW, SuggestionSettings())
    assert facts.new_clients == 1  # Scierie Morel (first won 350 days ago); not Garage Petit
    # Read for its win in the lapse window, but with its true last win: so the rule spares it.
    assert [(c.name, c.last_won_at) for c in facts.clients] == [("Scierie Morel", NOW - 20 * DAY)]
