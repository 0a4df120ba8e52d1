"""Make the retourbericht for a message the gemeente received (JW306, JW308, JW316, JW318, JW325).

:func:`build_retour` takes the received XML and the verdict of
:func:`wpb.ijw.ontvangst.valideer` on it. Each problem's retourcode goes to the deepest
record that holds the element it names (a problem in the header, or outside every record,
goes to the header). A record without a problem gets 0200 ("geen opmerking"). When the
message could not be read completely (structure or datatype, or the XSD), only the header
is answered, with 0001: the body cannot be returned in a form the retour XSD accepts.

A JW325 declaratie-antwoord also totals the amounts granted: the IngediendBedrag of every
prestatie without a retourcode of its own, its client's or the declaratie's.

The due date is OP090's: the retourbericht goes out within 3 werkdagen after receipt
(:func:`wpb.law.termijnen.retourbericht`). The dagtekening is the caller's ``nu``; the
CLI passes Dutch time (:mod:`wpb.ijw.tijd`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from lxml import etree

from wpb.ijw import safe_xml
from wpb.ijw.models import BASIS_NAMESPACE, XSD_VERSIE, Bericht, BerichtType
from wpb.ijw.problems import BerichtOngeldig, Problem
from wpb.ijw.retour_types import (
    DECLARATIE_VOLLEDIG_TOEGEWEZEN,
    GEEN_OPMERKING,
    ONTVANGEN_DOOR_GEMEENTE,
    RETOUR_OP,
    TECHNISCH_AFGEKEURD,
    RetourType,
)
from wpb.ijw.schema import LIST_ITEMS
from wpb.ijw.xml_map import ROOT_ELEMENT
from wpb.law import termijnen
from wpb.law.termijnen import NATIONAAL, Kalender, Termijn


class Validatie(Protocol):
    """What :func:`build_retour` reads of :class:`wpb.ijw.ontvangst.Validatie` (named here,
    not imported: ontvangst reads retourberichten with this package, and imports stay
    one-way)."""

    @property
    def bericht(self) -> Bericht | None: ...

    @property
    def problems(self) -> list[Problem]: ...


HEADER = f"/{ROOT_ELEMENT}/Header"
_HEADER_NODIG = ("Afzender", "Ontvanger", "BerichtIdentificatie", "XsdVersie")


@dataclass(frozen=True)
class RecordCodes:
    """The retourcodes one record of the received message gets."""

    element: str  # path in the received message, e.g. /Bericht/Client/StartProducten/StartProduct[1]
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Retour:
    """A retourbericht made by wpb, with what it says and when it is due."""

    type: RetourType
    xml: bytes
    identificatie: str  # IdentificatieRetour, or the JW325's own BerichtIdentificatie
    dagtekening: date
    heen_identificatie: str
    volledig: bool  # False: only the header was answered (0001)
    records: tuple[RecordCodes, ...]  # the header first
    termijn: Termijn  # OP090

    def to_json(self, vandaag: date | None = None) -> dict:
        return {
            "berichttype": self.type.value,
            "beantwoordt": {"berichttype": self.type.heen.value,
                            "identificatie": self.heen_identificatie},
            "identificatie": self.identificatie,
            "dagtekening": self.dagtekening.isoformat(),
            "volledig": self.volledig,
            "retourcodes": [{"element": r.element, "codes": list(r.codes)}
                            for r in self.records],
            "termijn": self.termijn.to_json(vandaag),
        }


def local_name(elem) -> str:
    return etree.QName(elem).localname


def child_named(elem, name: str):
    for c in elem:
        if isinstance(c.tag, str) and local_name(c) == name:
            return c
    return None


def element_paths(root):
    """Every element below ``root`` with its path as the checks name it (list items get [i])."""

    def walk(elem, path: str):
        counts: dict[str, int] = {}
        parent = local_name(elem)
        for c in elem:
            if not isinstance(c.tag, str):
                continue
            name = local_name(c)
            counts[name] = counts.get(name, 0) + 1
            step = f"{name}[{counts[name]}]" if (parent, name) in LIST_ITEMS else name
            yield c, f"{path}/{step}"
            yield from walk(c, f"{path}/{step}")

    yield from walk(root, f"/{ROOT_ELEMENT}")


def _paths(root, records: frozenset[str]) -> dict:
    """Each record element of the received message → its path."""
    return {e: path for e, path in element_paths(root) if local_name(e) in records}


def _owner(element: str, record_paths: list[str]) -> str:
    best = HEADER
    for path in record_paths:
        if (element == path or element.startswith(path + "/")) and len(path) > len(best):
            best = path
    return best


def _codes_per_record(problems: list[Problem], record_paths: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in problems:
        code = p.retourcode or TECHNISCH_AFGEKEURD
        bucket = out.setdefault(_owner(p.element, record_paths), [])
        if code not in bucket:
            bucket.append(code)
    return out


def _sub(parent, ns: str, name: str, text: str | None = None):
    node = etree.SubElement(parent, f"{{{ns}}}{name}")
    if text is not None:
        node.text = text
    return node


def _retourcodes(parent, ns: str, codes: list[str] | tuple[str, ...]) -> None:
    node = _sub(parent, ns, "RetourCodes")
    for code in codes:
        _sub(node, ns, "RetourCode", code)


def _copy(elem, heen_ns: str, ns: str):
    """A deep copy of ``elem`` with the message's own elements moved to the retour namespace."""
    out = copy.deepcopy(elem)
    for node in out.iter():
        if isinstance(node.tag, str) and etree.QName(node).namespace == heen_ns:
            node.tag = f"{{{ns}}}{local_name(node)}"
    return out


class RetourOnmogelijk(BerichtOngeldig):
    """No retourbericht can be made: the header is unreadable or the type is not received."""


def _check_header(root, heen: BerichtType | None, problems: list[Problem]):
    if heen is None or heen not in ONTVANGEN_DOOR_GEMEENTE:
        soort = heen.value if heen else "dit document"
        raise RetourOnmogelijk([Problem(
            f"/{ROOT_ELEMENT}", "RETOUR",
            f"wpb maakt retourberichten op wat een gemeente ontvangt "
            f"({', '.join(t.value for t in sorted(ONTVANGEN_DOOR_GEMEENTE))}), niet op {soort}")])
    header = child_named(root, "Header")
    missing = [n for n in _HEADER_NODIG if header is None or child_named(header, n) is None]
    broken = [p for p in problems if p.element.startswith(HEADER) and p.regel in ("XSD", "XML")]
    if missing or broken:
        raise RetourOnmogelijk(
            [Problem(f"{HEADER}/{n}", "RETOUR", "verplicht element ontbreekt; zonder de header "
                     "kan geen retourbericht verwijzen naar het bericht") for n in missing]
            + broken)
    return header


@dataclass(frozen=True)
class Kop:
    """What the header of a received message says, read without the rest of the message:
    enough to answer a message that is refused (its body may be unreadable)."""

    type: BerichtType
    afzender: str
    ontvanger: str
    identificatie: str
    dagtekening: date | None


def read_kop(data: bytes) -> Kop | None:
    """The header of a message the gemeente receives, or None when it is not one or its
    header lacks a sender, a receiver or an identification."""
    try:
        root = safe_xml.parse(data)
    except safe_xml.XmlRejected:
        return None
    heen = BerichtType.from_namespace(etree.QName(root).namespace)
    header = child_named(root, "Header")
    if heen not in ONTVANGEN_DOOR_GEMEENTE or header is None:
        return None
    ident = child_named(header, "BerichtIdentificatie")

    def text(parent, name: str) -> str:
        node = None if parent is None else child_named(parent, name)
        return (node.text or "").strip() if node is not None else ""

    afzender, ontvanger = text(header, "Afzender"), text(header, "Ontvanger")
    identificatie = text(ident, "Identificatie")
    if not (afzender and ontvanger and identificatie):
        return None
    try:
        dagtekening = date.fromisoformat(text(ident, "Dagtekening"))
    except ValueError:
        dagtekening = None
    assert heen is not None
    return Kop(heen, afzender, ontvanger, identificatie, dagtekening)


def build_retour(data: bytes, validatie: Validatie, *, ontvangen_op: date, nu: datetime,
                identificatie: str, kalender: Kalender = NATIONAAL) -> Retour:
    """The retourbericht on a received message, from its XML and :func:`valideer`'s verdict.

    ``identificatie`` is a fresh IdentificatieRetour (for a JW325 its own
    BerichtIdentificatie); ``nu`` gives the dagtekening. Raises :class:`RetourOnmogelijk`
    when the message is not one the gemeente receives or its header cannot be read.
    """
    try:
        root = safe_xml.parse(data)
    except safe_xml.XmlRejected as exc:
        raise RetourOnmogelijk([Problem("/", exc.regel, exc.reden, line=exc.line)]) from None
    heen = BerichtType.from_namespace(etree.QName(root).namespace)
    header = _check_header(root, heen, validatie.problems)
    assert heen is not None
    retour = RETOUR_OP[heen]
    volledig = validatie.bericht is not None and not any(
        p.regel in ("XSD", "XML") for p in validatie.problems)
    heen_records = {"DeclaratieAntwoord": "Declaratie"}
    records = frozenset(heen_records.get(r, r) for r in retour.records)
    paths = _paths(root, records) if volledig else {}
    per_record = _codes_per_record(validatie.problems, list(paths.values()))
    header_codes = per_record.get(HEADER, [])
    if not volledig and TECHNISCH_AFGEKEURD not in header_codes:
        header_codes = [*header_codes, TECHNISCH_AFGEKEURD]
    ident = child_named(header, "BerichtIdentificatie")
    heen_identificatie = (child_named(ident, "Identificatie").text or "").strip()

    ns = retour.namespace
    out = etree.Element(f"{{{ns}}}{ROOT_ELEMENT}",
                        nsmap={retour.prefix: ns, "ijw": BASIS_NAMESPACE})
    codes_out = [RecordCodes(HEADER, tuple(header_codes or [GEEN_OPMERKING]))]
    if retour is RetourType.JW325:
        _declaratie_header(out, header, retour, identificatie, nu.date(), header_codes)
    else:
        _retour_header(out, header, heen, retour, identificatie, nu.date(), header_codes)
    if volledig:
        body_codes = {path: per_record.get(path) or [GEEN_OPMERKING] for path in paths.values()}
        if retour is RetourType.JW325:
            _declaratie_antwoord(out, root, heen, retour, paths, body_codes, validatie)
        else:
            for child in root:
                if isinstance(child.tag, str) and local_name(child) != "Header":
                    _append_with_codes(out, child, paths, body_codes, heen.namespace, ns)
        codes_out += [RecordCodes(p, tuple(body_codes[p])) for p in paths.values()]
    etree.cleanup_namespaces(out, top_nsmap={retour.prefix: ns, "ijw": BASIS_NAMESPACE})
    etree.indent(out, space="\t")
    xml = etree.tostring(out, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return Retour(
        type=retour,
        xml=xml.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"),  # OP192
        identificatie=identificatie,
        dagtekening=nu.date(),
        heen_identificatie=heen_identificatie,
        volledig=volledig,
        records=tuple(codes_out),
        termijn=termijnen.retourbericht(ontvangen_op, kalender),
    )


def _append_with_codes(parent, original, paths: dict, body_codes: dict, heen_ns: str,
                       ns: str) -> None:
    """Copy ``original`` under ``parent`` and close each record in the copy with its codes."""
    copied = _copy(original, heen_ns, ns)
    parent.append(copied)
    pairs = [(o, c) for o, c in zip(original.iter(), copied.iter(), strict=True) if o in paths]
    for o, c in pairs:  # appended after the walk: the copy is not changed while walked
        _retourcodes(c, ns, body_codes[paths[o]])


def _retour_header(out, header, heen: BerichtType, retour: RetourType, identificatie: str,
                   dagtekening: date, codes: list[str]) -> None:
    ns = retour.namespace
    node = _sub(out, ns, "Header")
    for child in header:
        if not isinstance(child.tag, str):
            continue
        copied = _copy(child, heen.namespace, ns)
        if local_name(child) == "BerichtCode":
            copied.text = retour.berichtcode
        node.append(copied)
        if local_name(child) == "XsdVersie":
            _sub(node, ns, "IdentificatieRetour", identificatie)
            _sub(node, ns, "DagtekeningRetour", dagtekening.isoformat())
            versie = _sub(node, ns, "XsdVersieRetour")
            _sub(versie, BASIS_NAMESPACE, "BasisschemaXsdVersie", XSD_VERSIE)
            _sub(versie, BASIS_NAMESPACE, "BerichtXsdVersie", XSD_VERSIE)
    _retourcodes(node, ns, codes or [GEEN_OPMERKING])


def _declaratie_header(out, header, retour: RetourType, identificatie: str, dagtekening: date,
                       codes: list[str]) -> None:
    ns = retour.namespace
    heen_ns = retour.heen.namespace
    node = _sub(out, ns, "Header")
    _sub(node, ns, "BerichtCode", retour.berichtcode)
    _sub(node, ns, "BerichtVersie", (child_named(header, "BerichtVersie").text or "3").strip())
    _sub(node, ns, "BerichtSubversie", (child_named(header, "BerichtSubversie").text or "2").strip())
    # The gemeente answers: sender and receiver swap.
    _sub(node, ns, "Afzender", (child_named(header, "Ontvanger").text or "").strip())
    _sub(node, ns, "Ontvanger", (child_named(header, "Afzender").text or "").strip())
    ident = _sub(node, ns, "BerichtIdentificatie")
    _sub(ident, BASIS_NAMESPACE, "Identificatie", identificatie)
    _sub(ident, BASIS_NAMESPACE, "Dagtekening", dagtekening.isoformat())
    versie = _sub(node, ns, "XsdVersie")
    _sub(versie, BASIS_NAMESPACE, "BasisschemaXsdVersie", XSD_VERSIE)
    _sub(versie, BASIS_NAMESPACE, "BerichtXsdVersie", XSD_VERSIE)
    for name, target in (("BerichtIdentificatie", "DeclaratieIdentificatie"),
                         ("XsdVersie", "XsdVersieDeclaratie")):
        copied = _copy(child_named(header, name), heen_ns, ns)
        copied.tag = f"{{{ns}}}{target}"
        node.append(copied)
    _retourcodes(node, ns, codes or [GEEN_OPMERKING])


def _declaratie_antwoord(out, root, heen: BerichtType, retour: RetourType, paths: dict,
                         body_codes: dict, validatie: Validatie) -> None:
    ns = retour.namespace
    declaratie = child_named(root, "Declaratie")
    node = _sub(out, ns, "DeclaratieAntwoord")
    _sub(node, ns, "DeclaratieNummer", (child_named(declaratie, "DeclaratieNummer").text or "").strip())
    node.append(_copy(child_named(declaratie, "TotaalIngediendBedrag"), heen.namespace, ns))
    toegekend = _toegekend(validatie, paths, body_codes)
    bedrag = _sub(node, ns, "TotaalToegekendBedrag")
    _sub(bedrag, BASIS_NAMESPACE, "TotaalBedrag", str(abs(toegekend)))
    _sub(bedrag, BASIS_NAMESPACE, "DebetCredit", "D" if toegekend >= 0 else "C")
    _append_with_codes(node, child_named(declaratie, "Clienten"), paths, body_codes, heen.namespace, ns)
    own = next(p for e, p in paths.items() if local_name(e) == "Declaratie")
    if not validatie.problems:
        body_codes[own] = [DECLARATIE_VOLLEDIG_TOEGEWEZEN]
    _retourcodes(node, ns, body_codes[own])


def _toegekend(validatie: Validatie, paths: dict, body_codes: dict) -> int:
    """Eurocent granted: debet minus credit of the prestaties that no code rejects."""
    bericht = validatie.bericht
    rejected = {p for p, codes in body_codes.items() if codes != [GEEN_OPMERKING]}
    declaratie_path = next(p for e, p in paths.items() if local_name(e) == "Declaratie")
    if declaratie_path in rejected:
        return 0
    total = 0
    for i, client in enumerate(bericht.declaratie.clienten, start=1):  # type: ignore[union-attr]
        client_path = f"{declaratie_path}/Clienten/Client[{i}]"
        for j, prestatie in enumerate(client.prestaties, start=1):
            path = f"{client_path}/Prestaties/Prestatie[{j}]"
            if client_path in rejected or path in rejected:
                continue
            sign = 1 if prestatie.debet_credit == "D" else -1
            total += sign * prestatie.ingediend_bedrag
    return total
