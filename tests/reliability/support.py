"""A seeded transfer service for the reliability tests, built through its own public API.

:func:`build_scenario` migrates an empty database (SQLite file or a PostgreSQL schema),
creates six organisations with one user each, and then plays a short history through
the REST API with a clock that moves: Utrecht delivers four youths to Amersfoort
(2021-10-15), Amersfoort accepts two and rejects one (2021-10-20), attaches BRP data to
the fourth and decides its woonplaats; Utrecht imports two paid invoices for the first youth, the coordinator
computes the claims, Amersfoort disputes one and the coordinator makes a netting run
(2022-06-01); a provider sends a JW315 request (for a youth who lives in Utrecht, so the
proposed answer is a JW319 naming Utrecht) and a JW323 declaration to Amersfoort (2026). Every id a test needs is kept in :class:`Scenario`.

Roles (the keys of ``Scenario.tokens``):

| role | organisation | relation to the data |
|---|---|---|
| ``latend`` | gemeente Utrecht 0344 | latende gemeente; paid the invoices (schuldeiser) |
| ``ontvangend`` | gemeente Amersfoort 0307 | ontvangende gemeente; schuldenaar; receives the iJw messages |
| ``buitenstaander`` | gemeente Zeist 0355 | party to nothing |
| ``aanbieder`` | provider 42420001 | provider on every transfer line; sender of the iJw messages |
| ``coordinator`` | the coordinator | sees everything |
| ``anoniem`` | nobody | no token |
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from wpb.law.bsn import is_valid_bsn
from wpb.service import migrations
from wpb.service.app import create_app
from wpb.service.auth.credentials import hash_password
from wpb.service.components.beheer.models import Gebruiker, Organisatie
from wpb.service.components.beheer.tokens import issue_token
from wpb.service.db import make_engine, make_sessionmaker, transaction
from wpb.service.settings import Settings

V1 = "/api/v1"
UTRECHT, AMERSFOORT, ZEIST = "0344", "0307", "0355"
PROVIDER = "42420001"
PASSWORD = "wachtwoord-betrouwbaar"
PSEUDONIEM_SLEUTEL = "sleutel-van-de-betrouwbaarheidstests"
ROLES = ("latend", "ontvangend", "buitenstaander", "aanbieder", "coordinator", "anoniem")
ORGANISATIES = {
    "latend": ("gemeente", UTRECHT, "Gemeente Utrecht"),
    "ontvangend": ("gemeente", AMERSFOORT, "Gemeente Amersfoort"),
    "buitenstaander": ("gemeente", ZEIST, "Gemeente Zeist"),
    "aanbieder": ("aanbieder", PROVIDER, "Aanbieder Betrouwbaar"),
    "coordinator": ("coordinator", "coordinator", "Coördinator"),
}

UPLOAD_HEADER = ["bsn", "geboortedatum", "ontvangende_gemeente", "aanbieder_agb", "product",
                 "toewijzing_einddatum", "pgb"]
INVOICE_HEADER = ["factuurreferentie", "bsn", "betalende_gemeente", "aanbieder_agb", "product",
                  "begindatum", "einddatum", "bedrag_eurocent", "betaaldatum"]

# Any nine digits passing the 11-proef, as they could appear in text (not inside a longer
# number or word).
NINE_DIGITS = re.compile(r"(?<![0-9A-Za-z])[0-9]{9}(?![0-9A-Za-z])")


def valid_bsns(n: int, start: int = 999_970_000) -> list[str]:
    """``n`` test BSNs (9999xxxxx range) that pass the 11-proef."""
    found: list[str] = []
    number = start
    while len(found) < n:
        if is_valid_bsn(str(number)):
            found.append(str(number))
        number += 1
    return found


def bsns_in(text: str) -> set[str]:
    """Every valid BSN written in ``text``."""
    return {m for m in NINE_DIGITS.findall(text) if is_valid_bsn(m)}


class Clock:
    """A clock the scenario moves by hand."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def set(self, y: int, m: int, d: int, hour: int = 10) -> None:
        self.moment = datetime(y, m, d, hour, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment


def csv_upload(rows: list[list[str]], header: list[str] = UPLOAD_HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def upload_row(bsn: str, ontvangende: str = AMERSFOORT, agb: str = PROVIDER,
               product: str = "Jeugdhulp met verblijf", einde: str = "2021-12-31") -> list[str]:
    return [bsn, "2010-05-01", ontvangende, agb, product, einde, "nee"]


def case_document(bsn: str) -> dict:
    """A case JSON for ``bsn``: born in Utrecht, living in Amersfoort since 2015."""
    return {
        "peildatum": "2021-10-20",
        "jeugdige": {
            "burgerservicenummer": bsn,
            "geboorte": {"datum": {"type": "Datum", "datum": "2010-05-01"}},
            "verblijfplaatshistorie": [
                {"type": "Adres", "datumVan": {"type": "Datum", "datum": "2010-05-01"},
                 "datumTot": {"type": "Datum", "datum": "2015-03-01"},
                 "gemeenteVanInschrijving": {"code": UTRECHT, "omschrijving": "Utrecht"}},
                {"type": "Adres", "datumVan": {"type": "Datum", "datum": "2015-03-01"},
                 "gemeenteVanInschrijving": {"code": AMERSFOORT, "omschrijving": "Amersfoort"}},
            ],
        },
    }


# The youth of the scenario's iJw request: according to the BRP it always lived in Utrecht.
IJW_BSN = valid_bsns(1, start=999_960_000)[0]


def brp_transport() -> httpx.MockTransport:
    """A Haal Centraal BRP historie API that knows every youth: Utrecht, then Amersfoort
    (the youth :data:`IJW_BSN` only Utrecht)."""

    def handle(request: httpx.Request) -> httpx.Response:
        query = json.loads(request.content)
        bsn = query["burgerservicenummer"]
        history = case_document(bsn)["jeugdige"]["verblijfplaatshistorie"]
        if bsn == IJW_BSN:
            history = [{**history[0], "datumTot": None}]
            history[0].pop("datumTot")
        return httpx.Response(200, json={"verblijfplaatsen": list(reversed(history))})

    return httpx.MockTransport(handle)


def settings_for(url: str, data_dir: Path, **changes: Any) -> Settings:
    base = Settings.from_env({
        "WPB_DATA_DIR": str(data_dir), "WPB_SECRET_KEY": "betrouwbaarheid",
        "WPB_DATABASE_URL": url, "WPB_SAMPLE_DATA": "nee",
        "WPB_BRP_BASE_URL": "http://brp.test/haalcentraal/api/brphistorie",
        "WPB_PSEUDONIEM_SLEUTEL": PSEUDONIEM_SLEUTEL,
        "WPB_MAX_UPLOAD_ROWS": "200", "WPB_MAX_UPLOAD_BYTES": "100000",
    })
    return base.with_(**changes) if changes else base


@dataclass
class Scenario:
    url: str
    data_dir: Path
    clock: Clock
    tokens: dict[str, str] = field(default_factory=dict)  # role -> API token
    usernames: dict[str, str] = field(default_factory=dict)
    bsns: dict[str, str] = field(default_factory=dict)  # name -> BSN
    ids: dict[str, Any] = field(default_factory=dict)  # name -> id in the service

    def headers(self, role: str) -> dict[str, str]:
        token = self.tokens.get(role)
        return {"Authorization": f"Bearer {token}"} if token else {}

    def app(self, **kwargs: Any):
        settings = settings_for(self.url, self.data_dir, **kwargs.pop("settings", {}))
        return create_app(settings, clock=self.clock, brp_transport=brp_transport(), **kwargs)

    def client(self, *, base_url: str = "http://testserver", **kwargs: Any) -> TestClient:
        return TestClient(self.app(**kwargs), raise_server_exceptions=False, base_url=base_url)

    def copy_to(self, url: str) -> Scenario:
        """The same scenario on a copy of its SQLite file at ``url``."""
        source, target = self.url.removeprefix("sqlite:///"), url.removeprefix("sqlite:///")
        for suffix in ("", "-wal"):  # a WAL file still holding committed pages goes along
            if Path(source + suffix).exists():
                shutil.copyfile(source + suffix, target + suffix)
        return Scenario(url=url, data_dir=self.data_dir, clock=Clock(self.clock.moment),
                        tokens=dict(self.tokens), usernames=dict(self.usernames),
                        bsns=dict(self.bsns), ids=dict(self.ids))


def _ok(response: httpx.Response, *statuses: int) -> dict:
    assert response.status_code in (statuses or (200, 201)), (
        response.request.method, response.request.url.path, response.status_code, response.text
    )
    return response.json() if response.content else {}


def create_users(url: str) -> tuple[dict[str, str], dict[str, str]]:
    """One user per role (password :data:`PASSWORD`) and an API token each."""
    engine = make_engine(url)
    migrations.upgrade(engine)
    factory = make_sessionmaker(engine)
    digest = hash_password(PASSWORD)
    tokens, names = {}, {}
    with transaction(factory) as session:
        for role, (soort, code, naam) in ORGANISATIES.items():
            user = Gebruiker(
                organisatie=Organisatie(soort=soort, code=code, naam=naam),
                gebruikersnaam=f"rel-{role}", naam=f"{naam} (test)", wachtwoord_hash=digest,
                actief=True, aangemaakt_op=datetime(2021, 1, 1),
            )
            session.add(user)
            session.flush()
            tokens[role] = issue_token(session, user.id)
            names[role] = user.gebruikersnaam
    engine.dispose()
    return tokens, names


def deliver(client: TestClient, headers: dict, content: bytes, name: str = "levering.csv") -> dict:
    """Check a file and store its valid rows through the API, as a user who confirms."""
    files = {"bestand": (name, content, "text/csv")}
    check = _ok(client.post(f"{V1}/aanleveringen/_controleer", files=files, headers=headers))
    files = {"bestand": (name, content, "text/csv")}
    return _ok(client.post(f"{V1}/aanleveringen", files=files, data={"controle": check["controle"]},
                           headers=headers), 201)


def build_scenario(url: str, data_dir: Path, *, ijw: bool = True) -> Scenario:
    """Build the history described in the module docstring on the database at ``url``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    tokens, names = create_users(url)
    clock = Clock(datetime(2021, 10, 15, 10, 0, tzinfo=UTC))
    bsns = dict(zip(("claim", "afgewezen", "brp", "afronden"), valid_bsns(4), strict=True))
    s = Scenario(url=url, data_dir=data_dir, clock=clock, tokens=tokens, usernames=names,
                 bsns=bsns)
    app = s.app(pages=False)
    with TestClient(app, raise_server_exceptions=False) as c:
        h = {role: s.headers(role) for role in ROLES}
        stored = deliver(c, h["latend"], csv_upload([upload_row(b) for b in bsns.values()]))
        ids = dict(zip(bsns, stored["nieuweOverdrachten"], strict=True))
        s.ids.update({f"overdracht_{k}": v for k, v in ids.items()})
        s.ids["aanlevering"] = stored["id"] if "id" in stored else stored.get("aanleveringId")
        s.ids["regel_brp"] = _ok(c.get(f"{V1}/overdrachten/{ids['brp']}",
                                       headers=h["latend"]))["regels"][0]["id"]

        clock.set(2021, 10, 20)
        for name in ("claim", "afronden"):
            _ok(c.post(f"{V1}/overdrachten/{ids[name]}/acceptatie", json={}, headers=h["ontvangend"]))
        _ok(c.post(f"{V1}/overdrachten/{ids['afgewezen']}/afwijzing",
                   json={"onderbouwing": "woont niet in Amersfoort"}, headers=h["ontvangend"]))
        _ok(c.put(f"{V1}/overdrachten/{ids['brp']}/brp-gegevens", json=case_document(bsns["brp"]),
                  headers=h["ontvangend"]))
        _ok(c.post(f"{V1}/overdrachten/{ids['brp']}/woonplaatsbeslissingen",
                   json={"peildatum": "2022-06-01"}, headers=h["ontvangend"]), 201)

        clock.set(2022, 6, 1)
        invoices = csv_upload(
            [[f"F-{i}", bsns["claim"], UTRECHT, PROVIDER, "45A48", begin, einde, "90000",
              "2022-04-15"]
             for i, (begin, einde) in enumerate((("2022-01-01", "2022-01-31"),
                                                 ("2022-02-01", "2022-02-28")), start=1)],
            header=INVOICE_HEADER,
        )
        _ok(c.post(f"{V1}/declaraties", files={"bestand": ("betaald.csv", invoices, "text/csv")},
                   headers=h["latend"]), 201)
        claims = _ok(c.post(f"{V1}/claims/_herbereken", headers=h["coordinator"]))["nieuw"]
        assert len(claims) == 2, claims
        s.ids["claim_open"], s.ids["claim_betwist"] = sorted(cl["id"] for cl in claims)
        s.ids["jeugdige"] = claims[0]["jeugdige"]
        geschil = _ok(c.post(f"{V1}/geschillen", json={
            "onderwerp": "claim", "claimId": s.ids["claim_betwist"],
            "omschrijving": "de jeugdige woonde in februari nog in Utrecht",
        }, headers=h["ontvangend"]), 201)
        s.ids["geschil"] = geschil["id"]
        run = _ok(c.post(f"{V1}/salderingen", json={}, headers=h["coordinator"]), 201)
        s.ids["saldering"] = run["id"]

        if ijw:
            _ijw_messages(c, s, h)
    app.state.wpb.engine.dispose()
    return s


def _ijw_messages(c: TestClient, s: Scenario, h: dict) -> None:
    from ijw_builders import jw315, jw323
    from wpb.ijw.xml_write import write_bericht

    xml = {"Content-Type": "application/xml"}
    s.clock.set(2026, 4, 2)
    s.bsns["ijw"] = IJW_BSN
    r = _ok(c.post(f"{V1}/berichten", content=write_bericht(jw315(bsn=IJW_BSN)),
                   headers={**h["aanbieder"], **xml}), 201)
    s.ids["bericht_jw315"] = r["id"]
    # Issue 18 item 12: a reden-8 answer goes out once the gemeente it names agreed.
    asked = c.post(f"{V1}/berichten/{r['id']}/instemming", headers=h["ontvangend"])
    if asked.status_code == 200:
        roles = {"0344": "latend", "0355": "buitenstaander"}
        for vraag in asked.json()["instemmingen"]:
            s.ids["instemming"] = vraag["id"]
            _ok(c.post(f"{V1}/instemmingen/{vraag['id']}", json={"besluit": "akkoord"},
                       headers=h[roles[vraag["gemeente"]["code"]]]))
    s.clock.set(2026, 5, 7)
    r = _ok(c.post(f"{V1}/berichten", content=write_bericht(jw323()),
                   headers={**h["aanbieder"], **xml}), 201)
    s.ids["bericht_jw323"] = r["id"]


def page_routes(app) -> list[tuple[str, frozenset[str]]]:
    """(path, methods) of every page route of the application (not the API, not static)."""
    from fastapi.routing import APIRoute

    found: list[tuple[str, frozenset[str]]] = []

    def walk(routes, prefix: str) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                found.append((prefix + route.path, frozenset(route.methods or ())))
            elif hasattr(route, "original_router"):  # FastAPI's included router
                context = getattr(route, "include_context", None)
                walk(route.original_router.routes, prefix + (getattr(context, "prefix", "") or ""))

    walk(app.routes, "")
    return sorted((p, m) for p, m in found if not p.startswith(("/api/", "/static")))


def response_text(response: httpx.Response) -> str:
    """Headers and body of a response, for scanning."""
    head = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    try:
        body = response.content.decode("utf-8", errors="replace")
    except Exception:  # binary downloads are scanned as far as they decode
        body = ""
    return f"{response.status_code}\n{head}\n{body}"


def assert_problem_json(response: httpx.Response, status: int | Callable[[int], bool]) -> dict:
    ok = status(response.status_code) if callable(status) else response.status_code == status
    assert ok, (response.request.method, response.request.url.path, response.status_code,
                response.text[:500])
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body = response.json()
    assert body["status"] == response.status_code and body["title"] and body["detail"], body
    return body


__all__ = [
    "AMERSFOORT", "PASSWORD", "PROVIDER", "ROLES", "UTRECHT", "V1", "ZEIST", "Clock", "Scenario",
    "assert_problem_json", "bsns_in", "build_scenario", "case_document", "csv_upload", "deliver",
    "response_text", "settings_for", "upload_row", "valid_bsns",
]


# --- a browser-like client for the pages ------------------------------------------------------


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def urls_of(html: str) -> list[str]:
    return re.findall(r'(?:href|action|src)="([^"]*)"', html)


class Browser:
    """Logs in through the login form and posts forms with the session's CSRF token."""

    def __init__(self, app, role: str | None = None, *, base_url: str = "http://testserver"):
        self.client = TestClient(app, headers={"Accept": "text/html"}, follow_redirects=False,
                                 raise_server_exceptions=False, base_url=base_url)
        self.token = ""
        if role:
            self.login(f"rel-{role}")

    def login(self, user: str, password: str = PASSWORD) -> httpx.Response:
        page = self.client.get("/inloggen")
        response = self.client.post("/inloggen", data={
            "csrf_token": csrf_of(page.text), "gebruikersnaam": user, "wachtwoord": password})
        if response.status_code == 303:
            self.token = csrf_of(self.client.get("/zoeken").text)
        return response

    def get(self, path: str, **kw) -> httpx.Response:
        return self.client.get(path, **kw)

    def post(self, path: str, data: dict | None = None, *, files=None,
             token: str | None = None) -> httpx.Response:
        body = {"csrf_token": self.token if token is None else token, **(data or {})}
        if token == "":
            body.pop("csrf_token")
        return self.client.post(path, data=body, files=files)
