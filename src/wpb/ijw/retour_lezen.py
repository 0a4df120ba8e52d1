"""Read a retourbericht and match it to the message it answers.

The gemeente receives a JW302 on each JW301 it sent and a JW320 on each JW319; wpb also
reads its own JW306, JW308, JW316, JW318 and JW325 back. :func:`read_retour` reads the
header (which message it answers, its own identification and date) and the RetourCodes of
every record, checking each code against WJ001. :func:`koppel` finds the sent message it
answers: same type, same sender and the same BerichtIdentificatie (identification and
dagtekening), as the retourbericht copies them from the message (a JW325 names the
declaratie in DeclaratieIdentificatie, and the aanbieder that sent it is its Ontvanger).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from lxml import etree

from wpb.ijw.codelists import codelijst
from wpb.ijw.models import Bericht, BerichtSleutel
from wpb.ijw.problems import BerichtOngeldig, Problem
from wpb.ijw.retour import HEADER, RecordCodes, child_named, element_paths, local_name
from wpb.ijw.retour_types import DECLARATIE_VOLLEDIG_TOEGEWEZEN, GEEN_OPMERKING, RetourType
from wpb.ijw.xml_map import ROOT_ELEMENT

_AKKOORD = frozenset({GEEN_OPMERKING, DECLARATIE_VOLLEDIG_TOEGEWEZEN})


@dataclass(frozen=True)
class OntvangenRetour:
    """A retourbericht as read: what it answers and the codes per record."""

    type: RetourType
    beantwoordt: BerichtSleutel  # the message it answers
    beantwoordt_dagtekening: date
    identificatie: str  # IdentificatieRetour (JW325: its own BerichtIdentificatie)
    dagtekening: date
    records: tuple[RecordCodes, ...]  # path in the retourbericht and its codes; header first
    ontvanger: str = ""  # who received the message it answers: the party sending this retour

    @property
    def afgekeurd(self) -> tuple[RecordCodes, ...]:
        """The records with a code other than "geen opmerking" or "volledig toegewezen"."""
        return tuple(r for r in self.records if set(r.codes) - _AKKOORD)

    def omschrijving(self, code: str) -> str:
        return codelijst("WJ001").codes.get(code, "onbekende retourcode")

    def to_json(self) -> dict:
        return {
            "berichttype": self.type.value,
            "beantwoordt": {"berichttype": self.beantwoordt.type.value,
                            "afzender": self.beantwoordt.afzender,
                            "identificatie": self.beantwoordt.identificatie,
                            "dagtekening": self.beantwoordt_dagtekening.isoformat()},
            "identificatie": self.identificatie,
            "dagtekening": self.dagtekening.isoformat(),
            "retourcodes": [
                {"element": r.element,
                 "codes": [{"code": c, "omschrijving": self.omschrijving(c)} for c in r.codes]}
                for r in self.records
            ],
        }


def _text(elem, *names: str) -> str | None:
    for name in names:
        elem = child_named(elem, name) if elem is not None else None
    return (elem.text or "").strip() if elem is not None else None


def _date(value: str | None, path: str, problems: list[Problem]) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        problems.append(Problem(path, "XSD", f"{value!r} is geen datum (JJJJ-MM-DD)",
                                waarde=value))
        return date.min


def retour_type(root) -> RetourType | None:
    qname = etree.QName(root)
    if qname.localname != ROOT_ELEMENT:
        return None
    return RetourType.from_namespace(qname.namespace)


def read_retour(root) -> OntvangenRetour:
    """Read a parsed retourbericht; :class:`BerichtOngeldig` lists every problem."""
    type = retour_type(root)
    if type is None:
        raise BerichtOngeldig([Problem("/", "XSD", "geen iJw 3.2-retourbericht")])
    problems: list[Problem] = []
    header = child_named(root, "Header")
    if header is None:
        raise BerichtOngeldig([Problem(HEADER, "XSD", "verplicht element ontbreekt")])
    if _text(header, "BerichtCode") != type.berichtcode:
        problems.append(Problem(f"{HEADER}/BerichtCode", "XSD",
                                f"verwacht {type.berichtcode} voor {type.value}",
                                waarde=_text(header, "BerichtCode")))
    if type is RetourType.JW325:
        heen_ident, heen_afzender = "DeclaratieIdentificatie", _text(header, "Ontvanger")
        heen_ontvanger = _text(header, "Afzender")
        eigen_id = _text(header, "BerichtIdentificatie", "Identificatie")
        eigen_dag = _text(header, "BerichtIdentificatie", "Dagtekening")
        eigen_pad = f"{HEADER}/BerichtIdentificatie/Dagtekening"
    else:
        heen_ident, heen_afzender = "BerichtIdentificatie", _text(header, "Afzender")
        heen_ontvanger = _text(header, "Ontvanger")
        eigen_id = _text(header, "IdentificatieRetour")
        eigen_dag = _text(header, "DagtekeningRetour")
        eigen_pad = f"{HEADER}/DagtekeningRetour"
    heen_id = _text(header, heen_ident, "Identificatie")
    for value, path in ((heen_afzender, f"{HEADER}/Afzender"),
                        (heen_id, f"{HEADER}/{heen_ident}/Identificatie"),
                        (eigen_id, f"{HEADER}/IdentificatieRetour")):
        if not value:
            problems.append(Problem(path, "XSD", "verplicht element ontbreekt"))
    heen_dag = _date(_text(header, heen_ident, "Dagtekening"),
                     f"{HEADER}/{heen_ident}/Dagtekening", problems)
    dagtekening = _date(eigen_dag, eigen_pad, problems)
    records = _records(root, problems)
    if problems:
        raise BerichtOngeldig(problems)
    return OntvangenRetour(
        type=type,
        beantwoordt=BerichtSleutel(type.heen, heen_afzender or "", heen_id or ""),
        beantwoordt_dagtekening=heen_dag,
        identificatie=eigen_id or "",
        dagtekening=dagtekening,
        records=records,
        ontvanger=heen_ontvanger or "",
    )


def _records(root, problems: list[Problem]) -> tuple[RecordCodes, ...]:
    """Every RetourCodes in the document, by the path of the element it closes."""
    known = codelijst("WJ001")
    out: list[RecordCodes] = []
    for elem, path in element_paths(root):
        if local_name(elem) != "RetourCodes":
            continue
        codes = tuple((r.text or "").strip() for r in elem if isinstance(r.tag, str))
        for code in codes:
            if code not in known:
                problems.append(Problem(f"{path}/RetourCode", "XSD", known.probleem(code) or "",
                                        waarde=code))
        out.append(RecordCodes(path.rsplit("/", 1)[0], codes))
    out.sort(key=lambda r: r.element != HEADER)
    return tuple(out)


def koppel(retour: OntvangenRetour, verzonden: Iterable[Bericht]) -> Bericht | None:
    """The sent message ``retour`` answers, or None when none of ``verzonden`` matches."""
    for bericht in verzonden:
        if (bericht.type is retour.beantwoordt.type
                and bericht.header.afzender == retour.beantwoordt.afzender
                and bericht.header.identificatie == retour.beantwoordt.identificatie
                and bericht.header.dagtekening == retour.beantwoordt_dagtekening):
            return bericht
    return None
