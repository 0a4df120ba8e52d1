"""Today's transfers (issue 16) and the upload format of issue 20: ``vanaf`` and a running
toewijzing; upload file names no longer kept (issue 19, S9).

- ``overdrachten.vanaf``: the day from which the ontvangende gemeente is responsible under
  the law; NULL for the transfers of the 2021/22 migratiegroep (all existing ones).
- ``overdracht_regels.toewijzing_einddatum`` may be NULL: a toewijzing that runs on.
- ``aanleveringen.bestandsnaam`` and the timeline text of delivered transfers held the name
  the user gave the file, which may hold a BSN; both now carry a neutral label made of the
  start of the file's sha256. (Audit entries are sealed and stay as they are.)

Revision ID: 0008_overdrachten
Revises: 0007_caseload_svc
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_overdrachten"
down_revision = "0007_caseload_svc"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("overdrachten", sa.Column("vanaf", sa.Date, nullable=True))
    with op.batch_alter_table("overdracht_regels") as batch:
        batch.alter_column("toewijzing_einddatum", existing_type=sa.Date, nullable=True)
    connection = op.get_bind()
    connection.execute(sa.text(
        "UPDATE aanleveringen SET bestandsnaam = 'bestand ' || substr(sha256, 1, 12)"))
    events = connection.execute(sa.text(
        "SELECT g.id, g.soort, g.toelichting, a.sha256 FROM overdracht_gebeurtenissen g "
        "JOIN overdrachten o ON o.id = g.overdracht_id "
        "LEFT JOIN aanleveringen a ON a.id = o.aanlevering_id "
        "WHERE (g.soort = 'aangeleverd' AND g.toelichting LIKE 'aangeleverd in %') "
        "OR (g.soort = 'aangevuld' AND g.toelichting LIKE 'regels toegevoegd uit %')"
    )).all()
    for event_id, soort, toelichting, sha256 in events:
        if soort == "aangeleverd":
            text = f"aangeleverd in bestand {sha256[:12]}" if sha256 else "aangeleverd"
        else:
            _, _, rest = toelichting.partition("; aanleverdatum blijft")
            text = "regels toegevoegd uit een later bestand" + (
                f"; aanleverdatum blijft{rest}" if rest else "")
        connection.execute(
            sa.text("UPDATE overdracht_gebeurtenissen SET toelichting = :t WHERE id = :id"),
            {"t": text, "id": event_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("overdracht_regels") as batch:
        batch.alter_column("toewijzing_einddatum", existing_type=sa.Date, nullable=False)
    op.drop_column("overdrachten", "vanaf")
