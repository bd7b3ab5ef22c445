"""hot prospects from an index of the accounts by temperature and status

Revision ID: 0007_kpi_indexes
Revises: 0006
Create Date: 2026-12-02 18:00:00

``hot_prospects`` read every account created before the end of the period (through
``ix_account_created_at``), then looked at its temperature: its cost grew with the history, so a
month's indicators cost more on 20 years of data than on 5. This index holds exactly the
columns that indicator filters on, with the id it lists: it seeks the hot prospects (and the
hot clients to rebuild) and never reads the table rows.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_kpi_indexes"
down_revision: str | None = "0006"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

NAME = "ix_account_temperature_status"
COLUMNS = ["temperature", "status", "created_at", "created_status", "cl", "owner_id", "id"]


def upgrade() -> None:
    op.create_index(NAME, "account", COLUMNS)
    op.execute("ANALYZE")


def downgrade() -> None:
    op.drop_index(NAME, table_name="account")
