"""Server-side browser sessions (issue 19, S7) and the gemeenten's bank accounts for the
payment files of a netting run (issue 18, payments out).

- ``web_sessies``: one row per logged-in browser session, keyed by the SHA-256 of the
  session's secret; logging out deletes it, so a copied cookie stops working.
- ``verrekening_rekeningen``: per gemeente its IBAN (mod-97 checked), BIC and account
  holder, for the pain.001 files.

Revision ID: 0005_verrekening_svc
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_verrekening_svc"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sessies",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("gebruiker_id", sa.Integer, sa.ForeignKey("gebruikers.id"), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime, nullable=False),
        sa.Column("verloopt_op", sa.DateTime, nullable=False),
    )
    op.create_index("ix_web_sessies_gebruiker_id", "web_sessies", ["gebruiker_id"])
    op.create_table(
        "verrekening_rekeningen",
        sa.Column("gemeente", sa.String(4), primary_key=True),
        sa.Column("iban", sa.String(34), nullable=False),
        sa.Column("bic", sa.String(11), nullable=True),
        sa.Column("rekeninghouder", sa.String(70), nullable=False),
        sa.Column("organisatie", sa.String(40), nullable=False),
        sa.Column("gebruiker_id", sa.Integer, sa.ForeignKey("gebruikers.id"), nullable=True),
        sa.Column("gewijzigd_op", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("verrekening_rekeningen")
    op.drop_index("ix_web_sessies_gebruiker_id", "web_sessies")
    op.drop_table("web_sessies")
