"""The per-tenant BRP store, a gemeente's caseload and the signalen of the woonplaatscheck
(issues 19 and 20). Additive: four new tables, every row owned by one organisation.

Revision ID: 0007_caseload_svc
Revises: 0006_berichten
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_caseload_svc"
down_revision = "0006_berichten"
branch_labels = None
depends_on = None


def _owner() -> sa.Column:
    return sa.Column("eigenaar_id", sa.Integer, sa.ForeignKey("organisaties.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "brp_documenten",
        sa.Column("id", sa.Integer, primary_key=True),
        _owner(),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("bron", sa.String(16), nullable=False),
        sa.Column("bron_detail", sa.String(300), nullable=False),
        sa.Column("herkomst", sa.Text, nullable=False),
        sa.Column("opgehaald_op", sa.DateTime, nullable=False),
        sa.Column("sha256", sa.String(71), nullable=False),
        sa.Column("opgehaald_door", sa.Integer, sa.ForeignKey("gebruikers.id"), nullable=True),
        sa.UniqueConstraint("eigenaar_id", "bsn", name="uq_brp_document_eigenaar_bsn"),
    )
    op.create_index("ix_brp_documenten_eigenaar_id", "brp_documenten", ["eigenaar_id"])
    op.create_table(
        "clientenbestand_toewijzingen",
        sa.Column("id", sa.Integer, primary_key=True),
        _owner(),
        sa.Column("regel", sa.String(120), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("geboortedatum", sa.Date, nullable=False),
        sa.Column("aanbieder_agb", sa.String(8), nullable=False),
        sa.Column("productcategorie", sa.String(8), nullable=True),
        sa.Column("productcode", sa.String(40), nullable=True),
        sa.Column("begindatum", sa.Date, nullable=False),
        sa.Column("einddatum", sa.Date, nullable=True),
        sa.Column("verblijf", sa.Boolean, nullable=False),
        sa.Column("verblijf_uit_categorie", sa.Boolean, nullable=False),
        sa.Column("wet", sa.String(16), nullable=False),
        sa.Column("vorm", sa.String(32), nullable=True),
        sa.Column("verblijf_sinds", sa.Date, nullable=True),
        sa.Column("aanmeldgemeente", sa.String(4), nullable=True),
        sa.Column("aanmelddatum", sa.Date, nullable=True),
        sa.Column("indicatie_begin", sa.Date, nullable=True),
        sa.Column("toewijzingnummer", sa.String(40), nullable=True),
    )
    op.create_index("ix_clientenbestand_eigenaar_bsn", "clientenbestand_toewijzingen",
                    ["eigenaar_id", "bsn"])
    op.create_table(
        "clientenbestand_imports",
        sa.Column("id", sa.Integer, primary_key=True),
        _owner(),
        sa.Column("ingelezen_op", sa.DateTime, nullable=False),
        sa.Column("ingelezen_door", sa.Integer, sa.ForeignKey("gebruikers.id"), nullable=True),
        sa.Column("sha256", sa.String(71), nullable=False),
        *(sa.Column(c, sa.Integer, nullable=False) for c in (
            "regels", "bewaard", "nieuw", "beeindigd", "gewijzigd", "ongewijzigd")),
    )
    op.create_index("ix_clientenbestand_imports_eigenaar_id", "clientenbestand_imports",
                    ["eigenaar_id"])
    op.create_table(
        "signalen",
        sa.Column("id", sa.Integer, primary_key=True),
        _owner(),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("soort", sa.String(24), nullable=False),
        sa.Column("verantwoordelijke_gemeente", sa.String(4), nullable=True),
        sa.Column("vanaf", sa.Date, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reden", sa.Text, nullable=False),
        sa.Column("vingerafdruk", sa.String(71), nullable=False),
        sa.Column("beslissing", sa.Text, nullable=False),
        sa.Column("peildatum", sa.Date, nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime, nullable=False),
        sa.Column("afhandeling", sa.String(16), nullable=True),
        sa.Column("afhandeling_toelichting", sa.Text, nullable=True),
        sa.Column("afgehandeld_op", sa.DateTime, nullable=True),
        sa.Column("afgehandeld_door", sa.Integer, sa.ForeignKey("gebruikers.id"), nullable=True),
        sa.UniqueConstraint("eigenaar_id", "vingerafdruk", name="uq_signaal_eigenaar_vingerafdruk"),
    )
    op.create_index("ix_signalen_eigenaar_id", "signalen", ["eigenaar_id"])


def downgrade() -> None:
    for table in ("signalen", "clientenbestand_imports", "clientenbestand_toewijzingen",
                  "brp_documenten"):
        op.drop_table(table)
