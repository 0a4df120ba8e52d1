"""The API in Dutch: field errors of FastAPI's validation are Dutch reasons (never pydantic's
English "Input should be ..." nor the value sent), and the API's documentation page
``/api/v1/docs`` is rendered on the server from the OpenAPI document, loading nothing
from elsewhere."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from wpb.service.app import create_app
from wpb.service.problems import dutch_reason

V1 = "/api/v1"


@pytest.fixture
def client(sqlite_engine, settings, clock, sqlite_tenants):
    with TestClient(create_app(settings, engine=sqlite_engine, clock=clock)) as c:
        yield c


def _token(client, user="user-a") -> dict:
    from .helpers import TEST_PASSWORD

    response = client.post(f"{V1}/tokens", json={"gebruikersnaam": user, "wachtwoord": TEST_PASSWORD})
    assert response.status_code in (200, 201), response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_query_and_body_errors_are_dutch_and_name_the_field(client):
    who = _token(client)
    response = client.get(f"{V1}/overdrachten/abc", headers=who)
    assert response.status_code in (400, 404)
    bad = client.post(f"{V1}/tokens", json={"gebruikersnaam": 5})
    assert bad.status_code == 400
    body = bad.json()
    reasons = {p["name"]: p["reason"] for p in body["invalidParams"]}
    assert reasons == {"gebruikersnaam": "moet tekst zijn", "wachtwoord": "verplicht"}
    assert "Input should" not in bad.text and "Field required" not in bad.text


def test_no_english_library_text_for_the_common_error_types():
    cases = [
        ({"type": "missing"}, "verplicht"),
        ({"type": "int_parsing"}, "moet een geheel getal zijn"),
        ({"type": "date_from_datetime_parsing"}, "moet een datum zijn (JJJJ-MM-DD)"),
        ({"type": "string_too_long", "ctx": {"max_length": 9}}, "mag hoogstens 9 tekens hebben"),
        ({"type": "greater_than_equal", "ctx": {"ge": 1}}, "moet 1 of groter zijn"),
        ({"type": "literal_error", "ctx": {"expected": "'csv' or 'xlsx'"}},
         "moet een van deze waarden zijn: 'csv' of 'xlsx'"),
        ({"type": "value_error", "msg": "Value error, geen geldig BSN", "ctx": {"error": ValueError("geen geldig BSN")}},
         "geen geldig BSN"),
        ({"type": "iets_nieuws", "msg": "Something English"}, "ongeldige waarde"),
    ]
    for error, reason in cases:
        assert dutch_reason(error) == reason


def test_api_docs_page_is_served_from_the_document_without_cdn(client):
    page = client.get(f"{V1}/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="nl">' in html
    # Every operation of the document is on the page.
    document = client.get(f"{V1}/openapi.json").json()
    for path, item in document["paths"].items():
        for method in item:
            assert f"{method.upper()} {path}" in html, (method, path)
    # Nothing from elsewhere: every src/href is local or an anchor.
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith(("/", "#")), url
    assert "<script" not in html
    # The pages' policy (own stylesheet), not the API's default-src 'none'.
    assert "style-src 'self'" in page.headers["content-security-policy"]
    assert "docs" not in str(document["paths"].keys())


def test_favicon_and_the_login_field_attributes(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert client.get("/static/favicon.svg").status_code == 200
    login = client.get("/inloggen").text
    assert 'rel="icon" href="/static/favicon.svg"' in login
    assert 'autocapitalize="none"' in login and 'spellcheck="false"' in login
    assert "&#34;" not in login and "&quot;" not in login
