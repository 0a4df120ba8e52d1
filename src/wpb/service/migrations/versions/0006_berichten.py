"""iJw messages, round two (issues 18 and 19).

- S2: the uniqueness key of a message includes the submitting party (``organisatie``), so
  one party can never squat another's identification.
- Retourberichten: ``ijw_berichten.retour`` keeps what a retourbericht says (JSON).
- Retourberichten get their own counter (``ijw_nummering`` 'retour').

On SQLite the constraint change recreates the table (batch mode, with the links
between its rows set aside meanwhile); PostgreSQL alters it.

Revision ID: 0006_berichten
Revises: 0005_verrekening_svc
Create Date: 2026-12-07
"""

from __future__ import annotations

from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0006_berichten"
down_revision = "0005_verrekening_svc"
branch_labels = None
depends_on = None


@contextmanager
def _links_set_aside():
    """SQLite recreates the table to change its constraint, and dropping the old table
    would break the links from answers to requests (``antwoord_op_id``, a key into the same
    table). The links are kept aside meanwhile and put back on the new table."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("CREATE TEMPORARY TABLE ijw_links AS SELECT id, antwoord_op_id "
                   "FROM ijw_berichten WHERE antwoord_op_id IS NOT NULL")
        op.execute("UPDATE ijw_berichten SET antwoord_op_id = NULL")
    yield
    if sqlite:
        op.execute("UPDATE ijw_berichten SET antwoord_op_id = (SELECT l.antwoord_op_id "
                   "FROM ijw_links l WHERE l.id = ijw_berichten.id) "
                   "WHERE id IN (SELECT id FROM ijw_links)")
        op.execute("DROP TABLE ijw_links")


def upgrade() -> None:
    with _links_set_aside(), op.batch_alter_table("ijw_berichten") as batch:
        batch.drop_constraint("uq_ijw_berichten_sleutel", type_="unique")
        batch.create_unique_constraint(
            "uq_ijw_berichten_sleutel_indiener",
            ["berichttype", "afzender", "identificatie", "organisatie"],
        )
        batch.add_column(sa.Column("retour", sa.Text, nullable=True))
    nummering = sa.table("ijw_nummering", sa.column("soort", sa.String), sa.column("laatste", sa.Integer))
    op.bulk_insert(nummering, [{"soort": "retour", "laatste": 0}])


def downgrade() -> None:
    op.execute("DELETE FROM ijw_nummering WHERE soort = 'retour'")
    with _links_set_aside(), op.batch_alter_table("ijw_berichten") as batch:
        batch.drop_column("retour")
        batch.drop_constraint("uq_ijw_berichten_sleutel_indiener", type_="unique")
        batch.create_unique_constraint(
            "uq_ijw_berichten_sleutel", ["berichttype", "afzender", "identificatie"]
        )
