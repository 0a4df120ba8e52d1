"""The iJw 3.2 example messages in ../shared/data/ijw/samples (reference material).

Every sample parses safely; all but JW315.xml read into a model that writes back to the
same content and validates against the XSDs. JW315.xml holds the impossible date
2027-06-31 and is rejected naming the element and the value. The rule checks find what
the samples really break: JW317's NieuwProduct ends before it starts (TR018) and JW323
uses ReferentieNummer RN004 twice (TR314).
"""

from __future__ import annotations

from datetime import date

import pytest
from lxml import etree

from ijw_builders import SAMPLES, XSD_DIR
from wpb.ijw import safe_xml
from wpb.ijw.ontvangst import valideer
from wpb.ijw.problems import BerichtOngeldig
from wpb.ijw.xml_read import read_bericht
from wpb.ijw.xml_write import write_bericht

pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/data/ijw/samples ontbreekt"),
]
needs_xsd = pytest.mark.skipif(not XSD_DIR.is_dir(), reason="../shared/data/ijw/xsd/3.2 ontbreekt")

READABLE = ["JW301.xml", "JW305.xml", "JW307.xml", "JW317.xml", "JW319.xml", "JW323.xml"]
VANDAAG = date(2026, 12, 31)  # after every sample's dagtekening (TR135)


def _sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def _leaves(data: bytes) -> list[tuple[str, str]]:
    """(path of local names, text) of every leaf element, in document order."""
    root = etree.fromstring(data)
    out = []
    for el in root.iter():
        if isinstance(el.tag, str) and len(el) == 0:
            path = "/".join(etree.QName(a).localname for a in [*reversed(list(el.iterancestors())),
                                                               el])
            out.append((path, (el.text or "").strip()))
    return out


def test_every_sample_parses_safely():
    names = sorted(p.name for p in SAMPLES.glob("*.xml"))
    assert names == sorted([*READABLE, "JW315.xml"])
    for name in names:
        assert etree.QName(safe_xml.parse(_sample(name))).localname == "Bericht"


@pytest.mark.parametrize("name", READABLE)
def test_sample_reads_and_writes_back_the_same_content(name):
    bericht = read_bericht(_sample(name))
    assert bericht.type.value == name.removesuffix(".xml")
    written = write_bericht(bericht)
    assert read_bericht(written) == bericht
    assert _leaves(written) == _leaves(_sample(name))


def test_jw315_sample_with_impossible_date_is_rejected_naming_element_and_value():
    with pytest.raises(BerichtOngeldig) as info:
        read_bericht(_sample("JW315.xml"), bron="JW315.xml")
    problems = info.value.problems
    assert [p.element for p in problems] == [
        "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[1]/ToewijzingEinddatum",
        "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[2]/ToewijzingEinddatum",
    ]
    assert all(p.waarde == "2027-06-31" and "2027-06-31" in p.probleem for p in problems)
    assert "ToewijzingEinddatum" in str(info.value) and "2027-06-31" in str(info.value)


def test_jw315_sample_with_the_date_corrected_passes_every_check(register):
    data = _sample("JW315.xml").replace(b"2027-06-31", b"2027-06-30")
    v = valideer(data, register=register, vandaag=VANDAAG)
    assert v.problems == []


@pytest.mark.parametrize(("name", "rules"), [
    ("JW301.xml", []),
    ("JW305.xml", []),
    ("JW307.xml", []),
    ("JW319.xml", []),
    ("JW317.xml", [("/Bericht/Client/Verzoek/NieuweProducten/NieuwProduct[1]/Einddatum",
                    "TR018")]),
    ("JW323.xml", [("/Bericht/Declaratie/Clienten/Client[2]/Prestaties/Prestatie[3]/"
                    "ProductReferentie/ReferentieNummer", "TR314")]),
])
def test_rules_on_the_samples(register, name, rules):
    v = valideer(_sample(name), register=register, vandaag=VANDAAG)
    assert [(p.element, p.regel) for p in v.problems] == rules


@needs_xsd
@pytest.mark.parametrize("name", READABLE)
def test_samples_and_their_rewrites_validate_against_the_xsd(name):
    data = _sample(name)
    v = valideer(data, xsd_dir=XSD_DIR, vandaag=VANDAAG)
    assert v.xsd_gecontroleerd
    assert [p for p in v.problems if p.regel == "XSD"] == []
    rewritten = valideer(write_bericht(read_bericht(data)), xsd_dir=XSD_DIR, vandaag=VANDAAG)
    assert [p for p in rewritten.problems if p.regel == "XSD"] == []


@needs_xsd
def test_jw315_sample_fails_the_xsd_too():
    from wpb.ijw.schema import validator
    from wpb.ijw.xml_read import bericht_type

    root = safe_xml.parse(_sample("JW315.xml"))
    problems = validator(XSD_DIR).validate(root, bericht_type(root))
    assert [p.element for p in problems] == [
        "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[1]/ToewijzingEinddatum",
        "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[2]/ToewijzingEinddatum",
    ]
    assert all(p.waarde == "2027-06-31" for p in problems)
