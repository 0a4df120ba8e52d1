"""The iJw code lists as project data (wpb/data/ijw) and the codes the rules name."""

from __future__ import annotations

import csv

import pytest

from ijw_builders import SHARED
from wpb.ijw import codelists as cl
from wpb.ijw.codelists import FILES, CodelijstError, codelijst, parse_codelijst
from wpb.ijw.models import BerichtType

SHARED_LISTS = SHARED / "data" / "ijw" / "codelists"


@pytest.mark.parametrize("id", sorted(FILES))
def test_every_list_loads_from_the_package(id):
    lijst = codelijst(id)
    assert lijst.id == id
    assert len(lijst.codes) >= 2


def test_the_codes_the_rules_name():
    assert codelijst("WJ759").omschrijving(cl.REDEN_AFWIJZING_WOONPLAATSBEGINSEL) == \
        "Woonplaatsbeginsel"
    assert codelijst("WJ759").omschrijving(cl.REDEN_AFWIJZING_ANDERE_GEMEENTE) == "Andere gemeente"
    assert codelijst("WJ760").omschrijving(cl.AANVRAAG_IN_ONDERZOEK) == "Aanvraag in onderzoek"
    assert codelijst("WJ760").omschrijving(cl.VERZOEK_AFGEWEZEN) == "Verzoek afgewezen"
    assert codelijst("JZ002").omschrijving(cl.REDEN_WIJZIGING_VERHUIZING) == \
        "Verhuizing naar een andere gemeente"
    assert codelijst("JZ002").omschrijving(cl.REDEN_WIJZIGING_HERINDELING) == \
        "Gemeentelijke herindeling"
    assert codelijst("JZ002").omschrijving(cl.REDEN_WIJZIGING_VERLENGING) == \
        "Herbeoordeling verlenging toewijzing"
    assert codelijst("WJ756").omschrijving(cl.EENHEID_EURO) == "Euro's"
    assert codelijst("WMO757").omschrijving(cl.FREQUENTIE_PER_WEEK) == "Per week"
    assert codelijst("WMO757").omschrijving(cl.FREQUENTIE_TOTAAL) == \
        "Totaal binnen geldigheidsduur toewijzing"


@pytest.mark.parametrize("type", list(BerichtType))
def test_berichtcodes_match_cod002(type):
    assert codelijst("COD002").omschrijving(type.berichtcode) == type.value


def test_code_not_in_list_names_the_allowed_codes():
    problem = codelijst("WJ760").probleem("3")
    assert problem is not None and "'3'" in problem and "1, 2" in problem
    assert codelijst("WJ760").probleem("2") is None
    with pytest.raises(KeyError, match="WJ760"):
        codelijst("WJ760").omschrijving("3")


def test_malformed_list_is_refused_with_its_line():
    with pytest.raises(CodelijstError, match=":3: code '1' staat er twee keer in"):
        parse_codelijst("code,omschrijving\n1,a\n1,b\n", "X", "X", "x.csv")
    with pytest.raises(CodelijstError, match=":1: kolommen"):
        parse_codelijst("code;omschrijving\n", "X", "X", "x.csv")
    with pytest.raises(CodelijstError, match=":2: verwacht code en omschrijving"):
        parse_codelijst("code,omschrijving\n1\n", "X", "X", "x.csv")


def test_unknown_list():
    with pytest.raises(KeyError, match="onbekende codelijst"):
        codelijst("XX999")


@pytest.mark.shared
@pytest.mark.skipif(not SHARED_LISTS.is_dir(), reason="../shared/data/ijw/codelists ontbreekt")
@pytest.mark.parametrize("id", sorted(FILES))
def test_codes_agree_with_the_reference_tables(id):
    """The project's own lists hold exactly the codes of the reference tables."""
    path = next(SHARED_LISTS.glob(f"{id}_*.csv"))
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    code_column = "Code" if "Code" in rows[0] else "Berichtcode"
    reference = {r[code_column].strip() for r in rows}
    if id == "WJ001":
        # A retourcode must validate against LDT_RetourCode of the Basisschema, which lists
        # one code (9355) the published table lacks: the list follows the XSD.
        assert reference <= set(codelijst(id).codes)
        if XSD_BASIS.is_file():
            assert set(codelijst(id).codes) == _retourcodes_in_xsd()
        return
    assert set(codelijst(id).codes) == reference


XSD_BASIS = SHARED_LISTS.parent / "xsd" / "3.2" / "basisschema.xsd"


def _retourcodes_in_xsd() -> set[str]:
    from lxml import etree

    xs = "{http://www.w3.org/2001/XMLSchema}"
    tree = etree.parse(str(XSD_BASIS), etree.XMLParser(resolve_entities=False, no_network=True))
    (simple,) = [t for t in tree.iter(f"{xs}simpleType") if t.get("name") == "LDT_RetourCode"]
    return {e.get("value") for e in simple.iter(f"{xs}enumeration")}
