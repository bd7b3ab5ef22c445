"""Each rule fires on its case and stays silent on the near miss (pure facts, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kpidesk.domain.i18n import Money
from kpidesk.domain.suggestions import (
    AccountActivity,
    FollowUpEvidence,
    OpenOffer,
    OverdueActivity,
    RecentWin,
    SuggestionFacts,
    SuggestionSettings,
    ask_referral,
    client_at_risk,
    follow_up_evidence_message,
    follow_up_stale_offer,
    hot_prospect_idle,
    overdue_follow_up,
    said_once,
    suggest,
)
from kpidesk.domain.vocabulary import ActivityKind

NOW = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
S = SuggestionSettings()
DAY = timedelta(days=1)


def offer(sent_days_ago, follow_up=None, planned=False):
    return OpenOffer("o1", "a1", "Garage Moreau", "2026-014", 480_000, "EUR",
                     NOW - sent_days_ago * DAY, follow_up, planned)  # fmt: skip


def facts(**kw):
    return SuggestionFacts(now=NOW, **kw)


def test_stale_offer_fires_after_the_threshold_and_not_before():
    assert [s.subject_key for s in follow_up_stale_offer(facts(open_offers=[offer(8)]), S)] == [
        "offer:o1"
    ]
    assert follow_up_stale_offer(facts(open_offers=[offer(7)]), S) == []  # exactly 7 days: not yet


def test_stale_offer_is_silent_once_followed_up_or_planned():
    followed = offer(20, follow_up=NOW - 2 * DAY)
    assert follow_up_stale_offer(facts(open_offers=[followed]), S) == []
    assert follow_up_stale_offer(facts(open_offers=[offer(20, planned=True)]), S) == []


def test_evidence_uses_the_reps_numbers_only_with_enough_decided_offers():
    message, general = follow_up_evidence_message(FollowUpEvidence(12, 20, 5, 25), 5)
    assert not general
    assert message.params == {"p1": 60, "w1": 12, "n1": 20, "p2": 20, "w2": 5, "n2": 25}
    message, general = follow_up_evidence_message(FollowUpEvidence(3, 4, 5, 25), 5)
    assert general
    assert message.params == {"n1": 4, "n2": 25}


def test_overdue_activity_fires_and_says_how_late():
    late = OverdueActivity("t1", "a1", "Hôtel du Lac", ActivityKind.CALL, NOW - 3 * DAY)
    (s,) = overdue_follow_up(facts(overdue=[late]), S)
    assert s.why.params == {"days": 3}
    assert s.action.activity_id == "t1"
    assert overdue_follow_up(facts(overdue=[]), S) == []


def test_overdue_by_minutes_says_less_than_an_hour_not_zero_hours():
    def why(late):
        act = OverdueActivity("t1", "a1", "Hôtel du Lac", ActivityKind.CALL, NOW - late)
        return overdue_follow_up(facts(overdue=[act]), S)[0].why

    assert why(timedelta(minutes=40)).english() == "It was due less than an hour ago."
    assert why(timedelta(minutes=70)).english() == "It was due 1 hour ago."
    assert why(timedelta(hours=5)).params == {"hours": 5}


def test_hot_prospect_idle_after_14_days_unless_something_is_planned():
    idle = AccountActivity("a2", "Pharmacie Roux", NOW - 15 * DAY, False)
    recent = AccountActivity("a3", "Cabinet Petit", NOW - 14 * DAY, False)
    planned = AccountActivity("a4", "Bistrot Blanc", NOW - 40 * DAY, True)
    found = hot_prospect_idle(facts(hot_prospects=[idle, recent, planned]), S)
    assert [s.subject_key for s in found] == ["account:a2"]


def test_client_at_risk_when_quiet_and_the_active_year_is_about_to_end():
    at_risk = AccountActivity("c1", "Mécanique Roy", NOW - 100 * DAY, False, NOW - 350 * DAY)
    still_safe = AccountActivity("c2", "Transports Roche", NOW - 100 * DAY, False, NOW - 200 * DAY)
    in_touch = AccountActivity("c3", "Maison Colin", NOW - 30 * DAY, False, NOW - 350 * DAY)
    lapsed = AccountActivity("c4", "Relais Caron", NOW - 200 * DAY, False, NOW - 400 * DAY)
    found = client_at_risk(facts(clients=[at_risk, still_safe, in_touch, lapsed]), S)
    assert [s.subject_key for s in found] == ["account:c1"]


def test_ask_referral_after_a_recent_win_without_a_referral_since():
    fresh = RecentWin("o2", "a5", "Boulangerie Denis", "2026-020", NOW - 5 * DAY, False)
    old = RecentWin("o3", "a6", "Fournil Masson", "2026-003", NOW - 31 * DAY, False)
    done = RecentWin("o4", "a7", "Hôtel Robin", "2026-021", NOW - 2 * DAY, True)
    found = ask_referral(
        facts(recent_wins=[fresh, old, done], referral_clients=3, new_clients=10), S
    )
    assert [s.subject_key for s in found] == ["account:a5"]
    assert found[0].evidence.params == {"r": 3, "n": 10}
    assert found[0].why.params == {"ref": "2026-020", "date": (NOW - 5 * DAY).date()}


def test_ask_referral_is_capped_at_three_a_day():
    wins = [RecentWin(f"o{i}", f"a{i}", f"Client {i}", f"R{i}", NOW - i * DAY, False)
            for i in range(1, 8)]  # fmt: skip
    assert len(ask_referral(facts(recent_wins=wins), S)) == 3


def test_suggestions_are_ordered_by_priority():
    late = OverdueActivity("t1", "a1", "Hôtel du Lac", ActivityKind.CALL, NOW - 3 * DAY)
    win = RecentWin("o2", "a5", "Boulangerie Denis", "2026-020", NOW - 5 * DAY, False)
    rules = [s.rule for s in suggest(facts(overdue=[late], recent_wins=[win],
                                           open_offers=[offer(9)]), S)]  # fmt: skip
    assert rules == ["overdue_follow_up", "follow_up_stale_offer", "ask_referral"]


def test_a_rules_statistic_is_said_on_its_first_card_only():
    """Three stale offers: the follow-up statistic once, then each card its own offer."""
    offers = [
        OpenOffer(f"o{n}", f"a{n}", f"Client {n}", f"R{n}", cents, "EUR", NOW - days * DAY,
                  None, False)
        for n, (cents, days) in enumerate([(900_000, 9), (300_000, 12), (300_000, 20)])
    ]  # fmt: skip
    evidence = FollowUpEvidence(12, 20, 5, 25)
    found = suggest(facts(open_offers=offers, follow_up_evidence=evidence), S)
    cards = said_once(found)
    assert [c.subject_key for c in cards] == ["offer:o0", "offer:o1", "offer:o2"]
    first, *others = cards
    assert first.why.params["evidence"].params == {
        "p1": 60, "w1": 12, "n1": 20, "p2": 20, "w2": 5, "n2": 25
    }  # fmt: skip
    assert first.why.params["facts"].params == {
        "amount": Money(900_000, "EUR"), "date": (NOW - 9 * DAY).date()
    }  # fmt: skip
    for card, days in zip(others, (12, 20), strict=True):
        assert card.why.params == {
            "amount": Money(300_000, "EUR"),
            "date": (NOW - days * DAY).date(),
        }
    texts = [c.why.english() for c in cards]
    assert len(set(texts)) == 3 and sum("12 months" in t for t in texts) == 1
    # Rules without a shared statistic are left as they are.
    late = OverdueActivity("t1", "a1", "Hôtel du Lac", ActivityKind.CALL, NOW - 3 * DAY)
    (overdue,) = said_once(overdue_follow_up(facts(overdue=[late]), S))
    assert overdue.why.params == {"days": 3}
