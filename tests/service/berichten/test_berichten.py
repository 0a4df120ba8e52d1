"""iJw messages in the service (issue 5): processed once, the woonplaats answer on a VOT with
the BRP data the service holds, deadlines, sending the answer, who sees what.

Facts from the iStandaarden iJw 3.2 rules: TR056 (an Identificatie once per sender and
berichtsoort), OP274 (answer a VOT within 5 werkdagen), OP359 (a woonplaats rejection
within 2 weeks), IV095/TR377 (reden 8 with Woonplaatsbeginsel/Gemeente on a VOT), TR061
(a toewijzing carries the client's address), CD086 ("in onderzoek" once).
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime

import httpx
import pytest
from sqlalchemy import func, select

from ijw_builders import AANBIEDER, BSN, aangevraagd, jw315, jw317, jw319
from wpb.ijw import models as m
from wpb.ijw.ontvangst import valideer
from wpb.ijw.xml_read import read_bericht
from wpb.ijw.xml_write import write_bericht
from wpb.service.audit import trail as audit
from wpb.service.audit.models import AuditRegel
from wpb.service.components.beheer.models import Organisatie
from wpb.service.components.berichten import antwoord, receive, views, voorstel
from wpb.service.components.berichten.models import IjwBericht
from wpb.service.components.brp.models import BrpDocument
from wpb.service.components.overdrachten.models import Gebeurtenis, Overdracht
from wpb.service.db import transaction
from wpb.service.errors import Conflict, Forbidden, InvalidRequest, NotFound

from ..helpers import SettableClock, make_context

AMERSFOORT, UTRECHT = "0307", "0344"
RECEIPT = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)  # a Thursday


def _datum(d: str) -> dict:
    return {"type": "Datum", "datum": d}


def _adres(code: str, van: str, tot: str | None = None) -> dict:
    record = {
        "type": "Adres",
        "datumVan": _datum(van),
        "gemeenteVanInschrijving": {"code": code},
        "verblijfadres": {"korteStraatnaam": "Langestraat", "huisnummer": 9,
                          "postcode": "3811AA", "woonplaats": "Amersfoort"},
    }
    if tot:
        record["datumTot"] = _datum(tot)
    return record


def case(*history: dict) -> dict:
    return {
        "peildatum": "2026-04-01",
        "jeugdige": {"burgerservicenummer": BSN, "geboorte": {"datum": _datum("2012-03-04")},
                     "verblijfplaatshistorie": list(history)},
    }


LIVES_IN_AMERSFOORT = case(_adres(AMERSFOORT, "2012-03-04"))
LIVES_IN_UTRECHT = case(_adres(UTRECHT, "2012-03-04"))


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(RECEIPT)


def _transfer_with_brp(factory, document: dict, bsn: str = BSN, *,
                       latende: str = UTRECHT, ontvangende: str = AMERSFOORT,
                       attached_by: str | None = AMERSFOORT) -> int:
    """A transfer with a BRP document that ``attached_by`` attached (its ``brp`` event, and
    the document in that gemeente's own BRP store, as attaching keeps it there); None: a
    document without an event, as a forwarded copy has."""
    now = datetime(2026, 3, 1, 9)
    with transaction(factory) as session:
        o = Overdracht(
            latende_gemeente=latende, ontvangende_gemeente=ontvangende, bsn=bsn,
            geboortedatum=date(2012, 3, 4), status="aangeleverd", versie=1,
            aanleverdatum=date(2026, 3, 1), aangemaakt_op=now, gewijzigd_op=now,
            brp_document=json.dumps(document), brp_bron="upload", brp_ontvangen_op=now,
        )
        session.add(o)
        session.flush()
        if attached_by is not None:
            session.add(Gebeurtenis(overdracht_id=o.id, tijdstip=now, datum=now.date(), soort="brp",
                                    organisatie=f"gemeente:{attached_by}",
                                    toelichting="BRP-gegevens gekoppeld (upload)"))
            owner = session.scalar(select(Organisatie.id).where(
                Organisatie.soort == "gemeente", Organisatie.code == attached_by))
            if owner is not None:
                session.add(BrpDocument(
                    eigenaar_id=owner, bsn=bsn, bron="upload", opgehaald_op=now, sha256="sha256:x",
                    document=json.dumps({"jeugdige": document["jeugdige"]})))
            session.flush()
        return o.id


def submit(factory, who, ctx, bericht) -> receive.Ontvangstresultaat:
    return receive.receive_and_process(factory, who, ctx, write_bericht(bericht))


# --- processed once (TR056) -------------------------------------------------------------------


def test_the_same_message_twice_is_processed_once_with_the_first_result(factory, tenants, provider, ctx):
    first = submit(factory, provider, ctx, jw315())
    again = submit(factory, provider, ctx, jw315())
    assert first.nieuw and not again.nieuw
    assert again.bericht_id == first.bericht_id and again.view["status"] == first.view["status"]
    with transaction(factory) as session:
        assert session.scalar(select(func.count()).select_from(IjwBericht)) == 2  # the JW315 and its JW316
        actions = session.scalars(select(AuditRegel.actie).order_by(AuditRegel.id)).all()
    assert actions == ["bericht.ontvangen", "bericht.herhaald"]


def test_same_identificatie_with_other_content_is_a_conflict_and_keeps_nothing(
    factory, tenants, provider, ctx
):
    submit(factory, provider, ctx, jw315())
    with pytest.raises(Conflict) as caught:
        submit(factory, provider, ctx, jw315(aangevraagd(ref="ANDERS")))
    assert caught.value.extra["invalidParams"][0]["code"] == "TR056"
    assert BSN not in json.dumps(caught.value.to_json())
    with transaction(factory) as session:
        assert session.scalar(select(func.count()).select_from(IjwBericht)) == 2  # the JW315 and its JW316


def test_the_same_identificatie_from_another_sender_or_type_is_another_message(
    factory, tenants, provider, ctx
):
    submit(factory, provider, ctx, jw315())
    other_type = jw317()
    other_type = type(other_type)(
        header=m.Header.nieuw(m.BerichtType.JW317, afzender=AANBIEDER, ontvanger=AMERSFOORT,
                              identificatie="VOT000000001", dagtekening=date(2026, 4, 1)),
        client=other_type.client,
    )
    assert submit(factory, provider, ctx, other_type).nieuw


def test_duplicate_submitted_at_once_is_processed_once(factory, tenants, provider, ctx):
    """Two threads, each with its own transaction, submit the same JW315 at the same moment."""
    _transfer_with_brp(factory, LIVES_IN_UTRECHT)
    data = write_bericht(jw315())
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def run(i):
        barrier.wait()
        try:
            results[i] = receive.receive_and_process(factory, provider, ctx, data)
        except Exception as exc:  # collected and checked below
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(isinstance(r, receive.Ontvangstresultaat) for r in results), results
    assert sorted(r.registratie.value for r in results) == ["herhaald", "nieuw"]
    assert results[0].bericht_id == results[1].bericht_id
    with transaction(factory) as session:
        assert session.scalar(select(func.count()).select_from(IjwBericht)) == 2  # the JW315 and its JW316
        received = session.scalar(
            select(func.count()).select_from(AuditRegel).where(AuditRegel.actie == "bericht.ontvangen")
        )
        assert received == 1
        assert audit.verify_chain(session).intact


# --- the woonplaats answer on a VOT -----------------------------------------------------------


def test_vot_to_the_responsible_gemeente_proposes_a_toewijzing(factory, tenants, provider, ctx):
    oid = _transfer_with_brp(factory, LIVES_IN_AMERSFOORT)
    result = submit(factory, provider, ctx, jw315())
    with transaction(factory) as session:
        view = views.read_bericht_view(session, tenants.b, ctx, result.bericht_id)
    assert view["status"] == "voorstel"
    voorstel = view["voorstel"]
    assert voorstel["brp"] == {"bron": "brp-opslag:upload", "probleem": None}
    assert str(oid) not in json.dumps(voorstel["brp"])
    (product,) = voorstel["producten"]
    assert (product["soort"], product["verantwoordelijkeGemeente"]) == ("toewijzing", AMERSFOORT)
    assert product["beslissing"]["grondslag"]["onderdeel"] == 1
    assert "Amersfoort" in product["beslissing"]["toelichting"]
    # OP274: 5 werkdagen after Thursday 2026-04-02; Goede Vrijdag is no feestdag, Tweede
    # Paasdag (2026-04-06) is: Fri 3, Tue 7, Wed 8, Thu 9, Fri 10.
    assert [(t["regel"], t["uiterlijk"]) for t in product["termijnen"]] == [("OP274", "2026-04-10")]
    assert view["uiterlijk"] == "2026-04-10"
    assert product["toewijzingNummer"] is None  # handed out when sent


def test_vot_to_another_gemeente_proposes_rejection_code_8(factory, tenants, provider, ctx):
    _transfer_with_brp(factory, LIVES_IN_UTRECHT)
    result = submit(factory, provider, ctx, jw315())
    with transaction(factory) as session:
        view = views.read_bericht_view(session, tenants.b, ctx, result.bericht_id)
    (product,) = view["voorstel"]["producten"]
    assert (product["soort"], product["verantwoordelijkeGemeente"]) == (
        "afwijzing_woonplaatsbeginsel", UTRECHT)
    # OP359: two weeks after receipt, not moved off a weekend.
    assert {t["regel"]: t["uiterlijk"] for t in product["termijnen"]} == {
        "OP274": "2026-04-10", "OP359": "2026-04-16"}
    # The provider does not learn of the proposed rejection before it is sent.
    assert [t["regel"] for t in result.view["termijnen"]] == ["OP274"]
    assert "voorstel" not in result.view and "afwijzing" not in json.dumps(result.view)


def test_vot_without_brp_data_waits_for_a_person(factory, tenants, provider, ctx):
    result = submit(factory, provider, ctx, jw315())
    with transaction(factory) as session:
        view = views.read_bericht_view(session, tenants.b, ctx, result.bericht_id)
    (product,) = view["voorstel"]["producten"]
    assert product["soort"] == "in_onderzoek" and product["wachtOpPersoon"]
    assert view["voorstel"]["brp"]["bron"] is None


def test_vot_uses_the_configured_brp_api(factory, tenants, provider, settings, clock):
    asked = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(json.loads(request.content))
        return httpx.Response(200, json={"verblijfplaatsen": [_adres(UTRECHT, "2012-03-04")]})

    ctx = make_context(settings.with_(brp_base_url="https://brp.test/api"), clock,
                       brp_transport=httpx.MockTransport(handler))
    result = submit(factory, provider, ctx, jw315())
    (query,) = asked
    assert (query["burgerservicenummer"], query["datumVan"], query["datumTot"]) == (
        BSN, "2012-03-04", "2026-04-02")
    assert result.view["status"] == "voorstel"
    with transaction(factory) as session:
        view = views.read_bericht_view(session, tenants.b, ctx, result.bericht_id)
        lookups = session.scalars(select(AuditRegel).where(AuditRegel.actie == "brp.opvragen")).all()
    assert view["voorstel"]["brp"]["bron"] == "haal-centraal"
    assert view["voorstel"]["producten"][0]["verantwoordelijkeGemeente"] == UTRECHT
    assert [(r.organisatie, r.bsn) for r in lookups] == [("systeem", BSN)]


def test_a_failing_brp_api_leaves_the_request_in_onderzoek_with_the_reason(
    factory, tenants, provider, settings, clock
):
    ctx = make_context(
        settings.with_(brp_base_url="https://brp.test/api"), clock,
        brp_transport=httpx.MockTransport(lambda r: httpx.Response(503, json={"title": "weg"})),
    )
    result = submit(factory, provider, ctx, jw315())
    with transaction(factory) as session:
        view = views.read_bericht_view(session, tenants.b, ctx, result.bericht_id)
    assert view["voorstel"]["producten"][0]["soort"] == "in_onderzoek"
    assert "BRP-bevraging mislukt" in view["voorstel"]["brp"]["probleem"]


def test_jw317_gets_its_op346_deadline(factory, tenants, provider, ctx):
    result = submit(factory, provider, ctx, jw317())
    assert [t["regel"] for t in result.view["termijnen"]] == ["OP346"]
    with transaction(factory) as session:
        view = views.read_bericht_view(session, tenants.b, ctx, result.bericht_id)
    assert view["uiterlijk"] == "2026-04-10" and view["termijnen"][0]["uiterlijk"] == "2026-04-10"
    assert "voorstel" not in view


# --- sending the answer ----------------------------------------------------------------------


def _answers(factory, request_id):
    """The JW301/JW319 answers on a request (its retourbericht, a JW316, is tested apart)."""
    with transaction(factory) as session:
        internal = session.scalar(select(IjwBericht.id).where(IjwBericht.publiek_id == request_id))
        return session.scalars(
            select(IjwBericht).where(IjwBericht.antwoord_op_id == internal,
                                     IjwBericht.retour.is_(None)).order_by(IjwBericht.id)
        ).all()


def test_approving_a_toewijzing_sends_a_valid_jw301(factory, tenants, provider, ctx, register):
    _transfer_with_brp(factory, LIVES_IN_AMERSFOORT)
    rid = submit(factory, provider, ctx, jw315()).bericht_id
    with transaction(factory) as session:
        sent = antwoord.approve_antwoord(session, tenants.b, ctx, rid, versie=1)
    (out,) = sent["berichten"]
    assert (out["berichttype"], out["identificatie"]) == ("JW301", "WPB000000001")
    check = valideer(out["xml"].encode(), register=register, vandaag=date(2026, 4, 2))
    assert check.geldig, check.problems
    jw301 = read_bericht(out["xml"].encode())
    assert isinstance(jw301, m.JW301)
    (tp,) = jw301.client.toegewezen_producten
    assert (tp.toewijzing_nummer, tp.referentie_aanbieder) == (1, "REF-1")  # TR379
    assert jw301.header.afzender == AMERSFOORT and jw301.header.ontvanger == AANBIEDER
    assert jw301.client.contactgegevens[0].adres.postcode == "3811AA"  # TR061 from the BRP
    assert sent["verzoek"]["status"] == "beantwoord"
    # The provider fetches the answer; it sees no proposal.
    with transaction(factory) as session:
        assert views.read_xml(session, provider, ctx, out["id"]).decode() == out["xml"]
        seen = views.read_bericht_view(session, provider, ctx, rid)
    assert "voorstel" not in seen
    assert [(a["berichttype"], a["identificatie"]) for a in seen["antwoorden"]] == [
        ("JW316", "WPR000000001"), ("JW301", "WPB000000001")]


def agreed(factory, tenants, ctx, rid: int) -> None:
    """Issue 18 item 12: Amersfoort (b) asks Utrecht (a), named with reden 8; Utrecht agrees."""
    from wpb.service.components.berichten import instemming

    with transaction(factory) as session:
        (asked,) = instemming.ask_instemming(session, tenants.b, ctx, rid)
    with transaction(factory) as session:
        instemming.decide_instemming(session, tenants.a, ctx, asked["id"], besluit="akkoord")


def test_approving_a_rejection_sends_jw319_code_8_with_the_gemeente(
    factory, tenants, provider, ctx, register
):
    _transfer_with_brp(factory, LIVES_IN_UTRECHT)
    rid = submit(factory, provider, ctx, jw315()).bericht_id
    agreed(factory, tenants, ctx, rid)
    with transaction(factory) as session:
        (out,) = antwoord.approve_antwoord(session, tenants.b, ctx, rid)["berichten"]
    jw319 = read_bericht(out["xml"].encode())
    assert isinstance(jw319, m.JW319)
    a = jw319.antwoord
    assert (a.verzoek_antwoord, a.reden_afwijzing_verzoek, a.woonplaatsbeginsel_gemeente) == (
        "1", "8", UTRECHT)
    assert valideer(out["xml"].encode(), register=register, vandaag=date(2026, 4, 2)).geldig


def test_in_onderzoek_is_sent_once_then_the_final_answer(factory, tenants, provider, ctx):
    rid = submit(factory, provider, ctx, jw315()).bericht_id
    with transaction(factory) as session:
        first = antwoord.approve_antwoord(session, tenants.b, ctx, rid)
    (out,) = first["berichten"]
    assert read_bericht(out["xml"].encode()).antwoord.verzoek_antwoord == "2"
    assert first["verzoek"]["status"] == "in_onderzoek"
    # OP274 after "in onderzoek": 8 weeks after the dagtekening 2026-04-01.
    assert first["verzoek"]["uiterlijk"] == "2026-05-27"
    with pytest.raises(Conflict, match="niets nieuws"), transaction(factory) as session:
        antwoord.approve_antwoord(session, tenants.b, ctx, rid)  # CD086: once
    # A person supplies the BRP data; the final answer goes out.
    view = voorstel.recompute_voorstel(factory, tenants.b, ctx, rid, brp_gegevens=LIVES_IN_UTRECHT)
    assert view["voorstel"]["producten"][0]["soort"] == "afwijzing_woonplaatsbeginsel"
    agreed(factory, tenants, ctx, rid)
    with transaction(factory) as session:
        final = antwoord.approve_antwoord(session, tenants.b, ctx, rid)
    assert final["verzoek"]["status"] == "beantwoord"
    assert [a.berichttype for a in _answers(factory, rid)] == ["JW319", "JW319"]


def test_a_toewijzing_without_an_address_is_not_sent(factory, tenants, provider, ctx):
    no_address = case({"type": "Adres", "datumVan": _datum("2012-03-04"),
                       "gemeenteVanInschrijving": {"code": AMERSFOORT}})
    _transfer_with_brp(factory, no_address)
    rid = submit(factory, provider, ctx, jw315()).bericht_id
    with pytest.raises(Conflict) as caught, transaction(factory) as session:
        antwoord.approve_antwoord(session, tenants.b, ctx, rid)
    assert "TR061" in caught.value.invalid_params[0][1]
    assert _answers(factory, rid) == []


def test_only_the_addressed_gemeente_approves(factory, tenants, provider, ctx):
    rid = submit(factory, provider, ctx, jw315()).bericht_id
    with pytest.raises(Forbidden), transaction(factory) as session:
        antwoord.approve_antwoord(session, provider, ctx, rid)
    for other in (tenants.a, tenants.coordinator, tenants.p):
        with pytest.raises(NotFound), transaction(factory) as session:
            antwoord.approve_antwoord(session, other, ctx, rid)


def test_a_stale_version_is_refused(factory, tenants, provider, ctx):
    rid = submit(factory, provider, ctx, jw315()).bericht_id
    with pytest.raises(Conflict, match="gewijzigd"), transaction(factory) as session:
        antwoord.approve_antwoord(session, tenants.b, ctx, rid, versie=7)


def test_a_brp_document_of_another_youth_is_refused(factory, tenants, provider, ctx):
    rid = submit(factory, provider, ctx, jw315()).bericht_id
    other = json.loads(json.dumps(LIVES_IN_UTRECHT))
    other["jeugdige"]["burgerservicenummer"] = "999900006"
    with pytest.raises(InvalidRequest) as caught:
        voorstel.recompute_voorstel(factory, tenants.b, ctx, rid, brp_gegevens=other)
    assert "999900006" not in json.dumps(caught.value.to_json())


# --- who sees what -----------------------------------------------------------------------------


def test_tenants_see_only_their_own_messages(factory, tenants, provider, ctx):
    rid = submit(factory, provider, ctx, jw315()).bericht_id
    with transaction(factory) as session:
        # The JW315 and its retourbericht (JW316), for both parties.
        assert views.list_berichten(session, tenants.b, ctx).totaal == 2
        assert views.list_berichten(session, provider, ctx).totaal == 2
        for other in (tenants.a, tenants.p, tenants.coordinator):
            assert views.list_berichten(session, other, ctx).totaal == 0
            with pytest.raises(NotFound):
                views.read_bericht_view(session, other, ctx, rid)
            with pytest.raises(NotFound):
                views.read_xml(session, other, ctx, rid)


def test_only_the_sender_itself_may_submit(factory, tenants, provider, ctx):
    """S2: a provider's message only by that provider (its AGB), a gemeente's only by that
    gemeente; not the receiver, not another party, not the coordinator."""
    for other in (tenants.a, tenants.b, tenants.p, tenants.coordinator):
        with pytest.raises(Forbidden):
            submit(factory, other, ctx, jw315())  # from provider 42420001 to Amersfoort
    for other in (tenants.a, provider, tenants.coordinator):
        with pytest.raises(Forbidden):
            submit(factory, other, ctx, jw319())  # from Amersfoort to provider 42420001
    assert submit(factory, provider, ctx, jw315()).nieuw
    assert submit(factory, tenants.b, ctx, jw319()).nieuw


def test_nobody_can_squat_a_providers_identification(factory, tenants, provider, ctx):
    """S2: a gemeente's attempt to put the provider's JW315 in first is refused and keeps
    nothing; the provider's genuine message with that number is then received (201)."""
    with pytest.raises(Forbidden):
        submit(factory, tenants.b, ctx, jw315(identificatie="VOT000000042"))
    with transaction(factory) as session:
        assert session.scalar(select(func.count()).select_from(IjwBericht)) == 0
    assert submit(factory, provider, ctx, jw315(identificatie="VOT000000042")).nieuw


def test_list_puts_open_requests_first_by_deadline(factory, tenants, provider, ctx, clock):
    first = submit(factory, provider, ctx, jw315(identificatie="VOT000000001")).bericht_id
    clock.set(2026, 4, 7)
    second = submit(factory, provider, ctx, jw315(identificatie="VOT000000002")).bericht_id
    with transaction(factory) as session:
        antwoord.approve_antwoord(session, tenants.b, ctx, first)  # in onderzoek: 8 weeks
        page = views.list_berichten(session, tenants.b, ctx, alleen_open=True)
    assert [b["id"] for b in page.items] == [second, first]
    assert page.items[0]["voorstel"]["producten"][0]["soort"] == "in_onderzoek"
    assert "beslissing" not in page.items[0]["voorstel"]["producten"][0]
