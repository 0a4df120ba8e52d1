"""Who is a jeugdige on the peildatum (reference: ``common.check_jeugdige`` and
``check_adult``): the declared age predicates and ``common.JEUGDIGE_ROUTES``, compiled, over
the facts of :func:`adult_facts` (a criminal-law measure, the chain of jeugdhulp).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from wpb.batch.compile import compile_routes, compile_series, compile_term
from wpb.batch.jeugdwet.outcomes import GEEN_JEUGDIGE, ONV, Outcome, choose, review
from wpb.batch.jeugdwet.prepare import _OPEN_END, Prepared, runs_on
from wpb.law.jeugdwet.common import JEUGDHULPKETEN, JEUGDIGE_ROUTES
from wpb.law.predicates import (
    GEBOORTE_LAATST,
    GEBOORTE_VROEGST,
    JEUGDHULP,
    JEUGDHULP_SINDS_VOOR_18,
    MEERDERJARIG_ZEKER,
    PEILDATUM,
    PEILDATUM_VOOR_GEBOORTE_MOGELIJK,
    PEILDATUM_VOOR_GEBOORTE_ZEKER,
    STRAFRECHTELIJK_OP_PEILDATUM,
    TE_OUD_MOGELIJK,
    TE_OUD_ZEKER,
)


def age_env(peildatum: date) -> dict[str, pl.Expr]:
    """The columns of the declared age facts (wpb.law.predicates.AgeFacts)."""
    return {
        GEBOORTE_VROEGST.name: pl.col("birth_e").cast(pl.Date),
        GEBOORTE_LAATST.name: pl.col("birth_l").cast(pl.Date),
        PEILDATUM.name: pl.lit(peildatum),
    }


def check_jeugdige(peildatum: date) -> tuple[pl.Expr, Outcome]:
    """Reference: common.check_jeugdige (with check_adult): (applies, outcome).

    Expects the columns of :func:`adult_facts` joined to the youths."""
    before = compile_term(PEILDATUM_VOOR_GEBOORTE_ZEKER, age_env(peildatum))
    maybe_before = compile_term(PEILDATUM_VOOR_GEBOORTE_MOGELIJK, age_env(peildatum))
    too_old = compile_term(TE_OUD_ZEKER, age_env(peildatum))
    maybe_old = compile_term(TE_OUD_MOGELIJK, age_env(peildatum))
    outcome = choose(
        [
            (before, review(GEEN_JEUGDIGE, None)),
            (maybe_before, review(ONV, None)),
            (too_old, review(GEEN_JEUGDIGE, None)),
        ],
        review(ONV, None),
    )
    applies = (before | maybe_before | too_old | maybe_old).fill_null(False)
    # From 18 (the columns of adult_facts): only 2° or 3° of "jeugdige" (common.check_adult).
    adult_applies, adult_outcome = check_adult(peildatum)
    return applies | adult_applies, choose([(applies, outcome)], adult_outcome)


def adult_facts(prep: Prepared) -> pl.DataFrame:
    """(pid, strafrechtelijk, chain_begin): the facts of common.JEUGDIGE_ROUTES per person.

    ``chain_begin``: the first day of the chain of jeugdhulp that covers the peildatum
    (reference: common.care_since_before_18; the chain declared once as
    common.JEUGDHULPKETEN, compiled), null without one.
    """
    if "adult_facts" in prep.memo:  # both rules of one run read the same facts
        return prep.memo["adult_facts"]
    p = prep.p
    strafrechtelijk = (
        prep.episodes.filter(pl.col("strafrechtelijk") & runs_on(pl.lit(p)))
        .select("pid").unique().with_columns(pl.lit(True).alias("strafrechtelijk"))
    )
    chains = compile_series(JEUGDHULPKETEN, prep.episodes, {JEUGDHULP.name: pl.col("jeugdhulp")},
                            pl.lit(p), open_end=_OPEN_END).rename({"series_begin": "chain_begin"})
    facts = strafrechtelijk.join(chains, on="pid", how="full", coalesce=True)
    prep.memo["adult_facts"] = facts
    return facts


def check_adult(peildatum: date) -> tuple[pl.Expr, Outcome]:
    """Reference: common.check_adult, on the columns of :func:`adult_facts`: (applies, outcome).

    Both ends of a partial birth date are tried, each with the declared age predicate
    MEERDERJARIG_ZEKER (on the peildatum, and on the first day of the chain of jeugdhulp).
    """

    def adult_on(birth: str, day: pl.Expr) -> pl.Expr:
        env = {GEBOORTE_VROEGST.name: pl.col(birth).cast(pl.Date),
               GEBOORTE_LAATST.name: pl.col(birth).cast(pl.Date), PEILDATUM.name: day}
        return compile_term(MEERDERJARIG_ZEKER, env)

    def jeugdige(birth: str) -> pl.Expr:
        since_before_18 = pl.col("chain_begin").is_not_null() & ~adult_on(
            birth, pl.col("chain_begin").cast(pl.Date))
        clause = compile_routes(JEUGDIGE_ROUTES, {
            STRAFRECHTELIJK_OP_PEILDATUM.name: pl.col("strafrechtelijk").fill_null(False),
            JEUGDHULP_SINDS_VOOR_18.name: since_before_18.fill_null(False),
        })
        return ~adult_on(birth, pl.lit(peildatum)) | (clause > 0)

    known = pl.col("birth_e").is_not_null()
    early, late = jeugdige("birth_e"), jeugdige("birth_l")
    applies = known & ~(early & late)
    outcome = choose([(~early & ~late, review(GEEN_JEUGDIGE, None))], review(ONV, None))
    return applies.fill_null(False), outcome
