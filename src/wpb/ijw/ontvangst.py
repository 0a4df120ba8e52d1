"""Receiving a message: parse safely, validate every layer, and process each message once.

:func:`valideer` is the one entry point the CLI and the API use. It runs, in order:

1. safe parsing (:mod:`wpb.ijw.safe_xml`): size, encoding, no DTD, depth;
2. the XSD files, when a directory is given (:class:`wpb.ijw.schema.XsdValidator`);
3. reading into the model with the datatype checks that always run (:mod:`wpb.ijw.xml_read`);
4. the iStandaarden rules (:mod:`wpb.ijw.rules`), with the municipality table for TR378.

A retourbericht (JW302, JW306, JW308, JW316, JW318, JW320, JW325) is checked against its
XSD when one is given and read with :func:`wpb.ijw.retour_lezen.read_retour` (header and
RetourCodes); a valid one is valid. A message of another iJw 3.2 type is not called
invalid: it gets the rule ``NIET-ONDERSTEUND``, so a caller can tell "wpb does not process
this type" from a schema error.

Each layer's problems are kept; the XSD's and the reader's findings on the same element
are reported once (the reader's, which is in Dutch and names the value).
:func:`ontvang` adds TR056: a message already received is not processed again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from lxml import etree

from wpb.ijw import rules, safe_xml
from wpb.ijw.models import Bericht, BerichtType
from wpb.ijw.problems import BerichtOngeldig, Problem
from wpb.ijw.retour_lezen import OntvangenRetour, read_retour, retour_type
from wpb.ijw.retour_types import RetourType
from wpb.ijw.schema import XsdUnavailable, validator
from wpb.ijw.xml_read import bericht_type, read_element
from wpb.law.gemeenten import GemeenteRegister


@dataclass
class Validatie:
    """The verdict on one document."""

    bericht: Bericht | None  # None when it could not be read, or for a retourbericht
    type: BerichtType | RetourType | None
    problems: list[Problem] = field(default_factory=list)
    xsd_gecontroleerd: bool = False
    retour: OntvangenRetour | None = None  # a retourbericht as read

    @property
    def geldig(self) -> bool:
        return not self.problems and (self.bericht is not None or self.retour is not None)

    @property
    def ondersteund(self) -> bool:
        """False for an iJw message type wpb does not process (not a schema error)."""
        return not any(p.regel == NIET_ONDERSTEUND for p in self.problems)

    def to_json(self) -> dict:
        return {
            "geldig": self.geldig,
            "ondersteund": self.ondersteund,
            "berichttype": self.type.value if self.type else None,
            "xsdGecontroleerd": self.xsd_gecontroleerd,
            "problemen": [p.to_json() for p in self.problems],
        }


def valideer(data: bytes, *, register: GemeenteRegister | None = None,
             xsd_dir: Path | None = None, vandaag: date | None = None,
             max_bytes: int = safe_xml.MAX_BYTES, max_depth: int = safe_xml.MAX_DEPTH,
             bron: str = "bericht") -> Validatie:
    """Check a document on every layer; never raises for bad input.

    :class:`~wpb.ijw.schema.XsdUnavailable` is raised when ``xsd_dir`` is given but does
    not hold a usable XSD: an operator asked for the XSD check and must know it did not run.
    """
    try:
        root = safe_xml.parse(data, max_bytes=max_bytes, max_depth=max_depth)
    except safe_xml.XmlRejected as exc:
        return Validatie(None, None, [Problem("/", exc.regel, exc.reden, line=exc.line)])
    if retour_type(root) is not None:
        return _validate_retour(root, xsd_dir)
    try:
        type = bericht_type(root)
    except BerichtOngeldig as exc:
        return Validatie(None, None, _niet_ondersteund(root) or exc.problems)

    xsd_problems: list[Problem] = []
    checked = False
    if xsd_dir is not None:
        xsd_problems = validator(Path(xsd_dir)).validate(root, type)
        checked = True

    try:
        bericht = read_element(root, bron=bron)
        read_problems: list[Problem] = []
    except BerichtOngeldig as exc:
        bericht = None
        read_problems = exc.problems

    seen = {p.element for p in read_problems}
    problems = read_problems + [p for p in xsd_problems if p.element not in seen]
    if bericht is not None:
        # Also when a value broke its datatype: all problems come at once.
        problems += rules.check(bericht, register=register, vandaag=vandaag)
    return Validatie(bericht, type, problems, checked)


NIET_ONDERSTEUND = "NIET-ONDERSTEUND"
_IJW_32 = re.compile(r"http://www\.istandaarden\.nl/ijw/3_2/(jw\d{3})/schema")


def _niet_ondersteund(root) -> list[Problem]:
    """An iJw 3.2 message of a type wpb does not process; empty for anything else."""
    found = _IJW_32.fullmatch(etree.QName(root).namespace or "")
    if not found:
        return []
    return [Problem("/Bericht", NIET_ONDERSTEUND,
                    f"berichttype {found.group(1).upper()} wordt door wpb niet verwerkt "
                    "(niet ondersteund; dit is geen schemafout)",
                    waarde=found.group(1).upper(), line=root.sourceline)]


def _validate_retour(root, xsd_dir: Path | None) -> Validatie:
    type = retour_type(root)
    assert type is not None
    problems: list[Problem] = []
    if xsd_dir is not None:
        problems += validator(Path(xsd_dir)).validate(root, type)
    try:
        gelezen = read_retour(root)
    except BerichtOngeldig as exc:
        seen = {p.element for p in problems}
        return Validatie(None, type, problems + [p for p in exc.problems if p.element not in seen],
                         xsd_dir is not None)
    return Validatie(None, type, problems, xsd_dir is not None, retour=gelezen)


@dataclass(frozen=True)
class Ontvangen:
    validatie: Validatie
    uniek: rules.Uniek | None  # None when the message was not valid and so not registered

    @property
    def verwerken(self) -> bool:
        return self.validatie.geldig and self.uniek is not None and self.uniek.verwerken


def ontvang(data: bytes, store: rules.BerichtStore, *, ontvangen_op: datetime,
            register: GemeenteRegister | None = None, xsd_dir: Path | None = None,
            bron: str = "bericht") -> Ontvangen:
    """Validate a message and register it once (TR056); only a NIEUW valid message is processed."""
    validatie = valideer(data, register=register, xsd_dir=xsd_dir,
                         vandaag=ontvangen_op.date(), bron=bron)
    if not validatie.geldig or validatie.bericht is None:
        return Ontvangen(validatie, None)
    uniek = rules.registreer(validatie.bericht, store, ontvangen_op)
    if uniek.problem is not None:
        validatie.problems.append(uniek.problem)
    return Ontvangen(validatie, uniek)


__all__ = ["NIET_ONDERSTEUND", "Ontvangen", "Validatie", "XsdUnavailable", "ontvang",
           "valideer"]
