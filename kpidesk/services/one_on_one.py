"""The 1:1 agenda's content, built without Qt from the team view (issue "The manager as a
coach"): the rep's pipeline quality, the offers worth discussing, the hot prospects with no
next step, the objectives and their pace, the proposals between the two, and the rep's own
follow-up evidence. Only what the rep shares: it is built from the very ``RepQuality`` the
team page shows, so the manager's PDF and the rep's are the same document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from kpidesk.domain.coaching import HotProspectLine, OpenOfferLine, RepQuality
from kpidesk.protocol.coaching import Proposal

MAX_OFFERS = 10


@dataclass(frozen=True)
class OneOnOneAgenda:
    rep: RepQuality
    made_at: datetime  # when the team server computed the numbers
    worth_discussing: tuple[OpenOfferLine, ...]
    hot_without_step: tuple[HotProspectLine, ...]
    proposals: tuple[Proposal, ...]


def build_agenda(
    rep: RepQuality, proposals: Sequence[Proposal], made_at: datetime
) -> OneOnOneAgenda:
    """The offers worth discussing: the stale ones first (oldest first), then the largest
    weighted amounts, up to ten; they are the ones a follow-up can still turn into orders."""
    stale = sorted((o for o in rep.open_offers if o.stale), key=lambda o: o.sent_at)
    others = sorted(
        (o for o in rep.open_offers if not o.stale), key=lambda o: (-o.weighted_cents, o.sent_at)
    )
    return OneOnOneAgenda(
        rep=rep,
        made_at=made_at,
        worth_discussing=tuple((stale + others)[:MAX_OFFERS]),
        hot_without_step=tuple(h for h in rep.hot_list if h.next_step_at is None),
        proposals=tuple(p for p in proposals if p.rep_id == rep.rep_id),
    )
