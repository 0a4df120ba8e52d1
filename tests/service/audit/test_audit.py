"""The audit log: append-only, a hash chain that shows tampering, never in application logs."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest
from sqlalchemy import text

from wpb.service.audit import trail as audit
from wpb.service.audit.models import AuditKop, AuditRegel
from wpb.service.db import make_sessionmaker, transaction

from ..helpers import deliver, row


def _entries(factory, n: int = 5, *, key=None, start: int = 0) -> None:
    """``n`` entries, recorded and then sealed (with ``key``)."""
    with transaction(factory) as session:
        for i in range(start, start + n):
            audit.record(
                session, None, "test.lezen", overdracht_id=i, bsn="999990019",
                details={"i": i}, now=datetime(2021, 10, 15, 12, 0, i),
            )
    audit.seal_all(factory, key)


def _drop_guard(engine) -> None:
    """What an attacker with database rights would do first."""
    with engine.begin() as connection:
        for trigger, table in audit.GUARD_TRIGGERS[engine.dialect.name]:
            on = f" ON {table}" if engine.dialect.name == "postgresql" else ""
            connection.execute(text(f"DROP TRIGGER {trigger}{on}"))


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


# --- the keyed chain (WPB_AUDIT_SLEUTEL) and anchors outside the database (finding F5) ----------

KEY = audit.AuditKey.from_text("k" * 40)
OLD_KEY = audit.AuditKey.from_text("o" * 40)
ATTACKER_KEY = audit.AuditKey.from_text("a" * 40)


def _keyed_entries(engine, key, n: int = 5, start: int = 0) -> None:
    _entries(make_sessionmaker(engine), n, key=key, start=start)


def _rewrite_from(engine, first: int, key, label: str | None) -> None:
    """Someone with write access (guard dropped) changes entry ``first`` and recomputes the
    chain from there on, head included, with ``key`` (None: unkeyed) labelled ``label``."""
    _drop_guard(engine)
    with engine.begin() as connection:
        rows = connection.execute(text(
            "SELECT volgnummer, tijdstip, gebruiker_id, gebruikersnaam, organisatie, actie, "
            "overdracht_id, bsn, details, vorige_hash FROM audit_log ORDER BY volgnummer")).all()
        vorige = None
        for r in rows:
            if r.volgnummer < first:
                continue
            vorige = vorige or r.vorige_hash
            details = '{"i":99}' if r.volgnummer == first else r.details
            tijdstip = r.tijdstip if isinstance(r.tijdstip, datetime) else datetime.fromisoformat(r.tijdstip)
            digest = audit.entry_hash(vorige, r.volgnummer, tijdstip, r.gebruiker_id, r.gebruikersnaam,
                                      r.organisatie, r.actie, r.overdracht_id, r.bsn, details, key)
            connection.execute(
                text("UPDATE audit_log SET details = :d, vorige_hash = :v, hash = :h, sleutel = :s "
                     "WHERE volgnummer = :n"),
                {"d": details, "v": vorige, "h": digest, "s": label, "n": r.volgnummer})
            vorige = digest
        connection.execute(text("UPDATE audit_kop SET hash = :h WHERE id = 1"), {"h": vorige})


def test_keyed_entries_carry_the_key_fingerprint_and_verify_with_the_key(engine, factory):
    _keyed_entries(engine, KEY)
    with transaction(factory) as session:
        rows = session.query(AuditRegel).order_by(AuditRegel.volgnummer).all()
        report = audit.verify_chain(session, [KEY])
        without_key = audit.verify_chain(session)
    assert {r.sleutel for r in rows} == {KEY.fingerprint}
    assert KEY.fingerprint != ATTACKER_KEY.fingerprint and "k" * 40 not in KEY.fingerprint
    assert report.intact and report.entries == report.keyed == 5
    assert without_key.problems[0] == f"regel 1: gemaakt met sleutel {KEY.fingerprint}, die niet is opgegeven"


def test_a_keyed_hash_differs_from_the_plain_hash_of_the_same_entry():
    args = (audit.GENESIS_HASH, 1, datetime(2021, 10, 15), 1, "u", "gemeente:0344", "x", 1, None, "{}")
    plain, keyed, other = audit.entry_hash(*args), audit.entry_hash(*args, KEY), audit.entry_hash(*args, ATTACKER_KEY)
    assert len({plain, keyed, other}) == 3


@pytest.mark.parametrize(
    ("key", "label", "expected"),
    [
        # Without the key the rewriter can only make unkeyed hashes ...
        (None, None, "regel 3: zonder sleutel na regels met sleutel"),
        # ... or keyed ones under a key of their own, relabelled as the real key.
        (ATTACKER_KEY, KEY.fingerprint, "regel 3: inhoud past niet bij de opgeslagen hash"),
    ],
)
def test_a_rewrite_of_a_keyed_chain_from_an_entry_onward_is_found(engine, factory, key, label, expected):
    _keyed_entries(engine, KEY)
    _rewrite_from(engine, 3, key, label)
    with transaction(factory) as session:
        unkeyed_view = audit.verify_chain(session)
        report = audit.verify_chain(session, [KEY])
    assert expected in report.problems, report.problems
    if key is None:
        assert "de nieuwste regel is niet met een sleutel beveiligd" in " ".join(report.problems)
        # Even a check without the key sees unkeyed entries after keyed ones.
        assert "regel 3: zonder sleutel na regels met sleutel" in unkeyed_view.problems


def test_a_whole_chain_rewritten_without_the_key_is_found_when_the_key_is_configured(engine, factory):
    _keyed_entries(engine, KEY)
    _rewrite_from(engine, 1, None, None)
    with transaction(factory) as session:
        assert audit.verify_chain(session).intact  # unkeyed, it looks whole: the F5 gap
        problems = audit.verify_chain(session, [KEY]).problems
    assert problems == ("de nieuwste regel is niet met een sleutel beveiligd, terwijl er een sleutel "
                        "is opgegeven",)


def test_unkeyed_history_before_the_key_and_an_earlier_key_still_verify(engine, factory):
    _keyed_entries(engine, None, 2)
    _keyed_entries(engine, OLD_KEY, 2, start=2)
    _keyed_entries(engine, KEY, 2, start=4)
    with transaction(factory) as session:
        report = audit.verify_chain(session, [KEY, OLD_KEY])
        missing_old = audit.verify_chain(session, [KEY])
    assert report.intact and (report.entries, report.keyed) == (6, 4)
    assert missing_old.problems == (
        f"regel 3: gemaakt met sleutel {OLD_KEY.fingerprint}, die niet is opgegeven",
        f"regel 4: gemaakt met sleutel {OLD_KEY.fingerprint}, die niet is opgegeven",
    )


def test_an_unkeyed_entry_after_keyed_ones_is_a_break(engine, factory):
    _keyed_entries(engine, KEY, 2)
    _keyed_entries(engine, None, 1, start=2)
    _keyed_entries(engine, KEY, 1, start=3)
    with transaction(factory) as session:
        assert audit.verify_chain(session, [KEY]).problems == ("regel 3: zonder sleutel na regels met sleutel",)


def test_an_anchor_kept_outside_shows_a_rewrite_even_of_an_unkeyed_chain(engine, factory):
    _entries(factory)
    with transaction(factory) as session:
        anchor = audit.parse_anchor(audit.head_anchor(session))
    assert anchor[0] == 5
    _rewrite_from(engine, 2, None, None)
    with transaction(factory) as session:
        assert audit.verify_chain(session).intact
        problems = audit.verify_chain(session, anchors=[anchor]).problems
    assert problems == ("regel 5: hash wijkt af van het bewaarde anker",)


def test_an_anchor_of_an_entry_that_is_gone_is_reported(engine, factory):
    _entries(factory, 3)
    with transaction(factory) as session:
        problems = audit.verify_chain(session, anchors=[(7, "a" * 64)]).problems
    assert problems == ("anker 7: die regel staat niet (meer) in de log",)


@pytest.mark.parametrize("text_", ["", "5", "5:abc", "x:" + "a" * 64, "5:" + "G" * 64])
def test_a_malformed_anchor_is_refused(text_):
    with pytest.raises(ValueError, match="VOLGNUMMER:HASH"):
        audit.parse_anchor(text_)


def test_a_short_audit_key_is_refused():
    with pytest.raises(audit.AuditKeyError, match="32 tekens"):
        audit.AuditKey.from_text("te-kort")


def test_entries_wait_for_the_commit_and_vanish_with_a_rollback(engine, factory):
    """Entries are inserted when the work commits, in its transaction; a rolled back unit
    of work leaves no entry and no gap in the chain."""
    with pytest.raises(RuntimeError), transaction(factory) as session:
        audit.record(session, None, "test.lezen", bsn="999990019")
        assert session.query(AuditRegel).count() == 0  # queued, not yet inserted
        raise RuntimeError("werk mislukt")
    _entries(factory, 1)
    with transaction(factory) as session:
        rows = session.query(AuditRegel).all()
        assert [r.volgnummer for r in rows] == [1] and audit.verify_chain(session).intact


def test_recorded_entries_wait_unsealed_until_the_sealer_chains_them_in_order(engine, factory):
    with transaction(factory) as session:
        audit.record(session, None, "test.eerste", bsn="999990019")
    with transaction(factory) as session:
        audit.record(session, None, "test.tweede")
    with transaction(factory) as session:
        waiting = session.query(AuditRegel).order_by(AuditRegel.id).all()
        report = audit.verify_chain(session)
    assert [(r.actie, r.volgnummer, r.hash) for r in waiting] == [("test.eerste", None, None),
                                                                   ("test.tweede", None, None)]
    assert report.intact and (report.entries, report.waiting) == (0, 2)
    assert audit.seal_all(factory) == 2
    assert audit.seal_all(factory) == 0  # nothing waits any more
    with transaction(factory) as session:
        rows = session.query(AuditRegel).order_by(AuditRegel.volgnummer).all()
        report = audit.verify_chain(session)
    assert [(r.actie, r.volgnummer) for r in rows] == [("test.eerste", 1), ("test.tweede", 2)]
    assert report.intact and (report.entries, report.waiting) == (2, 0)


def test_sealing_in_batches_keeps_one_unbroken_chain(engine, factory):
    _entries(factory, 3)
    with transaction(factory) as session:
        for i in range(7):
            audit.record(session, None, "test.lezen", details={"i": i})
    assert audit.seal_all(factory, limit=2) == 7
    with transaction(factory) as session:
        report = audit.verify_chain(session)
    assert report.intact and report.entries == 10


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET details = '{}' WHERE volgnummer IS NULL",  # content of a waiting entry
        "UPDATE audit_log SET volgnummer = 99 WHERE volgnummer IS NULL",  # sealed without a hash
        "UPDATE audit_log SET hash = 'x' WHERE volgnummer = 1",  # resealing a sealed one
        "DELETE FROM audit_log WHERE volgnummer IS NULL",
    ],
)
def test_the_database_allows_sealing_once_and_nothing_else(engine, factory, statement):
    from sqlalchemy.exc import DBAPIError

    _entries(factory, 1)
    with transaction(factory) as session:
        audit.record(session, None, "test.wachtend")
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text(statement))


def test_the_sealer_thread_seals_while_running_and_when_stopped(engine, factory):
    import time

    sealer = audit.AuditSealer(factory, KEY, interval=0.05)
    sealer.start()
    try:
        with transaction(factory) as session:
            audit.record(session, None, "test.lezen")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with transaction(factory) as session:
                if session.query(AuditRegel).filter(AuditRegel.volgnummer.is_not(None)).count():
                    break
            time.sleep(0.05)
        with transaction(factory) as session:
            audit.record(session, None, "test.lezen")
    finally:
        sealer.stop()
    with transaction(factory) as session:
        report = audit.verify_chain(session, [KEY])
    assert report.intact and (report.entries, report.keyed, report.waiting) == (2, 2, 0)


def test_an_entry_is_stored_exactly_as_recorded(engine, factory):
    """Microseconds, quotes, accents and empty fields survive the way into the database."""
    moment = datetime(2021, 10, 15, 12, 0, 7, 123456)
    details = {"bestandsnaam": 'aanlevering "oktober" – Zoë.csv', "leeg": None, "n": 3}
    with transaction(factory) as session:
        audit.record(session, None, "test.lezen", overdracht_id=None, bsn=None, details=details, now=moment)
        audit.record(session, None, "test.lezen", overdracht_id=12, bsn="999990019", now=moment)
    with transaction(factory) as session:
        stored = session.query(AuditRegel).order_by(AuditRegel.id).all()
    assert [(e.tijdstip, e.overdracht_id, e.bsn, e.details) for e in stored[-2:]] == [
        (moment, None, None, audit.canonical_details(details)),
        (moment, 12, "999990019", "{}"),
    ]
    assert audit.seal_all(factory) >= 2
    with transaction(factory) as session:
        assert audit.verify_chain(session).intact


def test_the_migrated_database_has_exactly_the_guards_named(engine):
    """GUARD_TRIGGERS names the triggers migration 0004 leaves on the log and its head."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            found = connection.execute(text(
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name IN ('audit_log', 'audit_kop')")).all()
        else:
            found = connection.execute(text(
                "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND c.relname IN ('audit_log', 'audit_kop') "
                "AND c.relnamespace = to_regnamespace(current_schema())::oid")).all()
    assert {tuple(r) for r in found} == set(audit.GUARD_TRIGGERS[engine.dialect.name])
