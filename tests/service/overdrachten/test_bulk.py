"""Deciding many transfers at once (issue 16 item 3): a selection or a filter with one
onderbouwing, or a file of decisions. Each transfer is its own guarded transition, the
answer lists per transfer what happened, and a partial failure leaves the others done.
500 transfers are accepted in one action (the issue's "done when")."""

from __future__ import annotations

import pytest

from wpb.service.audit.models import AuditRegel
from wpb.service.components.beheer.tokens import issue_token
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.db import transaction

from ..helpers import csv_bytes, deliver, row, valid_bsns

V1 = "/api/v1"


@pytest.fixture
def auth(f, t):
    with transaction(f) as session:
        return {k: {"Authorization": f"Bearer {issue_token(session, getattr(t, k).gebruiker_id)}"}
                for k in ("a", "b", "c")}


def many(f, t, ctx, n: int, ontvangende: str = "0307", skip: int = 0) -> list[int]:
    ids: list[int] = []
    bsns = valid_bsns(n + skip)[skip:]
    for start in range(0, n, ctx.settings.max_upload_rows):
        rows = [row(b, ontvangende=ontvangende) for b in bsns[start : start + ctx.settings.max_upload_rows]]
        ids += deliver(f, t.a, ctx, rows).nieuwe_overdrachten
    return ids


def statuses(f) -> dict[str, int]:
    with transaction(f) as session:
        found: dict[str, int] = {}
        for o in session.query(Overdracht):
            found[o.status] = found.get(o.status, 0) + 1
        return found


def test_500_transfers_accepted_in_one_action(client, auth, f, t, ctx):
    ids = many(f, t, ctx, 500)
    response = client.post(f"{V1}/overdrachten/_besluit", headers=auth["b"],
                           json={"besluit": "accepteren", "overdrachtIds": ids})
    assert response.status_code == 200, response.text
    assert response.json()["aantallen"] == {"gedaan": 500}
    assert statuses(f) == {"geaccepteerd": 500}
    with transaction(f) as session:
        assert session.query(AuditRegel).filter(AuditRegel.actie == "overdracht.accepteren").count() == 500


def test_a_partial_failure_leaves_the_others_done(client, auth, f, t, ctx):
    ids = many(f, t, ctx, 4)
    client.post(f"{V1}/overdrachten/{ids[0]}/acceptatie", headers=auth["b"])  # already accepted
    foreign = many(f, t, ctx, 1, ontvangende="0355", skip=4)  # Zeist's, not Amersfoort's
    response = client.post(f"{V1}/overdrachten/_besluit", headers=auth["b"], json={
        "besluit": "afwijzen", "onderbouwing": "niet onze jeugdigen", "overdrachtIds": [*ids, *foreign, "999999"]})
    body = response.json()
    outcome = {r["overdrachtId"]: r["uitkomst"] for r in body["resultaten"]}
    assert outcome[ids[0]] == "conflict"
    assert [outcome[i] for i in ids[1:]] == ["gedaan"] * 3
    # Another gemeente's transfer is not visible to Amersfoort: not found, never "forbidden".
    assert outcome[foreign[0]] == "niet_gevonden" and outcome["999999"] == "niet_gevonden"
    assert statuses(f) == {"geaccepteerd": 1, "afgewezen": 3, "aangeleverd": 1}


def test_the_latende_may_not_decide_its_own_outgoing_transfers(client, auth, f, t, ctx):
    ids = many(f, t, ctx, 2)
    body = client.post(f"{V1}/overdrachten/_besluit", headers=auth["a"],
                       json={"besluit": "accepteren", "overdrachtIds": ids}).json()
    assert {r["uitkomst"] for r in body["resultaten"]} == {"niet_toegestaan"}


def test_all_matching_a_filter(client, auth, f, t, ctx):
    many(f, t, ctx, 3)
    body = client.post(f"{V1}/overdrachten/_besluit", headers=auth["b"], json={
        "besluit": "accepteren", "filter": {"richting": "inkomend", "status": ["aangeleverd"]}}).json()
    assert body["aantallen"] == {"gedaan": 3}


def test_rejecting_needs_one_onderbouwing_and_a_selection(client, auth, f, t, ctx):
    ids = many(f, t, ctx, 1)
    assert client.post(f"{V1}/overdrachten/_besluit", headers=auth["b"],
                       json={"besluit": "afwijzen", "overdrachtIds": ids}).status_code == 400
    assert client.post(f"{V1}/overdrachten/_besluit", headers=auth["b"],
                       json={"besluit": "accepteren"}).status_code == 400
    assert statuses(f) == {"aangeleverd": 1}


def test_a_file_of_decisions_by_id_or_bsn(client, auth, f, t, ctx):
    ids = many(f, t, ctx, 3)
    bsns = valid_bsns(3)
    content = csv_bytes(
        [[str(ids[0]), "", "accepteren", ""],
         ["", bsns[1], "afwijzen", "woont in Zeist"],
         ["", bsns[2], "afwijzen", ""],
         ["", "123456789", "accepteren", ""]],
        header=["overdracht_id", "bsn", "besluit", "onderbouwing"])
    response = client.post(f"{V1}/overdrachten/_besluitenbestand", headers=auth["b"],
                           files={"bestand": ("besluiten.csv", content, "text/csv")})
    assert response.status_code == 200, response.text
    by_line = {r["regel"]: (r["uitkomst"], r["reden"]) for r in response.json()["resultaten"]}
    assert by_line[2][0] == "gedaan" and by_line[3][0] == "gedaan"
    assert by_line[4] == ("ongeldig", "een afwijzing heeft een onderbouwing nodig")
    assert by_line[5] == ("ongeldig", "geen geldig BSN")
    assert statuses(f) == {"geaccepteerd": 1, "afgewezen": 1, "aangeleverd": 1}
    assert "123456789" not in response.text and bsns[1] not in response.text


def test_the_incoming_list_accepts_the_selected_transfers_at_once(f, t, ctx, settings, clock, sqlite_engine):
    from html import unescape

    from wpb.service.app import create_app

    from .test_pages import Browser

    ids = many(f, t, ctx, 3)
    browser = Browser(create_app(settings, clock=clock, engine=sqlite_engine), "user-b")
    page = unescape(browser.get("/overdrachten/inkomend").text)
    assert 'form="besluit"' in page and "Besluit uitvoeren" in page
    response = browser.client.post("/overdrachten/besluiten", data={
        "csrf_token": browser.token, "overdracht": [str(i) for i in ids[:2]], "besluit": "accepteren",
        "bevestigd": "ja"})
    assert response.status_code == 200, response.text
    assert "2 overdrachten geaccepteerd" in unescape(response.text)
    assert statuses(f) == {"geaccepteerd": 2, "aangeleverd": 1}
    refused = browser.client.post("/overdrachten/besluiten", data={
        "csrf_token": browser.token, "alle": "ja", "besluit": "afwijzen", "onderbouwing": ""})
    assert refused.status_code == 400 and "onderbouwing" in unescape(refused.text)
    done = browser.client.post("/overdrachten/besluiten", data={
        "csrf_token": browser.token, "alle": "ja", "besluit": "afwijzen", "onderbouwing": "niet de onze",
        "bevestigd": "ja"})
    assert "1 overdracht afgewezen" in unescape(done.text)
    assert statuses(f) == {"geaccepteerd": 2, "afgewezen": 1}
