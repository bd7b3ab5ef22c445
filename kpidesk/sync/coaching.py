"""The team view over the network: fetched after each sync, proposals and sharing sent at
once (issue "The manager as a coach"; the wire is ``kpidesk.protocol.coaching``).

A fetch that fails never fails the sync it follows: the team view is kept as it was and the
next sync tries again. Answers and sharing need the server (they change what someone else
sees), so they are refused offline with the sync's own words.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import closing
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError

from kpidesk.protocol.coaching import (
    CoachingReply,
    NewProposal,
    Proposal,
    ProposalAnswer,
    SharingChoice,
)
from kpidesk.store.coaching import coaching_etag, forget_coaching, retag_coaching, write_coaching
from kpidesk.store.database import Database
from kpidesk.store.profile import read_profile
from kpidesk.sync.errors import ProblemKind, SyncProblemError

if TYPE_CHECKING:  # the session loads httpx on the first sync, not at start-up
    from kpidesk.sync.session import SyncSession
    from kpidesk.sync.transport import ServerConnection

log = logging.getLogger("kpidesk.sync.coaching")

COACHING_PATH = "/v1/coaching"
PROPOSALS_PATH = "/v1/proposals"
SHARING_PATH = "/v1/me/sharing"


def refresh_coaching(db: Database, connection: ServerConnection, tz: ZoneInfo) -> bool:
    """Fetch the team view when this user is in a team or leads one; True when what is kept
    here changed. A user in no team keeps no team view (a rep removed from their team no
    longer sees their manager's view of them, and a former manager no longer sees the team)."""
    with db.read() as conn:
        profile = read_profile(conn)
        etag = coaching_etag(conn)
    if not (profile.teams or profile.teams_led):
        with db.write() as conn:
            had = coaching_etag(conn) is not None
            forget_coaching(conn)
        return had
    data, new_etag = connection.get_if_changed(COACHING_PATH, etag, {"tz": tz.key})
    if data is None:  # not modified
        if new_etag and new_etag != etag:
            with db.write() as conn:
                retag_coaching(conn, new_etag)
        return False
    reply = _parse(data)
    with db.write() as conn:
        write_coaching(conn, reply, new_etag)
    return True


def propose(connection: ServerConnection, proposal: NewProposal) -> Proposal:
    return _proposal(connection.post_json(PROPOSALS_PATH, proposal.model_dump(mode="json")))


def answer(connection: ServerConnection, proposal_id: str, reply: ProposalAnswer) -> Proposal:
    path = f"{PROPOSALS_PATH}/{proposal_id}/answers"
    return _proposal(connection.post_json(path, reply.model_dump(mode="json")))


def read_sharing(connection: ServerConnection) -> SharingChoice:
    return _model(SharingChoice, connection.get_json(SHARING_PATH))


def write_sharing(connection: ServerConnection, choice: SharingChoice) -> SharingChoice:
    return _model(SharingChoice, connection.put_json(SHARING_PATH, choice.model_dump()))


def _parse(data: object) -> CoachingReply:
    return _model(CoachingReply, data)


def _proposal(data: object) -> Proposal:
    return _model(Proposal, data)


Model = TypeVar("Model", bound=BaseModel)
Result = TypeVar("Result")


def _model(model: type[Model], data: object) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        log.warning("garbled %s reply: %d problem(s)", model.__name__, exc.error_count())
        raise SyncProblemError(
            ProblemKind.GARBLED,
            "The team server's reply could not be understood; nothing was changed here.",
        ) from None


class CoachingLink:
    """The team view's requests over this laptop's sign-in: each opens a connection with the
    device token (``SyncSession.connection``) and closes it. After a proposal, an answer or a
    change of sharing the team view is fetched again, so what is kept here is the server's."""

    def __init__(self, session: SyncSession, db: Database, tz: ZoneInfo) -> None:
        self._session = session
        self._db = db
        self._tz = tz

    def refresh(self, connection: ServerConnection | None = None) -> bool:
        if connection is not None:
            return refresh_coaching(self._db, connection, self._tz)
        with closing(self._session.connection()) as own:
            return refresh_coaching(self._db, own, self._tz)

    def propose(self, proposal: NewProposal) -> Proposal:
        return self._then_refresh(lambda c: propose(c, proposal))

    def answer(self, proposal_id: str, reply: ProposalAnswer) -> Proposal:
        return self._then_refresh(lambda c: answer(c, proposal_id, reply))

    def sharing(self) -> SharingChoice:
        with closing(self._session.connection()) as connection:
            return read_sharing(connection)

    def share(self, choice: SharingChoice) -> SharingChoice:
        return self._then_refresh(lambda c: write_sharing(c, choice))

    def _then_refresh(self, request: Callable[[ServerConnection], Result]) -> Result:
        with closing(self._session.connection()) as connection:
            result = request(connection)
            try:
                refresh_coaching(self._db, connection, self._tz)
            except SyncProblemError as problem:  # done on the server; the view follows later
                log.info("team view not refreshed: %s", problem.kind)
            return result
