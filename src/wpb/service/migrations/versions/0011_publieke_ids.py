"""Public identifiers (issue 19, finding S10): ``publiek_id``, a random UUID4 in a unique
column, on every table whose rows the service shows by id. The existing rows get one each;
the integer keys stay for joins but no longer leave the service.

Revision ID: 0011_publieke_ids
Revises: 0010_h7_caseload
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_publieke_ids"
down_revision = "0010_h7_caseload"
branch_labels = None
depends_on = None

TABLES = (
    "aanleveringen", "overdrachten", "overdracht_regels", "ijw_berichten",
    "verrekening_imports", "verrekening_facturen", "verrekening_beslissingen",
    "verrekening_salderingen", "verrekening_geschillen", "signalen", "clientenbestand_imports",
)

# A random UUID4 in SQL: gen_random_uuid() on PostgreSQL (13 and later); on SQLite from
# randomblob, with the version nibble 4 and the variant bits 10.
_SQLITE_UUID4 = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        # NOT NULL from the start: a constant default fills the existing rows for a moment.
        op.add_column(table, sa.Column("publiek_id", sa.String(36), nullable=False, server_default=""))
        uuid4 = "gen_random_uuid()::text" if postgres else _SQLITE_UUID4
        op.execute(f"UPDATE {table} SET publiek_id = {uuid4}")  # noqa: S608 (names above)
        if postgres:
            op.alter_column(table, "publiek_id", server_default=None)
        op.create_index(f"ix_{table}_publiek_id", table, ["publiek_id"], unique=True)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_index(f"ix_{table}_publiek_id", table_name=table)
        op.drop_column(table, "publiek_id")
