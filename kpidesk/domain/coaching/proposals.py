"""Objectives agreed, not imposed (KPIS.md, "Objectives"): the life of a proposal.

A manager proposes a target; the rep accepts it or answers with another; the manager accepts
the rep's target or answers again. Only an agreed proposal becomes the rep's objective.
Either side may end it instead: the manager withdraws it, the rep declines it.
"""

from __future__ import annotations

from enum import StrEnum


class ProposalState(StrEnum):
    WAITING_FOR_REP = "waiting_for_rep"
    WAITING_FOR_MANAGER = "waiting_for_manager"
    AGREED = "agreed"
    WITHDRAWN = "withdrawn"
    DECLINED = "declined"

    @property
    def is_open(self) -> bool:
        return self in (ProposalState.WAITING_FOR_REP, ProposalState.WAITING_FOR_MANAGER)


class ProposalAction(StrEnum):
    PROPOSE = "propose"  # the manager's first proposal
    ACCEPT = "accept"  # take the other side's target as it stands
    COUNTER = "counter"  # answer with another target
    WITHDRAW = "withdraw"  # the manager ends it
    DECLINE = "decline"  # the rep ends it


class ProposalError(ValueError):
    """An answer that does not fit the proposal's state or the person's side."""


def next_state(state: ProposalState, action: ProposalAction, by_manager: bool) -> ProposalState:
    """Where ``action`` by the manager (or the rep) takes a proposal now in ``state``."""
    if not state.is_open:
        raise ProposalError("this proposal is closed: nothing more can be answered")
    if action is ProposalAction.WITHDRAW:
        if not by_manager:
            raise ProposalError("only the manager who proposed it can withdraw it")
        return ProposalState.WITHDRAWN
    if action is ProposalAction.DECLINE:
        if by_manager:
            raise ProposalError("only the rep can decline a proposal")
        return ProposalState.DECLINED
    waiting_for_me = state is (
        ProposalState.WAITING_FOR_MANAGER if by_manager else ProposalState.WAITING_FOR_REP
    )
    if not waiting_for_me:
        raise ProposalError("this proposal is waiting for the other side's answer")
    if action is ProposalAction.ACCEPT:
        return ProposalState.AGREED
    if action is ProposalAction.COUNTER:
        return ProposalState.WAITING_FOR_REP if by_manager else ProposalState.WAITING_FOR_MANAGER
    raise ProposalError("a proposal is made once; answer it instead")
