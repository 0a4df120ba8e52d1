"""The caseload's REST API end to end, and its isolation between tenants: gemeente A's
caseload, BRP documents and signalen never reach gemeente B (issue 19 item 2, issue 20)."""

from __future__ import annotations

import json
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from wpb.service.app import create_app
from wpb.service.components.beheer.tokens import issue_token
from wpb.service.components.clientenbestand.models import Signaal
from wpb.service.db import transaction

from ..helpers import valid_bsns
from .files import export, proefomgeving_voor, regel

V1 = "/api/v1"


@pytest.fixture
def youths():
    return valid_bsns(3)


@pytest.fixture
def client(sqlite_engine, settings, clock, youths):
    """The API, its bulk BRP client talking to the proefomgeving in-process."""
    moved, stayed, _unknown = youths
    clock.set(2026, 12, 7)
    app = proefomgeving_voor(create_app(settings.with_(brp_base_url="http://proef"),
                                        engine=sqlite_engine, clock=clock, pages=False),
                             moved, stayed)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def auth(sqlite_factory, sqlite_tenants):
    headers = {}
    with transaction(sqlite_factory) as session:
        for key in ("a", "b", "p"):
            token = issue_token(session, getattr(sqlite_tenants, key).gebruiker_id)
            headers[key] = {"Authorization": f"Bearer {token}"}
    return headers


def _upload(client, headers, content, naam="clienten.csv"):
    files = {"bestand": (naam, content, "text/csv")}
    check = client.post(f"{V1}/clientenbestand/_controleer", files=files, headers=headers)
    assert check.status_code == 200, check.text
    stored = client.post(f"{V1}/clientenbestand", files=files,
                         data={"controle": check.json()["controle"]}, headers=headers)
    return check, stored


def test_the_whole_flow_for_one_gemeente(client, auth, youths):
    moved, stayed, unknown = youths
    content = export(regel(moved, nummer="1"), regel(stayed, nummer="2"), regel(unknown, nummer="3"))
    check, stored = _upload(client, auth["a"], content)
    assert check.json()["verschil"] == {"nieuw": 3, "beeindigd": 0, "gewijzigd": 0, "ongewijzigd": 0}
    assert stored.status_code == 201 and stored.json()["bewaard"] == 3

    fetched = client.post(f"{V1}/clientenbestand/brp-ophaling", json={}, headers=auth["a"]).json()
    assert (fetched["gevraagd"], fetched["opgeslagen"]) == (3, 2)
    assert [m["bsn"] for m in fetched["mislukt"]] == [unknown]

    page = client.get(f"{V1}/clientenbestand", headers=auth["a"]).json()
    assert (page["totaal"], page["clienten"], page["metBrp"]) == (3, 3, 2)

    run = client.post(f"{V1}/clientenbestand/woonplaatscheck", json={"peildatum": "2026-12-07"},
                      headers=auth["a"]).json()
    assert run["nieuw"] == 2 and run["perSoort"] == {"andere_gemeente": 1, "review": 1}

    listed = client.get(f"{V1}/signalen", params={"soort": "andere_gemeente"}, headers=auth["a"]).json()
    (signal,) = listed["signalen"]
    assert (signal["bsn"], signal["verantwoordelijkeGemeente"], signal["vanaf"]) == (
        moved, "0355", "2026-02-01")
    detail = client.get(f"{V1}/signalen/{signal['id']}", headers=auth["a"]).json()
    assert detail["beslissing"]["gemeente"]["code"] == "0355"
    assert detail["beslissing"]["brp"][0]["bron"] == "Haal Centraal http://proef"
    assert detail["aanlevering"][0]["vanaf"] == "2026-02-01"

    handled = client.post(f"{V1}/signalen/{signal['id']}/afhandeling",
                          json={"afhandeling": "afgewezen", "toelichting": "verhuizing loopt nog"},
                          headers=auth["a"])
    assert handled.status_code == 200 and handled.json()["afhandeling"] == "afgewezen"
    again = client.post(f"{V1}/signalen/{signal['id']}/afhandeling",
                        json={"afhandeling": "overdracht"}, headers=auth["a"])
    assert again.status_code == 409
    assert client.get(f"{V1}/signalen", params={"open": "true"},
                      headers=auth["a"]).json()["openPerSoort"]["andere_gemeente"] == 0


def test_nothing_of_gemeente_a_reaches_gemeente_b(client, auth, youths):
    moved, stayed, unknown = youths
    _upload(client, auth["a"], export(regel(moved, nummer="1"), regel(unknown, nummer="2")))
    client.post(f"{V1}/clientenbestand/brp-ophaling", json={}, headers=auth["a"])
    client.post(f"{V1}/clientenbestand/woonplaatscheck", json={}, headers=auth["a"])
    ids = [s["id"] for s in client.get(f"{V1}/signalen", headers=auth["a"]).json()["signalen"]]
    assert ids

    page_b = client.get(f"{V1}/clientenbestand", headers=auth["b"]).json()
    assert (page_b["totaal"], page_b["metBrp"], page_b["toewijzingen"]) == (0, 0, [])
    assert client.get(f"{V1}/signalen", headers=auth["b"]).json()["totaal"] == 0
    with transaction(client.app.state.wpb.factory) as session:
        internal = session.scalars(select(Signaal.id).where(Signaal.publiek_id.in_(ids))).all()
    for i in ids:
        assert uuid.UUID(i).version == 4  # S10: a random public id
        missing = client.get(f"{V1}/signalen/{i}", headers=auth["b"])
        nowhere = client.get(f"{V1}/signalen/{uuid.uuid4()}", headers=auth["b"])
        assert missing.status_code == nowhere.status_code == 404
        assert missing.json()["detail"] == nowhere.json()["detail"]
    for old in internal:  # an old integer address: the same 404, even for the owner
        by_number = client.get(f"{V1}/signalen/{old}", headers=auth["a"])
        assert by_number.status_code == 404 and by_number.json()["detail"] == missing.json()["detail"]
    for i in ids:
        assert client.post(f"{V1}/signalen/{i}/afhandeling", json={"afhandeling": "overdracht"},
                           headers=auth["b"]).status_code == 404
    # B's own check on the same youth sees none of A's BRP data.
    _upload(client, auth["b"], export(regel(moved, nummer="9")))
    run_b = client.post(f"{V1}/clientenbestand/woonplaatscheck", json={}, headers=auth["b"]).json()
    assert (run_b["beslist"], run_b["nietOpgehaald"]) == (1, 1)
    body = json.dumps(client.get(f"{V1}/signalen", headers=auth["b"]).json())
    assert "0355" not in body and unknown not in body


def test_bad_rows_are_named_and_a_provider_has_no_caseload(client, auth, youths):
    content = export(regel(youths[0]), regel("12345678", nummer="2"))
    check = client.post(f"{V1}/clientenbestand/_controleer",
                        files={"bestand": ("c.csv", content, "text/csv")}, headers=auth["a"]).json()
    assert check["fouten"] == [{"regel": 3, "kolom": "bsn", "reden": check["fouten"][0]["reden"]}]
    assert "12345678" not in json.dumps(check)
    for path in ("/clientenbestand", "/signalen"):
        assert client.get(f"{V1}{path}", headers=auth["p"]).status_code == 403
    wrong = client.post(f"{V1}/clientenbestand", files={"bestand": ("c.csv", content, "text/csv")},
                        data={"controle": "x"}, headers=auth["a"])
    assert wrong.status_code == 409
    assert client.get(f"{V1}/clientenbestand", headers=auth["a"]).json()["totaal"] == 0
