"""Who is a jeugdige on the peildatum (reference: ``common.check_jeugdige`` and
``check_adult``): the declared age predicates and ``common.JEUGDIGE_ROUTES``, compiled, over
the facts of :func:`adult_facts` (a criminal-law measure, the chain of jeugdhulp). A review
``geen_jeugdige`` carries the onderdeel of the definition "jeugdige" its route declares
(``wpb.law.jeugdwet.jeugdige``; ``wpb.batch.single`` names its source).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from wpb.batch.compile import compile_route_index, compile_routes, compile_series, compile_term
from wpb.batch.jeugdwet.outcomes import REDEN_CODE, Outcome, choose, review
from wpb.batch.jeugdwet.prepare import _OPEN_END, Prepared, runs_on
from wpb.law.decision import ReviewReden
from wpb.law.jeugdwet.common import (
    ALLE_EINDEN_JEUGDIGE,
    EEN_EINDE_JEUGDIGE,
    GEVOLG_VANAF_18,
    JEUGDHULPKETEN,
    JEUGDIGE_EINDEN_ROUTES,
    JEUGDIGE_LEEFTIJD_ROUTES,
    JEUGDIGE_ROUTES,
)
from wpb.law.predicates import (
    GEBOORTE,
    GEBOORTE_LAATST,
    GEBOORTE_VROEGST,
    JEUGDHULP,
    JEUGDHULP_SINDS_VOOR_18,
    MEERDERJARIG_ZEKER,
    PEILDATUM,
    STRAFRECHTELIJK_OP_PEILDATUM,
    Route,
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

    The age ladder is the declared ``common.JEUGDIGE_LEEFTIJD_ROUTES``, compiled: a route with
    a reden ends in that review; the route from 18 asks :func:`check_adult`. Expects the
    columns of :func:`adult_facts` joined to the youths."""
    env = age_env(peildatum)
    applies, ladder = _ladder(JEUGDIGE_LEEFTIJD_ROUTES, env)
    index = compile_route_index(JEUGDIGE_LEEFTIJD_ROUTES, env)
    from_18 = pl.any_horizontal(*(index == i for i, route in enumerate(JEUGDIGE_LEEFTIJD_ROUTES)
                                  if route.gevolg == GEVOLG_VANAF_18)).fill_null(False)
    # From 18 (the columns of adult_facts): only 2° or 3° of "jeugdige" (common.check_adult).
    adult_applies, adult_outcome = check_adult(peildatum)
    return applies | (from_18 & adult_applies), choose([(applies, ladder)], adult_outcome)


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

    Both ends of a partial birth date are tried, each by the declared JEUGDIGE_ROUTES (1°: the
    age predicate JONGER_DAN_18 on the peildatum; 3°: MEERDERJARIG_ZEKER on the first day of
    the chain of jeugdhulp).
    """

    def adult_on(birth: str, day: pl.Expr) -> pl.Expr:
        env = {GEBOORTE_VROEGST.name: pl.col(birth).cast(pl.Date),
               GEBOORTE_LAATST.name: pl.col(birth).cast(pl.Date), PEILDATUM.name: day}
        return compile_term(MEERDERJARIG_ZEKER, env)

    def jeugdige(birth: str) -> pl.Expr:
        since_before_18 = pl.col("chain_begin").is_not_null() & ~adult_on(
            birth, pl.col("chain_begin").cast(pl.Date))
        clause = compile_routes(JEUGDIGE_ROUTES, {
            GEBOORTE.name: pl.col(birth).cast(pl.Date),
            PEILDATUM.name: pl.lit(peildatum),
            STRAFRECHTELIJK_OP_PEILDATUM.name: pl.col("strafrechtelijk").fill_null(False),
            JEUGDHULP_SINDS_VOOR_18.name: since_before_18.fill_null(False),
        })
        return clause > 0

    known = pl.col("birth_e").is_not_null()
    early, late = jeugdige("birth_e"), jeugdige("birth_l")
    # How the two ends combine: the declared JEUGDIGE_EINDEN_ROUTES, compiled.
    return _ladder(JEUGDIGE_EINDEN_ROUTES, {ALLE_EINDEN_JEUGDIGE.name: early & late,
                                            EEN_EINDE_JEUGDIGE.name: early | late}, known)


def _ladder(routes: tuple[Route, ...], env: dict[str, pl.Expr],
            known: pl.Expr | None = None) -> tuple[pl.Expr, Outcome]:
    """(applies, outcome) of a route table whose routes with a ``reden`` end in that review
    (under the route's onderdeel of the definition "jeugdige") and whose others leave the
    decision to what follows."""
    index = compile_route_index(routes, env)
    branches = [(index == i, review(REDEN_CODE[ReviewReden(route.reden)], route.onderdeel))
                for i, route in enumerate(routes) if route.reden is not None]
    applies = pl.any_horizontal(*(cond for cond, _ in branches)).fill_null(False)
    if known is not None:
        applies = (known & applies).fill_null(False)
    return applies, choose(branches[:-1], branches[-1][1])
