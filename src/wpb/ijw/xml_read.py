"""Read an iJw 3.2 message (XML bytes) into its typed model.

Reading is strict and complete: the document is parsed safely (:mod:`wpb.ijw.safe_xml`),
the message type is taken from the root element's namespace, and every element is
checked against the message layout (:mod:`wpb.ijw.xml_map`): order, presence, repetition,
unknown elements, and the lexical form of dates, times and numbers. Then every value is
checked against its datatype (:mod:`wpb.ijw.schema`). All problems are collected and
raised together as :class:`~wpb.ijw.problems.BerichtOngeldig`, each naming the element
(an XPath-like path with 1-based positions), the value and the rule.

The iStandaarden rules on the content (TR/CD/IV) are not applied here: see
:mod:`wpb.ijw.rules`. A message that reads without problems is well-formed and fits the
schema as far as wpb can tell without the XSD files.
"""

from __future__ import annotations

import re
from datetime import date, time

from lxml import etree

from wpb.ijw import datatypes as dt
from wpb.ijw import safe_xml
from wpb.ijw.models import BASIS_NAMESPACE, Bericht, BerichtType
from wpb.ijw.problems import BerichtOngeldig, Problem
from wpb.ijw.xml_map import ROOT_ELEMENT, El, Ns, Shape, root_shape, to_model

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})(\.\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


class _Reader:
    def __init__(self, type: BerichtType):
        self.type = type
        self.problems: list[Problem] = []

    def ns(self, shape: Shape) -> str:
        return self.type.namespace if shape.ns is Ns.MESSAGE else BASIS_NAMESPACE

    def problem(self, path: str, probleem: str, *, waarde: str | None = None,
                line: int | None = None, regel: str = "XSD") -> None:
        self.problems.append(Problem(path, regel, probleem, waarde=waarde, line=line))

    # --- structure ----------------------------------------------------------------

    def read_shape(self, elem, shape: Shape, path: str):
        """Build ``shape.cls`` from ``elem``; None when a required part is missing or bad."""
        self._no_text(elem, path)
        ns = self.ns(shape)
        position = {f"{{{ns}}}{el.name}": k for k, el in enumerate(shape.children)}
        found: dict[int, list] = {}
        furthest = -1
        for child in elem:
            if not isinstance(child.tag, str):
                continue
            k = position.get(child.tag)
            if k is None:
                self._unknown(child, shape, ns, path)
                continue
            if k < furthest:
                # The schema is a sequence: report the element that comes too late.
                self.problem(f"{path}/{shape.children[k].name}",
                             "staat op de verkeerde plaats; volgorde: " + ", ".join(shape.names()),
                             line=child.sourceline)
            furthest = max(furthest, k)
            found.setdefault(k, []).append(child)

        values: dict = {}
        complete = True
        for k, el in enumerate(shape.children):
            matches = found.get(k, [])
            child_path = f"{path}/{el.name}"
            if not matches:
                if el.optional:
                    values[el.attr] = () if el.item else None
                    continue
                self.problem(child_path, "verplicht element ontbreekt", line=elem.sourceline)
                complete = False
                continue
            if len(matches) > 1:
                self.problem(child_path, f"komt {len(matches)} keer voor; maximaal 1 keer "
                             "toegestaan", line=matches[1].sourceline)
            value = self.read_element(matches[0], el, child_path)
            if value is None:
                complete = False
            values[el.attr] = value
        if not complete:
            return None
        return shape.cls(**to_model(shape, values))

    def _unknown(self, child, shape: Shape, ns: str, path: str) -> None:
        qname = etree.QName(child)
        where = f"{path}/{qname.localname}"
        if qname.localname in shape.names():
            self.problem(where, f"verkeerde namespace {qname.namespace!r}; verwacht {ns!r}",
                         line=child.sourceline)
        else:
            self.problem(where, "onbekend element; toegestaan: " + ", ".join(shape.names()),
                         line=child.sourceline)

    def _no_text(self, elem, path: str) -> None:
        self._no_attributes(elem, path)
        texts = [elem.text] + [c.tail for c in elem]
        if any(t and t.strip() for t in texts):
            self.problem(path, "bevat tekst tussen de elementen", line=elem.sourceline)

    def _no_attributes(self, elem, path: str) -> None:
        # The iJw types declare no attributes; only the xsi ones every schema allows.
        for name in elem.attrib:
            if etree.QName(name).namespace != _XSI:
                self.problem(path, f"onbekend attribuut {etree.QName(name).localname!r}",
                             line=elem.sourceline)

    def read_element(self, elem, el: El, path: str):
        if el.item is not None:
            return self.read_list(elem, el, path)
        if isinstance(el.type, Shape):
            return self.read_shape(elem, el.type, path)
        return self.read_leaf(elem, el.type, path)

    def read_list(self, elem, el: El, path: str):
        assert isinstance(el.type, Shape)
        self._no_text(elem, path)
        # The wrapper is declared in the same schema as its items: the message namespace.
        tag = f"{{{self.type.namespace}}}{el.item}"
        items = []
        complete = True
        position = 0
        for child in elem:
            if not isinstance(child.tag, str):
                continue
            if child.tag != tag:
                qname = etree.QName(child)
                self.problem(f"{path}/{qname.localname}",
                             f"onbekend element; verwacht alleen {el.item}", line=child.sourceline)
                continue
            position += 1
            item = self.read_shape(child, el.type, f"{path}/{el.item}[{position}]")
            if item is None:
                complete = False
            else:
                items.append(item)
        if position == 0:
            self.problem(f"{path}/{el.item}", f"{el.name} bevat geen {el.item}; minstens 1 vereist",
                         line=elem.sourceline)
            return None
        return tuple(items) if complete else None

    # --- leaves -------------------------------------------------------------------

    def read_leaf(self, elem, ldt: dt.Ldt, path: str):
        self._no_attributes(elem, path)
        if any(isinstance(c.tag, str) for c in elem):
            self.problem(path, "verwacht een waarde, geen elementen", line=elem.sourceline)
            return None
        raw = elem.text or ""
        shown = "waarde" if ldt.personal else repr(raw)
        waarde = None if ldt.personal else raw
        if ldt.base is dt.Base.STRING:
            value: object = raw
        elif ldt.base is dt.Base.INTEGER:
            text = raw.strip()
            if not _INTEGER.fullmatch(text):
                self.problem(path, f"{shown} is geen geheel getal", waarde=waarde,
                             line=elem.sourceline)
                return None
            value = int(text)
        elif ldt.base is dt.Base.DATE:
            value = self._date(raw.strip(), path, elem.sourceline)
        else:
            value = self._time(raw.strip(), path, elem.sourceline)
        if value is None:
            return None
        problem = ldt.problem(value)
        if problem:
            rule, reason = problem
            self.problem(path, reason, waarde=waarde, line=elem.sourceline, regel=rule)
        return value

    def _date(self, text: str, path: str, line: int | None) -> date | None:
        match = _DATE.fullmatch(text)
        if not match:
            self.problem(path, f"{text!r} is geen datum in de vorm JJJJ-MM-DD (zonder tijdzone)",
                         waarde=text, line=line)
            return None
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            self.problem(path, f"{text!r} is geen bestaande datum", waarde=text, line=line)
            return None

    def _time(self, text: str, path: str, line: int | None) -> time | None:
        match = _TIME.fullmatch(text)
        if not match:
            self.problem(path, f"{text!r} is geen tijd in de vorm UU:MM:SS (zonder tijdzone)",
                         waarde=text, line=line)
            return None
        try:
            return time.fromisoformat(text)
        except ValueError:
            self.problem(path, f"{text!r} is geen bestaande tijd", waarde=text, line=line)
            return None


def bericht_type(root) -> BerichtType:
    """The message type of a parsed document, or :class:`BerichtOngeldig` naming the root."""
    qname = etree.QName(root)
    type = BerichtType.from_namespace(qname.namespace)
    if type is None or qname.localname != ROOT_ELEMENT:
        known = ", ".join(t.value for t in BerichtType)
        raise BerichtOngeldig([Problem(
            f"/{qname.localname}", "XSD",
            f"geen iJw 3.2-bericht dat wpb kent (namespace {qname.namespace!r}); "
            f"verwacht <Bericht> van {known}",
            waarde=qname.namespace, line=root.sourceline,
        )])
    return type


def read_element(root, *, bron: str = "bericht") -> Bericht:
    """Read an already (safely) parsed root element into its model."""
    type = bericht_type(root)
    reader = _Reader(type)
    bericht = reader.read_shape(root, root_shape(type), f"/{ROOT_ELEMENT}")
    if reader.problems or bericht is None:
        raise BerichtOngeldig(reader.problems, bron=bron)
    return bericht


def read_bericht(data: bytes, *, bron: str = "bericht", max_bytes: int = safe_xml.MAX_BYTES,
                 max_depth: int = safe_xml.MAX_DEPTH) -> Bericht:
    """Parse and read one message; :class:`BerichtOngeldig` lists every problem."""
    try:
        root = safe_xml.parse(data, max_bytes=max_bytes, max_depth=max_depth)
    except safe_xml.XmlRejected as exc:
        raise BerichtOngeldig(
            [Problem("/", exc.regel, exc.reden, line=exc.line)], bron=bron
        ) from None
    return read_element(root, bron=bron)
