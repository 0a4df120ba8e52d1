"""Tenant isolation: every API operation × every role, and the main pages × every role.

The operations are read from the service's own OpenAPI document; an operation without a
row in :data:`MATRIX` fails the test, so a new endpoint cannot slip in untested. Each row
says, per role, what must happen to a request that is valid for that role (the scenario of
:mod:`.support`; Utrecht delivered youths to Amersfoort, the provider is on every line):

| outcome | meaning |
|---|---|
| ``ok`` | 2xx: the role may do this |
| ``leeg`` | 2xx, and not one BSN, pseudonym or claim id of the scenario in the answer (a list that is empty for this role) |
| ``401`` | no token: refused, problem+json, no data |
| ``403`` | the role sees the resource but may not do this: refused, nothing changed, no data |
| ``404`` | the role may not see the resource: the same answer as for one that does not exist |
| ``400`` | the request names something the role cannot see (in the body): refused, nothing named |

The rules come from the docstrings of the service modules (who sees what, who does what)
and docs/verrekening.md section 9; a denied request must leave the database as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .faults import snapshot
from .support import (
    INVOICE_HEADER,
    PASSWORD,
    PROVIDER,
    ROLES,
    V1,
    Browser,
    Scenario,
    assert_problem_json,
    csv_upload,
    upload_row,
    valid_bsns,
)

CODES = {"latend": "0344", "ontvangend": "0307", "buitenstaander": "0355"}
# Not business data: the audit trail, tokens, and the browser sessions a login creates (S7).
AUDIT = ("audit_log", "audit_kop", "api_tokens", "web_sessies")


@dataclass(frozen=True)
class Row:
    rules: str  # "latend=ok ontvangend=403 ..."
    send: Callable  # (client, scenario, role) -> response
    changes: bool = True  # the operation writes (denied attempts must not)
    setup: Callable | None = None  # (client, scenario): brings a copy to the needed state

    def expected(self) -> dict[str, str]:
        found = dict(part.split("=") for part in self.rules.split())
        assert set(found) == set(ROLES), f"{self.rules}: every role needs an outcome"
        return found


def _req(method: str, path: str, **kwargs) -> Callable:
    """A request whose path may name scenario ids as {id:name}."""

    def send(c, s: Scenario, role: str):
        url = re.sub(r"\{id:([a-z_0-9]+)\}", lambda m: str(s.ids[m.group(1)]), V1 + path)
        return c.request(method, url, headers=s.headers(role), **kwargs)

    return send


def _json(method: str, path: str, body: Callable | dict) -> Callable:
    def send(c, s: Scenario, role: str):
        payload = body(s, role) if callable(body) else body
        return _req(method, path, json=payload)(c, s, role)

    return send


def _upload_check(c, s: Scenario, role: str):
    rows = csv_upload([upload_row(b, ontvangende="0363") for b in valid_bsns(2, 999_730_000)])
    return c.post(f"{V1}/aanleveringen/_controleer", files={"bestand": ("l.csv", rows, "text/csv")},
                  headers=s.headers(role))


def _upload_store(c, s: Scenario, role: str):
    rows = csv_upload([upload_row(b, ontvangende="0363") for b in valid_bsns(2, 999_730_000)])
    check = c.post(f"{V1}/aanleveringen/_controleer", files={"bestand": ("l.csv", rows, "text/csv")},
                   headers=s.headers(role))
    controle = check.json().get("controle", "0" * 64) if check.status_code == 200 else "0" * 64
    return c.post(f"{V1}/aanleveringen", files={"bestand": ("l.csv", rows, "text/csv")},
                  data={"controle": controle}, headers=s.headers(role))


def _message(c, s: Scenario, role: str):
    from ijw_builders import jw315
    from wpb.ijw.xml_write import write_bericht

    data = write_bericht(jw315(identificatie="VOT000000555", bsn=valid_bsns(1, 999_740_000)[0]))
    return c.post(f"{V1}/berichten", content=data,
                  headers={**s.headers(role), "Content-Type": "application/xml"})


def _invoices(c, s: Scenario, role: str):
    payer = CODES.get(role, "0344")
    rows = csv_upload([[f"M-{role}", s.bsns["claim"], payer, PROVIDER, "45A48", "2022-05-01",
                        "2022-05-31", "1000", "2022-06-15"]], header=INVOICE_HEADER)
    return c.post(f"{V1}/declaraties", files={"bestand": ("f.csv", rows, "text/csv")},
                  headers=s.headers(role))


def _accept_netting(c, s: Scenario) -> None:
    """Payment needs an accepted run: the coordinator accepts for all."""
    accepted = c.post(f"{V1}/salderingen/{s.ids['saldering']}/acceptatie", json={},
                      headers=s.headers("coordinator"))
    assert accepted.status_code == 200, accepted.text


def _token(c, s: Scenario, role: str):
    return c.post(f"{V1}/tokens", json={"gebruikersnaam": "rel-latend", "wachtwoord": PASSWORD},
                  headers=s.headers(role))


T = "/overdrachten/{id:overdracht_brp}"
ALL_OK = "latend=ok ontvangend=ok buitenstaander=ok aanbieder=ok coordinator=ok anoniem=401"
# Only a gemeente has a caseload (components.clientenbestand): each its own.
CASELOAD = "latend=leeg ontvangend=leeg buitenstaander=leeg aanbieder=403 coordinator=403 anoniem=401"
PARTIES = "latend=ok ontvangend=ok buitenstaander=404 aanbieder=ok coordinator=ok anoniem=401"
GEMEENTE_PARTIES = "latend=ok ontvangend=ok buitenstaander=404 aanbieder=403 coordinator=403 anoniem=401"
RECEIVER = "latend=403 ontvangend=ok buitenstaander=404 aanbieder=403 coordinator=403 anoniem=401"
LATENDE = "latend=ok ontvangend=403 buitenstaander=404 aanbieder=403 coordinator=403 anoniem=401"
SETTLEMENT_LIST = "latend=ok ontvangend=ok buitenstaander=leeg aanbieder=404 coordinator=ok anoniem=401"
CLAIM_PARTIES = "latend=ok ontvangend=ok buitenstaander=404 aanbieder=404 coordinator=ok anoniem=401"
MESSAGE_PARTIES = "latend=404 ontvangend=ok buitenstaander=404 aanbieder=ok coordinator=404 anoniem=401"

MATRIX: dict[str, Row] = {
    # access
    "POST /tokens": Row("latend=ok ontvangend=ok buitenstaander=ok aanbieder=ok coordinator=ok anoniem=ok",
                        _token),
    "DELETE /tokens/huidig": Row(ALL_OK, _req("DELETE", "/tokens/huidig")),
    "GET /gebruikersprofiel": Row(ALL_OK, _req("GET", "/gebruikersprofiel"), False),
    # transfers
    "GET /overdrachten": Row(ALL_OK.replace("buitenstaander=ok", "buitenstaander=leeg"),
                             _req("GET", "/overdrachten"), False),
    "POST /overdrachten/_zoek": Row(
        ALL_OK.replace("buitenstaander=ok", "buitenstaander=leeg"),
        _json("POST", "/overdrachten/_zoek", lambda s, r: {"bsn": s.bsns["brp"]}), False),
    "GET /overdrachten/{overdracht_id}": Row(PARTIES, _req("GET", T), False),
    "POST /overdrachten/{overdracht_id}/acceptatie": Row(RECEIVER, _json("POST", T + "/acceptatie", {})),
    "POST /overdrachten/{overdracht_id}/afwijzing": Row(
        RECEIVER, _json("POST", T + "/afwijzing", {"onderbouwing": "niet hier"})),
    "POST /overdrachten/{overdracht_id}/afronding": Row(RECEIVER, _json(
        "POST", "/overdrachten/{id:overdracht_afronden}/afronding",
        {"toewijzingIngangsdatum": "2022-01-01", "toewijzingReferentie": "TW-1"})),
    "POST /overdrachten/{overdracht_id}/doorzending": Row(
        "latend=ok ontvangend=403 buitenstaander=404 aanbieder=403 coordinator=ok anoniem=401",
        _json("POST", "/overdrachten/{id:overdracht_afgewezen}/doorzending", {"gemeente": "0355"})),
    "GET /overdrachten/{overdracht_id}/verantwoordelijkheid": Row(
        PARTIES, _req("GET", T + "/verantwoordelijkheid"), False),
    "GET /overdrachten/{overdracht_id}/taken": Row(PARTIES, _req("GET", T + "/taken"), False),
    "PUT /overdrachten/{overdracht_id}/taken/{taakcode}": Row(
        # A provider does not see the gemeenten's tasks at all: 404 (transfers.read_tasks).
        "latend=403 ontvangend=ok buitenstaander=404 aanbieder=404 coordinator=403 anoniem=401",
        _json("PUT", T + "/taken/ontvangende.contracteren", {"gedaan": True})),
    # Many at once: each transfer is its own guarded transition, so the answer is 200 for every
    # role, naming per transfer what happened; only the receiving gemeente changes anything.
    "POST /overdrachten/_besluit": Row(
        "latend=ok ontvangend=ok buitenstaander=leeg aanbieder=ok coordinator=ok anoniem=401",
        _json("POST", "/overdrachten/_besluit",
              lambda s, r: {"besluit": "accepteren", "overdrachtIds": [s.ids["overdracht_brp"]]})),
    # A caseload and its signalen belong to the gemeente that imported it: the scenario has
    # none, so every gemeente gets its own empty one (tests/service/caseload has the rest).
    "GET /clientenbestand": Row(CASELOAD, _req("GET", "/clientenbestand"), False),
    "GET /signalen": Row(CASELOAD, _req("GET", "/signalen"), False),
    "GET /taken": Row(ALL_OK.replace("buitenstaander=ok", "buitenstaander=leeg"),
                      _req("GET", "/taken"), False),
    "GET /overzicht": Row(ALL_OK.replace("buitenstaander=ok", "buitenstaander=leeg"),
                          _req("GET", "/overzicht"), False),
    "PUT /overdrachten/{overdracht_id}/brp-gegevens": Row(GEMEENTE_PARTIES, _json(
        "PUT", "/overdrachten/{id:overdracht_afgewezen}/brp-gegevens",
        lambda s, r: {"verblijfplaatsen": [{"type": "Adres", "datumVan": {"type": "Datum", "datum": "2010-05-01"},
                                            "gemeenteVanInschrijving": {"code": "0344"}}]})),
    # changes after delivery (issue 16): the latende corrects, withdraws and takes back; the
    # ontvangende reconsiders its rejection. The provider sees the transfer: 403.
    "POST /overdrachten/{overdracht_id}/correctie": Row(LATENDE, _json(
        "POST", T + "/correctie", lambda s, r: {"regelId": s.ids["regel_brp"], "product": "Pleegzorg"})),
    "POST /overdrachten/{overdracht_id}/intrekking": Row(
        LATENDE, _json("POST", T + "/intrekking", {"reden": "verkeerde jeugdige"})),
    "POST /overdrachten/{overdracht_id}/terugname": Row(
        LATENDE, _json("POST", "/overdrachten/{id:overdracht_afgewezen}/terugname", {})),
    "POST /overdrachten/{overdracht_id}/heroverweging": Row(
        RECEIVER, _json("POST", "/overdrachten/{id:overdracht_afgewezen}/heroverweging", {})),
    "POST /overdrachten/{overdracht_id}/brp-bevragingen": Row(
        GEMEENTE_PARTIES, _json("POST", "/overdrachten/{id:overdracht_afgewezen}/brp-bevragingen", {})),
    "POST /overdrachten/{overdracht_id}/woonplaatsbeslissingen": Row(
        GEMEENTE_PARTIES, _json("POST", T + "/woonplaatsbeslissingen", {"peildatum": "2021-10-20"})),
    # uploads: every gemeente delivers its own youths
    "POST /aanleveringen/_controleer": Row(
        "latend=ok ontvangend=ok buitenstaander=ok aanbieder=403 coordinator=403 anoniem=401",
        _upload_check, False),
    "POST /aanleveringen": Row(
        "latend=ok ontvangend=ok buitenstaander=ok aanbieder=403 coordinator=403 anoniem=401",
        _upload_store),
    # iJw messages: between Amersfoort and the provider
    # Only the sender itself may submit a message (S2, berichten.may_submit).
    "POST /berichten": Row(
        "latend=403 ontvangend=403 buitenstaander=403 aanbieder=ok coordinator=403 anoniem=401", _message),
    "GET /berichten": Row("latend=leeg ontvangend=ok buitenstaander=leeg aanbieder=ok coordinator=leeg "
                          "anoniem=401", _req("GET", "/berichten"), False),
    "GET /berichten/{bericht_id}": Row(MESSAGE_PARTIES, _req("GET", "/berichten/{id:bericht_jw315}"), False),
    "GET /berichten/{bericht_id}/xml": Row(
        MESSAGE_PARTIES, _req("GET", "/berichten/{id:bericht_jw315}/xml"), False),
    "POST /berichten/{bericht_id}/voorstel": Row(
        MESSAGE_PARTIES.replace("aanbieder=ok", "aanbieder=403"),
        _json("POST", "/berichten/{id:bericht_jw315}/voorstel", {})),
    "POST /berichten/{bericht_id}/antwoord": Row(
        MESSAGE_PARTIES.replace("aanbieder=ok", "aanbieder=403"),
        _json("POST", "/berichten/{id:bericht_jw315}/antwoord", {})),
    # settlement
    "POST /declaraties": Row(
        "latend=ok ontvangend=ok buitenstaander=ok aanbieder=403 coordinator=ok anoniem=401", _invoices),
    "POST /declaraties/_overnemen": Row(
        "latend=400 ontvangend=ok buitenstaander=400 aanbieder=403 coordinator=403 anoniem=401",
        _json("POST", "/declaraties/_overnemen",
              lambda s, r: {"berichten": [s.ids["bericht_jw323"]], "betaaldatum": "2026-05-20"})),
    "GET /declaraties": Row(
        "latend=ok ontvangend=leeg buitenstaander=leeg aanbieder=ok coordinator=ok anoniem=401",
        _req("GET", "/declaraties"), False),
    "GET /woonplaatsbeslissingen": Row(SETTLEMENT_LIST, _req("GET", "/woonplaatsbeslissingen"), False),
    "POST /woonplaatsbeslissingen": Row(
        "latend=ok ontvangend=ok buitenstaander=404 aanbieder=403 coordinator=ok anoniem=401",
        _json("POST", "/woonplaatsbeslissingen", lambda s, r: {"overdrachtId": s.ids["overdracht_brp"]})),
    "POST /claims/_herbereken": Row(
        "latend=ok ontvangend=ok buitenstaander=ok aanbieder=403 coordinator=ok anoniem=401",
        _req("POST", "/claims/_herbereken")),
    "GET /claims": Row(SETTLEMENT_LIST, _req("GET", "/claims"), False),
    "POST /claims/_zoek": Row(SETTLEMENT_LIST, _json(
        "POST", "/claims/_zoek", lambda s, r: {"bsn": s.bsns["claim"]}), False),
    "POST /claims/_herleid": Row(CLAIM_PARTIES, _json(
        "POST", "/claims/_herleid", lambda s, r: {"jeugdige": s.ids["jeugdige"]}), False),
    "GET /claims/{claim_id}": Row(CLAIM_PARTIES, _req("GET", "/claims/{id:claim_open}"), False),
    "POST /claims/{claim_id}/statuswijziging": Row(
        "latend=403 ontvangend=ok buitenstaander=404 aanbieder=404 coordinator=403 anoniem=401",
        _json("POST", "/claims/{id:claim_open}/statuswijziging", {"naar": "erkend"})),
    "GET /salderingen": Row(SETTLEMENT_LIST, _req("GET", "/salderingen"), False),
    "POST /salderingen": Row(
        "latend=403 ontvangend=403 buitenstaander=403 aanbieder=403 coordinator=ok anoniem=401",
        _json("POST", "/salderingen", {})),
    "GET /salderingen/{saldering_id}": Row(CLAIM_PARTIES, _req("GET", "/salderingen/{id:saldering}"), False),
    "POST /salderingen/{saldering_id}/acceptatie": Row(
        CLAIM_PARTIES, _json("POST", "/salderingen/{id:saldering}/acceptatie", {})),
    "POST /salderingen/{saldering_id}/betaling": Row(
        "latend=403 ontvangend=403 buitenstaander=404 aanbieder=404 coordinator=ok anoniem=401",
        _json("POST", "/salderingen/{id:saldering}/betaling", {}), setup=_accept_netting),
    "GET /overzichten/{gemeentecode}": Row(
        "latend=ok ontvangend=404 buitenstaander=404 aanbieder=404 coordinator=ok anoniem=401",
        _req("GET", "/overzichten/0344"), False),
    "GET /vangnet": Row(SETTLEMENT_LIST, _req("GET", "/vangnet"), False),
    "GET /compensatie": Row(SETTLEMENT_LIST.replace("buitenstaander=leeg", "buitenstaander=ok"),
                            _req("GET", "/compensatie"), False),
    "POST /geschillen": Row(
        "latend=ok ontvangend=ok buitenstaander=404 aanbieder=404 coordinator=ok anoniem=401",
        _json("POST", "/geschillen", lambda s, r: {
            "onderwerp": "claim", "claimId": s.ids["claim_open"], "omschrijving": "oneens"})),
    "GET /geschillen": Row(
        "latend=ok ontvangend=ok buitenstaander=leeg aanbieder=leeg coordinator=ok anoniem=401",
        _req("GET", "/geschillen"), False),
    "GET /geschillen/{geschil_id}": Row(CLAIM_PARTIES, _req("GET", "/geschillen/{id:geschil}"), False),
    "POST /geschillen/{geschil_id}/escalatie": Row(
        CLAIM_PARTIES, _json("POST", "/geschillen/{id:geschil}/escalatie",
                             {"naar": "geschillencommissie_sociaal_domein"})),
    "POST /geschillen/{geschil_id}/oplossing": Row(
        "latend=403 ontvangend=403 buitenstaander=404 aanbieder=404 coordinator=ok anoniem=401",
        _json("POST", "/geschillen/{id:geschil}/oplossing", {"uitkomst": "erkend", "claim": "erkend"})),
    "POST /geschillen/{geschil_id}/intrekking": Row(
        "latend=403 ontvangend=ok buitenstaander=404 aanbieder=404 coordinator=403 anoniem=401",
        _json("POST", "/geschillen/{id:geschil}/intrekking", {})),
}


def _secrets(s: Scenario) -> list[str]:
    """What must never reach a role that may not see it."""
    return [*s.bsns.values(), s.ids["jeugdige"], s.ids["claim_open"], s.ids["claim_betwist"]]


def _leaked(response, s: Scenario) -> list[str]:
    """Secrets in the answer that the request did not carry itself (an echoed search term
    or id is the caller's own input, not a leak)."""
    request = response.request
    try:
        sent = str(request.url) + request.content.decode("utf-8", "replace")
    except Exception:  # a streamed body
        sent = str(request.url)
    body = response.text + " ".join(response.headers.values())
    return [x for x in _secrets(s) if x in body and x not in sent]


def _data(url: str) -> dict:
    return {t: v for t, v in snapshot(url).items() if t not in AUDIT}


def _assert_outcome(label: str, role: str, expected: str, response, s: Scenario) -> None:
    where = f"{label} als {role}: verwacht {expected}, kreeg {response.status_code}"
    if expected == "ok":
        assert 200 <= response.status_code < 300, f"{where}: {response.text[:300]}"
        return
    text = response.text
    leaked = _leaked(response, s)
    if expected == "leeg":
        assert 200 <= response.status_code < 300, f"{where}: {text[:300]}"
        assert not leaked, f"{where}: het antwoord bevat {leaked}"
        return
    assert_problem_json(response, int(expected))
    if expected != "403":  # 403: the role sees this resource anyway, it only may not act
        assert not leaked, f"{where}: de weigering bevat {leaked}"


# Operations added in issue 19's round (caseload, BRP store, signalen, transfer changes and bulk,
# payment files). Their tenant isolation is tested in their component's own tests, named here;
# they still need a row in the matrix above (docs/reliability.md says so).
ELSEWHERE = {
    "POST /clientenbestand": "tests/service/caseload/test_api.py",
    "POST /clientenbestand/_controleer": "tests/service/caseload/test_api.py",
    "POST /clientenbestand/brp-ophaling": "tests/service/caseload/test_api.py",
    "POST /clientenbestand/woonplaatscheck": "tests/service/caseload/test_api.py",
    "GET /signalen/{signaal_id}": "tests/service/caseload/test_signalen.py",
    "POST /signalen/{signaal_id}/afhandeling": "tests/service/caseload/test_signalen.py",
    "POST /signalen/{signaal_id}/overdracht/_controleer": "tests/service/caseload/test_signaal_overdracht.py",
    "POST /signalen/{signaal_id}/overdracht": "tests/service/caseload/test_signaal_overdracht.py",
    "GET /rekeningen": "tests/service/verrekening/test_isolation_indirect.py",
    "PUT /rekeningen/{gemeentecode}": "tests/service/verrekening/test_betaalbestanden.py",
    "GET /salderingen/{saldering_id}/betaalbestand": "tests/service/verrekening/test_isolation_indirect.py",
    "POST /declaraties/{factuur_id}/intrekking": "tests/service/verrekening/test_verrekening_bounds.py",
    "POST /overdrachten/_besluitenbestand": "tests/service/overdrachten/test_bulk.py",
    # Issue 18 item 12: only the two gemeenten of a request (API and service tests).
    "POST /berichten/{bericht_id}/instemming": "tests/service/berichten/test_ijw_api.py",
    "GET /instemmingen": "tests/service/berichten/test_ijw_api.py",
    "GET /instemmingen/{instemming_id}": "tests/service/berichten/test_ijw_api.py",
    "POST /instemmingen/{instemming_id}": "tests/service/berichten/test_instemming.py",
}


def test_the_matrix_covers_every_operation_of_the_openapi_document(scenario):
    with scenario.client(pages=False) as c:
        doc = c.get(f"{V1}/openapi.json").json()
    operations = {f"{m.upper()} {p}" for p, item in doc["paths"].items() for m in item
                  if m in ("get", "post", "put", "patch", "delete")}
    root = Path(__file__).resolve().parents[2]
    assert all((root / test).is_file() for test in ELSEWHERE.values())
    assert not set(ELSEWHERE) & set(MATRIX), "an operation with a matrix row needs no other place"
    missing = sorted(operations - set(MATRIX) - set(ELSEWHERE))
    stale = sorted((set(MATRIX) | set(ELSEWHERE)) - operations)
    assert not missing, f"operaties zonder rij in de isolatiematrix: {missing}"
    assert not stale, f"rijen voor operaties die niet (meer) bestaan: {stale}"


def _setup(row: Row, bench) -> Scenario:
    s = bench.reset()
    if row.setup:
        with bench.client() as c:
            row.setup(c, s)
    return s


@pytest.mark.parametrize("label", sorted(MATRIX))
def test_isolation(label, api_bench):
    row = MATRIX[label]
    expected = row.expected()
    denied = [r for r in ROLES if expected[r] not in ("ok", "leeg")]
    allowed = [r for r in ROLES if expected[r] in ("ok", "leeg")]
    # Denied roles first, all on one fresh database: afterwards the data must be unchanged.
    s = _setup(row, api_bench)
    before = _data(s.url)
    with api_bench.client() as c:
        for role in denied:
            _assert_outcome(label, role, expected[role], row.send(c, s, role), s)
    if denied:
        assert _data(s.url) == before, f"{label}: a refused request changed data"
    # Each allowed role on a fresh database of its own when the operation writes.
    s = _setup(row, api_bench)
    for i, role in enumerate(allowed):
        if row.changes and i:
            s = _setup(row, api_bench)
        with api_bench.client() as c:
            _assert_outcome(label, role, expected[role], row.send(c, s, role), s)


# --- pages --------------------------------------------------------------------------------------------

PAGES: dict[str, str] = {
    "/overdrachten/inkomend": "latend=ok ontvangend=ok buitenstaander=leeg aanbieder=404 coordinator=404",
    "/overdrachten/uitgaand": "latend=ok ontvangend=leeg buitenstaander=leeg aanbieder=404 coordinator=404",
    "/overdrachten": "latend=ok ontvangend=ok buitenstaander=leeg aanbieder=ok coordinator=ok",
    "/overdrachten/download?formaat=csv": "latend=ok ontvangend=ok buitenstaander=leeg aanbieder=ok coordinator=ok",
    "/overdrachten/{id:overdracht_brp}": "latend=ok ontvangend=ok buitenstaander=404 aanbieder=ok coordinator=ok",
    "/taken": "latend=ok ontvangend=ok buitenstaander=leeg aanbieder=ok coordinator=ok",
    "/overzicht": "latend=ok ontvangend=ok buitenstaander=leeg aanbieder=ok coordinator=ok",
    "/aanleveren": "latend=ok ontvangend=ok buitenstaander=ok aanbieder=404 coordinator=404",
    "/zoeken": "latend=ok ontvangend=ok buitenstaander=ok aanbieder=ok coordinator=ok",
}
PAGE_POSTS: dict[str, tuple[str, dict]] = {
    # path: (rules, form) — only the receiving gemeente may act on the transfer
    "/overdrachten/{id:overdracht_brp}/accepteren": (
        "latend=403 ontvangend=ok buitenstaander=404 aanbieder=403 coordinator=403", {"bevestigd": "ja"}),
    "/overdrachten/{id:overdracht_brp}/afwijzen": (
        "latend=403 ontvangend=ok buitenstaander=404 aanbieder=403 coordinator=403",
        {"onderbouwing": "niet hier", "bevestigd": "ja"}),
    "/zoeken": ("latend=ok ontvangend=ok buitenstaander=leeg aanbieder=ok coordinator=ok", {"bsn": None}),
}


def _page_path(path: str, s: Scenario) -> str:
    return re.sub(r"\{id:([a-z_0-9]+)\}", lambda m: str(s.ids[m.group(1)]), path)


def _assert_page(path: str, role: str, expected: str, response, s: Scenario) -> None:
    where = f"{path} als {role}: verwacht {expected}, kreeg {response.status_code}"
    leaked = _leaked(response, s)
    if expected == "ok":
        assert response.status_code in (200, 303), f"{where}: {response.text[:300]}"
        return
    if expected == "leeg":
        assert response.status_code == 200, where
    else:
        assert response.status_code == int(expected), where
    if expected != "403":
        assert not leaked, f"{where}: de pagina bevat {leaked}"


@pytest.mark.parametrize("path", sorted(PAGES))
def test_page_isolation(path, page_bench):
    scenario = page_bench.reset()
    app = page_bench.app
    target = _page_path(path, scenario)
    for role, expected in (part.split("=") for part in PAGES[path].split()):
        _assert_page(path, role, expected, page_bench.browser(role).get(target), scenario)
    anonymous = Browser(app).get(target)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/inloggen")
    assert not [x for x in _secrets(scenario) if x in anonymous.text + anonymous.headers["location"]]


@pytest.mark.parametrize("path", sorted(PAGE_POSTS))
def test_page_form_isolation(path, page_bench):
    rules, form = PAGE_POSTS[path]
    for role, expected in (part.split("=") for part in rules.split()):
        s = page_bench.reset()
        before = _data(s.url)
        data = {k: (v if v is not None else s.bsns["brp"]) for k, v in form.items()}
        response = page_bench.browser(role).post(_page_path(path, s), data)
        _assert_page(path, role, expected, response, s)
        if expected not in ("ok", "leeg"):
            assert _data(s.url) == before, f"{path} als {role}: refused, yet data changed"
    s = page_bench.reset()
    anonymous = Browser(page_bench.app)
    anonymous.get("/inloggen")
    response = anonymous.client.post(_page_path(path, s), data={"csrf_token": "x"})
    assert response.status_code in (303, 403)
