"""Initial schema: organisations, users, tokens, uploads, transfers, tasks, audit log.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64
_OPEN_SQL = "status IN ('aangeleverd', 'geaccepteerd', 'afgewezen')"


def upgrade() -> None:
    op.create_table(
        "organisaties",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("soort", sa.String(16), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("naam", sa.String(200), nullable=False),
        sa.UniqueConstraint("soort", "code", name="uq_organisaties_soort_code"),
    )
    op.create_table(
        "gebruikers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisatie_id", sa.Integer, sa.ForeignKey("organisaties.id"), nullable=False),
        sa.Column("gebruikersnaam", sa.String(100), nullable=False, unique=True),
        sa.Column("naam", sa.String(200), nullable=False),
        sa.Column("wachtwoord_hash", sa.String(255), nullable=False),
        sa.Column("actief", sa.Boolean, nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime, nullable=False),
    )
    op.create_index("ix_gebruikers_organisatie_id", "gebruikers", ["organisatie_id"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("gebruiker_id", sa.Integer, sa.ForeignKey("gebruikers.id"), nullable=False),
        sa.Column("omschrijving", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("aangemaakt_op", sa.DateTime, nullable=False),
        sa.Column("verloopt_op", sa.DateTime, nullable=True),
        sa.Column("ingetrokken_op", sa.DateTime, nullable=True),
    )
    op.create_index("ix_api_tokens_gebruiker_id", "api_tokens", ["gebruiker_id"])
    op.create_table(
        "aanleveringen",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("gemeente", sa.String(4), nullable=False),
        sa.Column("gebruiker_id", sa.Integer, sa.ForeignKey("gebruikers.id"), nullable=True),
        sa.Column("tijdstip", sa.DateTime, nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("bestandsnaam", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("regels_totaal", sa.Integer, nullable=False),
        sa.Column("regels_opgeslagen", sa.Integer, nullable=False),
        sa.Column("regels_afgewezen", sa.Integer, nullable=False),
    )
    op.create_index("ix_aanleveringen_gemeente", "aanleveringen", ["gemeente"])
    op.create_table(
        "overdrachten",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("latende_gemeente", sa.String(4), nullable=False),
        sa.Column("ontvangende_gemeente", sa.String(4), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("geboortedatum", sa.Date, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("aanleverdatum", sa.Date, nullable=False),
        sa.Column("aanlevering_id", sa.Integer, sa.ForeignKey("aanleveringen.id"), nullable=True),
        sa.Column("geaccepteerd_op", sa.Date, nullable=True),
        sa.Column("afgewezen_op", sa.Date, nullable=True),
        sa.Column("onderbouwing", sa.Text, nullable=True),
        sa.Column("onderbouwing_beslissing", sa.Text, nullable=True),
        sa.Column("afgerond_op", sa.Date, nullable=True),
        sa.Column("toewijzing_ingangsdatum", sa.Date, nullable=True),
        sa.Column("toewijzing_referentie", sa.String(100), nullable=True),
        sa.Column("doorgestuurd_op", sa.Date, nullable=True),
        sa.Column("vorige_id", sa.Integer, sa.ForeignKey("overdrachten.id"), nullable=True),
        sa.Column("volgende_id", sa.Integer, sa.ForeignKey("overdrachten.id"), nullable=True),
        sa.Column("brp_document", sa.Text, nullable=True),
        sa.Column("brp_bron", sa.String(32), nullable=True),
        sa.Column("brp_ontvangen_op", sa.DateTime, nullable=True),
        sa.Column("woonplaats_beslissing", sa.Text, nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime, nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime, nullable=False),
    )
    op.create_index("ix_overdrachten_latende_gemeente", "overdrachten", ["latende_gemeente"])
    op.create_index("ix_overdrachten_ontvangende_gemeente", "overdrachten", ["ontvangende_gemeente"])
    op.create_index("ix_overdrachten_bsn", "overdrachten", ["bsn"])
    op.create_index("ix_overdrachten_status", "overdrachten", ["status"])
    op.create_index(
        "uq_overdrachten_open_jeugdige",
        "overdrachten",
        ["latende_gemeente", "bsn"],
        unique=True,
        sqlite_where=sa.text(_OPEN_SQL),
        postgresql_where=sa.text(_OPEN_SQL),
    )
    op.create_table(
        "overdracht_regels",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "overdracht_id",
            sa.Integer,
            sa.ForeignKey("overdrachten.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("aanbieder_agb", sa.String(8), nullable=False),
        sa.Column("product", sa.String(100), nullable=False),
        sa.Column("toewijzing_einddatum", sa.Date, nullable=False),
        sa.Column("pgb", sa.Boolean, nullable=False),
        sa.Column("aanleverdatum", sa.Date, nullable=False),
        sa.Column("aanlevering_id", sa.Integer, sa.ForeignKey("aanleveringen.id"), nullable=True),
        sa.UniqueConstraint(
            "overdracht_id", "aanbieder_agb", "product", name="uq_overdracht_regels_product"
        ),
    )
    op.create_index("ix_overdracht_regels_overdracht_id", "overdracht_regels", ["overdracht_id"])
    op.create_index("ix_overdracht_regels_aanbieder_agb", "overdracht_regels", ["aanbieder_agb"])
    op.create_table(
        "overdracht_gebeurtenissen",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "overdracht_id",
            sa.Integer,
            sa.ForeignKey("overdrachten.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("tijdstip", sa.DateTime, nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("soort", sa.String(32), nullable=False),
        sa.Column("van_status", sa.String(16), nullable=True),
        sa.Column("naar_status", sa.String(16), nullable=True),
        sa.Column("organisatie", sa.String(40), nullable=False),
        sa.Column("gebruiker_id", sa.Integer, sa.ForeignKey("gebruikers.id"), nullable=True),
        sa.Column("toelichting", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_overdracht_gebeurtenissen_overdracht_id", "overdracht_gebeurtenissen", ["overdracht_id"]
    )
    op.create_table(
        "taak_statussen",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "overdracht_id",
            sa.Integer,
            sa.ForeignKey("overdrachten.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("partij_code", sa.String(40), nullable=False),
        sa.Column("taak", sa.String(64), nullable=False),
        sa.Column("gedaan", sa.Boolean, nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime, nullable=False),
        sa.Column("gebruiker_id", sa.Integer, sa.ForeignKey("gebruikers.id"), nullable=True),
        sa.UniqueConstraint("overdracht_id", "partij_code", "taak", name="uq_taak_statussen_taak"),
    )
    op.create_index("ix_taak_statussen_overdracht_id", "taak_statussen", ["overdracht_id"])
    op.create_table(
        "audit_log",
        sa.Column("volgnummer", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("tijdstip", sa.DateTime, nullable=False),
        sa.Column("gebruiker_id", sa.Integer, nullable=True),
        sa.Column("gebruikersnaam", sa.String(100), nullable=False),
        sa.Column("organisatie", sa.String(40), nullable=False),
        sa.Column("actie", sa.String(64), nullable=False),
        sa.Column("overdracht_id", sa.Integer, nullable=True),
        sa.Column("bsn", sa.String(9), nullable=True),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("vorige_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_log_overdracht_id", "audit_log", ["overdracht_id"])
    op.create_index("ix_audit_log_bsn", "audit_log", ["bsn"])
    kop = op.create_table(
        "audit_kop",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("volgnummer", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(kop, [{"id": 1, "volgnummer": 0, "hash": GENESIS_HASH}])
    _append_only_triggers()


def _append_only_triggers() -> None:
    """The audit log takes inserts only; changing or deleting an entry is refused by the database.

    The hash chain still detects tampering by someone who drops these triggers first.
    """
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    for table in (
        "audit_kop",
        "audit_log",
        "taak_statussen",
        "overdracht_gebeurtenissen",
        "overdracht_regels",
        "overdrachten",
        "aanleveringen",
        "api_tokens",
        "gebruikers",
        "organisaties",
    ):
        op.drop_table(table)
