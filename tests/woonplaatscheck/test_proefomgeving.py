"""The local proefomgeving answers like the Haal Centraal APIs: periods half-open, newest
first, problem+json without the BSN."""

from __future__ import annotations

from fastapi.testclient import TestClient

from woonplaatscheck.helpers import adres, proef_bsns
from wpb.brp.proefomgeving import build_app

BSN, ANDER = proef_bsns(2, start=999_997_000)
PERSONEN = {BSN: {"burgerservicenummer": BSN,
                  "geboorte": {"datum": {"type": "Datum", "datum": "2012-01-01"}},
                  "verblijfplaatsen": [adres("2012-01-01", "0344", "2020-01-01"),
                                       adres("2020-01-01", "0363", "2024-01-01"),
                                       adres("2024-01-01", "0599")]}}


def _historie(client, van, tot, bsn=BSN):
    return client.post("/verblijfplaatshistorie", json={
        "type": "RaadpleegMetPeriode", "burgerservicenummer": bsn, "datumVan": van, "datumTot": tot})


def test_the_historie_api_answers_the_records_overlapping_the_half_open_period():
    client = TestClient(build_app(PERSONEN))
    codes = [r["gemeenteVanInschrijving"]["code"]
             for r in _historie(client, "2019-12-31", "2024-01-01").json()["verblijfplaatsen"]]
    assert codes == ["0363", "0344"]  # newest first; 2024-01-01 itself is outside
    only = _historie(client, "2020-01-01", "2020-01-02").json()["verblijfplaatsen"]
    assert [r["gemeenteVanInschrijving"]["code"] for r in only] == ["0363"]


def test_personen_answers_without_the_history_and_skips_unknown_numbers():
    client = TestClient(build_app(PERSONEN))
    body = client.post("/personen", json={"type": "RaadpleegMetBurgerservicenummer",
                                          "burgerservicenummer": [BSN, ANDER]}).json()
    assert [p["burgerservicenummer"] for p in body["personen"]] == [BSN]
    assert "verblijfplaatsen" not in body["personen"][0]


def test_errors_are_problem_json_without_the_bsn():
    client = TestClient(build_app(PERSONEN, api_key="sleutel"))
    assert client.post("/personen", json={}).status_code == 401
    client = TestClient(build_app(PERSONEN))
    missing = _historie(client, "2020-01-01", "2021-01-01", bsn=ANDER)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert ANDER not in missing.text
    assert _historie(client, "2021-01-01", "2020-01-01").status_code == 400
    too_many = client.post("/personen", json={"type": "RaadpleegMetBurgerservicenummer",
                                              "burgerservicenummer": [BSN] * 21})
    assert too_many.status_code == 400
