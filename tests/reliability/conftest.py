"""Fixtures of the reliability suite, the ``slow`` marker and the suite-wide log scan.

``slow``: tests that take more than a few seconds (long fuzz runs, many kill points, the
PostgreSQL kill matrix). They are skipped in a plain ``pytest`` run and run with
``pytest -m slow`` (or ``WPB_SLOW=1``). The marker is registered here because
pyproject.toml belongs to the lead; ``--strict-markers`` accepts it once this conftest is
loaded, which is whenever tests/reliability is collected.

Suite log: every log record any test of the run emits (root logger and uvicorn's own
loggers, which do not propagate) is also written to a file, ``$WPB_SUITE_LOG`` or
``<tmp>/wpb-suite-<pid>.log``. When the run ends the file is scanned for valid BSNs
(nine digits passing the 11-proef); one found fails the run (exit status 1) and the
terminal summary names the line. The application must never log a BSN, so the scan
needs no exceptions.
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from pathlib import Path

import pytest

from ci_mode import in_ci
from wpb.service.auth.throttle import LoginThrottle

from .support import Scenario, bsns_in, build_scenario

POSTGRES_URL = os.environ.get(
    "WPB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
_LOGGERS = ("", "uvicorn", "uvicorn.error", "uvicorn.access")
_state: dict = {}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: takes long; skipped unless run with -m slow or WPB_SLOW=1"
    )
    path = Path(os.environ.get("WPB_SUITE_LOG") or
                Path(tempfile.gettempdir()) / f"wpb-suite-{os.getpid()}.log")
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setLevel(logging.NOTSET)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    for name in _LOGGERS:
        logging.getLogger(name).addHandler(handler)
    _state.update(path=path, handler=handler)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    wanted = (
        "slow" in (config.getoption("markexpr") or "")
        or os.environ.get("WPB_SLOW") == "1"
        or in_ci()  # CI runs what it claims: the kill matrix and backup/restore too
    )
    if wanted:
        return
    skip = pytest.mark.skip(reason="slow: run with `pytest -m slow` or WPB_SLOW=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def scan_suite_log() -> list[str]:
    """Lines of the suite log that hold a valid BSN."""
    handler = _state.get("handler")
    if handler is None:
        return []
    handler.flush()
    path: Path = _state["path"]
    if not path.exists():
        return []
    return [line.rstrip("\n")[:300]
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
            if bsns_in(line)]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    hits = scan_suite_log()
    _state["hits"] = hits
    if hits and session.exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    path = _state.get("path")
    hits = _state.get("hits") or []
    if hits:
        terminalreporter.section("BSN in het log van de testrun", red=True)
        terminalreporter.write_line(f"{len(hits)} regel(s) in {path} bevatten een geldig BSN:")
        for line in hits[:20]:
            terminalreporter.write_line(f"  {line}")
    elif path:
        terminalreporter.write_line(f"log van de testrun gescand op BSN's: geen gevonden ({path})")


def pytest_unconfigure(config: pytest.Config) -> None:
    handler = _state.pop("handler", None)
    if handler is not None:
        for name in _LOGGERS:
            logging.getLogger(name).removeHandler(handler)
        handler.close()


# --- databases -------------------------------------------------------------------------------


_pg_problem: list = []


def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None (probed once per run)."""
    if not _pg_problem:
        try:
            import psycopg

            with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), connect_timeout=3) as conn:
                conn.execute("SELECT 1")
            _pg_problem.append(None)
        except Exception as exc:  # any failure to connect
            _pg_problem.append(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    return _pg_problem[0]


def require_postgres() -> None:
    problem = postgres_problem()
    if problem is None:
        return
    message = f"PostgreSQL op {POSTGRES_URL} is niet bereikbaar ({problem})"
    if os.environ.get("CI"):
        pytest.fail(message + "; in CI moet PostgreSQL draaien")
    pytest.skip(message)


def plain_postgres_url() -> str:
    return POSTGRES_URL.replace("+psycopg", "")


@pytest.fixture
def postgres_schema():
    """A fresh PostgreSQL schema; yields (SQLAlchemy URL with search_path, schema name)."""
    require_postgres()
    import psycopg

    schema = f"wpb_rel_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(plain_postgres_url(), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}", schema
    finally:
        with psycopg.connect(plain_postgres_url(), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session")
def scenario_template(tmp_path_factory) -> Scenario:
    """The scenario built once per run on a SQLite file; tests work on copies."""
    root = tmp_path_factory.mktemp("scenario")
    return build_scenario(f"sqlite:///{root / 'template.sqlite'}", root)


@pytest.fixture
def scenario(scenario_template: Scenario, tmp_path: Path) -> Scenario:
    """A private copy of the scenario (its own SQLite file)."""
    return scenario_template.copy_to(f"sqlite:///{tmp_path / 'wpb.sqlite'}")


class Workbench:
    """One application on one SQLite file that is reset to the scenario between uses.

    Building the application costs about 0.2 s (every route and model); resetting the file
    under it (the pool is emptied first, so no connection sees the swap) costs next to
    nothing, which keeps the isolation matrix fast.
    """

    def __init__(self, template: Scenario, path: Path, *, pages: bool):
        self.template = template
        self.scenario = template.copy_to(f"sqlite:///{path}")
        self.app = self.scenario.app(pages=pages)
        self.path = path
        self._browsers: dict = {}

    def reset(self) -> Scenario:
        self.app.state.wpb.engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        self.template.copy_to(self.scenario.url)
        self.scenario.clock.moment = self.template.clock.moment
        self.app.state.wpb.throttle = LoginThrottle()
        # Sessions live in the database (S7), which was just copied over: log in again.
        self._browsers.clear()
        return self.scenario

    def browser(self, role: str | None):
        """A logged-in browser per role, kept for the module (a login costs an argon2 check)."""
        from .support import Browser

        if role is None:
            return Browser(self.app)
        if role not in self._browsers:
            self._browsers[role] = Browser(self.app, role)
        return self._browsers[role]

    def client(self, **kwargs):
        from fastapi.testclient import TestClient

        return TestClient(self.app, raise_server_exceptions=False, **kwargs)


@pytest.fixture(scope="module")
def api_bench(scenario_template: Scenario, tmp_path_factory) -> Workbench:
    return Workbench(scenario_template, tmp_path_factory.mktemp("bench") / "api.sqlite", pages=False)


@pytest.fixture(scope="module")
def page_bench(scenario_template: Scenario, tmp_path_factory) -> Workbench:
    return Workbench(scenario_template, tmp_path_factory.mktemp("bench") / "pages.sqlite", pages=True)


@pytest.fixture
def fresh_copy(scenario_template: Scenario, tmp_path: Path):
    """Make further private copies of the scenario within one test."""
    counter = iter(range(10_000))

    def make() -> Scenario:
        return scenario_template.copy_to(f"sqlite:///{tmp_path / f'kopie-{next(counter)}.sqlite'}")

    return make


__all__ = ["POSTGRES_URL", "plain_postgres_url", "require_postgres", "scan_suite_log"]
