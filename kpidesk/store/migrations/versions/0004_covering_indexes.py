"""covering indexes for per-account lookups

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 15:10:00

The suggestions and indicators ask, for hundreds of accounts, "last contact", "a follow-up
within a week" or "last order": with cl and purpose (or status) in the index, SQLite answers
from the index alone. ANALYZE gives the planner the statistics to choose them.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

NEW = {
    "ix_activity_account_done": ("activity", ["account_id", "done_at", "cl", "purpose"]),
    "ix_activity_offer_done": ("activity", ["offer_id", "done_at", "cl", "purpose"]),
    "ix_offer_account": ("offer", ["account_id", "status", "decided_at", "cl"]),
}
OLD = {
    "ix_activity_account_done": ("activity", ["account_id", "done_at"]),
    "ix_activity_offer_done": ("activity", ["offer_id", "done_at"]),
    "ix_offer_account": ("offer", ["account_id"]),
}


def _replace(indexes: dict[str, tuple[str, list[str]]]) -> None:
    for name, (table, columns) in indexes.items():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns)
    op.execute("ANALYZE")


def upgrade() -> None:
    _replace(NEW)


def downgrade() -> None:
    _replace(OLD)
