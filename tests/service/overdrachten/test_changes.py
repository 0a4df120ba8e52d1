"""Correction, withdrawal, reconsideration and take-back through the API (issue 16 item 4).

From the issue: the latende gemeente corrects fields of a delivered transfer (einddatum,
product, provider) as a new version with the history kept, and the aanleverdatum never
moves; it withdraws with a reason; the receiving gemeente reconsiders a rejection and
accepts; the latende gemeente takes a rejected youth back. Every step is audited, and the
parties not named get 403. A transfer rejected, reconsidered and afgerond on 2022-04-01
leaves the latende responsible until 2022-03-31 (factsheet part B).
"""

from __future__ import annotations

import pytest

from wpb.service.audit.models import AuditRegel
from wpb.service.components.beheer.tokens import issue_token
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.db import transaction

from ..helpers import by_public_id, deliver, row

V1 = "/api/v1"


@pytest.fixture
def auth(f, t):
    with transaction(f) as session:
        return {k: {"Authorization": f"Bearer {issue_token(session, getattr(t, k).gebruiker_id)}"}
                for k in ("a", "b", "c", "p")}


@pytest.fixture
def oid(f, t, ctx) -> int:
    """Utrecht (A) hands a youth to Amersfoort (B) on 2021-10-15, einddatum 2021-12-31."""
    return deliver(f, t.a, ctx, [row()]).nieuwe_overdrachten[0]


def post(client, auth, who, oid, what, body=None):
    return client.post(f"{V1}/overdrachten/{oid}/{what}", headers=auth[who], json=body or {})


def actions(f, oid) -> list[str]:
    with transaction(f) as session:
        return [a.actie for a in session.query(AuditRegel).filter(
            AuditRegel.overdracht_id == by_public_id(session, Overdracht, oid).id)
                .order_by(AuditRegel.id)]


def test_a_correction_is_a_new_version_with_the_old_value_kept(client, auth, f, oid, clock):
    before = client.get(f"{V1}/overdrachten/{oid}", headers=auth["a"]).json()
    clock.set(2021, 11, 3)
    line = before["regels"][0]["id"]
    response = post(client, auth, "a", oid, "correctie",
                    {"regelId": line, "toewijzingEinddatum": "2022-03-31", "product": "Pleegzorg",
                     "versie": before["versie"]})
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["versie"] == before["versie"] + 1 and after["status"] == "aangeleverd"
    assert after["aanleverdatum"] == "2021-10-15" == after["regels"][0]["aanleverdatum"]
    assert (after["regels"][0]["toewijzingEinddatum"], after["regels"][0]["product"]) == (
        "2022-03-31", "Pleegzorg")
    [event] = [g for g in after["gebeurtenissen"] if g["soort"] == "corrigeren"]
    assert "31 december 2021 → 31 maart 2022" in event["toelichting"]
    assert event["toelichting"].endswith("aanleverdatum blijft 15 oktober 2021")
    assert "Ambulante jeugdhulp → Pleegzorg" in event["toelichting"]
    assert "overdracht.corrigeren" in actions(f, oid)
    # A running toewijzing: the einddatum made empty.
    running = post(client, auth, "a", oid, "correctie", {"regelId": line, "toewijzingLooptDoor": True})
    assert running.json()["regels"][0]["toewijzingEinddatum"] is None


def test_a_correction_is_refused_to_others_and_for_impossible_values(client, auth, oid):
    line = client.get(f"{V1}/overdrachten/{oid}", headers=auth["a"]).json()["regels"][0]["id"]
    assert post(client, auth, "b", oid, "correctie", {"regelId": line, "product": "x"}).status_code == 403
    assert post(client, auth, "c", oid, "correctie", {"regelId": line, "product": "x"}).status_code == 404
    bad = post(client, auth, "a", oid, "correctie",
               {"regelId": line, "toewijzingEinddatum": "2001-01-01", "aanbiederAgb": "123"})
    assert bad.status_code == 400
    assert {p["name"] for p in bad.json()["invalidParams"]} == {"toewijzingEinddatum", "aanbiederAgb"}
    same = post(client, auth, "a", oid, "correctie", {"regelId": line, "product": "Ambulante jeugdhulp"})
    assert same.status_code == 400
    bidi = post(client, auth, "a", oid, "correctie", {"regelId": line, "product": "Pleeg\u202ezorg"})
    assert bidi.status_code == 400 and "U+202E" in bidi.text


def test_withdrawal_needs_a_reason_and_is_final(client, auth, f, oid):
    assert post(client, auth, "a", oid, "intrekking", {"reden": " "}).status_code == 400
    assert post(client, auth, "b", oid, "intrekking", {"reden": "x"}).status_code == 403
    response = post(client, auth, "a", oid, "intrekking", {"reden": "verkeerde jeugdige"})
    assert response.status_code == 200 and response.json()["status"] == "ingetrokken"
    assert response.json()["mogelijkeActies"] == []
    assert post(client, auth, "b", oid, "acceptatie").status_code == 409
    assert "overdracht.intrekken" in actions(f, oid)


def test_a_withdrawn_youth_can_be_delivered_again(client, auth, f, t, ctx, oid):
    post(client, auth, "a", oid, "intrekking", {"reden": "verkeerde gemeente"})
    again = deliver(f, t.a, ctx, [row(ontvangende="0355")])
    assert len(again.nieuwe_overdrachten) == 1


def test_reconsideration_then_afgerond_gives_the_latende_the_days_before(client, auth, f, oid, clock):
    clock.set(2021, 10, 20)
    assert post(client, auth, "b", oid, "afwijzing", {"onderbouwing": "niet onze jeugdige"}).status_code == 200
    assert post(client, auth, "a", oid, "heroverweging").status_code == 403
    clock.set(2022, 3, 15)
    response = post(client, auth, "b", oid, "heroverweging", {"toelichting": "na overleg"})
    assert response.status_code == 200 and response.json()["status"] == "geaccepteerd"
    assert response.json()["afwijzing"]["datum"] == "2021-10-20"  # the rejection stays on record
    said = " ".join(str(e) for e in response.json()["gebeurtenissen"])
    assert "afwijzing van 20 oktober 2021 heroverwogen" in said  # a date in a sentence, in words
    clock.set(2022, 4, 1)
    done = post(client, auth, "b", oid, "afronding",
                {"toewijzingIngangsdatum": "2022-04-01", "toewijzingReferentie": "T-1"})
    assert done.status_code == 200
    periods = [(p["van"], p["totEnMet"], p["gemeente"]["code"])
               for p in done.json()["verantwoordelijkheid"]["tijdlijn"]]
    assert periods == [("2022-01-01", "2022-03-31", "0344"), ("2022-04-01", None, "0307")]
    assert "overdracht.heroverwegen" in actions(f, oid)


def test_take_back_only_after_a_rejection_and_only_by_the_latende(client, auth, f, oid):
    assert post(client, auth, "a", oid, "terugname").status_code == 409  # not rejected
    post(client, auth, "b", oid, "afwijzing", {"onderbouwing": "niet onze jeugdige"})
    assert post(client, auth, "b", oid, "terugname").status_code == 403
    assert post(client, auth, "p", oid, "terugname").status_code in (403, 404)
    response = post(client, auth, "a", oid, "terugname", {"toelichting": "blijft bij ons"})
    assert response.status_code == 200 and response.json()["status"] == "teruggenomen"
    assert "overdracht.terugnemen" in actions(f, oid)


# --- the pages ------------------------------------------------------------------------------


@pytest.fixture
def app(settings, clock, sqlite_engine, sqlite_tenants):
    from wpb.service.app import create_app

    return create_app(settings, clock=clock, engine=sqlite_engine)


def test_pages_correct_withdraw_reconsider_and_take_back(app, f, t, ctx, oid):
    from html import unescape

    from .test_pages import Browser

    latende, ontvangende = Browser(app, "user-a"), Browser(app, "user-b")
    page = unescape(latende.get(f"/overdrachten/{oid}").text)
    assert "Een regel corrigeren" in page and "Overdracht intrekken" in page
    line = page.split('name="regelId"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    done = latende.post(f"/overdrachten/{oid}/corrigeren",
                        {"bevestigd": "ja", "regelId": line, "toewijzingEinddatum": "2022-06-30", "versie": "1"})
    assert done.status_code == 303, done.text
    page = unescape(latende.get(done.headers["location"]).text)
    assert "De regel is gecorrigeerd" in page and "regel 99000011 · Ambulante jeugdhulp gecorrigeerd" in page
    # A withdrawal without a reason is refused on the page, naming the field.
    refused = latende.post(f"/overdrachten/{oid}/intrekken", {"bevestigd": "ja", "reden": ""})
    assert refused.status_code == 400 and "Reden van de intrekking" in unescape(refused.text)
    # The receiving gemeente rejects, then reconsiders and accepts after all.
    assert ontvangende.post(f"/overdrachten/{oid}/afwijzen", {"bevestigd": "ja", "onderbouwing": "niet de onze"}).status_code == 303
    page = unescape(ontvangende.get(f"/overdrachten/{oid}").text)
    assert "Alsnog accepteren" in page and "Terugnemen" not in page
    assert "Terugnemen" in unescape(latende.get(f"/overdrachten/{oid}").text)
    assert ontvangende.post(f"/overdrachten/{oid}/heroverwegen", {"bevestigd": "ja", }).status_code == 303
    page = unescape(ontvangende.get(f"/overdrachten/{oid}").text)
    assert "alsnog geaccepteerd" in page


def test_page_take_back_and_withdraw(app, f, t, ctx, oid):
    from html import unescape

    from .test_pages import Browser

    latende, ontvangende = Browser(app, "user-a"), Browser(app, "user-b")
    ontvangende.post(f"/overdrachten/{oid}/afwijzen", {"bevestigd": "ja", "onderbouwing": "niet de onze"})
    assert latende.post(f"/overdrachten/{oid}/terugnemen", {"bevestigd": "ja", "toelichting": "blijft"}).status_code == 303
    assert "jeugdige teruggenomen" in unescape(latende.get(f"/overdrachten/{oid}").text)
    other = deliver(f, t.a, ctx, [row("999990020")]).nieuwe_overdrachten[0]
    assert latende.post(f"/overdrachten/{other}/intrekken", {"bevestigd": "ja", "reden": "dubbel"}).status_code == 303
    assert "ingetrokken door de latende gemeente: dubbel" in unescape(
        ontvangende.get(f"/overdrachten/{other}").text)
