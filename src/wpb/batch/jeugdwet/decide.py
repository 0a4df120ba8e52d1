"""The answer for every youth of a population: the version in force (``regel_for``), the rules
of that version, the public result columns, and the few persons handed to the reference
engine (``via_referentie``).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from wpb.batch.jeugdwet.outcomes import GESPLITST, REDENEN, STATUS_BEPAALD, WET_NIET, named, review
from wpb.batch.jeugdwet.prepare import Prepared, Step, _no_step, prepare
from wpb.batch.jeugdwet.readings import readings_on_peildatum
from wpb.batch.jeugdwet.woonplaats_2015 import decide_2015
from wpb.batch.jeugdwet.woonplaats_2022 import decide_2022
from wpb.law.decision import Status
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.jeugdwet import woonplaats_2015, woonplaats_2022
from wpb.population.schema import CaseAssembler, Population

REGEL_2022 = "2022"
REGEL_2015 = "2015"
REGEL_AUTO = "auto"


def regel_for(peildatum: date, regel: str) -> str | None:
    """Which version applies: ``auto`` follows the peildatum like the reference engine."""
    if regel != REGEL_AUTO:
        return regel
    if peildatum >= woonplaats_2022.GELDIG_VANAF:
        return REGEL_2022
    if peildatum >= woonplaats_2015.GELDIG_VANAF:
        return REGEL_2015
    return None


RESULT_SCHEMA = {
    "persoon_id": pl.Int64,
    "status": pl.String,
    "gemeente": pl.String,
    "onderdeel": pl.Int8,
    "reden": pl.String,
    "via_referentie": pl.Boolean,
    "inschrijvingsgemeente": pl.String,
}


def decide_population(
    population: Population,
    peildatum: date,
    register: GemeenteRegister,
    *,
    regel: str = REGEL_AUTO,
    persoon_ids: pl.Series | None = None,
    prepared: Prepared | None = None,
    on_day: pl.DataFrame | None = None,
    step: Step = _no_step,
    split_code: bool = False,
) -> pl.DataFrame:
    """One row per youth (``is_jeugdige``, or the ids given) with the answer on the peildatum.

    Columns: persoon_id, status, gemeente, onderdeel, reden, via_referentie (decided by
    the reference engine, see the module docstring) and inschrijvingsgemeente (where the
    youth is registered on the peildatum when that is certain; for the reports). ``regel``
    is ``auto`` (the version in force on the peildatum), ``2022`` or ``2015`` (apply that
    version whatever the peildatum, for the migration comparison). ``split_code`` adds the
    column ``gesplitste_code``: for a review of a split municipality, the code whose
    successors are the candidates.
    """
    version = regel_for(peildatum, regel)
    prep = prepared or prepare(population, peildatum, register, step)
    youths = prep.personen.filter(pl.col("is_jeugdige"))
    if persoon_ids is not None:
        youths = youths.filter(pl.col("pid").is_in(persoon_ids.implode()))
    if version is None:
        # Reference: engine.decide before 2015: the Jeugdwet did not apply.
        out = youths.select("pid", *named(review(WET_NIET, None), "u"), pl.lit(False).alias("route"))
    else:
        if on_day is None:
            step("inschrijving op de peildatum")
            on_day = readings_on_peildatum(prep)
        rule = decide_2022 if version == REGEL_2022 else decide_2015
        out = rule(prep, youths, on_day, step)
    step("uitkomsten samenstellen")
    if "inschrijving" not in out.columns:
        out = out.with_columns(pl.lit(None, pl.Int32).alias("inschrijving"))
    result = out.select(
        pl.col("pid").alias("persoon_id"),
        pl.when(pl.col("u_status") == STATUS_BEPAALD).then(pl.lit(Status.BEPAALD.value))
        .otherwise(pl.lit(Status.REVIEW.value)).alias("status"),
        pl.col("u_gemeente").cast(pl.String).str.zfill(4).alias("gemeente"),
        pl.col("u_onderdeel").alias("onderdeel"),
        pl.col("u_reden").replace_strict(
            list(range(len(REDENEN))), [r.value for r in REDENEN], default=None,
            return_dtype=pl.String,
        ).alias("reden"),
        pl.col("route").alias("via_referentie"),
        pl.col("inschrijving").cast(pl.String).str.zfill(4).alias("inschrijvingsgemeente"),
        *([pl.when(pl.col("u_reden") == GESPLITST).then(pl.col("u_kand")).cast(pl.String)
           .str.zfill(4).alias("gesplitste_code")] if split_code else []),
    )
    routed = result.filter(pl.col("via_referentie"))
    if routed.height:
        step(f"{routed.height} personen via de referentie-engine")
        result = _decide_by_reference(result, routed["persoon_id"], population, peildatum, register, version)
    return result


def _decide_by_reference(result: pl.DataFrame, ids: pl.Series, population: Population,
                         peildatum: date, register: GemeenteRegister, version: str) -> pl.DataFrame:
    """The reference engine's answer for the persons the columnar rules route to it."""
    wanted = ids.implode()
    persons = population.personen.filter(pl.col("persoon_id").is_in(wanted))
    related = pl.concat([persons["persoon_id"], persons["moeder_id"], persons["gezag_ouder_id"]]).drop_nulls()
    assembler = CaseAssembler(population.filter_persons(related.unique().to_list()))
    rule = woonplaats_2022.decide if version == REGEL_2022 else woonplaats_2015.decide
    rows = []
    for pid in ids.to_list():
        outcome, _ = rule(assembler.case(pid, peildatum), register)
        rows.append({
            "persoon_id": pid,
            "status": outcome.status.value,
            "gemeente": outcome.gemeente,
            "onderdeel": outcome.grondslag.onderdeel if outcome.grondslag else None,
            "reden": outcome.reden.value if outcome.reden else None,
            "via_referentie": True,
        })
    fixed = pl.DataFrame(rows, schema={k: v for k, v in RESULT_SCHEMA.items() if k != "inschrijvingsgemeente"})
    return result.update(fixed, on="persoon_id", include_nulls=True)
