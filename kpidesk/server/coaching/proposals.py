"""Objectives agreed, not imposed: a manager proposes, the rep accepts or counters, and so on
(``kpidesk.domain.coaching.proposals`` decides each step; this module keeps them).

Only the two people of a proposal may see or answer it; to anyone else it does not exist (the
same 404 as an unknown id). Answering also needs the proposal's frame to hold still: the
manager still leads the team (as a manager or admin) and the rep is still one of its members.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from kpidesk.domain.checks import check_objective
from kpidesk.domain.coaching import ProposalAction, ProposalError, ProposalState, next_state
from kpidesk.domain.kpis.catalogue import KPI_KEYS
from kpidesk.domain.kpis.objectives import check_objective_period_kind
from kpidesk.domain.timeutil import utc_now
from kpidesk.protocol import coaching as wire
from kpidesk.protocol.auth import Role
from kpidesk.server.errors import ConflictError, InvalidError, NotFoundError
from kpidesk.server.tables import (
    ObjectiveProposal,
    ProposalEvent,
    Team,
    TeamMember,
    User,
    table_of,
)

LEADING_ROLES = (Role.MANAGER, Role.ADMIN)
_NOT_YOURS = "no such proposal of yours"


def create(session: Session, user_id: str, role: Role, body: wire.NewProposal) -> wire.Proposal:
    """A manager's proposal to a rep of a team they lead; 404 for a team they do not lead
    or a rep who is not in it (whether it exists is not told)."""
    team = session.get(Team, body.team_id)
    if team is None or team.manager_id != user_id or role not in LEADING_ROLES:
        raise NotFoundError("no such team of yours")
    if body.rep_id == user_id or session.get(TeamMember, (team.id, body.rep_id)) is None:
        raise NotFoundError(f"no such rep in {team.name!r}")
    values = {"kpi_key": body.kpi_key, "period_kind": body.period_kind, "target": body.target}
    problems = check_objective(values, KPI_KEYS) + check_objective_period_kind(values)
    if problems:
        raise InvalidError(" ".join(str(problem) for problem in problems))
    now = utc_now()
    proposal = ObjectiveProposal(
        team_id=team.id,
        manager_id=user_id,
        rep_id=body.rep_id,
        kpi_key=body.kpi_key,
        period_kind=body.period_kind,
        target=body.target,
        state=ProposalState.WAITING_FOR_REP,
        created_at=now,
        updated_at=now,
    )
    session.add(proposal)
    session.flush()
    session.add(
        ProposalEvent(
            proposal_id=proposal.id,
            at=now,
            author_id=user_id,
            action=ProposalAction.PROPOSE,
            target=body.target,
            note=body.note,
        )
    )
    session.flush()
    return read(session, [proposal])[0]


def answer(
    session: Session, user_id: str, proposal_id: str, body: wire.ProposalAnswer
) -> wire.Proposal:
    """One step by the proposal's rep or manager (``next_state`` decides whether it fits)."""
    proposal = session.scalars(
        sa.select(ObjectiveProposal).where(ObjectiveProposal.id == proposal_id).with_for_update()
    ).one_or_none()
    if proposal is None or user_id not in (proposal.manager_id, proposal.rep_id):
        raise NotFoundError(_NOT_YOURS)
    by_manager = user_id == proposal.manager_id
    _check_still_in_frame(session, proposal)
    try:
        state = next_state(proposal.state, body.action, by_manager)
    except ProposalError as exc:
        raise ConflictError(str(exc)) from None
    target = None
    if body.action is ProposalAction.COUNTER:
        if body.target is None:
            raise InvalidError("a counter-proposal needs a target")
        target = proposal.target = body.target
    elif body.action is ProposalAction.ACCEPT:
        target = proposal.target  # the agreed target, as it stood
    now = utc_now()
    proposal.state = state
    proposal.updated_at = now
    session.add(
        ProposalEvent(
            proposal_id=proposal.id,
            at=now,
            author_id=user_id,
            action=body.action,
            target=target,
            note=body.note,
        )
    )
    session.flush()
    return read(session, [proposal])[0]


def _check_still_in_frame(session: Session, proposal: ObjectiveProposal) -> None:
    team = session.get(Team, proposal.team_id)
    manager = session.get(User, proposal.manager_id)
    rep = session.get(User, proposal.rep_id)
    assert team is not None and manager is not None and rep is not None  # foreign keys
    if team.manager_id != manager.id or manager.role not in LEADING_ROLES:
        raise ConflictError(
            f"this proposal can no longer be answered: {manager.username!r} no longer leads"
            f" {team.name!r}"
        )
    if session.get(TeamMember, (team.id, rep.id)) is None:
        raise ConflictError(
            f"this proposal can no longer be answered: {rep.username!r} is no longer a member"
            f" of {team.name!r}"
        )


def visible_to(session: Session, user_id: str, role: Role) -> list[wire.Proposal]:
    """The proposals this user takes part in, newest first: all of a rep's own, and a
    manager's only while they lead the team and the rep is still in it (a rep who left, or
    a manager who lost the team, takes their view of the rep's answers with them)."""
    member = (
        sa.select(TeamMember.team_id)
        .where(
            TeamMember.team_id == ObjectiveProposal.team_id,
            TeamMember.user_id == ObjectiveProposal.rep_id,
        )
        .exists()
    )
    mine = ObjectiveProposal.rep_id == user_id
    if role in LEADING_ROLES:
        as_manager = sa.and_(
            ObjectiveProposal.manager_id == user_id, Team.manager_id == user_id, member
        )
        mine = sa.or_(mine, as_manager)
    rows = session.scalars(
        sa.select(ObjectiveProposal)
        .join(Team, Team.id == ObjectiveProposal.team_id)
        .where(mine)
        .order_by(ObjectiveProposal.created_at.desc(), ObjectiveProposal.id.desc())
    ).all()
    return read(session, rows)


def read(session: Session, proposals: Sequence[ObjectiveProposal]) -> list[wire.Proposal]:
    """The wire form of ``proposals`` with their history (oldest first) and people's names."""
    if not proposals:
        return []
    ids = [p.id for p in proposals]
    users = table_of(User)
    author = aliased(User)
    events: dict[str, list[wire.ProposalEvent]] = {i: [] for i in ids}
    for event, author_name in session.execute(
        sa.select(ProposalEvent, author.username)
        .join(author, author.id == ProposalEvent.author_id)
        .where(ProposalEvent.proposal_id.in_(ids))
        .order_by(ProposalEvent.at, ProposalEvent.id)
    ):
        events[event.proposal_id].append(
            wire.ProposalEvent(
                at=event.at,
                author_id=event.author_id,
                author_name=author_name,
                action=event.action,
                target=event.target,
                note=event.note,
            )
        )
    people = {p.manager_id for p in proposals} | {p.rep_id for p in proposals}
    query = sa.select(users.c.id, users.c.username).where(users.c.id.in_(sorted(people)))
    names: dict[str, str] = {row[0]: row[1] for row in session.execute(query)}
    return [
        wire.Proposal(
            id=p.id,
            team_id=p.team_id,
            manager_id=p.manager_id,
            manager_name=names[p.manager_id],
            rep_id=p.rep_id,
            rep_name=names[p.rep_id],
            kpi_key=p.kpi_key,
            period_kind=p.period_kind,
            target=p.target,
            state=p.state,
            history=events[p.id],
        )
        for p in proposals
    ]
