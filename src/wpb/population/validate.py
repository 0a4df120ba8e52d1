"""Read a population's Parquet files and check them before anything is computed.

Every problem names the file, the column, the reason and the first offending rows (row
number from 0, with the persoon_id). By default any problem stops the run
(:class:`InvalidPopulation`); with ``skip_invalid`` the rows are rejected instead, together
with every other row of the persons they belong to (a person's answer would silently
change if one of its records were dropped) and of the youths that refer to such a person
as mother or parent with gezag. The rejected rows, each with its reason, are returned so
the caller can write them out: nothing is dropped silently. BSN values are never echoed.

All checks are column-wise (polars), so this scales with the batch engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from wpb.law.dates import FAR_FUTURE, FAR_PAST, Precision
from wpb.law.facts import JeugdhulpVorm, VerblijfplaatsSoort
from wpb.law.gemeenten import GemeenteRegister
from wpb.population.schema import (
    GEZAG_SOORTEN,
    OPTIONAL_COLUMNS,
    PARTIAL_DATES,
    PERSONEN,
    PRECISIES,
    RECORD_TYPES,
    REQUIRED_VALUES,
    SCHEMAS,
    TABLES,
    VERBLIJFPLAATSEN,
    VORMEN,
    Population,
    file_name,
    with_optional_columns,
)

_JEUGDRECLASSERING = JeugdhulpVorm.JEUGDRECLASSERING.value
SHOW_ROWS = 5  # offending rows named per problem
MAX_VOLGNR = 2**20 - 1
REJECTED_SCHEMA = {
    "bestand": pl.String, "rij": pl.Int64, "persoon_id": pl.Int64, "kolom": pl.String,
    "reden": pl.String,
}


@dataclass(frozen=True)
class Problem:
    bestand: str
    kolom: str
    reden: str
    rijen: tuple[int, ...]  # first offending rows (from 0)
    persoon_ids: tuple[int | None, ...]
    aantal: int

    def __str__(self) -> str:
        shown = ", ".join(
            f"{r}" + (f" (persoon_id {p})" if p is not None else "")
            for r, p in zip(self.rijen, self.persoon_ids, strict=True)
        )
        more = f" en {self.aantal - len(self.rijen)} meer" if self.aantal > len(self.rijen) else ""
        rows = "rij" if self.aantal == 1 else f"{self.aantal} rijen, eerste"
        return f"{self.bestand}, kolom {self.kolom!r}: {self.reden} ({rows}: {shown}{more})"


class InvalidPopulation(ValueError):
    """The input cannot be used as it is; every problem found is listed."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"ongeldige invoer ({len(self.problems)} probleem/problemen):"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


@dataclass(frozen=True)
class Checked:
    population: Population
    rejected: pl.DataFrame  # bestand, rij, persoon_id, kolom, reden (empty when all is well)
    rejected_persons: int


# --- reading ------------------------------------------------------------------------------------


def _read(folder: Path, table: str) -> tuple[pl.DataFrame, list[Problem], pl.DataFrame]:
    """The table with its columns cast to the schema; problems; and per-row cast failures."""
    name = file_name(table)
    path = folder / name
    if not path.is_file():
        raise InvalidPopulation([Problem(name, "-", f"bestand ontbreekt in {folder}", (), (), 0)])
    try:
        schema = pl.read_parquet_schema(path)
    except Exception as exc:  # a damaged or non-Parquet file
        raise InvalidPopulation([Problem(name, "-", f"geen leesbaar Parquet-bestand ({exc})", (), (), 0)]) from None
    expected = SCHEMAS[table]
    optional = OPTIONAL_COLUMNS.get(table, ())
    missing = [c for c in expected if c not in schema and c not in optional]
    if missing:
        raise InvalidPopulation(
            [Problem(name, c, "kolom ontbreekt", (), (), 0) for c in missing]
        )
    raw = with_optional_columns(pl.read_parquet(path, columns=[c for c in expected if c in schema]), table)
    problems: list[Problem] = []
    failures = []
    casts = []
    for col, dtype in expected.items():
        if raw.schema[col] == dtype:
            continue
        try:
            cast = raw.select(_convert(pl.col(col), raw.schema[col], dtype))[col]
        except Exception:
            raise InvalidPopulation(
                [Problem(name, col, f"type {raw.schema[col]} kan geen {dtype} zijn", (), (), raw.height)]
            ) from None
        bad = raw[col].is_not_null() & cast.is_null()
        if bad.any():
            failures.append((col, f"verwacht {dtype}, niet om te zetten", bad))
        casts.append(cast.alias(col))
    df = raw.with_columns(casts) if casts else raw
    fail_frame = _mask_frame(df, failures)
    return df, problems, fail_frame


def _convert(col: pl.Expr, source: pl.DataType, target: pl.DataType) -> pl.Expr:
    """``col`` as ``target``; values that do not convert become null (and are reported)."""
    if source == pl.String and target == pl.Date:
        return col.str.to_date("%Y-%m-%d", strict=False)
    if source == pl.String and target == pl.Boolean:
        return col.str.to_lowercase().replace_strict(
            ["true", "false", "1", "0"], [True, False, True, False], default=None,
            return_dtype=pl.Boolean,
        )
    return col.cast(target, strict=False)


def _mask_frame(df: pl.DataFrame, masks: list[tuple[str, str, pl.Series]]) -> pl.DataFrame:
    """(rij, kolom, reden) for every row a mask marks."""
    parts = []
    for col, reden, mask in masks:
        rows = pl.Series("rij", range(df.height), dtype=pl.Int64).filter(mask.fill_null(True))
        if rows.len():
            parts.append(pl.DataFrame({"rij": rows}).with_columns(
                pl.lit(col).alias("kolom"), pl.lit(reden).alias("reden")
            ))
    if not parts:
        return pl.DataFrame(schema={"rij": pl.Int64, "kolom": pl.String, "reden": pl.String})
    return pl.concat(parts)


# --- checks -------------------------------------------------------------------------------------


def _bsn_ok(col: pl.Expr) -> pl.Expr:
    """The 11-proef, column-wise (mirrors wpb.law.bsn.is_valid_bsn).

    Nine bytes that parse as an unsigned number without a sign are nine digits; that test
    is an order of magnitude cheaper than a regular expression over millions of rows.
    """
    number = col.cast(pl.UInt64, strict=False).cast(pl.Int64)
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = pl.lit(0, pl.Int64)
    for i, w in enumerate(weights):
        total = total + (number // 10 ** (8 - i) % 10) * w
    return (
        (col.str.len_bytes() == 9)
        & ~col.str.starts_with("+")
        & number.is_not_null()
        & (number != 0)
        & ((total % 11) == 0)
    )


def _partial_checks(prefix: str) -> list[tuple[str, str, pl.Expr]]:
    e, la, p = (pl.col(f"{prefix}_{s}") for s in ("vroegst", "laatst", "precisie"))
    present = [e.is_not_null(), la.is_not_null(), p.is_not_null()]
    some = pl.any_horizontal(present)
    all_ = pl.all_horizontal(present)
    return [
        (f"{prefix}_vroegst", f"{prefix}_vroegst/_laatst/_precisie: alle drie of geen van drieën invullen",
         some & ~all_),
        (f"{prefix}_precisie", "onbekende precisie; verwacht " + ", ".join(PRECISIES),
         p.is_not_null() & ~p.is_in(PRECISIES)),
        (f"{prefix}_laatst", f"{prefix}_laatst ligt vóór {prefix}_vroegst", all_ & (la < e)),
        (f"{prefix}_vroegst", "vroegst/laatst passen niet bij de precisie",
         (p == Precision.DAY.value) & (e != la)),
    ]


def _partial_consistency(df: pl.DataFrame, prefix: str) -> pl.DataFrame:
    """(rij, kolom, reden) for incomplete dates whose interval does not fit the precision.

    Only the (few) rows with a precision other than Datum are looked at closely: calendar
    arithmetic over every row would cost more than the batch itself.
    """
    e, la, p = (pl.col(f"{prefix}_{s}") for s in ("vroegst", "laatst", "precisie"))
    rows = df.select(e, la, p).with_row_index("rij").filter(
        p.is_not_null() & (p != Precision.DAY.value) & e.is_not_null() & la.is_not_null()
    )
    consistent = (
        pl.when(p == Precision.MONTH.value)
        .then((e == pl.date(e.dt.year(), e.dt.month(), 1)) & (la == e.dt.month_end()))
        .when(p == Precision.YEAR.value)
        .then((e == pl.date(e.dt.year(), 1, 1)) & (la == pl.date(e.dt.year(), 12, 31)))
        .when(p == Precision.UNKNOWN.value)
        .then((e == pl.lit(FAR_PAST)) & (la == pl.lit(FAR_FUTURE)))
        .otherwise(True)
    )
    return rows.filter(~consistent).select(
        pl.col("rij").cast(pl.Int64),
        pl.lit(f"{prefix}_vroegst").alias("kolom"),
        pl.lit("vroegst/laatst passen niet bij de precisie").alias("reden"),
    )


def _duplicates(df: pl.DataFrame, table: str) -> pl.DataFrame:
    """(rij, kolom, reden) for keys that occur twice: persoon_id, or (persoon_id, volgnr).

    Sorting one integer key and comparing neighbours finds out cheaply whether there is any
    duplicate at all; only then are the offending rows looked up.
    """
    if table == PERSONEN:
        key, kolom, reden = pl.col("persoon_id"), "persoon_id", "persoon_id komt vaker voor"
    else:
        # One integer per (persoon_id, volgnr); volgnr outside its range is reported apart.
        key = pl.col("persoon_id") * (MAX_VOLGNR + 1) + pl.col("volgnr").clip(0, MAX_VOLGNR)
        kolom, reden = "volgnr", "volgnr komt voor deze persoon vaker voor"
    ordered = df.select(key.drop_nulls().sort().alias("k"))["k"]
    if ordered.len() < 2 or not (ordered.slice(1) == ordered.slice(0, ordered.len() - 1)).any():
        return _mask_frame(df, [])
    return _mask_frame(df, [(kolom, reden, df.select(key.is_duplicated().fill_null(False)).to_series())])


def _code_known(col: str, known: list[str]) -> pl.Expr:
    return pl.col(col).is_null() | pl.col(col).is_in(known)


def _checks(table: str, df: pl.DataFrame, persons: pl.Series,
            register: GemeenteRegister) -> list[tuple[str, str, pl.Expr]]:
    known = [g.code for g in register]
    checks: list[tuple[str, str, pl.Expr]] = [
        (c, "verplicht veld is leeg", pl.col(c).is_null()) for c in REQUIRED_VALUES[table]
    ]
    for prefix in PARTIAL_DATES[table]:
        checks += _partial_checks(prefix)
    ids = persons.implode()
    if table == PERSONEN:
        checks += [
            ("bsn", "voldoet niet aan de 11-proef of is geen 9 cijfers",
             pl.col("bsn").is_not_null() & ~_bsn_ok(pl.col("bsn")).fill_null(False)),
            ("moeder_id", "verwijst naar een persoon die niet in personen staat",
             pl.col("moeder_id").is_not_null() & ~pl.col("moeder_id").is_in(ids)),
            ("gezag_ouder_id", "verwijst naar een persoon die niet in personen staat",
             pl.col("gezag_ouder_id").is_not_null() & ~pl.col("gezag_ouder_id").is_in(ids)),
            ("gezag_soort", "onbekende soort; verwacht " + " of ".join(GEZAG_SOORTEN),
             pl.col("gezag_soort").is_not_null() & ~pl.col("gezag_soort").is_in(GEZAG_SOORTEN)),
            ("gezag_ouder_id", "ouder met gezag zonder gezag_soort 'ouders'",
             pl.col("gezag_ouder_id").is_not_null() & (pl.col("gezag_soort") != "ouders").fill_null(True)),
            ("werkelijke_verblijfplaats_gemeente", "onbekende gemeentecode (niet in de gemeentetabel)",
             ~_code_known("werkelijke_verblijfplaats_gemeente", known)),
        ]
    elif table == VERBLIJFPLAATSEN:
        adres = pl.col("type").is_in([VerblijfplaatsSoort.ADRES.value, VerblijfplaatsSoort.LOCATIE.value])
        checks += [
            ("persoon_id", "persoon staat niet in personen", ~pl.col("persoon_id").is_in(ids)),
            ("volgnr", f"volgnr ligt buiten 0..{MAX_VOLGNR}",
             (pl.col("volgnr") < 0) | (pl.col("volgnr") > MAX_VOLGNR)),
            ("type", "onbekend type; verwacht " + ", ".join(RECORD_TYPES),
             pl.col("type").is_not_null() & ~pl.col("type").is_in(RECORD_TYPES)),
            ("tot_laatst", "de periode eindigt voordat zij begint (tot ligt vóór van)",
             pl.col("tot_laatst") < pl.col("van_vroegst")),
            ("gemeente_code", "ontbreekt bij een Adres of Locatie", adres & pl.col("gemeente_code").is_null()),
            ("gemeente_code", "onbekende gemeentecode (niet in de gemeentetabel)",
             adres & ~_code_known("gemeente_code", known)),
        ]
    else:
        checks += [
            ("persoon_id", "persoon staat niet in personen", ~pl.col("persoon_id").is_in(ids)),
            ("volgnr", f"volgnr ligt buiten 0..{MAX_VOLGNR}",
             (pl.col("volgnr") < 0) | (pl.col("volgnr") > MAX_VOLGNR)),
            ("einde", "de episode eindigt voordat zij begint (einde ligt vóór begin)",
             pl.col("einde") < pl.col("begin")),
            ("vorm", "onbekende vorm; verwacht " + ", ".join(VORMEN),
             pl.col("vorm").is_not_null() & ~pl.col("vorm").is_in(VORMEN)),
            ("verblijf", "jeugdreclassering is geen verblijf (verblijf moet false zijn)",
             (pl.col("vorm") == _JEUGDRECLASSERING) & pl.col("verblijf")),
            ("in_verband_met_jji", "verplicht bij vorm jeugdreclassering",
             (pl.col("vorm") == _JEUGDRECLASSERING) & pl.col("in_verband_met_jji").is_null()),
            ("in_verband_met_jji", "alleen bij vorm jeugdreclassering",
             pl.col("in_verband_met_jji").is_not_null()
             & (pl.col("vorm") != _JEUGDRECLASSERING).fill_null(True)),
            ("gemeente_code", "onbekende gemeentecode (niet in de gemeentetabel)",
             ~_code_known("gemeente_code", known)),
        ]
    return checks


def _evaluate(df: pl.DataFrame, checks: list[tuple[str, str, pl.Expr]]) -> pl.DataFrame:
    """(rij, kolom, reden) for every failed check, in one pass over the table."""
    if not checks:
        return _mask_frame(df, [])
    flags = df.select([expr.fill_null(False).alias(f"c{i}") for i, (_, _, expr) in enumerate(checks)])
    failing = flags.select(pl.all().any()).row(0)
    return _mask_frame(
        df, [(c, r, flags[f"c{i}"]) for i, (c, r, _) in enumerate(checks) if failing[i]]
    )


# --- entry point --------------------------------------------------------------------------------


def read_population(folder: Path, register: GemeenteRegister, peildatum: date | None = None, *,
                    skip_invalid: bool = False) -> Checked:
    """Read and check the three tables in ``folder``.

    No check depends on the peildatum any more (a municipality that ended without a
    successor is now an answer, ``review: gemeente_zonder_opvolger``, not bad input);
    ``peildatum`` is still accepted for callers written against the earlier signature.

    Raises :class:`InvalidPopulation` on any problem unless ``skip_invalid``; then the
    offending persons are left out and listed in ``Checked.rejected``.
    """
    tables: dict[str, pl.DataFrame] = {}
    found: dict[str, pl.DataFrame] = {}
    for table in TABLES:
        df, _, failures = _read(folder, table)
        tables[table] = df
        found[table] = failures
    persons = tables[PERSONEN]["persoon_id"].drop_nulls()
    for table in TABLES:
        df = tables[table]
        found[table] = pl.concat([
            found[table],
            _evaluate(df, _checks(table, df, persons, register)),
            *[_partial_consistency(df, prefix) for prefix in PARTIAL_DATES[table]],
            _duplicates(df, table),
        ])

    problems = []
    for table in TABLES:
        bad = found[table]
        if bad.height == 0:
            continue
        ids = tables[table]["persoon_id"]
        for (kolom, reden), group in bad.group_by(["kolom", "reden"], maintain_order=True):
            rows = group["rij"].sort()
            first = rows.head(SHOW_ROWS).to_list()
            problems.append(Problem(
                file_name(table), str(kolom), str(reden), tuple(first),
                tuple(ids[r] for r in first), rows.len(),
            ))
    if not problems:
        return Checked(Population(*(tables[t] for t in TABLES)), pl.DataFrame(schema=REJECTED_SCHEMA), 0)
    if not skip_invalid:
        raise InvalidPopulation(problems)
    return _reject(tables, found)


def _reject(tables: dict[str, pl.DataFrame], found: dict[str, pl.DataFrame]) -> Checked:
    """Leave out every person with a bad row, and the youths who depend on such a person."""
    direct = []
    for table in TABLES:
        bad = found[table]
        ids = tables[table].with_row_index("rij").select(pl.col("rij").cast(pl.Int64), "persoon_id")
        direct.append(
            bad.join(ids, on="rij", how="left").with_columns(pl.lit(file_name(table)).alias("bestand"))
            .select(list(REJECTED_SCHEMA))
        )
    direct_rows = pl.concat(direct)
    reasons = (
        direct_rows.filter(pl.col("persoon_id").is_not_null())
        .group_by("persoon_id", maintain_order=True)
        .agg((pl.col("bestand") + ", kolom " + pl.col("kolom") + ": " + pl.col("reden")).first().alias("why"))
    )
    dropped = set(reasons["persoon_id"].to_list())
    why = dict(zip(reasons["persoon_id"].to_list(), reasons["why"].to_list(), strict=True))
    personen = tables[PERSONEN]
    # Youths whose mother or parent with gezag is left out are left out too.
    while True:
        refs = personen.filter(
            ~pl.col("persoon_id").is_in(list(dropped))
            & (pl.col("moeder_id").is_in(list(dropped)) | pl.col("gezag_ouder_id").is_in(list(dropped)))
        )
        if refs.height == 0:
            break
        for pid, mid, gid in refs.select("persoon_id", "moeder_id", "gezag_ouder_id").iter_rows():
            ref = mid if mid in dropped else gid
            why[pid] = f"verwijst naar afgewezen persoon {ref} ({why.get(ref, 'afgewezen')})"
            dropped.add(pid)
    gone = pl.Series(list(dropped), dtype=pl.Int64).implode()
    kept, cascade = {}, []
    for table in TABLES:
        df = tables[table].with_row_index("rij")
        out = df.filter(pl.col("persoon_id").is_in(gone) | pl.col("persoon_id").is_null())
        kept[table] = df.filter(~(pl.col("persoon_id").is_in(gone) | pl.col("persoon_id").is_null())).drop("rij")
        already = direct_rows.filter(pl.col("bestand") == file_name(table))["rij"].implode()
        extra = out.filter(~pl.col("rij").cast(pl.Int64).is_in(already)).select(
            pl.lit(file_name(table)).alias("bestand"), pl.col("rij").cast(pl.Int64), "persoon_id",
            pl.lit("-").alias("kolom"),
            pl.col("persoon_id").replace_strict(
                list(why), [f"persoon afgewezen: {w}" for w in why.values()], default="persoon afgewezen",
                return_dtype=pl.String,
            ).alias("reden"),
        )
        cascade.append(extra)
    rejected = pl.concat([direct_rows, *cascade]).sort("bestand", "rij")
    return Checked(Population(*(kept[t] for t in TABLES)), rejected, len(dropped))


__all__ = ["Checked", "InvalidPopulation", "Problem", "read_population"]
