"""Until when a team view stays what it is while its data does not change.

The team view depends on the time in three ways only: the running periods and their working
days (they change at a local midnight), comparisons of a row's instant with "now" (an offer
sent, decided; an activity due, done), and whole numbers of days since one of those instants
(an open offer's age, the follow-up window, the stale-offer threshold: every such offset in
``kpidesk.domain.coaching`` and ``kpidesk.domain.kpis`` is a whole number of days). So with the
same rows, the view computed at ``now`` is the view at any moment before the earliest of:

- the start of the next local day (``periods.local_midnight``, as the periods start);
- any instant of a row still to come;
- the next whole-day anniversary of the instants that ages and thresholds count from: the
  open offers' sending, the activities done on them (stale offers), and the sending of every
  offer in its follow-up window (``FOLLOW_UP_WINDOW_DAYS`` after it).

:func:`steady_until` gives that bound; ``GET /v1/coaching`` answers "not modified" without
computing while the data's fingerprint is the same and the bound is not reached. The bound is
cautious (it may come before the view really changes, never after).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kpidesk.domain.coaching.book import RepBook, open_offers
from kpidesk.domain.kpis.settings import FOLLOW_UP_WINDOW_DAYS
from kpidesk.domain.periods import local_midnight

DAY = timedelta(days=1)


def next_anniversary(instant: datetime, now: datetime) -> datetime:
    """The first moment at or after ``now`` that is a whole number of days after ``instant``
    (``instant`` itself when it is still to come)."""
    if instant >= now:
        return instant
    moment = instant + (now - instant) // DAY * DAY
    return moment if moment >= now else moment + DAY


def _instants(book: RepBook) -> Iterable[datetime | None]:
    for account in book.accounts:
        yield account.created_at
    for offer in book.offers:
        yield offer.sent_at
        yield offer.decided_at
    for activity in book.activities:
        yield activity.due_at
        yield activity.done_at


def _counted_from(book: RepBook, now: datetime) -> Iterable[datetime]:
    """The instants whose whole-day anniversaries can change the view."""
    for offer in open_offers(book, now):
        assert offer.sent_at is not None  # an open offer was sent
        yield offer.sent_at
        for activity in book.activities_of_offer.get(offer.id, ()):
            if activity.done_at is not None:
                yield activity.done_at
    window = timedelta(days=FOLLOW_UP_WINDOW_DAYS)
    for offer in book.offers:
        if offer.sent_at is not None and offer.sent_at + window >= now:
            yield offer.sent_at + window


def steady_until(books: Iterable[RepBook], now: datetime, tz: ZoneInfo) -> datetime:
    """The earliest moment (at or after ``now``, in UTC) at which the team view of ``books``
    can change with the same rows; ``now`` itself when it may change at once."""
    bound = local_midnight(now.astimezone(tz).date() + DAY, tz)
    for book in books:
        for instant in _instants(book):
            if instant is not None and now <= instant < bound:
                bound = instant
        for instant in _counted_from(book, now):
            bound = min(bound, next_anniversary(instant, now))
    return max(bound, now)
