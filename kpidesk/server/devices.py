"""Devices and their tokens: login, authentication of a bearer token, listing, revocation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kpidesk.domain.timeutil import utc_now
from kpidesk.protocol.auth import LoginRequest, PasswordChange, Role
from kpidesk.server import throttle
from kpidesk.server.db import Database
from kpidesk.server.directory import check_password, normalise_username, user_by_id, user_by_name
from kpidesk.server.errors import ConflictError, NotFoundError, ServerOpError
from kpidesk.server.security import Passwords, new_token, same_digest, token_digest
from kpidesk.server.settings import ServerSettings
from kpidesk.server.tables import Device, User, table_of

# last_seen_at is a hint for the device list: updating it on every request would turn every
# read into a write, so it is refreshed at most this often.
LAST_SEEN_PRECISION = timedelta(minutes=1)

_device = table_of(Device)
_user = table_of(User)


class InvalidCredentialsError(ServerOpError):
    status_code = 401


class AccountDisabledError(ServerOpError):
    status_code = 403


class WrongPasswordError(ServerOpError):
    status_code = 403


class LoginThrottledError(ServerOpError):
    status_code = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins: try again in {retry_after} seconds")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user behind a valid device token, and that device."""

    user_id: str
    username: str
    role: Role
    device_id: str
    # The device as read while checking the token: /v1/me needs no second query for it.
    device_name: str
    device_created_at: datetime
    device_last_seen_at: datetime | None


@dataclass(frozen=True)
class LoginResult:
    token: str
    device: Device
    user: User


def login(
    db: Database,
    passwords: Passwords,
    settings: ServerSettings,
    request: LoginRequest,
    client_address: str,
) -> LoginResult:
    """Check the password and give the device a new token.

    No transaction is open while argon2 runs (tens of milliseconds): on SQLite that would hold
    the write lock, on PostgreSQL a connection.
    """
    username = normalise_username(request.username)
    with db.session(write=True) as session:  # counted before the check (see throttle)
        wait = throttle.admit(session, settings, username, client_address, utc_now())
        user = session.scalars(sa.select(User).where(User.username == username)).one_or_none()
    if wait is not None:
        raise LoginThrottledError(wait)
    if not passwords.verify(user.password_hash if user else None, request.password):
        raise InvalidCredentialsError("wrong username or password")  # it stays counted
    assert user is not None
    # A hash made at an older cost is upgraded now that the password is known (before the
    # write transaction: argon2 must not run while it is open).
    upgraded = (
        passwords.hash(request.password) if passwords.needs_rehash(user.password_hash) else None
    )
    token = new_token()
    try:
        with db.session(write=True) as session:
            user = session.get(User, user.id)
            if user is None or user.disabled:  # disabled while argon2 ran, or before
                raise AccountDisabledError("this account is disabled: ask your administrator")
            if upgraded:
                user.password_hash = upgraded
            device_id = str(request.device_id) if request.device_id else None
            device = _register(session, user, request.device_name.strip() or "device", device_id)
            device.token_sha256 = token_digest(token)
            throttle.forget(session, username, client_address)
            session.flush()
    except IntegrityError:  # the same new device id registered by two logins at once
        raise ConflictError("this device signed in twice at the same time: try again") from None
    return LoginResult(token=token, device=device, user=user)


def _register(session: Session, user: User, name: str, device_id: str | None) -> Device:
    now = utc_now()
    device = session.get(Device, device_id) if device_id else None
    if device is None:
        device = Device(user_id=user.id, name=name, token_sha256="", last_seen_at=now)
        if device_id:
            device.id = device_id
        session.add(device)
        return device
    if device.user_id != user.id:
        raise ConflictError("this device is registered to another user")
    # The same laptop logging in again: a new token replaces the old one.
    device.name = name
    device.revoked_at = None
    device.last_seen_at = now
    return device


def authenticate(db: Database, token: str) -> Principal | None:
    """The caller behind a bearer token, or None when the token is unknown, revoked, or its
    user disabled."""
    digest = token_digest(token)
    with db.session() as session:
        row = session.execute(
            sa.select(
                _device.c.id,
                _device.c.name,
                _device.c.created_at,
                _device.c.token_sha256,
                _device.c.revoked_at,
                _device.c.last_seen_at,
                _user.c.id.label("user_id"),
                _user.c.username,
                _user.c.role,
                _user.c.disabled,
            )
            .join(_user, _user.c.id == _device.c.user_id)
            .where(_device.c.token_sha256 == digest)
        ).one_or_none()
    if row is None or not same_digest(row.token_sha256, digest):
        return None
    if row.revoked_at is not None or row.disabled:
        return None
    return Principal(
        user_id=row.user_id,
        username=row.username,
        role=Role(row.role),
        device_id=row.id,
        device_name=row.name,
        device_created_at=row.created_at,
        device_last_seen_at=row.last_seen_at,
    )


def last_seen_is_stale(principal: Principal) -> bool:
    seen = principal.device_last_seen_at
    return seen is None or utc_now() - seen >= LAST_SEEN_PRECISION


def touch(db: Database, device_id: str) -> None:
    """Record that the device was seen now (run after the response: nobody waits for it)."""
    with db.session(write=True) as session:
        session.execute(
            sa.update(_device).where(_device.c.id == device_id).values(last_seen_at=utc_now())
        )


def devices_of(session: Session, user_id: str) -> Sequence[Device]:
    return session.scalars(
        sa.select(Device).where(Device.user_id == user_id).order_by(Device.created_at)
    ).all()


def list_devices(session: Session, username: str | None = None) -> list[tuple[Device, str]]:
    """Every device with its user's name, by user then by age; with ``username``, that user's
    only (an unknown name is an error, not an empty list)."""
    query = (
        sa.select(Device, User.username)
        .join(User, User.id == Device.user_id)  # type: ignore[arg-type]
        .order_by(User.username, Device.created_at)
    )
    if username is not None:
        query = query.where(Device.user_id == user_by_name(session, username).id)
    return [(device, name) for device, name in session.execute(query).tuples()]


def revoke(session: Session, device_id: str, *, owner_id: str | None = None) -> Device:
    """Revoke a device's token. With ``owner_id``, only a device of that user can be revoked;
    another user's device is reported as not found, so its existence is not revealed."""
    device = session.get(Device, device_id)
    if device is None or (owner_id is not None and device.user_id != owner_id):
        raise NotFoundError(f"no device with id {device_id}")
    if device.revoked_at is None:
        device.revoked_at = utc_now()
        session.flush()
    return device


def issue_token(session: Session, user: User, name: str) -> tuple[str, Device]:
    """A new device and token without a password check (tests and benchmarks use it)."""
    token = new_token()
    device = Device(user_id=user.id, name=name, token_sha256=token_digest(token))
    session.add(device)
    session.flush()
    return token, device


def change_password(
    db: Database,
    passwords: Passwords,
    settings: ServerSettings,
    principal: Principal,
    change: PasswordChange,
    client_address: str,
) -> None:
    """Change the caller's own password after checking the current one (throttled like a
    login: a stolen token must not become a way to guess the password)."""
    check_password(change.new_password)
    with db.session(write=True) as session:
        wait = throttle.admit(session, settings, principal.username, client_address, utc_now())
        current_hash = user_by_id(session, principal.user_id).password_hash
    if wait is not None:
        raise LoginThrottledError(wait)
    if not passwords.verify(current_hash, change.current_password):
        raise WrongPasswordError("the current password is wrong")
    new_hash = passwords.hash(change.new_password)
    with db.session(write=True) as session:
        throttle.forget(session, principal.username, client_address)
        user_by_id(session, principal.user_id).password_hash = new_hash
        session.execute(
            sa.update(_device)
            .where(
                _device.c.user_id == principal.user_id,
                _device.c.id != principal.device_id,
                _device.c.revoked_at.is_(None),
            )
            .values(revoked_at=utc_now())
        )
