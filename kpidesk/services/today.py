"""The Today view's content, shared by the page and `kpidesk today`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from kpidesk.domain.pipeline import win_probability
from kpidesk.domain.suggestions import Suggestion
from kpidesk.domain.vocabulary import AccountStatus, OfferStatus, Temperature
from kpidesk.services.rows import AccountRow, ActivityFilter, ActivityRow, OfferFilter, OfferRow
from kpidesk.services.workspace import Workspace

HOT_LIST_SIZE = 12


@dataclass(frozen=True)
class HotItem:
    """An open offer (ranked by weighted value), or a hot prospect with no offer yet."""

    account_id: str
    account_name: str
    temperature: Temperature
    offer: OfferRow | None
    weighted_cents: int


def hot_list(
    accounts: Iterable[AccountRow], open_offers: Iterable[OfferRow], size: int = HOT_LIST_SIZE
) -> list[HotItem]:
    by_id = {a.id: a for a in accounts}
    items = []
    for offer in open_offers:
        account = by_id.get(offer.account_id)
        if account is None or offer.status is not OfferStatus.SENT:
            continue
        weighted = round(offer.amount_cents * win_probability(offer.probability, offer.temperature))
        items.append(HotItem(account.id, account.name, account.temperature, offer, weighted))
    items.sort(key=lambda i: (-i.weighted_cents, i.account_name))
    with_offers = {i.account_id for i in items}
    items.extend(
        HotItem(a.id, a.name, a.temperature, None, 0)
        for a in sorted(by_id.values(), key=lambda a: a.name)
        if a.status is AccountStatus.PROSPECT
        and a.temperature is Temperature.HOT
        and a.id not in with_offers
    )
    return items[:size]


@dataclass(frozen=True)
class TodayView:
    due: list[ActivityRow]  # planned, due before the end of today (overdue included)
    upcoming: list[ActivityRow]  # planned in the next days
    suggestions: list[Suggestion]
    hot: list[HotItem]


def today_view(ws: Workspace, today_end: datetime, upcoming_days: int = 7) -> TodayView:
    """Everything the Today page shows, of the rep's own records only (a colleague's planned
    call is not on my day); ``today_end`` is the next local midnight, in UTC."""
    due = ws.activities.list(ActivityFilter(planned=True, end=today_end, mine=True))
    upcoming_end = today_end + timedelta(days=upcoming_days)
    upcoming = ws.activities.list(
        ActivityFilter(planned=True, start=today_end, end=upcoming_end, mine=True)
    )
    offers = ws.offers.list(OfferFilter(statuses=frozenset({OfferStatus.SENT}), mine=True))
    due.reverse()  # listed newest first: the day reads oldest first
    upcoming.reverse()
    candidates = ws.accounts.hot_list_candidates(frozenset(o.account_id for o in offers))
    hot = hot_list(candidates, offers)
    return TodayView(due, upcoming, ws.suggestions.today(), hot)
