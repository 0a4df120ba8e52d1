"""Parse XML from outside without letting it reach files, the network or unbounded memory.

A message from a provider is untrusted input. The parser here:

- refuses a document larger than ``max_bytes`` before parsing a single byte of it (the
  iStandaarden cap a file at 25 MB, OP179, which is the default);
- accepts only UTF-8 without a byte-order mark, as OP192 prescribes (UTF-8, no BOM); this
  also keeps the checks below sound, since they read the raw bytes;
- refuses any DOCTYPE or ENTITY declaration outright: an iJw message has no DTD, and a DTD
  is where external entities (XXE) and entity expansion bombs (billion laughs) live;
- parses with lxml set to resolve no entities, load no DTD, validate against none, use no
  network and keep libxml2's default size limits (``huge_tree=False``);
- stops as soon as elements nest deeper than ``max_depth`` (an iJw message nests about 9
  deep), while parsing incrementally, so a deep document is not built first.

Every refusal is an :class:`XmlRejected` naming the reason (and the line when known).
"""

from __future__ import annotations

import re

from lxml import etree

MAX_BYTES = 25 * 1024 * 1024  # OP179: a file is at most 25 MB
MAX_DEPTH = 24
_CHUNK = 64 * 1024

_BOMS = {
    b"\xef\xbb\xbf": "UTF-8 met byte-order-mark",
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


class XmlRejected(ValueError):
    """Input that is not accepted as XML, with the reason and the rule behind it."""

    def __init__(self, reden: str, *, regel: str = "XML", line: int | None = None):
        self.reden = reden
        self.regel = regel
        self.line = line
        super().__init__(f"{reden} (regel {line})" if line else reden)


def _parser_options() -> dict:
    return {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "dtd_validation": False,
        "huge_tree": False,
        "remove_pis": True,
    }


def _check_encoding(data: bytes) -> None:
    for bom, name in _BOMS.items():
        if data.startswith(bom):
            raise XmlRejected(f"document begint met een byte-order-mark ({name}); "
                              "alleen UTF-8 zonder BOM is toegestaan", regel="OP192")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise XmlRejected(
            f"document is geen geldige UTF-8 (byte {exc.start})", regel="OP192", line=line
        ) from None
    declared = _DECLARED_ENCODING.match(data.lstrip())
    if declared and declared.group(1).decode("ascii").lower() not in ("utf-8", "utf8"):
        raise XmlRejected(
            f"XML-declaratie noemt encoding {declared.group(1).decode('ascii')!r}; "
            "alleen UTF-8 is toegestaan",
            regel="OP192",
        )


def _check_no_dtd(data: bytes) -> None:
    # The document is valid UTF-8, so these ASCII markers cannot hide in multi-byte text.
    for marker, what in ((b"<!DOCTYPE", "DOCTYPE"), (b"<!ENTITY", "ENTITY-declaratie")):
        at = data.find(marker)
        if at >= 0:
            line = data[:at].count(b"\n") + 1
            raise XmlRejected(
                f"{what} is niet toegestaan: een iJw-bericht heeft geen DTD en entiteiten "
                "worden nooit geladen",
                regel="XML-DTD",
                line=line,
            )


def parse(data: bytes, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH):
    """Parse untrusted XML bytes into an lxml element, or raise :class:`XmlRejected`."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("parse() verwacht bytes, zoals ze binnenkwamen")
    data = bytes(data)
    if len(data) > max_bytes:
        raise XmlRejected(
            f"document is {len(data)} bytes; maximaal {max_bytes} bytes toegestaan",
            regel="OP179",
        )
    if not data.strip():
        raise XmlRejected("document is leeg")
    _check_encoding(data)
    _check_no_dtd(data)

    parser = etree.XMLPullParser(events=("start", "end"), **_parser_options())
    depth = 0
    try:
        for offset in range(0, len(data), _CHUNK):
            parser.feed(data[offset : offset + _CHUNK])
            for event, element in parser.read_events():
                if event == "start":
                    depth += 1
                    if depth > max_depth:
                        raise XmlRejected(
                            f"elementen zijn dieper genest dan {max_depth} niveaus",
                            regel="XML-DIEPTE",
                            line=element.sourceline,
                        )
                else:
                    depth -= 1
        root = parser.close()
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if getattr(exc, "lineno", None) else None
        message = exc.msg if getattr(exc, "msg", None) else str(exc)
        if "excessive depth" in message.lower():
            # libxml2's own nesting limit (256 without huge_tree) fired within one chunk.
            raise XmlRejected(f"elementen zijn dieper genest dan {max_depth} niveaus",
                              regel="XML-DIEPTE", line=line) from None
        raise XmlRejected(f"geen goedgevormde XML: {message}", line=line) from None

    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise XmlRejected("DOCTYPE is niet toegestaan", regel="XML-DTD")
    return root
