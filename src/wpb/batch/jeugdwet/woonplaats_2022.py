"""Jeugdwet art. 1.1 "woonplaats", text from 2022, in columns (reference:
:func:`wpb.law.jeugdwet.woonplaats_2022.decide`): the clause routes compiled, 1° from the
readings on the peildatum, 2° from the readings the day before the stay, 3° from the mother
at birth or the werkelijke verblijfplaats.
"""

from __future__ import annotations

import polars as pl

from wpb.batch.compile import compile_days_before, compile_route_index, compile_routes, compile_term
from wpb.batch.jeugdwet.jeugdige import adult_facts, check_jeugdige
from wpb.batch.jeugdwet.outcomes import (
    _FIELDS,
    ONV,
    STATUS_REVIEW,
    TEGENSTRIJDIG,
    WVP_ONTBREEKT,
    ZONDER_OPVOLGER,
    Kandidaten,
    Key,
    Outcome,
    _empty_or_unknown,
    agree,
    choose,
    columns,
    named,
    resolved,
    review,
    route_outcomes,
    werkelijke_verblijfplaats,
)
from wpb.batch.jeugdwet.prepare import Prepared, Step, _no_step, runs_on
from wpb.batch.jeugdwet.readings import _ambiguity, _j_columns, _registered, readings_for
from wpb.batch.jeugdwet.settle import _settle_candidate_sets
from wpb.batch.jeugdwet.stays import (
    _aantekening_after_stay,
    most_recent_jji_stay,
    series_begin,
    stay_begin_env,
)
from wpb.law.jeugdwet import woonplaats_2022
from wpb.law.predicates import (
    GEBOORTEDATUM_BEKEND,
    MOEDER_HISTORIE,
    VERBLIJF_VANAF_GEBOORTE_MOGELIJK,
    VERBLIJF_VANAF_GEBOORTE_ZEKER,
)
from wpb.law.spans import DAG_VOOR_VERBLIJF

# The onderdelen as the clauses declare them (woonplaats_2022.SUB_1 .. SUB_4), not written
# here: 1° the woonadres on the peildatum, 2° the woonadres the day before the stay, 3° the
# mother at birth or the werkelijke verblijfplaats, 4° abroad.
_SUB_1, _SUB_2, _SUB_3, _SUB_4 = (
    woonplaats_2022.SUB_1.onderdeel, woonplaats_2022.SUB_2.onderdeel,
    woonplaats_2022.SUB_3.onderdeel, woonplaats_2022.SUB_4.onderdeel,
)


def _dag(b: str) -> str:
    """The column of the day immediately before the stay beginning on day ``b``
    (spans.DAG_VOOR_VERBLIJF, compiled; null: none)."""
    return f"{b}_dag"


def _sub3_mother(prep: Prepared, youths: pl.DataFrame) -> pl.DataFrame:
    """Reference: woonplaats_2022.sub_3 for the given youths: (pid, s3_* outcome)."""
    mothers = prep.personen.select(pl.col("pid").alias("moeder_id"), pl.col("n_records").alias("m_records"))
    df = youths.join(mothers, on="moeder_id", how="left")
    # Reference: sub_3 and its declared MOEDER_ROUTES: is her registration at the birth read.
    reads_mother = compile_routes(woonplaats_2022.MOEDER_ROUTES, {
        GEBOORTEDATUM_BEKEND.name: pl.col("birth_e").is_not_null(),
        MOEDER_HISTORIE.name: pl.col("moeder_id").is_not_null() & (pl.col("m_records").fill_null(0) > 0),
    }) == 0
    queries = df.filter(reads_mother).select(
        pl.col("pid").alias("qid"), pl.col("moeder_id").alias("subject"),
        pl.col("birth_e").alias("first"), pl.col("birth_l").alias("last"),
        pl.col("wvp_key").fill_null(Key.SUB_3).alias("alt"),
    )
    keys = readings_for(prep, queries, "m", mother=True)
    df = df.join(keys, left_on="pid", right_on="qid", how="left")
    # Keys are woonadres keys or the werkelijke verblijfplaats key; Key.SUB_3 only when that
    # is missing.
    # Readings that all end in a review without candidates agree (Outcome.key); the
    # first one's reason is kept.
    empty = pl.col("mo_empty")
    from_mother = choose(
        [
            (empty & (pl.col("mo_first") == Key.SUB_3), review(WVP_ONTBREEKT, _SUB_3)),
            (empty, review(ZONDER_OPVOLGER, _SUB_3)),
            (pl.col("mo_same"), resolved(pl.col("mo_key"), _SUB_3)),
        ],
        review(_ambiguity("m_contr"), _SUB_3, kand=Kandidaten.UNKNOWN, src=-1),
    )
    outcome = choose([(~reads_mother, werkelijke_verblijfplaats(_SUB_3))], from_mother)
    return df.select("pid", *named(outcome, "s3"))


def _woonadres(prefix: str, onderdeel: int, src: pl.Expr) -> Outcome:
    """Reference: woonplaats_2022._woonadres_on, from reading keys ``{prefix}j_*``."""
    same, key, first = (pl.col(f"{prefix}j_{f}") for f in ("same", "key", "first"))
    s3 = columns("s3")
    # The readings disagree; their review has no candidates when none of them names one.
    wvp = pl.col("wvp_key")
    empty = (
        ~pl.col(f"{prefix}j_code")
        & (~pl.col(f"{prefix}j_has3") | ((s3["status"] == STATUS_REVIEW) & s3["kand"].is_null()))
        & (~pl.col(f"{prefix}j_has4") | wvp.is_null() | (wvp == Key.NO_SUCCESSOR))
    )
    first_onderdeel = (
        pl.when(first == Key.SUB_3).then(_SUB_3).when(first == Key.SUB_4).then(_SUB_4)
        .otherwise(onderdeel)
    )
    return choose(
        [
            (same & (key == Key.SUB_3), s3),
            (same & (key == Key.SUB_4), werkelijke_verblijfplaats(_SUB_4)),
            (same, resolved(key, onderdeel)),
        ],
        review(_ambiguity(f"{prefix}_contr"), first_onderdeel, kand=_empty_or_unknown(empty), src=src),
    )


# The routes of CLAUSE_ROUTES that read the day before the most recent JJI stay (2°, second
# limb), and the onderdeel they lead to (a review when that stay is not given).
_JJI_ROUTES = [i for i, route in enumerate(woonplaats_2022.CLAUSE_ROUTES)
               if route.gevolg == woonplaats_2022.GEVOLG_JJI_VERBLIJF]
(_JJI_ONDERDEEL,) = {woonplaats_2022.CLAUSE_ROUTES[i].onderdeel for i in _JJI_ROUTES}


def decide_2022(prep: Prepared, youths: pl.DataFrame, on_day: pl.DataFrame,
                step: Step = _no_step) -> pl.DataFrame:
    """Reference: woonplaats_2022.decide. Returns (pid, outcome columns, route)."""
    p = prep.p
    step("verblijven (2022)")
    contr = (
        prep.episodes.filter(pl.col("contradictory")).select("pid").unique()
        .with_columns(pl.lit(True).alias("has_contr"))
    )
    # Care tied to a JJI stay on the peildatum (2°, second limb).
    jji = (
        prep.episodes.filter(pl.col("jji_care") & runs_on(pl.lit(p))).select("pid").unique()
        .with_columns(pl.lit(True).alias("jji"))
    )
    adult = adult_facts(prep)
    # Reference: woonplaats_2022._jji_limb: the most recent JJI stay and its last day up to
    # the peildatum, and the series of stays it belongs to on that day: "bj", its begin.
    last_jji = most_recent_jji_stay(prep, jji)
    sj = series_begin(prep, contradictory_as_stay=False, only=last_jji, day="jji_day").rename(
        {"series_begin": "bj"})
    sf = series_begin(prep, contradictory_as_stay=False).rename({"series_begin": "bf"})
    st = series_begin(prep, contradictory_as_stay=True, only=contr).rename({"series_begin": "bt"})
    df = (
        youths.join(on_day, on="pid", how="left")
        .join(contr, on="pid", how="left")
        .join(sf, on="pid", how="left")
        .join(st, on="pid", how="left")
        .join(jji, on="pid", how="left")
        .join(adult, on="pid", how="left")
        .join(sj, on="pid", how="left")
        .with_columns(pl.col("has_contr").fill_null(False), pl.col("jji").fill_null(False))
    )
    # 2°: "onmiddellijk voorafgaand aan zijn verblijf", the declared day, compiled once.
    df = df.with_columns(compile_days_before(DAG_VOOR_VERBLIJF, pl.col(b)).alias(_dag(b))
                         for b in ("bf", "bt", "bj"))
    df = df.join(_aantekening_after_stay(prep, df), on="pid", how="left").with_columns(
        pl.col("late_aantekening").fill_null(False))

    def at_birth(b: str) -> pl.Expr:
        # Reference: _in_or_out_of_stay: a stay from birth has no address immediately before it.
        return compile_term(VERBLIJF_VANAF_GEBOORTE_ZEKER, stay_begin_env(b))

    def maybe_at_birth(b: str) -> pl.Expr:
        # Reference: sub_2: with a partial birth date the stay may have begun at birth.
        return compile_term(VERBLIJF_VANAF_GEBOORTE_MOGELIJK, stay_begin_env(b))

    step("adres vóór het verblijf (2°)")
    queries = []
    for b, tag in (("bf", 0), ("bt", 1), ("bj", 2)):
        q = df.filter(pl.col(b).is_not_null() & ~at_birth(b)).select(
            (pl.col("pid") * 3 + tag).alias("qid"), pl.col("pid").alias("subject"),
            pl.col(_dag(b)).alias("first"), pl.col(_dag(b)).alias("last"),
        )
        queries.append(q)
    before_stay = readings_for(prep, pl.concat(queries), "q")
    for tag, prefix in ((0, "f"), (1, "t"), (2, "x")):
        part = before_stay.filter(pl.col("qid") % 3 == tag).select(
            (pl.col("qid") // 3).alias("pid"),
            pl.col("q_contr").alias(f"{prefix}_contr"),
            *[pl.col(c).alias(f"{prefix}{c[1:]}") for c in _j_columns("q")],
        )
        df = df.join(part, on="pid", how="left")

    step("moeder bij de geboorte (3°)")
    sub3_needed = (
        pl.col("pj_has3") | pl.col("fj_has3") | pl.col("tj_has3") | pl.col("xj_has3")
        | maybe_at_birth("bf") | maybe_at_birth("bt") | maybe_at_birth("bj") | pl.col("late_aantekening")
    ).fill_null(False)
    s3 = _sub3_mother(prep, df.filter(sub3_needed).select("pid", "birth_e", "birth_l", "moeder_id", "wvp_key"))
    df = df.join(s3, on="pid", how="left")

    step("uitkomsten (2022)")

    s3 = columns("s3")

    # Each woonadres reading and clause is computed once into columns that the outcomes below
    # read: embedded as expressions in every field of every branch, they made one plan of
    # about 300 kB, whose optimisation was most of the executor's fixed cost on a caseload.
    woonadressen = [
        *named(_woonadres("p", _SUB_1, pl.lit(p) * 8 + 1), "wp"),
        *(e for b, prefix in (("bf", "f"), ("bt", "t"), ("bj", "x"))
          for e in named(_woonadres(prefix, _SUB_2, pl.col(_dag(b)) * 8 + 2), f"w{prefix}")),
    ]

    def sub_2(b: str, prefix: str) -> tuple[Outcome, pl.Expr]:
        """Reference: woonplaats_2022.sub_2 for a stay (series) beginning on day ``b``,
        from the reading keys ``{prefix}j_*`` of the day before: (outcome, route)."""
        # Stay possibly from birth: the readings "from birth" (3°) and "born before" (2°).
        w = columns(f"w{prefix}")
        equal, open_ = agree(s3, w)
        both_empty = (s3["status"] == STATUS_REVIEW) & s3["kand"].is_null() & (
            w["status"] == STATUS_REVIEW) & w["kand"].is_null()
        either = choose([(equal, s3)], review(
            ONV, _SUB_3, kand=_empty_or_unknown(both_empty), src=pl.col(_dag(b)) * 8 + 3))
        # Begun on or before the day of birth (only the JJI limb gets here so; a stay goes to
        # 3° by CLAUSE_ROUTES): the day before it the youth was not born, so "born before"
        # reads no registration, i.e. 3° as well, and both readings give 3°.
        return (choose([(at_birth(b), s3), (maybe_at_birth(b), either)], w),
                maybe_at_birth(b) & ~at_birth(b) & open_)

    # Reference: woonplaats_2022._jji_limb: without the JJI stay itself, review (the declared
    # JJI_VERBLIJF_ROUTES, compiled).
    jji_sub_2, jji_open = sub_2("bj", "x")
    jji_index = compile_route_index(woonplaats_2022.JJI_VERBLIJF_ROUTES, {
        woonplaats_2022.JJI_VERBLIJF_GEKOZEN.name: pl.col("bj").is_not_null()})
    jji_limb_columns = [
        *named(choose(route_outcomes(woonplaats_2022.JJI_VERBLIJF_ROUTES, jji_index,
                                     {_JJI_ONDERDEEL: jji_sub_2}),
                      jji_sub_2), "jl"),
        (pl.col("bj").is_not_null() & jji_open).alias("jl_route"),
    ]
    jji_limb, jji_route = columns("jl"), pl.col("jl_route")
    clause_columns = []

    def in_or_out_of_stay(b: str, prefix: str) -> tuple[Outcome, pl.Expr, pl.Expr, pl.Expr]:
        """Reference: woonplaats_2022._in_or_out_of_stay and sub_2: (outcome, route, the
        begin of the stay whose day before sub_2 reads and that day, null when the clause is
        not 2°)."""
        stay_sub_2, route = sub_2(b, prefix)
        # Reference: woonplaats_2022.CLAUSE_ROUTES, compiled.
        env = {"verblijf_op_peildatum": pl.col(b).is_not_null(),
               "verblijf_vanaf_geboorte": at_birth(b),
               "jji_hulp_op_peildatum": pl.col("jji")}
        clause_columns.extend([
            compile_routes(woonplaats_2022.CLAUSE_ROUTES, env).alias(f"clause_{prefix}"),
            # The route's gevolg: which of the two routes to 2° (the JJI stay's day before).
            compile_route_index(woonplaats_2022.CLAUSE_ROUTES, env).is_in(_JJI_ROUTES)
            .fill_null(False).alias(f"jji_{prefix}"),
        ])
        clause, via_jji = pl.col(f"clause_{prefix}"), pl.col(f"jji_{prefix}")
        outcome = choose(
            [
                (clause == _SUB_1, _woonadres("p", _SUB_1, pl.lit(p) * 8 + 1)),
                (clause == _SUB_3, s3),
                (via_jji, jji_limb),
            ],
            stay_sub_2,
        )
        begin = pl.when(clause == _SUB_2).then(pl.when(via_jji).then(pl.col("bj")).otherwise(pl.col(b)))
        day = pl.when(clause == _SUB_2).then(
            pl.when(via_jji).then(pl.col(_dag("bj"))).otherwise(pl.col(_dag(b))))
        return (outcome, pl.when(via_jji).then(jji_route).otherwise(route).fill_null(False), begin, day)

    out_b, route_b, begin_b, dag_b = in_or_out_of_stay("bf", "f")
    out_a, route_a, begin_a, dag_a = in_or_out_of_stay("bt", "t")
    # Lazy, so polars evaluates the shared sub-expressions of the clauses once.
    def readings(frame: pl.DataFrame) -> pl.LazyFrame:
        return frame.lazy().with_columns(*woonadressen, *clause_columns).with_columns(
            *jji_limb_columns
        ).with_columns(
            *named(out_b, "b"), route_b.alias("route_b"), begin_b.alias("begin_b"), dag_b.alias("dag_b")
        ).with_columns(*named(out_a, "a"), route_a.alias("route_a"), begin_a.alias("begin_a"),
                       dag_a.alias("dag_a"))

    a, b = columns("a"), columns("b")
    # Reference: combine over "as a stay" (a, the first reading) and "not a stay" (b).
    equal, open_ = agree(a, b)
    route = (pl.col("route_b") | (pl.col("has_contr") & (pl.col("route_a") | open_))
             | pl.col("late_aantekening"))
    applies, pre = check_jeugdige(prep.peildatum)
    outcome = choose(
        [
            (applies, pre),
            (~pl.col("has_contr"), b),
            (equal, a),
        ],
        review(TEGENSTRIJDIG, a["onderdeel"]),
    )
    # A review whose candidate set the columns do not carry decides (a stay that may have
    # begun at birth, on either reading of a contradictory episode, or the comparison of
    # those two readings), or an aantekening placed after the stay began: these few persons
    # are settled from both readings' outcomes evaluated again for them alone.
    settle = (route & ~applies).fill_null(False)
    res = readings(df).select(
        "pid", *named(outcome, "u"), (route & ~applies).alias("route"), _registered(),
        settle.alias("settle"),
    ).collect()
    if res["settle"].any():
        step("kandidaten vergelijken")
        few = df.join(res.filter(pl.col("settle")).select("pid"), on="pid", how="semi")
        details = readings(few).select(
            "pid", "has_contr", "route_a", "route_b", "begin_a", "begin_b", "dag_a", "dag_b",
            "late_aantekening",
            "wvp_key", "moeder_id", "birth_e", "birth_l", *named(s3, "s3"), *named(a, "a"), *named(b, "b"),
        ).collect()
        res = _settle_candidate_sets(prep, res, details)
    return res.select("pid", *[f"u_{f}" for f in _FIELDS], "route", "inschrijving")
