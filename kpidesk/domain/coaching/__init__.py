"""The manager as a coach (KPIS.md, "Team view"): what a rep's manager sees of the rep's
pipeline, computed from what the rep shares, and objectives agreed between the two.

The server computes a :class:`RepQuality` per rep from a :class:`RepBook` of that rep's rows;
the manager's team page and the rep's "What my manager sees" both show that one value.
"""

from kpidesk.domain.coaching.book import (
    BookAccount,
    BookActivity,
    BookObjective,
    BookOffer,
    RepBook,
)
from kpidesk.domain.coaching.proposals import (
    ProposalAction,
    ProposalError,
    ProposalState,
    next_state,
)
from kpidesk.domain.coaching.quality import (
    ActivityCounts,
    HotProspectLine,
    ObjectiveLine,
    OpenOfferLine,
    PeriodSpan,
    RateFigure,
    RepQuality,
    TeamPage,
    TemperatureConversion,
    rep_quality,
)

__all__ = [
    "ActivityCounts",
    "BookAccount",
    "BookActivity",
    "BookObjective",
    "BookOffer",
    "HotProspectLine",
    "ObjectiveLine",
    "OpenOfferLine",
    "PeriodSpan",
    "ProposalAction",
    "ProposalError",
    "ProposalState",
    "RateFigure",
    "RepBook",
    "RepQuality",
    "TeamPage",
    "TemperatureConversion",
    "next_state",
    "rep_quality",
]
