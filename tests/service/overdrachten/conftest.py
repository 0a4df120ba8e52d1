"""Short names for the fixtures most transfer tests use: one SQLite database with its tenants,
and an API client on it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from wpb.service.app import create_app


@pytest.fixture
def f(sqlite_factory):
    return sqlite_factory


@pytest.fixture
def t(sqlite_tenants):
    return sqlite_tenants


@pytest.fixture
def client(sqlite_engine, settings, clock):
    """The API alone (no pages) on the test database."""
    app = create_app(settings, engine=sqlite_engine, clock=clock, pages=False)
    with TestClient(app) as c:
        yield c
