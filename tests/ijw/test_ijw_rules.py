"""The iStandaarden iJw 3.2 rules (wpb.ijw.rules), one test per rule and edge.

Rule texts: "Regels op berichten iJw release 3.2" (TR = technische regel, CD = conditie,
IV = invulinstructie, OP = bedrijfsregel).
"""

from __future__ import annotations

import dataclasses
import threading
from datetime import date, datetime

import pytest

from ijw_builders import (
    BSN,
    NU,
    aangevraagd,
    brp_contact,
    jw301,
    jw315,
    jw317,
    jw319,
    jw323,
    prestatie,
    toegewezen,
)
from wpb.ijw import models as m
from wpb.ijw import rules
from wpb.ijw.models import BerichtSleutel, BerichtType
from wpb.ijw.ontvangst import ontvang
from wpb.ijw.rules import Ontvangst, Registratie, registreer
from wpb.ijw.xml_write import write_bericht


def regels(bericht, **kw) -> list[tuple[str, str]]:
    return [(p.element, p.regel) for p in rules.check(bericht, **kw)]


def only(bericht, **kw) -> set[str]:
    return {p.regel for p in rules.check(bericht, **kw)}


# --- examples are clean -----------------------------------------------------------------

@pytest.mark.parametrize("build", [jw301, jw315, jw317, jw319, jw323])
def test_builders_break_no_rule(build, register):
    assert rules.check(build(), register=register, vandaag=date(2026, 12, 31)) == []


# --- JW319: TR377, TR409, CD085, CD086, IV095 -----------------------------------------

ANTWOORD = "/Bericht/Antwoord"


def test_tr377_code_8_requires_woonplaatsbeginsel():
    problems = rules.check(jw319(reden="8", gemeente=None))
    assert [(p.element, p.regel, p.retourcode) for p in problems] == [
        (f"{ANTWOORD}/Woonplaatsbeginsel", "TR377", "0001")]


def test_code_8_with_the_responsible_gemeente_is_fine(register):
    assert regels(jw319(reden="8", gemeente="0344"), register=register) == []


@pytest.mark.parametrize("reden", ["1", "2", "3", "4", "5", "6", "7", "9"])
def test_tr409_woonplaatsbeginsel_forbidden_with_other_codes(reden):
    assert regels(jw319(reden=reden, gemeente="0344")) == [
        (f"{ANTWOORD}/Woonplaatsbeginsel", "TR409")]
    assert regels(jw319(reden=reden, gemeente=None)) == []


def test_tr409_also_without_any_reden():
    assert only(jw319(verzoek_antwoord="2", reden=None, gemeente="0344")) == {"TR409"}


def test_cd085_rejection_needs_a_reden():
    assert regels(jw319(verzoek_antwoord="1", reden=None, gemeente=None)) == [
        (f"{ANTWOORD}/RedenAfwijzingVerzoek", "CD085")]


def test_cd086_in_onderzoek_has_no_reden():
    assert regels(jw319(verzoek_antwoord="2", reden=None, gemeente=None)) == []
    assert only(jw319(verzoek_antwoord="2", reden="7", gemeente=None)) == {"CD086"}


def test_woonplaatsbeginsel_gemeente_must_exist_tr378(register):
    problems = rules.check(jw319(gemeente="9998"), register=register)
    assert [(p.element, p.regel, p.retourcode, p.waarde) for p in problems] == [
        (f"{ANTWOORD}/Woonplaatsbeginsel/Gemeente", "TR378", "S300", "9998")]


def test_iv095_rejecting_gemeente_cannot_name_itself():
    assert only(jw319(gemeente="0307", afzender="0307")) == {"IV095"}


def test_iv095_code_8_only_answers_a_vot():
    assert rules.check_antwoord_op(jw319(), BerichtType.JW315) == []
    (p,) = rules.check_antwoord_op(jw319(), BerichtType.JW317)
    assert (p.regel, p.element) == ("IV095", f"{ANTWOORD}/RedenAfwijzingVerzoek")
    assert "5" in p.probleem
    andere = jw319(reden="5", gemeente=None)
    assert rules.check_antwoord_op(andere, BerichtType.JW317) == []
    with pytest.raises(ValueError):
        rules.check_antwoord_op(jw319(), BerichtType.JW301)


def test_iv095_which_code_for_another_gemeente():
    assert rules.reden_andere_gemeente(BerichtType.JW315) == "8"
    assert rules.reden_andere_gemeente(BerichtType.JW317) == "5"


# --- header ---------------------------------------------------------------------------

def test_tr378_header_gemeente_unknown(register):
    bericht = jw315(gemeente="9998")
    problems = rules.check(bericht, register=register)
    assert [(p.element, p.regel, p.retourcode) for p in problems] == [
        ("/Bericht/Header/Ontvanger", "TR378", "S300")]


def test_tr378_merged_gemeente_valid_only_on_dates_it_existed(register):
    # Haarlemmerliede en Spaarnwoude (0393) merged into Haarlemmermeer on 2019-01-01.
    before = jw301(toegewezen(ingang=date(2018, 6, 1), eind=date(2018, 12, 31)),
                   gemeente="0393", dagtekening=date(2018, 6, 1))
    assert regels(before, register=register) == []
    # An older list is allowed when it is current on the Ingangsdatum (herindeling).
    late_message = dataclasses.replace(before, header=dataclasses.replace(
        before.header, bericht_identificatie=m.BerichtIdentificatie(
            identificatie="X", dagtekening=date(2019, 2, 1))))
    assert regels(late_message, register=register) == []
    after = jw301(toegewezen(ingang=date(2026, 4, 1)), gemeente="0393")
    assert regels(after, register=register) == [("/Bericht/Header/Afzender", "TR378")]


def test_tr135_dagtekening_not_in_the_future():
    problems = rules.check(jw315(), vandaag=date(2026, 3, 31))
    assert [(p.regel, p.retourcode) for p in problems] == [("TR135", "8848")]
    assert rules.check(jw315(), vandaag=date(2026, 4, 1)) == []


def test_berichtcode_and_version_must_fit_the_type():
    bericht = jw315()
    wrong = dataclasses.replace(bericht, header=dataclasses.replace(
        bericht.header, berichtcode="436", berichtsubversie=1))
    assert regels(wrong) == [("/Bericht/Header/BerichtCode", "XSD"),
                             ("/Bericht/Header/BerichtVersie", "XSD")]


# --- Omvang, Budget, Einddatum: CD041, CD075-CD080, CD095, CD096, TR018 -----------------

PRODUCT_301 = "/Bericht/Client/ToegewezenProducten/ToegewezenProduct[1]"
PRODUCT_315 = "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[1]"
NIEUW_317 = "/Bericht/Client/Verzoek/NieuweProducten/NieuwProduct[1]"
BUDGET_PRODUCT = m.Product(categorie="45")


def test_omvang_and_budget_exclude_each_other_cd077_cd078():
    both = jw301(toegewezen(budget=100_000))
    assert regels(both) == [(f"{PRODUCT_301}/Budget", "CD077")]
    both_315 = jw315(aangevraagd(budget=50_000))
    assert (f"{PRODUCT_315}/Budget", "CD077") in regels(both_315)


def test_budget_alone_is_fine():
    assert regels(jw301(toegewezen(product=BUDGET_PRODUCT, omvang=None, budget=100_000))) == []


def test_cd075_budget_requires_an_einddatum():
    open_budget = jw301(toegewezen(product=BUDGET_PRODUCT, omvang=None, budget=100_000, eind=None))
    assert regels(open_budget) == [(f"{PRODUCT_301}/Einddatum", "CD075")]
    assert only(jw315(aangevraagd(product=BUDGET_PRODUCT, omvang=None, budget=1, eind=None))) \
        == {"CD075"}


def test_cd076_per_week_requires_an_einddatum():
    assert regels(jw301(toegewezen(eind=None))) == [(f"{PRODUCT_301}/Einddatum", "CD076")]
    per_maand = m.Omvang(volume=4, eenheid="04", frequentie="4")
    assert regels(jw301(toegewezen(eind=None, omvang=per_maand))) == []


def test_cd041_product_code_requires_omvang():
    assert regels(jw301(toegewezen(omvang=None))) == [(f"{PRODUCT_301}/Omvang", "CD041")]


@pytest.mark.parametrize(("build", "path", "regel"), [
    (lambda **kw: jw301(toegewezen(**kw)), PRODUCT_301, "CD080"),
    (lambda **kw: jw315(aangevraagd(**kw)), PRODUCT_315, "CD095"),
])
def test_no_omvang_without_product_code_after_2020(build, path, regel):
    assert regels(build(product=BUDGET_PRODUCT)) == [(f"{path}/Omvang", regel)]
    assert regels(build(product=None)) == [(f"{path}/Omvang", regel)]
    # Until 2020-12-31 an aspecifieke toewijzing could still carry an Omvang.
    old = build(product=BUDGET_PRODUCT, ingang=date(2020, 1, 1), eind=date(2020, 12, 31))
    assert regels(old) == []


def test_cd096_for_a_nieuw_product_in_a_vow():
    verzoek = jw317().client.verzoek
    nieuw = dataclasses.replace(verzoek.nieuwe_producten[0], product=BUDGET_PRODUCT)
    bericht = jw317(dataclasses.replace(verzoek, nieuwe_producten=(nieuw,)))
    assert regels(bericht) == [(f"{NIEUW_317}/Omvang", "CD096")]


def test_tr018_einddatum_not_before_ingangsdatum():
    assert regels(jw301(toegewezen(ingang=date(2026, 5, 1), eind=date(2026, 4, 30)))) == [
        (f"{PRODUCT_301}/Einddatum", "TR018")]
    assert regels(jw301(toegewezen(ingang=date(2026, 5, 1), eind=date(2026, 5, 1)))) == []
    assert only(jw315(aangevraagd(ingang=date(2026, 5, 1), eind=date(2026, 4, 1)))) == {"TR018"}


# --- stapeling: TR302, TR386, TR410 -----------------------------------------------------

def test_tr302_same_product_overlapping_in_one_toewijzing():
    bericht = jw301(toegewezen(1001), toegewezen(1002, ingang=date(2026, 12, 1)))
    assert regels(bericht) == [("/Bericht/Client/ToegewezenProducten/ToegewezenProduct[2]",
                                "TR302")]


def test_tr302_consecutive_periods_or_other_products_are_fine():
    consecutive = jw301(toegewezen(1001, eind=date(2026, 6, 30)),
                        toegewezen(1002, ingang=date(2026, 7, 1)))
    other = jw301(toegewezen(1001), toegewezen(1002, product=m.Product(categorie="45",
                                                                        code="45A04")))
    assert regels(consecutive) == [] and regels(other) == []


def test_tr302_removed_toewijzing_does_not_count():
    removed = toegewezen(1001, ingang=date(2026, 4, 1), eind=date(2026, 4, 1), reden="13")
    assert regels(jw301(removed, toegewezen(1002))) == []


def test_tr302_a_toewijzing_without_product_overlaps_everything():
    generiek = toegewezen(1002, product=None, omvang=None, budget=10_000)
    assert only(jw301(toegewezen(1001), generiek)) == {"TR302"}


def test_tr386_and_tr383_in_a_vot():
    bericht = jw315(aangevraagd("A"), aangevraagd("A", ingang=date(2027, 1, 1), eind=None,
                                                  omvang=m.Omvang(volume=1, eenheid="04",
                                                                  frequentie="4")))
    assert regels(bericht) == [
        ("/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[2]/ReferentieAanbieder",
         "TR383")]
    overlapping = jw315(aangevraagd("A"), aangevraagd("B"))
    assert regels(overlapping) == [("/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[2]",
                                    "TR386")]


def test_tr410_in_a_vow():
    verzoek = jw317().client.verzoek
    twice = dataclasses.replace(verzoek, nieuwe_producten=verzoek.nieuwe_producten * 2)
    assert only(jw317(twice)) == {"TR410"}


def test_tr101_toewijzingnummer_twice_in_one_message():
    bericht = jw301(toegewezen(1001, eind=date(2026, 6, 30)),
                    toegewezen(1001, ingang=date(2026, 7, 1)))
    assert regels(bericht) == [(f"{PRODUCT_301.replace('[1]', '[2]')}/ToewijzingNummer",
                                "TR101")]


# --- JW301 client contact rules ----------------------------------------------------------

def test_tr061_client_needs_an_address_of_soort_01_02_or_03():
    tijdelijk = m.Contact(soort="04", telefoon=m.Telefoonnummers(
        telefoon01=m.Telefoon(telefoonnummer="0201234567", landnummer="0031")))
    assert only(jw301(contacten=(tijdelijk,))) == {"TR061"}


def test_tr006_contact_needs_telefoon_or_huis_and_postcode():
    zonder = m.Contact(soort="02", adres=m.Adres(plaatsnaam="Amersfoort"))
    assert regels(jw301(contacten=(brp_contact(), zonder))) == [
        ("/Bericht/Client/Contactgegevens/Contact[2]", "TR006")]


def test_cd034_brp_address_needs_adres():
    zonder = m.Contact(soort="03", telefoon=m.Telefoonnummers(
        telefoon01=m.Telefoon(telefoonnummer="0201234567", landnummer="0031")))
    assert ("/Bericht/Client/Contactgegevens/Contact[2]/Adres", "CD034") in \
        regels(jw301(contacten=(brp_contact(), zonder)))


def test_cd009_periode_only_for_a_temporary_address():
    contact = dataclasses.replace(brp_contact(), periode=m.OpenPeriode(begindatum=date(2026, 1, 1)))
    assert only(jw301(contacten=(contact,))) == {"CD009"}
    tijdelijk = dataclasses.replace(contact, soort="04")
    assert regels(jw301(contacten=(brp_contact(), tijdelijk))) == []


def test_cd007_taal_with_tolk_taal_only():
    bericht = jw301()
    tolk = dataclasses.replace(bericht, client=dataclasses.replace(
        bericht.client, communicatie=m.Communicatie(vorm="1")))
    assert only(tolk) == {"CD007"}
    ok = dataclasses.replace(bericht, client=dataclasses.replace(
        bericht.client, communicatie=m.Communicatie(vorm="1", taal="Zweeds")))
    assert regels(ok) == []


# --- JW315 verwijzer and beschikking ----------------------------------------------------

@pytest.mark.parametrize(("verwijzer", "regel"), [
    (m.Verwijzer(type="02", naam="dr. Jansen", zorgverlener_code="12345678"), "CD066"),
    (m.Verwijzer(type="03"), "CD067"),
    (m.Verwijzer(type="01", zorgverlener_code="12345678"), "CD068"),
])
def test_verwijzer_conditions(verwijzer, regel):
    bericht = jw315(dataclasses.replace(aangevraagd(), verwijzer=verwijzer))
    assert only(bericht) == {regel}


def test_verwijzer_with_agb_code_only_is_fine():
    ok = jw315(dataclasses.replace(aangevraagd(), verwijzer=m.Verwijzer(
        type="02", zorgverlener_code="12345678")))
    assert regels(ok) == []


def test_cd043_beschikking_ingangsdatum_with_nummer():
    bericht = jw315(dataclasses.replace(aangevraagd(), beschikking_nummer=123))
    assert regels(bericht) == [(f"{PRODUCT_315}/BeschikkingIngangsdatum", "CD043")]
    ok = jw315(dataclasses.replace(aangevraagd(), beschikking_nummer=123,
                                   beschikking_ingangsdatum=date(2026, 3, 15)))
    assert regels(ok) == []


# --- JW317 ----------------------------------------------------------------------------

def test_tr352_and_tr353_a_vow_needs_current_and_changed_products():
    leeg = m.Verzoek(referentie_aanbieder="V", reden_verzoek="1")
    assert only(jw317(leeg)) == {"TR352", "TR353"}
    alleen_nieuw = dataclasses.replace(jw317().client.verzoek, ongewijzigde_producten=())
    assert only(jw317(alleen_nieuw)) == {"TR352"}


def test_te_wijzigen_product_budget_and_einddatum():
    verzoek = dataclasses.replace(jw317().client.verzoek, te_wijzigen_producten=(
        m.TeWijzigenProduct(toewijzing_nummer=1002, gewenste_ingangsdatum=date(2026, 5, 1),
                            budget=1000),))
    assert only(jw317(verzoek)) == {"CD075"}


# --- JW323 ----------------------------------------------------------------------------

PRESTATIE = "/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie"


def test_tr358_total_is_debet_minus_credit():
    d = prestatie("RN1", volume=4, tarief=1250)
    c = prestatie("RN2", volume=2, tarief=1250, dc="C", vorig="RN0")
    assert regels(jw323(d, c)) == []  # 5000 - 2500 = 2500 D
    assert regels(jw323(d, c, totaal=7500)) == [("/Bericht/Declaratie/TotaalIngediendBedrag",
                                                 "TR358")]
    credit_only = jw323(c, totaal=-2500, totaal_dc="C")
    assert regels(credit_only) == []


def test_tr346_amount_is_volume_times_tarief():
    assert regels(jw323(prestatie(bedrag=5001), totaal=5001)) == [
        (f"{PRESTATIE}[1]/IngediendBedrag/Bedrag", "TR346")]


def test_cd087_tarief_unless_euro():
    assert only(jw323(prestatie(tarief=None, bedrag=4))) == {"CD087"}
    euro = prestatie(eenheid="83", volume=20_000, tarief=None, bedrag=20_000)
    assert regels(jw323(euro)) == []
    assert only(jw323(prestatie(eenheid="83", tarief=1, volume=5, bedrag=5))) == {"CD087"}


def test_cd060_vorig_referentienummer_on_credit_only():
    assert only(jw323(prestatie(dc="C"), totaal=-5000, totaal_dc="C")) == {"CD060"}
    assert only(jw323(prestatie(vorig="RN0"))) == {"CD060"}


def test_tr314_tr315_tr316_references_in_one_message():
    twice = jw323(prestatie("RN1"), prestatie("RN1", periode=(date(2026, 3, 1),
                                                              date(2026, 3, 31))))
    assert regels(twice) == [(f"{PRESTATIE}[2]/ProductReferentie/ReferentieNummer", "TR314")]
    c1 = prestatie("RN8", dc="C", vorig="RN0")
    c2 = prestatie("RN9", dc="C", vorig="RN0", periode=(date(2026, 3, 1), date(2026, 3, 31)))
    assert only(jw323(c1, c2, totaal=-10_000, totaal_dc="C")) == {"TR315"}
    same = jw323(prestatie("RN1"), prestatie("RN2", dc="C", vorig="RN1"), totaal=0)
    assert only(same) == {"TR316"}


def test_op367_and_tr319_product_periode():
    two_months = prestatie(periode=(date(2026, 3, 15), date(2026, 4, 15)))
    assert regels(jw323(two_months)) == [(f"{PRESTATIE}[1]/ProductPeriode", "OP367")]
    future = prestatie(periode=(date(2026, 5, 1), date(2026, 5, 31)))
    assert regels(jw323(future)) == [(f"{PRESTATIE}[1]/ProductPeriode/Einddatum", "TR319")]


def test_iv089_declaratieperiode_is_a_calendar_month():
    bericht = jw323()
    not_from_the_first = dataclasses.replace(bericht, declaratie=dataclasses.replace(
        bericht.declaratie, declaratie_periode=m.GeslotenPeriode(
            begindatum=date(2026, 4, 2), einddatum=date(2026, 4, 30))))
    assert only(not_from_the_first) == {"IV089"}
    december = dataclasses.replace(bericht, declaratie=dataclasses.replace(
        bericht.declaratie, declaratie_periode=m.GeslotenPeriode(
            begindatum=date(2026, 12, 1), einddatum=date(2026, 12, 31))))
    assert "IV089" not in only(december)


# --- TR056: the same BerichtIdentificatie is processed once ------------------------------


class InMemoryBerichtStore:
    """A :class:`wpb.ijw.rules.BerichtStore` in a dict, atomic within one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[BerichtSleutel, Ontvangst] = {}

    def claim(self, ontvangst: Ontvangst) -> Ontvangst | None:
        with self._lock:
            earlier = self._by_key.get(ontvangst.sleutel)
            if earlier is None:
                self._by_key[ontvangst.sleutel] = ontvangst
            return earlier

    def get(self, sleutel: BerichtSleutel) -> Ontvangst | None:
        with self._lock:
            return self._by_key.get(sleutel)

    def __len__(self) -> int:
        return len(self._by_key)


def test_same_message_twice_is_processed_once():
    store = InMemoryBerichtStore()
    first = registreer(jw315(), store, NU)
    again = registreer(jw315(), store, datetime(2026, 4, 3, 8, 0))
    assert first.registratie is Registratie.NIEUW and first.verwerken
    assert again.registratie is Registratie.HERHAALD and not again.verwerken
    assert again.ontvangst.ontvangen_op == NU  # the first receipt is kept
    assert len(store) == 1


def test_same_identificatie_other_content_is_tr056():
    store = InMemoryBerichtStore()
    registreer(jw315(), store, NU)
    other = registreer(jw315(aangevraagd(ref="ANDERS")), store, NU)
    assert other.registratie is Registratie.CONFLICT and not other.verwerken
    assert (other.problem.regel, other.problem.retourcode) == ("TR056", "9056")
    assert BSN not in str(other.problem)


def test_identificatie_is_unique_per_sender_and_type():
    store = InMemoryBerichtStore()
    registreer(jw315(), store, NU)
    other_sender = jw315()
    other_sender = dataclasses.replace(other_sender, header=dataclasses.replace(
        other_sender.header, afzender="65656055"))
    assert registreer(other_sender, store, NU).registratie is Registratie.NIEUW
    vow = jw317()
    vow = dataclasses.replace(vow, header=dataclasses.replace(
        vow.header, bericht_identificatie=jw315().header.bericht_identificatie))
    assert registreer(vow, store, NU).registratie is Registratie.NIEUW


def test_layout_does_not_make_a_message_new():
    store = InMemoryBerichtStore()
    pretty = write_bericht(jw315())
    compact = b"".join(line.strip() for line in pretty.split(b"\r\n"))
    first = ontvang(pretty, store, ontvangen_op=NU)
    second = ontvang(compact, store, ontvangen_op=NU)
    assert first.verwerken and not second.verwerken
    assert second.uniek.registratie is Registratie.HERHAALD


def test_invalid_message_is_not_registered():
    store = InMemoryBerichtStore()
    received = ontvang(write_bericht(jw319(gemeente=None), check=False), store, ontvangen_op=NU)
    assert not received.verwerken and received.uniek is None and len(store) == 0
    assert [p.regel for p in received.validatie.problems] == ["TR377"]


def test_simultaneous_claims_let_exactly_one_through():
    store = InMemoryBerichtStore()
    results = []
    barrier = threading.Barrier(8)

    def claim():
        barrier.wait()
        results.append(registreer(jw315(), store, NU).registratie)

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(Registratie.NIEUW) == 1
    assert results.count(Registratie.HERHAALD) == 7
