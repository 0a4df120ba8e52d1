"""Retourberichten (iJw 3.2): the gemeente answers what it receives, and reads what it gets back.

From the standard: JW305 → JW306, JW307 → JW308, JW315 → JW316, JW317 → JW318, and the
declaratie-antwoord JW325 on a JW323; each record closes with the RetourCodes of the checks
that fired (WJ001: 0200 "geen opmerking", 0001 for a breach inside the message, IV032),
and the retourbericht goes out within 3 werkdagen after receipt (OP090). Everything wpb
writes is validated against the iJw 3.2 XSDs in ../shared when they are present.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest
from lxml import etree

from ijw_builders import (
    XSD_DIR,
    header,
    jw301,
    jw305,
    jw307,
    jw315,
    jw317,
    jw319,
    jw323,
    prestatie,
    retour_van,
)
from wpb import refdata
from wpb.ijw.ontvangst import NIET_ONDERSTEUND, valideer
from wpb.ijw.retour import RetourOnmogelijk, build_retour
from wpb.ijw.retour_lezen import koppel, read_retour
from wpb.ijw.retour_types import RETOUR_OP, RetourType
from wpb.ijw.schema import XsdValidator
from wpb.ijw.xml_write import write_bericht

REGISTER = refdata.gemeente_register()
ONTVANGEN = date(2026, 5, 8)  # a Friday
NU = datetime(2026, 5, 8, 9, 15)
HAS_XSD = XSD_DIR.is_dir()


def _retour(data: bytes, *, vandaag: date = ONTVANGEN):
    validatie = valideer(data, register=REGISTER, vandaag=vandaag)
    return validatie, build_retour(data, validatie, ontvangen_op=ONTVANGEN, nu=NU,
                                  identificatie="RET000000007")


def _xsd_problems(xml: bytes, type: RetourType) -> list:
    if not HAS_XSD:
        return []
    return XsdValidator(XSD_DIR).validate(etree.fromstring(xml), type)


def _codes(retour) -> dict[str, tuple[str, ...]]:
    return {r.element: r.codes for r in retour.records}


@pytest.mark.parametrize("bericht, verwacht", [
    (jw305(), RetourType.JW306), (jw307(), RetourType.JW308), (jw315(), RetourType.JW316),
    (jw317(), RetourType.JW318), (jw323(), RetourType.JW325),
])
def test_every_received_message_gets_its_retourbericht(bericht, verwacht):
    validatie, retour = _retour(write_bericht(bericht))
    assert validatie.geldig
    assert RETOUR_OP[bericht.type] is retour.type is verwacht
    assert retour.volledig and _xsd_problems(retour.xml, retour.type) == []
    # OP090: 3 werkdagen after Friday 8 May 2026: Mon 11 (1), Tue 12 (2), Wed 13 (3).
    assert (retour.termijn.regel, retour.termijn.uiterlijk) == ("OP090", date(2026, 5, 13))
    # Nothing fired: every record says 0200, a complete declaratie 8001.
    body = {r.element: r.codes for r in retour.records if r.element != "/Bericht/Header"}
    assert "/Bericht/Client" in body or "/Bericht/Declaratie" in body
    if verwacht is RetourType.JW325:
        assert body.pop("/Bericht/Declaratie") == ("8001",)
    assert set(body.values()) == {("0200",)}
    # `wpb ijw validate` calls what wpb writes valid, with the XSDs when they are present.
    check = valideer(retour.xml, xsd_dir=XSD_DIR if HAS_XSD else None)
    assert check.geldig and check.type is verwacht, check.problems
    gelezen = read_retour(etree.fromstring(retour.xml))
    assert gelezen.type is verwacht and gelezen.beantwoordt.identificatie == \
        bericht.header.identificatie
    assert gelezen.dagtekening == date(2026, 5, 8)
    assert koppel(gelezen, [bericht]) is bericht


def test_the_codes_of_the_checks_that_fired_go_to_their_record():
    # TR018 on the second requested product: its end before its start (rule of the VOT).
    from ijw_builders import aangevraagd
    from wpb.ijw import models as m

    vot = jw315(aangevraagd("A"), aangevraagd("B", ingang=date(2026, 6, 1),
                                                eind=date(2026, 5, 1),
                                                product=m.Product(categorie="45", code="45A05")))
    validatie, retour = _retour(write_bericht(vot, check=False))
    assert [p.regel for p in validatie.problems] == ["TR018"]
    codes = _codes(retour)
    assert codes["/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[2]"] == ("0001",)
    assert codes["/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[1]"] == ("0200",)
    assert codes["/Bericht/Header"] == ("0200",)
    assert _xsd_problems(retour.xml, RetourType.JW316) == []


def test_a_header_rule_puts_its_own_retourcode_in_the_header():
    # TR135: a dagtekening after the system date gets 8848 (WJ001).
    validatie, retour = _retour(write_bericht(jw305()), vandaag=date(2026, 3, 1))
    assert _codes(retour)["/Bericht/Header"] == ("8848",)
    assert _xsd_problems(retour.xml, RetourType.JW306) == []


def test_a_message_that_does_not_fit_the_schema_gets_a_header_only_answer_with_0001():
    data = write_bericht(jw315()).replace(b"2026-12-31", b"2026-12-32")
    validatie, retour = _retour(data)
    assert not validatie.geldig and not retour.volledig
    assert [(r.element, r.codes) for r in retour.records] == [("/Bericht/Header", ("0001",))]
    assert _xsd_problems(retour.xml, RetourType.JW316) == []


def test_the_declaratie_antwoord_grants_what_no_code_rejects():
    # Three prestaties: 4 × € 12,50 = € 50,00 debet; 2 × € 12,50 = € 25,00 debet whose
    # IngediendBedrag breaks TR346 (it says € 30,00); a credit of € 10,00 (1 × € 10,00)
    # on RN000 of an earlier declaratie (TR316 forbids crediting one of this message).
    # Granted: 5000 − 1000 = 4000 cents; the second is rejected.
    p1 = prestatie("RN001")
    p2 = prestatie("RN002", volume=2, bedrag=3000)
    p3 = prestatie("RN003", volume=1, tarief=1000, dc="C", vorig="RN000")
    bericht = jw323(p1, p2, p3)
    validatie, retour = _retour(write_bericht(bericht))
    assert [p.regel for p in validatie.problems] == ["TR346"]
    root = etree.fromstring(retour.xml)
    ns = {"r": RetourType.JW325.namespace,
          "ijw": "http://www.istandaarden.nl/ijw/3_2/basisschema/schema"}
    toegekend = root.find("r:DeclaratieAntwoord/r:TotaalToegekendBedrag", ns)
    assert (toegekend.findtext("ijw:TotaalBedrag", namespaces=ns),
            toegekend.findtext("ijw:DebetCredit", namespaces=ns)) == ("4000", "D")
    # The gemeente sends the JW325: sender and receiver swap; it names the declaratie.
    header = root.find("r:Header", ns)
    assert (header.findtext("r:Afzender", namespaces=ns),
            header.findtext("r:Ontvanger", namespaces=ns)) == (
        bericht.header.ontvanger, bericht.header.afzender)
    assert header.findtext("r:DeclaratieIdentificatie/ijw:Identificatie",
                           namespaces=ns) == "DEC000000001"
    codes = _codes(retour)
    prestaties = "/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie"
    assert codes[f"{prestaties}[2]"] == ("0001",)
    assert codes[f"{prestaties}[1]"] == codes[f"{prestaties}[3]"] == ("0200",)
    assert _xsd_problems(retour.xml, RetourType.JW325) == []


def test_a_complete_declaratie_is_fully_granted_with_8001():
    bericht = jw323(prestatie("RN001"), prestatie("RN002", volume=2))
    _, retour = _retour(write_bericht(bericht))
    assert _codes(retour)["/Bericht/Declaratie"] == ("8001",)
    total = etree.fromstring(retour.xml).findtext(
        ".//{*}TotaalToegekendBedrag/{*}TotaalBedrag")
    assert total == str(4 * 1250 + 2 * 1250)


def test_no_retourbericht_on_what_the_gemeente_sends_itself():
    data = write_bericht(jw319())
    with pytest.raises(RetourOnmogelijk) as info:
        build_retour(data, valideer(data), ontvangen_op=ONTVANGEN, nu=NU, identificatie="R1")
    assert "JW319" in str(info.value.problems[0])


def test_a_jw302_is_read_matched_and_shown_with_its_codes(tmp_path):
    sent = jw301()
    data = retour_van(sent, {"ToegewezenProduct": "9056"})
    validatie = valideer(data, xsd_dir=XSD_DIR if HAS_XSD else None)
    assert validatie.geldig and validatie.ondersteund, validatie.problems
    gelezen = validatie.retour
    assert gelezen.type is RetourType.JW302
    assert koppel(gelezen, [jw319(), sent]) is sent
    product = "/Bericht/Client/ToegewezenProducten/ToegewezenProduct[1]"
    assert [(r.element, r.codes) for r in gelezen.afgekeurd] == [(product, ("9056",))]
    assert gelezen.omschrijving("9056").startswith("Identificatie moet")
    other = jw301()
    other = dataclasses.replace(other, header=header(other.type, identificatie="ANDER"))
    assert koppel(gelezen, [other]) is None


def test_a_jw320_on_a_jw319_is_read_and_matched():
    sent = jw319()
    validatie = valideer(retour_van(sent, {"Woonplaatsbeginsel": "S300"}),
                         xsd_dir=XSD_DIR if HAS_XSD else None)
    assert validatie.geldig, validatie.problems
    gelezen = validatie.retour
    assert gelezen.type is RetourType.JW320 and koppel(gelezen, [sent]) is sent
    assert [(r.element, r.codes) for r in gelezen.afgekeurd] == [
        ("/Bericht/Antwoord/Woonplaatsbeginsel", ("S300",))]


def test_an_unknown_retourcode_is_refused():
    data = retour_van(jw301(), {"ToegewezenProduct": "X999"})
    validatie = valideer(data)
    assert not validatie.geldig
    assert any("WJ001" in p.probleem for p in validatie.problems)


def test_an_ijw_type_wpb_does_not_process_is_niet_ondersteund_not_a_schema_error():
    data = (b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Bericht xmlns="http://www.istandaarden.nl/ijw/3_2/jw399/schema"/>')
    validatie = valideer(data)
    assert not validatie.ondersteund
    assert [p.regel for p in validatie.problems] == [NIET_ONDERSTEUND]


def test_the_header_of_a_refused_message_is_read_alone():
    """A refused message is answered from its header (Afzender, Ontvanger,
    BerichtIdentificatie), even when its body does not fit the schema."""
    from ijw_builders import AANBIEDER
    from wpb.ijw.models import BerichtType
    from wpb.ijw.retour import read_kop

    broken = write_bericht(jw315()).replace(b"2026-12-31", b"2026-12-32")
    kop = read_kop(broken)
    assert kop is not None
    assert (kop.type, kop.afzender, kop.ontvanger, kop.identificatie, kop.dagtekening) == (
        BerichtType.JW315, AANBIEDER, "0307", jw315().header.identificatie, date(2026, 4, 1))
    assert read_kop(write_bericht(jw301())) is None  # the gemeente sends a JW301 itself
    assert read_kop(b"<geen-ijw/>") is None
