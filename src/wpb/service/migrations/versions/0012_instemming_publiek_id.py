"""Public identifiers (issue 19, finding S10) for the agreement requests (``ijw_instemmingen``,
issue 18 item 12), which came after 0011: ``publiek_id``, a random UUID4 in a unique column;
the existing rows get one each, as 0011 did for the other tables.

Revision ID: 0012_instemming_publiek_id
Revises: 0011_publieke_ids
Create Date: 2026-12-07
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0012_instemming_publiek_id"
down_revision = "0011_publieke_ids"
branch_labels = None
depends_on = None

TABLE = "ijw_instemmingen"
# The same SQL UUID4 for SQLite as 0011 (a module name starting with a digit: importlib).
_SQLITE_UUID4 = importlib.import_module(
    "wpb.service.migrations.versions.0011_publieke_ids")._SQLITE_UUID4


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.add_column(TABLE, sa.Column("publiek_id", sa.String(36), nullable=False, server_default=""))
    uuid4 = "gen_random_uuid()::text" if postgres else _SQLITE_UUID4
    op.execute(f"UPDATE {TABLE} SET publiek_id = {uuid4}")  # noqa: S608 (a constant name)
    if postgres:
        op.alter_column(TABLE, "publiek_id", server_default=None)
    op.create_index(f"ix_{TABLE}_publiek_id", TABLE, ["publiek_id"], unique=True)


def downgrade() -> None:
    op.drop_index(f"ix_{TABLE}_publiek_id", table_name=TABLE)
    op.drop_column(TABLE, "publiek_id")
