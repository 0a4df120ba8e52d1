"""Agree before reden 8 (issue 18 item 12).

Before a JW319 with RedenAfwijzingVerzoek 8 goes out, the gemeente it names in
Woonplaatsbeginsel/Gemeente (IV095/TR377) is asked and its agreement or objection recorded;
an objection opens a geschil. Here Amersfoort (0307, tenants.b) receives the VOT, the BRP
data say the youth lives in Utrecht (0344, tenants.a), so the proposal rejects with reden 8
naming Utrecht. Zeist (0355, tenants.c), the providers and the coordinator are no party.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ijw_builders import BSN, jw315
from wpb.service.audit.models import AuditRegel
from wpb.service.components.berichten import antwoord, instemming, views
from wpb.service.components.verrekening import geschillen
from wpb.service.db import transaction
from wpb.service.errors import Conflict, Forbidden, InvalidRequest, NotConfigured, NotFound

from ..helpers import SettableClock
from .test_berichten import (
    LIVES_IN_AMERSFOORT,
    LIVES_IN_UTRECHT,
    RECEIPT,
    _answers,
    _transfer_with_brp,
    submit,
)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(RECEIPT)


@pytest.fixture
def settings(settings):
    return settings.with_(pseudoniem_sleutel="sleutel-voor-de-test")  # geschillen pseudonymise


def run(factory, fn, *args, **kwargs):
    with transaction(factory) as session:
        return fn(session, *args, **kwargs)


@pytest.fixture
def rid(factory, provider, ctx) -> int:
    _transfer_with_brp(factory, LIVES_IN_UTRECHT)
    return submit(factory, provider, ctx, jw315()).bericht_id


def test_the_reden_8_answer_waits_until_the_named_gemeente_agrees(factory, tenants, ctx, rid, wired):
    with pytest.raises(Conflict) as caught:
        run(factory, antwoord.approve_antwoord, tenants.b, ctx, rid)
    assert caught.value.invalid_params == [("instemming.0344", "nog niet gevraagd: vraag eerst instemming")]
    (asked,) = run(factory, instemming.ask_instemming, tenants.b, ctx, rid)
    assert (asked["gemeente"]["code"], asked["gevraagdDoor"]["code"], asked["status"]) == (
        "0344", "0307", "gevraagd")
    assert "Utrecht (0344)" in asked["reden"]  # why the proposal names Utrecht
    with pytest.raises(Conflict, match="ingestemd"):
        run(factory, antwoord.approve_antwoord, tenants.b, ctx, rid)
    assert _answers(factory, rid) == []
    # Asking again asks nobody twice.
    assert [a["id"] for a in run(factory, instemming.ask_instemming, tenants.b, ctx, rid)] == [asked["id"]]
    (mine,) = run(factory, instemming.list_instemmingen, tenants.a, ctx, status="gevraagd")
    assert mine["id"] == asked["id"] and mine["bsn"] == BSN
    run(factory, instemming.decide_instemming, tenants.a, ctx, asked["id"], besluit="akkoord")
    (out,) = run(factory, antwoord.approve_antwoord, tenants.b, ctx, rid)["berichten"]
    assert out["berichttype"] == "JW319"
    view = run(factory, views.read_bericht_view, tenants.b, ctx, rid)
    assert [i["status"] for i in view["instemmingen"]] == ["akkoord"]
    with pytest.raises(Conflict, match="al ingestemd"):  # an agreement is final
        run(factory, instemming.decide_instemming, tenants.a, ctx, asked["id"], besluit="bezwaar",
            toelichting="toch niet")


def test_an_objection_opens_a_geschil_between_the_two_gemeenten(factory, tenants, ctx, rid, wired):
    (asked,) = run(factory, instemming.ask_instemming, tenants.b, ctx, rid)
    with pytest.raises(InvalidRequest):  # an objection says why
        run(factory, instemming.decide_instemming, tenants.a, ctx, asked["id"], besluit="bezwaar")
    objected = run(factory, instemming.decide_instemming, tenants.a, ctx, asked["id"],
                   besluit="bezwaar", toelichting="De jeugdige woont sinds maart in Amersfoort.")
    assert objected["status"] == "bezwaar" and objected["geschil"] is not None
    with pytest.raises(Conflict) as caught:
        run(factory, antwoord.approve_antwoord, tenants.b, ctx, rid)
    assert caught.value.invalid_params == [
        ("instemming.0344", f"bezwaar gemaakt; geschil {objected['geschil']}")]
    for party in (tenants.a, tenants.b):  # the geschil, seen by both gemeenten
        (g,) = run(factory, geschillen.list_geschillen, party, ctx)
        assert g["id"] == objected["geschil"] and g["onderwerp"] == "jeugdige"
        assert {(p["soort"], p["code"]) for p in g["partijen"]} == {
            ("gemeente", "0307"), ("gemeente", "0344")}
        assert "sinds maart" in g["omschrijving"]
    assert run(factory, geschillen.list_geschillen, tenants.c, ctx) == []
    # After the geschil, Utrecht may still agree; the same geschil stays linked.
    agreed = run(factory, instemming.decide_instemming, tenants.a, ctx, asked["id"], besluit="akkoord")
    assert agreed["geschil"] == objected["geschil"]
    assert run(factory, antwoord.approve_antwoord, tenants.b, ctx, rid)["berichten"]
    with transaction(factory) as session:
        acties = session.scalars(select(AuditRegel.actie).where(
            AuditRegel.actie.like("instemming.%")).order_by(AuditRegel.id)).all()
    assert [a for a in acties if a != "instemming.lijst"] == [
        "instemming.vragen", "instemming.bezwaar", "instemming.akkoord"]


def test_only_the_two_gemeenten_see_or_act(factory, tenants, provider, ctx, rid, wired):
    with pytest.raises(NotFound):  # only the addressed gemeente asks; Utrecht sees no VOT
        run(factory, instemming.ask_instemming, tenants.a, ctx, rid)
    with pytest.raises(Forbidden):  # the provider sees the VOT but asks nobody
        run(factory, instemming.ask_instemming, provider, ctx, rid)
    (asked,) = run(factory, instemming.ask_instemming, tenants.b, ctx, rid)
    for outsider in (tenants.c, tenants.p, provider, tenants.coordinator):
        assert run(factory, instemming.list_instemmingen, outsider, ctx) == []
        with pytest.raises(NotFound):
            run(factory, instemming.read_instemming, outsider, ctx, asked["id"])
        with pytest.raises(NotFound):
            run(factory, instemming.decide_instemming, outsider, ctx, asked["id"], besluit="akkoord")
    with pytest.raises(Forbidden):  # the asking gemeente cannot agree in Utrecht's name
        run(factory, instemming.decide_instemming, tenants.b, ctx, asked["id"], besluit="akkoord")
    assert run(factory, instemming.read_instemming, tenants.b, ctx, asked["id"])["status"] == "gevraagd"


def test_no_reden_8_nothing_to_ask(factory, tenants, provider, ctx, wired):
    _transfer_with_brp(factory, LIVES_IN_AMERSFOORT)  # Amersfoort itself: a JW301
    rid = submit(factory, provider, ctx, jw315()).bericht_id
    with pytest.raises(Conflict, match="reden 8"):
        run(factory, instemming.ask_instemming, tenants.b, ctx, rid)


def test_unwired_an_objection_is_not_recorded(factory, tenants, ctx, rid, unwired):
    (asked,) = run(factory, instemming.ask_instemming, tenants.b, ctx, rid)
    with pytest.raises(NotConfigured):
        run(factory, instemming.decide_instemming, tenants.a, ctx, asked["id"], besluit="bezwaar",
            toelichting="nee")
    assert run(factory, instemming.read_instemming, tenants.a, ctx, asked["id"])["status"] == "gevraagd"
