"""Hostile XML is refused cleanly and fast (wpb.ijw.safe_xml)."""

from __future__ import annotations

import time

import pytest
from lxml import etree

from wpb.ijw import safe_xml
from wpb.ijw.problems import BerichtOngeldig
from wpb.ijw.safe_xml import XmlRejected, parse
from wpb.ijw.xml_read import read_bericht

XXE_FILE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Bericht [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Bericht>&xxe;</Bericht>"""

XXE_NETWORK = b"""<?xml version="1.0"?>
<!DOCTYPE Bericht SYSTEM "http://127.0.0.1:9/evil.dtd">
<Bericht/>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>"""


def _refused(data: bytes, **kw) -> tuple[XmlRejected, float]:
    start = time.perf_counter()
    with pytest.raises(XmlRejected) as info:
        parse(data, **kw)
    return info.value, time.perf_counter() - start


def test_xxe_with_a_file_entity_is_refused():
    exc, seconds = _refused(XXE_FILE)
    assert exc.regel == "XML-DTD" and exc.line == 2
    assert "root:" not in str(exc)
    assert seconds < 1


def test_external_dtd_is_refused_without_network():
    exc, _ = _refused(XXE_NETWORK)
    assert exc.regel == "XML-DTD"


def test_billion_laughs_is_refused_fast():
    exc, seconds = _refused(BILLION_LAUGHS)
    assert exc.regel == "XML-DTD"
    assert seconds < 1


def test_entity_declaration_hidden_after_a_comment_is_refused():
    exc, _ = _refused(b"<!-- x --><!ENTITY a 'b'><x/>")
    assert exc.regel == "XML-DTD"


def test_without_the_prescan_the_parser_still_resolves_nothing_and_refuses(monkeypatch):
    # Defence in depth: even if the byte scan missed a DTD, lxml is set to resolve no
    # entities and the parsed document is refused for having one.
    monkeypatch.setattr(safe_xml, "_check_no_dtd", lambda data: None)
    start = time.perf_counter()
    with pytest.raises(XmlRejected) as info:
        parse(XXE_FILE)
    assert "root:" not in str(info.value)
    with pytest.raises(XmlRejected):
        parse(BILLION_LAUGHS)
    assert time.perf_counter() - start < 2


def test_parser_options_resolve_no_entities():
    parser = etree.XMLParser(**safe_xml._parser_options())
    root = etree.fromstring(XXE_FILE, parser)
    assert "root:" not in etree.tostring(root, encoding="unicode")


def test_huge_document_is_refused_before_parsing():
    data = b"<Bericht>" + b"a" * (safe_xml.MAX_BYTES + 1) + b"</Bericht>"
    exc, seconds = _refused(data)
    assert exc.regel == "OP179"
    assert seconds < 1


def test_size_limit_is_a_parameter():
    data = b"<Bericht>" + b"<x/>" * 300 + b"</Bericht>"
    exc, _ = _refused(data, max_bytes=1000)
    assert "1000" in exc.reden
    assert parse(data, max_bytes=2000) is not None


@pytest.mark.parametrize("depth", [safe_xml.MAX_DEPTH + 1, 200, 100_000])
def test_deep_nesting_is_refused_fast(depth):
    data = b"<a>" * depth + b"</a>" * depth
    exc, seconds = _refused(data)
    assert exc.regel == "XML-DIEPTE"
    assert seconds < 2


def test_nesting_up_to_the_limit_is_accepted():
    depth = safe_xml.MAX_DEPTH
    assert parse(b"<a>" * depth + b"</a>" * depth) is not None


def test_depth_limit_is_a_parameter():
    data = b"<a><b><c><d/></c></b></a>"
    assert parse(data, max_depth=4) is not None
    exc, _ = _refused(data, max_depth=3)
    assert exc.regel == "XML-DIEPTE"


def test_only_utf8_without_bom():
    body = '<?xml version="1.0" encoding="UTF-16"?><x/>'
    exc, _ = _refused(body.encode("utf-16"))
    assert exc.regel == "OP192"
    exc, _ = _refused(b"\xef\xbb\xbf<x/>")
    assert exc.regel == "OP192" and "byte-order-mark" in exc.reden
    exc, _ = _refused(b'<?xml version="1.0" encoding="ISO-8859-1"?><x>caf\xe9</x>')
    assert exc.regel == "OP192"
    exc, _ = _refused(b'<?xml version="1.0" encoding="ISO-8859-1"?><x>cafe</x>')
    assert "ISO-8859-1" in exc.reden


def test_malformed_xml_names_the_line():
    exc, _ = _refused(b"<a>\n<b>\n</a>")
    assert exc.regel == "XML" and exc.line == 3


def test_undefined_entity_is_refused():
    exc, _ = _refused(b"<a>&foo;</a>")
    assert exc.regel == "XML"


def test_xinclude_is_not_processed():
    data = (b'<a xmlns:xi="http://www.w3.org/2001/XInclude">'
            b'<xi:include href="/etc/passwd" parse="text"/></a>')
    root = parse(data)
    assert "root:" not in etree.tostring(root, encoding="unicode")
    assert len(root) == 1


def test_empty_and_non_bytes():
    exc, _ = _refused(b"  \n")
    assert "leeg" in exc.reden
    with pytest.raises(TypeError):
        parse("<a/>")  # type: ignore[arg-type]


def test_reader_turns_a_refusal_into_a_problem_naming_the_rule():
    with pytest.raises(BerichtOngeldig) as info:
        read_bericht(XXE_FILE)
    (problem,) = info.value.problems
    assert (problem.element, problem.regel, problem.line) == ("/", "XML-DTD", 2)
