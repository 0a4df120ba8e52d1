"""An upload, a claim recomputation and a netting run killed halfway: all or nothing.

The work runs in a forked child process that is killed with SIGKILL at a point inside its
database transaction (see :mod:`.faults`). Afterwards every table of the service is
compared with its state before: a kill before COMMIT must leave every table exactly as it
was (same rows, same content), a kill after COMMIT must leave exactly the rows a complete
run adds, and in both cases the audit chain is intact and the same work can be done again.
Runs on a SQLite file and on PostgreSQL.

The fast suite kills at the named points; ``pytest -m slow`` also kills before every
single statement of each request.
"""

from __future__ import annotations

import pytest

from wpb.service.audit.trail import verify_chain
from wpb.service.db import make_engine, make_sessionmaker, transaction

from .faults import Workload, delta, run_killed, snapshot
from .support import (
    INVOICE_HEADER,
    PROVIDER,
    UTRECHT,
    V1,
    Scenario,
    build_scenario,
    csv_upload,
    upload_row,
    valid_bsns,
)

NEW_YOUTHS = valid_bsns(30, start=999_500_000)
UPLOAD_FILE = csv_upload([upload_row(b) for b in NEW_YOUTHS])
MONTHS = [(f"2022-{m:02d}-01", f"2022-{m:02d}-28") for m in range(3, 13)]


def invoices(bsn: str) -> bytes:
    """Utrecht paid March to December 2022 for a youth Amersfoort carries: ten claims."""
    return csv_upload(
        [[f"F-K{m}", bsn, UTRECHT, PROVIDER, "45A48", begin, end, "50000", "2023-01-15"]
         for m, (begin, end) in enumerate(MONTHS)],
        header=INVOICE_HEADER,
    )

COMMIT_POINTS = ("voor-commit", "na-commit")


def _upload(controle: str) -> Workload:
    return Workload(
        "aanlevering", "latend", "POST", f"{V1}/aanleveringen", "INSERT INTO AANLEVERINGEN",
        ("sql:INSERT INTO AANLEVERINGEN", "sql:INSERT INTO OVERDRACHTEN",
         "sql:INSERT INTO OVERDRACHT_REGELS", "sql:INSERT INTO AUDIT_LOG",
         *COMMIT_POINTS),
        {"files": {"bestand": ("levering.csv", UPLOAD_FILE, "text/csv")},
         "data": {"controle": controle}},
    )


RECOMPUTE = Workload(
    "herberekening", "coordinator", "POST", f"{V1}/claims/_herbereken",
    "INSERT INTO VERREKENING_CLAIMS",
    ("sql:INSERT INTO VERREKENING_CLAIMS", "sql:INSERT INTO VERREKENING_CLAIM_GEBEURTENISSEN",
     "sql:INSERT INTO AUDIT_LOG", *COMMIT_POINTS),
    {},
)
NETTING = Workload(
    "saldering", "coordinator", "POST", f"{V1}/salderingen", "INSERT INTO VERREKENING_SALDERINGEN",
    ("sql:UPDATE VERREKENING_SALDERINGEN", "sql:INSERT INTO VERREKENING_SALDERINGEN",
     "sql:INSERT INTO VERREKENING_BETALINGEN", "sql:INSERT INTO VERREKENING_SALDERING_CLAIMS",
     "sql:INSERT INTO AUDIT_LOG", *COMMIT_POINTS),
    {"json": {}},
)


def _prepare(s: Scenario, name: str) -> Workload:
    """Bring the scenario to just before the work; return the work."""
    with s.client(pages=False) as c:
        if name == "aanlevering":
            files = {"bestand": ("levering.csv", UPLOAD_FILE, "text/csv")}
            check = c.post(f"{V1}/aanleveringen/_controleer", files=files, headers=s.headers("latend"))
            assert check.status_code == 200 and check.json()["regelsGeldig"] == 30, check.text
            return _upload(check.json()["controle"])
        s.clock.set(2023, 2, 1)
        imported = c.post(f"{V1}/declaraties",
                          files={"bestand": ("k.csv", invoices(s.bsns["claim"]), "text/csv")},
                          headers=s.headers("latend"))
        assert imported.status_code == 201, imported.text
        if name == "herberekening":
            return RECOMPUTE
        assert c.post(f"{V1}/claims/_herbereken", headers=s.headers("coordinator")).status_code == 200
        return NETTING


def _chain_intact(url: str) -> None:
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as session:
        report = verify_chain(session)
    engine.dispose()
    assert report.intact, report.problems


def _again(s: Scenario, work: Workload, done: bool) -> None:
    """After the kill the same work can be done (or is refused as already done)."""
    with s.client(pages=False) as c:
        if work.name == "aanlevering":
            files = {"bestand": ("levering.csv", UPLOAD_FILE, "text/csv")}
            check = c.post(f"{V1}/aanleveringen/_controleer", files=files,
                           headers=s.headers("latend")).json()
            # Stored already: every row is reported as already delivered, nothing valid.
            assert check["regelsGeldig"] == (0 if done else 30), check
            return
        response = c.request(work.method, work.path, headers=s.headers(work.role), **work.kwargs)
        assert response.status_code in (200, 201), response.text


def _exercise(s: Scenario, name: str, reference: dict[str, int],
              points: tuple[str, ...] | None = None) -> None:
    """Kill the work at each point; before COMMIT nothing may change, after it everything."""
    work = _prepare(s, name)
    before = snapshot(s.url)
    for point in points or work.kill_points:
        message = run_killed(s, work, point)
        assert message[0] == "gepauzeerd", f"{name}: kill point {point} never reached: {message}"
        after = snapshot(s.url)
        _chain_intact(s.url)
        if point == "na-commit":
            # Exactly the rows a complete run adds (measured on a SQLite copy).
            assert delta(before, after) == reference, (delta(before, after), reference)
            _again(s, work, done=True)
        else:
            changed = delta(before, after)
            assert after == before, f"{name}: killed at {point} ({message[1]}) left {changed}"
    if points is None:
        assert "na-commit" in work.kill_points


def _full_delta(s: Scenario, name: str) -> dict[str, int]:
    """What a complete, unkilled run of the work adds to each table."""
    work = _prepare(s, name)
    before = snapshot(s.url)
    message = run_killed(s, work, None)
    assert message[0] == "klaar" and message[1] in (200, 201), message
    changed = delta(before, snapshot(s.url))
    assert changed.get("audit_log") and len(changed) >= 3, changed
    return changed


@pytest.mark.parametrize("name", ["aanlevering", "herberekening", "saldering"])
def test_killed_on_sqlite_leaves_all_or_nothing(fresh_copy, name):
    _exercise(fresh_copy(), name, _full_delta(fresh_copy(), name))


@pytest.mark.parametrize("name", ["aanlevering", "herberekening", "saldering"])
def test_killed_on_postgresql_leaves_all_or_nothing(postgres_schema, fresh_copy, tmp_path, name):
    url, _schema = postgres_schema
    reference = _full_delta(fresh_copy(), name)
    _exercise(build_scenario(url, tmp_path, ijw=False), name, reference)


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
@pytest.mark.parametrize("name", ["aanlevering", "herberekening", "saldering"])
def test_killed_before_every_statement(request, fresh_copy, tmp_path, database, name):
    """Kill before statement 1, 2, 3 ... of the request until a run gets to the end."""
    reference = _full_delta(fresh_copy(), name)
    if database == "sqlite":
        s = fresh_copy()
    else:
        url, _ = request.getfixturevalue("postgres_schema")
        s = build_scenario(url, tmp_path / "pg", ijw=False)
    work = _prepare(s, name)
    before = snapshot(s.url)
    n = 0
    while True:
        n += 1
        message = run_killed(s, work, f"nr:{n}")
        after = snapshot(s.url)
        _chain_intact(s.url)
        if message[0] == "klaar":  # no statement n: the run went through
            assert message[1] in (200, 201), message
            assert delta(before, after) == reference
            break
        if after != before:  # killed after the work's COMMIT: everything is there
            assert delta(before, after) == reference, (n, message, delta(before, after))
            break
    assert n > 5, f"only {n} statements: the kill points did not reach the work"
