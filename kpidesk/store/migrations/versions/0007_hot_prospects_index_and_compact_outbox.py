"""an index for hot prospects, and a compact outbox row for bulk writes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 18:00:00

Two changes made in the same release, each self-contained:

- ``hot_prospects`` read every account created before the end of the period (through
  ``ix_account_created_at``), then looked at its temperature: its cost grew with the history,
  so a month's indicators cost more on 20 years of data than on 5. ``ix_account_temperature_
  status`` holds exactly the columns that indicator filters on, with the id it lists: it seeks
  the hot prospects (and the hot clients to rebuild) and never reads the table rows.
- An import writes thousands of mutations stamped with one clock value. Each held every field as
  {"v": value, "hlc": stamp}, the same 30-character stamp repeated per field (1.16 KB an offer).
  With ``outbox.hlc`` set, ``fields`` holds only {name: value} (0.31 KB): what is pushed is
  rebuilt from it, exactly as before (kpidesk.store.outbox.wire_fields). Rows written before,
  and every row an ordinary edit writes, keep the full form with ``hlc`` NULL.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

HOT_INDEX = "ix_account_temperature_status"
HOT_COLUMNS = ["temperature", "status", "created_at", "created_status", "cl", "owner_id", "id"]


def upgrade() -> None:
    op.create_index(HOT_INDEX, "account", HOT_COLUMNS)
    op.execute("ANALYZE")
    op.add_column("outbox", sa.Column("hlc", sa.String(64), nullable=True))


def downgrade() -> None:
    # Every compact row back to the full form before the column goes: nothing waiting to be
    # sent may lose its stamp. Not a table rebuild (batch mode): that would reset the
    # AUTOINCREMENT sequence, and a mid the server has seen must never be reused.
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT mid, fields, hlc FROM outbox WHERE hlc IS NOT NULL"))
    full = [
        {"mid": mid, "fields": json.dumps({n: {"v": v, "hlc": hlc} for n, v in
                                           json.loads(fields).items()})}
        for mid, fields, hlc in rows.fetchall()
    ]  # fmt: skip
    if full:
        conn.execute(sa.text("UPDATE outbox SET fields = :fields WHERE mid = :mid"), full)
    op.execute("ALTER TABLE outbox DROP COLUMN hlc")
    op.drop_index(HOT_INDEX, table_name="account")
