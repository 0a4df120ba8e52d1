"""Fixtures of the transfer-service tests: databases, tenants, a settable clock, the app.

``db_url`` runs a test on SQLite (a file, as in production) and on PostgreSQL (at
``WPB_TEST_POSTGRES_URL``, default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``),
each test in its own schema that is dropped afterwards. PostgreSQL is skipped, with the
reason, only when it cannot be reached and ``CI`` is not set; in CI a missing PostgreSQL
fails the run.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

from wpb.service import migrations
from wpb.service.context import Context  # noqa: F401
from wpb.service.db import make_engine, make_sessionmaker
from wpb.service.settings import Settings

from .helpers import SettableClock, Tenants, make_context, make_tenants

POSTGRES_URL = os.environ.get(
    "WPB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
_pg_problem: str | None | bool = False  # False: not probed yet


def _postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can (probed once per run)."""
    global _pg_problem
    if _pg_problem is False:
        try:
            import psycopg

            with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), connect_timeout=3) as conn:
                conn.execute("SELECT 1")
            _pg_problem = None
        except Exception as exc:  # any failure to connect
            _pg_problem = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return _pg_problem  # type: ignore[return-value]


def require_postgres() -> None:
    problem = _postgres_problem()
    if problem is None:
        return
    message = f"PostgreSQL op {POSTGRES_URL} is niet bereikbaar ({problem})"
    if os.environ.get("CI"):
        pytest.fail(message + "; in CI (CI is gezet) moet PostgreSQL draaien")
    pytest.skip(message + "; overgeslagen omdat CI niet is gezet")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """One migrated SQLite file per run; tests that need a migrated database copy it."""
    path = tmp_path_factory.mktemp("template") / "wpb.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrations.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'wpb.sqlite'}"
        return
    yield from _postgres_schema()


@pytest.fixture
def postgres_url():
    """PostgreSQL only, for behaviour that only PostgreSQL's concurrency can show."""
    yield from _postgres_schema()


def _postgres_schema():
    require_postgres()
    import psycopg

    schema = f"wpb_test_{uuid.uuid4().hex[:12]}"
    plain = POSTGRES_URL.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'wpb.sqlite'}"


def _engine(url: str, template: Path):
    if url.startswith("sqlite:///"):
        target = Path(url.removeprefix("sqlite:///"))
        if not target.exists():
            shutil.copyfile(template, target)
    engine = make_engine(url)
    migrations.upgrade(engine)  # a no-op on the copied template
    return engine


@pytest.fixture
def engine(db_url, sqlite_template):
    engine = _engine(db_url, sqlite_template)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(sqlite_url, sqlite_template):
    """Most behaviour tests: one database is enough (storage tests use ``engine``)."""
    engine = _engine(sqlite_url, sqlite_template)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env(
        {"WPB_DATA_DIR": str(tmp_path), "WPB_SECRET_KEY": "test", "WPB_MAX_UPLOAD_ROWS": "50",
         "WPB_MAX_UPLOAD_BYTES": "200000"}
    )


@pytest.fixture
def ctx(settings, clock) -> Context:
    return make_context(settings, clock)


@pytest.fixture
def factory(engine):
    return make_sessionmaker(engine)


@pytest.fixture
def postgres_factory(postgres_url, sqlite_template):
    engine = _engine(postgres_url, sqlite_template)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture
def sqlite_factory(sqlite_engine):
    return make_sessionmaker(sqlite_engine)


@pytest.fixture
def tenants(factory) -> Tenants:
    return make_tenants(factory)


@pytest.fixture
def sqlite_tenants(sqlite_factory) -> Tenants:
    return make_tenants(sqlite_factory)


