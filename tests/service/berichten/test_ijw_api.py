"""The iJw endpoints of the real application (create_app): ``POST /api/v1/berichten`` with
problem+json naming element and rule, TR056 processed once, the proposed answer, sending it.

Moved here from tests/test_ijw_api.py, which tested the router on a stand-in app.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ijw_builders import AANBIEDER, BSN, SAMPLES, XSD_DIR, aangevraagd, jw315, jw319
from wpb.ijw.xml_read import read_bericht
from wpb.ijw.xml_write import write_bericht
from wpb.service.app import create_app
from wpb.service.components.beheer.models import Gebruiker, Organisatie
from wpb.service.components.beheer.tokens import issue_token
from wpb.service.components.berichten.models import IjwInstemming
from wpb.service.db import transaction

from ..helpers import SettableClock

XML = {"Content-Type": "application/xml"}
V1 = "/api/v1"


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(datetime(2026, 4, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def app_for(sqlite_engine, settings, clock):
    def make(**changes):
        return TestClient(create_app(settings.with_(**changes), engine=sqlite_engine,
                                     clock=clock, pages=False))
    return make


@pytest.fixture
def client(app_for):
    with app_for() as c:
        yield c


@pytest.fixture
def auth(sqlite_factory, sqlite_tenants):
    headers = {}
    with transaction(sqlite_factory) as session:
        org = Organisatie(soort="aanbieder", code=AANBIEDER, naam="Aanbieder iJw")
        user = Gebruiker(organisatie=org, gebruikersnaam="user-ijw", naam="iJw",
                         wachtwoord_hash="x", actief=True, aangemaakt_op=datetime(2026, 1, 1))
        session.add(user)
        session.flush()
        headers["ijw"] = {"Authorization": f"Bearer {issue_token(session, user.id)}"}
        for key in ("a", "b", "p", "coordinator"):
            token = issue_token(session, getattr(sqlite_tenants, key).gebruiker_id)
            headers[key] = {"Authorization": f"Bearer {token}"}
    return headers


def post(client, data: bytes, who: dict, content_type: str = "application/xml"):
    return client.post(f"{V1}/berichten", content=data, headers={**who, "Content-Type": content_type})


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["api-version"]
    assert BSN not in response.text
    return response.json()


def test_new_message_is_accepted_and_processed_once(client, auth):
    data = write_bericht(jw315())
    first = post(client, data, auth["ijw"])
    assert first.status_code == 201, first.text
    body = first.json()
    assert (body["berichttype"], body["registratie"], body["identificatie"]) == (
        "JW315", "nieuw", "VOT000000001")
    assert first.headers["location"] == f"{V1}/berichten/{body['id']}"
    again = post(client, data, auth["ijw"], "text/xml; charset=utf-8")
    assert again.status_code == 200 and again.json()["registratie"] == "herhaald"
    assert again.json()["id"] == body["id"]
    assert client.get(f"{V1}/berichten", headers=auth["b"]).json()["totaal"] == 2  # with its JW316
    assert BSN not in first.text + again.text  # the provider's view has no personal data


def test_invalid_message_names_element_and_rule(client, auth):
    data = write_bericht(jw315()).replace(b"2026-12-31", b"2026-12-32")
    problem = assert_problem(post(client, data, auth["ijw"]), 400)
    assert "JW315" in problem["detail"]
    (param,) = problem["invalidParams"]
    assert isinstance(param.pop("regel"), int)  # the line in the document
    assert param == {
        "name": "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[1]/ToewijzingEinddatum",
        "code": "XSD", "reason": "'2026-12-32' is geen bestaande datum", "waarde": "2026-12-32"}


def test_an_invalid_message_is_400_and_its_retourbericht_is_downloadable(client, auth):
    """Issue 18 item 11: refused, but kept with its JW316 (header only, 0001: the body broke
    the schema), which the provider fetches like any other message."""
    data = write_bericht(jw315()).replace(b"2026-12-31", b"2026-12-32")
    problem = assert_problem(post(client, data, auth["ijw"]), 400)
    got = client.get(f"{V1}/berichten/{problem['retourbericht']}/xml", headers=auth["ijw"])
    assert got.status_code == 200 and got.headers["content-type"].startswith("application/xml")
    assert b"jw316" in got.content and b"<jw316:RetourCode>0001</jw316:RetourCode>" in got.content
    refused = client.get(f"{V1}/berichten/{problem['bericht']}", headers=auth["b"]).json()
    assert refused["status"] == "afgekeurd"
    assert [a["id"] for a in refused["antwoorden"]] == [problem["retourbericht"]]


def test_rule_breach_is_400_with_the_rule(client, auth):
    data = write_bericht(jw319(gemeente=None), check=False)
    (param,) = assert_problem(post(client, data, auth["b"]), 400)["invalidParams"]
    assert (param["name"], param["code"], param["retourcode"]) == (
        "/Bericht/Antwoord/Woonplaatsbeginsel", "TR377", "0001")


def test_same_identificatie_other_content_is_409(client, auth):
    assert post(client, write_bericht(jw315()), auth["ijw"]).status_code == 201
    other = write_bericht(jw315(aangevraagd(ref="ANDERS")))
    problem = assert_problem(post(client, other, auth["ijw"]), 409)
    assert problem["invalidParams"][0]["code"] == "TR056"


def test_only_the_sender_may_submit(client, auth):
    """S2: the receiving gemeente (b) may not submit the provider's message either."""
    for key in ("p", "a", "b", "coordinator"):
        assert_problem(post(client, write_bericht(jw315()), auth[key]), 403)
    assert post(client, write_bericht(jw315()), auth["ijw"]).status_code == 201


def test_hostile_xml_is_400_naming_the_rule(client, auth):
    data = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    problem = assert_problem(post(client, data, auth["ijw"]), 400)
    assert problem["invalidParams"][0]["code"] == "XML-DTD"
    assert "root:" not in json.dumps(problem)
    laughs = (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
              b"<l>&b;</l>")
    assert assert_problem(post(client, laughs, auth["ijw"]), 400)["invalidParams"][0]["code"] == "XML-DTD"


def test_wrong_media_type_and_too_large(client, auth):
    assert_problem(post(client, b"{}", auth["ijw"], "application/json"), 415)
    big = b"<Bericht>" + b"x" * 200_001 + b"</Bericht>"  # the test settings allow 200 000 bytes
    assert_problem(post(client, big, auth["ijw"]), 413)


def test_unauthenticated_is_401(client):
    assert_problem(client.post(f"{V1}/berichten", content=write_bericht(jw315()), headers=XML), 401)


def test_unusable_xsd_configuration_is_503(app_for, auth, tmp_path):
    with app_for(ijw_xsd_dir=tmp_path / "geen-xsd") as c:
        problem = assert_problem(post(c, write_bericht(jw315()), auth["ijw"]), 503)
    assert "XSD" in problem["detail"]


def test_proposal_and_answer_over_the_api(client, auth):
    rid = post(client, write_bericht(jw315()), auth["ijw"]).json()["id"]
    brp = {"verblijfplaatsen": [{
        "type": "Adres", "datumVan": {"type": "Datum", "datum": "2012-03-04"},
        "gemeenteVanInschrijving": {"code": "0344"}}]}
    assert_problem(client.post(f"{V1}/berichten/{rid}/voorstel", headers=auth["ijw"],
                               json={"brpGegevens": brp}), 403)
    proposed = client.post(f"{V1}/berichten/{rid}/voorstel", headers=auth["b"],
                           json={"brpGegevens": brp})
    assert proposed.status_code == 200, proposed.text
    product = proposed.json()["voorstel"]["producten"][0]
    assert (product["soort"], product["verantwoordelijkeGemeente"]) == (
        "afwijzing_woonplaatsbeginsel", "0344")
    listed = client.get(f"{V1}/berichten?alleenOpen=true&berichttype=JW315", headers=auth["b"]).json()
    assert listed["berichten"][0]["uiterlijk"] == "2026-04-16"
    # Issue 18 item 12: the reden-8 answer waits for Utrecht (0344, user a) to agree.
    waiting = assert_problem(client.post(f"{V1}/berichten/{rid}/antwoord", headers=auth["b"],
                                         json={"versie": proposed.json()["versie"]}), 409)
    assert waiting["invalidParams"][0]["name"] == "instemming.0344"
    assert_problem(client.post(f"{V1}/berichten/{rid}/instemming", headers=auth["a"]), 404)
    asked = client.post(f"{V1}/berichten/{rid}/instemming", headers=auth["b"])
    assert asked.status_code == 200, asked.text
    (vraag,) = asked.json()["instemmingen"]
    assert (vraag["gemeente"]["code"], vraag["gevraagdDoor"]["code"], vraag["status"]) == (
        "0344", "0307", "gevraagd")
    for other in ("ijw", "p", "coordinator"):  # only the two gemeenten see it
        assert client.get(f"{V1}/instemmingen", headers=auth[other]).json()["instemmingen"] == []
        assert_problem(client.get(f"{V1}/instemmingen/{vraag['id']}", headers=auth[other]), 404)
    assert_problem(client.post(f"{V1}/instemmingen/{vraag['id']}", headers=auth["b"],
                               json={"besluit": "akkoord"}), 403)  # the asker cannot agree
    (mine,) = client.get(f"{V1}/instemmingen?status=gevraagd", headers=auth["a"]).json()["instemmingen"]
    assert mine["id"] == vraag["id"] and "0344" in mine["reden"]
    # S10: a random public id; the old integer address gets the 404 of an unknown one.
    assert uuid.UUID(vraag["id"]).version == 4
    with transaction(client.app.state.wpb.factory) as session:
        internal = session.scalars(select(IjwInstemming.id).where(IjwInstemming.publiek_id == vraag["id"])).one()
    for wrong in (str(internal), str(uuid.uuid4())):
        unknown = assert_problem(client.get(f"{V1}/instemmingen/{wrong}", headers=auth["a"]), 404)
        assert unknown["detail"].replace(wrong, "?") == (
            "Instemming ? bestaat niet of is niet zichtbaar voor u.")
    agreed = client.post(f"{V1}/instemmingen/{vraag['id']}", headers=auth["a"],
                         json={"besluit": "akkoord", "versie": mine["versie"]})
    assert agreed.status_code == 200 and agreed.json()["status"] == "akkoord", agreed.text
    sent = client.post(f"{V1}/berichten/{rid}/antwoord", headers=auth["b"], json={})
    assert sent.status_code == 201, sent.text
    (out,) = sent.json()["berichten"]
    xml = client.get(f"{V1}/berichten/{out['id']}/xml", headers=auth["ijw"])
    assert xml.status_code == 200 and xml.headers["content-type"].startswith("application/xml")
    antwoord = read_bericht(xml.content).antwoord
    assert (antwoord.reden_afwijzing_verzoek, antwoord.woonplaatsbeginsel_gemeente) == ("8", "0344")
    assert_problem(client.post(f"{V1}/berichten/{rid}/antwoord", headers=auth["b"]), 409)
    assert_problem(client.get(f"{V1}/berichten/{rid}", headers=auth["a"]), 404)


@pytest.mark.shared
@pytest.mark.skipif(not (SAMPLES.is_dir() and XSD_DIR.is_dir()),
                    reason="../shared/data/ijw (samples en XSD's) ontbreekt")
def test_with_the_xsds_the_sample_is_refused_and_the_answer_validates(app_for, auth, tmp_path):
    with app_for(ijw_xsd_dir=XSD_DIR) as c:
        problem = assert_problem(post(c, (SAMPLES / "JW315.xml").read_bytes(), auth["b"]), 400)
        dates = [p for p in problem["invalidParams"] if p.get("waarde") == "2027-06-31"]
        assert dates and dates[0]["name"].endswith("/ToewijzingEinddatum")
        created = post(c, write_bericht(jw315()), auth["ijw"])
        assert created.status_code == 201 and created.json()["xsdGecontroleerd"] is True
        rid = created.json()["id"]
        brp = {"jeugdige": {"burgerservicenummer": BSN,
                            "geboorte": {"datum": {"type": "Datum", "datum": "2012-03-04"}},
                            "verblijfplaatshistorie": [{
                                "type": "Adres", "datumVan": {"type": "Datum", "datum": "2012-03-04"},
                                "gemeenteVanInschrijving": {"code": "0307"},
                                "verblijfadres": {"korteStraatnaam": "Langestraat", "huisnummer": 9,
                                                  "postcode": "3811AA", "woonplaats": "Amersfoort"}}]}}
        assert c.post(f"{V1}/berichten/{rid}/voorstel", headers=auth["b"],
                      json={"brpGegevens": brp}).status_code == 200
        sent = c.post(f"{V1}/berichten/{rid}/antwoord", headers=auth["b"])
        assert sent.status_code == 201, sent.text  # checked against JW301.xsd before sending
        (out,) = sent.json()["berichten"]
        assert out["berichttype"] == "JW301"
        answer = c.get(f"{V1}/berichten/{out['id']}", headers=auth["ijw"]).json()
        assert answer["xsdGecontroleerd"] is True


def test_retourberichten_over_the_api(client, auth):
    """Issue 18 item 11: a JW320 is accepted (it was 400 "ongeldig: 0 problemen"), matched to
    the JW319 it answers and shown there; the JW315 gets its JW316, which the provider
    downloads."""
    from ijw_builders import retour_van
    from wpb.ijw.xml_read import read_bericht

    rid = post(client, write_bericht(jw315()), auth["ijw"]).json()["id"]
    sent = client.post(f"{V1}/berichten/{rid}/antwoord", json={}, headers=auth["b"])
    assert sent.status_code == 201, sent.text
    (jw319,) = sent.json()["berichten"]
    answered = post(client, retour_van(read_bericht(jw319["xml"].encode())), auth["ijw"])
    assert answered.status_code == 201, answered.text
    assert (answered.json()["berichttype"], answered.json()["antwoordOpBericht"]) == ("JW320", jw319["id"])
    beside = client.get(f"{V1}/berichten/{jw319['id']}", headers=auth["b"]).json()
    assert [a["berichttype"] for a in beside["antwoorden"]] == ["JW320"]
    assert beside["antwoorden"][0]["retour"]["retourcodes"][0]["codes"][0]["code"] == "0200"
    request = client.get(f"{V1}/berichten/{rid}", headers=auth["ijw"]).json()
    (jw316,) = [a for a in request["antwoorden"] if a["berichttype"] == "JW316"]
    xml = client.get(f"{V1}/berichten/{jw316['id']}/xml", headers=auth["ijw"])
    assert xml.status_code == 200 and b"IdentificatieRetour" in xml.content
