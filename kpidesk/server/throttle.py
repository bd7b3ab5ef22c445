"""Login throttling: after repeated failures, a username from one address, or an address,
waits.

Per username *and* address, not per username alone: five wrong passwords from anywhere used to
lock the real user out for the window; now they lock only the address they came from, and
the user still signs in from their own. An address also has its own, higher limit.

Every attempt is counted before its password is checked, atomically: :func:`admit` takes a
lock on the address (PostgreSQL: an advisory lock, so it holds across workers and servers;
SQLite: the write lock every write transaction takes), counts, and records the attempt as a
failure; a right password then forgets it (:func:`forget`). Counted after the check, 30
parallel guesses got 26 checks past a limit of 5. The window slides: once the oldest failure
in it is older than the window, one more attempt is allowed.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kpidesk.server.settings import ServerSettings
from kpidesk.server.tables import LoginFailure, table_of

_failure = table_of(LoginFailure)


def _wait(session: Session, where: sa.ColumnElement[bool], limit: int, window: timedelta,
          now: datetime) -> int | None:  # fmt: skip
    count, oldest = session.execute(
        sa.select(sa.func.count(), sa.func.min(_failure.c.failed_at)).where(
            where, _failure.c.failed_at > now - window
        )
    ).one()
    if count < limit or oldest is None:
        return None
    return max(1, math.ceil((oldest + window - now).total_seconds()))


def admit(
    session: Session, settings: ServerSettings, username: str, address: str, now: datetime
) -> int | None:
    """Count one attempt, in the caller's write transaction, before the password is checked.

    Returns the seconds to wait when the attempt is refused (nothing recorded), or None when
    it may go on: it is then recorded as a failure until :func:`forget` clears it."""
    username, address = username[:64], address[:64]
    if session.get_bind().dialect.name == "postgresql":
        # Attempts from one address are counted one at a time, in every process.
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(
            sa.func.hashtextextended("kpidesk-login " + address, 0))))  # fmt: skip
    window = timedelta(seconds=settings.login_window_seconds)
    from_address = _failure.c.client_address == address
    waits = [
        _wait(session, sa.and_(_failure.c.username == username, from_address),
              settings.login_max_failures_per_user, window, now),
        _wait(session, from_address, settings.login_max_failures_per_address, window, now),
    ]  # fmt: skip
    found = [wait for wait in waits if wait is not None]
    if found:
        return max(found)
    # Forget what no window can count any more, so the table stays small.
    session.execute(sa.delete(_failure).where(_failure.c.failed_at < now - window))
    session.execute(
        sa.insert(_failure).values(username=username, client_address=address, failed_at=now)
    )
    return None


def forget(session: Session, username: str, address: str) -> None:
    """A right password: this username's failures from this address are forgotten (those from
    other addresses stay, and count against those addresses)."""
    session.execute(
        sa.delete(_failure).where(
            _failure.c.username == username[:64], _failure.c.client_address == address[:64]
        )
    )
