"""Wmo clause numbers and the declared route tables walked column-wise (reference:
:func:`wpb.law.predicates.first_route` over the tables of :mod:`wpb.law.wmo.beschermd_wonen`)."""

from __future__ import annotations

import polars as pl

from wpb.batch.engine import REDEN_CODE, Outcome, choose, review
from wpb.law.decision import ReviewReden
from wpb.law.predicates import Route
from wpb.law.wmo.beschermd_wonen import ONDERDELEN


def onderdeel_nr(name: str) -> int:
    """A Wmo clause (``beschermd_wonen.ONDERDEEL_*``) in the engine's Int8 ``onderdeel``
    column: its place in ``ONDERDELEN``, from 1."""
    return ONDERDELEN.index(name) + 1


def onderdeel_codes() -> dict[int, str]:
    """The engine's clause numbers and the reference's names for them."""
    return {onderdeel_nr(name): name for name in ONDERDELEN}


def _reden(route: Route) -> int:
    assert route.reden is not None, route
    return REDEN_CODE[ReviewReden(route.reden)]


def _route_value(routes: tuple[Route, ...], index: pl.Expr, steps: dict[str, pl.Expr]) -> pl.Expr:
    """One value per route (by its gevolg), where ``index`` (compile_route_index) points."""
    expr = None
    for i, route in enumerate(routes):
        value = steps[route.gevolg]
        expr = pl.when(index == i).then(value) if expr is None else expr.when(index == i).then(value)
    assert expr is not None
    return expr.otherwise(None)


def _by_gevolg(routes: tuple[Route, ...], gevolg: str) -> Route:
    (route,) = [r for r in routes if r.gevolg == gevolg]
    return route


def _onderdeel_of(routes: tuple[Route, ...], gevolg: str) -> int:
    """The engine's number of the clause the route with ``gevolg`` leads to."""
    return onderdeel_nr(str(_by_gevolg(routes, gevolg).onderdeel))


def _onderdeel_at(routes: tuple[Route, ...], index: pl.Expr) -> pl.Expr:
    """The engine's number of the clause of the route ``index`` (compile_route_index) points
    to (null: a route without one, or none)."""
    return _route_value(routes, index, {
        route.gevolg: pl.lit(onderdeel_nr(str(route.onderdeel)) if route.onderdeel else None,
                             pl.Int8)
        for route in routes
    })


def _route_outcome(routes: tuple[Route, ...], index: pl.Expr, steps: dict[str, Outcome]) -> Outcome:
    """Reference: a table walked with first_route. Per route the outcome of its gevolg
    (``steps``), or, for a route with a reden and no step of its own, the review it declares
    under its onderdeel."""
    branches = []
    for i, route in enumerate(routes):
        if route.gevolg in steps:
            outcome = steps[route.gevolg]
        else:
            assert route.onderdeel is not None, route
            outcome = review(_reden(route), onderdeel_nr(str(route.onderdeel)))
        branches.append((index == i, outcome))
    *first, (_, last) = branches
    return choose(first, last)
