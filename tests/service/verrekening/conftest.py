"""The settlement API's shared fixtures: an application on SQLite with the pseudonym key,
a bearer token per tenant, and two claims on Amersfoort (Utrecht's and Zeist's)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from wpb.service.app import create_app
from wpb.service.components.beheer.tokens import issue_token
from wpb.service.db import transaction

from ..helpers import SettableClock
from .test_verrekening_api import V1, upload
from .test_verrekening_service import AMERSFOORT, KEY, OTHER, ZEIST, csv_file, invoice, transfer


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(datetime(2022, 6, 1, 10, 0, tzinfo=UTC))


@pytest.fixture
def app_for(sqlite_engine, settings, clock):
    def make(**changes):
        app = create_app(settings.with_(**{"pseudoniem_sleutel": KEY, **changes}),
                         engine=sqlite_engine, clock=clock, pages=False)
        return TestClient(app)
    return make


@pytest.fixture
def client(app_for):
    with app_for() as c:
        yield c


@pytest.fixture
def auth(sqlite_factory, sqlite_tenants):
    headers = {}
    with transaction(sqlite_factory) as session:
        for key in ("a", "b", "c", "p", "q", "coordinator"):
            token = issue_token(session, getattr(sqlite_tenants, key).gebruiker_id)
            headers[key] = {"Authorization": f"Bearer {token}"}
    return headers


@pytest.fixture
def claims(client, auth, sqlite_factory) -> dict[str, str]:
    transfer(sqlite_factory)
    transfer(sqlite_factory, bsn=OTHER, latende=ZEIST, ontvangende=AMERSFOORT)
    assert upload(client, auth["a"], csv_file(invoice())).status_code == 201
    assert upload(client, auth["c"], csv_file(
        invoice("Z-1", bsn=OTHER, betaler=ZEIST, einde="2022-01-31", bedrag="310000"))).status_code == 201
    response = client.post(f"{V1}/claims/_herbereken", headers=auth["coordinator"])
    assert response.status_code == 200, response.text
    return {c["schuldeiser"]["code"]: c["id"] for c in response.json()["nieuw"]}
