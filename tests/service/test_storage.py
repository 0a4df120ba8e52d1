"""Storage on both databases: migrations from empty, the schema, database-level guarantees."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from wpb.service import migrations
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.db import make_engine, make_sessionmaker, normalise_url, transaction
from wpb.service.tables import metadata

TABLES = {
    "organisaties", "gebruikers", "api_tokens", "aanleveringen", "overdrachten",
    "overdracht_regels", "overdracht_gebeurtenissen", "taak_statussen", "audit_log", "audit_kop",
}


def test_migrate_up_from_empty(db_url):
    engine = make_engine(db_url)
    try:
        assert migrations.current_revision(engine) is None
        migrations.upgrade(engine)
        assert migrations.is_up_to_date(engine)
        assert set(inspect(engine).get_table_names()) >= TABLES
        # Running it again on an up-to-date database changes nothing.
        migrations.upgrade(engine)
        assert migrations.current_revision(engine) == migrations.head_revision(engine)
    finally:
        engine.dispose()


def test_migrations_go_down_and_up_again(db_url):
    engine = make_engine(db_url)
    try:
        migrations.upgrade(engine)
        migrations.downgrade(engine, "base")
        assert not TABLES & set(inspect(engine).get_table_names())
        migrations.upgrade(engine)
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models(engine):
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []


def _transfer(bsn: str, status: str, latende: str = "0344") -> Overdracht:
    now = datetime(2021, 10, 1, 9)
    return Overdracht(
        latende_gemeente=latende, ontvangende_gemeente="0307", bsn=bsn,
        geboortedatum=date(2010, 1, 1), status=status, versie=1,
        aanleverdatum=date(2021, 10, 1), aangemaakt_op=now, gewijzigd_op=now,
    )


def test_one_open_transfer_per_youth_per_latende_gemeente(engine):
    """The partial unique index stops a second open transfer, also past the service layer."""
    factory = make_sessionmaker(engine)
    with transaction(factory) as session:
        session.add(_transfer("999990019", "afgerond"))
        session.add(_transfer("999990019", "aangeleverd"))
        session.add(_transfer("999990019", "aangeleverd", latende="0355"))
    with pytest.raises(IntegrityError), transaction(factory) as session:
        session.add(_transfer("999990019", "geaccepteerd"))


def test_audit_log_refuses_update_and_delete(engine):
    factory = make_sessionmaker(engine)
    from wpb.service.audit import trail as audit

    with transaction(factory) as session:
        audit.record(session, None, "test", bsn="999990019")
    for statement in (
        "UPDATE audit_log SET actie = 'anders'",
        "DELETE FROM audit_log",
    ):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    with transaction(factory) as session:
        assert audit.verify_chain(session).intact


def test_foreign_keys_are_enforced(engine):
    factory = make_sessionmaker(engine)
    with pytest.raises(IntegrityError), transaction(factory) as session:
        session.execute(
            text(
                "INSERT INTO overdracht_regels (overdracht_id, aanbieder_agb, product, "
                "toewijzing_einddatum, pgb, aanleverdatum) VALUES (424242, '99000011', 'x', "
                "'2021-12-31', false, '2021-10-01')"
            )
        )


def test_postgres_url_gets_the_psycopg_driver():
    assert normalise_url("postgresql://u:p@h:5432/db").startswith("postgresql+psycopg://u:p@h")
    assert normalise_url("postgres://h/db").startswith("postgresql+psycopg://")
    assert normalise_url("sqlite:///x.sqlite") == "sqlite:///x.sqlite"
