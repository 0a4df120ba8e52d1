"""The audit log: not alterable through the API, guarded in the database, and tampering
behind the guard's back is found by ``wpb audit verify``, which names the entry.

On SQLite and PostgreSQL. An unkeyed chain cannot show a rewrite of the whole chain from
some entry on, head included (finding F5 in docs/reliability.md); the audit key
(``WPB_AUDIT_SLEUTEL``, an HMAC) and anchors kept outside the database
(``wpb audit kop`` / ``verify --anker``) close that, and are tested here.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from wpb.cli import app as cli
from wpb.service.audit.models import AuditKop, AuditRegel
from wpb.service.audit.trail import GENESIS_HASH, GUARD_TRIGGERS
from wpb.service.db import make_engine, make_sessionmaker, transaction

from .support import ROLES, V1, bsns_in, build_scenario
from .test_isolation import MATRIX


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request, scenario, tmp_path):
    if request.param == "sqlite":
        return scenario
    url, _ = request.getfixturevalue("postgres_schema")
    return build_scenario(url, tmp_path / "pg", ijw=False)


def _entries(url: str) -> list[tuple]:
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as session:
        rows = [(r.volgnummer, r.hash, r.vorige_hash, r.actie, r.bsn, r.details)
                for r in session.scalars(select(AuditRegel).order_by(AuditRegel.id))]
    engine.dispose()
    return rows


def verify(url: str, *args: str, env: dict | None = None):
    return CliRunner().invoke(cli, ["audit", "verify", *args],
                              env={"WPB_DATABASE_URL": url, "WPB_SAMPLE_DATA": "nee", **(env or {})})


def _drop_guard(url: str) -> None:
    """What someone with database rights does first."""
    engine = make_engine(url)
    with engine.begin() as conn:
        for trigger, table in GUARD_TRIGGERS[engine.dialect.name]:
            on = f" ON {table}" if engine.dialect.name == "postgresql" else ""
            conn.execute(text(f"DROP TRIGGER {trigger}{on}"))
    engine.dispose()


def test_no_api_operation_changes_or_removes_an_audit_entry(scenario):
    """Every operation of the API, by every role, with a request valid for that role: the
    entries already in the log stay exactly as they were and the chain stays whole."""
    before = _entries(scenario.url)
    assert len(before) > 10
    with scenario.client(pages=False) as c:
        doc = c.get(f"{V1}/openapi.json").json()
        assert not [p for p in doc["paths"] if "audit" in p.lower()], "an audit endpoint appeared"
        # Revoking the tokens comes last: after it every request would be refused.
        for label in sorted(MATRIX, key=lambda k: k == "DELETE /tokens/huidig"):
            for role in ROLES:
                MATRIX[label].send(c, scenario, role)
    after = _entries(scenario.url)
    assert after[: len(before)] == before
    assert len(after) > len(before) + 50  # the requests themselves were recorded
    result = verify(scenario.url)
    assert result.exit_code == 0, result.output
    assert f"auditlog intact: {len(after)} regels" in result.output


def test_the_database_refuses_changing_the_log(any_db):
    engine = make_engine(any_db.url)
    for statement in ("UPDATE audit_log SET actie = 'x' WHERE volgnummer = 2",
                      "DELETE FROM audit_log WHERE volgnummer = 2"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    engine.dispose()
    assert verify(any_db.url).exit_code == 0


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        ("UPDATE audit_log SET bsn = NULL WHERE volgnummer = 5", "regel 5: inhoud past niet"),
        ("UPDATE audit_log SET actie = 'overdracht.lezen' WHERE volgnummer = 7", "regel 7: inhoud"),
        ("UPDATE audit_log SET gebruikersnaam = 'iemand-anders' WHERE volgnummer = 3", "regel 3: inhoud"),
        ("DELETE FROM audit_log WHERE volgnummer = 4", "regel 5: volgnummer verwacht 4"),
        ("DELETE FROM audit_log WHERE volgnummer = (SELECT max(volgnummer) FROM audit_log)", "kop: laatste"),
        ("UPDATE audit_log SET volgnummer = volgnummer + 1000 WHERE volgnummer = 6", "regel 1006"),
    ],
    ids=["bsn-gewist", "actie-veranderd", "gebruiker-veranderd", "regel-verwijderd",
         "laatste-verwijderd", "hernummerd"],
)
def test_tampering_in_the_database_is_found_and_named(any_db, tamper, expected):
    assert verify(any_db.url).exit_code == 0
    _drop_guard(any_db.url)
    engine = make_engine(any_db.url)
    with engine.begin() as conn:
        conn.execute(text(tamper))
    engine.dispose()
    result = verify(any_db.url)
    assert result.exit_code == 1, result.output
    assert "auditlog NIET intact" in result.output
    assert expected in result.output, result.output
    assert not bsns_in(result.output), "the report names entries, never their content"


def test_emptying_the_log_or_resetting_the_head_is_refused(any_db):
    """TRUNCATE (which row triggers do not see) and a head moved back are refused by the
    database itself; the chain is untouched."""
    engine = make_engine(any_db.url)
    statements = ["UPDATE audit_kop SET volgnummer = 0", "DELETE FROM audit_kop"]
    if engine.dialect.name == "postgresql":
        statements += ["TRUNCATE audit_log", "TRUNCATE audit_kop"]
    for statement in statements:
        with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
            conn.execute(text(statement))
        assert "append-only" in str(caught.value) or "only moves forward" in str(caught.value) \
            or "cannot be removed" in str(caught.value), statement
    engine.dispose()
    assert verify(any_db.url).exit_code == 0


def test_emptying_the_log_behind_the_guard_is_found_while_the_head_remembers(any_db):
    engine = make_engine(any_db.url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP TRIGGER audit_log_no_truncate ON audit_log"))
            conn.execute(text("TRUNCATE audit_log"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))
            conn.execute(text("DELETE FROM audit_log"))
    engine.dispose()
    result = verify(any_db.url)
    assert result.exit_code == 1 and "kop: laatste volgnummer" in result.output, result.output


def test_a_forged_entry_with_its_own_hash_breaks_the_next_link(any_db):
    from wpb.service.audit.trail import entry_hash

    _drop_guard(any_db.url)
    engine = make_engine(any_db.url)
    factory = make_sessionmaker(engine)
    with transaction(factory) as session:
        row = session.get(AuditRegel, 4) or session.scalar(select(AuditRegel).where(AuditRegel.volgnummer == 4))
        row.actie = "overdracht.niets"
        row.hash = entry_hash(row.vorige_hash, row.volgnummer, row.tijdstip, row.gebruiker_id,
                              row.gebruikersnaam, row.organisatie, row.actie, row.overdracht_id,
                              row.bsn, row.details)
    engine.dispose()
    result = verify(any_db.url)
    assert result.exit_code == 1
    assert "regel 5: verwijst niet naar de hash van de vorige regel" in result.output


def test_head_of_a_fresh_log_is_the_genesis(tmp_path):
    """An empty, freshly migrated log verifies, with the head at the genesis hash."""
    from wpb.service import migrations

    url = f"sqlite:///{tmp_path / 'leeg.sqlite'}"
    engine = make_engine(url)
    migrations.upgrade(engine)
    with transaction(make_sessionmaker(engine)) as session:
        head = session.get(AuditKop, 1)
        assert (head.volgnummer, head.hash) == (0, GENESIS_HASH)
    engine.dispose()
    result = verify(url)
    assert result.exit_code == 0 and "auditlog intact: 0 regels" in result.output


AUDIT_KEY = "s" * 48


def test_audit_kop_prints_an_anchor_that_verify_finds_again(any_db):
    result = CliRunner().invoke(cli, ["audit", "kop"],
                                env={"WPB_DATABASE_URL": any_db.url, "WPB_SAMPLE_DATA": "nee"})
    assert result.exit_code == 0, result.output
    anchor = result.output.strip()
    number, digest = anchor.split(":")
    assert (int(number), digest) == _entries(any_db.url)[-1][:2]
    found = verify(any_db.url, "--anker", anchor)
    assert found.exit_code == 0 and "1 anker(s) gevonden" in found.output, found.output
    forged = verify(any_db.url, "--anker", f"{number}:{'0' * 64}")
    assert forged.exit_code == 1 and f"regel {number}: hash wijkt af van het bewaarde anker" in forged.output
    bad = verify(any_db.url, "--anker", "laatste")
    assert bad.exit_code == 2 and "VOLGNUMMER:HASH" in bad.output


def test_a_service_with_an_audit_key_writes_keyed_entries_that_verify_with_it(scenario):
    unkeyed = len(_entries(scenario.url))
    with scenario.client(settings={"audit_sleutel": AUDIT_KEY}) as c:
        assert c.get(f"{V1}/overdrachten", headers=scenario.headers("ontvangend")).status_code == 200
    keyed = verify(scenario.url, env={"WPB_AUDIT_SLEUTEL": AUDIT_KEY})
    assert keyed.exit_code == 0, keyed.output
    total = len(_entries(scenario.url))
    assert f"auditlog intact: {total} regels; {total - unkeyed} met sleutel, {unkeyed} zonder" in keyed.output
    # Without the key the keyed entries cannot be checked, which verify says by number.
    assert "die niet is opgegeven" in verify(scenario.url).output
    # A key too short is refused before anything is read.
    short = verify(scenario.url, env={"WPB_AUDIT_SLEUTEL": "kort"})
    assert short.exit_code == 2 and "32 tekens" in short.output


def test_a_configured_key_with_an_unkeyed_newest_entry_is_reported(scenario):
    """The service always keys when a key is set; an unkeyed newest entry means the chain
    was written without it (or rewritten by someone without it)."""
    result = verify(scenario.url, env={"WPB_AUDIT_SLEUTEL": AUDIT_KEY})
    assert result.exit_code == 1
    assert "de nieuwste regel is niet met een sleutel beveiligd" in result.output
