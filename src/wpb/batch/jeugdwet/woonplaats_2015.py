"""Jeugdwet art. 1.1 "woonplaats", text from 2015, in columns (reference:
:func:`wpb.law.jeugdwet.woonplaats_2015.decide`): the declared ``CLAUSE_ROUTES`` and
``OUDER_ROUTES``, compiled; 2° the places of stay on the peildatum.
"""

from __future__ import annotations

import polars as pl

from wpb.batch.compile import compile_route_index
from wpb.batch.jeugdwet.jeugdige import adult_facts, age_env, check_jeugdige
from wpb.batch.jeugdwet.outcomes import (
    REDEN_CODE,
    TEGENSTRIJDIG,
    Kandidaten,
    Key,
    Outcome,
    agree,
    choose,
    named,
    resolved,
    review,
    route_outcomes,
    werkelijke_verblijfplaats,
)
from wpb.batch.jeugdwet.prepare import Prepared, Step, _no_step
from wpb.batch.jeugdwet.readings import _ambiguity, _registered, readings_for
from wpb.batch.jeugdwet.stays import places_of_stay
from wpb.law.decision import ReviewReden
from wpb.law.jeugdwet import woonplaats_2015
from wpb.law.predicates import (
    AANTAL_PLAATSEN,
    GEZAG_SOORT,
    OUDER_HISTORIE,
)

# The onderdelen as the clauses of the 2015 text declare them (woonplaats_2015.SUB_1 .. SUB_3):
# 1° the woonplaats of the parent with gezag, 2° the werkelijke verblijf of a stay, 3° the
# werkelijke verblijfplaats.
_SUB_1, _SUB_2, _SUB_3 = (woonplaats_2015.SUB_1.onderdeel, woonplaats_2015.SUB_2.onderdeel,
                          woonplaats_2015.SUB_3.onderdeel)


def decide_2015(prep: Prepared, youths: pl.DataFrame, on_day: pl.DataFrame,
                step: Step = _no_step) -> pl.DataFrame:
    """Reference: woonplaats_2015.decide: its declared ``CLAUSE_ROUTES`` and
    ``OUDER_ROUTES``, compiled. Returns (pid, outcome columns, route)."""
    p, peildatum = prep.p, prep.peildatum
    routes = woonplaats_2015.CLAUSE_ROUTES
    step("plaats van verblijf (2015)")
    # Reference: _actual_stay_reading (2°): the places of the stays on the peildatum, "f": not
    # reading contradictory episodes as stays; "t" (only where there are some): reading them so.
    contr = (
        prep.episodes.filter(pl.col("contradictory")).select("pid").unique()
        .with_columns(pl.lit(True).alias("has_contr"))
    )
    places = [
        places_of_stay(prep, contradictory_as_stay=as_stay, only=only)
        .rename({"places": f"n_{side}", "place": f"loc_{side}"})
        for side, as_stay, only in (("f", False, None), ("t", True, contr))
    ]
    step("woonadres ouder met gezag (2015)")
    # Reference: sub_1 and _parent_reading: the parent's readings on the peildatum, each
    # led by OUDER_ROUTES to 3° or to the gemeente of his woonadres.
    parent_queries = youths.filter(pl.col("gezag_ouder_id").is_not_null()).select(
        pl.col("pid").alias("qid"), pl.col("gezag_ouder_id").alias("subject"),
        pl.lit(p, pl.Int32).alias("first"), pl.lit(p, pl.Int32).alias("last"),
    )
    parent = readings_for(prep, parent_queries, "g", routes=woonplaats_2015.OUDER_ROUTES).select(
        pl.col("qid").alias("pid"), "g_contr", "gj_first", "gj_same", "gj_key")
    parent_records = prep.personen.select(
        pl.col("pid").alias("gezag_ouder_id"), pl.col("n_records").alias("ouder_records")
    )
    df = (
        youths.join(places[0], on="pid", how="left")
        .join(places[1], on="pid", how="left")
        .join(on_day.select("pid", "pj_same", "pj_key"), on="pid", how="left")
        .join(contr, on="pid", how="left")
        .join(parent, on="pid", how="left")
        .join(parent_records, on="gezag_ouder_id", how="left")
        .join(adult_facts(prep), on="pid", how="left")
    )
    step("uitkomsten (2015)")

    def stay_reading(side: str, onderdeel: int | None) -> Outcome:
        # Reference: woonplaats_2015._actual_stay_reading: the declared PLAATS_ROUTES on the
        # number of places. Which places is the set of codes, and the "t" set contains the
        # "f" set, so its size tells two sets apart.
        n = pl.col(f"n_{side}").fill_null(0)
        index = compile_route_index(woonplaats_2015.PLAATS_ROUTES, {AANTAL_PLAATSEN.name: n})
        outcomes = [
            review(REDEN_CODE[ReviewReden(route.reden)], onderdeel, kand=Kandidaten.places(n))
            if route.reden is not None
            else werkelijke_verblijfplaats(onderdeel)
            if route.gevolg == woonplaats_2015.WERKELIJKE_VERBLIJFPLAATS
            else resolved(pl.col(f"loc_{side}"), onderdeel)
            for route in woonplaats_2015.PLAATS_ROUTES
        ]
        return choose([(index == i, o) for i, o in enumerate(outcomes[:-1])], outcomes[-1])

    def actual_stay(onderdeel: int) -> Outcome:
        # Reference: woonplaats_2015._actual_stay: a contradictory episode read both ways.
        f, t = stay_reading("f", onderdeel), stay_reading("t", onderdeel)
        equal, _ = agree(t, f)
        return choose(
            [(~pl.col("has_contr").fill_null(False), f), (equal, t)],
            review(TEGENSTRIJDIG, onderdeel),
        )

    def actual_stay_open() -> pl.Expr:
        # The two readings' candidate sets (places, or places and the successors of a split)
        # may be one set although their encodings differ. The 2015 text compares them nowhere
        # else, so they decide only when the first reading ("as a stay") is not itself a
        # review for contradictory care: otherwise equal sets give that reading and unequal
        # sets a review for the same reason under the same onderdeel -- the same answer.
        f, t = stay_reading("f", _SUB_2), stay_reading("t", _SUB_2)
        _, open_ = agree(t, f)
        return pl.col("has_contr").fill_null(False) & open_ & (t["reden"] != TEGENSTRIJDIG).fill_null(True)

    same, key, first = pl.col("gj_same"), pl.col("gj_key"), pl.col("gj_first")
    # 3°: the werkelijke verblijfplaats at the help request (not a stay on the peildatum).
    sub_3 = werkelijke_verblijfplaats(_SUB_3)
    sub_1 = choose(
        [(same & (key == Key.SUB_3), sub_3), (same, resolved(key, _SUB_1))],
        review(_ambiguity("g_contr"), pl.when(first == Key.SUB_3).then(_SUB_3).otherwise(_SUB_1)),
    )
    clause = compile_route_index(routes, {
        **age_env(peildatum),
        GEZAG_SOORT.name: pl.col("gezag_soort"),
        OUDER_HISTORIE.name: pl.col("gezag_ouder_id").is_not_null()
        & (pl.col("ouder_records").fill_null(0) > 0),
    })
    applies, pre = check_jeugdige(peildatum)
    *branches, (_, last) = route_outcomes(routes, clause, {_SUB_1: sub_1, _SUB_2: actual_stay(_SUB_2), _SUB_3: sub_3})
    outcome = choose([(applies, pre), *branches], last)
    # Only where the actual stay is the answer (2°), not before (no jeugdige).
    stay_routes = [i for i, r in enumerate(routes) if r.onderdeel == _SUB_2 and r.reden is None]
    uses_stay = ~applies & clause.is_in(stay_routes).fill_null(False)
    return df.lazy().select(
        "pid", *named(outcome, "u"), (uses_stay & actual_stay_open()).alias("route"), _registered()
    ).collect()
