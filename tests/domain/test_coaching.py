"""The team view's numbers (KPIS.md, "Team view"), worked out by hand for a small book, and
the life of an objective proposal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kpidesk.domain.coaching import (
    BookAccount,
    BookActivity,
    BookObjective,
    BookOffer,
    ProposalAction,
    ProposalError,
    ProposalState,
    RepBook,
    TeamPage,
    next_state,
    rep_quality,
)
from kpidesk.domain.periods import period_containing
from kpidesk.domain.vocabulary import (
    AccountStatus,
    ActivityKind,
    ActivityPurpose,
    OfferStatus,
    PeriodKind,
    Temperature,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)  # a Thursday, 10 December
MONTH = period_containing(PeriodKind.MONTH, NOW, PARIS)
AGO = NOW - timedelta(days=365)


def day(n: int) -> datetime:
    """n days before NOW (negative: after)."""
    return NOW - timedelta(days=n)


def account(id_: str, temperature: Temperature, status=AccountStatus.PROSPECT) -> BookAccount:
    return BookAccount(id_, f"Account {id_}", status, temperature, AGO, "Lyon")


def offer(id_, account_id, amount, status=OfferStatus.SENT, sent=None, decided=None, p=None):
    return BookOffer(id_, account_id, id_.upper(), amount, "EUR", status, sent, decided, p)


def activity(id_, account_id, offer_id=None, *, kind=ActivityKind.CALL,
             purpose=ActivityPurpose.FOLLOW_UP, due=None, done=None):  # fmt: skip
    return BookActivity(id_, account_id, offer_id, kind, purpose, due, done)


ACCOUNTS = (
    account("hot", Temperature.HOT),
    account("warm", Temperature.WARM, AccountStatus.CLIENT),
    account("cold", Temperature.COLD, AccountStatus.CLIENT),
    account("hot2", Temperature.HOT),
)
OFFERS = (
    # Open: 10,000 € hot (0.6) sent 20 days ago, followed up 16 days ago: stale (16 > 14).
    offer("o1", "hot", 1_000_000, sent=day(20)),
    # Open: 4,000 € warm with its own probability 0.5, sent 3 days ago: fresh.
    offer("o2", "warm", 400_000, sent=day(3), p=0.5),
    # Open: 2,000 € cold (0.1), sent 30 days ago, touched 5 days ago: not stale.
    offer("o3", "cold", 200_000, sent=day(30)),
    # A draft never counts.
    offer("d1", "hot", 9_999_900, OfferStatus.DRAFT),
    # Decided this month: won hot 3,000 €, lost warm, abandoned cold, won warm 1,000 €.
    offer("w1", "hot", 300_000, OfferStatus.WON, sent=day(40), decided=day(5)),
    offer("l1", "warm", 100_000, OfferStatus.LOST, sent=day(30), decided=day(4)),
    offer("a1", "cold", 100_000, OfferStatus.ABANDONED, sent=day(30), decided=day(3)),
    offer("w2", "warm", 100_000, OfferStatus.WON, sent=day(20), decided=day(2)),
    # Won last month: not this month's revenue nor conversion.
    offer("w0", "cold", 500_000, OfferStatus.WON, sent=day(60), decided=day(30)),
)
ACTIVITIES = (
    activity("f1", "hot", "o1", done=day(16)),
    activity(
        "v1", "cold", "o3", kind=ActivityKind.VISIT, purpose=ActivityPurpose.OTHER, done=day(5)
    ),
    activity("c1", "warm", kind=ActivityKind.CALL, purpose=ActivityPurpose.OTHER, done=day(1)),
    # Planned: a call on o2 in two days; a visit to hot2 next week; one overdue (not "next").
    activity("p1", "warm", "o2", due=day(-2)),
    activity(
        "p2", "hot2", kind=ActivityKind.VISIT, purpose=ActivityPurpose.PROSPECTING, due=day(-7)
    ),
    activity("p3", "cold", "o3", due=day(1)),
)
OBJECTIVES = (
    BookObjective("revenue", PeriodKind.MONTH, 2_000_000),
    BookObjective("visits", PeriodKind.MONTH, 20),
    BookObjective("conversion", PeriodKind.QUARTER, 0.4),
)


def book(shares: bool = False) -> RepBook:
    return RepBook("rep-1", "Marie", shares, ACCOUNTS, OFFERS, ACTIVITIES, OBJECTIVES)


def test_the_pipeline_and_its_quality_by_hand():
    q = rep_quality(book(), MONTH, NOW)
    assert q.as_of == NOW
    # Open: o1 + o2 + o3 = 10,000 + 4,000 + 2,000 €.
    assert q.pipeline_value_cents == 1_600_000
    # Weighted: 10,000 × 0.6 + 4,000 × 0.5 + 2,000 × 0.1 = 6,000 + 2,000 + 200 €.
    assert q.weighted_pipeline_cents == 820_000
    assert [line.offer_id for line in q.open_offers] == ["o3", "o1", "o2"]  # oldest sent first
    by_id = {line.offer_id: line for line in q.open_offers}
    assert by_id["o1"].weighted_cents == 600_000
    assert (by_id["o1"].age_days, by_id["o2"].age_days, by_id["o3"].age_days) == (20, 3, 30)
    # Stale: o1's latest activity is 16 days old; o3 was visited 5 days ago; o2 is 3 days old.
    assert q.stale_offers == 1 and [o.offer_id for o in q.open_offers if o.stale] == ["o1"]
    assert by_id["o1"].last_follow_up_at == day(16)
    assert by_id["o3"].last_follow_up_at is None  # a visit is not a follow-up
    assert by_id["o2"].next_step_at == day(-2)
    assert by_id["o3"].next_step_at is None  # p3 is overdue: not a next step
    # Ages 3, 20, 30: median 20; 90th percentile 20 + 0.8 × (30 − 20) = 28.
    assert q.open_offer_age_median_days == 20
    assert q.open_offer_age_p90_days == pytest.approx(28)
    # Hot prospects: "hot" and "hot2" (prospects, hot). Next step: o2 and hot2 of 3 + 2.
    assert q.hot_prospects == 2
    assert [h.account_id for h in q.hot_list] == ["hot", "hot2"]
    assert (q.next_step_planned.numerator, q.next_step_planned.denominator) == (2, 5)


def test_conversion_revenue_and_coverage_by_hand():
    q = rep_quality(book(), MONTH, NOW)
    # Decided this month: w1, w2 won; l1 lost; a1 abandoned: 2 / 4.
    assert (q.conversion.numerator, q.conversion.denominator) == (2, 4)
    assert q.conversion.low is not None and q.conversion.low < 0.5 < q.conversion.high
    # Revenue: 3,000 + 1,000 € of 20,000 €: 16,000 € remain, covered 8,200 / 16,000 = 0.5125.
    assert q.revenue_cents == 400_000
    assert q.revenue_objective_cents == 2_000_000
    assert q.pipeline_coverage == pytest.approx(820_000 / 1_600_000)
    split = {s.temperature: (s.rate.numerator, s.rate.denominator)
             for s in q.conversion_by_temperature}  # fmt: skip
    assert split == {Temperature.HOT: (1, 1), Temperature.WARM: (1, 2), Temperature.COLD: (0, 1)}


def test_activity_counts_only_for_a_rep_who_shares_them():
    private = rep_quality(book(shares=False), MONTH, NOW)
    assert private.activity_counts is None
    visits = {o.kpi_key: o.value for o in private.objectives}["visits"]
    assert visits is None  # not part of what is shared: no value, never 0
    shared = rep_quality(book(shares=True), MONTH, NOW)
    # Done this month (from 1 December, Paris): f1 is 16 days ago (24 Nov): not counted;
    # v1 (5 Dec) a visit, c1 (9 Dec) a call; no follow-up done this month.
    counts = shared.activity_counts
    assert (counts.visits, counts.calls, counts.follow_ups) == (1, 1, 0)
    assert {o.kpi_key: o.value for o in shared.objectives}["visits"] == 1
    # Everything else is the same whether or not the rep shares activities.
    assert private.open_offers == shared.open_offers
    assert private.conversion == shared.conversion


def test_objectives_of_the_period_kind_only_with_their_pace():
    q = rep_quality(book(), MONTH, NOW)
    keys = [o.kpi_key for o in q.objectives]
    assert keys == ["revenue", "visits"]  # the quarter's conversion target is not this page's
    revenue = q.objectives[0]
    assert revenue.value == 400_000 and revenue.progress == pytest.approx(0.2)
    # December 2026 has 23 working days (Mon–Fri); 7 are over by the 10th at noon (1–4 and
    # 7–9 December: today counts once it is over).
    assert revenue.expected_now == pytest.approx(2_000_000 * 7 / 23)
    assert revenue.pace == "behind"


def test_no_objective_means_no_coverage_and_a_reached_one_needs_none():
    no_objective = RepBook("r", "R", False, ACCOUNTS, OFFERS, ACTIVITIES, ())
    assert rep_quality(no_objective, MONTH, NOW).pipeline_coverage is None
    reached = RepBook("r", "R", False, ACCOUNTS, OFFERS, ACTIVITIES,
                      (BookObjective("revenue", PeriodKind.MONTH, 300_000),))  # fmt: skip
    q = rep_quality(reached, MONTH, NOW)
    assert q.revenue_objective_cents == 300_000 and q.pipeline_coverage is None


def test_an_empty_book_has_no_rates_and_no_ages():
    q = rep_quality(RepBook("r", "R", False), MONTH, NOW)
    assert q.pipeline_value_cents == 0 and q.open_offers == ()
    assert q.conversion.value is None and q.conversion.denominator == 0
    assert q.open_offer_age_median_days is None


def test_a_team_page_lists_reps_by_name_and_gathers_their_hot_and_stale_lists():
    marie = rep_quality(book(), MONTH, NOW)
    other = RepBook("rep-2", "Alain", False, (account("zz", Temperature.HOT),),
                    (offer("s9", "zz", 100, sent=day(40)),))  # fmt: skip
    alain = rep_quality(other, MONTH, NOW)
    page = TeamPage("t", "Ouest", (alain, marie))
    assert [rep.rep_name for rep, line in page.stale_offers()] == ["Alain", "Marie"]  # oldest
    assert [line.account_id for _rep, line in page.hot_list()] == ["hot", "hot2", "zz"]


def test_a_proposal_is_agreed_only_when_both_agree():
    state = ProposalState.WAITING_FOR_REP
    state = next_state(state, ProposalAction.COUNTER, by_manager=False)
    assert state is ProposalState.WAITING_FOR_MANAGER
    with pytest.raises(ProposalError):  # the rep cannot accept their own counter
        next_state(state, ProposalAction.ACCEPT, by_manager=False)
    assert next_state(state, ProposalAction.ACCEPT, by_manager=True) is ProposalState.AGREED
    assert (
        next_state(ProposalState.WAITING_FOR_REP, ProposalAction.ACCEPT, by_manager=False)
        is ProposalState.AGREED
    )


@pytest.mark.parametrize(
    ("state", "action", "by_manager"),
    [
        (ProposalState.AGREED, ProposalAction.COUNTER, True),
        (ProposalState.WITHDRAWN, ProposalAction.ACCEPT, False),
        (ProposalState.WAITING_FOR_REP, ProposalAction.WITHDRAW, False),
        (ProposalState.WAITING_FOR_REP, ProposalAction.DECLINE, True),
        (ProposalState.WAITING_FOR_REP, ProposalAction.ACCEPT, True),
        (ProposalState.WAITING_FOR_MANAGER, ProposalAction.PROPOSE, True),
    ],
)
def test_answers_out_of_turn_are_refused(state, action, by_manager):
    with pytest.raises(ProposalError):
        next_state(state, action, by_manager)
