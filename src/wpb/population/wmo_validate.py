"""Read the tables of beschermd-wonen clients and check them before anything is computed.

The same rules as :mod:`wpb.population.validate` (whose checks the two BRP tables get
unchanged): every problem names the file, the column, the reason and the first offending
rows (row number from 0, with the persoon_id). By default any problem stops the run
(:class:`~wpb.population.validate.InvalidPopulation`); with ``skip_invalid`` every person
with a bad row in any table is left out with all their rows, and every row left out is
returned with its reason. Nothing is dropped silently; BSN values are never echoed.

The Wmo tables are checked as the case reader (:mod:`wpb.brp.wmo_case`) checks a case
document: gemeentecodes must be in the register and name a municipality (not RNI ``1999``
or onbekend ``0000``), the aanmeldgemeente belongs to its own region, an end does not lie
before its begin, and the day of the request does not lie after the peildatum -- the one
check that depends on the peildatum.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE, GemeenteRegister
from wpb.population.schema import PARTIAL_DATES, PERSONEN, file_name
from wpb.population.validate import (
    MAX_VOLGNR,
    REJECTED_SCHEMA,
    SHOW_ROWS,
    InvalidPopulation,
    Problem,
    _checks,
    _convert,
    _duplicates,
    _evaluate,
    _mask_frame,
    _partial_checks,
    _partial_consistency,
    _read,
)
from wpb.population.wmo_schema import (
    AANMELDINGEN,
    AANVRAGEN,
    BRP_TABLES,
    BW_PARTIAL_DATES,
    BW_REQUIRED_VALUES,
    BW_SCHEMAS,
    BW_TABLES,
    INDICATIES,
    PLAATSINGEN,
    WMO_TABLES,
    WmoPopulation,
)

NON_MUNICIPAL = [RNI_CODE, UNKNOWN_CODE]


@dataclass(frozen=True)
class CheckedWmo:
    population: WmoPopulation
    rejected: pl.DataFrame  # bestand, rij, persoon_id, kolom, reden (empty when all is well)
    rejected_persons: int


def _read_bw(folder: Path, table: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A beschermd-wonen table cast to its schema, and its per-row cast failures."""
    name = file_name(table)
    path = folder / name
    if not path.is_file():
        raise InvalidPopulation([Problem(name, "-", f"bestand ontbreekt in {folder}", (), (), 0)])
    try:
        schema = pl.read_parquet_schema(path)
    except Exception as exc:  # a damaged or non-Parquet file
        raise InvalidPopulation(
            [Problem(name, "-", f"geen leesbaar Parquet-bestand ({exc})", (), (), 0)]) from None
    expected = BW_SCHEMAS[table]
    missing = [c for c in expected if c not in schema]
    if missing:
        raise InvalidPopulation([Problem(name, c, "kolom ontbreekt", (), (), 0) for c in missing])
    raw = pl.read_parquet(path, columns=list(expected))
    failures, casts = [], []
    for col, dtype in expected.items():
        if raw.schema[col] == dtype:
            continue
        try:
            cast = raw.select(_convert(pl.col(col), raw.schema[col], dtype))[col]
        except Exception:
            raise InvalidPopulation([Problem(
                name, col, f"type {raw.schema[col]} kan geen {dtype} zijn", (), (), raw.height
            )]) from None
        bad = raw[col].is_not_null() & cast.is_null()
        if bad.any():
            failures.append((col, f"verwacht {dtype}, niet om te zetten", bad))
        casts.append(cast.alias(col))
    df = raw.with_columns(casts) if casts else raw
    return df, _mask_frame(df, failures)


def _gemeente_checks(col: str, known: list[str]) -> list[tuple[str, str, pl.Expr]]:
    """Reference: wmo_case._WmoReader.code: in the register, and a municipality."""
    c = pl.col(col)
    return [
        (col, "onbekende gemeentecode (niet in de gemeentetabel)",
         c.is_not_null() & ~c.is_in(known + NON_MUNICIPAL)),
        (col, "1999 (RNI) of 0000 (onbekend) is geen gemeente", c.is_in(NON_MUNICIPAL)),
    ]


def _bw_checks(table: str, df: pl.DataFrame, persons: pl.Series, clients: pl.DataFrame,
               register: GemeenteRegister, peildatum: date) -> list[tuple[str, str, pl.Expr]]:
    known = [g.code for g in register if g.code not in NON_MUNICIPAL]
    checks: list[tuple[str, str, pl.Expr]] = [
        (c, "verplicht veld is leeg", pl.col(c).is_null()) for c in BW_REQUIRED_VALUES[table]
    ]
    for prefix in BW_PARTIAL_DATES[table]:
        checks += _partial_checks(prefix)
    pid = pl.col("persoon_id")
    not_client = ("persoon_id", f"persoon is geen cliënt (staat niet in {file_name(AANMELDINGEN)})",
                  pid.is_not_null() & ~pid.is_in(clients["persoon_id"].implode()))
    volgnr = ("volgnr", f"volgnr ligt buiten 0..{MAX_VOLGNR}",
              (pl.col("volgnr") < 0) | (pl.col("volgnr") > MAX_VOLGNR))
    if table == AANMELDINGEN:
        members = pl.col("regio_gemeenten")
        checks += [
            ("persoon_id", "persoon staat niet in personen",
             pid.is_not_null() & ~pid.is_in(persons.implode())),
            *_gemeente_checks("aanmeldgemeente", known),
            *_gemeente_checks("beoogde_gemeente", known),
            ("datum", f"ligt na de peildatum {peildatum.isoformat()}", pl.col("datum") > peildatum),
            ("regio_gemeenten", "verwacht een niet-lege lijst van gemeentecodes",
             members.is_not_null() & (members.list.len() == 0)),
            ("regio_gemeenten",
             "bevat een lege, onbekende of niet-gemeentelijke (1999, 0000) gemeentecode",
             members.list.eval(
                 pl.element().is_null() | ~pl.element().is_in(known)).list.any().fill_null(False)),
            ("regio_gemeenten",
             "de aanmeldgemeente hoort bij haar eigen regio maar staat niet in de lijst",
             (members.list.len() > 0)
             & ~members.list.contains(pl.col("aanmeldgemeente")).fill_null(True)),
            *_gemeente_checks("regio_centrumgemeente", known),
            ("regio_centrumgemeente",
             "de centrumgemeente hoort bij haar regio maar staat niet in regio_gemeenten",
             pl.col("regio_centrumgemeente").is_not_null()
             & ~members.list.contains(pl.col("regio_centrumgemeente")).fill_null(False)),
        ]
    elif table == PLAATSINGEN:
        checks += [
            not_client, volgnr,
            *_gemeente_checks("gemeente", known),
            *_gemeente_checks("locatie_gemeente", known),
            ("einde_laatst", "het beschermd wonen eindigt voordat het begint (einde ligt vóór begin)",
             pl.col("einde_laatst") < pl.col("begin_vroegst")),
        ]
    elif table == AANVRAGEN:
        bekend = clients.filter(pl.col("aanvragen_bekend").fill_null(False))["persoon_id"]
        checks += [
            not_client, volgnr,
            *_gemeente_checks("gemeente", known),
            ("persoon_id", "aanvraag van een cliënt wiens aanvragen_bekend niet waar is",
             pid.is_in(clients["persoon_id"].implode()) & ~pid.is_in(bekend.implode())),
        ]
    else:
        checks += [
            not_client,
            *_gemeente_checks("centrumgemeente", known),
            ("einde", "de indicatie eindigt voordat zij begint (einde ligt vóór toegekend)",
             pl.col("einde") < pl.col("toegekend")),
        ]
    return checks


def _bw_duplicates(df: pl.DataFrame, table: str) -> pl.DataFrame:
    if table in (AANMELDINGEN, INDICATIES):
        key, kolom, reden = ["persoon_id"], "persoon_id", "persoon_id komt vaker voor"
    else:
        key, kolom, reden = ["persoon_id", "volgnr"], "volgnr", "volgnr komt voor deze persoon vaker voor"
    dup = df.select(pl.struct(key).is_duplicated() & pl.all_horizontal(
        [pl.col(k).is_not_null() for k in key])).to_series()
    return _mask_frame(df, [(kolom, reden, dup)] if dup.any() else [])


def read_wmo_population(folder: Path, register: GemeenteRegister, peildatum: date, *,
                        skip_invalid: bool = False) -> CheckedWmo:
    """Read and check ``personen``, ``verblijfplaatsen`` and the four ``bw_`` tables in ``folder``.

    Raises :class:`InvalidPopulation` on any problem unless ``skip_invalid``; then every person
    with a bad row is left out and listed, row by row, in ``CheckedWmo.rejected``.
    """
    tables: dict[str, pl.DataFrame] = {}
    found: dict[str, pl.DataFrame] = {}
    missing: list[Problem] = []
    for table in WMO_TABLES:
        try:
            if table in BRP_TABLES:
                tables[table], _, found[table] = _read(folder, table)
            else:
                tables[table], found[table] = _read_bw(folder, table)
        except InvalidPopulation as exc:
            missing += exc.problems
    if missing:
        raise InvalidPopulation(missing)
    persons = tables[PERSONEN]["persoon_id"].drop_nulls()
    clients = tables[AANMELDINGEN].select("persoon_id", "aanvragen_bekend").drop_nulls("persoon_id")
    for table in BRP_TABLES:
        df = tables[table]
        found[table] = pl.concat([
            found[table],
            _evaluate(df, _checks(table, df, persons, register)),
            *[_partial_consistency(df, prefix) for prefix in PARTIAL_DATES[table]],
            _duplicates(df, table),
        ])
    for table in BW_TABLES:
        df = tables[table]
        found[table] = pl.concat([
            found[table],
            _evaluate(df, _bw_checks(table, df, persons, clients, register, peildatum)),
            *[_partial_consistency(df, prefix) for prefix in BW_PARTIAL_DATES[table]],
            _bw_duplicates(df, table),
        ])

    problems = []
    for table in WMO_TABLES:
        bad = found[table]
        if bad.height == 0:
            continue
        ids = tables[table]["persoon_id"]
        for (kolom, reden), group in bad.group_by(["kolom", "reden"], maintain_order=True):
            rows = group["rij"].unique().sort()
            first = rows.head(SHOW_ROWS).to_list()
            problems.append(Problem(
                file_name(table), str(kolom), str(reden), tuple(first),
                tuple(ids[r] for r in first), rows.len(),
            ))
    if not problems:
        return CheckedWmo(WmoPopulation(*(tables[t] for t in WMO_TABLES)),
                          pl.DataFrame(schema=REJECTED_SCHEMA), 0)
    if not skip_invalid:
        raise InvalidPopulation(problems)
    return _reject(tables, found)


def _reject(tables: dict[str, pl.DataFrame], found: dict[str, pl.DataFrame]) -> CheckedWmo:
    """Leave out every person with a bad row in any table, with all their rows."""
    direct = []
    for table in WMO_TABLES:
        ids = tables[table].with_row_index("rij").select(pl.col("rij").cast(pl.Int64), "persoon_id")
        direct.append(
            found[table].join(ids, on="rij", how="left")
            .with_columns(pl.lit(file_name(table)).alias("bestand"))
            .select(list(REJECTED_SCHEMA))
        )
    direct_rows = pl.concat(direct)
    reasons = (
        direct_rows.filter(pl.col("persoon_id").is_not_null())
        .group_by("persoon_id", maintain_order=True)
        .agg((pl.col("bestand") + ", kolom " + pl.col("kolom") + ": " + pl.col("reden"))
             .first().alias("why"))
    )
    gone = reasons["persoon_id"].implode()
    kept, cascade = {}, []
    for table in WMO_TABLES:
        df = tables[table].with_row_index("rij")
        out = pl.col("persoon_id").is_in(gone) | pl.col("persoon_id").is_null()
        kept[table] = df.filter(~out).drop("rij")
        already = direct_rows.filter(pl.col("bestand") == file_name(table))["rij"].implode()
        cascade.append(
            df.filter(out & ~pl.col("rij").cast(pl.Int64).is_in(already))
            .join(reasons, on="persoon_id", how="left")
            .select(
                pl.lit(file_name(table)).alias("bestand"), pl.col("rij").cast(pl.Int64),
                "persoon_id", pl.lit("-").alias("kolom"),
                ("persoon afgewezen: " + pl.col("why")).fill_null("persoon afgewezen")
                .alias("reden"),
            )
        )
    rejected = pl.concat([direct_rows, *cascade]).unique().sort("bestand", "rij", "kolom", "reden")
    return CheckedWmo(WmoPopulation(*(kept[t] for t in WMO_TABLES)), rejected, reasons.height)


__all__ = ["CheckedWmo", "read_wmo_population"]
