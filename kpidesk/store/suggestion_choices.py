"""What the rep chose about a suggestion (dismissed, snoozed): local, never synced."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from kpidesk.domain.timeutil import utc_now
from kpidesk.store.tables import suggestion_choice


def read_choices(conn: sa.Connection) -> dict[tuple[str, str], Any]:
    """Every stored choice by (rule, subject); rows have choice, until and fingerprint."""
    return {(r.rule_key, r.subject_key): r for r in conn.execute(sa.select(suggestion_choice))}


def save_choice(
    conn: sa.Connection,
    rule: str,
    subject: str,
    choice: str,
    until: datetime | None,
    fingerprint: str | None,
) -> None:
    conn.execute(
        sa.insert(suggestion_choice)
        .prefix_with("OR REPLACE")
        .values(
            rule_key=rule,
            subject_key=subject,
            choice=choice,
            until=until,
            fingerprint=fingerprint,
            chosen_at=utc_now(),
        )
    )


def clear_choices(conn: sa.Connection) -> int:
    return conn.execute(sa.delete(suggestion_choice)).rowcount or 0
