"""The readings of a registration over a day or a span, reduced to keys (reference:
:func:`wpb.law.registration.readings_between`).

Each candidate record gives one or two readings (an aantekening that may or may not hold),
each led by the declared routes to a :class:`~wpb.batch.jeugdwet.outcomes.Key`; per query only
the first, the smallest and the largest key are kept, with the flags that tell contradictory
registrations from an incomplete date. ``_finish_readings`` adds the reading before the first
record and before birth.
"""

from __future__ import annotations

from typing import TypeVar

import polars as pl

from wpb.batch.compile import compile_route_index, compile_routes, compile_term
from wpb.batch.jeugdwet.outcomes import ONV, TEG_INSCHRIJVING, Key, Routes
from wpb.batch.jeugdwet.prepare import Prepared
from wpb.law.jeugdwet import woonplaats_2022
from wpb.law.predicates import (
    AANTEKENING,
    BUITENLAND,
    GEBOORTE_VROEGST,
    INGESCHREVEN,
    INGEZETENE_ADRES,
    PEILDATUM,
    WOONADRES,
    ReadingFacts,
    first_route,
)
from wpb.law.spans import (
    AANTEKENING_MOGELIJK_OP_DAG,
    AANTEKENING_MOGELIJK_VANAF,
    AANTEKENING_ZEKER_OP_DAG,
    AANTEKENING_ZEKER_VANAF,
    DAG,
    DAGEN_VOOR_GEBOORTE,
    EERSTE_DAG,
    EERSTE_RECORD_GELEZEN,
    EERSTE_RECORD_VAN_LAATST,
    INGESCHREVEN_BIJ_GEBOORTE,
    LAATSTE_DAG,
    MOGELIJK_VOOR_EERSTE_RECORD,
    RECORD_MOGELIJK_OP_DAGEN,
    TOT_LAATST,
    VAN_VROEGST,
)

_Alt = TypeVar("_Alt")  # a column (pl.Expr) or one row's value


def _reading_keys(cand: pl.DataFrame, first_day: pl.Expr, last_day: pl.Expr, group: str,
                  *, peildatum: int, in_order: bool = False, mother: bool = False,
                  routes: Routes = woonplaats_2022.WOONADRES_ROUTES) -> pl.DataFrame:
    """Aggregate the candidate records of each query into (first key, min, max).

    ``j`` keys are where ``routes`` lead each reading (the jeugdige's woonadres routes, or
    the 2015 routes of the parent with gezag). With ``mother``, also ``o`` keys: where the
    mother's routes at the birth lead each reading (:func:`_mother_key`): the key of her
    gemeente, or ``alt`` (the query's column: the key of the werkelijke verblijfplaats,
    because 3° then falls back on it, ``_mother_at_birth``).

    Also counted: the candidates, whether one of them gives two readings (an aantekening
    that may or may not hold: registration._aantekening_between) and whether all have
    complete dates; together they tell contradictory registrations from an incomplete date.
    For the candidate set of a review that compares the jeugdige's readings: whether some
    reading is a gemeente (or split), 3° or 4° (``j_code``, ``j_has3``, ``j_has4``); for the
    mother: whether every reading is a review without candidates (``o_empty``).
    """
    # The jeugdige's keys are asked for one day.
    certain, possible = aantekening_on_day(first_day)
    # registration._aantekening_between: not certainly on the first day, possibly on the last.
    two_readings = ~certain & aantekening_on_day(last_day)[1]
    # Reference: woonplaats_2022._from_reading: the declared routes, compiled. A possible but
    # uncertain aantekening gives two readings, the one with it first.
    j1 = _route_key(reading_env(certain | possible, first_day, peildatum), routes)
    j2 = _route_key(reading_env(certain, first_day, peildatum), routes)
    # ``in_order``: the candidates are in history order already, grouped by a sorted key.
    def first(col: str) -> pl.Expr:
        return pl.col(col).first() if in_order else pl.col(col).sort_by("row").first()

    # The mother counts when registered as ingezetene (also on a briefadres: her declared
    # routes).
    o = [_mother_key(pl.col("alt")).cast(pl.Int32).alias("o")] if mother else []
    o_aggregates = [
        first("o").alias("o_first"), pl.col("o").min().alias("o_min"),
        pl.col("o").max().alias("o_max"), _empty_review(pl.col("o")).all().alias("o_empty"),
    ] if mother else []
    return (
        cand.lazy()
        .with_columns(j1.cast(pl.Int32).alias("j1"), j2.cast(pl.Int32).alias("j2"),
                      two_readings.alias("two"), *o)
        .group_by(group, maintain_order=in_order)
        .agg(
            first("j1").alias("j_first"),
            pl.min_horizontal(pl.col("j1").min(), pl.col("j2").min()).alias("j_min"),
            pl.max_horizontal(pl.col("j1").max(), pl.col("j2").max()).alias("j_max"),
            *o_aggregates,
            pl.col("is_first").any().alias("has_first"),
            pl.len().alias("n_cand"),
            pl.col("two").any().alias("any_two"),
            pl.col("exact").all().alias("all_exact"),
            _any_key(lambda k: (k >= 0) & (k != Key.NO_SUCCESSOR)).alias("j_code"),
            _any_key(lambda k: k == Key.SUB_3).alias("j_has3"),
            _any_key(lambda k: k == Key.SUB_4).alias("j_has4"),
        )
        .collect()
    )


def aantekening_on_day(day: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(certainly, possibly) a record of ``prep.records`` carries an aantekening on ``day``
    (a day number), from its ``cert_from`` and ``poss_from``: the declared
    AANTEKENING_ZEKER_OP_DAG and AANTEKENING_MOGELIJK_OP_DAG, compiled (reference:
    ``spans.aantekening_on``)."""
    env = {AANTEKENING_ZEKER_VANAF.name: pl.col("cert_from"),
           AANTEKENING_MOGELIJK_VANAF.name: pl.col("poss_from"), DAG.name: day}
    return (compile_term(AANTEKENING_ZEKER_OP_DAG, env),
            compile_term(AANTEKENING_MOGELIJK_OP_DAG, env))


def _mother_key(alt: pl.Expr) -> pl.Expr:
    """Reference: woonplaats_2022._mother_at_birth: where the declared
    MOEDER_INSCHRIJVING_ROUTES lead a reading of the mother's registration at the birth: the
    key of her gemeente, or ``alt`` (the werkelijke verblijfplaats, the last part of 3°)."""
    env = {INGESCHREVEN.name: pl.lit(True), INGEZETENE_ADRES.name: pl.col("ing")}
    onderdeel = compile_routes(woonplaats_2022.MOEDER_INSCHRIJVING_ROUTES, env)
    return pl.when(onderdeel == 3).then(alt).otherwise(pl.col("rkey"))


def reading_env(aantekening: pl.Expr, day: pl.Expr, peildatum: int) -> dict[str, pl.Expr]:
    """The columns of the fields of a record's reading on ``day`` (a day number), as
    WOONADRES_ROUTES names them (``woonplaats_2022.WoonadresFacts``): with or without an
    aantekening (``aantekening``), its kind (``cls``, from the declared WOONADRES and
    BUITENLAND in prepare), and the fields of spans.AANTEKENING_NA_DAG."""
    cls = pl.col("cls")
    return {INGESCHREVEN.name: pl.lit(True), AANTEKENING.name: aantekening,
            WOONADRES.name: cls == 2, BUITENLAND.name: cls == 1,
            AANTEKENING_MOGELIJK_VANAF.name: pl.col("poss_from"), DAG.name: day,
            PEILDATUM.name: pl.lit(peildatum)}


def _route_key(env: dict[str, pl.Expr], routes: Routes = woonplaats_2022.WOONADRES_ROUTES) -> pl.Expr:
    """The key of a record's reading (``env``: :func:`reading_env`): where ``routes`` lead it
    (by default the 2022 woonadres routes; under the 2015 text the routes of the parent with
    gezag)."""
    return _key_of(compile_routes(routes, env))


# The routes of WOONADRES_ROUTES that read the woonadres both ways, as an aantekening placed
# after the day read (the open question; woonplaats_2022._aantekening_after_stay_began).
_LATE_ROUTES = [i for i, route in enumerate(woonplaats_2022.WOONADRES_ROUTES)
                if route.gevolg == woonplaats_2022.GEVOLG_AANTEKENING_NA_DAG]


def late_aantekening(env: dict[str, pl.Expr]) -> pl.Expr:
    """A record's reading (``env``: :func:`reading_env`) is led by WOONADRES_ROUTES to the
    route whose gevolg is GEVOLG_AANTEKENING_NA_DAG (reference: woonplaats_2022._from_reading):
    the woonadres is read both ways."""
    return compile_route_index(woonplaats_2022.WOONADRES_ROUTES, env).is_in(_LATE_ROUTES).fill_null(False)


def _key_of(onderdeel: pl.Expr) -> pl.Expr:
    """A route's onderdeel as a Key: 3° and 4° by name, the clause itself by the gemeente."""
    return (
        pl.when(onderdeel == 3).then(Key.SUB_3)
        .when(onderdeel == 4).then(Key.SUB_4)
        .otherwise(pl.col("rkey"))
    )


def no_registration(routes: Routes) -> int:
    """The key of the reading "no record covers the day" (before the first record, before
    birth), where ``routes`` lead it."""
    route, _ = first_route(routes, ReadingFacts(ingeschreven=False, aantekening=False))
    return {3: Key.SUB_3, 4: Key.SUB_4}[route.onderdeel]


NO_REGISTRATION = no_registration(woonplaats_2022.WOONADRES_ROUTES)


def _any_key(test) -> pl.Expr:
    return (test(pl.col("j1")) | test(pl.col("j2"))).any()


def _empty_review(key: pl.Expr) -> pl.Expr:
    """A mother's reading that ends in a review without candidates: no woonadres and no
    werkelijke verblijfplaats, or a code without a Dutch successor."""
    return (key == Key.SUB_3) | (key == Key.NO_SUCCESSOR)


def record_on_days(first: pl.Expr, last: pl.Expr) -> pl.Expr:
    """A record of ``prep.records`` possibly covers the days ``first``..``last`` (day numbers):
    the declared RECORD_MOGELIJK_OP_DAGEN, compiled (reference: the candidates of
    registration.readings_between)."""
    return compile_term(RECORD_MOGELIJK_OP_DAGEN, {
        VAN_VROEGST.name: pl.col("van_e"), TOT_LAATST.name: pl.col("tot_l"),
        EERSTE_DAG.name: first, LAATSTE_DAG.name: last,
    })


def days_before_birth(last: pl.Expr, birth: str = "birth_e") -> pl.Expr:
    """The last day asked about lies before the subject's earliest possible birth (column
    ``birth``): the declared DAGEN_VOOR_GEBOORTE, compiled (only "not registered" then)."""
    return compile_term(DAGEN_VOOR_GEBOORTE, {LAATSTE_DAG.name: last, GEBOORTE_VROEGST.name: pl.col(birth)})


def maybe_before_first_record(first: pl.Expr, birth: str = "birth_e") -> pl.Expr:
    """The first day asked about may fall before the subject's first record, which is among
    the candidates (``has_first``) and is not the registration at birth: the declared
    MOGELIJK_VOOR_EERSTE_RECORD, compiled (a reading "not registered" then)."""
    return compile_term(MOGELIJK_VOOR_EERSTE_RECORD, {
        EERSTE_RECORD_GELEZEN.name: pl.col("has_first"), EERSTE_DAG.name: first,
        EERSTE_RECORD_VAN_LAATST.name: pl.col("first_van_l"),
        INGESCHREVEN_BIJ_GEBOORTE.name: pl.col(birth).is_not_null() & pl.col("first_is_birth"),
    })


def _finish_readings(df: pl.DataFrame, first: pl.Expr, last: pl.Expr, prefix: str,
                     none_registered: int = NO_REGISTRATION) -> pl.DataFrame:
    """Add the readings before the first record and before birth; one key when all agree.

    Expects the subject's birth_e, first_van_l, first_is_birth and the aggregates of
    :func:`_reading_keys`. Adds ``{prefix}j_first/_same/_key`` and, for a mother's readings
    (the aggregates have ``o_min``), ``{prefix}o_...``.
    """
    none_only = days_before_birth(last) | pl.col("j_min").is_null()
    maybe_before_first = maybe_before_first_record(first)
    # Reference: registration.readings_are_contradictory (and ambiguity_reason: only when
    # the readings concern one day).
    contradictory = (
        ~none_only & ~maybe_before_first & (pl.col("n_cand") >= 2) & ~pl.col("any_two")
        & pl.col("all_exact") & (first == last)
    ).fill_null(False)
    exprs = [contradictory.alias(f"{prefix}_contr")]
    kinds = [("j", pl.lit(none_registered))]
    if "o_min" in df.columns:
        kinds.append(("o", _mother_not_registered(pl.col("alt"))))
    for kind, none_key in kinds:
        lo = pl.when(maybe_before_first).then(pl.min_horizontal(pl.col(f"{kind}_min"), none_key)).otherwise(pl.col(f"{kind}_min"))
        hi = pl.when(maybe_before_first).then(pl.max_horizontal(pl.col(f"{kind}_max"), none_key)).otherwise(pl.col(f"{kind}_max"))
        if kind == "j":
            # The reading "not registered" (before the first record, before birth) leads where
            # the routes lead it (none_registered: 3° or 4°).
            none_reading = none_only | maybe_before_first
            exprs += [
                (~none_only & pl.col("j_code")).fill_null(False).alias(f"{prefix}j_code"),
                _has_key(Key.SUB_3, pl.col("j_has3"), none_reading, none_registered)
                .fill_null(False).alias(f"{prefix}j_has3"),
                _has_key(Key.SUB_4, ~none_only & pl.col("j_has4"), none_reading, none_registered)
                .fill_null(False).alias(f"{prefix}j_has4"),
            ]
        else:
            empty = pl.when(none_only).then(_empty_review(none_key)).otherwise(
                pl.col("o_empty") & (~maybe_before_first | _empty_review(none_key)))
            exprs.append(empty.fill_null(False).alias(f"{prefix}o_empty"))
        exprs += [
            pl.when(none_only | maybe_before_first).then(none_key).otherwise(pl.col(f"{kind}_first"))
            .cast(pl.Int32).alias(f"{prefix}{kind}_first"),
            (none_only | (lo == hi)).alias(f"{prefix}{kind}_same"),
            pl.when(none_only).then(none_key).otherwise(lo).cast(pl.Int32).alias(f"{prefix}{kind}_key"),
        ]
    return df.with_columns(exprs)


def _has_key(key: int, among_records: pl.Expr, none_reading: pl.Expr, none_registered: int) -> pl.Expr:
    """Some reading leads to ``key``: a record's (``among_records``), or the reading "not
    registered" when there is one and the routes lead it there."""
    return (among_records | none_reading) if none_registered == key else among_records


def _mother_not_registered(alt: _Alt) -> _Alt:
    """The key of the mother's reading "not registered at the birth" (before her birth, or
    possibly before her first record): where MOEDER_INSCHRIJVING_ROUTES lead a reading
    without a record -- 3°, whose last part is the werkelijke verblijfplaats (``alt``, as in
    :func:`_mother_key`)."""
    route, _ = first_route(woonplaats_2022.MOEDER_INSCHRIJVING_ROUTES,
                           ReadingFacts(ingeschreven=False, aantekening=False))
    if route.onderdeel != 3:
        raise ValueError("MOEDER_INSCHRIJVING_ROUTES: een moeder zonder inschrijving leidt niet naar 3°")
    return alt


def readings_on_peildatum(prep: Prepared) -> pl.DataFrame:
    """Reading keys of every person on the peildatum (one pass over all records)."""
    p = prep.p
    cand = prep.records.filter(record_on_days(pl.lit(p), pl.lit(p))).with_columns(pl.col("pid").set_sorted())  # prepare() put the records in order
    agg = _reading_keys(cand, pl.lit(p), pl.lit(p), "pid", peildatum=p, in_order=True)
    subjects = prep.personen.select("pid", "birth_e", "first_van_l", "first_is_birth")
    df = subjects.join(agg, on="pid", how="left")
    keep = ["pid", "p_contr", *_j_columns("p")]
    return _finish_readings(df, pl.lit(p), pl.lit(p), "p").select(keep)


def readings_for(prep: Prepared, queries: pl.DataFrame, prefix: str, *,
                 mother: bool = False,
                 routes: Routes = woonplaats_2022.WOONADRES_ROUTES) -> pl.DataFrame:
    """Reading keys per query (qid, subject, first, last): a period or another day. With
    ``mother`` (the mother's registration at the birth; the queries carry ``alt``) also the
    keys of her routes (``{prefix}o_...``)."""
    keep = [f"{prefix}_contr", *_j_columns(prefix),
            *([f"{prefix}o_{f}" for f in ("first", "same", "key", "empty")] if mother else [])]
    if queries.height == 0:
        types = {"first": pl.Int32, "key": pl.Int32}
        return pl.DataFrame(schema={"qid": pl.Int64, **{
            c: types.get(c.rsplit("_", 1)[-1], pl.Boolean) for c in keep}})
    cand = queries.join(prep.records, left_on="subject", right_on="pid", how="inner").filter(
        record_on_days(pl.col("first"), pl.col("last")))
    agg = _reading_keys(cand, pl.col("first"), pl.col("last"), "qid", peildatum=prep.p, mother=mother,
                        routes=routes)
    subjects = prep.personen.select(
        pl.col("pid").alias("subject"), "birth_e", "first_van_l", "first_is_birth"
    )
    df = queries.join(subjects, on="subject", how="left").join(agg, on="qid", how="left")
    df = _finish_readings(df, pl.col("first"), pl.col("last"), prefix, no_registration(routes))
    return df.select("qid", *keep)


def _j_columns(prefix: str) -> list[str]:
    return [f"{prefix}j_{f}" for f in ("first", "same", "key", "code", "has3", "has4")]


def _ambiguity(contr_col: str) -> pl.Expr:
    """Reference: registration.ambiguity_reason: the reason when the readings disagree."""
    return pl.when(pl.col(contr_col).fill_null(False)).then(TEG_INSCHRIJVING).otherwise(ONV)


def _mother_reading_keys(prep: Prepared, rows: pl.DataFrame) -> dict[int, list[int]]:
    """Reference: woonplaats_2022.sub_3 and _mother_at_birth, for the few rows whose review
    of 3° compares the mother's readings at birth: per pid the key of every reading (the
    gemeente of an ingezetene registration, else the werkelijke verblijfplaats' key, else
    Key.SUB_3), as :func:`_reading_keys` and :func:`_finish_readings` form them."""
    q = rows.filter(pl.col("moeder_id").is_not_null()).select(
        pl.col("pid").alias("qid"), pl.col("moeder_id").alias("subject"),
        pl.col("birth_e").alias("first"), pl.col("birth_l").alias("last"),
        pl.col("wvp_key").fill_null(Key.SUB_3).alias("alt"),
    )
    if q.height == 0:
        return {}
    cand = q.join(prep.records, left_on="subject", right_on="pid", how="inner").filter(
        record_on_days(pl.col("first"), pl.col("last")))
    keys = cand.group_by("qid").agg(
        _mother_key(pl.col("alt")).unique().alias("k"),
        pl.col("is_first").any().alias("has_first"),
    )
    subjects = prep.personen.select(
        pl.col("pid").alias("subject"), pl.col("birth_e").alias("m_birth"), "first_van_l", "first_is_birth")
    df = q.join(subjects, on="subject", how="left").join(keys, on="qid", how="left")
    # The reading "no registration": before the mother's birth, or before her first record.
    none_only = days_before_birth(pl.col("last"), "m_birth") | pl.col("k").is_null()
    before_first = maybe_before_first_record(pl.col("first"), "m_birth")
    out = {}
    for row in df.select("qid", "alt", "k", none_only.alias("none"), before_first.alias("before")).iter_rows(named=True):
        keys_ = [] if row["none"] else list(row["k"])
        if row["none"] or row["before"]:
            keys_.append(_mother_not_registered(row["alt"]))
        out[row["qid"]] = keys_
    return out


def _registered() -> pl.Expr:
    """Where the youth is registered on the peildatum, when the facts say so without doubt:
    the municipality the reports attribute review cases to."""
    key = pl.col("pj_key")
    return (
        pl.when(pl.col("pj_same") & Key.is_gemeente(key)).then(key)
        .cast(pl.Int32).alias("inschrijving")
    )
