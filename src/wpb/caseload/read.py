"""Rows of a caseload export to toewijzingen, every bad row named.

Columns (the header names them, in any order; case and spaces do not matter):
``bsn``, ``geboortedatum``, ``aanbieder_agb``, ``productcategorie`` (JZ020), ``productcode``,
``begindatum``, ``einddatum`` (inclusive; empty while it runs), and optionally ``verblijf``
(``ja``/``nee``), ``wet`` (``jeugdwet``, the default, or ``wmo-bw``), ``vorm``,
``verblijf_sinds``, ``aanmeldgemeente``, ``aanmelddatum``, ``indicatie_begin`` and
``toewijzingnummer``. Dates are ``JJJJ-MM-DD`` (XLSX date cells too).

Without ``verblijf`` the product category decides (:mod:`wpb.law.verblijf_categorie`); a
category that does not settle it is an error on that row. A problem is a :class:`RijFout`
(line, column, reason) and never shows a full BSN. :func:`bevestig` keeps the rows only when
every row is valid, or when the caller confirms keeping the valid ones.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from wpb.caseload import table
from wpb.caseload.model import JEUGDWET, VORMEN, WETTEN, WMO_BW, Toewijzing, mask_bsn
from wpb.frozen import maker
from wpb.ijw.codelists import codelijst
from wpb.law.bsn import bsn_problem, is_valid_bsn
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.verblijf_categorie import verblijf_volgens_categorie

VERPLICHT = ("bsn", "geboortedatum", "aanbieder_agb", "productcategorie", "productcode",
             "begindatum", "einddatum")
OPTIONEEL = ("verblijf", "wet", "vorm", "verblijf_sinds", "aanmeldgemeente", "aanmelddatum",
             "indicatie_begin", "toewijzingnummer")
_AGB = re.compile(r"[0-9]{8}")
_NEGEN_CIJFERS = re.compile(r"[0-9]{9}")
_GEMEENTECODE = re.compile(r"[0-9]{4}")
MIN_JAAR = 1900


@dataclass(frozen=True)
class RijFout:
    regel: int | None  # None: the file as a whole (e.g. its header)
    kolom: str | None
    reden: str

    def __str__(self) -> str:
        where = ", ".join(p for p in (
            f"regel {self.regel}" if self.regel is not None else "bestand",
            f"kolom {self.kolom}" if self.kolom else None,
        ) if p)
        return f"{where}: {self.reden}"

    def to_json(self) -> dict:
        return {"regel": self.regel, "kolom": self.kolom, "reden": self.reden}


@dataclass(frozen=True)
class Inlezing:
    bron: str
    toewijzingen: tuple[Toewijzing, ...]  # the valid rows
    fouten: tuple[RijFout, ...]
    regels: int  # data rows read (valid or not)
    onleesbaar: bool = False  # the file as a whole is wrong (header, size): no row is kept

    @property
    def foute_regels(self) -> tuple[int, ...]:
        return tuple(sorted({f.regel for f in self.fouten if f.regel is not None}))

    @property
    def aantal_fout(self) -> int:
        """Rows (or messages) with a problem."""
        return len(self.foute_regels) + len({f.kolom for f in self.fouten if f.regel is None})


class OngeldigeInvoer(ValueError):
    """Rows are bad and keeping only the valid ones was not confirmed: nothing is kept."""

    def __init__(self, inlezing: Inlezing):
        self.inlezing = inlezing
        super().__init__(
            f"{inlezing.bron}: {inlezing.aantal_fout} van {inlezing.regels} regels "
            "ongeldig; er is niets bewaard"
        )


def bevestig(inlezing: Inlezing, *, alleen_geldige: bool = False) -> tuple[Toewijzing, ...]:
    """The toewijzingen to keep: all when valid; the valid ones only when confirmed."""
    if inlezing.onleesbaar:
        raise OngeldigeInvoer(inlezing)  # a file-level problem: no row can be trusted
    if inlezing.fouten and not alleen_geldige:
        raise OngeldigeInvoer(inlezing)
    return inlezing.toewijzingen


def read_file(path: Path, register: GemeenteRegister, *, max_rows: int = table.MAX_ROWS) -> Inlezing:
    return read_content(path.read_bytes(), path.name, register, max_rows=max_rows)


def read_content(data: bytes, naam: str, register: GemeenteRegister, *,
               max_rows: int = table.MAX_ROWS) -> Inlezing:
    try:
        return read_rows(table.rows(data, naam, max_rows=max_rows), naam, register)
    except table.BestandFout as exc:
        return Inlezing(naam, (), (RijFout(None, None, exc.reden),), 0, onleesbaar=True)


def _column_name(value: Any) -> str:
    text = "" if value is None else str(value)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9_]", "", text.strip().lower().replace(" ", "_").replace("-", "_"))


def read_rows(rows: Iterable[tuple[int, list[Any]]], naam: str,
               register: GemeenteRegister) -> Inlezing:
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return Inlezing(naam, (), (RijFout(None, None, "leeg bestand: de kopregel ontbreekt"),), 0,
                        onleesbaar=True)
    header = [_column_name(v) for v in first[1]]
    while header and header[-1] == "":
        header.pop()
    missing = [c for c in VERPLICHT if c not in header]
    unknown = [c for c in header if c and c not in VERPLICHT + OPTIONEEL]
    doubled = sorted({c for c in header if c and header.count(c) > 1})
    problems = [RijFout(None, c, "kolom ontbreekt") for c in missing]
    problems += [RijFout(None, c, "onbekende kolom; toegestaan: " + ", ".join(VERPLICHT + OPTIONEEL))
                 for c in unknown]
    problems += [RijFout(None, c, "kolom staat er meer dan eens") for c in doubled]
    if problems:
        return Inlezing(naam, (), tuple(problems), 0, onleesbaar=True)

    reader = _RowReader(register)
    plain = _PlainRow.of(header, reader)
    kept: list[Toewijzing] = []
    seen: dict[tuple, int] = {}
    count = 0
    for line, values in iterator:
        count += 1
        if len(values) > len(header) and any(
            v not in (None, "") for v in values[len(header):]
        ):
            reader.fouten.append(RijFout(line, None, "meer waarden dan kolommen in de kopregel"))
            continue
        t = plain.row(line, values) if plain is not None else None
        if t is None:  # not certainly valid: every check, with its errors
            cells = {c: values[i] if i < len(values) else None for i, c in enumerate(header) if c}
            t = reader.row(line, cells)
        if t is None:
            continue
        earlier = seen.get(t.sleutel)
        if earlier is not None:
            kolom = "toewijzingnummer" if t.toewijzingnummer else None
            reader.fouten.append(RijFout(line, kolom, f"dezelfde toewijzing als regel {earlier}"))
            continue
        seen[t.sleutel] = line
        kept.append(t)
    return Inlezing(naam, tuple(kept), tuple(reader.fouten), count)


def _toon(value: str) -> str:
    """A value to show in a message: any nine digits (perhaps a BSN in the wrong column) masked."""
    return _NEGEN_CIJFERS.sub(lambda m: mask_bsn(m.group()), value)


class _RowReader:
    def __init__(self, register: GemeenteRegister):
        self.register = register
        self.fouten: list[RijFout] = []
        self.jz020 = codelijst("JZ020")

    def row(self, line: int, cells: dict[str, Any]) -> Toewijzing | None:
        before = len(self.fouten)
        f = _Fields(line, cells, self.fouten)
        bsn = f.text("bsn")
        if bsn is None:
            f.error("bsn", "ontbreekt")
        else:
            problem = bsn_problem(bsn)
            if problem:
                shown = mask_bsn(bsn) if bsn.isascii() and bsn.isdigit() else "de waarde"
                f.error("bsn", f"{shown} {problem}")
        geboortedatum = f.datum("geboortedatum", required=True)
        agb = f.text("aanbieder_agb")
        if agb is None:
            f.error("aanbieder_agb", "ontbreekt")
        elif not _AGB.fullmatch(agb):
            f.error("aanbieder_agb", f"{_toon(agb)!r} is geen AGB-code van 8 cijfers")
        wet = (f.text("wet") or JEUGDWET).lower()
        if wet not in WETTEN:
            f.error("wet", f"{_toon(wet)!r}: verwacht {' of '.join(WETTEN)}")
        categorie = f.text("productcategorie")
        if categorie is not None and categorie.isdigit() and len(categorie) == 1:
            categorie = "0" + categorie
        if categorie is None:
            if wet != WMO_BW:
                f.error("productcategorie", "ontbreekt (JZ020-code)")
        elif wet != WMO_BW and categorie not in self.jz020:
            f.error("productcategorie", f"{_toon(categorie)!r} staat niet in JZ020")
        productcode = f.text("productcode")
        begin = f.datum("begindatum", required=True)
        einde = f.datum("einddatum")
        if begin and einde and einde < begin:
            f.error("einddatum", f"{einde} ligt vóór begindatum {begin}")
        if geboortedatum and begin and begin < geboortedatum:
            f.error("begindatum", f"{begin} ligt vóór de geboortedatum")
        verblijf_tekst = (f.text("verblijf") or "").lower()
        verblijf: bool | None
        uit_categorie = False
        if verblijf_tekst in ("ja", "nee"):
            verblijf = verblijf_tekst == "ja"
        elif verblijf_tekst:
            f.error("verblijf", f"{_toon(verblijf_tekst)!r}: verwacht ja of nee")
            verblijf = None
        elif wet == WMO_BW:
            verblijf = True  # beschermd wonen is a stay by its nature
        else:
            verblijf = verblijf_volgens_categorie(categorie) if categorie else None
            uit_categorie = True
            if verblijf is None and categorie in self.jz020:
                f.error("verblijf", f"productcategorie {categorie} zegt niet of er verblijf is; "
                        "vul ja of nee in")
        vorm = f.text("vorm")
        if vorm is not None and vorm.lower() not in VORMEN:
            f.error("vorm", f"{_toon(vorm)!r}: verwacht een van {', '.join(VORMEN)}")
        verblijf_sinds = f.datum("verblijf_sinds")
        if verblijf_sinds and begin and verblijf_sinds > begin:
            f.error("verblijf_sinds", f"{verblijf_sinds} ligt na de begindatum {begin}")
        if verblijf_sinds and verblijf is False:
            f.error("verblijf_sinds", "alleen bij een toewijzing met verblijf")
        aanmeldgemeente = f.text("aanmeldgemeente")
        if aanmeldgemeente is not None:
            if aanmeldgemeente.isdigit() and len(aanmeldgemeente) < 4:
                aanmeldgemeente = aanmeldgemeente.zfill(4)
            if not _GEMEENTECODE.fullmatch(aanmeldgemeente) or aanmeldgemeente not in self.register:
                f.error("aanmeldgemeente", f"{_toon(aanmeldgemeente)!r} is geen bekende gemeentecode")
        aanmelddatum = f.datum("aanmelddatum")
        indicatie_begin = f.datum("indicatie_begin")
        if wet != WMO_BW:
            for kolom in ("aanmeldgemeente", "aanmelddatum", "indicatie_begin"):
                if f.text(kolom) is not None:
                    f.error(kolom, "alleen voor wet wmo-bw")
        nummer = f.text("toewijzingnummer")
        if len(self.fouten) > before:
            return None
        assert bsn and geboortedatum and agb and begin and verblijf is not None
        return Toewijzing(
            bron=f"regel {line}", bsn=bsn, geboortedatum=geboortedatum, aanbieder_agb=agb,
            productcategorie=categorie, productcode=productcode, begindatum=begin,
            einddatum=einde, verblijf=verblijf, verblijf_uit_categorie=uit_categorie, wet=wet,
            vorm=vorm.lower() if vorm else None, verblijf_sinds=verblijf_sinds,
            aanmeldgemeente=aanmeldgemeente, aanmelddatum=aanmelddatum,
            indicatie_begin=indicatie_begin, toewijzingnummer=nummer,
        )


_toewijzing = maker(Toewijzing)


class _PlainRow:
    """The valid Jeugdwet row of a CSV export without the Wmo or ``verblijf_sinds`` columns
    filled, read by column position: most rows of a large caseload. A row it is not certain
    of (any value that a check of :meth:`_RowReader.row` could refuse, a spreadsheet's
    number or date cell, a short row) is left to that method, which names every error; a
    row it reads gives the same toewijzing (``tests/caseload/test_plain_rows.py``)."""

    _EMPTY = ("aanmeldgemeente", "aanmelddatum", "indicatie_begin", "verblijf_sinds")
    _OPTIONAL = ("wet", "verblijf", "vorm", "toewijzingnummer")

    def __init__(self, at: dict[str, int], width: int, reader: _RowReader):
        self.width = width
        self.named = tuple(at.values())  # every named column: a text cell each
        self.required = tuple(at[c] for c in VERPLICHT)
        self.optional = tuple(at.get(c) for c in self._OPTIONAL)
        self.empty = tuple(at[c] for c in self._EMPTY if c in at)
        self.jz020 = reader.jz020
        self.dates: dict[str, date] = {}  # a valid date's text, read once (days repeat)

    @classmethod
    def of(cls, header: list[str], reader: _RowReader) -> _PlainRow | None:
        at = {c: i for i, c in enumerate(header) if c}
        if len(at) != len([c for c in header if c]) or any(c not in at for c in VERPLICHT):
            return None
        return cls(at, len(header), reader)

    def _date(self, text: str) -> date | None:
        found = self.dates.get(text)
        if found is None:
            try:
                found = date.fromisoformat(text)
            except ValueError:
                return None
            if found.year < MIN_JAAR:
                return None
            if len(self.dates) > 100_000:
                self.dates.clear()
            self.dates[text] = found
        return found

    def row(self, line: int, values: list[Any]) -> Toewijzing | None:
        if len(values) < self.width:
            return None
        for i in self.named:
            if type(values[i]) is not str:
                return None
        for i in self.empty:
            if values[i].strip():
                return None
        bsn, geboren, agb, categorie, productcode, begin, einde = [
            values[i].strip() or None for i in self.required]
        wet, verblijf_tekst, vorm, nummer = [
            None if i is None else values[i].strip() or None for i in self.optional]
        if bsn is None or not is_valid_bsn(bsn) or agb is None or not _AGB.fullmatch(agb):
            return None
        wet = (wet or JEUGDWET).lower()
        if wet != JEUGDWET or categorie is None:
            return None
        if categorie.isdigit() and len(categorie) == 1:
            categorie = "0" + categorie
        if categorie not in self.jz020:
            return None
        if geboren is None or begin is None:
            return None
        geboortedatum, begindatum = self._date(geboren), self._date(begin)
        if geboortedatum is None or begindatum is None or begindatum < geboortedatum:
            return None
        einddatum = None
        if einde is not None:
            einddatum = self._date(einde)
            if einddatum is None or einddatum < begindatum:
                return None
        verblijf_tekst = (verblijf_tekst or "").lower()
        if verblijf_tekst in ("ja", "nee"):
            verblijf, uit_categorie = verblijf_tekst == "ja", False
        elif verblijf_tekst:
            return None
        else:
            verblijf, uit_categorie = verblijf_volgens_categorie(categorie), True
            if verblijf is None:
                return None
        if vorm is not None:
            vorm = vorm.lower()
            if vorm not in VORMEN:
                return None
        return _toewijzing(
            bron=f"regel {line}", bsn=bsn, geboortedatum=geboortedatum, aanbieder_agb=agb,
            productcategorie=categorie, productcode=productcode, begindatum=begindatum,
            einddatum=einddatum, verblijf=verblijf, verblijf_uit_categorie=uit_categorie,
            wet=wet, vorm=vorm, toewijzingnummer=nummer,
        )


class _Fields:
    def __init__(self, line: int, cells: dict[str, Any], fouten: list[RijFout]):
        self.line = line
        self.cells = cells
        self.fouten = fouten

    def error(self, kolom: str, reden: str) -> None:
        self.fouten.append(RijFout(self.line, kolom, reden))

    def text(self, kolom: str) -> str | None:
        value = self.cells.get(kolom)
        if value is None:
            return None
        if type(value) is str:  # a CSV cell (the common case)
            return value.strip() or None
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a number cell: 43.0 is 43
        text = str(value).strip()
        return text or None

    def datum(self, kolom: str, *, required: bool = False) -> date | None:
        value = self.cells.get(kolom)
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            parsed = value
        else:
            text = self.text(kolom)
            if text is None:
                if required:
                    self.error(kolom, "ontbreekt")
                return None
            try:
                parsed = date.fromisoformat(text)
            except ValueError:
                self.error(kolom, f"{_toon(text[:20])!r} is geen datum (JJJJ-MM-DD)")
                return None
        if parsed.year < MIN_JAAR:
            self.error(kolom, f"jaar {parsed.year} is geen plausibel jaar")
            return None
        return parsed
