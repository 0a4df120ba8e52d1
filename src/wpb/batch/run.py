"""A whole batch run: check the input, decide every youth, derive the reports, write files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from wpb.batch import report
from wpb.batch.engine import (
    REGEL_2015,
    REGEL_2022,
    REGEL_AUTO,
    Step,
    decide_population,
    prepare,
    readings_on_peildatum,
    regel_for,
)
from wpb.law.gemeenten import GemeenteRegister
from wpb.population.validate import read_population


@dataclass
class BatchRun:
    peildatum: date
    regel: str | None  # the version applied (None: before the Jeugdwet)
    result: pl.DataFrame
    gemeenten: pl.DataFrame
    matrix: pl.DataFrame
    flows: pl.DataFrame
    rejected: pl.DataFrame
    rejected_persons: int
    in_care: int


def run_batch(folder: Path, peildatum: date, register: GemeenteRegister, *,
              skip_invalid: bool = False, step: Step = lambda _: None) -> BatchRun:
    step("invoer lezen en controleren")
    checked = read_population(folder, register, skip_invalid=skip_invalid)
    population = checked.population
    prep = prepare(population, peildatum, register, step)
    regel = regel_for(peildatum, REGEL_AUTO)
    step("inschrijving op de peildatum")
    on_day = readings_on_peildatum(prep)
    result = decide_population(population, peildatum, register, prepared=prep, on_day=on_day, step=step)

    step("migratiematrix: jeugdigen in zorg")
    in_care = report.in_care_on(population.jeugdhulp, peildatum)
    # The rule in force gives one side; the other rule is applied to the same youths.
    answers = {}
    for version in (REGEL_2015, REGEL_2022):
        if version == regel:
            answers[version] = result.filter(pl.col("persoon_id").is_in(in_care.implode()))
        else:
            answers[version] = decide_population(
                population, peildatum, register, regel=version, persoon_ids=in_care,
                prepared=prep, on_day=on_day, step=step,
            )
    matrix = report.migration_matrix(answers[REGEL_2015], answers[REGEL_2022], register)
    step("rapportage per gemeente")
    return BatchRun(
        peildatum=peildatum,
        regel=regel,
        result=result,
        gemeenten=report.per_gemeente(result, register),
        matrix=matrix,
        flows=report.net_flows(matrix, register),
        rejected=checked.rejected,
        rejected_persons=checked.rejected_persons,
        in_care=in_care.len(),
    )


def output_paths(out: Path) -> dict[str, Path]:
    stem = out.with_suffix("")
    return {
        "resultaat": out,
        "gemeenten_parquet": Path(f"{stem}.gemeenten.parquet"),
        "gemeenten_csv": Path(f"{stem}.gemeenten.csv"),
        "migratie_parquet": Path(f"{stem}.migratie.parquet"),
        "migratie_csv": Path(f"{stem}.migratie.csv"),
        "stromen_csv": Path(f"{stem}.stromen.csv"),
        "grafiek": Path(f"{stem}.migratie.png"),
        "afgewezen": Path(f"{stem}.afgewezen.csv"),
    }


def write_outputs(run: BatchRun, out: Path) -> dict[str, Path]:
    paths = output_paths(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    run.result.write_parquet(paths["resultaat"], compression="zstd")
    run.gemeenten.write_parquet(paths["gemeenten_parquet"])
    run.gemeenten.write_csv(paths["gemeenten_csv"])
    run.matrix.write_parquet(paths["migratie_parquet"])
    run.matrix.write_csv(paths["migratie_csv"])
    run.flows.write_csv(paths["stromen_csv"])
    report.flow_chart(run.flows, paths["grafiek"], peildatum=run.peildatum)
    written = {k: v for k, v in paths.items() if k != "afgewezen"}
    if run.rejected.height:
        run.rejected.write_csv(paths["afgewezen"])
        written["afgewezen"] = paths["afgewezen"]
    return written


__all__ = ["BatchRun", "output_paths", "run_batch", "write_outputs"]
