"""Import transfers with the youth they concern, for the settlement's timelines.

The same columns as ``wpb overgang`` (docs/overgang.md) plus ``bsn``: ``id, bsn,
latende_gemeente, ontvangende_gemeente, aanleverdatum, afwijzingsdatum, afgerond_datum``
(any order; empty date cells mean "none"), and the optional ``vanaf`` column of
docs/overgang.md (the same in ``wpb overgang``): the day from which the ontvangende gemeente
is responsible under the law, for a transfer outside the migratiegroep (empty, or the
ingangsdatum 2022-01-01: the 1-november-maatregel applies). The transfer carries it
(``Overdracht.vanaf``); :attr:`Overdrachten.vanaf` keeps the same dates per id.
Every date lies in 2015..2100 (:data:`wpb.law.verrekening.factuur.VROEGSTE_DATUM`). The transfer service holds the same facts
(``wpb.service.transfers.facts_for_rules`` with the stored BSN) and can pass them to
:func:`wpb.law.verrekening.tijdlijn.build_tijdlijnen` directly.

All-or-nothing, as the invoices: every problem with line, column and reason, then
:class:`~wpb.verrekening.tabel.ImportFout`; nothing is returned from a bad file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from wpb.law.bsn import bsn_problem
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.overgang import (
    FACTSHEET,
    OngeldigeOverdracht,
    Overdracht,
    Termijnen,
    check_gemeenten,
)
from wpb.law.verrekening.factuur import datum_buiten_grenzen
from wpb.verrekening.optioneel import met_optionele
from wpb.verrekening.tabel import (
    ImportFout,
    RijFout,
    Rows,
    csv_rows,
    digits,
    empty,
    header_of,
    parse_date,
    records,
    rows_of,
    shown,
    text,
)

KOLOMMEN = (
    "id",
    "bsn",
    "latende_gemeente",
    "ontvangende_gemeente",
    "aanleverdatum",
    "afwijzingsdatum",
    "afgerond_datum",
)
VANAF = "vanaf"  # optional column
_VERPLICHT = ("id", "bsn", "latende_gemeente", "ontvangende_gemeente", "aanleverdatum")
_DATUMS = ("aanleverdatum", "afwijzingsdatum", "afgerond_datum")


class Overdrachten(tuple):
    """Pairs of (BSN, transfer), as before, with ``vanaf``: the law's date per transfer id
    for the transfers that have one (pass it to ``build_tijdlijnen(..., vanaf=...)``)."""

    vanaf: dict[str, date]

    def __new__(cls, pairs=(), vanaf: dict[str, date] | None = None):
        obj = super().__new__(cls, pairs)
        obj.vanaf = dict(vanaf or {})
        return obj


def read_overdrachten(
    path: Path, register: GemeenteRegister | None = None, termijnen: Termijnen = FACTSHEET
) -> Overdrachten:
    """Pairs of (BSN, transfer) from a ``.csv`` or ``.xlsx`` file, with the ``vanaf`` dates;
    :class:`ImportFout` on any problem. With a ``register`` the gemeentecodes are checked
    against it as well."""
    return _read(rows_of(path), path.name, register, termijnen)


def read_overdrachten_csv(
    text_: str,
    bron: str = "overdrachten.csv",
    register: GemeenteRegister | None = None,
    termijnen: Termijnen = FACTSHEET,
) -> Overdrachten:
    return _read(csv_rows(text_), bron, register, termijnen)


def _read(
    rows: Rows, bron: str, register: GemeenteRegister | None, termijnen: Termijnen
) -> Overdrachten:
    rows, kolommen = met_optionele(rows, KOLOMMEN, (VANAF,))
    header, fouten = header_of(rows, kolommen)
    if header is None:
        raise ImportFout(bron, fouten)
    result: list[tuple[str, Overdracht]] = []
    vanaf: dict[str, date] = {}
    seen: dict[str, int] = {}
    for line, record in records(rows, header):
        if isinstance(record, RijFout):
            fouten.append(record)
            continue
        errors: list[RijFout] = [RijFout(line, k, "is leeg") for k in _VERPLICHT if empty(record[k])]
        bsn = digits(record["bsn"], 9)
        if not empty(record["bsn"]):
            problem = bsn_problem(bsn)
            if problem:
                errors.append(RijFout(line, "bsn", problem))
        values: dict[str, object] = {
            "id": text(record["id"]),
            "latende_gemeente": digits(record["latende_gemeente"], 4),
            "ontvangende_gemeente": digits(record["ontvangende_gemeente"], 4),
        }
        for kolom in _DATUMS:
            values[kolom] = _datum(line, kolom, record[kolom], errors)
        law_date = _datum(line, VANAF, record.get(VANAF), errors)
        if law_date is not None and law_date < termijnen.ingang:
            errors.append(RijFout(line, VANAF, f"{law_date} ligt vóór {termijnen.ingang}, de ingang van het "
                                  "woonplaatsbeginsel van 2022; de verrekening kent daarvoor geen "
                                  "verantwoordelijke"))
        else:
            values[VANAF] = law_date  # the transfer carries it (wpb.law.overgang)
        oid = values["id"]
        if oid:
            first = seen.setdefault(str(oid), line)
            if first != line:
                errors.append(RijFout(line, "id", f"{shown(oid)} staat ook op regel {first}"))
        if any(e.kolom in ("latende_gemeente", "ontvangende_gemeente", *_DATUMS)
               for e in errors) or empty(record["id"]):
            fouten.extend(errors)
            continue
        try:
            o = Overdracht(**values)  # type: ignore[arg-type]
        except OngeldigeOverdracht as exc:
            fouten.extend(errors + [RijFout(line, f.veld, f.probleem) for f in exc.fouten])
            continue
        if register is not None:
            errors += [RijFout(line, f.veld, f.probleem) for f in check_gemeenten(o, register, termijnen)]
        if errors:
            fouten.extend(errors)
        else:
            result.append((bsn, o))
            if law_date is not None:
                vanaf[o.id] = law_date
    if fouten:
        raise ImportFout(bron, fouten)
    return Overdrachten(result, vanaf)


def _datum(line: int, kolom: str, value: object, errors: list[RijFout]) -> date | None:
    """A date cell, with its problem (unreadable, or outside 2015..2100) added to ``errors``."""
    parsed, problem = parse_date(value)
    if problem:
        errors.append(RijFout(line, kolom, problem))
        return None
    if parsed is not None:
        bound = datum_buiten_grenzen(kolom, parsed)
        if bound is not None:
            errors.append(RijFout(line, kolom, bound.probleem))
            return None
    return parsed
