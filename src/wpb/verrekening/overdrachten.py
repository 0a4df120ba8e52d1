"""Import transfers with the youth they concern, for the settlement's timelines.

The same columns as ``wpb overgang`` (docs/overgang.md) plus ``bsn``: ``id, bsn,
latende_gemeente, ontvangende_gemeente, aanleverdatum, afwijzingsdatum, afgerond_datum``
(any order; empty date cells mean "none"). The transfer service holds the same facts
(``wpb.service.transfers.facts_for_rules`` with the stored BSN) and can pass them to
:func:`wpb.law.verrekening.tijdlijn.bouw_tijdlijnen` directly.

All-or-nothing, as the invoices: every problem with line, column and reason, then
:class:`~wpb.verrekening.tabel.ImportFout`; nothing is returned from a bad file.
"""

from __future__ import annotations

from pathlib import Path

from wpb.law.bsn import bsn_problem
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.overgang import (
    FACTSHEET,
    OngeldigeOverdracht,
    Overdracht,
    Termijnen,
    controleer_gemeenten,
)
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
_VERPLICHT = ("id", "bsn", "latende_gemeente", "ontvangende_gemeente", "aanleverdatum")


def lees_overdrachten(
    path: Path, register: GemeenteRegister | None = None, termijnen: Termijnen = FACTSHEET
) -> tuple[tuple[str, Overdracht], ...]:
    """Pairs of (BSN, transfer) from a ``.csv`` or ``.xlsx`` file; :class:`ImportFout` on any
    problem. With a ``register`` the gemeentecodes are checked against it as well."""
    return _lees(rows_of(path), path.name, register, termijnen)


def lees_overdrachten_csv(
    text_: str,
    bron: str = "overdrachten.csv",
    register: GemeenteRegister | None = None,
    termijnen: Termijnen = FACTSHEET,
) -> tuple[tuple[str, Overdracht], ...]:
    return _lees(csv_rows(text_), bron, register, termijnen)


def _lees(
    rows: Rows, bron: str, register: GemeenteRegister | None, termijnen: Termijnen
) -> tuple[tuple[str, Overdracht], ...]:
    header, fouten = header_of(rows, KOLOMMEN)
    if header is None:
        raise ImportFout(bron, fouten)
    result: list[tuple[str, Overdracht]] = []
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
        for kolom in ("aanleverdatum", "afwijzingsdatum", "afgerond_datum"):
            parsed, problem = parse_date(record[kolom])
            if problem:
                errors.append(RijFout(line, kolom, problem))
            values[kolom] = parsed
        oid = values["id"]
        if oid:
            first = seen.setdefault(str(oid), line)
            if first != line:
                errors.append(RijFout(line, "id", f"{shown(oid)} staat ook op regel {first}"))
        if any(e.kolom in ("latende_gemeente", "ontvangende_gemeente", "aanleverdatum",
                           "afwijzingsdatum", "afgerond_datum") for e in errors) or empty(record["id"]):
            fouten.extend(errors)
            continue
        try:
            o = Overdracht(**values)  # type: ignore[arg-type]
        except OngeldigeOverdracht as exc:
            fouten.extend(errors + [RijFout(line, f.veld, f.probleem) for f in exc.fouten])
            continue
        if register is not None:
            errors += [RijFout(line, f.veld, f.probleem) for f in controleer_gemeenten(o, register, termijnen)]
        if errors:
            fouten.extend(errors)
        else:
            result.append((bsn, o))
    if fouten:
        raise ImportFout(bron, fouten)
    return tuple(result)
