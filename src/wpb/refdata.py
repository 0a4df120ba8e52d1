"""Adapter: the project's reference data files, read into the core's values.

The CSV files in ``wpb/data`` (see ``wpb/data/SOURCES.md``) are read from the installed
package, checked row by row, and turned into a :class:`~wpb.law.gemeenten.GemeenteRegister`
and a :class:`~wpb.law.regios.RegioIndeling`. A bad row is an error naming the file, the line
and the field; the data is never guessed at. Both results are built once per process.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from importlib import resources

from wpb.law.gemeenten import Gemeente, GemeenteRegister, Opvolging, OpvolgingSoort
from wpb.law.regios import Jeugdregio, RegioIndeling

GEMEENTEN_FILE = "gemeenten.csv"
OPVOLGINGEN_FILE = "opvolgingen.csv"
PROEFOMGEVING_FILE = "gemeenten_proefomgeving.csv"
JEUGDREGIOS_FILE = "jeugdregios.csv"
LANDEN_FILE = "landen.csv"

GEMEENTEN_BRON = (
    "BRP Tabel 33 (gemeententabel) en CBS gemeentelijke indeling; splitsingen volgens de "
    "herindelingswetten (zie opvolgingen.csv)"
)
JEUGDREGIOS_BRON = "CBS-gemeentecodes 2026 met jeugdzorgregio (iStandaarden iJw-codelijst)"
JEUGDREGIOS_PEILDATUM = date(2026, 1, 1)

_CODE = re.compile(r"[0-9]{4}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class RefdataError(ValueError):
    """One or more bad rows in a reference data file."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("ongeldige referentiedata:\n  " + "\n  ".join(self.problems))


def _read_text(name: str) -> str:
    return resources.files("wpb").joinpath("data").joinpath(name).read_text(encoding="utf-8")


def _rows(
    text: str, bron: str, header: list[str], problems: list[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) after checking the header; the header is line 1."""
    reader = csv.reader(io.StringIO(text))
    first = next(reader, None)
    if first is None:
        problems.append(f"{bron}: leeg bestand")
        return
    if first != header:
        problems.append(f"{bron}:1: kolommen {first!r}, verwacht {header!r}")
        return
    for values in reader:
        line = reader.line_num
        if not values or values == [""]:
            continue
        if len(values) != len(header):
            problems.append(f"{bron}:{line}: {len(values)} velden, verwacht {len(header)}")
            continue
        yield line, dict(zip(header, values, strict=True))


def _code(value: str, bron: str, line: int, veld: str, problems: list[str]) -> str | None:
    if _CODE.fullmatch(value):
        return value
    problems.append(f"{bron}:{line}: veld {veld!r}: {value!r} is geen gemeentecode van 4 cijfers")
    return None


def _date(
    value: str, bron: str, line: int, veld: str, problems: list[str], *, optional: bool
) -> date | None:
    if value == "" and optional:
        return None
    if _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(f"{bron}:{line}: veld {veld!r}: {value!r} is geen datum JJJJ-MM-DD")
    return None


def parse_gemeenten(text: str, bron: str = GEMEENTEN_FILE) -> list[Gemeente]:
    problems: list[str] = []
    result: list[Gemeente] = []
    seen: dict[str, int] = {}
    for line, row in _rows(text, bron, ["code", "naam", "begin", "einde"], problems):
        code = _code(row["code"], bron, line, "code", problems)
        naam = row["naam"].strip()
        if not naam:
            problems.append(f"{bron}:{line}: veld 'naam' is leeg")
        begin = _date(row["begin"], bron, line, "begin", problems, optional=True)
        einde = _date(row["einde"], bron, line, "einde", problems, optional=True)
        if begin and einde and not begin < einde:
            problems.append(f"{bron}:{line}: veld 'einde': {einde} ligt niet na begin {begin}")
        if code is not None:
            if code in seen:
                problems.append(
                    f"{bron}:{line}: veld 'code': {code} staat ook op regel {seen[code]}"
                )
            seen[code] = line
        if code and naam:
            result.append(Gemeente(code, naam, begin, einde))
    if problems:
        raise RefdataError(problems)
    return result


def parse_opvolgingen(
    text: str, gemeenten: list[Gemeente], bron: str = OPVOLGINGEN_FILE
) -> list[Opvolging]:
    """Parse the successions, checking each against the municipalities it names."""
    by_code = {g.code: g for g in gemeenten}
    problems: list[str] = []
    result: list[Opvolging] = []
    seen: dict[str, int] = {}
    for line, row in _rows(text, bron, ["code", "datum", "soort", "opvolgers", "bron"], problems):
        before = len(problems)
        code = _code(row["code"], bron, line, "code", problems)
        datum = _date(row["datum"], bron, line, "datum", problems, optional=False)
        try:
            soort = OpvolgingSoort(row["soort"])
        except ValueError:
            problems.append(
                f"{bron}:{line}: veld 'soort': {row['soort']!r} is geen "
                + " of ".join(s.value for s in OpvolgingSoort)
            )
            soort = None
        parts = row["opvolgers"].split(";") if row["opvolgers"] else []
        opvolgers = [c for c in (_code(p, bron, line, "opvolgers", problems) for p in parts) if c]
        if not parts:
            problems.append(f"{bron}:{line}: veld 'opvolgers' is leeg")
        if len(set(parts)) != len(parts):
            problems.append(f"{bron}:{line}: veld 'opvolgers' noemt een code twee keer")
        if soort is OpvolgingSoort.SAMENVOEGING and len(parts) != 1:
            problems.append(f"{bron}:{line}: veld 'opvolgers': een samenvoeging heeft één opvolger")
        if soort is OpvolgingSoort.SPLITSING and len(parts) < 2:
            problems.append(
                f"{bron}:{line}: veld 'opvolgers': een splitsing heeft meer dan één opvolger"
            )
        if code is not None:
            if code in seen:
                problems.append(
                    f"{bron}:{line}: veld 'code': {code} staat ook op regel {seen[code]}"
                )
            seen[code] = line
            g = by_code.get(code)
            if g is None:
                problems.append(
                    f"{bron}:{line}: veld 'code': {code} staat niet in {GEMEENTEN_FILE}"
                )
            elif datum is not None and g.einde != datum:
                problems.append(
                    f"{bron}:{line}: veld 'datum': {datum} is niet de einddatum van {code} ({g.einde})"
                )
        for s in opvolgers:
            g = by_code.get(s)
            if g is None:
                problems.append(
                    f"{bron}:{line}: veld 'opvolgers': {s} staat niet in {GEMEENTEN_FILE}"
                )
            elif datum is not None and not g.exists_on(datum) and g.einde != datum:
                # A successor that itself merged on the same day is a chain (Tabel 33:
                # Bingelrade -> Schinveld -> Onderbanken on 1982-01-01); it must then
                # have an opvolging of its own, which the register checks on use.
                problems.append(f"{bron}:{line}: veld 'opvolgers': {s} bestaat niet op {datum}")
        if len(problems) == before and code and datum and soort:
            result.append(Opvolging(code, datum, soort, tuple(opvolgers), row["bron"].strip()))
    if problems:
        raise RefdataError(problems)
    return result


def parse_jeugdregios(
    text: str,
    bron: str = JEUGDREGIOS_FILE,
    *,
    peildatum: date = JEUGDREGIOS_PEILDATUM,
    indeling_bron: str = JEUGDREGIOS_BRON,
) -> RegioIndeling:
    problems: list[str] = []
    members: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    header = ["gemeentecode", "gemeentenaam", "provincie", "jeugdregio"]
    for line, row in _rows(text, bron, header, problems):
        code = _code(row["gemeentecode"], bron, line, "gemeentecode", problems)
        for veld in ("gemeentenaam", "provincie", "jeugdregio"):
            if not row[veld].strip():
                problems.append(f"{bron}:{line}: veld {veld!r} is leeg")
        if code is None:
            continue
        if code in seen:
            problems.append(
                f"{bron}:{line}: veld 'gemeentecode': {code} staat ook op regel {seen[code]}"
            )
            continue
        seen[code] = line
        if row["jeugdregio"].strip():
            members.setdefault(row["jeugdregio"].strip(), []).append(code)
    if problems:
        raise RefdataError(problems)
    regios = tuple(
        Jeugdregio(naam, tuple(sorted(codes))) for naam, codes in sorted(members.items())
    )
    return RegioIndeling(peildatum=peildatum, bron=indeling_bron, regios=regios)


def parse_landen(text: str, bron: str = LANDEN_FILE) -> dict[str, str]:
    """BRP Tabel 34 (landentabel): landcode -> name, ended countries included."""
    problems: list[str] = []
    result: dict[str, str] = {}
    lines: dict[str, int] = {}
    for line, row in _rows(text, bron, ["code", "naam", "einde"], problems):
        code = row["code"]
        if not _CODE.fullmatch(code):
            problems.append(f"{bron}:{line}: veld 'code': {code!r} is geen landcode van 4 cijfers")
            continue
        naam = row["naam"].strip()
        if not naam:
            problems.append(f"{bron}:{line}: veld 'naam' is leeg")
        _date(row["einde"], bron, line, "einde", problems, optional=True)
        if code in lines:
            problems.append(f"{bron}:{line}: veld 'code': {code} staat ook op regel {lines[code]}")
        lines[code] = line
        result[code] = naam
    if problems:
        raise RefdataError(problems)
    return result


def build_register(
    gemeenten_text: str, opvolgingen_text: str, *, bron: str = GEMEENTEN_BRON,
    landen_text: str | None = None,
) -> GemeenteRegister:
    gemeenten = parse_gemeenten(gemeenten_text)
    opvolgingen = parse_opvolgingen(opvolgingen_text, gemeenten)
    texts = (gemeenten_text, opvolgingen_text) + ((landen_text,) if landen_text else ())
    return GemeenteRegister(
        gemeenten, opvolgingen, bron=bron, versie=data_version(*texts),
        landen=parse_landen(landen_text) if landen_text else None,
    )


def data_version(*texts: str) -> str:
    """A short fingerprint of the data files, carried in every decision's receipt."""
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\0")
    return "sha256:" + digest.hexdigest()[:12]


@cache
def gemeente_register() -> GemeenteRegister:
    """All municipalities since 1990 and what became of the ended ones."""
    return build_register(
        _read_text(GEMEENTEN_FILE), _read_text(OPVOLGINGEN_FILE), landen_text=_read_text(LANDEN_FILE)
    )


@cache
def proefomgeving_register() -> GemeenteRegister:
    """The register plus the fictitious municipalities of the GBA-V proefomgeving.

    Test persons of the official GBA-V test environment live in municipalities that do not
    exist (1802, 1810 Toetsoog, 1811 Snellendam). This register lets the engine run on those
    extracts; production code uses :func:`gemeente_register`, which refuses these codes.
    """
    text = _read_text(GEMEENTEN_FILE)
    extra = _read_text(PROEFOMGEVING_FILE)
    gemeenten = parse_gemeenten(text) + parse_gemeenten(extra, bron=PROEFOMGEVING_FILE)
    opvolgingen = parse_opvolgingen(_read_text(OPVOLGINGEN_FILE), gemeenten)
    return GemeenteRegister(
        gemeenten,
        opvolgingen,
        bron=GEMEENTEN_BRON + " + GBA-V proefomgeving",
        versie=data_version(text, _read_text(OPVOLGINGEN_FILE), extra, _read_text(LANDEN_FILE)),
        landen=parse_landen(_read_text(LANDEN_FILE)),
    )


@cache
def jeugdregio_indeling() -> RegioIndeling:
    """The jeugdhulpregio's as they stand on 2026-01-01."""
    return parse_jeugdregios(_read_text(JEUGDREGIOS_FILE))
