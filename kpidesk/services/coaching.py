"""The team view as this laptop keeps it: the manager's team pages, the rep's "What my
manager sees", and the objective proposals between them (issue "The manager as a coach").

Everything here reads what the server last sent (``kpidesk.store.coaching``): the numbers
are the server's, computed from what each rep shares, so the rep's page and the manager's are
one value. The one write is turning an agreed proposal into the rep's own objective.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpidesk.domain.changes import NOTHING, Changes, Kind
from kpidesk.domain.coaching import ProposalState, RepQuality, TeamPage
from kpidesk.domain.vocabulary import PeriodKind
from kpidesk.protocol.coaching import CoachingReply, PeriodView, Proposal
from kpidesk.services.objectives import ObjectiveService
from kpidesk.store import meta
from kpidesk.store.coaching import applied_proposals, mark_applied, read_coaching
from kpidesk.store.database import Database

COACHING_CHANGED = Changes.of([Kind.COACHING])


@dataclass(frozen=True)
class Coaching:
    """What the server last sent, for one period kind."""

    reply: CoachingReply
    view: PeriodView

    @property
    def teams(self) -> list[TeamPage]:
        return self.view.teams

    @property
    def mine(self) -> RepQuality | None:
        return self.view.mine

    def team(self, team_id: str | None) -> TeamPage | None:
        """The team of that id, else the first (by name) this user leads."""
        for page in self.teams:
            if page.team_id == team_id:
                return page
        return self.teams[0] if self.teams else None


class CoachingService:
    def __init__(self, db: Database, objectives: ObjectiveService) -> None:
        self._db = db
        self._objectives = objectives

    def reply(self) -> CoachingReply | None:
        with self._db.read() as conn:
            return read_coaching(conn)

    def view(self, kind: PeriodKind = PeriodKind.MONTH) -> Coaching | None:
        reply = self.reply()
        if reply is None:
            return None
        for view in reply.views:
            if view.period_kind is kind:
                return Coaching(reply, view)
        return None

    def proposals(self) -> list[Proposal]:
        """The proposals I take part in, newest first (as the server sent them)."""
        reply = self.reply()
        return list(reply.proposals) if reply else []

    def waiting_for_me(self) -> list[Proposal]:
        with self._db.read() as conn:
            me = meta.my_id(conn)
        waiting_on = {ProposalState.WAITING_FOR_REP: "rep_id",
                      ProposalState.WAITING_FOR_MANAGER: "manager_id"}  # fmt: skip
        return [
            p for p in self.proposals()
            if p.state in waiting_on and getattr(p, waiting_on[p.state]) == me
        ]  # fmt: skip

    def apply_agreed(self) -> Changes:
        """Make each proposal agreed since the last time (by me, or by my manager accepting my
        target) my objective for its indicator and period kind. Once: an objective I delete
        afterwards stays deleted."""
        with self._db.read() as conn:
            me = meta.my_id(conn)
            done = applied_proposals(conn)
        agreed = [
            p for p in self.proposals()
            if p.state is ProposalState.AGREED and p.rep_id == me and p.id not in done
        ]  # fmt: skip
        changed = NOTHING
        # Oldest first: when two agreed proposals name one objective, the newest target wins.
        for proposal in reversed(agreed):
            written = self._objectives.set_target(
                proposal.kpi_key, proposal.period_kind, proposal.target
            )
            changed = changed | written.changes
        if agreed:
            with self._db.write() as conn:
                mark_applied(conn, {p.id for p in agreed})
        return changed
