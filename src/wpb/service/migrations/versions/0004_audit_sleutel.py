"""The audit log sealed after the fact, with an optional key (issue 9, findings F4 and F5).

Before, a request chained its own audit entries while holding the chain's head row, so
all audited requests queued behind one lock (F4). Now a request only inserts its entries
(in its own transaction, so they stand or fall with its work); a sealer assigns each
entry its place in the chain (``volgnummer``) and its hash shortly afterwards.

- ``audit_log.id``: the new primary key, in order of insertion (existing entries keep
  their number as id).
- ``volgnummer``, ``vorige_hash``, ``hash``: empty until sealed; unique place in the chain.
- ``sleutel``: the fingerprint of the audit key an entry's HMAC was made with (NULL for
  an unkeyed hash; the entries written before keep their hashes).
- The guard: an entry may be changed once, from unsealed to sealed, and only in those
  columns; never deleted; ``TRUNCATE`` refused on PostgreSQL (row triggers do not see
  it). The head (``audit_kop``) can only move forward and cannot be removed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The columns that make an entry's content; sealing may not touch them.
CONTENT = ("id", "tijdstip", "gebruiker_id", "gebruikersnaam", "organisatie", "actie",
           "overdracht_id", "bsn", "details")


# The columns of an entry before this revision, in both directions of the SQLite copy.
OLD_COLUMNS = ("volgnummer", "tijdstip", "gebruiker_id", "gebruikersnaam", "organisatie", "actie",
               "overdracht_id", "bsn", "details", "vorige_hash", "hash")
_OLD = ", ".join(OLD_COLUMNS)


def _entry_columns(*, sealed: bool) -> list[sa.Column]:
    """An entry's content and chain columns; the chain ones required only when every entry
    is ``sealed`` (before this revision)."""
    return [
        sa.Column("tijdstip", sa.DateTime, nullable=False),
        sa.Column("gebruiker_id", sa.Integer, nullable=True),
        sa.Column("gebruikersnaam", sa.String(100), nullable=False),
        sa.Column("organisatie", sa.String(40), nullable=False),
        sa.Column("actie", sa.String(64), nullable=False),
        sa.Column("overdracht_id", sa.Integer, nullable=True),
        sa.Column("bsn", sa.String(9), nullable=True),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("vorige_hash", sa.String(64), nullable=not sealed),
        sa.Column("hash", sa.String(64), nullable=not sealed),
    ]


def _rebuild(name: str, columns: list, copy: str) -> None:
    """SQLite: make table ``name``, copy the entries into it (``INSERT INTO name copy FROM
    audit_log``) and put it in audit_log's place, with audit_log's indexes."""
    op.create_table(name, *columns)
    op.execute(f"INSERT INTO {name} {copy} FROM audit_log")
    op.drop_index("ix_audit_log_overdracht_id", "audit_log")
    op.drop_index("ix_audit_log_bsn", "audit_log")
    op.drop_table("audit_log")
    op.rename_table(name, "audit_log")
    op.create_index("ix_audit_log_overdracht_id", "audit_log", ["overdracht_id"])
    op.create_index("ix_audit_log_bsn", "audit_log", ["bsn"])


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_postgresql()
    else:
        _upgrade_sqlite()
    op.create_index("ix_audit_log_onverzegeld", "audit_log", ["id"],
                    postgresql_where=sa.text("volgnummer IS NULL"),
                    sqlite_where=sa.text("volgnummer IS NULL"))


def _upgrade_postgresql() -> None:
    op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
    op.execute("DROP FUNCTION audit_log_append_only()")
    op.execute("ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey")
    op.execute("ALTER TABLE audit_log ADD COLUMN id BIGINT")
    op.execute("UPDATE audit_log SET id = volgnummer")
    op.execute("CREATE SEQUENCE audit_log_id_seq OWNED BY audit_log.id")
    op.execute("SELECT setval('audit_log_id_seq', coalesce((SELECT max(id) FROM audit_log), 0) + 1, false)")
    op.execute("ALTER TABLE audit_log ALTER COLUMN id SET DEFAULT nextval('audit_log_id_seq'), "
               "ALTER COLUMN id SET NOT NULL, ADD PRIMARY KEY (id), "
               "ALTER COLUMN volgnummer DROP NOT NULL, ALTER COLUMN vorige_hash DROP NOT NULL, "
               "ALTER COLUMN hash DROP NOT NULL, ADD COLUMN sleutel VARCHAR(16), "
               "ADD CONSTRAINT uq_audit_log_volgnummer UNIQUE (volgnummer)")
    same = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in CONTENT)
    op.execute(
        "CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'UPDATE' AND OLD.volgnummer IS NULL AND NEW.volgnummer IS NOT NULL "
        f"AND NEW.hash IS NOT NULL AND {same} THEN RETURN NEW; END IF; "
        "RAISE EXCEPTION 'audit_log is append-only'; END $$"
    )
    op.execute("CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON audit_log "
               "FOR EACH ROW EXECUTE FUNCTION audit_log_guard()")
    op.execute("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
               "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_guard()")
    op.execute(
        "CREATE FUNCTION audit_kop_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'UPDATE' AND NEW.volgnummer >= OLD.volgnummer AND NEW.id = OLD.id THEN "
        "RETURN NEW; END IF; "
        "RAISE EXCEPTION 'audit_kop only moves forward'; END $$"
    )
    op.execute("CREATE TRIGGER audit_kop_guard BEFORE UPDATE OR DELETE ON audit_kop "
               "FOR EACH ROW EXECUTE FUNCTION audit_kop_guard()")
    op.execute("CREATE TRIGGER audit_kop_no_truncate BEFORE TRUNCATE ON audit_kop "
               "FOR EACH STATEMENT EXECUTE FUNCTION audit_kop_guard()")


def _upgrade_sqlite() -> None:
    # SQLite cannot change a primary key in place: build the new table and copy.
    op.execute("DROP TRIGGER audit_log_no_update")
    op.execute("DROP TRIGGER audit_log_no_delete")
    _rebuild(
        "audit_log_nieuw",
        [sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("volgnummer", sa.Integer, nullable=True),
         *_entry_columns(sealed=False),
         sa.Column("sleutel", sa.String(16), nullable=True),
         sa.UniqueConstraint("volgnummer", name="uq_audit_log_volgnummer")],
        f"(id, {_OLD}) SELECT volgnummer, {_OLD}",
    )
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT)
    op.execute("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
               "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
    op.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
               f"WHEN OLD.volgnummer IS NOT NULL OR NEW.volgnummer IS NULL OR NEW.hash IS NULL OR {changed} "
               "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
    op.execute("CREATE TRIGGER audit_kop_no_delete BEFORE DELETE ON audit_kop "
               "BEGIN SELECT RAISE(ABORT, 'audit_kop cannot be removed'); END")
    op.execute("CREATE TRIGGER audit_kop_only_forward BEFORE UPDATE ON audit_kop "
               "WHEN NEW.volgnummer < OLD.volgnummer OR NEW.id <> OLD.id "
               "BEGIN SELECT RAISE(ABORT, 'audit_kop only moves forward'); END")


def downgrade() -> None:
    """Back to entries chained by the request. Unsealed entries have no place there, so
    the downgrade refuses while any are waiting (``wpb audit seal`` first). Keyed entries
    keep their HMAC; the older ``wpb audit verify`` cannot check those."""
    bind = op.get_bind()
    waiting = bind.execute(sa.text("SELECT count(*) FROM audit_log WHERE volgnummer IS NULL")).scalar()
    if waiting:
        raise RuntimeError(f"{waiting} auditregels zijn nog niet verzegeld; draai eerst `wpb audit seal`")
    op.drop_index("ix_audit_log_onverzegeld", "audit_log")
    if bind.dialect.name == "postgresql":
        for statement in (
            "DROP TRIGGER audit_kop_no_truncate ON audit_kop", "DROP TRIGGER audit_kop_guard ON audit_kop",
            "DROP FUNCTION audit_kop_guard()", "DROP TRIGGER audit_log_no_truncate ON audit_log",
            "DROP TRIGGER audit_log_guard ON audit_log", "DROP FUNCTION audit_log_guard()",
            "ALTER TABLE audit_log DROP CONSTRAINT uq_audit_log_volgnummer, "
            "DROP CONSTRAINT audit_log_pkey, DROP COLUMN id, DROP COLUMN sleutel, "
            "ALTER COLUMN volgnummer SET NOT NULL, ALTER COLUMN vorige_hash SET NOT NULL, "
            "ALTER COLUMN hash SET NOT NULL, ADD PRIMARY KEY (volgnummer)",
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
        ):
            op.execute(statement)
        return
    for trigger in ("audit_log_no_delete", "audit_log_no_update", "audit_kop_no_delete",
                    "audit_kop_only_forward"):
        op.execute(f"DROP TRIGGER {trigger}")
    _rebuild(
        "audit_log_oud",
        [sa.Column("volgnummer", sa.Integer, primary_key=True, autoincrement=False),
         *_entry_columns(sealed=True)],
        f"({_OLD}) SELECT {_OLD}",
    )
    for event in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                   "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
