"""ASGI middleware: the request body's bounds, the token check before the body is read, and
the headers every answer carries."""

from __future__ import annotations

import itertools
import json
import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send


async def _send_error(
    send: Send, status: int, detail: str, extra: Mapping[str, str] | None = None
) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        *((name.lower().encode(), value.encode()) for name, value in (extra or {}).items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _BodyTooLargeError(HTTPException):
    """Raised from ``receive``. An HTTPException, because FastAPI turns any other error met
    while reading the body into a 400; this one it lets through to be answered as a 413."""


class BodySizeLimit:
    """Refuse a request body larger than ``max_bytes`` with 413, before reading it whole.

    A declared Content-Length is checked up front; a chunked body is counted as it arrives.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = f"the request body is larger than {self.max_bytes} bytes"
        for name, value in scope["headers"]:
            if name == b"content-length":
                if not value.isdigit():
                    await _send_error(send, 400, "the Content-Length header is not a number")
                    return
                if int(value) > self.max_bytes:
                    await _send_error(send, 413, too_large)
                    return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLargeError(413, too_large)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except _BodyTooLargeError:
            if started:  # too late to answer 413: the connection is simply dropped
                raise
            await _send_error(send, 413, too_large)


class SecurityHeaders:
    """No caching of API answers (they can hold tokens and private data), no MIME sniffing."""

    _headers: tuple[tuple[bytes, bytes], ...] = (
        (b"cache-control", b"no-store"),
        (b"x-content-type-options", b"nosniff"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra: list[Any] = [h for h in self._headers if h[0] not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


class AuthenticateFirst:
    """Check the bearer token of a request to an endpoint that needs one before anything
    reads its body: a stranger's upload, however it inflates, costs a token lookup and a 401.

    ``check`` turns the Authorization header into the caller or raises the 401; the caller is
    left in the scope, where the endpoint's dependency finds it (one lookup, not two).
    """

    def __init__(
        self,
        app: ASGIApp,
        routes: Sequence[BaseRoute],
        check: Callable[[str | None], Any],
        scope_key: str,
    ) -> None:
        self.app = app
        self.routes = routes
        self.check = check
        self.scope_key = scope_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and any(
            route.matches(scope)[0] is Match.FULL for route in self.routes
        ):
            header = Headers(scope=scope).get("authorization")
            try:
                scope[self.scope_key] = await run_in_threadpool(self.check, header)
            except HTTPException as exc:
                await _send_error(send, exc.status_code, exc.detail, exc.headers)
                return
        await self.app(scope, receive, send)


class RequestBody:
    """Read the request body whole, within bounds, before the app parses it.

    Bounds: ``max_bytes`` sent and inflated for a signed-in caller (AuthenticateFirst left
    them in the scope), ``public_bytes`` for anyone else (a login is a few hundred bytes); a
    ``Content-Encoding: gzip`` body is inflated only up to its bound. A JSON body may then
    hold at most ``MAX_JSON_VALUES`` values nested at most ``MAX_JSON_DEPTH`` deep: parsed,
    32 MiB of ``[0,0,...]`` took 5 s and 740 MB. Refusals are 413 (too much) or 400.
    """

    def __init__(
        self, app: ASGIApp, max_bytes: int, public_bytes: int, max_inflated: int, scope_key: str
    ) -> None:
        self.app = app
        self.max_bytes, self.public_bytes, self.max_inflated = max_bytes, public_bytes, max_inflated
        self.scope_key = scope_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        signed_in = scope.get(self.scope_key) is not None
        limit = self.max_bytes if signed_in else self.public_bytes
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > limit:
                await _send_error(send, 413, f"the request body is larger than {limit} bytes")
                return
            more = message.get("more_body", False)
        body = b"".join(chunks)
        headers = list(scope["headers"])
        if Headers(scope=scope).get("content-encoding", "").lower() == "gzip":
            inflated_limit = self.max_inflated if signed_in else self.public_bytes
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                body = inflater.decompress(body, inflated_limit + 1)
            except zlib.error:
                await _send_error(send, 400, "the request body is not valid gzip")
                return
            if len(body) > inflated_limit or inflater.unconsumed_tail:
                await _send_error(
                    send, 413, f"the request body inflates past {inflated_limit} bytes"
                )
                return
            headers = [
                (k, v) for k, v in headers if k not in (b"content-encoding", b"content-length")
            ]
            headers.append((b"content-length", str(len(body)).encode()))
        problem = json_shape_problem(body)
        if problem is not None:
            await _send_error(send, *problem)
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app({**scope, "headers": headers}, replay, send)


# A sync of 1000 mutations of the widest record holds about 60,000 values, 5 deep.
MAX_JSON_VALUES = 200_000
MAX_JSON_DEPTH = 16
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def _shape(text: bytes) -> tuple[int, int]:
    """(values, depth) of JSON text, counting its strings' commas and brackets too."""
    values = text.count(b",") + text.count(b"[") + text.count(b"{")
    if values > MAX_JSON_VALUES:
        return values, 0
    brackets = text.translate(None, _NOT_BRACKETS)
    return values, max(itertools.accumulate(map(_STEP.__getitem__, brackets)), default=0)


def json_shape_problem(body: bytes) -> tuple[int, str] | None:
    """(status, message) when ``body`` holds too many JSON values or nests too deep.

    Counted on the bytes, not parsed: first as they are (fast: byte counts in C), and only
    when that finds too much, again with the strings' contents left out (text full of commas
    or brackets is not structure)."""
    values, depth = _shape(body)
    if values > MAX_JSON_VALUES or depth > MAX_JSON_DEPTH:
        values, depth = _shape(_STRING.sub(b'""', body))
    if values > MAX_JSON_VALUES:
        return 413, f"the request body holds more than {MAX_JSON_VALUES} JSON values"
    if depth > MAX_JSON_DEPTH:
        return 400, f"the request body is nested deeper than {MAX_JSON_DEPTH} levels"
    return None
