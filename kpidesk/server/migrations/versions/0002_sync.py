"""sync: device mutation ids, server clock, per-field versions, conflicts, activity sharing

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 15:13:02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

RECORD_TABLES = ("account", "contact", "activity", "offer", "objective")


def upgrade() -> None:
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("table_name", sa.String(length=24), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("yours", sa.JSON(), nullable=True),
        sa.Column("theirs", sa.JSON(), nullable=True),
        sa.Column("their_author", sa.String(length=120), nullable=False),
        sa.Column("kept", sa.String(length=8), nullable=False),
        sa.Column("server_version", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_sync_conflict_device_version", "sync_conflict", ["device_id", "server_version"]
    )
    for table in RECORD_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column("versions", sa.JSON(), nullable=False, server_default="{}")
            )
    with op.batch_alter_table("app_user") as batch_op:
        batch_op.add_column(
            sa.Column("shares_activities", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("device") as batch_op:
        batch_op.add_column(
            sa.Column("last_mid", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("resync_needed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("server_state") as batch_op:
        batch_op.add_column(sa.Column("hlc", sa.String(length=120), nullable=True))
        batch_op.add_column(
            sa.Column("purged_before", sa.BigInteger(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("server_state") as batch_op:
        batch_op.drop_column("purged_before")
        batch_op.drop_column("hlc")
    with op.batch_alter_table("device") as batch_op:
        batch_op.drop_column("resync_needed")
        batch_op.drop_column("last_mid")
    with op.batch_alter_table("app_user") as batch_op:
        batch_op.drop_column("shares_activities")
    for table in RECORD_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("versions")
    op.drop_index("ix_sync_conflict_device_version", table_name="sync_conflict")
    op.drop_table("sync_conflict")
