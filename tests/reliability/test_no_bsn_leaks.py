"""No BSN in any URL, log line or error message, through representative flows.

The flows below use the API and the pages the way municipalities, providers and the
coordinator do, including the unhappy paths (bad files, unknown youths, refused actions,
an unexpected error and a database error whose message holds a BSN). Meanwhile every log
record of every logger is captured at DEBUG level — also SQLAlchemy's statement log and
the HTTP libraries' — and afterwards these are scanned for valid BSNs (nine digits
passing the 11-proef):

- every captured log record (message, arguments, traceback),
- every URL requested, every ``Location`` header and every link, form action and source
  in every HTML page,
- every error answer (4xx/5xx) of the API and the pages.

Answers that show a BSN on purpose (a transfer's detail, a search result, the audited
pseudonym lookup) are fine: those are 2xx to someone allowed to see them. The suite-wide
log scan in conftest.py covers every other test of the run.
"""

from __future__ import annotations

import logging
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from wpb.service.components.overdrachten import listing, tasks

from .support import (
    INVOICE_HEADER,
    PASSWORD,
    PROVIDER,
    UTRECHT,
    V1,
    Browser,
    bsns_in,
    csv_upload,
    upload_row,
    urls_of,
    valid_bsns,
)

INVALID_BSN = "123456789"  # fails the 11-proef: may be echoed, it identifies nobody


def error_message(response) -> str:
    """The error message of an answer: an API problem entirely; on a page the error summary
    and the field errors (a form page shown again with its errors may show the youth it is
    about, to a user allowed to see it), or the whole content of an error page."""
    if "text/html" not in response.headers.get("content-type", ""):
        return response.text
    html = response.text
    parts = re.findall(r'<div class="foutsamenvatting".*?</div>', html, re.S)
    parts += re.findall(r'<p class="veldfout".*?</p>', html, re.S)
    if parts:
        return "\n".join(parts)
    main = re.search(r"<main.*?</main>", html, re.S)
    return main.group(0) if main else html


class Recorder:
    """Wraps a client: remembers every URL, Location header, HTML link and error body."""

    def __init__(self, client):
        self.client = client
        self.urls: list[str] = []
        self.errors: list[str] = []

    def request(self, method: str, url: str, **kwargs):
        response = self.client.request(method, url, **kwargs)
        self.urls.append(str(response.request.url))
        if "location" in response.headers:
            self.urls.append(response.headers["location"])
        if "text/html" in response.headers.get("content-type", ""):
            self.urls += urls_of(response.text)
        if response.status_code >= 400:
            self.errors.append(f"{method} {url} -> {response.status_code}: {error_message(response)}")
        return response

    def get(self, url: str, **kw):
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw):
        return self.request("POST", url, **kw)

    def put(self, url: str, **kw):
        return self.request("PUT", url, **kw)


def _api_flows(r: Recorder, s, monkeypatch) -> None:
    h = {role: s.headers(role) for role in ("latend", "ontvangend", "buitenstaander", "aanbieder",
                                            "coordinator")}
    new = valid_bsns(3, 999_750_000)
    r.post(f"{V1}/tokens", json={"gebruikersnaam": "rel-latend", "wachtwoord": "fout"})
    r.post(f"{V1}/tokens", json={"gebruikersnaam": "rel-latend", "wachtwoord": PASSWORD})
    # An upload with good rows, a BSN failing the 11-proef, a duplicate and an unknown gemeente.
    rows = [upload_row(new[0]), upload_row(new[1]), upload_row(INVALID_BSN), upload_row(new[0]),
            upload_row(new[2], ontvangende="9999")]
    content = csv_upload(rows)
    check = r.post(f"{V1}/aanleveringen/_controleer",
                   files={"bestand": ("l.csv", content, "text/csv")}, headers=h["latend"]).json()
    r.post(f"{V1}/aanleveringen", files={"bestand": ("l.csv", content, "text/csv")},
           data={"controle": check["controle"]}, headers=h["latend"])
    r.post(f"{V1}/aanleveringen", files={"bestand": ("l.csv", content, "text/csv")},
           data={"controle": check["controle"]}, headers=h["latend"])  # 409: already stored
    # Reading, searching and acting, allowed and not.
    for role in h:
        r.get(f"{V1}/overdrachten", headers=h[role])
        r.post(f"{V1}/overdrachten/_zoek", json={"bsn": s.bsns["brp"]}, headers=h[role])
        r.get(f"{V1}/overdrachten/{s.ids['overdracht_brp']}", headers=h[role])
        r.post(f"{V1}/claims/_zoek", json={"bsn": s.bsns["claim"]}, headers=h[role])
        r.post(f"{V1}/claims/_herleid", json={"jeugdige": s.ids["jeugdige"]}, headers=h[role])
    r.post(f"{V1}/overdrachten/_zoek", json={"bsn": INVALID_BSN}, headers=h["latend"])
    r.post(f"{V1}/overdrachten/{s.ids['overdracht_brp']}/acceptatie", json={}, headers=h["latend"])
    r.post(f"{V1}/overdrachten/{s.ids['overdracht_brp']}/afwijzing",
           json={"onderbouwing": f"jeugdige {s.bsns['brp']} woont elders"}, headers=h["ontvangend"])
    # A BRP document for another youth (its BSN does not match) and a broken one.
    other = {"jeugdige": {"burgerservicenummer": new[2]}, "peildatum": "2021-10-20"}
    r.put(f"{V1}/overdrachten/{s.ids['overdracht_afgewezen']}/brp-gegevens", json=other,
          headers=h["latend"])
    r.put(f"{V1}/overdrachten/{s.ids['overdracht_afgewezen']}/brp-gegevens",
          json={"verblijfplaatsen": [{"type": "Adres", "datumVan": "x"}]}, headers=h["latend"])
    # iJw: a new message, the same again, and an invalid one.
    from ijw_builders import jw315
    from wpb.ijw.xml_write import write_bericht

    xml = {**h["aanbieder"], "Content-Type": "application/xml"}
    message = write_bericht(jw315(identificatie="VOT000000901", bsn=new[1]))
    r.post(f"{V1}/berichten", content=message, headers=xml)
    r.post(f"{V1}/berichten", content=message, headers=xml)
    r.post(f"{V1}/berichten", content=message.replace(b"VOT000000901", b"VOT000000902")
           .replace(b"<jw315:Geslacht>1", b"<jw315:Geslacht>7"), headers=xml)
    r.post(f"{V1}/berichten", content=b"<x>" + new[1].encode() + b"</y>", headers=xml)
    # Invoices: one good row, one for a BSN failing the 11-proef, one with a bad amount.
    invoices = csv_upload([
        ["L-1", s.bsns["claim"], UTRECHT, PROVIDER, "45A48", "2022-05-01", "2022-05-31", "1000", "2022-06-15"],
        ["L-2", INVALID_BSN, UTRECHT, PROVIDER, "45A48", "2022-05-01", "2022-05-31", "1000", "2022-06-15"],
        ["L-3", s.bsns["claim"], UTRECHT, PROVIDER, "45A48", "2022-05-01", "2022-05-31", "1,5", "2022-06-15"],
    ], header=INVOICE_HEADER)
    r.post(f"{V1}/declaraties", files={"bestand": ("f.csv", invoices, "text/csv")}, headers=h["latend"])
    r.post(f"{V1}/declaraties", files={"bestand": ("f.csv", invoices, "text/csv")}, headers=h["aanbieder"])
    r.post(f"{V1}/geschillen", json={"onderwerp": "jeugdige", "bsn": s.bsns["claim"],
                                      "omschrijving": "x"}, headers=h["buitenstaander"])
    r.post(f"{V1}/geschillen", json={"onderwerp": "jeugdige", "bsn": new[2], "omschrijving": "x",
                                      "partijen": [{"soort": "gemeente", "code": "0307"}]},
           headers=h["latend"])
    # An unexpected error and a database error whose messages carry a BSN.
    bsn = s.bsns["brp"]

    def broken(*args, **kwargs):
        raise ValueError(f"kapot bij jeugdige {bsn}")

    monkeypatch.setattr(listing, "search_by_bsn", broken)
    assert r.post(f"{V1}/overdrachten/_zoek", json={"bsn": bsn}, headers=h["latend"]).status_code == 500

    def db_down(*args, **kwargs):
        raise OperationalError(f"SELECT * FROM overdrachten WHERE bsn = '{bsn}'", {"bsn": bsn},
                               Exception(f"server closed the connection ({bsn})"))

    monkeypatch.setattr(listing, "read_transfer", db_down)
    assert r.get(f"{V1}/overdrachten/{s.ids['overdracht_brp']}", headers=h["latend"]).status_code == 503


def _page_flows(app, s, monkeypatch) -> list[Recorder]:
    recorders = []
    for role in ("latend", "ontvangend", "aanbieder", "coordinator", "buitenstaander"):
        browser = Browser(app, role)
        r = Recorder(browser.client)
        recorders.append(r)
        r.get("/")
        for path in ("/overdrachten", "/overdrachten/inkomend", "/overdrachten/uitgaand", "/taken",
                     "/overzicht", "/zoeken", "/aanleveren", f"/overdrachten/{s.ids['overdracht_brp']}",
                     "/overdrachten/download?formaat=csv"):
            r.get(path, follow_redirects=True)
        for wanted in (s.bsns["brp"], INVALID_BSN, valid_bsns(1, 999_760_000)[0]):
            r.post("/zoeken", data={"csrf_token": browser.token, "bsn": wanted})
        rows = csv_upload([upload_row(valid_bsns(1, 999_770_000)[0]), upload_row(INVALID_BSN)])
        r.post("/aanleveren", data={"csrf_token": browser.token},
               files={"bestand": ("l.csv", rows, "text/csv")})
        r.post(f"/overdrachten/{s.ids['overdracht_brp']}/accepteren",
               data={"csrf_token": browser.token, "bevestigd": "ja"})
        r.post(f"/overdrachten/{s.ids['overdracht_afgewezen']}/brp-document",
               data={"csrf_token": browser.token},
               files={"document": ("brp.json", b'{"jeugdige": {"burgerservicenummer": "'
                                   + s.bsns["claim"].encode() + b'"}}', "application/json")})
    bsn = s.bsns["brp"]

    def broken(*args, **kwargs):
        raise RuntimeError(f"kapot bij jeugdige {bsn}")

    monkeypatch.setattr(tasks, "task_list", broken)
    r = recorders[0]
    assert r.get("/taken").status_code == 500
    return recorders


@pytest.fixture
def everything_logged(caplog):
    """Every logger at DEBUG, captured; uvicorn's own loggers included."""
    caplog.set_level(logging.DEBUG)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "sqlalchemy", "httpx", "multipart"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _log_text(caplog) -> str:
    lines = []
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    for record in caplog.records:
        lines.append(handler.format(record))  # message, arguments and formatted traceback
    return "\n".join(lines)


def test_no_bsn_in_logs_urls_or_error_messages(scenario, everything_logged, monkeypatch):
    with TestClient(scenario.app(pages=False), raise_server_exceptions=False) as client:
        api = Recorder(client)
        _api_flows(api, scenario, monkeypatch)
    monkeypatch.undo()
    pages = _page_flows(scenario.app(), scenario, monkeypatch)
    recorders = [api, *pages]

    logged = _log_text(everything_logged)
    assert len(everything_logged.records) > 100, "the flows should have logged (SQL at DEBUG)"
    assert "onverwachte fout ValueError" in logged and "onverwachte fout RuntimeError" in logged
    assert "database niet beschikbaar" in logged
    found = sorted(bsns_in(logged))
    lines = [line for line in logged.splitlines() if bsns_in(line)][:5]
    assert not found, f"BSN in het log: {lines}"

    urls = [u for r in recorders for u in r.urls]
    assert len(urls) > 100
    assert not [u for u in urls if bsns_in(u)], "BSN in een URL"

    errors = [e for r in recorders for e in r.errors]
    assert len(errors) > 20, "the flows should include many refusals"
    leaking = [e[:300] for e in errors if bsns_in(e)]
    assert not leaking, "BSN in een foutmelding:\n" + "\n".join(leaking)


def test_scan_recognises_a_bsn(scenario):
    """The scanner itself: a valid BSN is found in text, numbers that are no BSN are not."""
    bsn = scenario.bsns["brp"]
    assert bsns_in(f"jeugdige {bsn} gevonden") == {bsn}
    assert bsns_in(f"id={bsn},") == {bsn}
    assert not bsns_in(f"{INVALID_BSN} 1{bsn} {bsn}0 x{bsn} 2021-10-15 0x{bsn}")
    assert re.fullmatch(r"[0-9]{9}", bsn)
