"""The Today view reads only the accounts its hot list can name; the list stays the same."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.services.demo import create_demo_database
from kpidesk.services.rows import OfferFilter
from kpidesk.services.today import hot_list, today_view
from kpidesk.services.workspace import open_workspace

END = datetime(2026, 5, 21, tzinfo=UTC)


def test_the_hot_list_from_its_candidates_equals_the_one_from_every_account(tmp_path):
    path = create_demo_database(tmp_path / "demo.sqlite", 3, 4, date(2026, 5, 20)).path
    ws = open_workspace(path)
    try:
        every_account = ws.accounts.list(mine=True)
        offers = ws.offers.list(OfferFilter(statuses=frozenset({OfferStatus.SENT}), mine=True))
        view = today_view(ws, END)
        candidates = ws.accounts.hot_list_candidates(frozenset(o.account_id for o in offers))
    finally:
        ws.close()
    assert view.hot == hot_list(every_account, offers)
    # Past the first 12 too: every offer and every hot prospect without one, in the same order.
    whole = hot_list(every_account, offers, size=100_000)
    assert hot_list(candidates, offers, size=100_000) == whole
    assert any(i.offer is None for i in whole) and any(i.offer for i in whole)
    assert len(candidates) < len(every_account)  # bounded: not the whole account book
    by_id = {a.id: a for a in every_account}
    assert all(by_id[c.id] == c for c in candidates)  # the same figures as the full list
