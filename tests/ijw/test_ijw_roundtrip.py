"""Model -> XML -> model for every message type, and what the writer produces.

Everything written must validate against the iJw 3.2 XSDs; that part runs when
../shared/data/ijw/xsd/3.2 is present and is skipped with a reason otherwise.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ijw_builders import EXAMPLES, XSD_DIR, berichten, jw301, jw315, jw319, jw323
from wpb.ijw import safe_xml
from wpb.ijw.models import BASIS_NAMESPACE, BerichtType
from wpb.ijw.problems import BerichtOngeldig
from wpb.ijw.schema import check_model, validator
from wpb.ijw.xml_read import read_bericht
from wpb.ijw.xml_write import write_bericht

needs_xsd = pytest.mark.skipif(not XSD_DIR.is_dir(),
                               reason="../shared/data/ijw/xsd/3.2 ontbreekt: geen XSD-controle")


@pytest.mark.parametrize("type", list(BerichtType))
def test_round_trip_example(type):
    bericht = EXAMPLES[type]()
    assert check_model(bericht) == []
    assert read_bericht(write_bericht(bericht)) == bericht


@pytest.mark.parametrize("type", list(BerichtType))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_round_trip_any_message(type, data):
    bericht = data.draw(berichten(type))
    assert check_model(bericht) == []
    assert read_bericht(write_bericht(bericht)) == bericht


def test_output_follows_op192_utf8_crlf_declaration_prefixes():
    data = write_bericht(jw319())
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\r\n")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    root = safe_xml.parse(data)
    assert root.nsmap == {"jw319": BerichtType.JW319.namespace, "ijw": BASIS_NAMESPACE}
    # Basisschema types are in the ijw namespace, message types in the message namespace.
    ident = root.find(f"{{{BerichtType.JW319.namespace}}}Header/"
                      f"{{{BerichtType.JW319.namespace}}}BerichtIdentificatie/"
                      f"{{{BASIS_NAMESPACE}}}Identificatie")
    assert ident is not None and ident.text == "ANT000000001"


def test_omitted_optionals_are_not_written():
    data = write_bericht(jw319(verzoek_antwoord="2", reden=None, gemeente=None))
    assert b"RedenAfwijzingVerzoek" not in data and b"Woonplaatsbeginsel" not in data


def test_flattened_elements_round_trip():
    bericht = jw323()
    root = etree.fromstring(write_bericht(bericht))
    ns = {"d": BerichtType.JW323.namespace, "ijw": BASIS_NAMESPACE}
    assert root.xpath("string(//d:Prestatie/d:ProductReferentie/ijw:ReferentieNummer)",
                      namespaces=ns) == "RN001"
    assert root.xpath("string(//d:TotaalIngediendBedrag/ijw:TotaalBedrag)", namespaces=ns) == \
        "5000"
    assert read_bericht(write_bericht(bericht)) == bericht


def test_writer_refuses_a_model_that_breaks_a_datatype():
    bad = jw315()
    bad = type(bad)(header=bad.header, client=type(bad.client)(
        **{**bad.client.__dict__, "bsn": "123456789"}))
    with pytest.raises(BerichtOngeldig) as info:
        write_bericht(bad)
    (problem,) = info.value.problems
    assert problem.element == "/Bericht/Client/Bsn"
    assert problem.regel == "CS002"
    assert "123456789" not in str(info.value)  # a BSN is never echoed


def test_writer_refuses_missing_required_list():
    bericht = jw301()
    empty = type(bericht)(header=bericht.header, client=type(bericht.client)(
        **{**bericht.client.__dict__, "contactgegevens": ()}))
    with pytest.raises(BerichtOngeldig, match="Contactgegevens"):
        write_bericht(empty)


def test_repr_never_shows_a_bsn():
    assert "999990019" not in repr(jw315())
    assert "999990019" not in repr(jw323())


@pytest.mark.shared
@needs_xsd
@pytest.mark.parametrize("type", list(BerichtType))
def test_examples_validate_against_the_xsd(type):
    root = safe_xml.parse(write_bericht(EXAMPLES[type]()))
    assert validator(XSD_DIR).validate(root, type) == []


@pytest.mark.shared
@needs_xsd
@pytest.mark.parametrize("type", list(BerichtType))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_anything_written_validates_against_the_xsd(type, data):
    bericht = data.draw(berichten(type))
    root = safe_xml.parse(write_bericht(bericht))
    assert validator(XSD_DIR).validate(root, type) == []
