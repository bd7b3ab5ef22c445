"""`no_next_step` on a real database: the facts are read right, planning silences it, the
queries start from the window, and the demo rep's cards equal an independent computation."""

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
from kpidesk.store.meta import my_id
from kpidesk.store.next_step_facts import read_next_step_gaps

NOW = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def ws(db_path):
    workspace = open_workspace(db_path)
    yield workspace
    workspace.close()


def gaps(ws, now=NOW):
    return {s.subject_key for s in SuggestionService(ws.db).today(now) if s.rule == "no_next_step"}


def test_an_offer_sent_lately_asks_for_a_next_step_until_one_is_planned(ws):
    account = ws.accounts.create({"name": "Garage Moreau"}).id
    offer = ws.offers.create(
        {
            "account_id": account,
            "amount_cents": 300_000,
            "status": OfferStatus.SENT,
            "sent_at": NOW - 3 * DAY,
        }
    ).id
    assert gaps(ws) == {f"account:{account}"}
    # Something done is no next step; only a planned one is.
    ws.activities.create(
        {"account_id": account, "kind": "call", "purpose": "follow_up", "done_at": NOW - DAY}
    )
    assert gaps(ws) == {f"account:{account}"}
    step = ws.activities.plan(account, NOW + 2 * DAY, offer_id=offer).id
    assert gaps(ws) == set()
    # Done, the step leaves nothing planned again.
    ws.activities.mark_done(step, NOW)
    assert gaps(ws, NOW + DAY) == {f"account:{account}"}


def test_an_overdue_step_is_left_to_its_own_suggestion(ws):
    account = ws.accounts.create({"name": "Hôtel du Lac"}).id
    ws.offers.create({"account_id": account, "status": OfferStatus.SENT, "sent_at": NOW - 2 * DAY})
    late = ws.activities.plan(account, NOW - DAY).id
    found = {(s.rule, s.subject_key) for s in SuggestionService(ws.db).today(NOW)}
    assert ("overdue_follow_up", f"activity:{late}") in found
    assert not any(rule == "no_next_step" for rule, _ in found)


def test_hot_prospects_old_offers_and_decided_offers(ws):
    hot = ws.accounts.create({"name": "Pharmacie Roux", "temperature": Temperature.HOT}).id
    warm = ws.accounts.create({"name": "Cabinet Petit", "temperature": Temperature.WARM}).id
    for account in (hot, warm):
        ws.activities.create(
            {
                "account_id": account,
                "kind": "visit",
                "purpose": "prospecting",
                "done_at": NOW - 4 * DAY,
            }
        )
    old = ws.accounts.create({"name": "Fournil Masson", "status": AccountStatus.CLIENT}).id
    ws.offers.create({"account_id": old, "status": OfferStatus.SENT, "sent_at": NOW - 120 * DAY})
    ws.activities.create(
        {"account_id": old, "kind": "call", "purpose": "follow_up", "done_at": NOW - 100 * DAY}
    )
    won = ws.accounts.create({"name": "Boulangerie Denis"}).id
    ws.offers.create(
        {
            "account_id": won,
            "status": OfferStatus.WON,
            "sent_at": NOW - 9 * DAY,
            "decided_at": NOW - 2 * DAY,
        }
    )
    # Only the hot prospect: warm is not hot, the old offer is past the 90-day window, and a
    # won offer is no longer open.
    assert gaps(ws) == {f"account:{hot}"}
    with ws.db.read() as conn:
        wide = read_next_step_gaps(conn, my_id(conn), NOW, 365)
    assert {g.account_id for g in wide} == {hot, old}  # a year's window reaches the old offer


def test_snoozed_until_it_changes_comes_back_with_a_new_contact(ws):
    account = ws.accounts.create({"name": "Garage Moreau"}).id
    ws.offers.create({"account_id": account, "status": OfferStatus.SENT, "sent_at": NOW - DAY})
    service = SuggestionService(ws.db)
    (card,) = [s for s in service.today(NOW) if s.rule == "no_next_step"]
    service.snooze(card, Snooze.UNTIL_CHANGED, now=NOW)
    assert gaps(ws) == set()
    ws.activities.create(
        {"account_id": account, "kind": "call", "purpose": "follow_up", "done_at": NOW - DAY / 2}
    )
    assert gaps(ws) == {f"account:{account}"}


def test_the_queries_start_from_the_window_not_the_whole_history(ws):
    """The cost follows the last 90 days and the hot prospects: the offers are searched
    through an index on the window's bound, the hot prospects through theirs and then each one's
    activities of the window; nothing is scanned whole (a scan grows with every year)."""
    captured: list[str] = []
    with ws.db.read() as conn:
        me, raw = my_id(conn), conn.connection.driver_connection
        raw.set_trace_callback(captured.append)
        read_next_step_gaps(conn, me, NOW, 90)
        raw.set_trace_callback(None)
        plans = [
            " | ".join(str(r[-1]) for r in raw.execute(f"EXPLAIN QUERY PLAN {sql}"))
            for sql in captured
            if sql.lstrip().upper().startswith("SELECT")
        ]
    assert len(plans) == 2
    offers, hot = plans
    assert "SEARCH o USING" in offers and "sent_at>?" in offers.split(" | ")[0]
    assert "SEARCH a USING INDEX ix_account_temperature_status" in hot.split(" | ")[0]
    assert "SEARCH c USING COVERING INDEX" in hot and "(account_id=? AND done_at>?)" in hot
    assert not [plan for plan in plans if "SCAN" in plan], plans


def test_the_demo_reps_cards_equal_an_independent_computation(tmp_path):
    path = create_demo_database(tmp_path / "demo.sqlite", 2, 5, date(2026, 5, 20)).path
    conn = sqlite3.connect(path)
    accounts = {r[0]: r[1:] for r in conn.execute("SELECT id, status, temperature FROM account")}
    offers = conn.execute("SELECT account_id, status, sent_at FROM offer").fetchall()
    done = conn.execute(
        "SELECT account_id, offer_id, purpose, done_at FROM activity WHERE done_at IS NOT NULL"
    ).fetchall()
    planned = {
        r[0]
        for r in conn.execute(
            "SELECT account_id FROM activity WHERE done_at IS NULL AND due_at IS NOT NULL"
        )
    }
    conn.close()

    def ts(text):
        return datetime.fromisoformat(text).replace(tzinfo=UTC)

    s = SuggestionSettings()
    last = {}
    for account, _offer, _purpose, at in done:
        last[account] = max(last.get(account, ts(at)), ts(at))
    since = NOW - timedelta(days=s.next_step_window_days)
    expected = set()
    for account, (status, temperature) in accounts.items():
        if account in planned:
            continue
        open_sent = [ts(sent) for a, st, sent in offers if a == account and st == "sent" and sent]
        # follow_up_stale_offer speaks for an offer sent over 7 days ago never followed up since
        stale = any(
            NOW - sent > timedelta(days=s.stale_offer_days)
            and not any(
                a == account and p == "follow_up" and ts(at) >= sent for a, _o, p, at in done
            )
            for sent in open_sent
        )
        hot = status == "prospect" and temperature == "hot"
        # hot_prospect_idle speaks for a hot prospect untouched for over 14 days
        idle = hot and (account not in last or NOW - last[account] > timedelta(days=14))
        if stale or idle:
            continue
        if any(sent >= since for sent in open_sent) or (hot and last[account] >= since):
            expected.add(f"account:{account}")
    db = open_database(path)
    found = {x.subject_key for x in SuggestionService(db).today(NOW) if x.rule == "no_next_step"}
    db.close()
    assert expected, "the demo rep has open offers or hot prospects with nothing planned"
    assert found == expected
