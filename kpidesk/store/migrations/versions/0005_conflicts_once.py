"""a conflict the server repeats is stored once

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 17:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    # Keep the first copy of any conflict already stored twice, then forbid repeats.
    op.execute(
        "DELETE FROM sync_conflict WHERE id NOT IN (SELECT min(id) FROM sync_conflict"
        " GROUP BY table_name, row_id, field, server_version)"
    )
    with op.batch_alter_table("sync_conflict") as batch_op:
        batch_op.create_unique_constraint(
            "uq_conflict", ["table_name", "row_id", "field", "server_version"]
        )


def downgrade() -> None:
    with op.batch_alter_table("sync_conflict") as batch_op:
        batch_op.drop_constraint("uq_conflict", type_="unique")
