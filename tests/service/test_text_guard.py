"""No control characters in any text the service takes (issue 19, finding S5).

A NUL in any text field gave 500 on PostgreSQL (six API operations, including ``/tokens``
without login, and two forms) and was stored on SQLite. Now every API operation that takes
text, found by walking the OpenAPI document, answers 400 with the field named, on both
databases; so do the forms. Tab and line breaks stay allowed in multi-line text.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from wpb.service.app import create_app
from wpb.service.components.beheer.tokens import issue_token
from wpb.service.components.verrekening.api import Geschilregistratie
from wpb.service.db import transaction
from wpb.service.text_guard import problem

from .overdrachten.test_pages import Browser, csrf_of

NUL = "a\x00b"
V1 = "/api/v1"


@pytest.fixture
def app(settings, clock, engine, tenants):
    return create_app(settings.with_(pseudoniem_sleutel="een-geheime-sleutel-van-minstens-16"),
                      clock=clock, engine=engine)


@pytest.fixture
def client(app):
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _resolve(doc: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"]
            return _resolve(doc, options[0])
    return schema


def _sample(doc: dict, schema: dict, path: str, texts: list[str]) -> Any:
    """A body with a NUL in every text; ``texts`` collects the path of each."""
    schema = _resolve(doc, schema)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        if not props:  # a free document (Haal Centraal JSON, an engine decision)
            texts.append(f"{path}.veld" if path else "veld")
            return {"veld": NUL}
        return {name: _sample(doc, sub, f"{path}.{name}" if path else name, texts)
                for name, sub in props.items()}
    if kind == "array":
        return [_sample(doc, schema.get("items", {}), f"{path}.0", texts)]
    if kind == "string" and schema.get("format") != "binary":
        texts.append(path)
        return NUL
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return True
    return None


def _operations(doc: dict):
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            url = V1 + re.sub(r"\{[^}]+\}", "1", path)
            queries = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"
                       and _resolve(doc, p.get("schema", {})).get("type") == "string"]
            content = op.get("requestBody", {}).get("content", {})
            if queries:
                yield method, url, "query", {q: NUL for q in queries}, queries
            for media, body in content.items():
                texts: list[str] = []
                sample = _sample(doc, body["schema"], "", texts)
                if texts:
                    yield method, url, media, sample, texts


def test_every_api_operation_that_takes_text_refuses_a_nul_naming_the_field(client, tenants, app):
    doc = client.get(f"{V1}/openapi.json").json()
    with transaction(app.state.wpb.factory) as session:
        token = issue_token(session, tenants.coordinator.gebruiker_id)
    seen = []
    for method, url, media, sample, texts in _operations(doc):
        for headers in ({}, {"Authorization": f"Bearer {token}"}):  # also without login
            kwargs: dict[str, Any] = {"headers": headers}
            if media == "query":
                kwargs["params"] = sample
            elif media == "application/json":
                kwargs["json"] = sample
            elif media == "multipart/form-data":
                kwargs["data"] = {k: v for k, v in sample.items() if isinstance(v, str)}
                kwargs["files"] = {"bestand": ("x.csv", b"a;b\n", "text/csv")}
            else:
                continue
            response = client.request(method.upper(), url, **kwargs)
            what = f"{method.upper()} {url} ({media})"
            assert response.status_code == 400, f"{what}: {response.status_code} {response.text[:300]}"
            named = {p["name"] for p in response.json()["invalidParams"]}
            assert set(texts) <= named, f"{what}: {sorted(named)} misses {sorted(set(texts) - named)}"
        seen.append(f"{method.upper()} {url.removeprefix(V1)}")
    # The operations of the finding are among them, /tokens first (no login needed).
    assert {"POST /tokens", "POST /geschillen", "POST /claims/1/statuswijziging",
            "PUT /overdrachten/1/brp-gegevens", "POST /aanleveringen"} <= set(seen)
    assert len(seen) >= 20


def test_other_control_characters_too_but_tab_and_line_breaks_are_text(client, tenants, app):
    with transaction(app.state.wpb.factory) as session:
        token = issue_token(session, tenants.b.gebruiker_id)
    auth = {"Authorization": f"Bearer {token}"}
    for char in ("\x01", "\x1b", "\x7f", "\x0b"):
        response = client.post(f"{V1}/geschillen", headers=auth, json={
            "onderwerp": "jeugdige", "bsn": "999990019", "omschrijving": f"x{char}y"})
        assert response.status_code == 400, repr(char)
        assert [p["name"] for p in response.json()["invalidParams"]] == ["omschrijving"]
    ok = client.post(f"{V1}/geschillen", headers=auth, json={
        "onderwerp": "jeugdige", "bsn": "999990019", "omschrijving": "regel 1\r\n\tregel 2",
        "partijen": [{"soort": "gemeente", "code": "0344"}]})
    assert ok.status_code == 201, ok.text


def test_the_request_models_name_a_nested_field():
    with pytest.raises(ValidationError) as caught:
        Geschilregistratie.model_validate({
            "onderwerp": "claim", "omschrijving": "x",
            "partijen": [{"soort": "gemeente", "code": "03\x0007"}]})
    (error,) = caught.value.errors()
    assert error["loc"] == ("partijen",) and "0.code: bevat een stuurteken (U+0000)" in error["msg"]
    assert problem("gewoon\ttekst\n") is None
    assert "U+0000" in problem("a\x00")


def test_a_nul_in_a_form_is_400_naming_the_field(app):
    browser = Browser(app)
    page = browser.get("/inloggen")
    login = browser.client.post("/inloggen", data={
        "csrf_token": csrf_of(page.text), "gebruikersnaam": NUL, "wachtwoord": "x"})
    assert login.status_code == 400 and "gebruikersnaam" in login.text
    browser.login("user-a")
    search = browser.post("/zoeken", {"bsn": "99999\x000019"})
    assert search.status_code == 400 and "bsn" in search.text
