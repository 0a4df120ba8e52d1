"""The readings of the placements compared on their candidate sets where their keys cannot
tell (reference: ``combine`` over ``_eerder_beschermd_wonen``'s readings, ``Outcome.key``)."""

from __future__ import annotations

import polars as pl

from wpb.batch.engine import Key
from wpb.batch.wmo.placements import _may_be_last


def _agreement(rows: pl.DataFrame, woon: pl.DataFrame, w_keys: pl.DataFrame,
               members: pl.DataFrame) -> pl.DataFrame:
    """(pid, agree): whether every reading of ``_eerder_beschermd_wonen`` (the product of the
    placements' states, then _laatste_plaatsing) has the same :attr:`Outcome.key`, compared
    on candidate sets as ``combine`` does; null where a code is not in the register.

    Each reading is one of (reference: _eerder_reading):

    - some placements run (_lopend): a review listing the successors of the running
      placements' providers and the woonadres candidates (``w_keys``, a key per reading of
      the BRP: a decision's gemeente, or the union of every BRP reading's candidates);
    - none runs, exception a for the last placement: its provider resolved (a gemeente, or a
      review of its successors);
    - none runs and exception a does not apply: the woonadres (:func:`_woonadres_outcome`).

    Not every reading is formed (they are a product), only representatives that agree
    exactly when all readings do. The running placements can be any superset of those that
    run for certain (``C``) within those that may run, and their review's set grows with
    them: so the largest set is compared with the smallest ones (``C``, or, without it, each
    placement that may run alone). Without ``C`` the placements that must end when none runs
    (``ended & ~voor``) compete in every such reading, the others only when they end: a
    placement may be the last in some reading exactly when no competing placement certainly
    ended after it (each with exception a where it may apply and the woonadres where it may
    not), and with no competing placement the reading in which none ended gives the woonadres.
    """
    review_w = ~(pl.col("w_same") & Key.is_gemeente(pl.col("w_key")))
    rows = rows.join(
        rows.group_by("pid").agg(
            (pl.col("loopt") & ~pl.col("multi")).any().alias("c_any"),
            (pl.col("ended") & ~pl.col("voor")).any().alias("must_end"),
        ), on="pid")
    rep = ["pid", "kind", "nr"]

    def reps(frame: pl.DataFrame, kind, nr: pl.Expr, review_expr: pl.Expr, key: str) -> pl.DataFrame:
        """Rows (pid, kind, nr, review, key): a key of reading (kind, nr) and whether it is
        a review."""
        kind = kind if isinstance(kind, pl.Expr) else pl.lit(kind)
        return frame.select("pid", kind.cast(pl.Int8).alias("kind"), nr.cast(pl.Int64).alias("nr"),
                            review_expr.alias("review"), pl.col(key).cast(pl.Int32).alias("key"))

    free = rows.filter(~pl.col("c_any"))
    last = _may_be_last(free.filter(pl.col("ended")), ~pl.col("voor"))
    exception_a = reps(last.filter(pl.col("maybe")), 0, pl.col("volgnr"),
                       ~Key.is_gemeente(pl.col("a_key")), "a_key")
    no_a = pl.concat([
        last.filter(~pl.col("sure")).select("pid"),
        free.filter(~pl.col("must_end")).select("pid"),
    ]).unique()
    woonadres = reps(woon.join(no_a, on="pid", how="semi").join(w_keys, on="pid"), 1, pl.lit(0),
                     review_w, "w_keys")
    runs = rows.filter(pl.col("loopt"))
    running = pl.concat([
        reps(runs, 2, pl.lit(0), pl.lit(True), "a_key"),  # all that may run
        reps(runs.filter(~pl.col("multi")), 3, pl.lit(0), pl.lit(True), "a_key"),  # C
        reps(runs.filter(~pl.col("c_any")), 4, pl.col("volgnr"), pl.lit(True), "a_key"),  # each alone
    ])
    with_w = running.select(rep).unique().join(w_keys, on="pid")
    running = pl.concat([running, reps(with_w, pl.col("kind"), pl.col("nr"), pl.lit(True), "w_keys")])
    key = pl.col("key")
    codes = (
        pl.concat([exception_a, woonadres, running])
        .join(members, left_on="key", right_on="set_key", how="left")
        .with_columns(pl.when(Key.is_gemeente(key)).then(key).otherwise("code").alias("code"))
        .group_by(rep)
        .agg(pl.col("review").first(), key.is_null().any().alias("unknown"),
             pl.col("code").drop_nulls().unique().sort().cast(pl.String).str.join(",").alias("codes"))
    )
    return codes.group_by("pid").agg(
        pl.when(pl.col("unknown").any()).then(None)
        .otherwise(pl.concat_str(pl.col("review").cast(pl.String), "codes").n_unique() == 1)
        .alias("agree"),
    )
