"""A signal of the woonplaatscheck made into a transfer links to it (issue 20).

- ``signalen.overdracht_id``: the transfer created (or extended) from an ``andere_gemeente``
  signal; NULL for every other signal and for those handled before.

Revision ID: 0010_h7_caseload
Revises: 0009_h5_berichten
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_h7_caseload"
down_revision = "0009_h5_berichten"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("signalen") as batch:
        batch.add_column(sa.Column("overdracht_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_signalen_overdracht_id", "overdrachten",
                                 ["overdracht_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("signalen") as batch:
        batch.drop_constraint("fk_signalen_overdracht_id", type_="foreignkey")
        batch.drop_column("overdracht_id")
