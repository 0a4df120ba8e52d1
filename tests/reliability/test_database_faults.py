"""The database goes away while the service runs: clean 503s, nothing half stored, and
recovery without restarting the service.

PostgreSQL only (a SQLite file cannot be restarted under a running process). The cluster
itself is never restarted: other work shares it. Instead the service's own server
sessions are ended with ``pg_terminate_backend`` — which is what the service sees when
the database restarts — and, for an outage that lasts, a database of the test's own is set
to refuse connections (``ALTER DATABASE ... ALLOW_CONNECTIONS false``).
"""

from __future__ import annotations

import uuid

import psycopg
import pytest
from sqlalchemy import event

from .conftest import plain_postgres_url, require_postgres
from .faults import snapshot, with_application_name
from .support import (
    V1,
    Browser,
    Scenario,
    assert_problem_json,
    build_scenario,
    csv_upload,
    upload_row,
    valid_bsns,
)

NEW = valid_bsns(3, start=999_600_000)
FILE = csv_upload([upload_row(b) for b in NEW])


def _terminate(application_name: str) -> int:
    """End the server sessions with this name, and wait until they are gone (as after a
    restart: pg_terminate_backend itself only signals them)."""
    with psycopg.connect(plain_postgres_url(), autocommit=True) as conn:
        ended = len(conn.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = %s",
            (application_name,),
        ).fetchall())
    return ended


@pytest.fixture
def pg_service(postgres_schema, tmp_path):
    """The scenario on PostgreSQL and an app whose sessions carry a name of their own."""
    url, _ = postgres_schema
    s = build_scenario(url, tmp_path, ijw=False)
    name = f"wpb_dienst_{uuid.uuid4().hex[:8]}"
    s.url = with_application_name(url, name)
    return s, name


def test_service_survives_its_connections_being_terminated(pg_service):
    s, name = pg_service
    with s.client() as c:
        auth = s.headers("ontvangend")
        for _ in range(3):  # fill the pool
            assert c.get(f"{V1}/overdrachten", headers=auth).status_code == 200
        assert _terminate(name) >= 1
        # Taking a connection from the pool finds the dead ones and replaces them: no error at all.
        for _ in range(5):
            response = c.get(f"{V1}/overdrachten", headers=auth)
            assert response.status_code == 200, response.text
        assert Browser(c.app, "ontvangend").get("/overdrachten/inkomend").status_code == 200


def test_a_connection_the_server_ended_is_seen_without_a_round_trip(postgres_schema):
    from wpb.service.db import _server_hung_up

    name = f"wpb_ping_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(plain_postgres_url(), application_name=name) as conn:
        conn.execute("SELECT 1").fetchall()
        conn.rollback()
        assert not _server_hung_up(conn)
        assert _terminate(name) == 1
        assert _server_hung_up(conn)


def _kill_own_backend_at(engine, prefix: str) -> dict:
    """Terminate the connection's own server session just before a statement with ``prefix``."""
    fired = {"n": 0}

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, params, context, executemany):
        if fired["n"] == 0 and " ".join(statement.split()).upper().startswith(prefix):
            fired["n"] += 1
            pid = conn.connection.dbapi_connection.info.backend_pid
            with psycopg.connect(plain_postgres_url(), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

    return fired


def test_connection_lost_in_the_middle_of_an_upload(pg_service):
    s, _name = pg_service
    # No sealer thread: it would seal the check's audit entries between the two snapshots.
    app = s.app(pages=False, seal_audit=False)
    from fastapi.testclient import TestClient

    from wpb.service.audit.trail import seal_all

    with TestClient(app, raise_server_exceptions=False) as c:
        auth = s.headers("latend")
        files = {"bestand": ("levering.csv", FILE, "text/csv")}
        check = c.post(f"{V1}/aanleveringen/_controleer", files=files, headers=auth).json()
        seal_all(app.state.wpb.factory)
        before = snapshot(s.url)
        fired = _kill_own_backend_at(app.state.wpb.engine, "INSERT INTO OVERDRACHT_REGELS")
        files = {"bestand": ("levering.csv", FILE, "text/csv")}
        response = c.post(f"{V1}/aanleveringen", files=files, data={"controle": check["controle"]},
                          headers=auth)
        assert fired["n"] == 1
        body = assert_problem_json(response, 503)
        assert body["code"] == "nietBeschikbaar" and "Retry" not in body["detail"]
        assert snapshot(s.url) == before, "the interrupted upload left rows behind"
        # The very next request works on a fresh connection, and the upload can be redone.
        files = {"bestand": ("levering.csv", FILE, "text/csv")}
        again = c.post(f"{V1}/aanleveringen", files=files, data={"controle": check["controle"]},
                       headers=auth)
        assert again.status_code == 201, again.text
        assert len(again.json()["nieuweOverdrachten"]) == 3


def test_connection_lost_while_a_page_reads(pg_service):
    s, _name = pg_service
    app = s.app()
    browser = Browser(app, "ontvangend")
    fired = _kill_own_backend_at(app.state.wpb.engine, "SELECT OVERDRACHTEN")
    page = browser.get("/overdrachten/inkomend")
    assert fired["n"] == 1
    assert page.status_code == 503 and "Tijdelijk niet beschikbaar" in page.text
    assert browser.get("/overdrachten/inkomend").status_code == 200


@pytest.fixture
def own_database(tmp_path):
    """A database of this test's own (it will refuse connections for a while)."""
    require_postgres()
    name = f"wpb_rel_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(plain_postgres_url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = plain_postgres_url().rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}", name
    finally:
        with psycopg.connect(plain_postgres_url(), autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_outage_answers_503_quickly_and_the_service_recovers_by_itself(own_database, tmp_path):
    url, name = own_database
    s: Scenario = build_scenario(url, tmp_path, ijw=False)
    app_name = f"wpb_dienst_{uuid.uuid4().hex[:8]}"
    s.url = with_application_name(url, app_name)
    import time

    with s.client() as c:
        auth = s.headers("ontvangend")
        assert c.get(f"{V1}/overdrachten", headers=auth).status_code == 200
        with psycopg.connect(plain_postgres_url(), autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        _terminate(app_name)
        started = time.monotonic()
        for method, path, kwargs in (
            ("GET", f"{V1}/overdrachten", {}),
            ("POST", f"{V1}/overdrachten/{s.ids['overdracht_brp']}/acceptatie", {"json": {}}),
            ("POST", f"{V1}/tokens", {"json": {"gebruikersnaam": "rel-latend",
                                                "wachtwoord": "wachtwoord-betrouwbaar"}}),
        ):
            response = c.request(method, path, headers=auth, **kwargs)
            body = assert_problem_json(response, 503)
            assert "database" in body["detail"]
        page = Browser(c.app).get("/inloggen")
        assert page.status_code in (200, 503)  # the login form needs no database
        assert time.monotonic() - started < 10, "requests hung instead of failing"
        with psycopg.connect(plain_postgres_url(), autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        # Same process, same app object: it works again.
        assert c.get(f"{V1}/overdrachten", headers=auth).status_code == 200
        accepted = c.post(f"{V1}/overdrachten/{s.ids['overdracht_brp']}/acceptatie", json={},
                          headers=auth)
        assert accepted.status_code == 200 and accepted.json()["status"] == "geaccepteerd"
