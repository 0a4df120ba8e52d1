"""The audit log: append-only, a hash chain that shows tampering, never in application logs."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest
from sqlalchemy import text

from wpb.service import audit
from wpb.service.db import transaction
from wpb.service.models import AuditKop, AuditRegel

from .helpers import deliver, row


def _entries(factory, n: int = 5) -> None:
    with transaction(factory) as session:
        for i in range(n):
            audit.record(
                session, None, "test.lezen", overdracht_id=i, bsn="999990019",
                details={"i": i}, now=datetime(2021, 10, 15, 12, 0, i),
            )


def _drop_guard(engine) -> None:
    """What an attacker with database rights would do first."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER audit_log_no_update"))
            connection.execute(text("DROP TRIGGER audit_log_no_delete"))
        else:
            connection.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))


def test_chain_of_a_normal_log_is_intact(factory):
    _entries(factory)
    with transaction(factory) as session:
        report = audit.verify_chain(session)
        rows = session.query(AuditRegel).order_by(AuditRegel.volgnummer).all()
        head = session.get(AuditKop, 1)
    assert report.intact and report.entries == 5
    assert [r.volgnummer for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].vorige_hash == audit.GENESIS_HASH
    assert all(b.vorige_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    assert (head.volgnummer, head.hash) == (5, rows[-1].hash)


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        ("UPDATE audit_log SET bsn = '999990020' WHERE volgnummer = 3", "regel 3: inhoud past niet"),
        ("UPDATE audit_log SET tijdstip = '2021-10-16 00:00:00' WHERE volgnummer = 2", "regel 2: inhoud"),
        ("DELETE FROM audit_log WHERE volgnummer = 3", "regel 4: volgnummer verwacht 3"),
        ("DELETE FROM audit_log WHERE volgnummer = 5", "kop: laatste volgnummer 5"),
    ],
)
def test_tampering_is_detected(engine, factory, tamper, expected):
    _entries(factory)
    _drop_guard(engine)
    with engine.begin() as connection:
        connection.execute(text(tamper))
    with transaction(factory) as session:
        report = audit.verify_chain(session)
    assert not report.intact
    assert any(expected in p for p in report.problems), report.problems
    assert not any("999990" in p for p in report.problems)  # reports name entries, not data


def test_recomputed_hash_after_a_change_still_breaks_the_link(engine, factory):
    """Rewriting an entry and its own hash leaves the next entry pointing at the old hash."""
    _entries(factory)
    _drop_guard(engine)
    with transaction(factory) as session:
        r = session.get(AuditRegel, 2)
        new_details = '{"i":99}'
        new_hash = audit.entry_hash(
            r.vorige_hash, r.volgnummer, r.tijdstip, r.gebruiker_id, r.gebruikersnaam, r.organisatie,
            r.actie, r.overdracht_id, r.bsn, new_details,
        )
        r.details, r.hash = new_details, new_hash
    with transaction(factory) as session:
        problems = audit.verify_chain(session).problems
    assert problems == ("regel 3: verwijst niet naar de hash van de vorige regel",)


def test_the_audit_log_never_reaches_the_application_log(sqlite_factory, sqlite_tenants, ctx, caplog):
    with caplog.at_level(logging.DEBUG):
        deliver(sqlite_factory, sqlite_tenants.a, ctx, [row()])
    assert "999990019" not in caplog.text
