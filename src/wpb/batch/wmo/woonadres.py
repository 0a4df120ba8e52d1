"""The woonadres on the day of the request, every reading of the BRP as a key (reference:
``beschermd_wonen.woonadres`` and ``_from_reading``, ``WOONADRES_ROUTES`` compiled)."""

from __future__ import annotations

import polars as pl

from wpb.batch.compile import compile_route_index
from wpb.batch.engine import GESPLITST, ONV, ZONDER_OPVOLGER, Key, choose, review
from wpb.batch.jeugdwet.readings import days_before_birth, maybe_before_first_record, record_on_days
from wpb.batch.wmo.keys import _by_key, _outcome_key
from wpb.batch.wmo.routes import _onderdeel_of, _reden, _route_value
from wpb.law.predicates import (
    AANTEKENING,
    BUITENLAND,
    INGESCHREVEN,
    WOONADRES,
    ReadingFacts,
    first_route,
)
from wpb.law.wmo.beschermd_wonen import WOONADRES_ROUTES


def _woonadres_keys(prep, clients: pl.DataFrame, keys: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(pid, w_same, w_key, w_reden, w_none, w_only_none): whether every reading of the BRP on
    the day of the request gives the same outcome, its key, and the reden of the first reading
    (registration.readings_between on one day, in its order); the key of the reading without
    a registration where it is one (``w_none``), and whether it is the only one. Also the
    records' readings (pid, k1, k2: a record's first and, with an uncertain aantekening,
    second reading), for the union a review of differing readings lists
    (:func:`_woonadres_candidates`)."""
    set_of_rkey = keys.select("key", "set_key").unique("key")
    m = pl.col("m")
    cand = (
        clients.select("pid", "m", "v_key")
        .join(prep.records, on="pid", how="inner")
        .filter(record_on_days(m, m))  # the declared RECORD_MOGELIJK_OP_DAGEN on the day
        .join(set_of_rkey, left_on="rkey", right_on="key", how="left")
    )
    certain = (pl.col("cert_from") <= m).fill_null(False)
    possible = (pl.col("poss_from") <= m).fill_null(False)
    # Reference: _from_reading, the declared WOONADRES_ROUTES compiled. A possible but
    # uncertain aantekening gives two readings, the one with the aantekening first
    # (registration.readings_between).
    cand = cand.with_columns(
        compile_route_index(WOONADRES_ROUTES, _reading_env(certain | possible)).alias("route1"),
        pl.when(~certain & possible)
        .then(compile_route_index(WOONADRES_ROUTES, _reading_env(certain))).alias("route2"),
    )
    steps = _woonadres_steps(pl.col("rkey"), pl.col("set_key"))
    k1 = _route_value(WOONADRES_ROUTES, pl.col("route1"), steps)
    k2 = _route_value(WOONADRES_ROUTES, pl.col("route2"), steps)  # null: one reading
    # The reden of a record's first reading, when it is a review: the route's, or the
    # resolution's (no successor, a split) for a woonadres.
    r1 = _route_value(WOONADRES_ROUTES, pl.col("route1"), {
        route.gevolg: pl.lit(_reden(route)) if route.reden else _resolution_reden_of(pl.col("rkey"))
        for route in WOONADRES_ROUTES
    })
    cand = cand.with_columns(k1.cast(pl.Int32).alias("k1"), k2.cast(pl.Int32).alias("k2"),
                             r1.cast(pl.Int8).alias("r1"))
    agg = (
        cand.group_by("pid")
        .agg(
            pl.min_horizontal(pl.col("k1").min(), pl.col("k2").min()).alias("k_min"),
            pl.max_horizontal(pl.col("k1").max(), pl.col("k2").max()).alias("k_max"),
            pl.col("is_first").any().alias("has_first"),
            pl.col("r1").sort_by("row").first().alias("first_reden"),
        )
    )
    subjects = prep.personen.select("pid", "birth_e", "first_van_l", "first_is_birth")
    df = clients.select("pid", "m", "v_key").join(subjects, on="pid", how="left").join(
        agg, on="pid", how="left")
    # The declared DAGEN_VOOR_GEBOORTE and MOGELIJK_VOOR_EERSTE_RECORD, compiled as for the
    # Jeugdwet: before birth only "not registered"; before the first record there is no
    # registration, unless it is the one at birth.
    none_only = days_before_birth(m).fill_null(False) | pl.col("k_min").is_null()
    maybe_before_first = maybe_before_first_record(m).fill_null(False)
    # The reading without a registration goes where the routes lead "not ingeschreven".
    none_key = _woonadres_steps(pl.col("rkey"), pl.col("set_key"))[_NOT_REGISTERED.gevolg]
    lo = pl.when(maybe_before_first).then(pl.min_horizontal(pl.col("k_min"), none_key)).otherwise("k_min")
    hi = pl.when(maybe_before_first).then(pl.max_horizontal(pl.col("k_max"), none_key)).otherwise("k_max")
    return df.select(
        "pid",
        (none_only | (lo == hi)).fill_null(False).alias("w_same"),
        pl.when(none_only).then(none_key).otherwise(lo).cast(pl.Int32).alias("w_key"),
        pl.when(none_only | maybe_before_first).then(_reden(_NOT_REGISTERED))
        .otherwise(pl.col("first_reden")).cast(pl.Int8).alias("w_reden"),
        pl.when(none_only | maybe_before_first).then(none_key).cast(pl.Int32).alias("w_none"),
        none_only.alias("w_only_none"),
    ), cand.select("pid", "k1", "k2")


def _woonadres_candidates(woon: pl.DataFrame, readings: pl.DataFrame) -> pl.DataFrame:
    """(pid, w_keys): per client of ``woon`` the key of every reading of the BRP on the day
    of the request (:func:`_woonadres_keys`); their gemeenten together are what a review of
    the woonadres lists (one reading's, or the union ``combine`` lists for differing ones)."""
    records = readings.join(woon.filter(~pl.col("w_only_none")), on="pid", how="semi")
    return pl.concat([
        records.select("pid", pl.col("k1").alias("w_keys")),
        records.filter(pl.col("k2").is_not_null()).select("pid", pl.col("k2").alias("w_keys")),
        woon.filter(pl.col("w_none").is_not_null()).select("pid", pl.col("w_none").alias("w_keys")),
    ]).unique()


# The reading "no record covers the day" (before birth, before the first record), where the
# woonadres routes lead it: the vangnet, whose key is the aanmeldgemeente's (``v_key``).
_NOT_REGISTERED = first_route(WOONADRES_ROUTES, ReadingFacts(ingeschreven=False, aantekening=False))[0]
assert _NOT_REGISTERED.gevolg == "vangnet"


def _reading_env(aantekening: pl.Expr) -> dict[str, pl.Expr]:
    """The fields of a record's reading, as WOONADRES_ROUTES names them (``cls`` is the
    Jeugdwet engine's compiled WOONADRES / BUITENLAND)."""
    cls = pl.col("cls")
    return {INGESCHREVEN.name: pl.lit(True), AANTEKENING.name: aantekening,
            WOONADRES.name: cls == 2, BUITENLAND.name: cls == 1}


def _woonadres_steps(rkey: pl.Expr, set_key: pl.Expr) -> dict[str, pl.Expr]:
    """The key of each gevolg of WOONADRES_ROUTES. Reference: _vangnet (a review listing the
    aanmeldgemeente's successors), the aantekening (its own code's successors) and
    resolve_gemeente for the woonadres."""
    return {"vangnet": pl.col("v_key"), "aantekening": set_key,
            "woonadres": _outcome_key(rkey, set_key)}


def _resolution_reden_of(key: pl.Expr) -> pl.Expr:
    """The reden of resolve_gemeente's review for a Key: no successor, a split, else none."""
    return pl.when(key == Key.NO_SUCCESSOR).then(ZONDER_OPVOLGER).when(key >= Key.SPLIT).then(GESPLITST)


def _woonadres_outcome() -> dict[str, pl.Expr]:
    """Reference: woonadres: the first reading's outcome when all readings agree, else review
    (incomplete date) on the woonadres clause."""
    woonadres = _onderdeel_of(WOONADRES_ROUTES, "woonadres")
    return choose(
        [(~pl.col("w_same"), review(ONV, woonadres))],
        _by_key(pl.col("w_key"), pl.col("w_reden"), woonadres),
    )
