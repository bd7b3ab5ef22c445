"""the rep's own records: owner_id inside the covering indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 21:25:00

Every indicator and suggestion now counts the signed-in user's own records only
(``owner_id = :me``): a laptop also holds colleagues' records after a sync. With ``owner_id``
inside the activity indexes the indicators keep answering from the index alone (the leading
columns are unchanged, so every query that used them still does).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

BEFORE = {
    "ix_activity_done_kind_purpose": ["done_at", "kind", "purpose", "cl", "id"],
    "ix_activity_account_done_purpose": ["account_id", "done_at", "purpose", "cl"],
    "ix_activity_offer_done_purpose": ["offer_id", "done_at", "purpose", "cl"],
}
AFTER = {
    "ix_activity_done_kind_purpose": ["done_at", "kind", "purpose", "cl", "owner_id", "id"],
    "ix_activity_account_done_purpose": ["account_id", "done_at", "purpose", "cl", "owner_id"],
    "ix_activity_offer_done_purpose": ["offer_id", "done_at", "purpose", "cl", "owner_id"],
}


def _replace(new: dict[str, list[str]]) -> None:
    for name, columns in new.items():
        op.drop_index(name, table_name="activity")
        op.create_index(name, "activity", columns)
    op.execute("ANALYZE")


def upgrade() -> None:
    _replace(AFTER)


def downgrade() -> None:
    _replace(BEFORE)
