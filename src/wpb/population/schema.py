"""The Parquet layout of a population, and converters between it and the core's facts.

Three tables, one file each (docs/population.md describes every column):

- ``personen.parquet``: one row per person: the youths to decide (``is_jeugdige``) and the
  mothers and parents with gezag they refer to by ``moeder_id`` / ``gezag_ouder_id``.
- ``verblijfplaatsen.parquet``: the BRP verblijfplaatshistorie, one row per record.
- ``jeugdhulp.parquet``: care episodes of the youths.

A BRP date that may be partial is three columns: ``*_vroegst`` and ``*_laatst`` (the
interval of days it may be, as :class:`wpb.law.dates.PartialDate` keeps it) and
``*_precisie`` (the Haal Centraal date type). Record order within a person follows the
reference engine's: (``van_vroegst``, ``van_laatst``, ``volgnr``).

The converters make the two executors comparable: :func:`cases_to_population` turns cases
(e.g. the conformance cases) into tables for the batch engine, and
:func:`population_to_cases` turns table rows into cases for the reference engine.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from wpb.law.dates import PartialDate, Period, Precision
from wpb.law.facts import (
    Case,
    Gezag,
    GezagSoort,
    Jeugdhulp,
    JeugdhulpVorm,
    Persoon,
    Verblijfplaats,
    VerblijfplaatsSoort,
    WerkelijkeVerblijfplaats,
)
from wpb.law.registration import history_order
from wpb.law.spans import bron_volgorde

PERSONEN = "personen"
VERBLIJFPLAATSEN = "verblijfplaatsen"
JEUGDHULP = "jeugdhulp"
TABLES = (PERSONEN, VERBLIJFPLAATSEN, JEUGDHULP)

PRECISIES = tuple(p.value for p in Precision)
RECORD_TYPES = tuple(s.value for s in VerblijfplaatsSoort)
VORMEN = tuple(v.value for v in JeugdhulpVorm)
GEZAG_SOORTEN = tuple(g.value for g in GezagSoort)


def _partial(prefix: str) -> dict[str, pl.DataType]:
    return {
        f"{prefix}_vroegst": pl.Date(),
        f"{prefix}_laatst": pl.Date(),
        f"{prefix}_precisie": pl.String(),
    }


SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    PERSONEN: {
        "persoon_id": pl.Int64(),
        "bsn": pl.String(),
        **_partial("geboorte"),
        "moeder_id": pl.Int64(),
        "werkelijke_verblijfplaats_gemeente": pl.String(),
        "werkelijke_verblijfplaats_datum": pl.Date(),
        "gezag_soort": pl.String(),
        "gezag_ouder_id": pl.Int64(),
        "is_jeugdige": pl.Boolean(),
    },
    VERBLIJFPLAATSEN: {
        "persoon_id": pl.Int64(),
        "volgnr": pl.Int32(),
        "type": pl.String(),
        **_partial("van"),
        **_partial("tot"),
        "gemeente_code": pl.String(),
        "land_code": pl.String(),
        "in_onderzoek": pl.Boolean(),
        **_partial("onderzoek_vanaf"),
        "niet_op_adres": pl.Boolean(),
        **_partial("niet_op_adres_vanaf"),
        "briefadres": pl.Boolean(),
    },
    JEUGDHULP: {
        "persoon_id": pl.Int64(),
        "volgnr": pl.Int32(),
        "begin": pl.Date(),
        "einde": pl.Date(),
        "verblijf": pl.Boolean(),
        "vorm": pl.String(),
        "gemeente_code": pl.String(),
        "in_verband_met_jji": pl.Boolean(),
    },
}

# Columns added after the format was first published: a file without them reads them as
# empty (null), so older populations stay valid.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    JEUGDHULP: ("in_verband_met_jji",),  # jeugdreclassering tied to a JJI stay (art. 1.1 2°)
}

# Columns that must hold a value in every row (the rest may be null).
REQUIRED_VALUES: dict[str, tuple[str, ...]] = {
    PERSONEN: ("persoon_id", "is_jeugdige"),
    VERBLIJFPLAATSEN: (
        "persoon_id", "volgnr", "type", "van_vroegst", "van_laatst", "van_precisie",
        "in_onderzoek", "niet_op_adres", "briefadres",
    ),
    JEUGDHULP: ("persoon_id", "volgnr", "begin", "verblijf"),
}

# Partial-date column triples per table.
PARTIAL_DATES: dict[str, tuple[str, ...]] = {
    PERSONEN: ("geboorte",),
    VERBLIJFPLAATSEN: ("van", "tot", "onderzoek_vanaf", "niet_op_adres_vanaf"),
    JEUGDHULP: (),
}


def file_name(table: str) -> str:
    return f"{table}.parquet"


@dataclass(frozen=True)
class Population:
    """The three tables of a population, with the columns of :data:`SCHEMAS`."""

    personen: pl.DataFrame
    verblijfplaatsen: pl.DataFrame
    jeugdhulp: pl.DataFrame

    def table(self, name: str) -> pl.DataFrame:
        return getattr(self, name)

    def write(self, folder: Path, metadata: dict[str, str] | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            self.table(name).write_parquet(
                folder / file_name(name), compression="zstd", metadata=metadata or None
            )

    def filter_persons(self, persoon_ids: Iterable[int]) -> Population:
        """The rows of these persons only (ids that are not in the tables are ignored)."""
        ids = pl.Series("persoon_id", list(persoon_ids), dtype=pl.Int64)
        return Population(
            self.personen.filter(pl.col("persoon_id").is_in(ids.implode())),
            self.verblijfplaatsen.filter(pl.col("persoon_id").is_in(ids.implode())),
            self.jeugdhulp.filter(pl.col("persoon_id").is_in(ids.implode())),
        )


def empty(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMAS[table])


def conform(df: pl.DataFrame, table: str) -> pl.DataFrame:
    """``df`` with exactly the columns of ``table``, in order, cast to their types."""
    schema = SCHEMAS[table]
    return with_optional_columns(df, table).select([pl.col(c).cast(t) for c, t in schema.items()])


def with_optional_columns(df: pl.DataFrame, table: str) -> pl.DataFrame:
    """``df`` with each optional column it lacks added as an empty column of its type."""
    absent = [c for c in OPTIONAL_COLUMNS.get(table, ()) if c not in df.columns]
    return df.with_columns(pl.lit(None, SCHEMAS[table][c]).alias(c) for c in absent)


# --- core facts -> tables --------------------------------------------------------------------


_NO_DATE = (None, None, None)


def _date_cols(value: PartialDate | None) -> tuple:
    """A partial date's three columns (``*_vroegst``, ``*_laatst``, ``*_precisie``)."""
    if value is None:
        return _NO_DATE
    return value.earliest, value.latest, value.precision.value


class _TableBuilder:
    """Rows as tuples in the column order of :data:`SCHEMAS` (no dict per row: the tables of
    a caseload are built at once, and this is most of that cost)."""

    def __init__(self, first_id: int):
        self.next_id = first_id
        self.personen: list[tuple] = []
        self.records: list[tuple] = []
        self.episodes: list[tuple] = []

    def persoon(self, persoon: Persoon, *, is_jeugdige: bool, moeder_id: int | None = None,
                werkelijke_verblijfplaats_gemeente: str | None = None,
                werkelijke_verblijfplaats_datum: date | None = None,
                gezag_soort: str | None = None, gezag_ouder_id: int | None = None) -> int:
        pid = self.next_id
        self.next_id += 1
        self.personen.append((
            pid, persoon.burgerservicenummer, *_date_cols(persoon.geboortedatum), moeder_id,
            werkelijke_verblijfplaats_gemeente, werkelijke_verblijfplaats_datum, gezag_soort,
            gezag_ouder_id, is_jeugdige,
        ))
        # volgnr keeps the reference engine's order (the declared spans.HISTORIE_SLUITING:
        # begin, then source name with its numbers compared as numbers).
        ordered = sorted(persoon.historie, key=history_order)
        self.records.extend(
            (pid, volgnr, r.soort.value, *_date_cols(r.periode.van), *_date_cols(r.periode.tot),
             r.gemeente_code, r.land_code, r.in_onderzoek, *_date_cols(r.onderzoek_vanaf),
             r.vastgesteld_niet_op_adres, *_date_cols(r.niet_op_adres_vanaf), r.briefadres)
            for volgnr, r in enumerate(ordered)
        )
        return pid

    def case(self, case: Case) -> int:
        moeder_id = (
            self.persoon(case.moeder, is_jeugdige=False) if case.moeder is not None else None
        )
        gezag_soort = gezag_ouder_id = None
        if case.gezag is not None:
            gezag_soort = case.gezag.soort.value
            if case.gezag.ouder is not None:
                gezag_ouder_id = self.persoon(case.gezag.ouder, is_jeugdige=False)
        wvp = case.werkelijke_verblijfplaats
        pid = self.persoon(
            case.jeugdige,
            is_jeugdige=True,
            moeder_id=moeder_id,
            werkelijke_verblijfplaats_gemeente=wvp.gemeente_code if wvp else None,
            werkelijke_verblijfplaats_datum=wvp.datum if wvp else None,
            gezag_soort=gezag_soort,
            gezag_ouder_id=gezag_ouder_id,
        )
        # volgnr is the order of the sources (numbers compared as numbers), the order the
        # declared tie rules read (wpb.law.spans.Laatste.volgorde, bron_volgorde).
        ordered = sorted(case.jeugdhulp, key=lambda e: bron_volgorde(e.bron))
        self.episodes.extend(
            (pid, volgnr, e.begin, e.einde, e.verblijf, e.vorm.value if e.vorm else None,
             e.gemeente_code, e.in_verband_met_jji)
            for volgnr, e in enumerate(ordered)
        )
        return pid

    def population(self) -> Population:
        # Turned into columns first (zip, in C): polars builds typed columns faster than rows.
        return Population(*(
            pl.DataFrame(list(zip(*rows, strict=True)) or None, schema=SCHEMAS[table], orient="col")
            for rows, table in ((self.personen, PERSONEN), (self.records, VERBLIJFPLAATSEN),
                                (self.episodes, JEUGDHULP))
        ))


def cases_to_population(cases: Sequence[Case], first_id: int = 1) -> tuple[Population, list[int]]:
    """Tables holding ``cases``, and the persoon_id of each case's jeugdige (in order).

    The peildatum is not part of the tables: the batch engine takes it as a parameter.
    """
    builder = _TableBuilder(first_id)
    ids = [builder.case(case) for case in cases]
    return builder.population(), ids


# --- tables -> core facts --------------------------------------------------------------------


def _partial_from(row: dict, prefix: str) -> PartialDate | None:
    earliest = row[f"{prefix}_vroegst"]
    if earliest is None:
        return None
    return PartialDate(earliest, row[f"{prefix}_laatst"], Precision(row[f"{prefix}_precisie"]))


def _record(row: dict, bron: str) -> Verblijfplaats:
    van = _partial_from(row, "van")
    assert van is not None
    return Verblijfplaats(
        bron=bron,
        soort=VerblijfplaatsSoort(row["type"]),
        periode=Period(van, _partial_from(row, "tot")),
        gemeente_code=row["gemeente_code"],
        land_code=row["land_code"],
        in_onderzoek=bool(row["in_onderzoek"]),
        onderzoek_vanaf=_partial_from(row, "onderzoek_vanaf"),
        vastgesteld_niet_op_adres=bool(row["niet_op_adres"]),
        niet_op_adres_vanaf=_partial_from(row, "niet_op_adres_vanaf"),
        briefadres=bool(row["briefadres"]),
    )


class CaseAssembler:
    """Builds core cases from validated tables, one person at a time, without polars per call."""

    def __init__(self, population: Population):
        self.personen = {r["persoon_id"]: r for r in population.personen.iter_rows(named=True)}
        self.records: dict[int, list[dict]] = defaultdict(list)
        for r in population.verblijfplaatsen.iter_rows(named=True):
            self.records[r["persoon_id"]].append(r)
        self.episodes: dict[int, list[dict]] = defaultdict(list)
        for r in population.jeugdhulp.iter_rows(named=True):
            self.episodes[r["persoon_id"]].append(r)

    def persoon(self, pid: int, bron: str) -> Persoon:
        row = self.personen[pid]
        rows = sorted(self.records.get(pid, ()), key=lambda r: r["volgnr"])
        # Zero-padded positions keep the source names in volgnr order, which is the
        # reference engine's tie-break between records that begin on the same day(s).
        historie = tuple(
            _record(r, f"{bron}.verblijfplaatshistorie[{r['volgnr']:06d}]") for r in rows
        )
        return Persoon(
            bron=bron,
            geboortedatum=_partial_from(row, "geboorte"),
            historie=historie,
            burgerservicenummer=row["bsn"],
        )

    def case(self, pid: int, peildatum: date) -> Case:
        row = self.personen[pid]
        moeder = None
        if row["moeder_id"] is not None:
            moeder = self.persoon(row["moeder_id"], "moeder")
        gezag = None
        if row["gezag_soort"] is not None:
            ouder = None
            if row["gezag_ouder_id"] is not None:
                ouder = self.persoon(row["gezag_ouder_id"], "gezag.ouder")
            gezag = Gezag("gezag", GezagSoort(row["gezag_soort"]), ouder)
        wvp = None
        if row["werkelijke_verblijfplaats_gemeente"] is not None:
            wvp = WerkelijkeVerblijfplaats(
                "werkelijkeVerblijfplaats",
                row["werkelijke_verblijfplaats_gemeente"],
                row["werkelijke_verblijfplaats_datum"],
            )
        episodes = tuple(
            Jeugdhulp(
                bron=f"jeugdhulp[{e['volgnr']:06d}]",
                begin=e["begin"],
                einde=e["einde"],
                verblijf=bool(e["verblijf"]),
                vorm=JeugdhulpVorm(e["vorm"]) if e["vorm"] is not None else None,
                gemeente_code=e["gemeente_code"],
                in_verband_met_jji=e.get("in_verband_met_jji"),
            )
            for e in sorted(self.episodes.get(pid, ()), key=lambda e: e["volgnr"])
        )
        return Case(
            peildatum=peildatum,
            jeugdige=self.persoon(pid, "jeugdige"),
            moeder=moeder,
            jeugdhulp=episodes,
            werkelijke_verblijfplaats=wvp,
            gezag=gezag,
        )


def population_to_cases(
    population: Population, peildatum: date, persoon_ids: Iterable[int] | None = None
) -> Iterator[tuple[int, Case]]:
    """(persoon_id, case) for each youth (``is_jeugdige``), or for the ids given."""
    assembler = CaseAssembler(population)
    if persoon_ids is None:
        persoon_ids = population.personen.filter(pl.col("is_jeugdige"))["persoon_id"].to_list()
    for pid in persoon_ids:
        yield pid, assembler.case(pid, peildatum)


__all__ = [
    "JEUGDHULP",
    "PERSONEN",
    "SCHEMAS",
    "TABLES",
    "VERBLIJFPLAATSEN",
    "CaseAssembler",
    "Population",
    "cases_to_population",
    "conform",
    "empty",
    "file_name",
    "population_to_cases",
]
