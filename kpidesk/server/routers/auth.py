"""Sign in and out, who am I, my devices, my password; and the unauthenticated health check."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Request, Response, status

from kpidesk.protocol.auth import DeviceInfo, LoginResponse, MeResponse, UserInfo
from kpidesk.server import devices
from kpidesk.server.auth import CurrentPrincipal, ServerContextDep
from kpidesk.server.devices import InvalidCredentialsError
from kpidesk.server.profile import profile_of
from kpidesk.server.schemas import Health, LoginRequest, PasswordChange, error_responses
from kpidesk.server.tables import Device

log = logging.getLogger("kpidesk.server.auth")

router = APIRouter(tags=["auth"])


def client_address(request: Request) -> str:
    # Behind a proxy, uvicorn puts the forwarded address here when it trusts the proxy
    # (--forwarded-allow-ips); a client cannot choose it by sending a header.
    return request.client.host if request.client else "unknown"


@router.get("/health", response_model=Health, responses={503: {"description": "no database"}})
def health(context: ServerContextDep) -> Health:
    try:
        with context.db.session() as session:
            session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        log.exception("health check: the database does not answer")
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "database unavailable") from None
    return Health(status="ok")


@router.post(
    "/auth/login",
    response_model=LoginResponse,
    responses=error_responses(400, 401, 403, 409, 413, 429),
)
def login(
    body: LoginRequest, request: Request, response: Response, context: ServerContextDep
) -> LoginResponse:
    address = client_address(request)
    try:
        result = devices.login(context.db, context.passwords, context.settings, body, address)
    except InvalidCredentialsError:
        # The username is logged to spot attacks; the password never is.
        log.warning("failed login for %r from %s", body.username[:64], address)
        raise
    log.info("login: %s on device %s from %s", result.user.username, result.device.id, address)
    response.headers["Cache-Control"] = "no-store"  # the token must not sit in any cache
    return LoginResponse(
        token=result.token,
        device_id=result.device.id,
        user=UserInfo(id=result.user.id, username=result.user.username, role=result.user.role),
    )


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(401))
def logout(principal: CurrentPrincipal, context: ServerContextDep) -> None:
    with context.db.session(write=True) as session:
        devices.revoke(session, principal.device_id)
    log.info("logout: %s on device %s", principal.username, principal.device_id)


def device_info(device: Device) -> DeviceInfo:
    return DeviceInfo(
        id=device.id,
        name=device.name,
        created_at=device.created_at,
        last_seen_at=device.last_seen_at,
        revoked_at=device.revoked_at,
    )


@router.get("/me", response_model=MeResponse, responses=error_responses(401))
def me(principal: CurrentPrincipal, context: ServerContextDep) -> MeResponse:
    with context.db.session() as session:
        profile = profile_of(session, principal.user_id, principal.username, principal.role)
    return MeResponse(
        **profile.model_dump(),
        device=DeviceInfo(
            id=principal.device_id,
            name=principal.device_name,
            created_at=principal.device_created_at,
            last_seen_at=principal.device_last_seen_at,
            revoked_at=None,  # it signed this request
        ),
    )


@router.get("/me/devices", response_model=list[DeviceInfo], responses=error_responses(401))
def my_devices(principal: CurrentPrincipal, context: ServerContextDep) -> list[DeviceInfo]:
    with context.db.session() as session:
        return [device_info(d) for d in devices.devices_of(session, principal.user_id)]


@router.post(
    "/me/devices/{device_id}/revoke",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 404),
)
def revoke_my_device(
    device_id: str, principal: CurrentPrincipal, context: ServerContextDep
) -> None:
    """Sign out one of my own devices (a lost laptop)."""
    with context.db.session(write=True) as session:
        devices.revoke(session, device_id, owner_id=principal.user_id)
    log.info("device %s revoked by its owner %s", device_id, principal.username)


@router.put(
    "/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(400, 401, 403, 413, 429),
)
def change_my_password(
    body: PasswordChange, request: Request, principal: CurrentPrincipal, context: ServerContextDep
) -> None:
    """Change my password: every other device is signed out, this one stays signed in."""
    devices.change_password(
        context.db, context.passwords, context.settings, principal, body, client_address(request)
    )
    log.info("password changed by %s", principal.username)
