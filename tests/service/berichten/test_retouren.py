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
from wpb.service.errors import Conflict, Forbidden, NotFound

from ..helpers import SettableClock
from .test_berichten import LIVES_IN_UTRECHT, RECEIPT, _transfer_with_brp, agreed, submit

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
    agreed(factory, tenants, ctx, rid)
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
    assert received.view["antwoordOpBericht"] == out["id"]
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


# --- a refused message gets its retourbericht too (OP090) ------------------------------------


def _tr018_vot() -> bytes:
    """A JW315 whose second product ends before it starts: TR018, retourcode 0001 on that
    AangevraagdProduct; the first product and the header have nothing to remark (0200)."""
    from datetime import date

    from ijw_builders import aangevraagd
    from wpb.ijw import models as m
    from wpb.ijw.xml_write import write_bericht

    return write_bericht(jw315(aangevraagd("A"), aangevraagd(
        "B", ingang=date(2026, 6, 1), eind=date(2026, 5, 1),
        product=m.Product(categorie="45", code="45A05"))), check=False)


def _refused(factory, who, ctx, data: bytes):
    from wpb.service.errors import InvalidRequest

    with pytest.raises(InvalidRequest) as info:
        submit_raw(factory, who, ctx, data)
    return info.value


def test_a_message_refused_on_a_rule_keeps_its_retourbericht_with_the_codes_that_fired(
    factory, tenants, provider, ctx
):
    problem = _refused(factory, provider, ctx, _tr018_vot())
    assert [p["code"] for p in problem.extra["invalidParams"]] == ["TR018"]
    rid, retour_id = problem.extra["bericht"], problem.extra["retourbericht"]
    with transaction(factory) as session:  # the gemeente sees it, refused, and the retour
        view = views.read_bericht_view(session, tenants.b, ctx, rid)
    assert view["status"] == "afgekeurd" and "voorstel" not in view
    (retour,) = view["antwoorden"]
    assert (retour["id"], retour["berichttype"], retour["uiterlijk"]) == (
        retour_id, "JW316", "2026-04-08")  # OP090, as for an accepted message
    codes = {r["element"]: r["codes"] for r in retour["retour"]["retourcodes"]}
    assert codes["/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[2]"] == ["0001"]
    assert codes["/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[1]"] == ["0200"]
    with transaction(factory) as session:  # the provider downloads it; it is a valid JW316
        xml = views.read_xml(session, provider, ctx, retour_id)
    check = valideer(xml, xsd_dir=XSD_DIR if HAS_XSD else None)
    assert check.geldig and check.retour is not None, check.problems
    for other in (tenants.a, tenants.p):  # nobody else
        with pytest.raises(NotFound), transaction(factory) as session:
            views.read_bericht_view(session, other, ctx, retour_id)


def test_a_message_that_breaks_the_schema_gets_a_header_only_retour_with_0001(
    factory, tenants, provider, ctx
):
    from wpb.ijw.xml_write import write_bericht

    data = write_bericht(jw315()).replace(b"2026-12-31", b"2026-12-32")
    problem = _refused(factory, provider, ctx, data)
    with transaction(factory) as session:
        xml = views.read_xml(session, provider, ctx, problem.extra["retourbericht"])
    check = valideer(xml, xsd_dir=XSD_DIR if HAS_XSD else None)
    assert check.geldig and check.retour is not None, check.problems
    assert [(r.element, r.codes) for r in check.retour.records] == [("/Bericht/Header", ("0001",))]


def test_a_refused_message_again_gets_the_same_retourbericht(factory, tenants, provider, ctx):
    first = _refused(factory, provider, ctx, _tr018_vot())
    again = _refused(factory, provider, ctx, _tr018_vot())
    assert again.extra["retourbericht"] == first.extra["retourbericht"]
    with transaction(factory) as session:
        view = views.read_bericht_view(session, tenants.b, ctx, first.extra["bericht"])
    assert len(view["antwoorden"]) == 1


def test_niet_ondersteund_and_foreign_senders_keep_nothing(factory, tenants, provider, ctx):
    unsupported = (b'<?xml version="1.0" encoding="UTF-8"?>'
                   b'<Bericht xmlns="http://www.istandaarden.nl/ijw/3_2/jw399/schema"/>')
    problem = _refused(factory, provider, ctx, unsupported)
    assert [p["code"] for p in problem.extra["invalidParams"]] == ["NIET-ONDERSTEUND"]
    assert "retourbericht" not in problem.extra
    # A refused VOT in another provider's name (S2): 403, no retourbericht in its name.
    with pytest.raises(Forbidden):
        submit_raw(factory, tenants.p, ctx, _tr018_vot())
    with transaction(factory) as session:
        assert views.list_berichten(session, tenants.b, ctx).totaal == 0


@pytest.mark.parametrize("kind, retourtype", [
    ("jw305", "JW306"), ("jw307", "JW308"), ("jw315", "JW316"), ("jw317", "JW318"),
    ("jw323", "JW325"),
])
def test_every_kind_refused_on_a_header_rule_gets_its_own_retourbericht(
    factory, tenants, provider, ctx, clock, kind, retourtype
):
    """TR135: a dagtekening after the system date (2026-01-05 here) is refused with WJ001
    8848 in the header; each kind the gemeente receives keeps its own retourbericht."""
    import ijw_builders
    from wpb.ijw.xml_write import write_bericht

    clock.set(2026, 1, 5)
    problem = _refused(factory, provider, ctx, write_bericht(getattr(ijw_builders, kind)()))
    assert "TR135" in {p["code"] for p in problem.extra["invalidParams"]}
    with transaction(factory) as session:
        xml = views.read_xml(session, provider, ctx, problem.extra["retourbericht"])
    check = valideer(xml, xsd_dir=XSD_DIR if HAS_XSD else None)
    assert check.geldig and check.retour is not None, check.problems
    assert check.type.value == retourtype
    assert check.retour.records[0].codes == ("8848",)
