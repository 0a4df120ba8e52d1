"""Public identifiers (issue 19, finding S10) for the agreement requests (``ijw_instemmingen``,
issue 18 item 12), which came after 0011: ``publiek_id``, a random UUID4 in a unique column;
the existing rows get one each, as 0011 did for the other tables.

Revision ID: 0012_instemming_publiek_id
Revises: 0011_publieke_ids
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_instemming_publiek_id"
down_revision = "0011_publieke_ids"
branch_labels = None
depends_on = None

TABLE = "ijw_instemmingen"
# The SQL UUID4 of 0011 (a migration stays as it was written, so it is repeated here, not
# imported): gen_random_uuid() on PostgreSQL; on SQLite from randomblob, version nibble 4
# and variant bits 10.
_POSTGRES_UUID4 = "gen_random_uuid()::text"
_SQLITE_UUID4 = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.add_column(TABLE, sa.Column("publiek_id", sa.String(36), nullable=False, server_default=""))
    uuid4 = _POSTGRES_UUID4 if postgres else _SQLITE_UUID4
    op.execute(f"UPDATE {TABLE} SET publiek_id = {uuid4}")  # noqa: S608 (a constant name)
    if postgres:
        op.alter_column(TABLE, "publiek_id", server_default=None)
    op.create_index(f"ix_{TABLE}_publiek_id", TABLE, ["publiek_id"], unique=True)


def downgrade() -> None:
    op.drop_index(f"ix_{TABLE}_publiek_id", table_name=TABLE)
    op.drop_column(TABLE, "publiek_id")
