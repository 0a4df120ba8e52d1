"""Agreement before a JW319 with reden 8 (issue 18 item 12): ``ijw_instemmingen``.

Before the addressed gemeente rejects a verzoek om toewijzing with reden 8 (the
woonplaatsbeginsel names another gemeente), that gemeente is asked; it agrees or objects,
and an objection opens a geschil. One row per request and named gemeente.

Revision ID: 0009_h5_berichten
Revises: 0008_overdrachten
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_h5_berichten"
down_revision = "0008_overdrachten"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ijw_instemmingen",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("bericht_id", sa.Integer, sa.ForeignKey("ijw_berichten.id"), nullable=False),
        sa.Column("gemeente", sa.String(4), nullable=False),
        sa.Column("gevraagd_door", sa.String(4), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reden", sa.Text, nullable=False),
        sa.Column("toelichting", sa.Text, nullable=False),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("gevraagd_op", sa.DateTime, nullable=False),
        sa.Column("beslist_op", sa.DateTime, nullable=True),
        sa.Column("gebruiker_id", sa.Integer, sa.ForeignKey("gebruikers.id"), nullable=True),
        sa.Column("geschil_id", sa.Integer, nullable=True),
        sa.UniqueConstraint("bericht_id", "gemeente", name="uq_ijw_instemmingen_bericht_gemeente"),
    )
    for column in ("bericht_id", "gemeente", "gevraagd_door"):
        op.create_index(f"ix_ijw_instemmingen_{column}", "ijw_instemmingen", [column])


def downgrade() -> None:
    op.drop_table("ijw_instemmingen")
