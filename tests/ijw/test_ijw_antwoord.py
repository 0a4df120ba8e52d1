"""The woonplaats answer on a VOT (wpb.ijw.woonplaats_antwoord).

OP359/IV095: another responsible gemeente means a JW319 with RedenAfwijzingVerzoek 8 and
Woonplaatsbeginsel/Gemeente; the receiving gemeente responsible means a JW301 toewijzing;
a decision the facts cannot make means "aanvraag in onderzoek" and a person decides.
Deadlines: OP274 (5 werkdagen), OP359 (2 weeks), 8 weeks after "in onderzoek".
"""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

import pytest

from ijw_builders import BSN, NU, XSD_DIR, aangevraagd, brp_contact, jw315
from wpb.brp.haal_centraal import parse_case
from wpb.errors import InvalidInput
from wpb.ijw import models as m
from wpb.ijw import rules, safe_xml
from wpb.ijw.schema import validator
from wpb.ijw.woonplaats_antwoord import (
    AntwoordSoort,
    ClientGegevens,
    Nummering,
    contact_uit_brp,
    propose_woonplaats_antwoord,
)
from wpb.ijw.xml_write import write_bericht
from wpb.law.decision import Status

ONTVANGEN = date(2026, 4, 2)  # Thursday; Easter 2026 is 5 April


def _adres(van: str, code: str, tot: str | None = None, **adres) -> dict:
    record = {"type": "Adres", "datumVan": {"type": "Datum", "datum": van},
              "gemeenteVanInschrijving": {"code": code}}
    if tot:
        record["datumTot"] = {"type": "Datum", "datum": tot}
    if adres:
        record["verblijfadres"] = adres
    return record


def case_doc(*historie: dict, bsn: str = BSN) -> dict:
    return {
        "peildatum": "2026-04-01",
        "jeugdige": {
            "burgerservicenummer": bsn,
            "geboorte": {"datum": {"type": "Datum", "datum": "2012-03-04"}},
            "verblijfplaatshistorie": list(historie),
        },
        "jeugdhulp": [{"begin": "2026-04-01", "einde": None, "verblijf": False,
                       "vorm": "jeugdhulpaanbieder"}],
    }


AMERSFOORT = case_doc(_adres("2012-03-04", "0344", "2022-11-01"),
                      _adres("2022-11-01", "0307", korteStraatnaam="Langestraat", huisnummer=9,
                             huisletter="B", postcode="3811 AA", woonplaats="Amersfoort"))


def voorstel(verzoek, doc, register, **kw):
    case = None if doc is None else parse_case(doc, register)
    nummering = Nummering()
    kw.setdefault("client_gegevens", ClientGegevens(contactgegevens=(brp_contact(),)))
    return propose_woonplaats_antwoord(verzoek, case, register, ontvangen_op=ONTVANGEN, nu=NU,
                              identificatie=nummering.identificatie,
                              toewijzingnummer=nummering.toewijzingnummer, **kw)


def test_receiving_gemeente_responsible_gives_a_toewijzing(register):
    verzoek = jw315(aangevraagd("REF-1"), gemeente="0307")
    v = voorstel(verzoek, AMERSFOORT, register)
    (p,) = v.producten
    assert p.soort is AntwoordSoort.TOEWIJZING and not v.wait_for_persoon
    assert p.verantwoordelijke_gemeente == "0307" and p.antwoord is None
    assert [t.regel for t in p.termijnen] == ["OP274"]
    # Received Thursday 2 April 2026: 3 April (1), Tweede Paasdag 6 April, 7-10 April (2-5).
    assert p.uiterlijk == date(2026, 4, 10)
    t = v.toewijzing
    assert t is not None and v.berichten == [t]
    assert (t.header.afzender, t.header.ontvanger) == ("0307", verzoek.header.afzender)
    (tp,) = t.client.toegewezen_producten
    asked = verzoek.client.aangevraagde_producten[0]
    assert tp.referentie_aanbieder == "REF-1"  # TR379
    assert (tp.product, tp.ingangsdatum, tp.einddatum, tp.omvang, tp.budget) == (
        asked.product, asked.toewijzing_ingangsdatum, asked.toewijzing_einddatum, asked.omvang,
        asked.budget)
    assert tp.reden_wijziging is None  # an initial toewijzing (IV066)
    assert (tp.toewijzingsdatum, tp.toewijzingstijd.isoformat()) == (NU.date(), "10:30:00")
    assert t.client.bsn == BSN and t.client.naam.naamgebruik == "1"
    assert rules.check(t, register=register) == []


def test_other_gemeente_responsible_gives_rejection_code_8(register):
    verzoek = jw315(aangevraagd("REF-1"), gemeente="0344")
    v = voorstel(verzoek, AMERSFOORT, register)
    (p,) = v.producten
    assert p.soort is AntwoordSoort.AFWIJZING_WOONPLAATS and v.toewijzing is None
    a = p.antwoord
    assert a is not None and v.berichten == [a]
    assert (a.antwoord.referentie_aanbieder, a.antwoord.verzoek_antwoord,
            a.antwoord.reden_afwijzing_verzoek, a.antwoord.woonplaatsbeginsel_gemeente) == (
        "REF-1", "1", "8", "0307")
    assert (a.header.afzender, a.header.ontvanger) == ("0344", verzoek.header.afzender)
    assert rules.check(a, register=register) == []
    assert rules.check_antwoord_op(a, m.BerichtType.JW315) == []
    assert {t.regel: t.uiterlijk for t in p.termijnen} == {
        "OP274": date(2026, 4, 10), "OP359": date(2026, 4, 16)}
    # OP359 and the iStandaarden FAQ for iJw 3.2: while the woonplaats is investigated the
    # answer is due within 14 days of receipt (Thursday 2 April 2026 + 14 = 16 April), not
    # on OP274's fifth werkdag (10 April).
    assert p.uiterlijk == date(2026, 4, 16)
    assert p.to_json()["uiterlijkVolgens"] == "OP359"


def test_the_decision_and_its_explanation_are_kept(register):
    v = voorstel(jw315(gemeente="0344"), AMERSFOORT, register)
    (p,) = v.producten
    assert p.beslissing is not None and p.beslissing.status is Status.BEPAALD
    assert "Amersfoort" in p.beslissing.toelichting
    out = p.to_json()
    assert out["beslissing"]["gemeente"] == {"code": "0307", "naam": "Amersfoort"}
    assert out["beslissing"]["grondslag"]["artikel"] == "1.1"
    assert BSN not in json.dumps(v.to_json(ONTVANGEN))


def test_each_product_is_decided_on_its_own_ingangsdatum(register):
    # The youth moved from Utrecht to Amersfoort on 2022-11-01.
    verzoek = jw315(aangevraagd("OUD", ingang=date(2022, 6, 1), eind=date(2022, 9, 30)),
                    aangevraagd("NIEUW", ingang=date(2023, 1, 10), eind=date(2023, 6, 30)),
                    gemeente="0344")
    doc = {**AMERSFOORT, "jeugdhulp": [{"begin": "2022-06-01", "einde": None,
                                        "verblijf": False}]}
    v = voorstel(verzoek, doc, register)
    assert [(p.referentie_aanbieder, p.soort, p.verantwoordelijke_gemeente, p.peildatum)
            for p in v.producten] == [
        ("OUD", AntwoordSoort.TOEWIJZING, "0344", date(2022, 6, 1)),
        ("NIEUW", AntwoordSoort.AFWIJZING_WOONPLAATS, "0307", date(2023, 1, 10)),
    ]
    assert [b.type for b in v.berichten] == [m.BerichtType.JW301, m.BerichtType.JW319]
    assert [tp.referentie_aanbieder for tp in v.toewijzing.client.toegewezen_producten] == ["OUD"]


def test_review_waits_for_a_person_with_in_onderzoek(register):
    doc = json.loads(resources.files("wpb").joinpath(
        "data", "examples", "06-gesplitste-gemeente.json").read_text(encoding="utf-8"))
    verzoek = jw315(aangevraagd(ingang=date(2023, 1, 15), eind=date(2023, 6, 30)),
                    gemeente="0855")
    v = voorstel(verzoek, doc, register)
    (p,) = v.producten
    assert p.soort is AntwoordSoort.IN_ONDERZOEK and p.wait_for_persoon and v.wait_for_persoon
    assert p.beslissing.status is Status.REVIEW and p.verantwoordelijke_gemeente is None
    a = p.antwoord.antwoord
    assert (a.verzoek_antwoord, a.reden_afwijzing_verzoek, a.woonplaatsbeginsel_gemeente) == (
        "2", None, None)
    assert rules.check(p.antwoord, register=register) == []
    assert {t.regel for t in p.termijnen} == {"OP274", "OP359"}
    assert date(2026, 5, 27) in {t.uiterlijk for t in p.termijnen}  # 8 weeks after dagtekening
    assert "gesplitst" in p.reden
    # The gemeente investigates the woonplaats: the JW319 reden 8 or the JW301 is due 14
    # days after receipt (OP359), 2 April + 14 = 16 April 2026.
    assert (p.uiterlijk, p.geldende_termijn.regel) == (date(2026, 4, 16), "OP359")


def test_without_brp_data_the_answer_waits(register):
    v = voorstel(jw315(), None, register)
    (p,) = v.producten
    assert p.soort is AntwoordSoort.IN_ONDERZOEK and p.beslissing is None
    assert "geen BRP-gegevens" in p.reden
    assert p.uiterlijk == date(2026, 4, 16)  # OP359: 14 days after receipt on 2 April


def test_brp_data_of_another_youth_is_refused_without_showing_numbers(register):
    with pytest.raises(InvalidInput) as info:
        voorstel(jw315(bsn="999900006"), AMERSFOORT, register)
    assert "andere jeugdige" in str(info.value)
    assert BSN not in str(info.value) and "999900006" not in str(info.value)


def test_toewijzing_waits_for_contactgegevens(register):
    v = voorstel(jw315(gemeente="0307"), AMERSFOORT, register, client_gegevens=None)
    assert v.toewijzing is None and v.wait_for_persoon
    assert any("TR061" in item for item in v.ontbrekend)
    assert v.producten[0].toegewezen_product is not None  # what would be granted


def test_gezagsdrager_is_flagged_when_the_provider_does_not_know_it(register):
    v = voorstel(jw315(gemeente="0307", gezagsdrager_bekend="2"), AMERSFOORT, register)
    assert v.toewijzing is not None
    assert any("OP002" in item for item in v.aandachtspunten)


def test_vot_to_a_merged_gemeente_is_answered_by_its_successor(register):
    # Haarlemmerliede en Spaarnwoude (0393) merged into Haarlemmermeer (0394) in 2019.
    doc = case_doc(_adres("2012-03-04", "0394"))
    v = voorstel(jw315(gemeente="0393"), doc, register)
    (p,) = v.producten
    assert p.soort is AntwoordSoort.TOEWIJZING and p.verantwoordelijke_gemeente == "0394"
    assert v.toewijzing.header.afzender == "0394"


def test_contact_from_the_brp_address():
    contact = contact_uit_brp(AMERSFOORT)
    assert contact == m.Contact(soort="01", adres=m.Adres(
        huis=m.Huis(huisnummer=9, huisletter="B"), postcode="3811AA", straatnaam="Langestraat",
        plaatsnaam="Amersfoort", landcode="NL"))
    assert contact_uit_brp(case_doc(_adres("2012-03-04", "0307"))) is None
    assert contact_uit_brp({"jeugdige": "x"}) is None


def _mixed(register):
    verzoek = jw315(aangevraagd("OUD", ingang=date(2022, 6, 1), eind=date(2022, 9, 30)),
                    aangevraagd("NIEUW", ingang=date(2023, 1, 10), eind=date(2023, 6, 30)),
                    gemeente="0344")
    return voorstel(verzoek, {**AMERSFOORT, "jeugdhulp": []}, register)


def test_every_proposed_message_passes_the_rules(register):
    v = _mixed(register)
    assert [b.type.value for b in v.berichten] == ["JW301", "JW319"]
    for bericht in v.berichten:
        assert rules.check(bericht, register=register) == []


@pytest.mark.shared
@pytest.mark.skipif(not XSD_DIR.is_dir(), reason="../shared/data/ijw/xsd/3.2 ontbreekt")
def test_every_proposed_message_validates_against_the_xsd(register):
    for bericht in _mixed(register).berichten:
        root = safe_xml.parse(write_bericht(bericht))
        assert validator(XSD_DIR).validate(root, bericht.type) == []
