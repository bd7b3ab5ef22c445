"""Login throttling: after repeated failures, a username or a client address waits.

Failures are rows in the database, so every worker and every server process behind one
PostgreSQL counts the same ones. The window slides: once the oldest failure in it is older than
the window, one more attempt is allowed.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kpidesk.server.settings import ServerSettings
from kpidesk.server.tables import LoginFailure, table_of

_failure = table_of(LoginFailure)


def _wait(
    session: Session, column: sa.Column, key: str, limit: int, window: timedelta, now: datetime
) -> int | None:
    count, oldest = session.execute(
        sa.select(sa.func.count(), sa.func.min(_failure.c.failed_at)).where(
            column == key, _failure.c.failed_at > now - window
        )
    ).one()
    if count < limit or oldest is None:
        return None
    return max(1, math.ceil((oldest + window - now).total_seconds()))


def retry_after(
    session: Session, settings: ServerSettings, username: str, address: str, now: datetime
) -> int | None:
    """Seconds to wait before the next attempt, or None when an attempt is allowed now."""
    window = timedelta(seconds=settings.login_window_seconds)
    waits = [
        _wait(
            session, _failure.c.username, username, settings.login_max_failures_per_user,
            window, now,
        ),
        _wait(
            session, _failure.c.client_address, address,
            settings.login_max_failures_per_address, window, now,
        ),
    ]  # fmt: skip
    found = [wait for wait in waits if wait is not None]
    return max(found) if found else None


def record_failure(
    session: Session, settings: ServerSettings, username: str, address: str, now: datetime
) -> None:
    # Forget what no window can count any more, so the table stays small.
    session.execute(
        sa.delete(_failure).where(
            _failure.c.failed_at < now - timedelta(seconds=settings.login_window_seconds)
        )
    )
    session.execute(
        sa.insert(_failure).values(
            username=username[:64], client_address=address[:64], failed_at=now
        )
    )


def clear_user(session: Session, username: str) -> None:
    """A successful login forgets that username's failures (not the address's)."""
    session.execute(sa.delete(_failure).where(_failure.c.username == username))
