"""The woonplaatstoets on the web page of a beschermd-wonen transfer (wet ``wmo-bw``).

Wmo 2015 art. 1.2.1 onderdeel b (from 2026-01-01: the gemeente of the woonadres) with
art. 1.2.1a lid 1 onder a (an earlier placement that ended less than twelve months before the
aanmelding keeps the gemeente that provided it responsible) needs facts the BRP does not hold:
the aanmelding and the earlier placements. The page asks for them on a wmo-bw transfer only,
passes them to the same service function as the REST API, and shows refusals in Dutch per
form field. Tenants: A Utrecht (0344) hands over to B Amersfoort (0307); C is Zeist (0355).
"""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from wpb.service.app import create_app
from wpb.service.components.overdrachten import upload_check, upload_file, upload_store, woonplaats
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.db import transaction

from ..helpers import by_public_id, csv_bytes, row
from .test_pages import Browser, field_errors_of, summary_of

BSN = "999990019"
OTHER = "999990020"
HEADER_WET = [*upload_file.COLUMNS, "wet"]


def D(day: str) -> dict:
    return {"type": "Datum", "datum": day}


# The client lived in Utrecht and has had his woonadres in Amersfoort since 2025-12-01.
HISTORIE = {
    "verblijfplaatsen": [
        {"type": "Adres", "datumVan": D("1990-05-01"), "datumTot": D("2025-12-01"),
         "gemeenteVanInschrijving": {"code": "0344", "omschrijving": "Utrecht"}},
        {"type": "Adres", "datumVan": D("2025-12-01"),
         "gemeenteVanInschrijving": {"code": "0307", "omschrijving": "Amersfoort"}},
    ]
}
GOOD = {
    "peildatum": "2026-03-02",
    "aanmeldingGemeente": "0307",
    "aanmeldingDatum": "2026-03-02",
    "eerderBeschermdWonen": "[]",
    "uitzonderingB": "nee",
    "uitzonderingC": "nee",
    "uitzonderingD": "nee",
}
WMO_FIELD_NAMES = ("aanmeldingGemeente", "aanmeldingDatum", "eerderBeschermdWonen")


@pytest.fixture
def app(settings, clock, sqlite_engine, sqlite_tenants):
    clock.set(2026, 3, 2)
    return create_app(settings, clock=clock, engine=sqlite_engine)


def _store(f, t, ctx, line: list[str]) -> int:
    content = csv_bytes([line], header=HEADER_WET)
    with transaction(f) as session:
        check = upload_check.check_upload(session, t.a, content, "levering.csv",
                                     register=ctx.register, limits=ctx.limits, now=ctx.now())
    with transaction(f) as session:
        stored = upload_store.store_upload(session, t.a, content, "levering.csv", check.controle,
                                      register=ctx.register, limits=ctx.limits, now=ctx.now())
    [oid] = stored.nieuwe_overdrachten
    with transaction(f) as session:
        woonplaats.attach_brp_document(session, t.b, ctx, oid, HISTORIE)
    return oid


@pytest.fixture
def bw(app, f, t, ctx) -> int:
    """A wmo-bw transfer from Utrecht to Amersfoort with the BRP document attached."""
    line = row(BSN, geboortedatum="1990-05-01", product="Beschermd wonen", einde="2026-06-30")
    return _store(f, t, ctx, [*line, "wmo-bw"])


@pytest.fixture
def jeugd(app, f, t, ctx) -> int:
    """A Jeugdwet transfer, likewise with the BRP document attached."""
    return _store(f, t, ctx, [*row(OTHER, einde="2026-06-30"), "jeugdwet"])


def stored_decision(f, oid: int) -> dict | None:
    with transaction(f) as session:
        raw = by_public_id(session, Overdracht, oid).woonplaats_beslissing
    return json.loads(raw) if raw else None


def toets_form(html: str) -> str:
    match = re.search(r'<form method="post" action="/overdrachten/[0-9a-f-]{36}/woonplaatstoets".*?</form>',
                      html, re.S)
    assert match, "the page has no woonplaatstoets form"
    return match.group(0)


# --- the form ---------------------------------------------------------------------------------


def test_a_wmo_transfer_asks_for_the_wmo_facts_with_a_hint_on_the_json(app, bw):
    form = toets_form(Browser(app, "user-b").get(f"/overdrachten/{bw}").text)
    for name in (*WMO_FIELD_NAMES, "eerdereAanvragen", "indicatieCentrumgemeente",
                 "uitzonderingB", "beoogdeGemeente"):
        assert f'name="{name}"' in form, name
    assert '<textarea id="wmo-eerderBeschermdWonen" name="eerderBeschermdWonen"' in form
    assert '<label for="wmo-aanmeldingGemeente">' in form
    text = unescape(form)
    assert '[{"gemeente": "0344", "begin": "2024-01-01", "einde": "2025-11-30"}]' in text
    assert "Vul [] in als er geen waren" in text


def test_a_jeugdwet_transfer_keeps_its_form_without_wmo_fields(app, jeugd):
    form = toets_form(Browser(app, "user-b").get(f"/overdrachten/{jeugd}").text)
    assert 'name="peildatum"' in form and "Woonplaatstoets uitvoeren</button>" in form
    for name in (*WMO_FIELD_NAMES, "eerdereAanvragen", "uitzonderingB", "beoogdeGemeente"):
        assert f'name="{name}"' not in form, name
    assert "beschermd wonen" not in form


# --- a valid submission -----------------------------------------------------------------------


def test_the_wmo_facts_are_decided_and_stored(app, f, bw):
    browser = Browser(app, "user-b")
    response = browser.post(f"/overdrachten/{bw}/woonplaatstoets", GOOD)
    assert response.status_code == 303, summary_of(response.text)
    decision = stored_decision(f, bw)
    assert (decision["wet"], decision["status"]) == ("wmo-bw", "bepaald")
    assert decision["gemeente"]["code"] == "0307"  # the aanmeldgemeente (bill not in force)
    assert decision["grondslag"]["artikel"] == "1.2.1"
    page = browser.get(response.headers["location"]).text
    assert "De woonplaatstoets is uitgevoerd en de beslissing is vastgelegd." in page
    assert "<dt>Verantwoordelijke gemeente</dt><dd>Amersfoort (0307)</dd>" in page


def test_an_earlier_placement_given_as_json_is_read_and_the_default_rule_applies(app, f, bw):
    # Art. 1.2.1a lid 1 onder a would keep Utrecht (its placement ended on 2025-11-30, less
    # than twelve months before the aanmelding on 2026-03-02), but bill 36 288 is not in force
    # by default (no royal decree is known): the aanmeldgemeente Amersfoort decides. With the
    # bill in force the page would also need the region (aanmelding.regio) to tell whether the
    # client is a nieuwe cliënt; see test_wmo_transfers for the rule in force.
    placement = [{"gemeente": "0344", "begin": "2024-01-01", "einde": "2025-11-30"}]
    response = Browser(app, "user-b").post(
        f"/overdrachten/{bw}/woonplaatstoets",
        {**GOOD, "eerderBeschermdWonen": json.dumps(placement)},
    )
    assert response.status_code == 303, summary_of(response.text)
    decision = stored_decision(f, bw)
    assert (decision["gemeente"]["code"], decision["grondslag"]["artikel"]) == ("0307", "1.2.1")
    assert decision["regel"] == "aanmeldgemeente"


def test_the_page_and_the_service_decide_alike(app, f, t, ctx, bw):
    response = Browser(app, "user-a").post(f"/overdrachten/{bw}/woonplaatstoets", GOOD)
    assert response.status_code == 303, summary_of(response.text)
    from_page = stored_decision(f, bw)
    with transaction(f) as session:
        direct = woonplaats.decide_woonplaats(
            session, t.b, ctx, bw, peildatum=ctx.today(),
            wmo={"aanmelding": {"gemeente": "0307", "datum": "2026-03-02"},
                 "eerderBeschermdWonen": [],
                 "uitzonderingen": {"b": False, "c": False, "d": False}},
        )
    assert {k: v for k, v in from_page.items() if k != "receipt"} == {
        k: v for k, v in direct.items() if k != "receipt"
    }


# --- bad input --------------------------------------------------------------------------------


def test_required_facts_left_empty_are_named_in_dutch(app, f, bw):
    response = Browser(app, "user-b").post(f"/overdrachten/{bw}/woonplaatstoets", {})
    assert response.status_code == 400
    summary = summary_of(response.text)
    assert "Vul de gemeente van de aanmelding in (4 cijfers)" in summary
    assert ("Vul de eerdere plaatsingen beschermd wonen in als JSON-lijst, of [] als er geen "
            "waren") in summary
    assert '<a href="#wmo-aanmeldingGemeente">' in response.text
    assert set(field_errors_of(response.text)) >= {"wmo-aanmeldingGemeente",
                                                   "wmo-eerderBeschermdWonen"}
    assert "ontbreekt" not in " ".join(summary)  # the page's words, not the service's paths
    assert stored_decision(f, bw) is None


@pytest.mark.parametrize("text, message", [
    ("[{niet json", "Eerder beschermd wonen: geen geldige JSON; verwacht een lijst tussen [ en ]"),
    ('{"gemeente": "0344"}', "Eerder beschermd wonen: verwacht een JSON-lijst tussen [ en ]"),
    ('[{"begin": "2024-01-01"}]', "Eerder beschermd wonen: plaatsing 1, gemeente: ontbreekt"),
])
def test_bad_earlier_placements_are_shown_beside_the_field(app, f, bw, text, message):
    response = Browser(app, "user-b").post(
        f"/overdrachten/{bw}/woonplaatstoets", {**GOOD, "eerderBeschermdWonen": text}
    )
    assert response.status_code == 400
    assert summary_of(response.text) == [message]
    assert field_errors_of(response.text)["wmo-eerderBeschermdWonen"] == message
    # What the user typed is kept.
    assert unescape(response.text).count(text) >= 1
    assert stored_decision(f, bw) is None


def test_service_refusals_name_the_form_fields(app, f, bw):
    response = Browser(app, "user-b").post(f"/overdrachten/{bw}/woonplaatstoets", {
        **GOOD, "aanmeldingDatum": "2026-04-01", "uitzonderingC": "misschien",
        "eerdereAanvragen": '[{"gemeente": "0344"}]',
    })
    assert response.status_code == 400
    errors = field_errors_of(response.text)
    assert errors["wmo-aanmeldingDatum"].startswith("Aanmelding, datum: 2026-04-01 ligt na")
    assert errors["wmo-uitzonderingC"] == "Uitzondering onder c: kies ja, nee of onbekend"
    assert errors["wmo-eerdereAanvragen"].startswith("Eerdere aanvragen: aanvraag 1, datum:")
    for anchor in ("wmo-aanmeldingDatum", "wmo-uitzonderingC", "wmo-eerdereAanvragen"):
        assert f'<a href="#{anchor}">' in response.text
    assert stored_decision(f, bw) is None


def test_a_wrong_gemeente_code_is_named_at_the_aanmelding(app, f, bw):
    response = Browser(app, "user-b").post(
        f"/overdrachten/{bw}/woonplaatstoets", {**GOOD, "aanmeldingGemeente": "12"}
    )
    assert response.status_code == 400
    [message] = summary_of(response.text)
    assert message.startswith("Aanmelding, gemeente: ")
    assert "wmo-aanmeldingGemeente" in field_errors_of(response.text)


def test_wmo_facts_on_a_jeugdwet_transfer_are_refused_not_ignored(app, f, jeugd):
    response = Browser(app, "user-b").post(
        f"/overdrachten/{jeugd}/woonplaatstoets", {"aanmeldingGemeente": "0307"}
    )
    assert response.status_code == 400
    [message] = summary_of(response.text)
    assert message.startswith("Aanmelding, gemeente: alleen voor een overdracht beschermd wonen")
    assert stored_decision(f, jeugd) is None


# --- tenancy ----------------------------------------------------------------------------------


def test_another_tenant_gets_404_and_changes_nothing(app, f, bw):
    browser = Browser(app, "user-c")
    assert browser.get(f"/overdrachten/{bw}").status_code == 404
    response = browser.post(f"/overdrachten/{bw}/woonplaatstoets", GOOD)
    assert response.status_code == 404
    assert "bestaat niet, of u heeft er geen toegang toe" in response.text
    assert BSN not in response.text
    assert stored_decision(f, bw) is None


def test_a_provider_sees_no_woonplaatstoets_and_cannot_run_it(app, f, bw):
    browser = Browser(app, "user-p")
    page = browser.get(f"/overdrachten/{bw}")
    assert page.status_code == 200 and 'name="aanmeldingGemeente"' not in page.text
    response = browser.post(f"/overdrachten/{bw}/woonplaatstoets", GOOD)
    assert response.status_code == 403  # it may see the transfer, but the toets is for gemeenten
    assert stored_decision(f, bw) is None
