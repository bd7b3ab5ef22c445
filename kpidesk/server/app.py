"""The composition root: ``create_app(settings)`` builds the whole server.

uvicorn with several workers imports ``kpidesk.server.app:app_from_environment`` (a factory)
in each worker; the settings then come from the environment, which ``kpidesk-server serve``
fills from its options.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse

from kpidesk import __version__
from kpidesk.domain.cycles import keep_out_of_collection
from kpidesk.domain.hlc import wall_clock_ms
from kpidesk.server.auth import PRINCIPAL_SCOPE_KEY, ServerContext, principal_for, token_routes
from kpidesk.server.db import Database, check_schema, database_url, make_engine
from kpidesk.server.devices import LoginThrottledError
from kpidesk.server.errors import ServerOpError
from kpidesk.server.middleware import (
    AuthenticateFirst,
    BodySizeLimit,
    RequestBody,
    SecurityHeaders,
)
from kpidesk.server.routers import admin, auth, coaching, sharing, sync
from kpidesk.server.schemas import no_nul_in_path
from kpidesk.server.security import Passwords
from kpidesk.server.serving import watch_master
from kpidesk.server.settings import ServerSettings, settings_from_env
from kpidesk.server.sync.mutations import SyncRefusedError

log = logging.getLogger("kpidesk.server")

API_PREFIX = "/v1"
# Without a token only a login has a body: a few hundred bytes, sent or inflated.
PUBLIC_BODY_BYTES = 64 * 1024


def create_app(settings: ServerSettings, clock_ms: Callable[[], int] | None = None) -> FastAPI:
    """The server app on the configured database.

    Raises ``DatabaseError`` (with a message for the operator) when the database cannot be
    opened or its schema is not the one this code needs: the server never runs on an
    outdated schema.
    """
    engine = make_engine(database_url(settings), create=False)
    try:
        check_schema(engine)
    except Exception:
        engine.dispose()
        raise
    context = ServerContext(
        settings=settings,
        db=Database(engine),
        passwords=Passwords(settings.password_hashing),
        clock_ms=clock_ms or wall_clock_ms,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        context.db.close()

    app = FastAPI(
        title="kpidesk team server",
        version=__version__,
        description="Users, teams and devices of a kpidesk team; the laptops sync here.",
        openapi_url="/openapi.json",
        # No interactive docs: they would load scripts from a CDN, and operators use the CLI.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[Depends(no_nul_in_path)],
    )
    app.state.context = context
    routers = (auth.router, admin.router, sync.router, sharing.router, coaching.router)
    for router in routers:
        app.include_router(router, prefix=API_PREFIX)
    _add_error_handlers(app)
    # Innermost (added first): the body is read, bounded, once the token is checked; both
    # answer inside the CORS and security-header middleware.
    app.add_middleware(
        RequestBody,
        max_bytes=settings.max_body_bytes,
        public_bytes=PUBLIC_BODY_BYTES,
        max_inflated=settings.max_body_bytes * 8,  # a small upload cannot become a huge one
        scope_key=PRINCIPAL_SCOPE_KEY,
    )
    app.add_middleware(
        AuthenticateFirst,
        routes=token_routes(routers, API_PREFIX),
        check=partial(principal_for, context.db),
        scope_key=PRINCIPAL_SCOPE_KEY,
    )
    if settings.cors_origins:  # off unless the operator lists origins
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(SecurityHeaders)
    # Replies over 1 KB are gzipped for clients that accept it (an empty sync stays small).
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=5)  # 3x faster than 9
    # Added last, so it is the outermost: a too-large body is refused before anything runs.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SyncRefusedError)
    async def _sync_refused(_request: Request, exc: SyncRefusedError) -> JSONResponse:
        detail = {"code": exc.code, "message": str(exc), "expected_mid": exc.expected_mid}
        return JSONResponse({"detail": detail}, exc.status_code)

    @app.exception_handler(ServerOpError)
    async def _refused(_request: Request, exc: ServerOpError) -> JSONResponse:
        headers = {}
        if isinstance(exc, LoginThrottledError):
            headers["Retry-After"] = str(exc.retry_after)
        return JSONResponse({"detail": str(exc)}, exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # What is wrong and where, never the input: echoed, a large upload came back whole,
        # and a NaN in it made the answer itself fail to serialise (a 500).
        # And only the first few: a thousand bad mutations are not a thousand-line answer.
        found = exc.errors()
        errors = [{"type": e["type"], "loc": list(e["loc"]), "msg": e["msg"]} for e in found[:20]]
        if len(found) > len(errors):
            more = {"type": "too_many_errors", "loc": ["body"], "msg": f"{len(found) - 20} more"}
            errors.append(more)
        return JSONResponse({"detail": errors}, 422)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        # The traceback goes to the log (it holds no request headers or bodies); the client
        # gets no internals.
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return JSONResponse({"detail": "internal server error"}, 500)


def app_from_environment() -> FastAPI:
    """The uvicorn factory: settings from the environment (KPIDESK_DATABASE_URL...). In a
    worker of ``serve --workers N`` it also watches the master, to stop with it.

    What the app holds once built (routes, schemas, tables: a few hundred thousand objects)
    lives as long as the process, so the cycle collector stops visiting it: each of its full
    passes went over all of it again, and serving a first sync's pages of 10,000 rows sets off
    one pass after another."""
    watch_master()
    app = create_app(settings_from_env())
    gc.collect()  # what building it left as garbage goes now, not kept with the rest
    keep_out_of_collection()
    return app
