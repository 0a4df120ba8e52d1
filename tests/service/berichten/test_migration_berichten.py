"""Migration 0006_berichten on a filled database, SQLite and PostgreSQL: the messages stay
(with their answers' links), the key then includes the submitting party (S2), and it can
be undone."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from wpb.service import migrations
from wpb.service.db import make_engine

_ROW = ("INSERT INTO ijw_berichten (id, berichttype, afzender, identificatie, inhoud_hash, "
        "ontvangen_op, bron, xsd_gecontroleerd, organisatie, status, versie, antwoord_op_id) "
        "VALUES (:id, :type, :afzender, 'ID0000000001', 'h', :op, 'ingediend', false, :org, "
        "'ontvangen', 1, :antwoord)")


def _insert(conn, id_: int, type_: str, afzender: str, org: str, antwoord: int | None = None):
    conn.execute(text(_ROW), {"id": id_, "type": type_, "afzender": afzender,
                              "op": datetime(2026, 4, 2), "org": org, "antwoord": antwoord})


def test_the_migration_keeps_messages_and_adds_the_submitter_to_the_key(db_url):
    engine = make_engine(db_url)
    try:
        migrations.upgrade(engine, "0004")
        with engine.begin() as conn:
            _insert(conn, 1, "JW315", "42420001", "aanbieder:42420001")
            _insert(conn, 2, "JW319", "0307", "gemeente:0307", antwoord=1)
        migrations.upgrade(engine, "0008_overdrachten")  # before the public ids
        with engine.begin() as conn:
            rows = conn.execute(text("SELECT id, antwoord_op_id, retour FROM ijw_berichten "
                                     "ORDER BY id")).all()
            assert [tuple(r) for r in rows] == [(1, None, None), (2, 1, None)]
            # Same type, sender and identification from another submitter: another message.
            _insert(conn, 3, "JW315", "42420001", "gemeente:0307")
        with pytest.raises(IntegrityError), engine.begin() as conn:
            _insert(conn, 4, "JW315", "42420001", "aanbieder:42420001")
        assert "retour" in {c["name"] for c in inspect(engine).get_columns("ijw_berichten")}
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM ijw_berichten WHERE id = 3"))
        migrations.downgrade(engine, "0004")
        assert "retour" not in {c["name"] for c in inspect(engine).get_columns("ijw_berichten")}
        with engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM ijw_berichten")).scalar_one() == 2
    finally:
        engine.dispose()

