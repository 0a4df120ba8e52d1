"""Earlier beschermd wonen: each placement's states on the day of the request and the one that
ended last (reference: ``beschermd_wonen._standen`` and ``_laatste_plaatsing``)."""

from __future__ import annotations

import polars as pl

from wpb.batch.compile import compile_laatste, compile_term
from wpb.batch.engine import Key
from wpb.batch.wmo.compile import placement_env
from wpb.batch.wmo.keys import _days, _lookup
from wpb.law.wmo.spans import (
    GEEINDIGD,
    LAATST_GEEINDIGD,
    LOOPT,
    MOGELIJK_BINNEN_TWAALF_MAANDEN,
    NOG_NIET_BEGONNEN,
    ZEKER_BINNEN_TWAALF_MAANDEN,
)
from wpb.population.wmo_schema import WmoPopulation

# The columns of a placement's fields (wpb.law.wmo.spans.PlaatsingOpDag), as day numbers.
_ENV = placement_env({
    "melddatum": pl.col("m"), "begin_vroegst": pl.col("b_e"), "begin_laatst": pl.col("b_l"),
    "einde_vroegst": pl.col("e_e"), "einde_laatst": pl.col("e_l"),
})


def _placements(population: WmoPopulation, clients: pl.DataFrame,
                keys: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per client: whether a placement's state on the day of the request is uncertain
    (route), whether one runs, and the readings of exception a (reference: _standen and
    _laatste_plaatsing) as key aggregates; and the placements with their states (for
    :func:`_agreement`)."""
    rows = population.plaatsingen.join(clients.select("pid", "m"), left_on="persoon_id",
                                       right_on="pid", how="inner").select(
        pl.col("persoon_id").alias("pid"), "volgnr", "m",
        _lookup(keys, "gemeente", "okey").alias("a_key"),
        _days("begin_vroegst").alias("b_e"), _days("begin_laatst").alias("b_l"),
        _days("einde_vroegst").alias("e_e"), _days("einde_laatst").alias("e_l"),
    )
    # The declared states (wpb.law.wmo.spans.STANDEN; reference: _standen): "voor" (not
    # begun), "loopt", "geeindigd".
    voor = compile_term(NOG_NIET_BEGONNEN, _ENV)
    loopt = compile_term(LOOPT, _ENV)
    ended = compile_term(GEEINDIGD, _ENV)
    rows = rows.with_columns(
        ((voor.cast(pl.Int8) + loopt.cast(pl.Int8) + ended.cast(pl.Int8)) > 1).alias("multi"),
        voor.alias("voor"), loopt.alias("loopt"), ended.alias("ended"),
    )
    states = rows.group_by("pid").agg(
        pl.col("multi").any().alias("any_multi"),
        (pl.col("loopt") & ~pl.col("multi")).any().alias("any_runs"),
        # In the first reading (each placement in its first state) one of them runs.
        (pl.col("multi") & ~voor).any().alias("multi_runs_first"),
        # In some reading one of them runs.
        (pl.col("multi") & loopt).any().alias("multi_may_run"),
        pl.col("multi").sum().alias("n_multi"),
        # In some reading one of them ended, provided by one gemeente (on the peildatum).
        (pl.col("multi") & ended & Key.is_gemeente(pl.col("a_key"))).any().alias("multi_ends_in_gemeente"),
        # In some reading one of them ended.
        (pl.col("multi") & ended).any().alias("multi_may_end"),
    )
    # Certain ends: the end is before the request, so the latest end is einde.latest. The
    # first reading has each placement in its first state: one that may not have begun, has
    # not (``settled``). The other reading, compared where one placement's state is uncertain
    # (``_hoofdregel``), has it ended ("_b").
    first = _last_readings(rows.filter(pl.col("ended") & ~pl.col("multi")))
    other = _last_readings(rows.filter(pl.col("ended")))
    readings = first.join(other.rename({c: f"{c}_b" for c in other.columns if c != "pid"}),
                          on="pid", how="full", coalesce=True)
    return states.join(readings, on="pid", how="full", coalesce=True), rows


def _may_be_last(ends: pl.DataFrame, competes: pl.Expr) -> pl.DataFrame:
    """Reference: _laatste_plaatsing: the placements of ``ends`` (each ended before the
    request) that may have ended last, the declared ``wpb.law.wmo.spans.LAATST_GEEINDIGD``
    compiled (a placement is left out when another certainly ended later), against those
    among them for which ``competes`` holds. With whether exception a holds for it in every
    reading (``sure``) and in some reading (``maybe``)."""
    return compile_laatste(LAATST_GEEINDIGD, ends, _ENV, competes=competes).with_columns(
        compile_term(ZEKER_BINNEN_TWAALF_MAANDEN, _ENV).alias("sure"),
        compile_term(MOGELIJK_BINNEN_TWAALF_MAANDEN, _ENV).alias("maybe"),
    )


def _last_readings(ends: pl.DataFrame) -> pl.DataFrame:
    """Reference: _laatste_plaatsing over the placements ``ends`` (each ended before the
    request): per client the keys of exception a in the readings where it applies, whether
    a reading without it (the woonadres) exists, and the first reading's."""
    ends = _may_be_last(ends, pl.lit(True))
    return ends.sort("pid", "volgnr").group_by("pid", maintain_order=True).agg(
        pl.col("a_key").filter(pl.col("maybe")).min().alias("a_min"),
        pl.col("a_key").filter(pl.col("maybe")).max().alias("a_max"),
        pl.col("maybe").any().alias("has_a"),
        (~pl.col("sure")).any().alias("has_w"),
        pl.col("maybe").first().alias("first_is_a"),
        pl.col("a_key").first().alias("first_key"),
    )
