"""The law of a transfer (issue 8): Jeugdwet or Wmo beschermd wonen.

Additive: existing transfers are Jeugdwet transfers, which the server default says, so the
column can be added to a filled table on SQLite and PostgreSQL alike.

Revision ID: 0003
Revises: 0002
Create Date: 2025-03-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "overdrachten",
        sa.Column("wet", sa.String(16), nullable=False, server_default="jeugdwet"),
    )


def downgrade() -> None:
    op.drop_column("overdrachten", "wet")
