"""Read a GBA-V extract in the LO GBA layout into core facts.

Municipalities receive BRP data as GBA-V extracts: a ``;``-separated text file whose header
names each column by its LO GBA element number (see :mod:`wpb.brp.lo_gba`). A row whose
first column is filled starts a *persoonslijst*; the rows after it, with an empty first
column, belong to the same person. On the first row of a persoonslijst every category
holds its current *voorkomen* (08: the current verblijfplaats); a category's later rows
hold its history (58 for 08), most recent first. The ``CC.H`` columns of the GBA-V test
set are not used: the position of a row decides what it is.

From the verblijfplaats voorkomens this module builds the address history the rules read
(:class:`wpb.law.facts.Verblijfplaats`), the way the Haal Centraal BRP historie API does:

- a voorkomen runs from its datum aanvang adreshouding (10.30), or for an address abroad
  its datum aanvang adres buitenland (13.20), to the aanvang of the next voorkomen:
  half-open, as ``Period`` expects;
- a voorkomen marked onjuist (84.10 = O) was corrected: it is left out of the history;
- a voorkomen whose successor begins on or before its own aanvang was superseded (a
  technical change, a renumbering, a correction): the successor tells the same adreshouding
  with the newer data, so the older one is left out of the history;
- land adres buitenland 0000 (onbekend) is a ``VerblijfplaatsOnbekend``; another land, or
  gemeente 1999 (RNI), a ``VerblijfplaatsBuitenland``;
- functie adres B (10.10) marks the record a briefadres: a registration as ingezetene that
  is not a woonadres;
- onderzoek 089999/589999 is "vastgesteld verblijft niet op adres" from its datum ingang
  (83.20), unless it ended before the next voorkomen began; other onderzoek on the address
  is "in onderzoek" from 83.20 while it has not ended (83.30).

Nothing is dropped silently: every address row is in the history or listed in
``GbaExtract.skipped`` with the reason, and bad input is an error that names the line, the
element and the value (a BSN is never echoed).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path

from wpb.brp import lo_gba
from wpb.errors import FieldError, InvalidInput
from wpb.law.bsn import bsn_problem
from wpb.law.dates import PartialDate, Period
from wpb.law.facts import (
    Case,
    Gezag,
    Jeugdhulp,
    Persoon,
    Verblijfplaats,
    VerblijfplaatsSoort,
    WerkelijkeVerblijfplaats,
)
from wpb.law.gemeenten import RNI_CODE, GemeenteRegister

DELIMITER = ";"
BRON_PREFIX = "gba"


class AdresStatus(str, Enum):
    HISTORIE = "historie"  # in Persoon.historie
    ONJUIST = "onjuist"  # 84.10 = O: corrected, not part of the history
    VERVANGEN = "vervangen"  # superseded by a later voorkomen of the same adreshouding


@dataclass(frozen=True)
class Ouder:
    """A parent as the jeugdige's own persoonslijst records it (categorie 02 or 03)."""

    categorie: str  # "02" (ouder1) or "03" (ouder2)
    bsn: str | None
    geslacht: str | None  # M, V, O; None when not recorded
    regel: int


@dataclass(frozen=True)
class GbaAdres:
    """One address row of categorie 08/58 as read, and what became of it."""

    regel: int
    categorie: str  # "08" (current) or "58" (history)
    status: AdresStatus
    gemeente_code: str
    soort: VerblijfplaatsSoort
    aanvang: PartialDate
    aanvang_element: str  # the element the aanvang was taken from
    functie_adres: str | None  # W woonadres, B briefadres
    land_code: str | None
    onderzoek: str | None  # 83.10 as recorded
    verblijfplaats: Verblijfplaats | None  # the history record (status HISTORIE only)
    reden: str | None = None  # why it is not in the history
    notes: tuple[str, ...] = ()  # choices the reader made for this row

    @property
    def bron(self) -> str:
        return bron(self.regel, self.categorie)

    @property
    def is_briefadres(self) -> bool:
        return self.functie_adres == lo_gba.FUNCTIE_BRIEFADRES


@dataclass(frozen=True)
class GbaPersoon:
    label: str  # the first column: the test set's persoonslijst id
    regel: int  # the line the persoonslijst starts on
    laatste_regel: int
    bsn: str | None
    a_nummer: str | None
    geslacht: str | None
    geboortedatum: PartialDate | None
    ouders: tuple[Ouder, ...]
    adressen: tuple[GbaAdres, ...]  # every address row, most recent first
    persoon: Persoon  # the core facts: historie holds the HISTORIE rows

    def ouder(self, categorie: str) -> Ouder | None:
        return next((o for o in self.ouders if o.categorie == categorie), None)

    @property
    def ouder1(self) -> Ouder | None:
        return self.ouder("02")

    @property
    def ouder2(self) -> Ouder | None:
        return self.ouder("03")


@dataclass(frozen=True)
class SkippedRow:
    """A row (or an address row) the reader read but did not put in the history."""

    regel: int
    persoon: str | None  # label of the persoonslijst
    wat: str
    reden: str


@dataclass(frozen=True)
class RejectedRow:
    """A persoonslijst (or a stray row) refused because of bad input (``skip_invalid``)."""

    regel: int
    persoon: str | None
    errors: tuple[FieldError, ...]


@dataclass
class GbaExtract:
    bron: str
    personen: list[GbaPersoon]
    skipped: list[SkippedRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    # Values read leniently (a day without its month): each names line, element and value.
    warnings: list[FieldError] = field(default_factory=list)

    def met_bsn(self, bsn: str) -> list[GbaPersoon]:
        """Every persoonslijst with this BSN (a test set may hold one BSN twice)."""
        return [p for p in self.personen if p.bsn == bsn]

    def adressen(self) -> list[GbaAdres]:
        return [a for p in self.personen for a in p.adressen]

    def counts(self) -> dict[str, int]:
        """How much was read and where it went: for a report or the CLI."""
        adressen = self.adressen()
        by_status = {s: sum(1 for a in adressen if a.status is s) for s in AdresStatus}
        return {
            "personen": len(self.personen),
            "adresregels": len(adressen),
            "historie": by_status[AdresStatus.HISTORIE],
            "onjuist": by_status[AdresStatus.ONJUIST],
            "vervangen": by_status[AdresStatus.VERVANGEN],
            "overgeslagen": len(self.skipped),
            "afgewezen": len(self.rejected),
        }


def bron(regel: int, categorie: str) -> str:
    return f"{BRON_PREFIX}:regel {regel} ({categorie})"


# --- reading ---------------------------------------------------------------------------


class _Columns:
    """Where each element is in a row, from the header."""

    def __init__(self, header: list[str]):
        self.header = header
        self.index: dict[str, list[int]] = {}
        for i, name in enumerate(header):
            self.index.setdefault(name.strip(), []).append(i)
        # The data columns of each category (not the CC.H markers), and of categorie 08
        # the address groups.
        self.categorie: dict[str, list[int]] = {}
        self.adres: list[int] = []
        self.groep_11: list[int] = []
        for i, name in enumerate(header):
            parts = lo_gba.split_element(name.strip())
            if parts is None:
                continue
            self.categorie.setdefault(parts[0], []).append(i)
            if parts[0] != lo_gba.VERBLIJFPLAATS:
                continue
            if parts[1] in lo_gba.ADRES_GROEPEN:
                self.adres.append(i)
            if parts[1] == lo_gba.ADRES_GROEP_11:
                self.groep_11.append(i)

    def problems(self) -> list[FieldError]:
        out = []
        for element in lo_gba.REQUIRED:
            found = self.index.get(element, [])
            if not found:
                out.append(FieldError("regel 1 (kop)", f"kolom {element} ontbreekt"))
            elif len(found) > 1:
                out.append(
                    FieldError("regel 1 (kop)", f"kolom {element} komt {len(found)} keer voor")
                )
        return out

    @property
    def verblijfplaats(self) -> list[int]:
        return self.categorie.get(lo_gba.VERBLIJFPLAATS, [])

    def value(self, row: Sequence[str], element: str) -> str:
        i = self.index[element][0]
        return row[i].strip() if i < len(row) else ""


@dataclass
class _Block:
    """The rows of one persoonslijst: (line, values), and problems with their shape."""

    rows: list[tuple[int, list[str]]]
    errors: list[FieldError] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.rows[0][1][0].strip()

    @property
    def regel(self) -> int:
        return self.rows[0][0]


def read_extract(
    source: str | Path | Iterable[str], *, skip_invalid: bool = False, bron_naam: str | None = None
) -> GbaExtract:
    """Read a GBA-V extract (a path, or the lines of one) into a :class:`GbaExtract`.

    A ``str`` is a path; pass ``text.splitlines()`` to read text already in memory.

    Every problem is collected. Without ``skip_invalid`` any problem raises
    :class:`~wpb.errors.InvalidInput` listing all of them, and nothing is returned. With
    ``skip_invalid`` a persoonslijst with a problem is left out and listed in
    ``rejected`` with its problems; the rest is read.
    """
    if isinstance(source, str | Path):
        naam = bron_naam or str(source)
        text = _decode(Path(source).read_bytes(), naam)
    else:
        naam = bron_naam or "invoer"
        text = "".join(line if line.endswith(("\n", "\r")) else line + "\n" for line in source)
    text = text.removeprefix("\ufeff")

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=DELIMITER)
    header = next(reader, None)
    if header is None:
        raise InvalidInput(
            [FieldError("regel 1", "leeg bestand: de kopregel ontbreekt")], bron=naam
        )
    columns = _Columns(header)
    header_problems = columns.problems()
    if header_problems:
        raise InvalidInput(header_problems, bron=naam)

    extract = GbaExtract(bron=naam, personen=[])
    errors: list[FieldError] = []
    blocks: list[_Block] = []
    line = reader.line_num + 1
    for values in reader:
        # A quoted value may span lines: a row starts where the previous one ended.
        start, line = line, reader.line_num + 1
        if not any(v.strip() for v in values):
            continue  # a blank line carries no data
        shape = _row_shape(values, columns, start)
        if values[0].strip():
            blocks.append(_Block([(start, values)], shape))
        elif blocks:
            blocks[-1].rows.append((start, values))
            blocks[-1].errors += shape
        else:
            stray = [
                *shape,
                FieldError(
                    f"regel {start}",
                    "rij hoort bij geen persoonslijst: de eerste kolom is leeg vóór de eerste "
                    "persoonslijst",
                ),
            ]
            errors += stray
            extract.rejected.append(RejectedRow(start, None, tuple(stray)))

    for block in blocks:
        person_errors = list(block.errors)
        skipped: list[SkippedRow] = []
        warnings: list[FieldError] = []
        persoon = _read_person(block, columns, person_errors, warnings, skipped)
        if person_errors or persoon is None:
            errors += person_errors
            extract.rejected.append(RejectedRow(block.regel, block.label, tuple(person_errors)))
            continue
        extract.personen.append(persoon)
        extract.skipped += sorted(skipped, key=lambda s: s.regel)  # in file order
        extract.warnings += warnings

    if errors and not skip_invalid:
        raise InvalidInput(errors, bron=naam)
    return extract


def _decode(data: bytes, naam: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        regel = data.count(b"\n", 0, exc.start) + 1
        raise InvalidInput(
            [FieldError(f"regel {regel}", f"geen geldige UTF-8 (byte {exc.start}): {exc.reason}")],
            bron=naam,
        ) from None


def _row_shape(values: list[str], columns: _Columns, regel: int) -> list[FieldError]:
    """A row may be shorter than the header (empty trailing columns), never longer with data."""
    extra = values[len(columns.header) :]
    if any(v.strip() for v in extra):
        return [
            FieldError(
                f"regel {regel}",
                f"{len(values)} kolommen met gegevens voorbij de {len(columns.header)} "
                "kolommen van de kop (een ';' te veel?)",
            )
        ]
    return []


class _Fields:
    """Reads elements of one row, recording each problem with line and element."""

    def __init__(
        self,
        columns: _Columns,
        regel: int,
        row: list[str],
        errors: list[FieldError],
        warnings: list[FieldError],
    ):
        self.columns = columns
        self.regel = regel
        self.row = row
        self.errors = errors
        self.warnings = warnings

    def error(self, element: str, probleem: str) -> None:
        self.errors.append(FieldError(f"regel {self.regel}, {element}", probleem))

    def raw(self, element: str) -> str | None:
        value = self.columns.value(self.row, element)
        return value or None

    def datum(self, element: str) -> PartialDate | None:
        value = self.raw(element)
        if value is None:
            return None
        try:
            datum, warning = lo_gba.parse_gba_datum(value)
        except lo_gba.GbaValueError as exc:
            self.error(element, str(exc))
            return None
        if warning:
            self.warnings.append(FieldError(f"regel {self.regel}, {element}", warning))
        return datum

    def code(self, element: str, wat: str) -> str | None:
        value = self.raw(element)
        if value is None:
            return None
        if len(value) != 4 or not value.isdigit():
            self.error(element, f"{value!r} is geen {wat} (4 cijfers)")
            return None
        return value

    def one_of(self, element: str, allowed: Sequence[str]) -> str | None:
        value = self.raw(element)
        if value is None:
            return None
        if value not in allowed:
            self.error(
                element, f"{value!r} is geen geldige waarde; verwacht {' of '.join(allowed)}"
            )
            return None
        return value

    def bsn(self, element: str) -> str | None:
        value = self.raw(element)
        if value is None:
            return None
        problem = bsn_problem(value)
        if problem:
            # Never echo the value: it may be a real BSN with a typo.
            self.error(element, f"burgerservicenummer {problem}")
            return None
        return value


def _read_person(
    block: _Block,
    columns: _Columns,
    errors: list[FieldError],
    warnings: list[FieldError],
    skipped: list[SkippedRow],
) -> GbaPersoon | None:
    first_line, first = block.rows[0]
    f = _Fields(columns, first_line, first, errors, warnings)
    bsn = f.bsn(lo_gba.BSN)
    a_nummer = f.raw(lo_gba.A_NUMMER) if lo_gba.A_NUMMER in columns.index else None
    geboortedatum = f.datum(lo_gba.GEBOORTEDATUM)
    geslacht = (
        f.one_of(lo_gba.GESLACHT, lo_gba.GESLACHTEN) if lo_gba.GESLACHT in columns.index else None
    )

    ouders = []
    for categorie in lo_gba.OUDER_CATEGORIEEN:
        if not any(
            first[i].strip() for i in columns.categorie.get(categorie, []) if i < len(first)
        ):
            continue
        ouders.append(
            Ouder(
                categorie=categorie,
                bsn=f.bsn(lo_gba.ouder_element(categorie, lo_gba.OUDER_BSN)),
                geslacht=f.one_of(
                    lo_gba.ouder_element(categorie, lo_gba.OUDER_GESLACHT), lo_gba.GESLACHTEN
                ),
                regel=first_line,
            )
        )

    adressen = _read_addresses(block, columns, errors, warnings, skipped)
    if errors:
        return None
    historie = tuple(a.verblijfplaats for a in reversed(adressen) if a.verblijfplaats is not None)
    persoon = Persoon(
        bron=bron(first_line, "01"),
        geboortedatum=geboortedatum,
        historie=historie,
        burgerservicenummer=bsn,
    )
    return GbaPersoon(
        label=block.label,
        regel=first_line,
        laatste_regel=block.rows[-1][0],
        bsn=bsn,
        a_nummer=a_nummer,
        geslacht=geslacht,
        geboortedatum=geboortedatum,
        ouders=tuple(ouders),
        adressen=tuple(adressen),
        persoon=persoon,
    )


@dataclass
class _Row:
    """An address row with its fields parsed, before periods are known."""

    regel: int
    categorie: str
    gemeente: str
    soort: VerblijfplaatsSoort
    aanvang: PartialDate
    aanvang_element: str
    functie: str | None
    land: str | None
    onjuist: bool
    onderzoek: lo_gba.Onderzoek | None
    onderzoek_begin: PartialDate | None
    onderzoek_einde: PartialDate | None
    notes: list[str]


def _read_addresses(
    block: _Block,
    columns: _Columns,
    errors: list[FieldError],
    warnings: list[FieldError],
    skipped: list[SkippedRow],
) -> list[GbaAdres]:
    rows: list[_Row] = []
    seen_address = False
    for position, (regel, values) in enumerate(block.rows):
        if not values or not any(
            values[i].strip() for i in columns.verblijfplaats if i < len(values)
        ):
            continue
        categorie = lo_gba.VERBLIJFPLAATS if position == 0 else lo_gba.VERBLIJFPLAATS_HISTORIE
        if not any(values[i].strip() for i in columns.adres if i < len(values)):
            filled = [
                columns.header[i]
                for i in columns.verblijfplaats
                if i < len(values) and values[i].strip()
            ]
            skipped.append(
                SkippedRow(
                    regel,
                    block.label,
                    f"categorie {categorie} zonder adresgegevens",
                    "geen gemeente, adres, adreshouding of adres buitenland; alleen "
                    + ", ".join(filled),
                )
            )
            continue
        if position != 0 and not seen_address:
            errors.append(
                FieldError(
                    f"regel {block.regel}, {lo_gba.GEMEENTE_VAN_INSCHRIJVING}",
                    "de actuele verblijfplaats (categorie 08) ontbreekt op de eerste regel van de "
                    f"persoonslijst, terwijl regel {regel} historie (58) heeft",
                )
            )
        seen_address = True
        row = _read_address_row(_Fields(columns, regel, values, errors, warnings), categorie)
        if row is not None:
            rows.append(row)
    return _periods(rows, block.label, skipped)


def _read_address_row(f: _Fields, categorie: str) -> _Row | None:
    columns, regel, values, errors = f.columns, f.regel, f.row, f.errors
    before = len(errors)
    gemeente = f.code(lo_gba.GEMEENTE_VAN_INSCHRIJVING, "gemeentecode")
    if gemeente is None and f.raw(lo_gba.GEMEENTE_VAN_INSCHRIJVING) is None:
        f.error(lo_gba.GEMEENTE_VAN_INSCHRIJVING, "ontbreekt bij een verblijfplaats")
    functie = f.one_of(lo_gba.FUNCTIE_ADRES, (lo_gba.FUNCTIE_WOONADRES, lo_gba.FUNCTIE_BRIEFADRES))
    land = f.code(lo_gba.LAND_ADRES_BUITENLAND, "landcode")
    aanvang_adres = f.datum(lo_gba.DATUM_AANVANG_ADRESHOUDING)
    aanvang_buitenland = f.datum(lo_gba.DATUM_AANVANG_ADRES_BUITENLAND)
    geldigheid = f.datum(lo_gba.INGANGSDATUM_GELDIGHEID)
    onjuist = f.one_of(lo_gba.INDICATIE_ONJUIST, (lo_gba.ONJUIST,)) is not None
    onderzoek = None
    if (code := f.raw(lo_gba.AANDUIDING_IN_ONDERZOEK)) is not None:
        try:
            onderzoek = lo_gba.parse_onderzoek(code)
        except lo_gba.GbaValueError as exc:
            f.error(lo_gba.AANDUIDING_IN_ONDERZOEK, str(exc))
    onderzoek_begin = f.datum(lo_gba.DATUM_INGANG_ONDERZOEK)
    onderzoek_einde = f.datum(lo_gba.DATUM_EINDE_ONDERZOEK)
    if onderzoek is None and (onderzoek_begin or onderzoek_einde) and len(errors) == before:
        f.error(lo_gba.AANDUIDING_IN_ONDERZOEK, "ontbreekt terwijl 83.20/83.30 gevuld zijn")
    if len(errors) > before or gemeente is None:
        return None

    notes: list[str] = []
    # What kind of verblijfplaats (Haal Centraal's four types).
    if land == lo_gba.LAND_ONBEKEND:
        soort = VerblijfplaatsSoort.ONBEKEND
    elif land is not None or gemeente == RNI_CODE:
        soort = VerblijfplaatsSoort.BUITENLAND
    elif any(values[i].strip() for i in columns.groep_11 if i < len(values)):
        soort = VerblijfplaatsSoort.ADRES
    elif f.raw(lo_gba.LOCATIEBESCHRIJVING) is not None:
        soort = VerblijfplaatsSoort.LOCATIE
    else:
        soort = VerblijfplaatsSoort.ADRES
        notes.append("alleen gemeente van inschrijving, geen adres: als Adres gelezen")

    # When it began: the aanvang of the adreshouding (or of the address abroad). Old,
    # converted voorkomens sometimes lack it; the ingangsdatum geldigheid (85.10) is then
    # the first day the voorkomen applied.
    abroad = soort in (VerblijfplaatsSoort.BUITENLAND, VerblijfplaatsSoort.ONBEKEND)
    order = (
        [
            (aanvang_buitenland, lo_gba.DATUM_AANVANG_ADRES_BUITENLAND),
            (aanvang_adres, lo_gba.DATUM_AANVANG_ADRESHOUDING),
        ]
        if abroad
        else [
            (aanvang_adres, lo_gba.DATUM_AANVANG_ADRESHOUDING),
            (aanvang_buitenland, lo_gba.DATUM_AANVANG_ADRES_BUITENLAND),
        ]
    )
    order.append((geldigheid, lo_gba.INGANGSDATUM_GELDIGHEID))
    aanvang, element = next(((d, e) for d, e in order if d is not None), (None, ""))
    if aanvang is None:
        aanvang, element = PartialDate.unknown(), ""
        notes.append("geen datum aanvang en geen ingangsdatum geldigheid: aanvang onbekend")
    elif element != order[0][1]:
        notes.append(f"{order[0][1]} ontbreekt: aanvang uit {element}")
    return _Row(
        regel,
        categorie,
        gemeente,
        soort,
        aanvang,
        element,
        functie,
        land,
        onjuist,
        onderzoek,
        onderzoek_begin,
        onderzoek_einde,
        notes,
    )


def _periods(rows: list[_Row], label: str, skipped: list[SkippedRow]) -> list[GbaAdres]:
    """Give each voorkomen its period, most recent first; leave out onjuist and superseded."""
    out: list[GbaAdres] = []
    successor: _Row | None = None  # the next voorkomen in time that is in the history
    for row in rows:
        if row.onjuist:
            reden = "indicatie onjuist (84.10 = O): dit voorkomen is gecorrigeerd"
            out.append(_adres(row, AdresStatus.ONJUIST, None, reden))
            skipped.append(SkippedRow(row.regel, label, f"verblijfplaats ({row.categorie})", reden))
            continue
        tot = successor.aanvang if successor else None
        if tot is not None and (tot == row.aanvang or tot.latest <= row.aanvang.earliest):
            reden = (
                f"vervangen door regel {successor.regel}: dat voorkomen begint op of vóór de "
                f"aanvang van dit voorkomen ({row.aanvang.isoformat()}), dus het beschrijft "
                "dezelfde adreshouding met nieuwere gegevens"
            )
            out.append(_adres(row, AdresStatus.VERVANGEN, None, reden))
            skipped.append(SkippedRow(row.regel, label, f"verblijfplaats ({row.categorie})", reden))
            continue
        record = _record(row, tot)
        out.append(_adres(row, AdresStatus.HISTORIE, record, None))
        successor = row
    return out


def _adres(
    row: _Row, status: AdresStatus, record: Verblijfplaats | None, reden: str | None
) -> GbaAdres:
    return GbaAdres(
        regel=row.regel,
        categorie=row.categorie,
        status=status,
        gemeente_code=row.gemeente,
        soort=row.soort,
        aanvang=row.aanvang,
        aanvang_element=row.aanvang_element,
        functie_adres=row.functie,
        land_code=row.land,
        onderzoek=row.onderzoek.code if row.onderzoek else None,
        verblijfplaats=record,
        reden=reden,
        notes=tuple(row.notes),
    )


def _record(row: _Row, tot: PartialDate | None) -> Verblijfplaats:
    """The history record, with the aantekening its onderzoek amounts to (art. 2.26 Wet BRP)."""
    in_onderzoek = False
    onderzoek_vanaf = None
    niet_op_adres = False
    niet_op_adres_vanaf = None
    o = row.onderzoek
    if o is not None and o.vastgesteld_niet_op_adres:
        einde = row.onderzoek_einde
        # Haal Centraal: an ended 089999 still counts when it ended on or after the next
        # voorkomen began (closed administratively, not resolved); it does not when it
        # ended before that, or on the current voorkomen.
        if einde is None or (tot is not None and not einde.latest < tot.earliest):
            niet_op_adres, niet_op_adres_vanaf = True, row.onderzoek_begin
        else:
            row.notes.append(
                f"onderzoek {o.code} beëindigd op {einde.isoformat()}: geen aantekening"
            )
    elif o is not None and o.raakt_adres:
        if row.onderzoek_einde is None:
            in_onderzoek, onderzoek_vanaf = True, row.onderzoek_begin
        else:
            einde = row.onderzoek_einde.isoformat()
            row.notes.append(f"onderzoek {o.code} beëindigd op {einde}: geen aantekening")
    elif o is not None:
        row.notes.append(
            f"onderzoek {o.code} betreft niet het adres (groep {o.groep}): geen aantekening"
        )
    return Verblijfplaats(
        bron=bron(row.regel, row.categorie),
        soort=row.soort,
        periode=Period(row.aanvang, tot),
        gemeente_code=row.gemeente,
        land_code=row.land,
        in_onderzoek=in_onderzoek,
        onderzoek_vanaf=onderzoek_vanaf,
        vastgesteld_niet_op_adres=niet_op_adres,
        niet_op_adres_vanaf=niet_op_adres_vanaf,
        # Functie adres B: a briefadres is not a woonadres (Wet BRP art. 1.1 onder o).
        briefadres=row.functie == lo_gba.FUNCTIE_BRIEFADRES,
    )


# --- cases -----------------------------------------------------------------------------


class OnbekendeGemeentecode(InvalidInput):
    """A record the rules can read has a gemeentecode the register does not know."""

    def __init__(self, errors: list[FieldError], codes: Sequence[str], bron: str):
        self.codes = tuple(codes)  # the unknown codes, sorted
        super().__init__(errors, bron=bron)


class PersoonNietGevonden(LookupError):
    """No single persoonslijst answers to the BSN asked for (the BSN itself is not shown)."""


@dataclass(frozen=True)
class Moeder:
    """The outcome of looking for the mother: the persoonslijst, or why there is none."""

    persoon: GbaPersoon | None
    ouder: Ouder | None
    reden: str


def moeder_van(extract: GbaExtract, kind: GbaPersoon) -> Moeder:
    """The mother: the female parent (geslacht V in categorie 02/03) whose BSN is in the extract.

    The LO GBA records each parent's geslachtsaanduiding but not who gave birth. With
    exactly one female parent that parent is the mother. With two female parents, or with
    no parent recorded as female (O: onbekend), the extract cannot say who the mother is
    and none is chosen: sub 3° then falls back to the werkelijke verblijfplaats.
    """
    vrouwen = [o for o in kind.ouders if o.geslacht == lo_gba.VROUW]
    if not vrouwen:
        if any(o.geslacht in (None, "O") for o in kind.ouders):
            return Moeder(
                None, None, "geen ouder met geslacht V; van een ouder is het geslacht onbekend"
            )
        return Moeder(None, None, "geen ouder met geslacht V op de persoonslijst")
    if len(vrouwen) > 1:
        return Moeder(
            None,
            None,
            "twee ouders met geslacht V: de persoonslijst legt niet vast wie de jeugdige baarde",
        )
    ouder = vrouwen[0]
    if ouder.bsn is None:
        return Moeder(None, ouder, "de moeder heeft geen BSN op de persoonslijst van de jeugdige")
    matches = extract.met_bsn(ouder.bsn)
    if not matches:
        return Moeder(None, ouder, "de persoonslijst van de moeder staat niet in het extract")
    if len(matches) > 1:
        regels = ", ".join(str(m.regel) for m in matches)
        return Moeder(
            None,
            ouder,
            f"het BSN van de moeder staat op {len(matches)} persoonslijsten (regels {regels})",
        )
    moeder = matches[0]
    if moeder.geslacht not in (None, lo_gba.VROUW):
        return Moeder(
            None,
            ouder,
            f"de persoonslijst met het BSN van de moeder (regel {moeder.regel}) heeft geslacht "
            f"{moeder.geslacht}",
        )
    return Moeder(
        moeder, ouder, f"moeder: ouder {ouder.categorie} (persoonslijst regel {moeder.regel})"
    )


def persoon_met_bsn(extract: GbaExtract, bsn: str) -> GbaPersoon:
    matches = extract.met_bsn(bsn)
    if len(matches) != 1:
        wat = "geen persoonslijst" if not matches else f"{len(matches)} persoonslijsten"
        raise PersoonNietGevonden(f"{extract.bron}: {wat} met het gevraagde BSN")
    return matches[0]


def case_for(
    extract: GbaExtract,
    jeugdige: GbaPersoon | str,
    peildatum: date,
    *,
    jeugdhulp: Iterable[Jeugdhulp] = (),
    werkelijke_verblijfplaats: WerkelijkeVerblijfplaats | None = None,
    gezag: Gezag | None = None,
    register: GemeenteRegister | None = None,
) -> Case:
    """The case of one person as a youth: ambulant unless ``jeugdhulp`` says otherwise.

    ``jeugdige`` is a persoonslijst of the extract or a BSN that names exactly one. The
    mother is found with :func:`moeder_van`. With a ``register`` the gemeentecodes the rules
    can read are checked, as the case JSON reader does: those of the youth's history and of
    the mother's registration around the youth's birth. An unknown code raises
    :class:`OnbekendeGemeentecode` (an :class:`InvalidInput`) naming the record, instead of
    failing inside the rules.
    """
    kind = persoon_met_bsn(extract, jeugdige) if isinstance(jeugdige, str) else jeugdige
    moeder = moeder_van(extract, kind).persoon
    if register is not None:
        # The rules read the youth's own history, and of the mother only her registration
        # at the youth's birth (3°): her older and later addresses are not checked.
        records = list(kind.persoon.historie)
        if moeder is not None:
            birth = kind.geboortedatum
            records += [
                r
                for r in moeder.persoon.historie
                if birth is None or r.periode.possibly_overlaps(birth.earliest, birth.latest)
            ]
        unknown = [
            r for r in records if r.gemeente_code is not None and r.gemeente_code not in register
        ]
        if unknown:
            raise OnbekendeGemeentecode(
                [
                    FieldError(
                        f"{r.bron}, {lo_gba.GEMEENTE_VAN_INSCHRIJVING}",
                        f"onbekende gemeentecode {r.gemeente_code!r} (niet in de gemeentetabel)",
                    )
                    for r in unknown
                ],
                sorted({r.gemeente_code for r in unknown}),
                bron=f"{extract.bron} (persoonslijst regel {kind.regel})",
            )
    return Case(
        peildatum=peildatum,
        jeugdige=kind.persoon,
        moeder=moeder.persoon if moeder else None,
        jeugdhulp=tuple(jeugdhulp),
        werkelijke_verblijfplaats=werkelijke_verblijfplaats,
        gezag=gezag,
    )


def briefadressen(persoon: GbaPersoon) -> tuple[str, ...]:
    """The ``bron`` of each history record that is a briefadres (functie adres B).

    A briefadres is not a woonadres (Wet BRP art. 1.1 onder o). The history records carry
    it as ``Verblijfplaats.briefadres``; this lists them for callers that want the rows
    (the Wmo beschermd wonen case has ``briefadressen``).
    """
    return tuple(
        a.bron for a in persoon.adressen if a.status is AdresStatus.HISTORIE and a.is_briefadres
    )


def unknown_gemeenten(extract: GbaExtract, register: GemeenteRegister) -> dict[str, list[str]]:
    """Every gemeentecode of an address row that the register does not know, with its rows."""
    found: dict[str, list[str]] = {}
    for adres in extract.adressen():
        if adres.gemeente_code not in register:
            found.setdefault(adres.gemeente_code, []).append(adres.bron)
    return dict(sorted(found.items()))


__all__ = [
    "AdresStatus",
    "GbaAdres",
    "GbaExtract",
    "GbaPersoon",
    "Moeder",
    "OnbekendeGemeentecode",
    "Ouder",
    "PersoonNietGevonden",
    "RejectedRow",
    "SkippedRow",
    "briefadressen",
    "case_for",
    "moeder_van",
    "persoon_met_bsn",
    "read_extract",
    "unknown_gemeenten",
]
