"""Adapter: a file of transfers (CSV or XLSX) read into the core's :class:`Overdracht` values.

Columns (any order, header on the first line): ``id, latende_gemeente,
ontvangende_gemeente, aanleverdatum, afwijzingsdatum, afgerond_datum`` and the optional
``vanaf`` (docs/overgang.md: the day from which the ontvangende is responsible under the
law; empty or absent: the migratiegroep); an empty date cell means "none". Dates are JJJJ-MM-DD (or DD-MM-JJJJ, as Dutch spreadsheets write them;
the four-digit year makes it unambiguous). The file is read by :mod:`wpb.tabular` (its one
policy for encodings, delimiters and bounds), through the settlement's table helpers.

The whole file is read before anything is answered: every problem is reported with its
line, its column and the reason, and nothing is dropped silently. The caller decides
whether a partly valid file is answered at all.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from wpb.law.gemeenten import GemeenteRegister
from wpb.law.overgang import (
    FACTSHEET,
    OngeldigeOverdracht,
    Overdracht,
    Termijnen,
    check_gemeenten,
)
from wpb.verrekening import tabel
from wpb.verrekening.optioneel import met_optionele
from wpb.verrekening.tabel import RijFout

KOLOMMEN = (
    "id",
    "latende_gemeente",
    "ontvangende_gemeente",
    "aanleverdatum",
    "afwijzingsdatum",
    "afgerond_datum",
)
VANAF = "vanaf"  # optional column, the same as in the settlement's transfers table
_VERPLICHT = {"id", "latende_gemeente", "ontvangende_gemeente", "aanleverdatum"}
_DATUMKOLOMMEN = ("aanleverdatum", "afwijzingsdatum", "afgerond_datum", VANAF)

_CODE = re.compile(r"[0-9]{4}")


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

    @classmethod
    def of(cls, exc: tabel.ImportFout) -> BestandFout:
        return cls("; ".join(f.probleem for f in exc.fouten))


def read_file(
    path: Path, register: GemeenteRegister, termijnen: Termijnen = FACTSHEET
) -> Inlezing:
    """Read a ``.csv`` or ``.xlsx`` file of transfers."""
    try:
        rows = tabel.rows_of(path)
    except tabel.ImportFout as exc:
        raise BestandFout.of(exc) from None
    return _read(rows, register, termijnen)


def read_csv_text(text: str, register: GemeenteRegister, termijnen: Termijnen = FACTSHEET) -> Inlezing:
    return _read(tabel.csv_rows(text), register, termijnen)


def read_xlsx(data: bytes, register: GemeenteRegister, termijnen: Termijnen = FACTSHEET) -> Inlezing:
    """Read the first sheet of a workbook; line numbers are the sheet's row numbers."""
    try:
        rows = tabel.xlsx_rows(data)
    except tabel.ImportFout as exc:
        raise BestandFout.of(exc) from None
    return _read(rows, register, termijnen)


def _read(rows: tabel.Rows, register: GemeenteRegister, termijnen: Termijnen) -> Inlezing:
    rows, kolommen = met_optionele(rows, KOLOMMEN, (VANAF,))
    header, fouten = tabel.header_of(rows, kolommen)
    if header is None:
        return Inlezing((), tuple(fouten), True)
    result: list[Rij] = []
    seen_ids: dict[str, int] = {}
    for line, row in tabel.records(rows, header):
        if isinstance(row, RijFout):
            fouten.append(row)
            continue
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


def _row(
    line: int, row: dict[str, object], register: GemeenteRegister, termijnen: Termijnen
) -> tuple[list[RijFout], Overdracht | None]:
    errors: list[RijFout] = []
    values: dict[str, object] = {}
    for kolom in (*KOLOMMEN, VANAF):
        raw = row.get(kolom)
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
        for f in check_gemeenten(overdracht, register, termijnen)
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


def write_csv(regels: Iterable[Sequence[object]]) -> str:
    """CSV text with ``\\n`` line ends, as the command prints it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for r in regels:
        writer.writerow(r)
    return out.getvalue()
