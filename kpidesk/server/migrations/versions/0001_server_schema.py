"""server schema: users, teams, devices, login throttling, synced records

Revision ID: 0001
Revises:
Create Date: 2026-11-27 14:08:30.932496
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("clocks", sa.JSON(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.Column("server_version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("created_status", sa.String(length=24), nullable=False),
        sa.Column("temperature", sa.String(length=24), nullable=False),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("referred_by", sa.String(length=36), nullable=True),
        sa.Column("sector", sa.String(length=100), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.String(length=10000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_account_owner_version", "account", ["owner_id", "server_version"], unique=False
    )
    op.create_index("ix_account_version", "account", ["server_version"], unique=False)

    op.create_table(
        "activity",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("clocks", sa.JSON(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.Column("server_version", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=True),
        sa.Column("offer_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("purpose", sa.String(length=24), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.String(length=10000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_activity_account", "activity", ["account_id"], unique=False)
    op.create_index(
        "ix_activity_owner_version", "activity", ["owner_id", "server_version"], unique=False
    )
    op.create_index("ix_activity_version", "activity", ["server_version"], unique=False)

    op.create_table(
        "app_user",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "contact",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("clocks", sa.JSON(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.Column("server_version", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.String(length=10000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_contact_account", "contact", ["account_id"], unique=False)
    op.create_index(
        "ix_contact_owner_version", "contact", ["owner_id", "server_version"], unique=False
    )
    op.create_index("ix_contact_version", "contact", ["server_version"], unique=False)

    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_login_failure_address_at",
        "login_failure",
        ["client_address", "failed_at"],
        unique=False,
    )
    op.create_index("ix_login_failure_at", "login_failure", ["failed_at"], unique=False)
    op.create_index(
        "ix_login_failure_username_at", "login_failure", ["username", "failed_at"], unique=False
    )

    op.create_table(
        "objective",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("clocks", sa.JSON(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.Column("server_version", sa.Integer(), nullable=False),
        sa.Column("kpi_key", sa.String(length=40), nullable=False),
        sa.Column("period_kind", sa.String(length=24), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_objective_owner_version", "objective", ["owner_id", "server_version"], unique=False
    )
    op.create_index("ix_objective_version", "objective", ["server_version"], unique=False)

    op.create_table(
        "offer",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("clocks", sa.JSON(), nullable=False),
        sa.Column("cl", sa.Integer(), nullable=False),
        sa.Column("server_version", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("margin_cents", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lost_reason", sa.String(length=500), nullable=True),
        sa.Column("probability", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_offer_account", "offer", ["account_id"], unique=False)
    op.create_index("ix_offer_owner_version", "offer", ["owner_id", "server_version"], unique=False)
    op.create_index("ix_offer_version", "offer", ["server_version"], unique=False)

    server_state = op.create_table(
        "server_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_server_version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # The one row whose counter hands out server versions (kpidesk.server.db).
    op.bulk_insert(server_state, [{"id": 1, "last_server_version": 0}])
    op.create_table(
        "account_share",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
        ),
        sa.PrimaryKeyConstraint("account_id", "user_id"),
    )
    op.create_index("ix_account_share_user_id", "account_share", ["user_id"], unique=False)

    op.create_table(
        "device",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_sha256"),
    )
    op.create_index("ix_device_user_id", "device", ["user_id"], unique=False)

    op.create_table(
        "team",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("manager_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["app_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_index("ix_team_manager_id", "team", ["manager_id"], unique=False)

    op.create_table(
        "team_member",
        sa.Column("team_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
        ),
        sa.PrimaryKeyConstraint("team_id", "user_id"),
    )
    op.create_index("ix_team_member_user_id", "team_member", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_team_member_user_id", table_name="team_member")

    op.drop_table("team_member")
    op.drop_index("ix_team_manager_id", table_name="team")

    op.drop_table("team")
    op.drop_index("ix_device_user_id", table_name="device")

    op.drop_table("device")
    op.drop_index("ix_account_share_user_id", table_name="account_share")

    op.drop_table("account_share")
    op.drop_table("server_state")
    op.drop_index("ix_offer_version", table_name="offer")
    op.drop_index("ix_offer_owner_version", table_name="offer")
    op.drop_index("ix_offer_account", table_name="offer")

    op.drop_table("offer")
    op.drop_index("ix_objective_version", table_name="objective")
    op.drop_index("ix_objective_owner_version", table_name="objective")

    op.drop_table("objective")
    op.drop_index("ix_login_failure_username_at", table_name="login_failure")
    op.drop_index("ix_login_failure_at", table_name="login_failure")
    op.drop_index("ix_login_failure_address_at", table_name="login_failure")

    op.drop_table("login_failure")
    op.drop_index("ix_contact_version", table_name="contact")
    op.drop_index("ix_contact_owner_version", table_name="contact")
    op.drop_index("ix_contact_account", table_name="contact")

    op.drop_table("contact")
    op.drop_table("app_user")
    op.drop_index("ix_activity_version", table_name="activity")
    op.drop_index("ix_activity_owner_version", table_name="activity")
    op.drop_index("ix_activity_account", table_name="activity")

    op.drop_table("activity")
    op.drop_index("ix_account_version", table_name="account")
    op.drop_index("ix_account_owner_version", table_name="account")

    op.drop_table("account")
