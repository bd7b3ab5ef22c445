"""Until when a team view holds with the same rows (``horizon.steady_until``): checked by brute
force, recomputing the view at many moments before the bound on random books, and against
hand-picked cases."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kpidesk.domain.coaching import (
    BookAccount,
    BookActivity,
    BookObjective,
    BookOffer,
    RepBook,
    rep_quality,
)
from kpidesk.domain.coaching.horizon import next_anniversary, steady_until
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
NOW = datetime(2026, 12, 10, 9, 17, 23, tzinfo=UTC)  # a Thursday morning in Paris
DAY = timedelta(days=1)
KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)


def _views(book: RepBook, at: datetime) -> list:
    """The views of the three running periods at ``at``, without their clock (``as_of``)."""
    return [
        dataclasses.replace(rep_quality(book, period_containing(kind, at, PARIS), at), as_of=None)
        for kind in KINDS
    ]


def _random_book(rng: random.Random) -> RepBook:
    def instant(spread_days: float) -> datetime:
        return NOW + timedelta(seconds=rng.uniform(-spread_days, spread_days / 4) * 86400)

    accounts = tuple(
        BookAccount(f"a{i}", f"Account {i}", rng.choice(list(AccountStatus)),
                    rng.choice(list(Temperature)), instant(60), "Lyon")
        for i in range(6)
    )  # fmt: skip
    offers = []
    for i in range(10):
        status = rng.choice(list(OfferStatus))
        sent = None if status is OfferStatus.DRAFT else instant(40)
        decided = None
        if status in (OfferStatus.WON, OfferStatus.LOST, OfferStatus.ABANDONED):
            decided = sent + timedelta(hours=rng.uniform(1, 400))
        amount = rng.randint(1, 9) * 1000
        offers.append(BookOffer(f"o{i}", rng.choice(accounts).id, f"O-{i}", amount, "EUR", status,
                                sent, decided, None))  # fmt: skip
    activities = []
    for i in range(25):
        linked = rng.choice([None, *offers])
        account_id = linked.account_id if linked else rng.choice(accounts).id
        planned = rng.random() < 0.3
        activities.append(BookActivity(
            f"v{i}", account_id, linked.id if linked else None, rng.choice(list(ActivityKind)),
            rng.choice(list(ActivityPurpose)), instant(20) if planned else None,
            None if planned else instant(40),
        ))  # fmt: skip
    objectives = (BookObjective("revenue", PeriodKind.MONTH, 20_000.0),)
    return RepBook("rep", "Rep", rng.random() < 0.5, accounts, tuple(offers), tuple(activities),
                   objectives)  # fmt: skip


@pytest.mark.parametrize("seed", range(12))
def test_the_view_does_not_change_before_the_bound(seed):
    rng = random.Random(seed)
    book = _random_book(rng)
    bound = steady_until([book], NOW, PARIS)
    assert NOW <= bound <= NOW + DAY
    first = _views(book, NOW)
    span = bound - NOW
    moments = [NOW + span * rng.random() for _ in range(15)]
    moments.append(bound - timedelta(milliseconds=1))
    for moment in moments:
        if moment >= NOW:
            assert _views(book, moment) == first, (seed, moment, bound)


def test_the_bound_is_the_next_sending_anniversary_of_an_open_offer():
    sent = NOW - 3 * DAY + timedelta(hours=2)  # 3 days old at 11:17:23 today
    book = RepBook("rep", "Rep", False,
                   (BookAccount("a", "A", AccountStatus.CLIENT, Temperature.WARM,
                                NOW - 90 * DAY),),
                   (BookOffer("o", "a", "O", 1000, "EUR", OfferStatus.SENT, sent, None, None),),
                   (), ())  # fmt: skip
    bound = steady_until([book], NOW, PARIS)
    assert bound == sent + 3 * DAY
    before, at = _views(book, bound - timedelta(seconds=1)), _views(book, bound)
    assert before[0].open_offers[0].age_days == 2 and at[0].open_offers[0].age_days == 3


def test_with_nothing_to_come_the_view_holds_until_the_next_local_day():
    book = RepBook("rep", "Rep", False, (), (), (), ())
    # 09:17 UTC is 10:17 in Paris in December: the next day starts at 23:00 UTC.
    assert steady_until([book], NOW, PARIS) == datetime(2026, 12, 10, 23, 0, tzinfo=UTC)


def test_a_planned_activity_ends_the_view_when_it_falls_due():
    due = NOW + timedelta(hours=3)
    book = RepBook("rep", "Rep", False, (BookAccount("a", "A", AccountStatus.PROSPECT,
                   Temperature.HOT, NOW - 9 * DAY),), (),
                   (BookActivity("v", "a", None, ActivityKind.CALL, ActivityPurpose.FOLLOW_UP,
                                 due, None),), ())  # fmt: skip
    assert steady_until([book], NOW, PARIS) == due


def test_next_anniversary():
    assert next_anniversary(NOW + DAY, NOW) == NOW + DAY  # still to come: itself
    assert next_anniversary(NOW - 2 * DAY, NOW) == NOW  # exactly two days: now
    later = NOW - 2 * DAY + timedelta(seconds=1)
    assert next_anniversary(later, NOW) == later + 2 * DAY
    earlier = NOW - 2 * DAY - timedelta(seconds=1)
    assert next_anniversary(earlier, NOW) == earlier + 3 * DAY
