"""`no_next_step`: an open offer or a hot prospect with nothing planned, within the window,
and never a second card for an account another rule already speaks for."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from kpidesk.domain.i18n import Money
from kpidesk.domain.suggestions import (
    AccountActivity,
    NextStepGap,
    OpenOffer,
    RecentWin,
    SuggestionFacts,
    SuggestionSettings,
    no_next_step,
    suggest,
)

NOW = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
S = SuggestionSettings()
DAY = timedelta(days=1)


def offer(id, account, sent_days_ago, cents=480_000, follow_up=None):
    return OpenOffer(
        id,
        account,
        "Garage Moreau",
        f"2026-{id}",
        cents,
        "EUR",
        NOW - sent_days_ago * DAY,
        follow_up,
        False,
        f"clock-{id}",
    )


def gap(account, offer=None, hot=False, contact_days_ago=None, name="Garage Moreau"):
    last = NOW - contact_days_ago * DAY if contact_days_ago is not None else None
    return NextStepGap(account, name, hot, last, offer, f"state-{account}")


def test_a_fresh_open_offer_with_nothing_planned_is_flagged_with_its_own_facts():
    sent = offer("014", "a1", 3)
    (s,) = no_next_step(
        SuggestionFacts(NOW, next_step_gaps=[gap("a1", sent, contact_days_ago=3)]), S
    )
    assert (s.rule, s.subject_key, s.priority) == ("no_next_step", "account:a1", 42)
    assert s.title.params == {"account": "Garage Moreau", "ref": "2026-014"}
    # Sent on 20 May minus 3 days; the last contact the same day.
    assert s.why.params == {
        "ref": "2026-014",
        "amount": Money(480_000, "EUR"),
        "sent": date(2026, 5, 17),
        "contact": date(2026, 5, 17),
    }
    assert (s.action.account_id, s.action.offer_id) == ("a1", "014")
    assert s.records == (("account", "a1"), ("offer", "014"))


def test_the_window_bounds_the_offers_90_days_included_91_not():
    edge = SuggestionFacts(NOW, next_step_gaps=[gap("a1", offer("1", "a1", 90))])
    beyond = SuggestionFacts(NOW, next_step_gaps=[gap("a1", offer("1", "a1", 91))])
    assert [s.subject_key for s in no_next_step(edge, S)] == ["account:a1"]
    assert no_next_step(beyond, S) == []
    shorter = SuggestionSettings(next_step_window_days=30)
    assert (
        no_next_step(
            SuggestionFacts(NOW, next_step_gaps=[gap("a1", offer("1", "a1", 31))]), shorter
        )
        == []
    )


def test_several_open_offers_make_one_card_naming_the_newest_and_the_total():
    old, new = offer("1", "a1", 6, 300_000), offer("2", "a1", 2, 480_000)
    gaps = [gap("a1", old, contact_days_ago=40), gap("a1", new, contact_days_ago=40)]
    (s,) = no_next_step(SuggestionFacts(NOW, next_step_gaps=gaps), S)
    assert s.title.params["ref"] == "2026-2"
    assert s.why.params == {
        "n": 2,
        "amount": Money(780_000, "EUR"),  # 3,000 + 4,800 €
        "sent": date(2026, 5, 18),
        "contact": date(2026, 4, 10),
    }
    assert s.records == (("account", "a1"), ("offer", "2"), ("offer", "1"))


def test_a_hot_prospect_contacted_lately_with_nothing_planned():
    (s,) = no_next_step(
        SuggestionFacts(NOW, next_step_gaps=[gap("a2", hot=True, contact_days_ago=5)]), S
    )
    assert (s.subject_key, s.priority, s.action.offer_id) == ("account:a2", 38, None)
    assert s.why.params == {"days": 5, "date": date(2026, 5, 15)}
    # A hot prospect whose only contact is older than the window: nothing from this rule.
    assert (
        no_next_step(
            SuggestionFacts(NOW, next_step_gaps=[gap("a2", hot=True, contact_days_ago=91)]), S
        )
        == []
    )


def test_an_account_another_rule_speaks_for_gets_no_second_card():
    stale = offer("9", "a1", 10)  # sent 10 days ago, never followed up: follow_up_stale_offer
    quiet = AccountActivity("a2", "Pharmacie Roux", NOW - 20 * DAY, False)  # hot_prospect_idle
    facts = SuggestionFacts(
        NOW,
        open_offers=[stale],
        hot_prospects=[quiet],
        next_step_gaps=[
            gap("a1", stale),
            gap("a2", hot=True, contact_days_ago=20),
            gap("a3", offer("5", "a3", 12, follow_up=NOW - 4 * DAY)),
        ],
    )
    found = {(s.rule, s.subject_key) for s in suggest(facts, S)}
    assert ("follow_up_stale_offer", "offer:9") in found
    assert ("hot_prospect_idle", "account:a2") in found
    # a3's offer was followed up, so only this rule flags that nothing comes next.
    assert {k for r, k in found if r == "no_next_step"} == {"account:a3"}


def test_its_place_among_the_other_rules():
    win = RecentWin("o7", "a7", "Boulangerie Denis", "2026-020", NOW - 5 * DAY, False)
    gaps = [gap("a1", offer("1", "a1", 2)), gap("a2", hot=True, contact_days_ago=1)]
    facts = SuggestionFacts(
        NOW, open_offers=[offer("9", "a9", 10)], recent_wins=[win], next_step_gaps=gaps
    )
    order = [(s.rule, s.subject_key) for s in suggest(facts, S)]
    assert order == [
        ("follow_up_stale_offer", "offer:9"),
        ("no_next_step", "account:a1"),
        ("no_next_step", "account:a2"),
        ("ask_referral", "account:a7"),
    ]


def test_snoozing_until_it_changes_wakes_up_on_a_new_contact_or_an_edited_offer():
    base = no_next_step(
        SuggestionFacts(NOW, next_step_gaps=[gap("a1", offer("1", "a1", 2), contact_days_ago=2)]), S
    )[0]
    contacted = no_next_step(
        SuggestionFacts(NOW, next_step_gaps=[gap("a1", offer("1", "a1", 2), contact_days_ago=1)]), S
    )[0]
    assert base.fingerprint != contacted.fingerprint
    same = no_next_step(
        SuggestionFacts(NOW, next_step_gaps=[gap("a1", offer("1", "a1", 2), contact_days_ago=2)]), S
    )[0]
    assert base.fingerprint == same.fingerprint
