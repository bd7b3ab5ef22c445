"""no echo: which device wrote (and holds) each row's latest version

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

RECORD_TABLES = ("account", "contact", "activity", "offer", "objective")


def upgrade() -> None:
    # Null for every existing row: nobody is known to hold it, so it is sent as before.
    for table in RECORD_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("written_by", sa.String(length=36), nullable=True))


def downgrade() -> None:
    for table in RECORD_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("written_by")
