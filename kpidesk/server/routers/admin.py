"""Administration: users, teams, devices. Only an admin may call these endpoints.

Managers coach from the synced pipeline, not from here: user administration is the admin's job.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, status
from sqlalchemy.orm import Session

from kpidesk.protocol.auth import UserInfo
from kpidesk.server import devices, directory
from kpidesk.server.auth import AdminPrincipal, ServerContextDep
from kpidesk.server.schemas import (
    DeviceOut,
    PasswordReset,
    RoleChange,
    TeamCreate,
    TeamOut,
    UserCreate,
    UserOut,
    UserRef,
    error_responses,
)
from kpidesk.server.tables import Device, Team, User

log = logging.getLogger("kpidesk.server.admin")

router = APIRouter(prefix="/admin", tags=["admin"])

_READ = error_responses(401, 403)
_ONE = error_responses(401, 403, 404)
_CHANGE = error_responses(400, 401, 403, 404, 409, 413)


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        role=user.role,
        disabled=user.disabled,
        created_at=user.created_at,
    )


def _info(user: User) -> UserInfo:
    return UserInfo(id=user.id, username=user.username, role=user.role)


def team_out(session: Session, team: Team) -> TeamOut:
    manager = directory.user_by_id(session, team.manager_id)
    return TeamOut(
        id=team.id,
        name=team.name,
        manager=_info(manager),
        members=[_info(member) for member in directory.members_of(session, team.id)],
        created_at=team.created_at,
    )


def device_out(device: Device) -> DeviceOut:
    return DeviceOut(
        id=device.id,
        user_id=device.user_id,
        name=device.name,
        created_at=device.created_at,
        last_seen_at=device.last_seen_at,
        revoked_at=device.revoked_at,
    )


# Users


@router.get("/users", response_model=list[UserOut], responses=_READ)
def list_users(_admin: AdminPrincipal, context: ServerContextDep) -> list[UserOut]:
    with context.db.session() as session:
        return [user_out(user) for user in directory.list_users(session)]


@router.post(
    "/users",
    response_model=UserOut,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 403, 409, 413),
)
def create_user(body: UserCreate, admin: AdminPrincipal, context: ServerContextDep) -> UserOut:
    with context.db.session(write=True) as session:
        user = directory.create_user(
            session, context.passwords, body.username, body.role, body.password
        )
        log.info("user %s (%s) created by %s", user.username, user.role.value, admin.username)
        return user_out(user)


@router.get("/users/{user_id}", response_model=UserOut, responses=_ONE)
def get_user(user_id: str, _admin: AdminPrincipal, context: ServerContextDep) -> UserOut:
    with context.db.session() as session:
        return user_out(directory.user_by_id(session, user_id))


def _set_disabled(user_id: str, disabled: bool, admin_name: str, context: ServerContextDep):
    with context.db.session(write=True) as session:
        user = directory.set_disabled(session, directory.user_by_id(session, user_id), disabled)
        log.info(
            "user %s %s by %s", user.username, "disabled" if disabled else "enabled", admin_name
        )
        return user_out(user)


@router.post("/users/{user_id}/disable", response_model=UserOut, responses=_CHANGE)
def disable_user(user_id: str, admin: AdminPrincipal, context: ServerContextDep) -> UserOut:
    """Disable a user: they cannot sign in, and every token they hold is revoked."""
    return _set_disabled(user_id, True, admin.username, context)


@router.post("/users/{user_id}/enable", response_model=UserOut, responses=_CHANGE)
def enable_user(user_id: str, admin: AdminPrincipal, context: ServerContextDep) -> UserOut:
    return _set_disabled(user_id, False, admin.username, context)


@router.put("/users/{user_id}/role", response_model=UserOut, responses=_CHANGE)
def set_role(
    user_id: str, body: RoleChange, admin: AdminPrincipal, context: ServerContextDep
) -> UserOut:
    with context.db.session(write=True) as session:
        user = directory.set_role(session, directory.user_by_id(session, user_id), body.role)
        log.info("user %s is now %s (by %s)", user.username, user.role.value, admin.username)
        return user_out(user)


@router.put("/users/{user_id}/password", status_code=status.HTTP_204_NO_CONTENT, responses=_CHANGE)
def reset_password(
    user_id: str, body: PasswordReset, admin: AdminPrincipal, context: ServerContextDep
) -> None:
    """Set a new password; every device of that user is signed out."""
    with context.db.session(write=True) as session:
        user = directory.reset_password(
            session, context.passwords, directory.user_by_id(session, user_id), body.password
        )
        log.info("password of %s reset by %s", user.username, admin.username)


@router.get("/users/{user_id}/devices", response_model=list[DeviceOut], responses=_ONE)
def user_devices(
    user_id: str, _admin: AdminPrincipal, context: ServerContextDep
) -> list[DeviceOut]:
    with context.db.session() as session:
        user = directory.user_by_id(session, user_id)
        return [device_out(device) for device in devices.devices_of(session, user.id)]


@router.post("/devices/{device_id}/revoke", status_code=status.HTTP_204_NO_CONTENT, responses=_ONE)
def revoke_device(device_id: str, admin: AdminPrincipal, context: ServerContextDep) -> None:
    with context.db.session(write=True) as session:
        devices.revoke(session, device_id)
    log.info("device %s revoked by %s", device_id, admin.username)


# Teams


@router.get("/teams", response_model=list[TeamOut], responses=_READ)
def list_teams(_admin: AdminPrincipal, context: ServerContextDep) -> list[TeamOut]:
    with context.db.session() as session:
        return [team_out(session, team) for team in directory.list_teams(session)]


@router.post(
    "/teams", response_model=TeamOut, status_code=status.HTTP_201_CREATED, responses=_CHANGE
)
def create_team(body: TeamCreate, admin: AdminPrincipal, context: ServerContextDep) -> TeamOut:
    with context.db.session(write=True) as session:
        manager = directory.user_by_id(session, body.manager_id)
        team = directory.create_team(session, body.name, manager)
        log.info("team %s created by %s", team.name, admin.username)
        return team_out(session, team)


@router.put("/teams/{team_id}/manager", response_model=TeamOut, responses=_CHANGE)
def set_team_manager(
    team_id: str, body: UserRef, _admin: AdminPrincipal, context: ServerContextDep
) -> TeamOut:
    with context.db.session(write=True) as session:
        team = directory.team_by_id(session, team_id)
        directory.set_team_manager(session, team, directory.user_by_id(session, body.user_id))
        return team_out(session, team)


@router.post("/teams/{team_id}/members", response_model=TeamOut, responses=_CHANGE)
def add_member(
    team_id: str, body: UserRef, _admin: AdminPrincipal, context: ServerContextDep
) -> TeamOut:
    with context.db.session(write=True) as session:
        team = directory.team_by_id(session, team_id)
        directory.assign_member(session, team, directory.user_by_id(session, body.user_id))
        return team_out(session, team)


@router.delete("/teams/{team_id}/members/{user_id}", response_model=TeamOut, responses=_CHANGE)
def remove_member(
    team_id: str, user_id: str, _admin: AdminPrincipal, context: ServerContextDep
) -> TeamOut:
    with context.db.session(write=True) as session:
        team = directory.team_by_id(session, team_id)
        directory.remove_member(session, team, directory.user_by_id(session, user_id))
        return team_out(session, team)
