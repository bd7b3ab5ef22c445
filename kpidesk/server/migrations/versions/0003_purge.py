"""purge: how far each device has synced, when each row was deleted

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:21:47
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kpidesk.domain.timeutil import utc_now
from kpidesk.records.types import UtcDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

RECORD_TABLES = ("account", "contact", "activity", "offer", "objective")


def upgrade() -> None:
    with op.batch_alter_table("device") as batch_op:
        batch_op.add_column(
            sa.Column("synced_to", sa.BigInteger(), nullable=False, server_default="0")
        )
    # When an existing tombstone was deleted is not known: now is the safe answer (it is
    # purged 90 days after this upgrade at the earliest, never before its time).
    now = utc_now()
    for table in RECORD_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
        rows = sa.table(table, sa.column("cl", sa.Integer()), sa.column("deleted_at", UtcDateTime))
        op.execute(sa.update(rows).where(rows.c.cl % 2 == 0).values(deleted_at=now))


def downgrade() -> None:
    for table in RECORD_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("deleted_at")
    with op.batch_alter_table("device") as batch_op:
        batch_op.drop_column("synced_to")
