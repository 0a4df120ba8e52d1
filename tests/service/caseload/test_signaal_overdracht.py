"""An ``andere_gemeente`` signal made into a prefilled transfer (issue 20, item 4: "propose a
transfer"), through the API and the pages.

Expectations from the law and the upload format: Utrecht's youth in ambulant care registered
in Zeist since 2026-02-01 is Zeist's from that day (art. 1.1 Jeugdwet 2022, onderdeel 1°;
``vanaf`` per docs/interpretations.md). So the transfer Utrecht proposes has latende gemeente
Utrecht (the caller), ontvangende gemeente Zeist (0355), ``vanaf`` 2026-02-01 and one line per
running toewijzing. It is shown before it is stored, stored only as shown, audited, and the
signal is handled with a link to it. Another gemeente cannot use the signal (404).
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from wpb.service.app import create_app
from wpb.service.audit.models import AuditRegel
from wpb.service.components.beheer.tokens import issue_token
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.db import transaction

from ..berichten.test_pages_berichten import Browser, text_of
from ..helpers import count, valid_bsns
from .files import export, proefomgeving_voor, regel

V1 = "/api/v1"


@pytest.fixture
def youths():
    return valid_bsns(3)


def _app(settings, clock, engine, youths, *, pages: bool):
    moved, stayed, _ = youths
    clock.set(2026, 12, 7)
    return proefomgeving_voor(create_app(settings.with_(brp_base_url="http://proef"), clock=clock,
                                         engine=engine, pages=pages), moved, stayed)


@pytest.fixture
def api(sqlite_engine, sqlite_factory, sqlite_tenants, settings, clock, youths):
    """(client, headers per tenant) with gemeente A's check run: one andere_gemeente signal
    (the youth who moved to Zeist) and one review (the youth unknown to the BRP)."""
    headers = {}
    with transaction(sqlite_factory) as session:
        for key in ("a", "b", "p", "coordinator"):
            token = issue_token(session, getattr(sqlite_tenants, key).gebruiker_id)
            headers[key] = {"Authorization": f"Bearer {token}"}
    moved, stayed, unknown = youths
    with TestClient(_app(settings, clock, sqlite_engine, youths, pages=False)) as client:
        files = {"bestand": ("c.csv", export(regel(moved, nummer="1"), regel(stayed, nummer="2"),
                                             regel(unknown, nummer="3")), "text/csv")}
        check = client.post(f"{V1}/clientenbestand/_controleer", files=files, headers=headers["a"])
        client.post(f"{V1}/clientenbestand", files=files,
                    data={"controle": check.json()["controle"]}, headers=headers["a"])
        client.post(f"{V1}/clientenbestand/brp-ophaling", json={}, headers=headers["a"])
        client.post(f"{V1}/clientenbestand/woonplaatscheck", json={"peildatum": "2026-12-07"},
                    headers=headers["a"])
        yield client, headers


def _signal(client, headers, soort):
    (signal,) = client.get(f"{V1}/signalen", params={"soort": soort}, headers=headers).json()["signalen"]
    return signal


def test_a_signal_becomes_the_prefilled_transfer_once_confirmed(api, sqlite_factory, sqlite_tenants, youths):
    client, headers = api
    moved = youths[0]
    signal = _signal(client, headers["a"], "andere_gemeente")
    url = f"{V1}/signalen/{signal['id']}/overdracht"

    draft = client.post(f"{url}/_controleer", headers=headers["a"])
    assert draft.status_code == 200, draft.text
    body = draft.json()
    assert body["regelsAfgewezen"] == 0
    assert [(r["bsn"], r["ontvangendeGemeente"], r["vanaf"], r["toewijzingEinddatum"], r["pgb"],
             r["bestaandeOverdrachtId"]) for r in body["geldig"]] == [
        (moved, "0355", "2026-02-01", None, False, None)]
    assert count(sqlite_factory, Overdracht) == 0  # shown, not stored

    wrong = client.post(url, json={"controle": "0" * 64}, headers=headers["a"])
    assert wrong.status_code == 409 and count(sqlite_factory, Overdracht) == 0

    made = client.post(url, json={"controle": body["controle"]}, headers=headers["a"])
    assert made.status_code == 201, made.text
    result = made.json()
    oid = result["overdrachtId"]
    assert result["aanlevering"]["nieuweOverdrachten"] == [oid]
    assert (result["signaal"]["afhandeling"], result["signaal"]["overdrachtId"]) == ("overdracht", oid)
    with transaction(sqlite_factory) as session:
        stored = session.scalars(select(Overdracht).where(Overdracht.publiek_id == oid)).one()
        assert (stored.bsn, stored.latende_gemeente, stored.ontvangende_gemeente, stored.vanaf.isoformat(),
                stored.status) == (moved, sqlite_tenants.a.code, "0355", "2026-02-01", "aangeleverd")
        audited = session.scalars(select(AuditRegel).where(
            AuditRegel.actie == "signaal.afhandelen", AuditRegel.overdracht_id == stored.id)).all()
        assert len(audited) == 1
    assert client.get(f"{V1}/overdrachten/{oid}", headers=headers["a"]).status_code == 200
    detail = client.get(f"{V1}/signalen/{signal['id']}", headers=headers["a"]).json()
    assert detail["overdrachtId"] == oid

    # Handled once: neither a second draft nor a second transfer.
    assert client.post(f"{url}/_controleer", headers=headers["a"]).status_code == 409
    assert client.post(url, json={"controle": body["controle"]}, headers=headers["a"]).status_code == 409
    assert count(sqlite_factory, Overdracht) == 1


def test_only_an_open_andere_gemeente_signal_of_the_caller_becomes_a_transfer(api, sqlite_factory):
    client, headers = api
    review = _signal(client, headers["a"], "review")
    assert client.post(f"{V1}/signalen/{review['id']}/overdracht/_controleer",
                       headers=headers["a"]).status_code == 400
    signal = _signal(client, headers["a"], "andere_gemeente")
    url = f"{V1}/signalen/{signal['id']}/overdracht"
    controle = client.post(f"{url}/_controleer", headers=headers["a"]).json()["controle"]
    # Gemeente B: the same 404 as a signal that does not exist, and nothing stored.
    for path in (url, f"{V1}/signalen/99999/overdracht"):
        draft = client.post(f"{path}/_controleer", headers=headers["b"])
        made = client.post(path, json={"controle": controle}, headers=headers["b"])
        assert draft.status_code == made.status_code == 404
    # A provider or the coordinator has no caseload: 403; no token: 401.
    for who, status in (("p", 403), ("coordinator", 403), (None, 401)):
        sent = headers[who] if who else {}
        draft = client.post(f"{url}/_controleer", headers=sent)
        made = client.post(url, json={"controle": controle}, headers=sent)
        assert draft.status_code == made.status_code == status, who
        assert signal["bsn"] not in draft.text + made.text
    assert count(sqlite_factory, Overdracht) == 0
    assert client.get(f"{V1}/signalen/{signal['id']}", headers=headers["a"]).json()["afhandeling"] is None


def _field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, name
    return match.group(1)


def test_the_pages_show_the_draft_before_it_is_stored(settings, clock, sqlite_engine, sqlite_tenants,
                                                      sqlite_factory, youths):
    moved, stayed, unknown = youths
    app = _app(settings, clock, sqlite_engine, youths, pages=True)
    a = Browser(app, "user-a")
    content = export(regel(moved, nummer="1"), regel(stayed, nummer="2"), regel(unknown, nummer="3"))
    checked = a.post("/clientenbestand/controleren", files={"bestand": ("c.csv", content, "text/csv")})
    a.post("/clientenbestand/opslaan", {"sleutel": _field(checked.text, "sleutel"),
                                        "controle": _field(checked.text, "controle")})
    a.post("/clientenbestand/brp-ophalen")
    for _ in range(200):
        if "ophalen-klaar" in a.get("/clientenbestand/brp-ophalen").text:
            break
    a.post("/clientenbestand/woonplaatscheck", {"peildatum": "2026-12-07"})
    listing = a.get("/signalen?open=ja").text
    signal_id = re.search(r'href="/signalen/([0-9a-f-]{36})">Signaal [0-9a-f-]{36}</a></td><td>' + moved, listing).group(1)

    assert f'href="/signalen/{signal_id}/overdracht"' in a.get(f"/signalen/{signal_id}").text
    draft = a.get(f"/signalen/{signal_id}/overdracht")
    assert draft.status_code == 200
    page = text_of(draft.text)
    assert "Zeist" in page and "1 februari 2026" in page and "loopt door" in page
    assert "nieuwe overdracht" in page and count(sqlite_factory, Overdracht) == 0

    b = Browser(app, "user-b")
    assert b.get(f"/signalen/{signal_id}/overdracht").status_code == 404
    assert b.post(f"/signalen/{signal_id}/overdracht",
                  {"controle": _field(draft.text, "controle")}).status_code == 404

    stale = a.post(f"/signalen/{signal_id}/overdracht", {"controle": "1" * 64})
    assert stale.status_code == 409 and count(sqlite_factory, Overdracht) == 0
    done = a.post(f"/signalen/{signal_id}/overdracht", {"controle": _field(draft.text, "controle")})
    assert done.status_code == 303
    oid = re.fullmatch(r"/overdrachten/([0-9a-f-]{36})", done.headers["location"]).group(1)
    assert a.get(f"/overdrachten/{oid}").status_code == 200
    detail = a.get(f"/signalen/{signal_id}").text
    assert f'href="/overdrachten/{oid}"' in detail and "Overdracht gemaakt" in detail
    assert count(sqlite_factory, Overdracht) == 1
