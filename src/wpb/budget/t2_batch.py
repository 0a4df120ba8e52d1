"""Adapter: the voogdij/18+ T-2 table from a population and the national run (wpb.batch).

For care year Y and a peildatum in Y (default 31 December), the table holds one row per
youth who, on the peildatum, is in care (a jeugdhulp episode runs that day) and either
is 18 or older (verlengde jeugdhulp, ``18+``) or has gezag ``voogdij`` (``voogdij``).
Both woonplaats rules are applied to these youths with the batch engine on the peildatum:

- ``gemeente_geregistreerd``: the pre-2022 rule (Jeugdwet art. 1.1 as in force until
  2022), standing in for the gemeente as registered in the beleidsinformatie;
- ``gemeente_2022``: the 2022 rule. A ``review`` answer leaves the gemeente empty and puts
  the engine's reason in ``reden_review`` (``reden_geregistreerd`` for the pre-2022 rule).

``volume`` is the number of days of care in Y (overlapping episodes counted once). Youths
with care in Y but not on the peildatum, and youths whose age on the peildatum may or may
not be 18 (a partial birth date) without voogdij, are not in the table; the summary counts
them, so nothing disappears unseen. The person id is the population's ``persoon_id``,
never a BSN.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import polars as pl

from wpb import refdata
from wpb.batch.engine import (
    REGEL_2015,
    REGEL_2022,
    decide_population,
    prepare,
    readings_on_peildatum,
)
from wpb.law.budget.inputs import InputProblem, InvalidBudgetInput
from wpb.law.dates import age_on
from wpb.law.decision import Status
from wpb.law.facts import GezagSoort
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.jeugdwet.common import MEERDERJARIG
from wpb.population.schema import Population
from wpb.population.validate import InvalidPopulation, read_population

T2_SCHEMA = {
    "persoon": pl.String,
    "jaar": pl.Int32,
    "soort": pl.String,
    "gemeente_geregistreerd": pl.String,
    "reden_geregistreerd": pl.String,
    "gemeente_2022": pl.String,
    "reden_review": pl.String,
    "volume": pl.Int64,
}


@dataclass(frozen=True)
class T2TableSummary:
    jaar: int
    peildatum: date
    rows: int
    voogdij: int
    achttien_plus: int
    review_geregistreerd: int
    review_2022: int
    in_care_in_year_not_on_peildatum: int
    age_uncertain: int
    path: Path | None = None

    def describe(self) -> str:
        where = f" → {self.path}" if self.path else ""
        return (
            f"T-2-tabel zorgjaar {self.jaar}, peildatum {self.peildatum.isoformat()}{where}: "
            f"{self.rows} jeugdigen ({self.voogdij} voogdij, {self.achttien_plus} 18+); zonder "
            f"gemeente (te beoordelen) naar de regel van vóór 2022: {self.review_geregistreerd}, "
            f"naar de regel van 2022: {self.review_2022}. Niet in de tabel: "
            f"{self.in_care_in_year_not_on_peildatum} jeugdigen met zorg in {self.jaar} maar niet "
            f"op de peildatum; {self.age_uncertain} zonder voogdij van wie niet vaststaat of zij "
            "op de peildatum 18 waren."
        )


def _care_days(episodes: list[tuple[date, date]]) -> int:
    """Days covered by the (inclusive) episodes, overlaps once."""
    total = 0
    end_so_far: date | None = None
    for begin, end in sorted(episodes):
        if end_so_far is not None and begin <= end_so_far:
            if end > end_so_far:
                total += (end - end_so_far).days
                end_so_far = end
            continue
        total += (end - begin).days + 1
        end_so_far = end
    return total


def t2_table(
    population: Population, jaar: int, peildatum: date, register: GemeenteRegister
) -> tuple[pl.DataFrame, T2TableSummary]:
    """The T-2 table for care year ``jaar`` (columns of :data:`T2_SCHEMA`) and its summary."""
    if peildatum.year != jaar:
        raise InvalidBudgetInput(
            [InputProblem("peildatum", "peildatum", f"{peildatum.isoformat()} ligt niet in {jaar}")]
        )
    first, last = date(jaar, 1, 1), date(jaar, 12, 31)
    youths = population.personen.filter(pl.col("is_jeugdige"))
    care = population.jeugdhulp.join(youths.select("persoon_id"), on="persoon_id", how="semi")
    in_year = care.filter(
        (pl.col("begin") <= last) & (pl.col("einde").is_null() | (pl.col("einde") >= first))
    )
    on_day = in_year.filter(
        (pl.col("begin") <= peildatum)
        & (pl.col("einde").is_null() | (pl.col("einde") >= peildatum))
    )["persoon_id"].unique()
    not_on_day = in_year["persoon_id"].unique().len() - on_day.len()

    candidates = youths.filter(pl.col("persoon_id").is_in(on_day.implode())).select(
        "persoon_id", "geboorte_vroegst", "geboorte_laatst", "gezag_soort"
    )
    soort: dict[int, str] = {}
    uncertain = 0
    for pid, born_early, born_late, gezag in candidates.iter_rows():
        adult_for_sure = born_late is not None and age_on(born_late, peildatum) >= MEERDERJARIG
        maybe_adult = born_early is None or age_on(born_early, peildatum) >= MEERDERJARIG
        if adult_for_sure:
            soort[pid] = "18+"
        elif gezag == GezagSoort.VOOGDIJ.value:
            soort[pid] = "voogdij"
        elif maybe_adult:
            uncertain += 1
    ids = pl.Series("persoon_id", sorted(soort), dtype=pl.Int64)

    episodes: dict[int, list[tuple[date, date]]] = {}
    selected = in_year.filter(pl.col("persoon_id").is_in(ids.implode()))
    for pid, begin, end in selected.select("persoon_id", "begin", "einde").iter_rows():
        episodes.setdefault(pid, []).append((max(begin, first), min(end or last, last)))

    answers = {}
    if ids.len():
        prep = prepare(population, peildatum, register)
        readings = readings_on_peildatum(prep)
        for regel in (REGEL_2015, REGEL_2022):
            answers[regel] = {
                row["persoon_id"]: row
                for row in decide_population(
                    population,
                    peildatum,
                    register,
                    regel=regel,
                    persoon_ids=ids,
                    prepared=prep,
                    on_day=readings,
                ).iter_rows(named=True)
            }

    def gemeente_and_reason(answer: dict | None) -> tuple[str | None, str | None]:
        if answer is None:
            return None, "geen uitkomst van de landelijke doorrekening"
        if answer["status"] == Status.BEPAALD.value and answer["gemeente"]:
            return answer["gemeente"], None
        if answer["status"] == Status.BEPAALD.value:
            return None, f"woonplaats buiten Nederland (onderdeel {answer['onderdeel']}°)"
        return None, answer["reden"] or "review"

    rows = []
    for pid in ids.to_list():
        registered, registered_reason = gemeente_and_reason(answers[REGEL_2015].get(pid))
        new, new_reason = gemeente_and_reason(answers[REGEL_2022].get(pid))
        rows.append(
            {
                "persoon": str(pid),
                "jaar": jaar,
                "soort": soort[pid],
                "gemeente_geregistreerd": registered,
                "reden_geregistreerd": registered_reason,
                "gemeente_2022": new,
                "reden_review": new_reason,
                "volume": _care_days(episodes.get(pid, [])),
            }
        )
    table = pl.DataFrame(rows, schema=T2_SCHEMA)
    summary = T2TableSummary(
        jaar=jaar,
        peildatum=peildatum,
        rows=table.height,
        voogdij=sum(1 for s in soort.values() if s == "voogdij"),
        achttien_plus=sum(1 for s in soort.values() if s == "18+"),
        review_geregistreerd=table["gemeente_geregistreerd"].null_count(),
        review_2022=table["gemeente_2022"].null_count(),
        in_care_in_year_not_on_peildatum=not_on_day,
        age_uncertain=uncertain,
    )
    return table, summary


def write_t2_table(folder: Path, jaar: int, out: Path, *, peildatum: date) -> T2TableSummary:
    """Read and check the population in ``folder``, build the T-2 table, write CSV or Parquet."""
    if out.suffix.lower() not in (".csv", ".parquet"):
        raise InvalidBudgetInput([InputProblem(str(out), "", "uitvoer moet .csv of .parquet zijn")])
    register = refdata.gemeente_register()
    try:
        population = read_population(folder, register, peildatum).population
    except InvalidPopulation as exc:
        raise InvalidBudgetInput([InputProblem(str(folder), "", str(exc))]) from None
    table, summary = t2_table(population, jaar, peildatum, register)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        table.write_csv(out)
    else:
        table.write_parquet(out)
    return replace(summary, path=out)
