"""Art. 1.2.1a lid 1 onder a and b-d over the readings of the placements, compared on their
keys (reference: ``beschermd_wonen._eerder_beschermd_wonen``, ``_hoofdregel``, ``combine``)."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from wpb.batch.compile import compile_route_index
from wpb.batch.engine import ONV, STATUS_BEPAALD, Key, Outcome, choose, review
from wpb.batch.wmo.keys import WmoKey, _by_key, _resolution_reden
from wpb.batch.wmo.routes import (
    _by_gevolg,
    _onderdeel_at,
    _onderdeel_of,
    _reden,
    _route_outcome,
)
from wpb.batch.wmo.woonadres import _woonadres_outcome
from wpb.law.wmo.beschermd_wonen import EERDER_ROUTES, UITZONDERINGEN_ROUTES
from wpb.law.wmo.predicates import EERDER_BINNEN_TWAALF_MAANDEN, LOPEND_BESCHERMD_WONEN


def _first_reading_route(env: Mapping[str, pl.Expr], *, uncertain: bool) -> pl.Expr:
    """The route of EERDER_ROUTES (compile_route_index) in the first reading of the earlier
    placements (reference: the first combination of _eerder_beschermd_wonen, then the first
    option of _laatste_plaatsing): a placement runs (LOPEND_BESCHERMD_WONEN) when one runs
    for certain or, with ``uncertain``, when one in several states runs first (otherwise
    such placements are read as not begun, as ``settled`` reads them); the one that ended
    last ended less than twelve months before (EERDER_BINNEN_TWAALF_MAANDEN) in that
    reading (``first_is_a``)."""
    runs = pl.col("any_runs")
    if uncertain:
        runs = runs | pl.col("multi_runs_first")
    return compile_route_index(EERDER_ROUTES, {
        **env, LOPEND_BESCHERMD_WONEN.name: runs,
        EERDER_BINNEN_TWAALF_MAANDEN.name: pl.col("first_is_a"),
    })


def _eerder(env: Mapping[str, pl.Expr]) -> Outcome:
    """Reference: _eerder_beschermd_wonen: art. 1.2.1a lid 1 onder a (EERDER_ROUTES, in every
    reading of the earlier placements whose state is certain), else art. 1.2.1 onder b (the
    woonadres). ``env``: the columns of the declared facts (wpb.law.wmo.predicates)."""
    w = _woonadres_outcome()
    has_w = pl.col("has_w").fill_null(True)
    w_outer = pl.when(pl.col("w_same")).then(pl.col("w_key")).otherwise(WmoKey.COMBINED)
    all_equal = (pl.col("a_min") == pl.col("a_max")) & (~has_w | (w_outer == pl.col("a_min")))
    first_is_a = pl.col("first_is_a").fill_null(False)
    # The table's facts are folds over the readings of the placements (_placements): a
    # placement that certainly runs (LOPEND_BESCHERMD_WONEN), and exception a in some reading
    # (EERDER_BINNEN_TWAALF_MAANDEN). When it holds only in some, the readings are compared.
    return _route_outcome(EERDER_ROUTES, pl.col("eerder_route"), {
        "uitzondering_a": choose(
            [
                (all_equal & first_is_a, _first_exception_a()),
                (all_equal, w),
            ],
            review(ONV, _onderdeel_at(EERDER_ROUTES, _first_reading_route(env, uncertain=False))),
        ),
        "woonadres": w,
    })


def _first_exception_a() -> Outcome:
    """Reference: uitzondering_a for the placement of the first reading of _laatste_plaatsing
    (``first_key``): its provider resolved on the peildatum."""
    first_key = pl.col("first_key")
    return _by_key(first_key, _resolution_reden(first_key), _onderdeel_of(EERDER_ROUTES, "uitzondering_a"))


def _first_reading(route: pl.Expr) -> Outcome:
    """Reference: the first reading of _eerder_beschermd_wonen (each placement in its first
    state, then the first option of _laatste_plaatsing), led by EERDER_ROUTES (``route``,
    :func:`_first_reading_route`): a route's review (a running indication or placement),
    exception a, or the woonadres."""
    return _route_outcome(EERDER_ROUTES, route, {
        "uitzondering_a": _first_exception_a(),
        "woonadres": _woonadres_outcome(),
    })


def _hoofdregel(settled: Outcome, env: Mapping[str, pl.Expr]) -> tuple[Outcome, pl.Expr]:
    """Reference: _hoofdregel: ``settled`` (:func:`_eerder`) with the placements whose state
    is uncertain, then exceptions b to d (UITZONDERINGEN_ROUTES). (The overlegbepaling adds a
    task to a decision and changes no outcome: not computed here.)

    Also returns where the client needs the reference engine: where the readings of the
    placements decide the answer (not where a running indication ends it before them, nor
    where exceptions b-d make it a review under the clause of the first reading alone), the
    columns here cannot compare them and :func:`_agreement` could not either (a code the
    register lacks)."""
    index = pl.col("eerder_route")
    # With a placement in several states, ``settled`` is the answer of the readings in which
    # each such placement has not begun (the first ones, unless one runs first). Where one
    # reading has a placement run (_lopend: a review) and another decides, the readings differ:
    # a review for the incomplete date under the first reading's clause. Another reading
    # decides when the first ones do; or, with one such placement and none running for
    # certain, when it may have ended (days before the request, so within twelve months and
    # the last) and was provided by one gemeente: exception a decides for it.
    multi = pl.col("any_multi")
    runs_first = pl.col("multi_runs_first").fill_null(False)
    one_ends_deciding = (
        (pl.col("n_multi") == 1) & ~pl.col("any_runs") & pl.col("multi_ends_in_gemeente")
    )
    lopende_indicatie = index == EERDER_ROUTES.index(_by_gevolg(EERDER_ROUTES, "lopende_indicatie"))
    # With one such placement and none running for certain: the reading where it runs is a
    # review, so any reading that decides (with it not begun, or ended: "_b") differs from it.
    one_uncertain = (pl.col("n_multi") == 1) & ~pl.col("any_runs")
    some_decide = (
        (~runs_first & _some_reading_decides(""))
        | (pl.col("multi_may_end").fill_null(False) & _some_reading_decides("_b"))
    )
    readings_differ = (
        ~lopende_indicatie & multi & pl.col("multi_may_run").fill_null(False)
        & ((~runs_first & (settled["status"] == STATUS_BEPAALD)) | one_ends_deciding
           | (one_uncertain & some_decide))
    ).fill_null(False)
    first_route = _first_reading_route(env, uncertain=True)
    first_onderdeel = _onderdeel_at(EERDER_ROUTES, first_route)
    agree, differ = _voor_or_ended()
    exceptions = pl.col("uitzonderingen_route")
    geregeld = exceptions == UITZONDERINGEN_ROUTES.index(_by_gevolg(UITZONDERINGEN_ROUTES, "geregeld"))
    # Where the columns above cannot tell, the readings are compared on their candidate sets
    # (_agreement, ``agree``): when all agree, the first reading's outcome, else a review for
    # the incomplete date.
    compared = (
        (~lopende_indicatie & geregeld & ~readings_differ & ~agree & ~differ).fill_null(True)
        & (multi | _union_needed())
    )
    all_agree = pl.col("agree")
    first = _first_reading(first_route)
    settled = choose([
        (((readings_differ | differ) & ~lopende_indicatie), review(ONV, first_onderdeel)),
        (compared & ~all_agree, review(ONV, first_onderdeel)),
        (compared & all_agree, first),
    ], settled)
    # A review for exceptions b-d stays under the clause of the first reading (combine keeps
    # its grondslag). ``settled`` is that reading's where the placements' states are certain;
    # a placement in several states is "voor" first (then ignored) or runs first (_lopend,
    # under 1.2.1a lid 1 onder a).
    outcome = _route_outcome(UITZONDERINGEN_ROUTES, exceptions, {
        "uitzondering_b_tot_d": review(_reden(_by_gevolg(UITZONDERINGEN_ROUTES, "uitzondering_b_tot_d")),
                                       first_onderdeel),
        "geregeld": settled,
    })
    return outcome, compared & all_agree.is_null()


def _some_reading_decides(suffix: str) -> pl.Expr:
    """Whether one of the readings of _laatste_plaatsing over the ended placements (the first
    ones, or with the uncertain placement ended: ``suffix`` "_b") decides for one gemeente:
    exception a for a gemeente, or the woonadres that decides in every reading of the BRP."""
    a_decides = Key.is_gemeente(pl.col(f"a_max{suffix}")).fill_null(False)
    w_decides = (pl.col(f"has_w{suffix}").fill_null(True) & pl.col("w_same")
                 & Key.is_gemeente(pl.col("w_key")))
    return a_decides | w_decides.fill_null(False)


def _voor_or_ended() -> tuple[pl.Expr, pl.Expr]:
    """Where no placement may run and a placement may not have begun or may have ended, the
    readings of ``_eerder_beschermd_wonen`` are compared as ``combine`` does, on their keys:
    (all agree, they differ). Both false: the columns cannot tell (the candidate sets are
    compared, :func:`_agreement`).

    With a placement running for certain, every reading is the same review of the running
    placements (_lopend). Otherwise, with one such placement, the readings are those with it
    not begun (the first ones, ``settled``) and those with it ended ("_b" columns); each is
    exception a for a key or the woonadres (``w_key``, one outcome in every reading). A
    woonadres review of a union of readings is compared only where it cannot equal the set of
    exception a (see ``_union_needed``)."""
    none_runs = ~pl.col("multi_may_run").fill_null(False)
    running = none_runs & pl.col("any_runs")
    one = none_runs & ~pl.col("any_runs") & (pl.col("n_multi") == 1)
    has_a = pl.col("has_a").fill_null(False) | pl.col("has_a_b").fill_null(False)
    has_w = pl.col("has_w").fill_null(True) | pl.col("has_w_b").fill_null(True)
    a_min = pl.min_horizontal("a_min", "a_min_b")
    same_a = a_min == pl.max_horizontal("a_max", "a_max_b")
    agree = ~has_a | (same_a & (~has_w | (pl.col("w_same") & (pl.col("w_key") == a_min))))
    union = has_a & has_w & ~pl.col("w_same") & same_a & (a_min < WmoKey.EMPTY)
    multi = pl.col("any_multi")
    return ((multi & (running | (one & agree))).fill_null(False),
            (multi & one & ~agree & ~union).fill_null(False))


def _union_needed() -> pl.Expr:
    """Whether exception a and the woonadres can only be compared through a candidate set
    these columns do not carry: every exception-a reading is the same review of a split
    code's successors, and the woonadres readings differ, so theirs is a review of their union
    (which may be that very set: a woonadres in Bedum (0005, now Het Hogeland) or in Winsum
    (0053, split over Het Hogeland and Westerkwartier) against beschermd wonen from Winsum).
    For such clients the sets are compared (:func:`_agreement`)."""
    return (
        ~pl.col("any_runs") & pl.col("has_a").fill_null(False) & pl.col("has_w").fill_null(True)
        & ~pl.col("w_same") & (pl.col("a_min") == pl.col("a_max")) & (pl.col("a_min") < WmoKey.EMPTY)
    ).fill_null(False)
