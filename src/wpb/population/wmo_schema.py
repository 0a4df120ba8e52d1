"""The Parquet layout of beschermd-wonen clients, and converters to and from ``WmoBwCase``.

A Wmo population is the two BRP tables of :mod:`wpb.population.schema` (``personen`` and
``verblijfplaatsen``; no ``jeugdhulp``) plus four tables for what the municipality knows of
the request and of earlier beschermd wonen (docs/population.md describes every column):

- ``bw_aanmeldingen.parquet``: one row per client: the request (the aanmeldgemeente, the
  day, the client's beschermd-wonen region as a list of gemeentecodes), the intake's
  findings on art. 1.2.1a lid 1 onder b-d, the municipality where beschermd wonen is meant,
  and whether the earlier applications are known. The clients to decide are the persons in
  this table.
- ``bw_plaatsingen.parquet``: earlier (and running) beschermd-wonen placements.
- ``bw_aanvragen.parquet``: earlier applications, for the *nieuwe cliënt*.
- ``bw_indicaties.parquet``: at most one running or past indication per client.

Placement and application dates may be partial, stored as the three columns of the base
schema (``*_vroegst``, ``*_laatst``, ``*_precisie``). The converters make the two executors
comparable: :func:`wmo_cases_to_population` turns cases (e.g. the Wmo conformance cases)
into tables, :func:`wmo_population_to_cases` turns rows into cases for
:func:`wpb.law.wmo.decide_wmo_bw`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import polars as pl

from wpb.law.dates import PartialDate, Precision
from wpb.law.facts import Persoon
from wpb.law.wmo.facts import (
    Aanmelding,
    Aanvraag,
    BeschermdWonenPlaatsing,
    BwRegio,
    Indicatie,
    Uitzonderingen,
    WmoBwCase,
)
from wpb.population.schema import (
    JEUGDHULP,
    PERSONEN,
    SCHEMAS,
    VERBLIJFPLAATSEN,
    CaseAssembler,
    Population,
    _TableBuilder,
    empty,
    file_name,
)

AANMELDINGEN = "bw_aanmeldingen"
PLAATSINGEN = "bw_plaatsingen"
AANVRAGEN = "bw_aanvragen"
INDICATIES = "bw_indicaties"
BW_TABLES = (AANMELDINGEN, PLAATSINGEN, AANVRAGEN, INDICATIES)
# The BRP tables a Wmo population shares with the Jeugdwet layout.
BRP_TABLES = (PERSONEN, VERBLIJFPLAATSEN)
WMO_TABLES = BRP_TABLES + BW_TABLES


def _partial(prefix: str) -> dict[str, pl.DataType]:
    return {
        f"{prefix}_vroegst": pl.Date(),
        f"{prefix}_laatst": pl.Date(),
        f"{prefix}_precisie": pl.String(),
    }


BW_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    AANMELDINGEN: {
        "persoon_id": pl.Int64(),
        "aanmeldgemeente": pl.String(),
        "datum": pl.Date(),  # empty: the peildatum stands for the day of the request
        "regio_naam": pl.String(),
        "regio_gemeenten": pl.List(pl.String()),  # empty: the region is not given
        "regio_centrumgemeente": pl.String(),  # empty: the region's centrumgemeente not given
        "beoogde_gemeente": pl.String(),
        "uitzondering_b": pl.Boolean(),  # empty: not established
        "uitzondering_c": pl.Boolean(),
        "uitzondering_d": pl.Boolean(),
        "aanvragen_bekend": pl.Boolean(),  # false: earlier applications not given (unknown)
    },
    PLAATSINGEN: {
        "persoon_id": pl.Int64(),
        "volgnr": pl.Int32(),
        "gemeente": pl.String(),  # the college that provided it ("verstrekt")
        "locatie_gemeente": pl.String(),  # where the facility is; empty: not known
        **_partial("begin"),
        **_partial("einde"),  # empty: still running
    },
    AANVRAGEN: {
        "persoon_id": pl.Int64(),
        "volgnr": pl.Int32(),
        "gemeente": pl.String(),
        **_partial("datum"),
    },
    INDICATIES: {
        "persoon_id": pl.Int64(),
        "centrumgemeente": pl.String(),
        "toegekend": pl.Date(),  # the first day of the indication
        "einde": pl.Date(),  # the last day (inclusive); empty: no end date
    },
}

BW_REQUIRED_VALUES: dict[str, tuple[str, ...]] = {
    AANMELDINGEN: ("persoon_id", "aanmeldgemeente", "aanvragen_bekend"),
    PLAATSINGEN: ("persoon_id", "volgnr", "gemeente", "begin_vroegst", "begin_laatst",
                  "begin_precisie"),
    AANVRAGEN: ("persoon_id", "volgnr", "gemeente", "datum_vroegst", "datum_laatst",
                "datum_precisie"),
    INDICATIES: ("persoon_id", "centrumgemeente", "toegekend"),
}

BW_PARTIAL_DATES: dict[str, tuple[str, ...]] = {
    AANMELDINGEN: (),
    PLAATSINGEN: ("begin", "einde"),
    AANVRAGEN: ("datum",),
    INDICATIES: (),
}


def schema_of(table: str) -> dict[str, pl.DataType]:
    """The columns of any table of a Wmo population (BRP or beschermd wonen)."""
    return BW_SCHEMAS[table] if table in BW_SCHEMAS else SCHEMAS[table]


def bw_empty(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema=schema_of(table))


@dataclass(frozen=True)
class WmoPopulation:
    """The six tables of beschermd-wonen clients, with the columns of :func:`schema_of`."""

    personen: pl.DataFrame
    verblijfplaatsen: pl.DataFrame
    aanmeldingen: pl.DataFrame
    plaatsingen: pl.DataFrame
    aanvragen: pl.DataFrame
    indicaties: pl.DataFrame

    _ATTR = {
        PERSONEN: "personen", VERBLIJFPLAATSEN: "verblijfplaatsen", AANMELDINGEN: "aanmeldingen",
        PLAATSINGEN: "plaatsingen", AANVRAGEN: "aanvragen", INDICATIES: "indicaties",
    }

    def table(self, name: str) -> pl.DataFrame:
        return getattr(self, self._ATTR[name])

    @property
    def brp(self) -> Population:
        """The BRP part as a base population (without care episodes), for the shared readers."""
        return Population(self.personen, self.verblijfplaatsen, empty(JEUGDHULP))

    def write(self, folder: Path, metadata: dict[str, str] | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name in WMO_TABLES:
            self.table(name).write_parquet(
                folder / file_name(name), compression="zstd", metadata=metadata or None
            )

    def filter_persons(self, persoon_ids: Iterable[int]) -> WmoPopulation:
        """The rows of these persons only."""
        ids = pl.Series("persoon_id", list(persoon_ids), dtype=pl.Int64).implode()
        return WmoPopulation(
            *(self.table(t).filter(pl.col("persoon_id").is_in(ids)) for t in WMO_TABLES)
        )


# --- core facts -> tables --------------------------------------------------------------------


def _date_cols(prefix: str, value: PartialDate | None) -> dict:
    if value is None:
        return {f"{prefix}_vroegst": None, f"{prefix}_laatst": None, f"{prefix}_precisie": None}
    return {
        f"{prefix}_vroegst": value.earliest,
        f"{prefix}_laatst": value.latest,
        f"{prefix}_precisie": value.precision.value,
    }


def _with_briefadressen(client: Persoon, briefadressen: tuple[str, ...]) -> Persoon:
    """The client with the records the case marks as briefadres carrying that mark."""
    if not briefadressen:
        return client
    marked = set(briefadressen)
    return replace(client, historie=tuple(
        replace(r, briefadres=True) if r.bron in marked else r for r in client.historie
    ))


def wmo_cases_to_population(
    cases: Sequence[WmoBwCase], first_id: int = 1
) -> tuple[WmoPopulation, list[int]]:
    """Tables holding ``cases``, and the persoon_id of each case's client (in order).

    The peildatum is not part of the tables: the batch engine takes it as a parameter.
    A briefadres the case lists (``briefadressen``) becomes the record's ``briefadres`` flag.
    """
    builder = _TableBuilder(first_id)
    aanmeldingen, plaatsingen, aanvragen, indicaties = [], [], [], []
    ids = []
    for case in cases:
        pid = builder.persoon(
            _with_briefadressen(case.client, case.briefadressen), is_jeugdige=False
        )
        ids.append(pid)
        melding = case.aanmelding
        u = case.uitzonderingen
        aanmeldingen.append({
            "persoon_id": pid,
            "aanmeldgemeente": melding.gemeente_code,
            "datum": melding.datum,
            "regio_naam": melding.regio.naam if melding.regio else None,
            "regio_gemeenten": list(melding.regio.gemeenten) if melding.regio else None,
            "regio_centrumgemeente": melding.regio.centrumgemeente if melding.regio else None,
            "beoogde_gemeente": case.beoogde_gemeente,
            "uitzondering_b": u.b if u else None,
            "uitzondering_c": u.c if u else None,
            "uitzondering_d": u.d if u else None,
            "aanvragen_bekend": case.eerdere_aanvragen is not None,
        })
        for volgnr, p in enumerate(case.eerder_beschermd_wonen):
            plaatsingen.append({
                "persoon_id": pid, "volgnr": volgnr, "gemeente": p.gemeente_code,
                "locatie_gemeente": p.locatie_gemeente,
                **_date_cols("begin", p.begin), **_date_cols("einde", p.einde),
            })
        for volgnr, a in enumerate(case.eerdere_aanvragen or ()):
            aanvragen.append({
                "persoon_id": pid, "volgnr": volgnr, "gemeente": a.gemeente_code,
                **_date_cols("datum", a.datum),
            })
        if case.indicatie is not None:
            ind = case.indicatie
            indicaties.append({
                "persoon_id": pid, "centrumgemeente": ind.centrumgemeente,
                "toegekend": ind.begin, "einde": ind.einde,
            })
    brp = builder.population()
    population = WmoPopulation(
        brp.personen,
        brp.verblijfplaatsen,
        pl.DataFrame(aanmeldingen, schema=BW_SCHEMAS[AANMELDINGEN]),
        pl.DataFrame(plaatsingen, schema=BW_SCHEMAS[PLAATSINGEN]),
        pl.DataFrame(aanvragen, schema=BW_SCHEMAS[AANVRAGEN]),
        pl.DataFrame(indicaties, schema=BW_SCHEMAS[INDICATIES]),
    )
    return population, ids


# --- tables -> core facts --------------------------------------------------------------------


def _partial_from(row: dict, prefix: str) -> PartialDate | None:
    earliest = row[f"{prefix}_vroegst"]
    if earliest is None:
        return None
    return PartialDate(earliest, row[f"{prefix}_laatst"], Precision(row[f"{prefix}_precisie"]))


class WmoCaseAssembler:
    """Builds ``WmoBwCase`` objects from validated tables, one client at a time."""

    def __init__(self, population: WmoPopulation):
        self.brp = CaseAssembler(population.brp)
        self.aanmeldingen = {
            r["persoon_id"]: r for r in population.aanmeldingen.iter_rows(named=True)
        }
        self.indicaties = {
            r["persoon_id"]: r for r in population.indicaties.iter_rows(named=True)
        }
        self.plaatsingen: dict[int, list[dict]] = defaultdict(list)
        for r in population.plaatsingen.iter_rows(named=True):
            self.plaatsingen[r["persoon_id"]].append(r)
        self.aanvragen: dict[int, list[dict]] = defaultdict(list)
        for r in population.aanvragen.iter_rows(named=True):
            self.aanvragen[r["persoon_id"]].append(r)

    def case(self, pid: int, peildatum: date) -> WmoBwCase:
        row = self.aanmeldingen[pid]
        client = self.brp.persoon(pid, "client")
        regio = None
        if row["regio_gemeenten"] is not None:
            regio = BwRegio(
                "aanmelding.regio", row["regio_naam"], tuple(sorted(set(row["regio_gemeenten"]))),
                row["regio_centrumgemeente"],
            )
        aanmelding = Aanmelding("aanmelding", row["aanmeldgemeente"], row["datum"], regio)
        plaatsingen = []
        for p in sorted(self.plaatsingen.get(pid, ()), key=lambda r: r["volgnr"]):
            begin = _partial_from(p, "begin")
            assert begin is not None
            plaatsingen.append(BeschermdWonenPlaatsing(
                f"eerderBeschermdWonen[{p['volgnr']:06d}]", p["gemeente"], begin,
                _partial_from(p, "einde"), p["locatie_gemeente"],
            ))
        aanvragen = None
        if row["aanvragen_bekend"]:
            aanvragen = []
            for a in sorted(self.aanvragen.get(pid, ()), key=lambda r: r["volgnr"]):
                datum = _partial_from(a, "datum")
                assert datum is not None
                aanvragen.append(
                    Aanvraag(f"eerdereAanvragen[{a['volgnr']:06d}]", a["gemeente"], datum)
                )
        indicatie = None
        if pid in self.indicaties:
            ind = self.indicaties[pid]
            indicatie = Indicatie("indicatie", ind["centrumgemeente"], ind["toegekend"], ind["einde"])
        flags = (row["uitzondering_b"], row["uitzondering_c"], row["uitzondering_d"])
        uitzonderingen = None
        if any(f is not None for f in flags):
            uitzonderingen = Uitzonderingen("uitzonderingen", *flags)
        return WmoBwCase(
            peildatum=peildatum,
            client=client,
            aanmelding=aanmelding,
            eerder_beschermd_wonen=tuple(plaatsingen),
            eerdere_aanvragen=tuple(aanvragen) if aanvragen is not None else None,
            indicatie=indicatie,
            uitzonderingen=uitzonderingen,
            beoogde_gemeente=row["beoogde_gemeente"],
            briefadressen=tuple(r.bron for r in client.historie if r.briefadres),
        )


def wmo_population_to_cases(
    population: WmoPopulation, peildatum: date, persoon_ids: Iterable[int] | None = None
) -> Iterator[tuple[int, WmoBwCase]]:
    """(persoon_id, case) for each client (a row of ``bw_aanmeldingen``), or for the ids given."""
    assembler = WmoCaseAssembler(population)
    if persoon_ids is None:
        persoon_ids = population.aanmeldingen["persoon_id"].to_list()
    for pid in persoon_ids:
        yield pid, assembler.case(pid, peildatum)


__all__ = [
    "AANMELDINGEN",
    "AANVRAGEN",
    "BRP_TABLES",
    "BW_PARTIAL_DATES",
    "BW_REQUIRED_VALUES",
    "BW_SCHEMAS",
    "BW_TABLES",
    "INDICATIES",
    "PLAATSINGEN",
    "WMO_TABLES",
    "WmoCaseAssembler",
    "WmoPopulation",
    "bw_empty",
    "schema_of",
    "wmo_cases_to_population",
    "wmo_population_to_cases",
]
