"""objectives agreed, not imposed: a manager's proposals to a rep, and their history

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 00:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "objective_proposal",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("team_id", sa.String(length=36), nullable=False),
        sa.Column("manager_id", sa.String(length=36), nullable=False),
        sa.Column("rep_id", sa.String(length=36), nullable=False),
        sa.Column("kpi_key", sa.String(length=40), nullable=False),
        sa.Column("period_kind", sa.String(length=24), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.ForeignKeyConstraint(["manager_id"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["rep_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("team_id", "manager_id", "rep_id"):
        op.create_index(
            f"ix_objective_proposal_{column}", "objective_proposal", [column], unique=False
        )
    op.create_table(
        "proposal_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(["proposal_id"], ["objective_proposal.id"]),
        sa.ForeignKeyConstraint(["author_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_proposal_event_proposal_id", "proposal_event", ["proposal_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_proposal_event_proposal_id", table_name="proposal_event")
    op.drop_table("proposal_event")
    for column in ("team_id", "manager_id", "rep_id"):
        op.drop_index(f"ix_objective_proposal_{column}", table_name="objective_proposal")
    op.drop_table("objective_proposal")
