"""The REST API: NL GOV API Design Rules, problem+json, tenant isolation, audit of reads.

Rules checked (ADR 2.x): base path with the major version; ``API-Version`` header on every
response; problem details (``status``, ``title``, ``detail``) as ``application/problem+json``
for 4xx/5xx; status 400 for invalid input with every error at once; no trailing slash (404,
no redirect); kebab-case path segments with an optional ``_operation`` last segment; the
OpenAPI document at ``/openapi.json`` without login and with CORS for all origins; no
sensitive data (BSN) in any URI.
"""

from __future__ import annotations

import io
import logging
import re
import uuid
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from wpb.service.app import API_VERSION, create_app
from wpb.service.audit.models import AuditRegel
from wpb.service.components.beheer.tokens import issue_token
from wpb.service.components.overdrachten import listing, transitions
from wpb.service.db import transaction

from ..helpers import TEST_PASSWORD, by_public_id, csv_bytes, deliver, row

BSN = "999990019"
OTHER = "999990020"
V1 = "/api/v1"


@pytest.fixture
def auth(f, t):
    """Authorization headers per tenant key (a, b, c, p, q, coordinator)."""
    headers = {}
    with transaction(f) as session:
        for key in ("a", "b", "c", "p", "q", "coordinator"):
            token = issue_token(session, getattr(t, key).gebruiker_id)
            headers[key] = {"Authorization": f"Bearer {token}"}
    return headers


@pytest.fixture
def transfer(f, t, ctx) -> int:
    """A → B for BSN with lines for providers P and Q."""
    stored = deliver(f, t.a, ctx, [row(), row(agb="99000022", product="Pleegzorg")])
    return stored.nieuwe_overdrachten[0]


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert BSN not in response.text
    return body


# --- the OpenAPI document ------------------------------------------------------------------


@pytest.fixture
def openapi(client) -> dict:
    response = client.get(f"{V1}/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_is_public_and_readable_from_any_origin(client):
    response = client.get(f"{V1}/openapi.json")
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["api-version"] == API_VERSION


def test_openapi_document_follows_the_design_rules(openapi):
    assert openapi["openapi"].startswith("3.")
    assert re.fullmatch(r"\d+\.\d+\.\d+", openapi["info"]["version"])
    assert openapi["info"]["contact"]["name"]
    assert any(re.search(r"/v\d+$", s["url"]) for s in openapi["servers"])
    segment = re.compile(r"^(\/|(\/_[a-z0-9]+|\/(([a-z0-9\-]+|{[^}]+})(\/([a-z0-9\-\.]+|{[^}]+}))*)(\/_[a-z]+)?))$")
    for path, item in openapi["paths"].items():
        assert segment.fullmatch(path), f"{path} is geen kebab-case"
        assert not path.endswith("/")
        for method, operation in item.items():
            assert method in ("get", "post", "put", "patch", "delete")
            assert "422" not in operation["responses"]
            for code, response in operation["responses"].items():
                assert "API-Version" in response.get("headers", {}), f"{method} {path} {code}"
                if code.startswith(("4", "5")):
                    assert list(response["content"]) == ["application/problem+json"]
            params = [p for p in operation.get("parameters", []) if p["in"] == "query"]
            for p in params:
                assert re.fullmatch(r"[a-z][a-zA-Z0-9]*", p["name"]), p["name"]


def test_openapi_document_is_dutch_and_hides_the_framework(openapi):
    # ADR /core/doc-language, /core/hide-implementation and /core/date-time/format, also
    # without Spectral: no FastAPI defaults or code names in the contract.
    defined = {tag["name"] for tag in openapi["tags"]}
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            assert operation.get("description", "").strip(), f"{where}: geen beschrijving"
            assert set(operation["tags"]) <= defined, f"{where}: tag niet gedefinieerd"
            for code, response in operation["responses"].items():
                assert response["description"] != "Successful Response", f"{where} {code}"
                for media in (response.get("content") or {}).values():
                    title = (media.get("schema") or {}).get("title", "")
                    assert not title.startswith("Response "), f"{where} {code}: {title}"
    names = set(openapi["components"]["schemas"])
    assert all(re.fullmatch(r"[A-Z][A-Za-z0-9]*", n) for n in names), sorted(names)
    assert {"Controleverzoek", "Aanleververzoek", "Factuurbestand"} <= names
    assert "Body_" not in str(openapi)
    for schema, field in [("Token", "verlooptOp"), ("Gebeurtenis", "tijdstip"),
                          ("OverdrachtSamenvatting", "gewijzigdOp"), ("BrpStatus", "ontvangenOp")]:
        prop = openapi["components"]["schemas"][schema]["properties"][field]
        kinds = [prop, *prop.get("anyOf", [])]
        assert any(k.get("format") == "date-time" for k in kinds), (schema, field)


def test_no_bsn_or_personal_data_in_any_url(openapi):
    personal = re.compile(r"bsn|burgerservicenummer|geboorte|naam", re.IGNORECASE)
    for path, item in openapi["paths"].items():
        assert not personal.search(path), path
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] in ("path", "query"):
                    assert not personal.search(parameter["name"]), (path, parameter["name"])
    assert "/overdrachten/_zoek" in openapi["paths"]
    assert list(openapi["paths"]["/overdrachten/_zoek"]) == ["post"]


# --- headers on every response -------------------------------------------------------------


def test_api_version_and_security_headers_on_every_response(client, auth, transfer):
    responses = [
        client.get(f"{V1}/overdrachten", headers=auth["b"]),
        client.get(f"{V1}/overdrachten"),  # 401
        client.get(f"{V1}/overdrachten/999", headers=auth["b"]),  # 404
        client.get(f"{V1}/bestaat-niet"),  # 404 outside any route
        client.delete(f"{V1}/overdrachten", headers=auth["b"]),  # 405
        client.get(f"{V1}/overdrachten/x", headers=auth["b"]),  # 400
        client.get("/"),
    ]
    for response in responses:
        assert response.headers["api-version"] == API_VERSION, response.request.url
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


# --- problems ------------------------------------------------------------------------------


def test_validation_errors_list_every_field_at_once(client, auth, transfer):
    response = client.post(
        f"{V1}/overdrachten/{transfer}/afwijzing", headers=auth["b"],
        json={"versie": "twee", "gebruikWoonplaatsbeslissing": "soms", "onbekend": 1},
    )
    body = assert_problem(response, 400)
    names = {p["name"] for p in body["invalidParams"]}
    assert names == {"versie", "gebruikWoonplaatsbeslissing", "onbekend"}
    assert all(p["reason"] for p in body["invalidParams"])


def test_query_and_path_errors_are_400_too(client, auth):
    body = assert_problem(
        client.get(f"{V1}/overdrachten?pagina=0&paginaGrootte=9999&richting=zijwaarts", headers=auth["a"]), 400
    )
    assert {p["name"] for p in body["invalidParams"]} == {"query.pagina", "query.paginaGrootte", "query.richting"}
    assert_problem(client.get(f"{V1}/overdrachten/{'x' * 65}", headers=auth["a"]), 400)


def test_an_old_integer_url_is_not_found(client, auth, transfer):
    """S10: a transfer is named by its public id only; the old integer keys, its own
    included, are unknown ids."""
    assert client.get(f"{V1}/overdrachten/{transfer}", headers=auth["a"]).status_code == 200
    assert uuid.UUID(transfer).version == 4 and str(uuid.UUID(transfer)) == transfer
    for old in ("0", "1", "2", "99999999999"):
        assert_problem(client.get(f"{V1}/overdrachten/{old}", headers=auth["a"]), 404)
        assert_problem(client.post(f"{V1}/overdrachten/{old}/acceptatie", json={}, headers=auth["b"]), 404)


def test_malformed_json_is_400(client, auth, transfer):
    response = client.post(
        f"{V1}/overdrachten/{transfer}/afwijzing", headers={**auth["b"], "Content-Type": "application/json"},
        content=b"{niet json",
    )
    assert_problem(response, 400)


def test_service_errors_carry_invalid_params(client, auth, transfer):
    body = assert_problem(client.post(f"{V1}/overdrachten/{transfer}/afwijzing", headers=auth["b"], json={}), 400)
    assert body["invalidParams"][0]["name"] == "onderbouwing"


def test_trailing_slash_is_404_not_a_redirect(client, auth):
    response = client.get(f"{V1}/overdrachten/", headers=auth["a"], follow_redirects=False)
    assert_problem(response, 404)


def test_unauthenticated_is_401_with_a_challenge(client):
    response = client.get(f"{V1}/overdrachten")
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert_problem(client.get(f"{V1}/overdrachten", headers={"Authorization": "Bearer wpb_nep"}), 401)


def test_conflict_is_409_with_the_current_state(client, auth, transfer):
    assert client.post(f"{V1}/overdrachten/{transfer}/acceptatie", headers=auth["b"]).status_code == 200
    body = assert_problem(client.post(f"{V1}/overdrachten/{transfer}/acceptatie", headers=auth["b"]), 409)
    assert body["huidigeStatus"] == "geaccepteerd"


def test_forbidden_action_is_403(client, auth, transfer):
    assert_problem(client.post(f"{V1}/overdrachten/{transfer}/acceptatie", headers=auth["a"]), 403)


def test_too_large_request_is_413(client, auth, settings):
    big = b"x" * (settings.max_upload_bytes + 100_000)
    response = client.post(f"{V1}/aanleveringen/_controleer", headers=auth["a"], files={"bestand": ("a.csv", big)})
    assert_problem(response, 413)


def test_body_without_a_length_is_refused(client, auth):
    def chunks():
        yield b'{"bsn": '
        yield b'"999990019"}'

    response = client.post(f"{V1}/overdrachten/_zoek", headers={**auth["a"], "Content-Type": "application/json"},
                           content=chunks())
    assert_problem(response, 411)


def test_unexpected_errors_are_a_bare_500_and_logged_without_data(client, auth, transfer, monkeypatch, caplog):
    def broken(*_args, **_kwargs):
        raise RuntimeError(f"kapot bij {BSN}")

    monkeypatch.setattr(listing, "read_transfer", broken)
    with caplog.at_level(logging.ERROR, logger="wpb.service"):
        response = client.get(f"{V1}/overdrachten/{transfer}", headers=auth["b"])
    body = assert_problem(response, 500)
    assert "kapot" not in body["detail"]
    assert "RuntimeError" in caplog.text and BSN not in caplog.text


# --- tenant isolation ----------------------------------------------------------------------


READS = [
    "/overdrachten/{id}",
    "/overdrachten/{id}/verantwoordelijkheid",
    "/overdrachten/{id}/taken",
]


@pytest.mark.parametrize("path", READS)
def test_isolation_of_reads(client, auth, transfer, path):
    url = V1 + path.format(id=transfer)
    for who in ("a", "b", "p", "q", "coordinator"):
        assert client.get(url, headers=auth[who]).status_code == 200, who
    assert_problem(client.get(url, headers=auth["c"]), 404)


def test_other_tenants_get_404_on_every_transfer_operation(client, auth, transfer):
    calls = [
        ("post", f"/overdrachten/{transfer}/acceptatie", {}),
        ("post", f"/overdrachten/{transfer}/afwijzing", {"onderbouwing": "x"}),
        ("post", f"/overdrachten/{transfer}/afronding", {"toewijzingIngangsdatum": "2022-01-01", "toewijzingReferentie": "x"}),
        ("post", f"/overdrachten/{transfer}/doorzending", {"gemeente": "0363"}),
        ("put", f"/overdrachten/{transfer}/brp-gegevens", {"verblijfplaatsen": []}),
        ("post", f"/overdrachten/{transfer}/woonplaatsbeslissingen", {}),
        ("put", f"/overdrachten/{transfer}/taken/ontvangende.contracteren", {"gedaan": True}),
    ]
    for method, path, body in calls:
        response = client.request(method, V1 + path, headers=auth["c"], json=body)
        assert_problem(response, 404)
    with transaction(client.app.state.wpb.factory) as session:
        assert by_public_id(session, transitions.Overdracht, transfer).status == "aangeleverd"


def test_a_provider_sees_only_its_own_clients_and_lines(client, auth, f, t, ctx, transfer):
    only_p = deliver(f, t.a, ctx, [row(OTHER, agb="99000011", product="Ambulant")]).nieuwe_overdrachten[0]
    listed = lambda who: sorted(o["id"] for o in client.get(f"{V1}/overdrachten", headers=auth[who]).json()["overdrachten"])  # noqa: E731
    assert listed("p") == sorted([transfer, only_p])
    assert listed("q") == [transfer]
    assert listed("c") == []
    detail = client.get(f"{V1}/overdrachten/{transfer}", headers=auth["q"]).json()
    assert [r["aanbiederAgb"] for r in detail["regels"]] == ["99000022"]
    assert detail["brp"] is None and detail["afwijzing"] is None
    assert_problem(client.get(f"{V1}/overdrachten/{only_p}", headers=auth["q"]), 404)


def test_search_is_a_post_and_respects_tenants(client, auth, transfer):
    found = client.post(f"{V1}/overdrachten/_zoek", headers=auth["b"], json={"bsn": BSN}).json()
    assert [o["id"] for o in found["overdrachten"]] == [transfer]
    assert client.post(f"{V1}/overdrachten/_zoek", headers=auth["c"], json={"bsn": BSN}).json() == {"overdrachten": []}
    body = assert_problem(client.post(f"{V1}/overdrachten/_zoek", headers=auth["b"], json={"bsn": "123"}), 400)
    assert body["invalidParams"][0]["name"] == "bsn"


# --- the whole flow through the API --------------------------------------------------------


def test_upload_accept_complete_through_the_api(client, auth, clock):
    content = csv_bytes([row(), row(OTHER, ontvangende="9999")])
    checked = client.post(f"{V1}/aanleveringen/_controleer", headers=auth["a"], files={"bestand": ("l.csv", content)})
    assert checked.status_code == 200
    report = checked.json()
    assert (report["regelsGeldig"], report["regelsAfgewezen"]) == (1, 1)
    assert report["afgewezen"] == [{"regel": 3, "kolom": "ontvangende_gemeente", "reden": "onbekende gemeentecode",
                                    "waarde": "9999"}]
    assert client.get(f"{V1}/overdrachten", headers=auth["b"]).json()["totaal"] == 0

    missing = client.post(f"{V1}/aanleveringen", headers=auth["a"], files={"bestand": ("l.csv", content)})
    assert assert_problem(missing, 400)["invalidParams"][0]["name"] == "controle"
    wrong = client.post(f"{V1}/aanleveringen", headers=auth["a"], files={"bestand": ("l.csv", content)},
                        data={"controle": "0" * 64})
    assert_problem(wrong, 409)
    stored = client.post(f"{V1}/aanleveringen", headers=auth["a"], files={"bestand": ("l.csv", content)},
                         data={"controle": report["controle"]})
    assert stored.status_code == 201
    [oid] = stored.json()["nieuweOverdrachten"]

    accepted = client.post(f"{V1}/overdrachten/{oid}/acceptatie", headers=auth["b"], json={"versie": 1})
    assert accepted.json()["status"] == "geaccepteerd"
    clock.set(2022, 1, 10)
    done = client.post(f"{V1}/overdrachten/{oid}/afronding", headers=auth["b"],
                       json={"toewijzingIngangsdatum": "2022-01-01", "toewijzingReferentie": "TW-9"})
    assert done.status_code == 200 and done.json()["afronding"]["toewijzingReferentie"] == "TW-9"


def test_reject_and_redirect_through_the_api(client, auth, transfer):
    rejected = client.post(f"{V1}/overdrachten/{transfer}/afwijzing", headers=auth["b"],
                           json={"onderbouwing": "Niet onze inwoner."})
    assert rejected.json()["status"] == "afgewezen"
    redirected = client.post(f"{V1}/overdrachten/{transfer}/doorzending", headers=auth["a"], json={"gemeente": "0355"})
    assert redirected.status_code == 201
    new = redirected.json()
    assert redirected.headers["location"] == f"{V1}/overdrachten/{new['id']}"
    assert client.get(f"{V1}/overdrachten/{new['id']}", headers=auth["c"]).status_code == 200


def test_tasks_through_the_api(client, auth, transfer):
    url = f"{V1}/overdrachten/{transfer}/taken/ontvangende.contracteren"
    assert client.put(url, headers=auth["b"], json={"gedaan": True}).json()["gedaan"] is True
    assert_problem(client.put(url, headers=auth["a"], json={"gedaan": True}), 403)
    mine = client.get(f"{V1}/taken?alleenOpen=true", headers=auth["b"]).json()["taken"]
    assert mine and "ontvangende.contracteren" not in [x["code"] for x in mine]
    assert client.get(f"{V1}/overzicht", headers=auth["coordinator"]).status_code == 200


# --- downloads -----------------------------------------------------------------------------


def test_download_incoming_as_csv_with_the_aanleverdatum(client, auth, transfer):
    response = client.get(f"{V1}/overdrachten?richting=inkomend&formaat=csv", headers=auth["b"])
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert "aanleverdatum" in header
    first = dict(zip(header, lines[1].split(";"), strict=True))
    assert (first["aanleverdatum"], first["bsn"], first["ontvangende_gemeente"]) == ("2021-10-15", BSN, "0307")
    assert len(lines) == 3  # one row per provider/product
    by_accept = client.get(f"{V1}/overdrachten?richting=inkomend", headers={**auth["b"], "Accept": "text/csv"})
    assert by_accept.content == response.content


def test_download_as_xlsx(client, auth, transfer):
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = client.get(f"{V1}/overdrachten?richting=inkomend", headers={**auth["b"], "Accept": xlsx})
    assert response.headers["content-type"] == xlsx
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    # A real date cell; each gemeente code with its name beside it.
    assert rows[0][2] == "aanleverdatum" and rows[1][2] == datetime(2021, 10, 15)
    assert rows[0][3:8] == ("latende_gemeente", "latende_gemeente_naam", "ontvangende_gemeente",
                            "ontvangende_gemeente_naam", "bsn")
    assert rows[1][3:8] == ("0344", "Utrecht", "0307", "Amersfoort", BSN)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")


def test_downloaded_csv_can_be_uploaded_again_without_formula_injection(client, auth, f, t, ctx):
    deliver(f, t.a, ctx, [row(product="=HYPERLINK(\"x\")")])
    text = client.get(f"{V1}/overdrachten?formaat=csv", headers=auth["b"]).content.decode("utf-8-sig")
    assert ";'=HYPERLINK" in text.replace('"', "")


# --- audit of reads ------------------------------------------------------------------------


def audit_entries(f) -> list[tuple[str, str | None, str]]:
    with transaction(f) as session:
        rows = session.query(AuditRegel).order_by(AuditRegel.id).all()
        return [(r.actie, r.bsn, r.gebruikersnaam) for r in rows]


def test_every_read_of_youth_data_is_audited(client, auth, f, transfer):
    before = len(audit_entries(f))
    client.get(f"{V1}/overdrachten/{transfer}", headers=auth["p"])
    client.get(f"{V1}/overdrachten", headers=auth["b"])
    client.post(f"{V1}/overdrachten/_zoek", headers=auth["c"], json={"bsn": BSN})
    client.get(f"{V1}/overdrachten?formaat=csv", headers=auth["a"])
    client.get(f"{V1}/overdrachten/{transfer}/taken", headers=auth["b"])
    assert audit_entries(f)[before:] == [
        ("overdracht.lezen", BSN, "user-p"),
        ("overdracht.lijst", BSN, "user-b"),
        ("overdracht.zoeken", BSN, "user-c"),  # a search is audited even when nothing is found
        ("overdracht.download", BSN, "user-a"),
        ("taken.lezen", BSN, "user-b"),
    ]


def test_refused_reads_leave_no_data_and_no_read_entry(client, auth, f, transfer):
    before = audit_entries(f)
    assert_problem(client.get(f"{V1}/overdrachten/{transfer}", headers=auth["c"]), 404)
    assert audit_entries(f) == before


# --- tokens --------------------------------------------------------------------------------


def test_token_from_password_and_revocation(client, t):
    response = client.post(f"{V1}/tokens", json={"gebruikersnaam": "user-b", "wachtwoord": TEST_PASSWORD})
    assert response.status_code == 201
    headers = {"Authorization": f"Bearer {response.json()['token']}"}
    profile = client.get(f"{V1}/gebruikersprofiel", headers=headers).json()
    assert profile["organisatie"] == {"soort": "gemeente", "code": "0307", "naam": "Amersfoort"}
    assert client.delete(f"{V1}/tokens/huidig", headers=headers).status_code == 204
    assert_problem(client.get(f"{V1}/gebruikersprofiel", headers=headers), 401)


def test_wrong_password_and_then_too_many_attempts(client, t):
    from wpb.service.auth.throttle import LoginThrottle

    now = [0.0]
    client.app.state.wpb.throttle = LoginThrottle(clock=lambda: now[0])
    for _ in range(5):  # an account's free failures
        wrong = client.post(f"{V1}/tokens", json={"gebruikersnaam": "user-b", "wachtwoord": "fout-wachtwoord"})
        assert_problem(wrong, 401)
    blocked = client.post(f"{V1}/tokens", json={"gebruikersnaam": "user-b", "wachtwoord": TEST_PASSWORD})
    assert_problem(blocked, 429)
    assert int(blocked.headers["retry-after"]) == 1
    now[0] += 1  # the right password is slowed down, never locked out
    assert client.post(f"{V1}/tokens", json={"gebruikersnaam": "user-b", "wachtwoord": TEST_PASSWORD}).status_code == 201


def test_expired_token_is_refused(client, f, t, clock):
    from datetime import timedelta

    from wpb.service.clock import utc_naive

    with transaction(f) as session:
        token = issue_token(session, t.b.gebruiker_id, geldig=timedelta(days=1), now=utc_naive(clock()))
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"{V1}/gebruikersprofiel", headers=headers).status_code == 200
    clock.set(2021, 10, 17)
    assert_problem(client.get(f"{V1}/gebruikersprofiel", headers=headers), 401)


def test_a_token_revoked_elsewhere_stops_within_the_cache_seconds(sqlite_engine, settings, clock, f, t):
    """WPB_TOKEN_CACHE_SECONDS: another process (here: the database directly) revokes a
    token; this process trusts its earlier check for at most that long, and with 0 not at all."""
    from wpb.service.components.beheer.tokens import revoke_token

    for seconds, expected_after_revoke in ((60, 200), (0, 401)):
        app = create_app(settings.with_(token_cache_seconds=seconds), engine=sqlite_engine,
                         clock=clock, pages=False)
        with TestClient(app) as c:
            with transaction(f) as session:
                token = issue_token(session, t.b.gebruiker_id)
            headers = {"Authorization": f"Bearer {token}"}
            assert c.get(f"{V1}/gebruikersprofiel", headers=headers).status_code == 200
            with transaction(f) as session:
                assert revoke_token(session, token)
            assert c.get(f"{V1}/gebruikersprofiel", headers=headers).status_code == expected_after_revoke
            app.state.wpb.tokens.clear()  # what the passing of the seconds does
            assert_problem(c.get(f"{V1}/gebruikersprofiel", headers=headers), 401)
