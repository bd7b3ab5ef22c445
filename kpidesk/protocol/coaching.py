"""Wire schemas of the team view (KPIS.md, "Team view"; issue "The manager as a coach").

``GET /v1/coaching`` gives, for the signed-in user, the team pages of the teams they lead and
their own part as their managers see it, for each running period kind, plus the objective
proposals they take part in. The pages are the domain's own dataclasses (pydantic validates
them on the way in), so the manager's page and the rep's "What my manager sees" are one value.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, TypeAdapter

from kpidesk.domain.coaching import ProposalAction, ProposalState, RepQuality, TeamPage
from kpidesk.domain.vocabulary import PeriodKind

# The periods the team view shows: the running month, quarter and year.
COACHING_PERIOD_KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)


class SharingChoice(BaseModel):
    """What a rep shares beyond their pipeline's quality (which their managers always see)."""

    activities: bool = Field(
        description="my managers also see my activities and their counts (read-only)"
    )


class ProposalEvent(BaseModel):
    at: datetime
    author_id: str
    author_name: str
    action: ProposalAction
    target: float | None = Field(default=None, description="the target this step proposes")
    note: str = Field(default="", max_length=1000)


class Proposal(BaseModel):
    id: str
    team_id: str
    manager_id: str
    manager_name: str
    rep_id: str
    rep_name: str
    kpi_key: str
    period_kind: PeriodKind
    target: float = Field(
        description="the target on the table (the agreed one when agreed), in the "
        "indicator's own unit: cents for money, a fraction for a rate"
    )
    state: ProposalState
    history: list[ProposalEvent] = Field(description="oldest first, starting with the proposal")


class NewProposal(BaseModel):
    team_id: str = Field(min_length=1, max_length=36)
    rep_id: str = Field(min_length=1, max_length=36)
    kpi_key: str = Field(min_length=1, max_length=40)
    period_kind: PeriodKind
    target: float = Field(
        ge=0,
        le=2**53 - 1,
        description="in the indicator's own unit: a count, a fraction for a rate (0.4 is "
        "40 %), cents for money (2000000 is €20,000), days",
    )
    note: str = Field(default="", max_length=1000)


class ProposalAnswer(BaseModel):
    action: ProposalAction
    target: float | None = Field(
        default=None,
        ge=0,
        le=2**53 - 1,
        description="for a counter: in the indicator's own unit (cents for money, a fraction "
        "for a rate)",
    )
    note: str = Field(default="", max_length=1000)


class PeriodView(BaseModel):
    period_kind: PeriodKind
    teams: list[TeamPage] = Field(description="the teams this user leads, by name")
    mine: RepQuality | None = Field(
        description="this user's own part as their managers see it (None without a manager)"
    )


class CoachingReply(BaseModel):
    made_at: datetime
    time_zone: str
    views: list[PeriodView]
    proposals: list[Proposal] = Field(description="the proposals this user takes part in")


coaching_reply = TypeAdapter(CoachingReply)
