"""indexes for indicators

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 14:30:00.000000

The indicators read offers by status and decision date (won, lost, abandoned in a period; the
active clients of the last 12 months) and, per account, look for an earlier or later win (first
wins, hot prospects rebuilt at a past date): without the two offer indexes the planner falls back
on (status, sent_at) and scans every offer of a status.

The three activity indexes get the columns the indicators filter on (kind, purpose, liveness),
so counting a year of activities, or looking for a follow-up in the week after an offer, reads
the index alone instead of every table row. They keep their leading columns, so every query
that used them still does.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

_ACTIVITY_BEFORE = {
    "ix_activity_done_at": ["done_at"],
    "ix_activity_offer_done": ["offer_id", "done_at"],
    "ix_activity_account_done": ["account_id", "done_at"],
}
_ACTIVITY_AFTER = {
    "ix_activity_done_kind_purpose": ["done_at", "kind", "purpose", "cl", "id"],
    "ix_activity_offer_done_purpose": ["offer_id", "done_at", "purpose", "cl"],
    "ix_activity_account_done_purpose": ["account_id", "done_at", "purpose", "cl"],
}
_OFFER_NEW = {
    "ix_offer_status_decided": ["status", "decided_at"],
    "ix_offer_account_status_decided": ["account_id", "status", "decided_at"],
}


def upgrade() -> None:
    with op.batch_alter_table("offer", schema=None) as batch_op:
        for name, columns in _OFFER_NEW.items():
            batch_op.create_index(name, columns, unique=False)
    with op.batch_alter_table("activity", schema=None) as batch_op:
        for name in _ACTIVITY_BEFORE:
            batch_op.drop_index(name)
        for name, columns in _ACTIVITY_AFTER.items():
            batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        for name in _ACTIVITY_AFTER:
            batch_op.drop_index(name)
        for name, columns in _ACTIVITY_BEFORE.items():
            batch_op.create_index(name, columns, unique=False)
    with op.batch_alter_table("offer", schema=None) as batch_op:
        for name in _OFFER_NEW:
            batch_op.drop_index(name)
