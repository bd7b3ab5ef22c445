"""FastAPI dependencies: the server's context, the caller behind a bearer token, role checks.

Use ``CurrentPrincipal`` in any endpoint that needs a signed-in device, ``AdminPrincipal``
where only an admin may act; ``ServerContextDep`` gives the database and password hasher.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Request, status
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from starlette.routing import BaseRoute, Route

from kpidesk.domain.hlc import wall_clock_ms
from kpidesk.protocol.auth import Role
from kpidesk.server.db import Database
from kpidesk.server.devices import Principal, authenticate, last_seen_is_stale, touch
from kpidesk.server.security import Passwords
from kpidesk.server.settings import ServerSettings


@dataclass(frozen=True)
class ServerContext:
    """What the endpoints share; made once by ``create_app`` (no module-level singletons)."""

    settings: ServerSettings
    db: Database
    passwords: Passwords
    # The server's wall clock in ms (sync refuses stamps too far ahead of it); tests move it.
    clock_ms: Callable[[], int] = wall_clock_ms


async def _context(request: Request) -> ServerContext:
    # async: no I/O here, so no trip through the thread pool.
    context: ServerContext = request.app.state.context
    return context


ServerContextDep = Annotated[ServerContext, Depends(_context)]

# auto_error=False: a missing header gets our own 401 with WWW-Authenticate, not a 403.
_bearer = HTTPBearer(auto_error=False, description="the device token returned by the login")

_UNAUTHENTICATED = {"WWW-Authenticate": "Bearer"}


# Where AuthenticateFirst leaves the caller it found, before the body was read.
PRINCIPAL_SCOPE_KEY = "kpidesk.principal"


def principal_for(db: Database, authorization: str | None) -> Principal:
    """The caller behind an Authorization header; HTTPException 401 when there is none."""
    scheme, token = get_authorization_scheme_param(authorization)
    if not token or scheme.lower() != "bearer":
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "sign in first: no bearer token", _UNAUTHENTICATED
        )
    principal = authenticate(db, token)
    if principal is None:
        # One answer for unknown, revoked and disabled: a token's state is not revealed.
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "this device token is not valid (revoked, or the account is disabled): sign in again",
            _UNAUTHENTICATED,
        )
    return principal


def _current_principal(
    request: Request,
    context: ServerContextDep,
    # Declared for the API document (its security scheme); the header is read just below.
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    background: BackgroundTasks,
) -> Principal:
    principal = request.scope.get(PRINCIPAL_SCOPE_KEY)
    if principal is None:  # an app without AuthenticateFirst in front
        principal = principal_for(context.db, request.headers.get("authorization"))
    if last_seen_is_stale(principal):
        # A write, done after the answer is sent: the caller does not wait for it.
        background.add_task(touch, context.db, principal.device_id)
    return principal


def token_routes(routers: Sequence[APIRouter], prefix: str) -> list[BaseRoute]:
    """Routes that match the requests to the endpoints that need a bearer token (for
    matching only: AuthenticateFirst checks the token before the app routes the request)."""
    return [
        Route(prefix + route.path, _matched_only, methods=route.methods)
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute) and needs_token(route)
    ]


def _matched_only(_request: Request) -> None:
    raise AssertionError("a route for matching only")


def needs_token(route: BaseRoute) -> bool:
    """Whether an endpoint takes the caller from a bearer token."""
    pending = [route.dependant] if isinstance(route, APIRoute) else []
    while pending:  # the dependency tree: require_role's check depends on it, for one
        dependant = pending.pop()
        if dependant.call is _current_principal:
            return True
        pending.extend(dependant.dependencies)
    return False


CurrentPrincipal = Annotated[Principal, Depends(_current_principal)]


def require_role(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency that lets only the given roles through (403 for the others)."""
    allowed = frozenset(roles)

    def _check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in allowed:
            names = " or ".join(sorted(role.value for role in allowed))
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"only an {names} may do this")
        return principal

    return _check


AdminPrincipal = Annotated[Principal, Depends(require_role(Role.ADMIN))]
ManagerPrincipal = Annotated[Principal, Depends(require_role(Role.MANAGER, Role.ADMIN))]
