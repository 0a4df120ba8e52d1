"""Builders for iJw test messages, shaped like the iStandaarden examples, and the strategy
that generates any message the datatypes allow (for round-trip properties).

Test BSNs pass the 11-proef and are from the test ranges (999...).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time
from pathlib import Path

from hypothesis import strategies as st

from wpb.ijw import datatypes as dt
from wpb.ijw import models as m
from wpb.ijw.codelists import codelijst
from wpb.ijw.models import BerichtType
from wpb.ijw.xml_map import Shape, root_shape, to_model

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
XSD_DIR = SHARED / "data" / "ijw" / "xsd" / "3.2"
SAMPLES = SHARED / "data" / "ijw" / "samples"

BSN = "999990019"
ANDER_BSN = "999900006"
AANBIEDER = "42420001"
DAGTEKENING = date(2026, 4, 1)
NU = datetime(2026, 4, 2, 10, 30, 0)


def header(type: BerichtType, *, gemeente: str = "0307", aanbieder: str = AANBIEDER,
           identificatie: str = "ID0000000001", dagtekening: date = DAGTEKENING) -> m.Header:
    afzender, ontvanger = (gemeente, aanbieder) if type.afzender_is_gemeente \
        else (aanbieder, gemeente)
    return m.Header.nieuw(type, afzender=afzender, ontvanger=ontvanger,
                          identificatie=identificatie, dagtekening=dagtekening)


def verkorte_naam() -> m.VerkorteNaam:
    return m.VerkorteNaam(geslachtsnaam=m.Achternaam(achternaam="Wit", voorvoegsel="de"),
                          voornamen="Tom", voorletters="T")


def brp_contact() -> m.Contact:
    return m.Contact(
        soort="01",
        adres=m.Adres(huis=m.Huis(huisnummer=9, huisletter="B"), postcode="3811AA",
                      straatnaam="Langestraat", plaatsnaam="Amersfoort", landcode="NL"),
    )


PRODUCT = m.Product(categorie="45", code="45A03")
OMVANG = m.Omvang(volume=4, eenheid="04", frequentie="2")  # 4 uur per week


def aangevraagd(ref: str = "REF-1", *, ingang: date = date(2026, 4, 1),
                eind: date | None = date(2026, 12, 31),
                product: m.Product | None = PRODUCT,
                omvang: m.Omvang | None = OMVANG,
                budget: int | None = None) -> m.AangevraagdProduct:
    return m.AangevraagdProduct(
        referentie_aanbieder=ref,
        product=product,
        toewijzing_ingangsdatum=ingang,
        toewijzing_einddatum=eind,
        omvang=omvang,
        budget=budget,
        verwijzer=m.Verwijzer(type="01", naam="huisarts"),
    )


def jw315(*producten: m.AangevraagdProduct, gemeente: str = "0307", bsn: str = BSN,
          identificatie: str = "VOT000000001", gezagsdrager_bekend: str | None = "1") -> m.JW315:
    return m.JW315(
        header=header(BerichtType.JW315, gemeente=gemeente, identificatie=identificatie),
        client=m.ClientVerzoek(
            bsn=bsn,
            geboortedatum=m.Geboortedatum(datum=date(2012, 3, 4)),
            geslacht="1",
            naam=verkorte_naam(),
            gezagsdrager_bekend=gezagsdrager_bekend,
            aangevraagde_producten=producten or (aangevraagd(),),
        ),
    )


def toegewezen(nummer: int = 1001, *, ingang: date = date(2026, 4, 1),
               eind: date | None = date(2026, 12, 31),
               product: m.Product | None = PRODUCT,
               omvang: m.Omvang | None = OMVANG,
               budget: int | None = None, reden: str | None = None,
               ref: str | None = None) -> m.ToegewezenProduct:
    return m.ToegewezenProduct(
        toewijzing_nummer=nummer,
        referentie_aanbieder=ref,
        product=product,
        toewijzingsdatum=date(2026, 3, 20),
        toewijzingstijd=time(9, 15, 0),
        ingangsdatum=ingang,
        einddatum=eind,
        reden_wijziging=reden,
        omvang=omvang,
        budget=budget,
    )


def jw301(*producten: m.ToegewezenProduct, gemeente: str = "0307",
          identificatie: str = "TW0000000001", dagtekening: date = DAGTEKENING,
          contacten: tuple[m.Contact, ...] | None = None) -> m.JW301:
    return m.JW301(
        header=header(BerichtType.JW301, gemeente=gemeente, identificatie=identificatie,
                      dagtekening=dagtekening),
        client=m.ClientToewijzing(
            bsn=BSN,
            geboortedatum=m.Geboortedatum(datum=date(2012, 3, 4)),
            geslacht="1",
            naam=m.VolledigeNaam(geslachtsnaam=m.Achternaam(achternaam="Wit", voorvoegsel="de"),
                                 voornamen="Tom", naamgebruik="1"),
            contactgegevens=contacten if contacten is not None else (brp_contact(),),
            toegewezen_producten=producten or (toegewezen(),),
        ),
    )


def jw317(verzoek: m.Verzoek | None = None) -> m.JW317:
    return m.JW317(
        header=header(BerichtType.JW317, identificatie="VOW000000001"),
        client=m.ClientWijziging(
            bsn=BSN,
            verzoek=verzoek or m.Verzoek(
                referentie_aanbieder="VOW-1",
                reden_verzoek="1",
                ongewijzigde_producten=(m.OngewijzigdProduct(toewijzing_nummer=1001),),
                nieuwe_producten=(m.NieuwProduct(
                    product=m.Product(categorie="45", code="45A04"),
                    gewenste_ingangsdatum=date(2026, 5, 1),
                    einddatum=date(2026, 12, 31),
                    omvang=m.Omvang(volume=2, eenheid="04", frequentie="4"),
                ),),
            ),
        ),
    )


def jw319(*, verzoek_antwoord: str = "1", reden: str | None = "8",
          gemeente: str | None = "0344", afzender: str = "0307") -> m.JW319:
    return m.JW319(
        header=header(BerichtType.JW319, gemeente=afzender, identificatie="ANT000000001"),
        antwoord=m.Antwoord(referentie_aanbieder="REF-1", verzoek_antwoord=verzoek_antwoord,
                            reden_afwijzing_verzoek=reden, woonplaatsbeginsel_gemeente=gemeente),
    )


def prestatie(ref: str = "RN001", *, volume: int = 4, tarief: int | None = 1250,
              bedrag: int | None = None, dc: str = "D", eenheid: str = "04",
              vorig: str | None = None,
              periode: tuple[date, date] = (date(2026, 4, 1), date(2026, 4, 30))) -> m.Prestatie:
    return m.Prestatie(
        referentie_nummer=ref,
        vorig_referentie_nummer=vorig,
        toewijzing_nummer=1001,
        product_categorie="45",
        product_code="45A03",
        product_periode=m.GeslotenPeriode(begindatum=periode[0], einddatum=periode[1]),
        geleverd_volume=volume,
        eenheid=eenheid,
        product_tarief=tarief,
        ingediend_bedrag=bedrag if bedrag is not None else volume * (tarief or 1),
        debet_credit=dc,
    )


def jw323(*prestaties: m.Prestatie, totaal: int | None = None, totaal_dc: str = "D") -> m.JW323:
    prestaties = prestaties or (prestatie(),)
    if totaal is None:
        totaal = sum(p.ingediend_bedrag if p.debet_credit == "D" else -p.ingediend_bedrag
                     for p in prestaties)
    return m.JW323(
        header=header(BerichtType.JW323, identificatie="DEC000000001",
                      dagtekening=date(2026, 5, 6)),
        declaratie=m.Declaratie(
            declaratie_nummer="DN001",
            declaratie_periode=m.GeslotenPeriode(begindatum=date(2026, 4, 1),
                                                 einddatum=date(2026, 4, 30)),
            declaratie_dagtekening=date(2026, 5, 6),
            totaal_ingediend_bedrag=abs(totaal),
            totaal_debet_credit=totaal_dc,
            clienten=(m.ClientDeclaratie(bsn=BSN, prestaties=tuple(prestaties)),),
        ),
    )


def jw305() -> m.JW305:
    return m.JW305(
        header=header(BerichtType.JW305, identificatie="STA000000001"),
        client=m.ClientStart(
            bsn=BSN, geboortedatum=m.Geboortedatum(datum=date(2012, 3, 4)), geslacht="1",
            naam=verkorte_naam(),
            start_producten=(m.StartProduct(toewijzing_nummer=1001,
                                            product=m.Product(categorie="45", code="45A03"),
                                            toewijzing_ingangsdatum=date(2026, 4, 1),
                                            begindatum=date(2026, 4, 3),
                                            status_aanlevering="1"),),
        ),
    )


def jw307(einddatum: date = date(2026, 7, 17)) -> m.JW307:
    return m.JW307(
        header=header(BerichtType.JW307, identificatie="STO000000001"),
        client=m.ClientStop(
            bsn=BSN, geboortedatum=m.Geboortedatum(datum=date(2012, 3, 4)), geslacht="1",
            naam=verkorte_naam(),
            stop_producten=(m.StopProduct(toewijzing_nummer=1001,
                                          product=m.Product(categorie="45", code="45A03"),
                                          toewijzing_ingangsdatum=date(2026, 4, 1),
                                          begindatum=date(2026, 4, 3), reden_beeindiging="31",
                                          einddatum=einddatum, status_aanlevering="1"),),
        ),
    )


EXAMPLES = {
    BerichtType.JW301: jw301,
    BerichtType.JW305: jw305,
    BerichtType.JW307: jw307,
    BerichtType.JW315: jw315,
    BerichtType.JW317: jw317,
    BerichtType.JW319: jw319,
    BerichtType.JW323: jw323,
}


# --- any message the datatypes allow ---------------------------------------------------

_VALID_BSNS = ["999990019", "999900006", "999900018", "999993653", "111222333", "123456782"]
_SAFE_TEXT = st.characters(whitelist_categories=("Lu", "Ll", "Nd"),
                           whitelist_characters=" -.'éëïç")


def _text(min_size: int, max_size: int):
    return st.text(_SAFE_TEXT, min_size=min_size, max_size=max_size).filter(
        lambda s: s.strip() != "")


def leaf(ldt: dt.Ldt):
    if ldt.base is dt.Base.INTEGER:
        return st.integers(ldt.minimum, ldt.maximum)
    if ldt.base is dt.Base.DATE:
        return st.dates(date(1900, 1, 1), date(2100, 12, 31))
    if ldt.base is dt.Base.TIME:
        return st.times()
    if ldt.bsn:
        return st.sampled_from(_VALID_BSNS)
    if ldt.enumeration is not None:
        return st.sampled_from(ldt.enumeration)
    if ldt.codelijst is not None:
        return st.sampled_from(sorted(codelijst(ldt.codelijst).codes))
    if ldt.name == "LDT_LandCode":
        return st.sampled_from(["NL", "BE", "DE", "SE"])  # codes the XSD enumerates
    if ldt.name == "LDT_Versie":
        return st.tuples(*[st.integers(0, 20)] * 3).map(lambda v: ".".join(map(str, v)))
    if ldt.name == "LDT_Voorletters":
        return st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyzÀÉËÏç"), min_size=1,
                       max_size=6)
    digits = "0123456789"
    if ldt.pattern == r"[0-9]{8}":
        return st.text(digits, min_size=8, max_size=8)
    if ldt.pattern == r"[0-9]{4}":
        return st.text(digits, min_size=4, max_size=4)
    if ldt.pattern == r"[0-9]*":
        return st.text(digits, min_size=ldt.min_length or 0, max_size=ldt.max_length)
    if ldt.pattern == r"[a-zA-Z0-9]+":
        return st.text(digits + "abcXYZ", min_size=1, max_size=ldt.max_length)
    return _text(max(ldt.min_length or 1, 1), min(ldt.max_length or 40, 40))


def of_shape(shape: Shape):
    fields = {}
    for el in shape.children:
        if el.item is not None:
            assert isinstance(el.type, Shape)
            items = st.lists(of_shape(el.type), min_size=0 if el.optional else 1, max_size=2)
            fields[el.attr] = items.map(tuple)
            continue
        inner = of_shape(el.type) if isinstance(el.type, Shape) else leaf(el.type)
        fields[el.attr] = st.none() | inner if el.optional else inner
    return st.fixed_dictionaries(fields).map(lambda values: shape.cls(**to_model(shape,
                                                                                  dict(values))))


def berichten(type: BerichtType):
    """Any message of ``type`` whose values fit their datatypes, with the header the XSD
    fixes for the type (berichtcode, version 3.2)."""
    def fix(bericht):
        h = dataclasses.replace(bericht.header, berichtcode=type.berichtcode, berichtversie=3,
                                berichtsubversie=2)
        return dataclasses.replace(bericht, header=h)
    return of_shape(root_shape(type)).map(fix)


def retour_van(sent: m.Bericht, codes: dict[str, str] | None = None) -> bytes:
    """The retourbericht a provider sends on ``sent`` (a JW301 or JW319), as the standard
    shapes it: the message itself in the retour namespace, four more header elements, and
    RetourCodes closing each record (0200 unless ``codes`` names another per record name).
    """
    from lxml import etree

    from wpb.ijw.retour_types import RETOUR_OP
    from wpb.ijw.xml_write import write_bericht

    retour = RETOUR_OP[sent.type]
    root = etree.fromstring(write_bericht(sent))
    ns = retour.namespace
    for node in root.iter():
        if isinstance(node.tag, str) and etree.QName(node).namespace == sent.type.namespace:
            node.tag = f"{{{ns}}}{etree.QName(node).localname}"
    head = root.find(f"{{{ns}}}Header")
    head.find(f"{{{ns}}}BerichtCode").text = retour.berichtcode
    at = list(head).index(head.find(f"{{{ns}}}XsdVersie")) + 1
    extra = [etree.Element(f"{{{ns}}}{n}")
             for n in ("IdentificatieRetour", "DagtekeningRetour", "XsdVersieRetour")]
    extra[0].text, extra[1].text = "AGBRET01", "2026-04-03"
    for name in ("BasisschemaXsdVersie", "BerichtXsdVersie"):
        etree.SubElement(extra[2], f"{{{m.BASIS_NAMESPACE}}}{name}").text = "1.0.0"
    for i, e in enumerate(extra):
        head.insert(at + i, e)
    records = [n for n in root.iter() if isinstance(n.tag, str)
               and etree.QName(n).localname in retour.records]
    for node in records:
        rc = etree.SubElement(node, f"{{{ns}}}RetourCodes")
        code = (codes or {}).get(etree.QName(node).localname, "0200")
        etree.SubElement(rc, f"{{{ns}}}RetourCode").text = code
    etree.cleanup_namespaces(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
