"""A keyed audit chain and a stronger guard (issue 9, finding F5).

- ``audit_log.sleutel``: the fingerprint of the audit key an entry's HMAC was made with
  (NULL for the unkeyed entries written before, which keep their hashes).
- PostgreSQL: ``TRUNCATE`` on ``audit_log`` is refused too (row triggers do not fire on
  it), and ``audit_kop`` refuses DELETE and TRUNCATE.
- Both: the head's number may only grow, so resetting the head to hide a removed tail
  needs the guard dropped first.

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


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("sleutel", sa.String(16), nullable=True))
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE TRIGGER audit_kop_no_delete BEFORE DELETE ON audit_kop "
            "BEGIN SELECT RAISE(ABORT, 'audit_kop cannot be removed'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_kop_only_forward BEFORE UPDATE ON audit_kop "
            "WHEN NEW.volgnummer < OLD.volgnummer OR NEW.id <> OLD.id "
            "BEGIN SELECT RAISE(ABORT, 'audit_kop only moves forward'); END"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )
        op.execute(
            "CREATE FUNCTION audit_kop_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF TG_OP = 'UPDATE' AND NEW.volgnummer >= OLD.volgnummer AND NEW.id = OLD.id THEN "
            "RETURN NEW; END IF; "
            "RAISE EXCEPTION 'audit_kop only moves forward'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_kop_guard BEFORE UPDATE OR DELETE ON audit_kop "
            "FOR EACH ROW EXECUTE FUNCTION audit_kop_guard()"
        )
        op.execute(
            "CREATE TRIGGER audit_kop_no_truncate BEFORE TRUNCATE ON audit_kop "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_kop_guard()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_kop_no_delete")
        op.execute("DROP TRIGGER IF EXISTS audit_kop_only_forward")
        # SQLite cannot drop a column that a trigger's table has without a rebuild; keep it
        # simple: batch mode rebuilds the table, the append-only triggers are made again.
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
        with op.batch_alter_table("audit_log") as batch:
            batch.drop_column("sleutel")
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )
        return
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_kop_no_truncate ON audit_kop")
        op.execute("DROP TRIGGER IF EXISTS audit_kop_guard ON audit_kop")
        op.execute("DROP FUNCTION IF EXISTS audit_kop_guard()")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    op.drop_column("audit_log", "sleutel")
