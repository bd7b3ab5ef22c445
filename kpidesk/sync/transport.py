"""HTTP to the team server: gzip bodies, bearer token, clear errors. No database here."""

from __future__ import annotations

import gzip
import json
import ssl
from collections.abc import Generator
from typing import Any

import httpx
from pydantic import ValidationError

from kpidesk.protocol.schemas import SYNC_PATH, SyncError, SyncRequest, SyncResponse
from kpidesk.sync.errors import ProblemKind, SyncProblemError

TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def make_http_client(base_url: str, ca_bundle: str | None = None) -> httpx.Client:
    """An HTTP client for ``base_url``; ``ca_bundle`` trusts a company's own certificate."""
    verify: Any = True
    if ca_bundle:
        try:
            verify = ssl.create_default_context(cafile=ca_bundle)
        except (OSError, ssl.SSLError) as exc:
            raise SyncProblemError(
                ProblemKind.TLS, f"The certificate file {ca_bundle} cannot be used: {exc}"
            ) from None
    return httpx.Client(base_url=base_url, timeout=TIMEOUT, verify=verify)


class _DeviceToken(httpx.Auth):
    """The device token as an ``Authorization`` header. An auth object rather than a header
    passed along, so the token never shows in a repr, a log line or a test traceback."""

    def __init__(self, token: str) -> None:
        self.__token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.__token}"
        yield request

    def __repr__(self) -> str:
        return "<device token>"


class ServerConnection:
    """Requests to one team server with one device token."""

    def __init__(self, client: httpx.Client, token: str | None) -> None:
        self._client = client
        self._auth = _DeviceToken(token) if token else None
        self.requests = 0  # how many HTTP requests were made (benchmarks and tests count them)
        self.bytes_sent = 0
        self.bytes_received = 0

    def close(self) -> None:
        self._client.close()

    def post_json(
        self, path: str, payload: dict[str, Any], *, gzip_body: bool = False, reply: bool = True
    ) -> Any:
        body = json.dumps(payload, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json"}
        if gzip_body:
            body = gzip.compress(body, compresslevel=5)
            headers["Content-Encoding"] = "gzip"
        return self._send("POST", path, reply=reply, content=body, headers=headers)

    def get_json(self, path: str, params: dict[str, str] | None = None) -> Any:
        return self._send("GET", path, params=params)

    def put_json(self, path: str, payload: dict[str, Any]) -> Any:
        return self._send("PUT", path, json=payload)

    def get_if_changed(
        self, path: str, etag: str | None, params: dict[str, str] | None = None
    ) -> tuple[Any, str | None]:
        """``GET path`` unless the server still has the version tagged ``etag`` (HTTP 304):
        then (None, the tag the 304 carries, which may be a new one for the same reply).
        Else the decoded reply and its new tag."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._exchange("GET", path, params=params, headers=headers)
        if response.status_code == 304:
            return None, response.headers.get("ETag")
        return self._decode(response), response.headers.get("ETag")

    def sync(self, request: SyncRequest) -> SyncResponse:
        return self.read_sync(self.fetch_sync(request))

    def fetch_sync(self, request: SyncRequest) -> httpx.Response:
        """Send one sync request and read the whole reply (network work only: it can run on
        a background thread without competing with the database work for the GIL)."""
        body = gzip.compress(request.model_dump_json().encode(), compresslevel=5)
        headers = {
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
        }
        return self._exchange("POST", SYNC_PATH, content=body, headers=headers)

    def read_sync(self, response: httpx.Response) -> SyncResponse:
        if response.status_code >= 300 or not response.content:
            self._decode(response)  # raises the problem in plain words
        try:
            # Parsed and checked in one pass by pydantic's own JSON reader: a first sync
            # brings megabytes, and json.loads followed by a model check took twice as long.
            return SyncResponse.model_validate_json(response.content)
        except ValidationError as exc:
            raise SyncProblemError(
                ProblemKind.GARBLED,
                "The team server's reply could not be understood; nothing was changed here. "
                f"({exc.error_count()} problem(s), first: {exc.errors()[0]['loc']})",
            ) from None

    def _send(self, method: str, path: str, *, reply: bool = True, **kwargs: Any) -> Any:
        return self._decode(self._exchange(method, path, **kwargs), reply)

    def _exchange(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            try:
                response = self._client.request(method, path, auth=self._auth, **kwargs)
            except httpx.RemoteProtocolError:
                # A kept-alive connection the server had just closed: send once more on a new
                # one. Safe: sync requests are idempotent (mutation ids), the others harmless.
                response = self._client.request(method, path, auth=self._auth, **kwargs)
        except httpx.ConnectError as exc:
            if "CERTIFICATE" in str(exc).upper():
                raise SyncProblemError(
                    ProblemKind.TLS,
                    # English for logs: the words (what to do, in the app's or the terminal's
                    # terms) are kpidesk.presentation.sync's.
                    "The team server's certificate is not trusted (verification failed).",
                ) from None
            raise SyncProblemError(
                ProblemKind.OFFLINE, "The team server cannot be reached (offline?)."
            ) from None
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError):
            raise SyncProblemError(
                ProblemKind.OFFLINE, "The connection to the team server was lost."
            ) from None
        except httpx.HTTPError as exc:
            raise SyncProblemError(ProblemKind.SERVER, f"The request failed: {exc}") from None
        self.requests += 1
        self.bytes_sent += len(kwargs.get("content") or b"")
        self.bytes_received += int(response.headers.get("content-length") or len(response.content))
        return response

    @staticmethod
    def _decode(response: httpx.Response, reply: bool = True) -> Any:
        status = response.status_code
        try:
            data = response.json() if response.content else None
        except ValueError:
            data = None
        if status < 300:
            if data is None and reply:
                raise SyncProblemError(
                    ProblemKind.GARBLED, "The team server sent an empty or unreadable reply."
                )
            return data
        detail = data.get("detail") if isinstance(data, dict) else None
        if status == 401:
            raise SyncProblemError(
                ProblemKind.SIGNED_OUT,
                "The team server no longer accepts this laptop's sign-in. Sign in again in "
                "Settings; your changes are kept here meanwhile.",
            )
        if status == 409 and isinstance(detail, dict):
            try:
                error = SyncError.model_validate(detail)
            except ValidationError:
                error = None
            if error is not None and error.code == "clock_skew":
                raise SyncProblemError(ProblemKind.CLOCK, error.message)
            if error is not None:
                raise SyncProblemError(ProblemKind.SERVER, error.message)
        text = detail if isinstance(detail, str) else f"HTTP {status}"
        if status >= 500:
            raise SyncProblemError(
                ProblemKind.SERVER,
                f"The team server had a problem ({text}). Your changes are safe here and will "
                "be sent later.",
            )
        if status == 429:
            raise SyncProblemError(ProblemKind.REFUSED, f"Too many attempts: {text}")
        raise SyncProblemError(ProblemKind.REFUSED, f"The team server refused: {text}")
