"""Retourberichten in the service (issue 18 item 11).

From the iJw 3.2 standard: every message the gemeente receives gets its retourbericht
(JW315 → JW316, JW317 → JW318, JW323 → JW325, ...) within 3 werkdagen (OP090); the
gemeente receives a JW302 on each JW301 and a JW320 on each JW319, which name the message
they answer by its BerichtIdentificatie and carry WJ001 retourcodes per record.
"""

from __future__ import annotations

import json

import pytest
from lxml import etree

from ijw_builders import AANBIEDER, XSD_DIR, jw315, jw317, jw319, retour_van
from wpb.ijw.ontvangst import valideer
from wpb.ijw.xml_read import read_bericht
from wpb.service.components.berichten import antwoord, views
from wpb.service.db import transaction
from wpb.service.errors import Conflict, Forbidden

from ..helpers import SettableClock
from .test_berichten import LIVES_IN_UTRECHT, RECEIPT, _transfer_with_brp, submit

HAS_XSD = XSD_DIR.is_dir()


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(RECEIPT)  # Thursday 2026-04-02


def _retour_of(factory, who, ctx, bericht_id) -> dict:
    with transaction(factory) as session:
        view = views.read_bericht_view(session, who, ctx, bericht_id)
    (retour,) = [a for a in view["antwoorden"] if "retour" in a]
    return retour


@pytest.mark.parametrize("make, retourtype", [(jw315, "JW316"), (jw317, "JW318")])
def test_a_received_message_gets_its_retourbericht_due_within_op090(
    factory, tenants, provider, ctx, make, retourtype
):
    rid = submit(factory, provider, ctx, make()).bericht_id
    retour = _retour_of(factory, tenants.b, ctx, rid)
    assert retour["berichttype"] == retourtype
    # OP090: 3 werkdagen after Thursday 2026-04-02: Fri 3, (Easter Monday 6 is a feestdag)
    # Tue 7, Wed 8.
    assert retour["uiterlijk"] == "2026-04-08"
    assert retour["retour"]["retourcodes"][0]["codes"] == ["0200"]  # nothing fired
    with transaction(factory) as session:  # the provider downloads it
        xml = views.read_xml(session, provider, ctx, retour["id"])
    check = valideer(xml, xsd_dir=XSD_DIR if HAS_XSD else None)
    assert check.geldig and check.retour is not None, check.problems
    assert check.retour.beantwoordt.identificatie == make().header.identificatie


def test_a_message_received_again_gets_no_second_retourbericht(factory, tenants, provider, ctx):
    rid = submit(factory, provider, ctx, jw315()).bericht_id
    submit(factory, provider, ctx, jw315())
    with transaction(factory) as session:
        view = views.read_bericht_view(session, tenants.b, ctx, rid)
    assert [a["berichttype"] for a in view["antwoorden"]] == ["JW316"]


def _sent_jw319(factory, tenants, provider, ctx):
    _transfer_with_brp(factory, LIVES_IN_UTRECHT)
    rid = submit(factory, provider, ctx, jw315()).bericht_id
    with transaction(factory) as session:
        (out,) = antwoord.approve_antwoord(session, tenants.b, ctx, rid)["berichten"]
    return out


def test_a_jw320_is_matched_to_the_sent_jw319_and_shown_with_its_codes(
    factory, tenants, provider, ctx
):
    out = _sent_jw319(factory, tenants, provider, ctx)
    sent = read_bericht(out["xml"].encode())
    data = retour_van(sent, {"Antwoord": "0001"})  # WJ001 0001: rejected
    received = submit_raw(factory, provider, ctx, data)
    assert received.nieuw and received.view["berichttype"] == "JW320"
    assert received.view["antwoordOp"] == out["id"]
    with transaction(factory) as session:
        beside = views.read_bericht_view(session, tenants.b, ctx, out["id"])
    (r,) = beside["antwoorden"]
    codes = {c["code"] for rc in r["retour"]["retourcodes"] for c in rc["codes"]}
    assert "0001" in codes and r["retour"]["afgekeurd"] == 1
    assert r["retour"]["beantwoordt"]["identificatie"] == out["identificatie"]


def submit_raw(factory, who, ctx, data: bytes):
    from wpb.service.components.berichten import receive

    return receive.receive_and_process(factory, who, ctx, data)


def test_a_retourbericht_on_nothing_sent_is_refused_and_keeps_nothing(
    factory, tenants, provider, ctx
):
    never_sent = jw319()
    with pytest.raises(Conflict, match="niet aan uw organisatie verstuurd"):
        submit_raw(factory, provider, ctx, retour_van(never_sent))


def test_only_the_provider_that_received_the_message_sends_its_retourbericht(
    factory, tenants, provider, ctx
):
    out = _sent_jw319(factory, tenants, provider, ctx)
    data = retour_van(read_bericht(out["xml"].encode()))
    for other in (tenants.a, tenants.b, tenants.p):
        with pytest.raises(Forbidden):
            submit_raw(factory, other, ctx, data)
    assert submit_raw(factory, provider, ctx, data).nieuw
    assert not submit_raw(factory, provider, ctx, data).nieuw  # TR056: once


def test_the_retour_is_not_a_400_any_more(factory, tenants, provider, ctx):
    """The regression: a valid JW320 was answered 400 "ongeldig: 0 problemen"."""
    out = _sent_jw319(factory, tenants, provider, ctx)
    root = etree.fromstring(retour_van(read_bericht(out["xml"].encode())))
    result = submit_raw(factory, provider, ctx, etree.tostring(root))
    assert result.view["afzender"] == AANBIEDER
    assert json.dumps(result.view["retour"]["beantwoordt"])
