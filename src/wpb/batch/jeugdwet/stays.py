"""Stays: the series of stays covering a day (reference: ``common.stay_series_on``, the series
declared once in :mod:`wpb.law.spans`, compiled), the most recent JJI stay (the declared
choice ``spans.JJI_VERBLIJF_MEEST_RECENT``, compiled) and an aantekening placed after a stay began
(reference: the route of WOONADRES_ROUTES with gevolg GEVOLG_AANTEKENING_NA_DAG).
"""

from __future__ import annotations

import polars as pl

from wpb.batch.compile import compile_laatste, compile_places, compile_series, compile_term
from wpb.batch.jeugdwet.prepare import _OPEN_END, Prepared
from wpb.batch.jeugdwet.readings import (
    aantekening_on_day,
    late_aantekening,
    reading_env,
    record_on_days,
)
from wpb.law.predicates import (
    GEBOORTE_LAATST,
    GEBOORTE_VROEGST,
    GEMEENTE,
    JJI_VERBLIJF,
    TEGENSTRIJDIGE_JEUGDHULP,
    VERBLIJF_BEGIN,
    VERBLIJF_VANAF_GEBOORTE_ZEKER,
)
from wpb.law.spans import (
    BEGIN,
    DAG,
    EINDE,
    JJI_VERBLIJF_MEEST_RECENT,
    PLAATSEN_VAN_VERBLIJF,
    stay_series,
)


def series_begin(prep: Prepared, *, contradictory_as_stay: bool,
                 only: pl.DataFrame | None = None, day: str | None = None) -> pl.DataFrame:
    """(pid, begin of the uninterrupted series of stays covering the peildatum): the series
    declared once in wpb.law.spans (stay_series), compiled.

    ``only``: restrict to these pids (a frame with column pid); ``day``: a column of
    ``only`` with the day (number) the series must cover instead of the peildatum.
    """
    episodes = prep.episodes if only is None else prep.episodes.join(only, on="pid", how="semi")
    until = pl.lit(prep.p)
    if day is not None:
        assert only is not None
        episodes = episodes.join(only.select("pid", day), on="pid")
        until = pl.col(day)
    env = {"verblijf": pl.col("verblijf"), TEGENSTRIJDIGE_JEUGDHULP.name: pl.col("contradictory")}
    return compile_series(stay_series(contradictory_as_stay), episodes, env, until, open_end=_OPEN_END)


def most_recent_jji_stay(prep: Prepared, only: pl.DataFrame | None = None) -> pl.DataFrame:
    """(pid, volgnr, jji_day): per person the most recent JJI stay begun by the peildatum, the
    declared ``spans.JJI_VERBLIJF_MEEST_RECENT`` with its tie rule (the last by source:
    ``volgnr``), compiled, and its last day up to the peildatum (``spans.laatste_dag``; a
    running episode's ``end`` is ``_OPEN_END``). Reference: ``woonplaats_2022._jji_limb``.
    ``only``: restrict to these pids."""
    episodes = prep.episodes if only is None else prep.episodes.join(only, on="pid", how="semi")
    choice = JJI_VERBLIJF_MEEST_RECENT
    assert choice.volgorde is not None
    chosen = compile_laatste(choice, episodes, {
        JJI_VERBLIJF.name: pl.col("jji_stay"), BEGIN.name: pl.col("begin"), DAG.name: pl.lit(prep.p),
        choice.volgorde.name: pl.col("volgnr"),
    })
    return chosen.select("pid", "volgnr", pl.min_horizontal("end", pl.lit(prep.p)).alias("jji_day"))


def places_of_stay(prep: Prepared, *, contradictory_as_stay: bool,
                   only: pl.DataFrame | None = None) -> pl.DataFrame:
    """(pid, places, place): the number of places of the stays on the peildatum, and the key
    of the place where there is one (reference: woonplaats_2015._actual_stay_reading): the places declared
    once in wpb.law.spans (PLAATSEN_VAN_VERBLIJF) of the series of stays (stay_series),
    compiled. A place counts as the municipalities it belongs to on the peildatum (its key:
    equal successor sets have equal keys). ``only``: restrict to these pids."""
    episodes = prep.episodes if only is None else prep.episodes.join(only, on="pid", how="semi")
    env = {"verblijf": pl.col("verblijf"), TEGENSTRIJDIGE_JEUGDHULP.name: pl.col("contradictory"),
           BEGIN.name: pl.col("begin"), EINDE.name: pl.col("end"), GEMEENTE.name: pl.col("loc_code")}
    return compile_places(PLAATSEN_VAN_VERBLIJF, stay_series(contradictory_as_stay), episodes, env,
                          pl.lit(prep.p), place="loc_key", open_end=_OPEN_END)


def stay_begin_env(b: str) -> dict[str, pl.Expr]:
    """The columns of the declared StayBeginFacts for the stay (series) beginning on day
    ``b`` (wpb.law.predicates.VERBLIJF_VANAF_GEBOORTE_ZEKER, ..._MOGELIJK)."""
    return {VERBLIJF_BEGIN.name: pl.col(b).cast(pl.Date),
            GEBOORTE_VROEGST.name: pl.col("birth_e").cast(pl.Date),
            GEBOORTE_LAATST.name: pl.col("birth_l").cast(pl.Date)}


def _aantekening_after_stay(prep: Prepared, df: pl.DataFrame) -> pl.DataFrame:
    """(pid, late_aantekening): a reading of a record that may cover the day before the stay
    is led by WOONADRES_ROUTES to the route of the open question (an aantekening placed after
    that day, by the peildatum: ``readings.late_aantekening``, the gevolg
    GEVOLG_AANTEKENING_NA_DAG compiled; reference: woonplaats_2022._from_reading). The day
    before a stay (``{b}_dag``, spans.DAG_VOOR_VERBLIJF compiled) of either reading's series,
    or of the JJI stay's series (the JJI limb). Rare, so these persons are settled one by one
    (``_settle_candidate_sets``); the test is wider than the reference's (a stay from birth on
    the JJI limb, days before birth), never narrower."""
    parts = []
    for b in ("bf", "bt", "bj"):
        # A stay from birth has no address before it (3°); the JJI limb reads one always.
        from_birth = pl.lit(False) if b == "bj" else compile_term(VERBLIJF_VANAF_GEBOORTE_ZEKER,
                                                                  stay_begin_env(b))
        day = df.filter(pl.col(f"{b}_dag").is_not_null() & ~from_birth).select(
            "pid", pl.col(f"{b}_dag").alias("d"))
        d = pl.col("d")
        certain, possible = aantekening_on_day(d)
        parts.append(
            day.join(prep.records.select("pid", "van_e", "tot_l", "cert_from", "poss_from", "cls"), on="pid")
            .filter(
                record_on_days(d, d)
                & (late_aantekening(reading_env(certain | possible, d, prep.p))
                   | late_aantekening(reading_env(certain, d, prep.p)))
            )
            .select("pid")
        )
    return pl.concat(parts).unique().with_columns(pl.lit(True).alias("late_aantekening"))
