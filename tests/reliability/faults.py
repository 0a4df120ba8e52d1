"""Helpers of the fault tests: a forked worker that is killed for real, database snapshots.

:func:`run_killed` forks a child process that builds the whole application (its own
engine and pool), sends one HTTP request to it in-process and pauses at a chosen point
of the database work; the parent then kills it with SIGKILL, as the kernel's OOM killer
or a power cut would, and waits until the database has noticed. Kill points are named by
what the service is doing, so they mean the same on SQLite and PostgreSQL:

- ``sql:<PREFIX>``: just before the first statement starting with PREFIX (for example
  ``sql:INSERT INTO audit_log``) is sent;
- ``nr:<n>``: just before the n-th statement of the request;
- ``voor-commit``: when the work's transaction is about to send COMMIT;
- ``na-commit``: right after the work's COMMIT returned, before the answer is sent.

``voor-commit`` and ``na-commit`` count only the commit of the transaction that did the
work (the one in which the statement ``marker`` ran), not the login's own transaction.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, text

from wpb.service.app import create_app
from wpb.service.db import make_engine
from wpb.service.tables import metadata

from .support import Scenario, settings_for

FORK = multiprocessing.get_context("fork")


@dataclass(frozen=True)
class Workload:
    name: str
    role: str
    method: str
    path: str
    marker: str  # a statement prefix that shows the work's transaction has begun
    kill_points: tuple[str, ...]
    kwargs: dict[str, Any]


def with_application_name(url: str, name: str) -> str:
    if url.startswith("sqlite"):
        return url
    return url + ("&" if "?" in url else "?") + f"application_name={name}"


def _normal(statement: str) -> str:
    return " ".join(statement.split()).upper()


def _child(scenario: Scenario, url: str, work: Workload, kill: str | None, pipe) -> None:
    try:
        from fastapi.testclient import TestClient

        # No audit sealer: its statements would be counted and could be the commit killed.
        app = create_app(settings_for(url, scenario.data_dir), clock=scenario.clock, pages=False,
                         seal_audit=False)
        state = app.state.wpb
        seen = {"n": 0, "work": False}

        def pause(where: str) -> None:
            pipe.send(("gepauzeerd", where, seen["n"]))
            time.sleep(120)
            os._exit(3)

        @event.listens_for(state.engine, "before_cursor_execute")
        def _before(conn, cursor, statement, params, context, executemany):
            seen["n"] += 1
            sql = _normal(statement)
            if sql.startswith(work.marker):
                seen["work"] = True
            if kill and kill.startswith("sql:") and sql.startswith(kill[4:]):
                pause(sql[:80])
            if kill and kill.startswith("nr:") and seen["n"] == int(kill[3:]):
                pause(sql[:80])

        @event.listens_for(state.engine, "commit")
        def _before_commit(conn):
            # A real COMMIT of the connection (a SAVEPOINT release does not come here).
            seen["commit"] = True
            if kill == "voor-commit" and seen["work"]:
                pause("COMMIT")

        @event.listens_for(state.factory, "after_commit")
        def _after_commit(session):
            # The session reports nested (SAVEPOINT) commits too; only a real one counts.
            real, seen["commit"] = seen.get("commit", False), False
            if kill == "na-commit" and seen["work"] and real:
                pause("na COMMIT")

        with TestClient(app, raise_server_exceptions=False) as client:
            response = client.request(work.method, work.path, headers=scenario.headers(work.role),
                                      **work.kwargs)
        pipe.send(("klaar", response.status_code, seen["n"], response.text[:300]))
    except BaseException as exc:  # report, never fall back into pytest in the child
        pipe.send(("fout", f"{type(exc).__name__}: {exc}"[:500]))
    finally:
        os._exit(0)


def run_killed(scenario: Scenario, work: Workload, kill: str | None, timeout: float = 60) -> tuple:
    """Run ``work`` in a forked child; kill it with SIGKILL at ``kill`` (None: let it finish).

    Returns the child's last message: ("gepauzeerd", where, n) when it was killed there,
    ("klaar", status, statements, body) when it finished.
    """
    name = f"wpb_kill_{uuid.uuid4().hex[:10]}"
    url = with_application_name(scenario.url, name)
    receive, send = FORK.Pipe(duplex=False)
    child = FORK.Process(target=_child, args=(scenario, url, work, kill, send), daemon=True)
    child.start()
    send.close()
    if not receive.poll(timeout):
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        raise AssertionError(f"{work.name}/{kill}: the child did not report within {timeout} s")
    message = receive.recv()
    if message[0] == "gepauzeerd":
        os.kill(child.pid, signal.SIGKILL)
    child.join(timeout)
    assert child.exitcode is not None, "the child did not end"
    if message[0] == "gepauzeerd":
        assert child.exitcode == -signal.SIGKILL, child.exitcode
        _wait_until_backend_gone(scenario.url, name)
    return message


def _wait_until_backend_gone(url: str, application_name: str, timeout: float = 10) -> None:
    """PostgreSQL: wait until the server has ended the killed client's session."""
    if url.startswith("sqlite"):
        return
    engine = make_engine(url)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                left = conn.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :n"),
                    {"n": application_name},
                ).scalar()
            if not left:
                return
            time.sleep(0.05)
        raise AssertionError("the killed client's session is still open in PostgreSQL")
    finally:
        engine.dispose()


def snapshot(url: str) -> dict[str, tuple[int, str]]:
    """Per table of the service: row count and a digest of every row's content."""
    engine = make_engine(url)
    result = {}
    try:
        with engine.connect() as conn:
            for table in metadata.sorted_tables:
                rows = conn.execute(table.select()).all()
                lines = sorted(repr(tuple(str(v) for v in row)) for row in rows)
                result[table.name] = (len(rows), hashlib.sha256("\n".join(lines).encode()).hexdigest())
    finally:
        engine.dispose()
    return result


def counts(snap: dict[str, tuple[int, str]]) -> dict[str, int]:
    return {table: n for table, (n, _digest) in snap.items()}


def delta(before: dict, after: dict) -> dict[str, int]:
    return {t: counts(after)[t] - counts(before)[t] for t in before if counts(after)[t] != counts(before)[t]}
