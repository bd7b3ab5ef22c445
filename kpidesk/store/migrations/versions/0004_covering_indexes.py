"""covering indexes for the indicators and the suggestions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 15:10:00

The indicators read offers by status and decision date (won, lost, abandoned in a period; the
active clients of the last 12 months) and, per account, look for an earlier or later win. The
suggestions ask, for hundreds of accounts, "last contact", "a follow-up within a week" or "last
order". With the filtered columns (kind, purpose, status, liveness) inside the indexes, SQLite
answers from the index alone instead of reading every row; the leading columns are unchanged,
so every query that used the old indexes still does. ANALYZE gives the planner the statistics
to choose them.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

BEFORE = {
    "ix_activity_done_at": ("activity", ["done_at"]),
    "ix_activity_account_done": ("activity", ["account_id", "done_at"]),
    "ix_activity_offer_done": ("activity", ["offer_id", "done_at"]),
    "ix_offer_account": ("offer", ["account_id"]),
}
AFTER = {
    "ix_activity_done_kind_purpose": ("activity", ["done_at", "kind", "purpose", "cl", "id"]),
    "ix_activity_account_done_purpose": ("activity", ["account_id", "done_at", "purpose", "cl"]),
    "ix_activity_offer_done_purpose": ("activity", ["offer_id", "done_at", "purpose", "cl"]),
    "ix_offer_status_decided": ("offer", ["status", "decided_at"]),
    "ix_offer_account_status_decided": ("offer", ["account_id", "status", "decided_at", "cl"]),
}


def _replace(old: dict[str, tuple[str, list[str]]], new: dict[str, tuple[str, list[str]]]) -> None:
    for name, (table, _) in old.items():
        op.drop_index(name, table_name=table)
    for name, (table, columns) in new.items():
        op.create_index(name, table, columns)
    op.execute("ANALYZE")


def upgrade() -> None:
    _replace(BEFORE, AFTER)


def downgrade() -> None:
    _replace(AFTER, BEFORE)
