"""What a rep chooses to share: their activities with their managers, an account with a
colleague (SYNC.md, "Visibility"). Whoever's view changes pulls everything again; the team
view (``GET /v1/coaching``) reads the choice at each request, so it shows at once."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, status
from pydantic import Field

from kpidesk.protocol.coaching import SharingChoice
from kpidesk.server.auth import CurrentPrincipal, ServerContextDep
from kpidesk.server.directory import normalise_username
from kpidesk.server.schemas import NoNul, error_responses
from kpidesk.server.sync.audience import managers_of, resync_devices_of
from kpidesk.server.tables import SERVER_RECORD_TABLES, AccountShare, User, table_of

log = logging.getLogger("kpidesk.server.sharing")
router = APIRouter(tags=["sharing"])


class ShareRequest(NoNul):
    username: str = Field(min_length=1, max_length=64)


@router.get("/me/sharing", response_model=SharingChoice, responses=error_responses(401))
def my_sharing(principal: CurrentPrincipal, context: ServerContextDep) -> SharingChoice:
    with context.db.session() as session:
        user = session.get(User, principal.user_id)
        return SharingChoice(activities=bool(user and user.shares_activities))


@router.put("/me/sharing", response_model=SharingChoice, responses=error_responses(400, 401))
def set_my_sharing(
    body: SharingChoice, principal: CurrentPrincipal, context: ServerContextDep
) -> SharingChoice:
    with context.db.session(write=True) as session:
        user = session.get(User, principal.user_id)
        assert user is not None  # the token check found them
        if user.shares_activities != body.activities:
            user.shares_activities = body.activities
            session.flush()
            resync_devices_of(session, managers_of(session, user.id))
    log.info("%s shares activities: %s", principal.username, body.activities)
    return body


def _own_account(session: sa.orm.Session, account_id: str, user_id: str) -> None:
    account = table_of(SERVER_RECORD_TABLES["account"])
    owner = session.execute(
        sa.select(account.c.owner_id).where(account.c.id == account_id)
    ).scalar()
    if owner != user_id:  # another's account or none: the same answer, nothing disclosed
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such account of yours")


@router.post(
    "/accounts/{account_id}/shares",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(400, 401, 404),
)
def share_account(
    account_id: str, body: ShareRequest, principal: CurrentPrincipal, context: ServerContextDep
) -> None:
    """Share one of my accounts with a colleague: they pull it, its contacts and offers."""
    with context.db.session(write=True) as session:
        _own_account(session, account_id, principal.user_id)
        users = table_of(User)
        target = session.execute(
            sa.select(users.c.id).where(users.c.username == normalise_username(body.username))
        ).scalar()
        if target is None:
            # Answered as a share with a real colleague: this endpoint must not tell which
            # usernames exist (the owner sees, in the colleague's absence, that nothing came).
            log.info("%s shared %s with an unknown username", principal.username, account_id)
            return
        if target == principal.user_id:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "the account is already yours")
        if session.get(AccountShare, (account_id, target)) is None:
            session.add(AccountShare(account_id=account_id, user_id=target))
            session.flush()
            resync_devices_of(session, {target})


@router.delete(
    "/accounts/{account_id}/shares/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 404),
)
def unshare_account(
    account_id: str, user_id: str, principal: CurrentPrincipal, context: ServerContextDep
) -> None:
    with context.db.session(write=True) as session:
        _own_account(session, account_id, principal.user_id)
        share = session.get(AccountShare, (account_id, user_id))
        if share is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "the account is not shared with them")
        session.delete(share)
        session.flush()
        resync_devices_of(session, {user_id})
