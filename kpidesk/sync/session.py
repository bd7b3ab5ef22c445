"""Signing this laptop in and out of a team server, and building the sync client.

The device token lives only in the OS keyring (``CredentialStore``); the database keeps the
server address, the user and the sync cursor, never a secret.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from kpidesk.domain.changes import EVERYTHING, Changes
from kpidesk.domain.ids import uuid7
from kpidesk.domain.timeutil import to_wire, utc_now
from kpidesk.protocol.auth import LoginResponse, MeResponse, Profile
from kpidesk.store import meta, outbox, replica
from kpidesk.store.database import Connection, Database
from kpidesk.store.profile import from_wire, write_profile
from kpidesk.sync.credentials import NO_KEYRING_MESSAGE, CredentialStore
from kpidesk.sync.errors import ProblemKind, SyncProblemError

# httpx (which pulls click, rich and pygments) and the sync client load on the first sign-in or
# sync, on a worker thread: the app builds a session at start-up but most starts never sync.
if TYPE_CHECKING:
    import httpx

    from kpidesk.sync.client import SyncClient, SyncReport
    from kpidesk.sync.transport import ServerConnection

HttpFactory = Callable[[str, str | None], "httpx.Client"]


@dataclass(frozen=True)
class SignInResult:
    username: str
    role: str
    token_kept: bool  # False: no keyring, the sign-in lasts until kpidesk closes
    moved_records: int
    notice: str | None  # something the rep should read (no keyring...)
    # Who "me" is changed: every view that counts "my" records reads again.
    changes: Changes = EVERYTHING


@dataclass(frozen=True)
class SyncStatus:
    server_url: str | None
    username: str | None
    signed_in: bool
    pending: int
    cursor: int
    last_sync_at: str | None
    is_demo: bool


def keyring_account(username: str, device_id: str) -> str:
    """The keyring entry of one database's sign-in: two kpidesk databases on one computer
    (two --db profiles) signed in as the same user each keep their own device token."""
    return f"{username} ({device_id})"


def check_server_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SyncProblemError(
            ProblemKind.REFUSED, f"{url!r} is not a server address (https://host[:port])"
        )
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def sends_in_clear(url: str) -> bool:
    """Whether signing in at ``url`` would send the password unencrypted over a network:
    plain ``http://`` to anything but this computer (localhost, 127.x.x.x, ::1)."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() != "http":
        return False
    host = (parts.hostname or "").lower()
    return not (host in LOOPBACK_HOSTS or host.endswith(".localhost") or host.startswith("127."))


def _make_http_client(base_url: str, ca_bundle: str | None) -> httpx.Client:
    from kpidesk.sync.transport import make_http_client

    return make_http_client(base_url, ca_bundle)


class SyncSession:
    def __init__(
        self,
        db: Database,
        credentials: CredentialStore,
        http_factory: HttpFactory | None = None,
    ) -> None:
        self._db = db
        self._credentials = credentials
        self._http_factory = http_factory or _make_http_client

    # -- status ----------------------------------------------------------------------------

    def status(self) -> SyncStatus:
        with self._db.read() as conn:
            url, user = meta.get(conn, meta.SERVER_URL), meta.get(conn, meta.USERNAME)
            return SyncStatus(
                server_url=url,
                username=user,
                signed_in=bool(url and user and meta.get(conn, meta.USER_ID)),
                pending=outbox.pending_count(conn),
                cursor=replica.cursor(conn),
                last_sync_at=meta.get(conn, meta.LAST_SYNC_AT),
                is_demo=meta.is_demo(conn),
            )

    # -- sign in and out -------------------------------------------------------------------

    def sign_in(
        self,
        server_url: str,
        username: str,
        password: str,
        ca_bundle: str | None = None,
        device_name: str | None = None,
    ) -> SignInResult:
        url = check_server_url(server_url)
        with self._db.read() as conn:
            if meta.is_demo(conn):
                raise SyncProblemError(ProblemKind.DEMO, "A demo database is never synced.")
            device_id = meta.get(conn, meta.DEVICE_ID)
            previous_user = meta.get(conn, meta.USERNAME)
            previous_id = meta.get(conn, meta.USER_ID)
            pending = outbox.pending_count(conn)
        switching = bool(previous_user) and previous_user != username.strip().casefold()
        if switching and pending:
            raise SyncProblemError(
                ProblemKind.REFUSED,
                f"This laptop holds {pending} change(s) of {previous_user} not sent yet. Sign "
                f"in as {previous_user} first to send them; nothing was changed.",
            )
        if device_id is None:
            with self._db.write() as conn:
                device_id, _ = meta.ensure_identity(conn)
        if switching:
            # The old device id stays registered to the previous user: a new one for this user.
            device_id = uuid7()
        payload = {
            "username": username,
            "password": password,
            "device_name": device_name or socket.gethostname() or "laptop",
            "device_id": device_id,
        }
        try:
            from kpidesk.sync.transport import ServerConnection

            with self._http_factory(url, ca_bundle) as http:
                reply = ServerConnection(http, None).post_json("/v1/auth/login", payload)
                profile = self._fetch_profile(http, reply)
        except SyncProblemError as problem:
            if problem.kind is ProblemKind.SIGNED_OUT:  # a 401 at sign-in: the credentials
                raise SyncProblemError(
                    ProblemKind.WRONG_PASSWORD,
                    "The team server refused the sign-in: wrong username or password, or the "
                    "account is disabled.",
                ) from None
            raise
        login = LoginResponse.model_validate(reply)
        if previous_id and previous_id != login.user.id and pending:
            self._best_effort_logout(url, ca_bundle, login.token)
            raise SyncProblemError(
                ProblemKind.REFUSED,
                f"This laptop holds {pending} change(s) of {previous_user} not sent yet. Sign "
                f"in as {previous_user} first to send them; nothing was changed.",
            )
        with self._db.write() as conn:
            if switching:
                meta.put(conn, meta.DEVICE_ID, login.device_id)
                meta.delete(conn, meta.HLC)
                outbox.restart_mutation_ids(conn)
            moved = self._take_over(conn, login, previous_id)
            if profile is not None:
                write_profile(conn, from_wire(profile), None)  # the next sync confirms it
            meta.put(conn, meta.SERVER_URL, url)
            meta.put(conn, meta.USERNAME, login.user.username)
            meta.put(conn, meta.USER_ROLE, login.user.role.value)
            if ca_bundle:
                meta.put(conn, meta.CA_BUNDLE, ca_bundle)
            else:
                meta.delete(conn, meta.CA_BUNDLE)
        kept = self._credentials.save(
            url, keyring_account(login.user.username, login.device_id), login.token
        )
        return SignInResult(
            login.user.username,
            login.user.role.value,
            kept,
            moved,
            None if kept else NO_KEYRING_MESSAGE,
        )

    @staticmethod
    def _fetch_profile(http: httpx.Client, login_reply: Any) -> Profile | None:
        """Who signed in, their teams and colleagues (``GET /v1/me``). Best effort: without
        it the first sync brings the profile, and until then "me" is already right (the
        login names the user)."""
        from kpidesk.sync.transport import ServerConnection

        try:
            token = LoginResponse.model_validate(login_reply).token
            return MeResponse.model_validate(ServerConnection(http, token).get_json("/v1/me"))
        except (SyncProblemError, ValidationError):
            return None

    def _take_over(self, conn: Connection, login: LoginResponse, previous_id: str | None) -> int:
        """Records of the local profile become the user's; another user's (all sent) go."""
        if previous_id and previous_id != login.user.id:
            replica.forget_all_records(conn)
        meta.put(conn, meta.USER_ID, login.user.id)
        owner = meta.get(conn, meta.OWNER_ID)
        if owner is None or owner == login.user.id:
            meta.put(conn, meta.OWNER_ID, login.user.id)
            return 0
        return replica.reown_local_records(conn, owner, login.user.id)

    def sign_out(self) -> str | None:
        """Revoke the token on the server and forget it here. Returns a notice when the
        server could not be told (offline): the token is forgotten here anyway."""
        with self._db.read() as conn:
            url, user = meta.get(conn, meta.SERVER_URL), meta.get(conn, meta.USERNAME)
            ca_bundle = meta.get(conn, meta.CA_BUNDLE)
            device_id = meta.get(conn, meta.DEVICE_ID) or ""
        if not url or not user:
            return None
        account = keyring_account(user, device_id)
        token = self._credentials.load(url, account)
        notice = None
        if token:
            notice = self._best_effort_logout(url, ca_bundle, token)
        self._credentials.delete(url, account)
        with self._db.write() as conn:
            meta.delete(conn, meta.SERVER_URL)
        return notice

    def _best_effort_logout(self, url: str, ca_bundle: str | None, token: str) -> str | None:
        from kpidesk.sync.transport import ServerConnection

        try:
            with self._http_factory(url, ca_bundle) as http:
                ServerConnection(http, token).post_json("/v1/auth/logout", {}, reply=False)
        except SyncProblemError as problem:
            if problem.kind is ProblemKind.SIGNED_OUT:
                return None  # already revoked
            return (
                "The team server could not be told (" + problem.message + "); this laptop "
                "forgot its sign-in anyway. An administrator can revoke the device."
            )
        return None

    # -- syncing ---------------------------------------------------------------------------

    def client(self) -> tuple[SyncClient, ServerConnection]:
        from kpidesk.sync.client import SyncClient

        connection = self.connection()
        return SyncClient(self._db, connection), connection

    def connection(self) -> ServerConnection:
        """A connection to the team server with this laptop's device token (close it)."""
        from kpidesk.sync.transport import ServerConnection

        with self._db.read() as conn:
            url, user = meta.get(conn, meta.SERVER_URL), meta.get(conn, meta.USERNAME)
            ca_bundle = meta.get(conn, meta.CA_BUNDLE)
            demo = meta.is_demo(conn)
            device_id = meta.get(conn, meta.DEVICE_ID) or ""
        if demo:
            raise SyncProblemError(ProblemKind.DEMO, "A demo database is never synced.")
        if not url or not user:
            raise SyncProblemError(ProblemKind.NOT_CONNECTED, "Sign in to your team server first.")
        token = self._credentials.load(url, keyring_account(user, device_id))
        if not token:
            raise SyncProblemError(
                ProblemKind.NOT_CONNECTED,
                f"Not signed in to {url} on this computer: sign in again as {user}.",
            )
        return ServerConnection(self._http_factory(url, ca_bundle), token)

    def sync(self, **kwargs: object) -> SyncReport:
        client, connection = self.client()
        try:
            report = client.sync(**kwargs)  # type: ignore[arg-type]
        finally:
            connection.close()
        self.mark_synced(utc_now())
        return report

    def mark_synced(self, when: datetime) -> None:
        with self._db.write() as conn:
            meta.put(conn, meta.LAST_SYNC_AT, to_wire(when))
