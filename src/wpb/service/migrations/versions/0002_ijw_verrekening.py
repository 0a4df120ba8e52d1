"""iJw messages (issue 5) and the settlement between municipalities (issue 6).

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NUMMERING = ("identificatie", "toewijzingnummer")


def _fk_gebruiker() -> sa.Column:
    return sa.Column("gebruiker_id", sa.Integer, sa.ForeignKey("gebruikers.id"), nullable=True)


def upgrade() -> None:
    op.create_table(
        "ijw_berichten",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("berichttype", sa.String(5), nullable=False),
        sa.Column("afzender", sa.String(8), nullable=False),
        sa.Column("identificatie", sa.String(12), nullable=False),
        sa.Column("inhoud_hash", sa.String(80), nullable=False),
        sa.Column("ontvangen_op", sa.DateTime, nullable=False),
        sa.Column("bron", sa.String(16), nullable=False),
        sa.Column("gemeente", sa.String(4), nullable=True),
        sa.Column("aanbieder", sa.String(8), nullable=True),
        sa.Column("bsn", sa.String(9), nullable=True),
        sa.Column("dagtekening", sa.Date, nullable=True),
        sa.Column("ontvangstdatum", sa.Date, nullable=True),
        sa.Column("xml", sa.Text, nullable=True),
        sa.Column("xsd_gecontroleerd", sa.Boolean, nullable=False),
        sa.Column("organisatie", sa.String(40), nullable=False),
        _fk_gebruiker(),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("voorstel", sa.Text, nullable=True),
        sa.Column("voorstel_op", sa.DateTime, nullable=True),
        sa.Column("uiterlijk", sa.Date, nullable=True),
        sa.Column("brp_document", sa.Text, nullable=True),
        sa.Column("brp_bron", sa.String(40), nullable=True),
        sa.Column("beantwoord_op", sa.DateTime, nullable=True),
        sa.Column("antwoord_op_id", sa.Integer, sa.ForeignKey("ijw_berichten.id"), nullable=True),
        sa.UniqueConstraint(
            "berichttype", "afzender", "identificatie", name="uq_ijw_berichten_sleutel"
        ),
    )
    for column in ("gemeente", "aanbieder", "bsn", "status", "antwoord_op_id"):
        op.create_index(f"ix_ijw_berichten_{column}", "ijw_berichten", [column])
    nummering = op.create_table(
        "ijw_nummering",
        sa.Column("soort", sa.String(32), primary_key=True),
        sa.Column("laatste", sa.Integer, nullable=False),
    )
    op.bulk_insert(nummering, [{"soort": s, "laatste": 0} for s in NUMMERING])

    op.create_table(
        "verrekening_imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("bron", sa.String(8), nullable=False),
        sa.Column("bestandsnaam", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("aantal", sa.Integer, nullable=False),
        sa.Column("totaal", sa.BigInteger, nullable=False),
        sa.Column("organisatie", sa.String(40), nullable=False),
        _fk_gebruiker(),
        sa.Column("tijdstip", sa.DateTime, nullable=False),
    )
    op.create_table(
        "verrekening_facturen",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sleutel", sa.String(200), nullable=False, unique=True),
        sa.Column("referentie", sa.String(180), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("betaler", sa.String(4), nullable=False),
        sa.Column("aanbieder", sa.String(8), nullable=False),
        sa.Column("product", sa.String(100), nullable=False),
        sa.Column("begin", sa.Date, nullable=False),
        sa.Column("einde", sa.Date, nullable=False),
        sa.Column("bedrag", sa.BigInteger, nullable=False),
        sa.Column("betaaldatum", sa.Date, nullable=False),
        sa.Column("bron", sa.String(8), nullable=False),
        sa.Column(
            "import_id", sa.Integer, sa.ForeignKey("verrekening_imports.id"), nullable=False
        ),
        sa.Column("geimporteerd_op", sa.DateTime, nullable=False),
    )
    for column in ("bsn", "betaler", "aanbieder", "import_id"):
        op.create_index(f"ix_verrekening_facturen_{column}", "verrekening_facturen", [column])
    op.create_table(
        "verrekening_beslissingen",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("gemeente", sa.String(4), nullable=False),
        sa.Column("ingang", sa.Date, nullable=False),
        sa.Column("tot", sa.Date, nullable=True),
        sa.Column("vastgesteld_op", sa.Date, nullable=False),
        sa.Column("invoer_hash", sa.String(100), nullable=False),
        sa.Column("overdracht_id", sa.Integer, sa.ForeignKey("overdrachten.id"), nullable=True),
        sa.Column("beslissing", sa.Text, nullable=True),
        sa.Column("organisatie", sa.String(40), nullable=False),
        _fk_gebruiker(),
        sa.Column("geregistreerd_op", sa.DateTime, nullable=False),
        sa.UniqueConstraint("bsn", "invoer_hash", "ingang", name="uq_verrekening_beslissingen"),
    )
    for column in ("bsn", "gemeente"):
        op.create_index(
            f"ix_verrekening_beslissingen_{column}", "verrekening_beslissingen", [column]
        )
    op.create_table(
        "verrekening_claims",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("soort", sa.String(16), nullable=False),
        sa.Column("factuur", sa.String(200), nullable=False),
        sa.Column("aanbieder", sa.String(8), nullable=False),
        sa.Column("product", sa.String(100), nullable=False),
        sa.Column("jeugdige", sa.String(24), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=True),
        sa.Column("schuldeiser", sa.String(4), nullable=False),
        sa.Column("schuldenaar", sa.String(4), nullable=False),
        sa.Column("van", sa.Date, nullable=False),
        sa.Column("tot", sa.Date, nullable=False),
        sa.Column("bedrag", sa.BigInteger, nullable=False),
        sa.Column("grondslagen", sa.Text, nullable=False),
        sa.Column("ontstaan", sa.Date, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_sinds", sa.Date, nullable=False),
        sa.Column("corrigeert", sa.Text, nullable=False),
        sa.Column("toelichting", sa.Text, nullable=False),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime, nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime, nullable=False),
    )
    for column in ("factuur", "aanbieder", "jeugdige", "bsn", "schuldeiser", "schuldenaar", "status"):
        op.create_index(f"ix_verrekening_claims_{column}", "verrekening_claims", [column])
    op.create_table(
        "verrekening_claim_gebeurtenissen",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "claim_id", sa.String(40), sa.ForeignKey("verrekening_claims.id"), nullable=False
        ),
        sa.Column("van_status", sa.String(16), nullable=True),
        sa.Column("naar_status", sa.String(16), nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("tijdstip", sa.DateTime, nullable=False),
        sa.Column("organisatie", sa.String(40), nullable=False),
        _fk_gebruiker(),
        sa.Column("toelichting", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_verrekening_claim_gebeurtenissen_claim_id",
        "verrekening_claim_gebeurtenissen", ["claim_id"],
    )
    op.create_table(
        "verrekening_salderingen",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("saldi", sa.Text, nullable=False),
        sa.Column("akkoord", sa.Text, nullable=False),
        sa.Column("intern", sa.Text, nullable=False),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("organisatie", sa.String(40), nullable=False),
        _fk_gebruiker(),
        sa.Column("aangemaakt_op", sa.DateTime, nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime, nullable=False),
    )
    op.create_index("ix_verrekening_salderingen_status", "verrekening_salderingen", ["status"])
    op.create_table(
        "verrekening_betalingen",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "saldering_id", sa.Integer, sa.ForeignKey("verrekening_salderingen.id"),
            nullable=False,
        ),
        sa.Column("van", sa.String(4), nullable=False),
        sa.Column("aan", sa.String(4), nullable=False),
        sa.Column("bedrag", sa.BigInteger, nullable=False),
        sa.Column("betaald_op", sa.Date, nullable=True),
    )
    op.create_index(
        "ix_verrekening_betalingen_saldering_id", "verrekening_betalingen", ["saldering_id"]
    )
    op.create_table(
        "verrekening_saldering_claims",
        sa.Column(
            "saldering_id", sa.Integer, sa.ForeignKey("verrekening_salderingen.id"),
            primary_key=True,
        ),
        sa.Column(
            "claim_id", sa.String(40), sa.ForeignKey("verrekening_claims.id"), primary_key=True
        ),
        sa.Column("claim_versie", sa.Integer, nullable=False),
    )
    op.create_table(
        "verrekening_geschillen",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("onderwerp", sa.String(16), nullable=False),
        sa.Column(
            "claim_id", sa.String(40), sa.ForeignKey("verrekening_claims.id"), nullable=True
        ),
        sa.Column("jeugdige", sa.String(24), nullable=True),
        sa.Column("bsn", sa.String(9), nullable=True),
        sa.Column("omschrijving", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("niveau", sa.String(32), nullable=False),
        sa.Column("uitkomst", sa.Text, nullable=True),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("ingediend_door", sa.String(40), nullable=False),
        _fk_gebruiker(),
        sa.Column("ingediend_op", sa.Date, nullable=False),
        sa.Column("opgelost_op", sa.Date, nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime, nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime, nullable=False),
    )
    for column in ("claim_id", "bsn", "status"):
        op.create_index(f"ix_verrekening_geschillen_{column}", "verrekening_geschillen", [column])
    op.create_table(
        "verrekening_geschil_partijen",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "geschil_id", sa.Integer,
            sa.ForeignKey("verrekening_geschillen.id", ondelete="CASCADE"), nullable=False,
        ),
        sa.Column("soort", sa.String(16), nullable=False),
        sa.Column("code", sa.String(8), nullable=False),
        sa.UniqueConstraint("geschil_id", "soort", "code", name="uq_verrekening_geschil_partij"),
    )
    for column in ("geschil_id", "code"):
        op.create_index(
            f"ix_verrekening_geschil_partijen_{column}", "verrekening_geschil_partijen", [column]
        )
    op.create_table(
        "verrekening_geschil_gebeurtenissen",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "geschil_id", sa.Integer,
            sa.ForeignKey("verrekening_geschillen.id", ondelete="CASCADE"), nullable=False,
        ),
        sa.Column("soort", sa.String(16), nullable=False),
        sa.Column("van_niveau", sa.String(32), nullable=True),
        sa.Column("naar_niveau", sa.String(32), nullable=True),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("tijdstip", sa.DateTime, nullable=False),
        sa.Column("organisatie", sa.String(40), nullable=False),
        _fk_gebruiker(),
        sa.Column("toelichting", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_verrekening_geschil_gebeurtenissen_geschil_id",
        "verrekening_geschil_gebeurtenissen", ["geschil_id"],
    )


def downgrade() -> None:
    for table in (
        "verrekening_geschil_gebeurtenissen",
        "verrekening_geschil_partijen",
        "verrekening_geschillen",
        "verrekening_saldering_claims",
        "verrekening_betalingen",
        "verrekening_salderingen",
        "verrekening_claim_gebeurtenissen",
        "verrekening_claims",
        "verrekening_beslissingen",
        "verrekening_facturen",
        "verrekening_imports",
        "ijw_nummering",
        "ijw_berichten",
    ):
        op.drop_table(table)
