"""Receiving a message: parse safely, validate every layer, and process each message once.

:func:`valideer` is the one entry point the CLI and the API use. It runs, in order:

1. safe parsing (:mod:`wpb.ijw.safe_xml`): size, encoding, no DTD, depth;
2. the XSD files, when a directory is given (:class:`wpb.ijw.schema.XsdValidator`);
3. reading into the model with the datatype checks that always run (:mod:`wpb.ijw.xml_read`);
4. the iStandaarden rules (:mod:`wpb.ijw.rules`), with the municipality table for TR378.

Each layer's problems are kept; the XSD's and the reader's findings on the same element
are reported once (the reader's, which is in Dutch and names the value).
:func:`ontvang` adds TR056: a message already received is not processed again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from wpb.ijw import rules, safe_xml
from wpb.ijw.models import Bericht, BerichtType
from wpb.ijw.problems import BerichtOngeldig, Problem
from wpb.ijw.schema import XsdUnavailable, validator
from wpb.ijw.xml_read import bericht_type, read_element
from wpb.law.gemeenten import GemeenteRegister


@dataclass
class Validatie:
    """The verdict on one document."""

    bericht: Bericht | None  # None when it could not be read
    type: BerichtType | None
    problems: list[Problem] = field(default_factory=list)
    xsd_gecontroleerd: bool = False

    @property
    def geldig(self) -> bool:
        return not self.problems and self.bericht is not None

    def to_json(self) -> dict:
        return {
            "geldig": self.geldig,
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
    try:
        type = bericht_type(root)
    except BerichtOngeldig as exc:
        return Validatie(None, None, exc.problems)

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


__all__ = ["Ontvangen", "Validatie", "XsdUnavailable", "ontvang", "valideer"]
