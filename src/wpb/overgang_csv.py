"""Adapter: a file of transfers (CSV or XLSX) read into the core's :class:`Overdracht` values.

Columns (any order, header on the first line): ``id, latende_gemeente,
ontvangende_gemeente, aanleverdatum, afwijzingsdatum, afgerond_datum``; an empty date
cell means "none". Dates are JJJJ-MM-DD (or DD-MM-JJJJ, as Dutch spreadsheets write them;
the four-digit year makes it unambiguous). A CSV may use ``,`` or ``;`` as separator (Dutch
Excel writes ``;``) and may start with a byte order mark.

The whole file is read before anything is answered: every problem is reported with its
line, its column and the reason, and nothing is dropped silently. The caller decides
whether a partly valid file is answered at all.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from wpb.law.gemeenten import GemeenteRegister
from wpb.law.overgang import (
    FACTSHEET,
    OngeldigeOverdracht,
    Overdracht,
    Termijnen,
    controleer_gemeenten,
)
from wpb.verrekening import tabel

KOLOMMEN = (
    "id",
    "latende_gemeente",
    "ontvangende_gemeente",
    "aanleverdatum",
    "afwijzingsdatum",
    "afgerond_datum",
)
_VERPLICHT = {"id", "latende_gemeente", "ontvangende_gemeente", "aanleverdatum"}
_DATUMKOLOMMEN = ("aanleverdatum", "afwijzingsdatum", "afgerond_datum")

_CODE = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class RijFout:
    """A problem in the file: the line (1 = header), the column (None: the whole row)."""

    regel: int
    kolom: str | None
    probleem: str

    def __str__(self) -> str:
        where = f"regel {self.regel}" + (f", kolom {self.kolom}" if self.kolom else "")
        return f"{where}: {self.probleem}"


@dataclass(frozen=True)
class Rij:
    regel: int
    overdracht: Overdracht


@dataclass(frozen=True)
class Inlezing:
    """The valid rows and every problem, in file order.

    ``onleesbaar`` is set when the file as a whole cannot be read (empty, or a bad header):
    then there are no rows to answer, whatever the caller would skip.
    """

    rijen: tuple[Rij, ...]
    fouten: tuple[RijFout, ...]
    onleesbaar: bool = False

    @property
    def afgewezen_regels(self) -> tuple[int, ...]:
        return tuple(sorted({f.regel for f in self.fouten}))


class BestandFout(ValueError):
    """The file as a whole cannot be read (not a row's problem)."""


def lees_bestand(
    path: Path, register: GemeenteRegister, termijnen: Termijnen = FACTSHEET
) -> Inlezing:
    """Read a ``.csv`` or ``.xlsx`` file of transfers."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return lees_xlsx(path.read_bytes(), register, termijnen)
    if suffix == ".csv":
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BestandFout(f"{path.name}: geen UTF-8-tekst ({exc.reason} op byte {exc.start})") from None
        return lees_csv(text, register, termijnen)
    raise BestandFout(f"{path.name}: onbekend bestandstype {suffix!r}; gebruik .csv of .xlsx")


def lees_csv(text: str, register: GemeenteRegister, termijnen: Termijnen = FACTSHEET) -> Inlezing:
    return _lees(tabel.csv_rows(text), register, termijnen)


def lees_xlsx(data: bytes, register: GemeenteRegister, termijnen: Termijnen = FACTSHEET) -> Inlezing:
    """Read the first sheet of a workbook; line numbers are the sheet's row numbers."""
    try:
        rows = tabel.xlsx_rows(data)
    except tabel.ImportFout as exc:
        raise BestandFout("; ".join(f.probleem for f in exc.fouten)) from None
    return _lees(rows, register, termijnen)


def _lees(
    rows: Iterator[tuple[int, list[object]]], register: GemeenteRegister, termijnen: Termijnen
) -> Inlezing:
    fouten: list[RijFout] = []
    first = next(rows, None)
    if first is None:
        return Inlezing((), (RijFout(1, None, "leeg bestand: de kopregel ontbreekt"),), True)
    header = [_text(v).lower() for v in first[1]]
    while header and header[-1] == "":  # spreadsheets pad rows with empty cells
        header.pop()
    header_errors = _check_header(header)
    if header_errors:
        return Inlezing((), tuple(header_errors), True)

    result: list[Rij] = []
    seen_ids: dict[str, int] = {}
    for line, cells in rows:
        if all(_empty(c) for c in cells):
            continue  # an empty line is no transfer
        if any(not _empty(c) for c in cells[len(header):]):
            fouten.append(
                RijFout(line, None, f"{len(cells)} velden, de kopregel heeft er {len(header)}")
            )
            continue
        row = dict(zip(header, cells + [None] * (len(header) - len(cells)), strict=False))
        row_errors, overdracht = _row(line, row, register, termijnen)
        if overdracht is not None and overdracht.id in seen_ids:
            row_errors.append(
                RijFout(line, "id", f"{overdracht.id!r} staat ook op regel {seen_ids[overdracht.id]}")
            )
        if overdracht is not None:
            seen_ids.setdefault(overdracht.id, line)
        if row_errors:
            fouten.extend(row_errors)
        elif overdracht is not None:
            result.append(Rij(line, overdracht))
    return Inlezing(tuple(result), tuple(fouten))


def _check_header(header: Sequence[str]) -> list[RijFout]:
    errors = []
    missing = [k for k in KOLOMMEN if k not in header]
    if missing:
        errors.append(RijFout(1, None, f"kolom(men) ontbreken: {', '.join(missing)}"))
    unknown = [k for k in header if k not in KOLOMMEN]
    if unknown:
        errors.append(
            RijFout(1, None, f"onbekende kolom(men): {', '.join(repr(k) for k in unknown)}; "
                    f"verwacht: {', '.join(KOLOMMEN)}")
        )
    doubles = sorted({k for k in header if header.count(k) > 1 and k})
    if doubles:
        errors.append(RijFout(1, None, f"kolom(men) staan dubbel: {', '.join(doubles)}"))
    return errors


def _row(
    line: int, row: dict[str, object], register: GemeenteRegister, termijnen: Termijnen
) -> tuple[list[RijFout], Overdracht | None]:
    errors: list[RijFout] = []
    values: dict[str, object] = {}
    for kolom in KOLOMMEN:
        raw = row[kolom]
        if _empty(raw) and kolom in _VERPLICHT:
            errors.append(RijFout(line, kolom, "is leeg"))
            continue
        if kolom in _DATUMKOLOMMEN:
            parsed, problem = _date(raw)
            if problem:
                errors.append(RijFout(line, kolom, problem))
            values[kolom] = parsed
        elif kolom == "id":
            values[kolom] = _text(raw)
        else:
            code = _code(raw)
            if not _CODE.fullmatch(code):
                errors.append(RijFout(line, kolom, f"{code!r} is geen gemeentecode van 4 cijfers"))
            values[kolom] = code
    if errors:
        return errors, None
    try:
        overdracht = Overdracht(**values)  # type: ignore[arg-type]
    except OngeldigeOverdracht as exc:
        return [RijFout(line, f.veld, f.probleem) for f in exc.fouten], None
    errors += [
        RijFout(line, f.veld, f.probleem)
        for f in controleer_gemeenten(overdracht, register, termijnen)
    ]
    return errors, overdracht


# The cell readers are the settlement tables' own (wpb.verrekening.tabel): the same
# spreadsheet habits (codes as numbers, Dutch dates) and never a BSN quoted back.
_empty = tabel.empty
_text = tabel.text
_date = tabel.parse_date


def _code(value: object) -> str:
    """A gemeentecode cell as text (0363 stored as the number 363 reads as 0363)."""
    return tabel.digits(value, 4)


def schrijf_csv(regels: Iterable[Sequence[object]]) -> str:
    """CSV text with ``\\n`` line ends, as the command prints it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for r in regels:
        writer.writerow(r)
    return out.getvalue()
