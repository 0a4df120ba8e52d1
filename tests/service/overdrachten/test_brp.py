"""BRP data on a transfer: the Haal Centraal client against a local fake, the woonplaats check.

The fake answers as the published API "BRP historie bevragen" 2.0 does (facts from its
OpenAPI description): ``POST /verblijfplaatshistorie`` with a ``RaadpleegMetPeriode`` or
``RaadpleegMetPeildatum`` query, the API key in ``X-API-KEY``, an answer
``{"verblijfplaatsen": [...]}`` with the newest record first and typed dates carrying a
``langFormaat``, and errors as ``application/problem+json`` (``Foutbericht``).
"""

from __future__ import annotations

import json
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient

from wpb.service.app import create_app
from wpb.service.audit.models import AuditRegel
from wpb.service.brp_client import BrpClient, query_until
from wpb.service.components.beheer.tokens import issue_token
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.db import transaction
from wpb.service.errors import NotConfigured, UpstreamError

from ..helpers import by_public_id, deliver, row

API_KEY = "test-sleutel"
MOVED_TO_ZEIST = "999990019"
LIVES_IN_AMERSFOORT = "999990020"


def _datum(d: str) -> dict:
    return {"type": "Datum", "datum": d, "langFormaat": d}


def _adres(code: str, naam: str, van: str, tot: str | None = None) -> dict:
    record = {
        "type": "Adres",
        "datumVan": _datum(van),
        "gemeenteVanInschrijving": {"code": code, "omschrijving": naam},
        "functieAdres": {"code": "W", "omschrijving": "woonadres"},
        "verblijfadres": {"officieleStraatnaam": "Proefstraat", "huisnummer": 1, "postcode": "1234AB",
                          "woonplaats": naam},
    }
    if tot:
        record["datumTot"] = _datum(tot)
    return record


PERSONS = {
    MOVED_TO_ZEIST: [_adres("0355", "Zeist", "2021-02-01"), _adres("0344", "Utrecht", "2010-05-01", "2021-02-01")],
    LIVES_IN_AMERSFOORT: [_adres("0307", "Amersfoort", "2010-05-01")],
}


class FakeBrp:
    """A local HTTP server in the published request/response format."""

    def __init__(self):
        self.requests: list[dict] = []
        self.delay = 0.0
        self.break_with: int | None = None
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args):  # keep the test output quiet
                pass

            def _send(self, status: int, body: dict, content_type: str = "application/json"):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _problem(self, status: int, title: str, code: str, **extra):
                self._send(status, {"type": "https://www.rfc-editor.org/rfc/rfc9110", "title": title,
                                    "status": status, "code": code, **extra}, "application/problem+json")

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if fake.delay:
                    time.sleep(fake.delay)
                if fake.break_with:
                    self._problem(fake.break_with, "Bronservice BRP is tijdelijk niet beschikbaar.", "notAvailable")
                    return
                if self.path != "/haalcentraal/api/brphistorie/verblijfplaatshistorie":
                    self._problem(404, "Opgevraagde resource bestaat niet.", "notFound")
                    return
                if self.headers.get("X-API-KEY") != API_KEY:
                    self._problem(401, "Niet correct geauthenticeerd.", "authentication")
                    return
                bsn = body.get("burgerservicenummer")
                invalid = []
                if body.get("type") not in ("RaadpleegMetPeriode", "RaadpleegMetPeildatum"):
                    invalid.append({"name": "type", "code": "value", "reason": "Onbekende waarde."})
                if not (isinstance(bsn, str) and len(bsn) == 9 and bsn.isdigit()):
                    invalid.append({"name": "burgerservicenummer", "code": "pattern", "reason": "Waarde voldoet niet aan patroon."})
                if body.get("type") == "RaadpleegMetPeriode" and not (body.get("datumVan") and body.get("datumTot")):
                    invalid.append({"name": "datumVan", "code": "required", "reason": "Parameter is verplicht."})
                if invalid:
                    self._problem(400, "Een of meerdere parameters zijn niet correct.", "paramsValidation",
                                  invalidParams=invalid)
                    return
                self._send(200, {"verblijfplaatsen": PERSONS.get(bsn, [])})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base_url = f"http://127.0.0.1:{self.server.server_port}/haalcentraal/api/brphistorie"

    def close(self):
        if self.thread.is_alive():
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(timeout=5)


@pytest.fixture
def brp():
    fake = FakeBrp()
    yield fake
    fake.close()


# --- the client ----------------------------------------------------------------------------


def test_client_asks_for_the_period_from_birth_to_the_peildatum(brp):
    client = BrpClient(brp.base_url, API_KEY)
    answer = client.verblijfplaatshistorie(query_until(MOVED_TO_ZEIST, date(2010, 5, 1), date(2022, 3, 1)))
    assert [v["gemeenteVanInschrijving"]["code"] for v in answer["verblijfplaatsen"]] == ["0355", "0344"]
    [sent] = brp.requests
    assert sent["path"].endswith("/verblijfplaatshistorie")
    assert sent["headers"]["X-API-KEY"] == API_KEY
    assert sent["body"] == {
        "type": "RaadpleegMetPeriode",
        "burgerservicenummer": MOVED_TO_ZEIST,
        "datumVan": "2010-05-01",
        "datumTot": "2022-03-02",  # half-open: the peildatum itself is included
    }


def test_unknown_person_gives_an_empty_history(brp):
    answer = BrpClient(brp.base_url, API_KEY).verblijfplaatshistorie(
        query_until("999990032", date(2010, 1, 1), date(2022, 1, 1))
    )
    assert answer == {"verblijfplaatsen": []}


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda fake: None, "401"),  # wrong key
        (lambda fake: setattr(fake, "break_with", 503), "503"),
    ],
)
def test_brp_errors_are_upstream_errors_without_the_bsn(brp, setup, expected):
    setup(brp)
    key = "fout" if expected == "401" else API_KEY
    with pytest.raises(UpstreamError) as info:
        BrpClient(brp.base_url, key).verblijfplaatshistorie(query_until(MOVED_TO_ZEIST, date(2010, 5, 1), date(2022, 1, 1)))
    assert expected in info.value.detail and MOVED_TO_ZEIST not in info.value.detail


def test_unreachable_and_slow_brp(brp):
    brp.delay = 1.0
    with pytest.raises(UpstreamError, match="te lang"):
        BrpClient(brp.base_url, API_KEY, timeout=0.2).verblijfplaatshistorie(
            query_until(MOVED_TO_ZEIST, date(2010, 5, 1), date(2022, 1, 1))
        )
    port = brp.server.server_port
    brp.close()
    with pytest.raises(UpstreamError, match="niet bereikbaar"):
        BrpClient(f"http://127.0.0.1:{port}", API_KEY, timeout=1).verblijfplaatshistorie(
            query_until(MOVED_TO_ZEIST, date(2010, 5, 1), date(2022, 1, 1))
        )


def test_no_base_url_means_not_configured():
    with pytest.raises(NotConfigured):
        BrpClient("", "")


# --- on a transfer, through the API --------------------------------------------------------


@pytest.fixture
def setup(sqlite_engine, sqlite_factory, sqlite_tenants, settings, clock, ctx, brp):
    configured = settings.with_(brp_base_url=brp.base_url, brp_api_key=API_KEY)
    app = create_app(configured, engine=sqlite_engine, clock=clock, pages=False)
    tokens = {}
    with transaction(sqlite_factory) as session:
        for key in ("a", "b", "c", "p"):
            tokens[key] = {"Authorization": f"Bearer {issue_token(session, getattr(sqlite_tenants, key).gebruiker_id)}"}
    stored = deliver(sqlite_factory, sqlite_tenants.a, ctx, [row(MOVED_TO_ZEIST), row(LIVES_IN_AMERSFOORT)])
    with TestClient(app) as client:
        yield client, tokens, stored.nieuwe_overdrachten, sqlite_factory


def test_fetch_decide_and_reject_with_the_decision(setup):
    client, auth, (zeist, _), factory = setup
    base = f"/api/v1/overdrachten/{zeist}"
    fetched = client.post(f"{base}/brp-bevragingen", headers=auth["b"], json={"peildatum": "2022-03-01"})
    assert fetched.status_code == 200, fetched.text
    assert fetched.json()["bron"] == "haal-centraal" and fetched.json()["aantalVerblijfplaatsen"] == 2

    decided = client.post(f"{base}/woonplaatsbeslissingen", headers=auth["b"], json={"peildatum": "2022-03-01"})
    assert decided.status_code == 201, decided.text
    decision = decided.json()
    assert decision["status"] == "bepaald" and decision["gemeente"]["code"] == "0355"

    rejected = client.post(f"{base}/afwijzing", headers=auth["b"], json={"gebruikWoonplaatsbeslissing": True})
    assert rejected.status_code == 200, rejected.text
    afwijzing = rejected.json()["afwijzing"]
    assert afwijzing["beslissing"] == decision
    assert afwijzing["onderbouwing"].startswith("Woonplaatsbeslissing: ")

    with transaction(factory) as session:
        actions = [r.actie for r in session.query(AuditRegel).filter(
            AuditRegel.overdracht_id == by_public_id(session, Overdracht, zeist).id)]
    assert {"brp.opvragen", "brp.koppelen", "woonplaats.bepalen", "overdracht.afwijzen"} <= set(actions)


def test_a_decision_naming_the_receiver_itself_is_no_ground_to_reject(setup):
    client, auth, (_, amersfoort), _ = setup
    base = f"/api/v1/overdrachten/{amersfoort}"
    client.post(f"{base}/brp-bevragingen", headers=auth["b"], json={"peildatum": "2022-03-01"})
    decision = client.post(f"{base}/woonplaatsbeslissingen", headers=auth["b"], json={"peildatum": "2022-03-01"}).json()
    assert decision["gemeente"]["code"] == "0307"
    refused = client.post(f"{base}/afwijzing", headers=auth["b"], json={"gebruikWoonplaatsbeslissing": True})
    assert refused.status_code == 400
    assert "zelf" in refused.json()["invalidParams"][0]["reason"]


def test_uploaded_case_document_with_care_episodes(setup):
    client, auth, (zeist, _), _ = setup
    case = {
        "jeugdige": {
            "burgerservicenummer": MOVED_TO_ZEIST,
            "geboorte": {"datum": {"type": "Datum", "datum": "2010-05-01"}},
            "verblijfplaatshistorie": PERSONS[MOVED_TO_ZEIST],
        },
        "jeugdhulp": [{"begin": "2020-09-01", "einde": None, "verblijf": True, "vorm": "pleegouder"}],
    }
    put = client.put(f"/api/v1/overdrachten/{zeist}/brp-gegevens", headers=auth["a"], json=case)
    assert put.status_code == 200, put.text and put.json()["bron"] == "upload"
    decision = client.post(
        f"/api/v1/overdrachten/{zeist}/woonplaatsbeslissingen", headers=auth["a"], json={"peildatum": "2022-03-01"}
    ).json()
    # Pleegzorg since 2020-09-01: the woonplaats is the address before the stay began (Utrecht).
    assert decision["gemeente"]["code"] == "0344"


def test_brp_document_problems_are_all_reported(setup):
    client, auth, (zeist, _), _ = setup
    url = f"/api/v1/overdrachten/{zeist}/brp-gegevens"
    other = client.put(url, headers=auth["b"], json={"jeugdige": {"burgerservicenummer": LIVES_IN_AMERSFOORT}})
    assert other.status_code == 400 and other.json()["invalidParams"][0]["name"] == "jeugdige.burgerservicenummer"
    bad = client.put(url, headers=auth["b"], json={"verblijfplaatsen": [
        {"type": "Adres", "datumVan": {"type": "Datum", "datum": "2021-13-01"}, "gemeenteVanInschrijving": {"code": "0344"}},
        {"type": "Adres", "datumVan": {"type": "Datum", "datum": "2021-01-01"}, "gemeenteVanInschrijving": {"code": "9999"}},
        {"type": "Woonboot"},
    ]})
    assert bad.status_code == 400
    names = [p["name"] for p in bad.json()["invalidParams"]]
    assert len(names) == 3 and all(n.startswith("jeugdige.verblijfplaatshistorie[") for n in names)
    assert client.put(url, headers=auth["b"], json={"iets": "anders"}).status_code == 400
    assert client.put(url, headers=auth["p"], json={"verblijfplaatsen": []}).status_code == 403


def test_deeply_nested_document_is_refused_cleanly(setup):
    client, auth, (zeist, _), _ = setup
    deep: dict = {}
    node = deep
    for _ in range(500):
        node["x"] = {}
        node = node["x"]
    response = client.put(f"/api/v1/overdrachten/{zeist}/brp-gegevens", headers=auth["b"],
                          json={"verblijfplaatsen": [], "extra": deep})
    assert response.status_code == 400 and "genest" in response.json()["invalidParams"][0]["reason"]


def test_decision_needs_brp_data_first(setup):
    client, auth, (zeist, _), _ = setup
    response = client.post(f"/api/v1/overdrachten/{zeist}/woonplaatsbeslissingen", headers=auth["b"], json={})
    assert response.status_code == 400 and response.json()["invalidParams"][0]["name"] == "brp"


def test_brp_down_is_a_502_and_nothing_changes(setup, brp):
    client, auth, (zeist, _), _ = setup
    brp.break_with = 503
    response = client.post(f"/api/v1/overdrachten/{zeist}/brp-bevragingen", headers=auth["b"], json={})
    assert response.status_code == 502 and response.headers["content-type"] == "application/problem+json"
    detail = client.get(f"/api/v1/overdrachten/{zeist}", headers=auth["b"]).json()
    assert detail["brp"]["aanwezig"] is False


def test_without_a_configured_brp_the_fetch_is_503(sqlite_engine, sqlite_factory, sqlite_tenants, settings, clock, ctx):
    app = create_app(settings, engine=sqlite_engine, clock=clock, pages=False)
    [oid] = deliver(sqlite_factory, sqlite_tenants.a, ctx, [row()]).nieuwe_overdrachten
    with transaction(sqlite_factory) as session:
        token = issue_token(session, sqlite_tenants.b.gebruiker_id)
    with TestClient(app) as client:
        response = client.post(f"/api/v1/overdrachten/{oid}/brp-bevragingen",
                               headers={"Authorization": f"Bearer {token}"}, json={})
    assert response.status_code == 503 and response.json()["code"] == "nietIngesteld"
