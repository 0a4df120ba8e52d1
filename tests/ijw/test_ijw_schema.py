"""Structure and datatypes: the checks that always run, with or without the XSD files.

Facets are those of the iJw 3.2 Basisschema (LDT_*); the BSN also passes the 11-proef.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from ijw_builders import XSD_DIR, jw315, jw319, jw323
from wpb.ijw import datatypes as dt
from wpb.ijw.problems import BerichtOngeldig
from wpb.ijw.schema import XsdUnavailable, XsdValidator, check_model, validator, xsd_directory
from wpb.ijw.xml_read import read_bericht
from wpb.ijw.xml_write import write_bericht

needs_xsd = pytest.mark.skipif(not XSD_DIR.is_dir(), reason="../shared/data/ijw/xsd/3.2 ontbreekt")

VOT = write_bericht(jw315())
PRODUCT = "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[1]"


def _problems(data: bytes) -> list:
    with pytest.raises(BerichtOngeldig) as info:
        read_bericht(data)
    return info.value.problems


def _edit(old: bytes, new: bytes, data: bytes = VOT) -> bytes:
    assert old in data, old
    return data.replace(old, new, 1)


def test_missing_required_element():
    data = _edit(b"<jw315:ToewijzingIngangsdatum>2026-04-01</jw315:ToewijzingIngangsdatum>", b"")
    (p,) = _problems(data)
    assert (p.element, p.regel) == (f"{PRODUCT}/ToewijzingIngangsdatum", "XSD")
    assert "ontbreekt" in p.probleem


def test_unknown_element():
    data = _edit(b"<jw315:Raamcontract", b"<jw315:Geheim>x</jw315:Geheim><jw315:Raamcontract") \
        if b"<jw315:Raamcontract" in VOT else _edit(b"</jw315:AangevraagdProduct>",
                                                   b"<jw315:Geheim>x</jw315:Geheim>"
                                                   b"</jw315:AangevraagdProduct>")
    (p,) = _problems(data)
    assert p.element == f"{PRODUCT}/Geheim" and "onbekend element" in p.probleem


def test_element_out_of_order():
    data = _edit(b"<jw315:Geslacht>1</jw315:Geslacht>", b"")
    data = _edit(b"<jw315:AangevraagdeProducten>",
                 b"<jw315:Geslacht>1</jw315:Geslacht><jw315:AangevraagdeProducten>", data)
    (p,) = _problems(data)
    assert p.element == "/Bericht/Client/Geslacht" and "verkeerde plaats" in p.probleem


def test_element_twice():
    data = _edit(b"<jw315:Geslacht>1</jw315:Geslacht>",
                 b"<jw315:Geslacht>1</jw315:Geslacht><jw315:Geslacht>2</jw315:Geslacht>")
    (p,) = _problems(data)
    assert p.element == "/Bericht/Client/Geslacht" and "2 keer" in p.probleem


def test_wrong_namespace_is_named():
    data = _edit(b"<jw315:Geslacht>1</jw315:Geslacht>", b"<ijw:Geslacht>1</ijw:Geslacht>")
    problems = _problems(data)
    assert any("verkeerde namespace" in p.probleem for p in problems)


def test_not_an_integer():
    data = _edit(b"<ijw:Volume>4</ijw:Volume>", b"<ijw:Volume>vier</ijw:Volume>")
    (p,) = _problems(data)
    assert (p.element, p.waarde) == (f"{PRODUCT}/Omvang/Volume", "vier")


def test_integer_out_of_range():
    data = _edit(b"<ijw:Volume>4</ijw:Volume>", b"<ijw:Volume>100000000</ijw:Volume>")
    (p,) = _problems(data)
    assert "groter dan 99999999" in p.probleem


@pytest.mark.parametrize("value", [b"2026-02-30", b"2026-4-1", b"2026-04-01Z", b"01-04-2026"])
def test_bad_dates_are_named_with_their_value(value):
    data = _edit(b"<jw315:ToewijzingIngangsdatum>2026-04-01",
                 b"<jw315:ToewijzingIngangsdatum>" + value)
    (p,) = _problems(data)
    assert p.element == f"{PRODUCT}/ToewijzingIngangsdatum"
    assert p.waarde == value.decode() and value.decode() in p.probleem


def test_bsn_failing_the_11_proef_is_cs002_and_not_echoed():
    data = _edit(b"<jw315:Bsn>999990019</jw315:Bsn>", b"<jw315:Bsn>999990018</jw315:Bsn>")
    (p,) = _problems(data)
    assert (p.element, p.regel, p.waarde) == ("/Bericht/Client/Bsn", "CS002", None)
    assert "999990018" not in str(p)


def test_bsn_of_wrong_length():
    data = _edit(b"<jw315:Bsn>999990019</jw315:Bsn>", b"<jw315:Bsn>12345</jw315:Bsn>")
    (p,) = _problems(data)
    assert p.regel == "XSD" and "9 cijfers" in p.probleem and "12345" not in str(p)


def test_code_not_in_code_list_names_allowed_codes():
    data = _edit(b"<ijw:Eenheid>04</ijw:Eenheid>", b"<ijw:Eenheid>99</ijw:Eenheid>")
    (p,) = _problems(data)
    assert p.element == f"{PRODUCT}/Omvang/Eenheid"
    assert "WJ756" in p.probleem and "01, 04, 14" in p.probleem


def test_string_too_long():
    data = _edit(b"<jw315:ReferentieAanbieder>REF-1<",
                 b"<jw315:ReferentieAanbieder>" + b"R" * 37 + b"<")
    (p,) = _problems(data)
    assert "langer dan 36" in p.probleem


def test_blank_string_fails_the_pattern():
    data = _edit(b"<ijw:Achternaam>Wit</ijw:Achternaam>", b"<ijw:Achternaam>   </ijw:Achternaam>")
    (p,) = _problems(data)
    assert p.element == "/Bericht/Client/Naam/Geslachtsnaam/Achternaam"
    assert p.waarde is None  # a name is personal data


def test_text_between_elements():
    data = _edit(b"<jw315:Geslacht>", b"los<jw315:Geslacht>")
    (p,) = _problems(data)
    assert p.element == "/Bericht/Client" and "tekst" in p.probleem


def test_every_problem_at_once():
    data = _edit(b"<ijw:Eenheid>04</ijw:Eenheid>", b"<ijw:Eenheid>99</ijw:Eenheid>")
    data = _edit(b"<jw315:Geslacht>1</jw315:Geslacht>", b"<jw315:Geslacht>7</jw315:Geslacht>",
                 data)
    data = _edit(b"<ijw:Volume>4</ijw:Volume>", b"<ijw:Volume>x</ijw:Volume>", data)
    assert len(_problems(data)) == 3


def test_unknown_message_type():
    (p,) = _problems(b'<Bericht xmlns="urn:iets-anders"><Header/></Bericht>')
    assert p.element == "/Bericht" and "urn:iets-anders" in p.probleem


def test_empty_list_wrapper():
    data = write_bericht(jw323())
    start = data.index(b"<jw323:Prestaties>")
    end = data.index(b"</jw323:Prestaties>") + len(b"</jw323:Prestaties>")
    data = data[:start] + b"<jw323:Prestaties/>" + data[end:]
    (p,) = _problems(data)
    assert p.element.endswith("/Prestaties/Prestatie") and "minstens 1" in p.probleem


def test_check_model_names_wrong_types_and_values():
    bad = dataclasses.replace(jw319(), antwoord=dataclasses.replace(
        jw319().antwoord, verzoek_antwoord="3", referentie_aanbieder=""))
    problems = check_model(bad)
    assert {p.element for p in problems} == {"/Bericht/Antwoord/VerzoekAntwoord",
                                             "/Bericht/Antwoord/ReferentieAanbieder"}
    header = dataclasses.replace(bad.header, bericht_identificatie=date(2026, 1, 1))
    problems = check_model(dataclasses.replace(bad, header=header))
    assert any("verwacht BerichtIdentificatie" in p.probleem for p in problems)


@pytest.mark.parametrize(("ldt", "value", "ok"), [
    (dt.AGB_CODE, "42420001", True),
    (dt.AGB_CODE, "4242000", False),
    (dt.GEMEENTE, "0384", True),
    (dt.GEMEENTE, "384", False),
    (dt.VERSIE, "1.0.0", True),
    (dt.VERSIE, "01.0.0", False),
    (dt.VOORLETTERS, "TÉ", True),
    (dt.VOORLETTERS, "T.", False),
    (dt.TELEFOONNUMMER, "0201234567", True),
    (dt.TELEFOONNUMMER, "020-1234567", False),
    (dt.IDENTIFICATIE_DECLARATIE, "DN001", True),
    (dt.IDENTIFICATIE_DECLARATIE, "DN-001", False),
    (dt.COMMENTAAR, "regel 1\nregel 2", True),
    (dt.COMMENTAAR, " \n ", False),
    (dt.PRODUCT_CATEGORIE, "45", True),
    (dt.PRODUCT_CATEGORIE, "39", False),
    (dt.REDEN_WIJZIGING, "07", True),
    (dt.REDEN_WIJZIGING, "7", False),
])
def test_datatype_facets(ldt, value, ok):
    assert (ldt.problem(value) is None) is ok


def test_xsd_directory_from_option_or_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("WPB_IJW_XSD_DIR", raising=False)
    assert xsd_directory() is None
    monkeypatch.setenv("WPB_IJW_XSD_DIR", str(tmp_path))
    assert xsd_directory() == tmp_path
    assert xsd_directory("/elders") == type(tmp_path)("/elders")


def test_missing_xsd_is_reported_not_ignored(tmp_path):
    with pytest.raises(XsdUnavailable):
        XsdValidator(tmp_path / "bestaat-niet")
    from wpb.ijw import safe_xml
    from wpb.ijw.models import BerichtType

    with pytest.raises(XsdUnavailable, match="JW315.xsd ontbreekt"):
        XsdValidator(tmp_path).validate(safe_xml.parse(VOT), BerichtType.JW315)


@pytest.mark.shared
@needs_xsd
def test_xsd_problems_never_echo_a_bsn():
    from wpb.ijw import safe_xml
    from wpb.ijw.models import BerichtType

    data = _edit(b"<jw315:Bsn>999990019</jw315:Bsn>", b"<jw315:Bsn>12345</jw315:Bsn>")
    problems = validator(XSD_DIR).validate(safe_xml.parse(data), BerichtType.JW315)
    assert problems and all(p.element == "/Bericht/Client/Bsn" for p in problems)
    assert all("12345" not in str(p) and p.waarde is None for p in problems)


def test_unknown_attribute_is_refused_but_xsi_is_allowed():
    data = _edit(b"<jw315:Geslacht>", b'<jw315:Geslacht soort="x">')
    (p,) = _problems(data)
    assert p.element == "/Bericht/Client/Geslacht" and "attribuut 'soort'" in p.probleem
    xsi = _edit(b"<jw315:Bericht ", b'<jw315:Bericht xmlns:xsi="http://www.w3.org/2001/'
                                     b'XMLSchema-instance" xsi:schemaLocation="x y" ')
    assert read_bericht(xsi) == read_bericht(VOT)


def test_characters_xml_cannot_hold_are_refused_before_writing():
    bericht = jw315()
    bad = dataclasses.replace(bericht, client=dataclasses.replace(
        bericht.client, commentaar="bel\x07 mij"))
    (p,) = check_model(bad)
    assert p.element == "/Bericht/Client/Commentaar" and "U+0007" in p.probleem
    with pytest.raises(BerichtOngeldig):
        write_bericht(bad)


@pytest.mark.shared
@needs_xsd
def test_xsd_and_own_checks_report_one_problem_per_element():
    from wpb.ijw.ontvangst import valideer

    data = _edit(b"2026-12-31", b"2026-12-32")
    v = valideer(data, xsd_dir=XSD_DIR)
    assert v.xsd_gecontroleerd
    assert [p.element for p in v.problems] == [f"{PRODUCT}/ToewijzingEinddatum"]


@pytest.mark.shared
@needs_xsd
def test_the_xsd_adds_what_the_own_checks_simplify():
    # LandCode is checked as two capitals in code; the XSD enumerates the ISO codes.
    from ijw_builders import jw301
    from wpb.ijw.ontvangst import valideer

    data = write_bericht(jw301()).replace(b"<ijw:LandCode>NL<", b"<ijw:LandCode>XX<")
    assert valideer(data).problems == []
    (p,) = valideer(data, xsd_dir=XSD_DIR).problems
    assert p.element == "/Bericht/Client/Contactgegevens/Contact[1]/Adres/LandCode"
    assert p.regel == "XSD" and p.waarde == "XX"
