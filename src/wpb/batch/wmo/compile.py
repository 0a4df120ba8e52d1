"""Compile the Wmo's declared predicates over time (wpb.law.wmo.termijnen, wpb.law.wmo.spans)
to polars.

The single-case engine evaluates the same declarations (``MonthsSince.passed_on``,
:func:`wpb.law.wmo.spans.standen`); this module only translates them, so no period or state
is stated twice. The twelve months are the core's one month term (``MonthsSince`` is
``wpb.law.spans.MonthsAfter``), compiled by the one compiler ``wpb.batch.compile.compile_passed_on``,
re-exported here; the 365 days are the core's one day term (``wpb.law.spans.DaysBefore``),
compiled by ``wpb.batch.compile.compile_days_before``. Days are Int32 day numbers (days since 1970-01-01), as in wpb.batch.wmo.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from wpb.batch.compile import compile_days_before, compile_passed_on, compile_route_index
from wpb.law.predicates import Route
from wpb.law.wmo.predicates import EersteGegeven
from wpb.law.wmo.spans import AFGELEIDE_DAGEN
from wpb.law.wmo.termijnen import MonthsSince


def placement_env(days: Mapping[str, pl.Expr]) -> dict[str, pl.Expr]:
    """The columns of the fields of :class:`wpb.law.wmo.spans.PlaatsingOpDag` (or
    :class:`~wpb.law.wmo.spans.AanvraagOpDag`) for
    :func:`wpb.batch.compile.compile_term`: ``days`` names the day-number column of each
    field of the placement and of the day of the request; the days the core derives from them
    by a declared period (``AFGELEIDE_DAGEN``) are compiled here."""
    env = dict(days)
    for name, (period, since) in AFGELEIDE_DAGEN.items():
        if since.name not in env:
            continue  # a day of another kind of fact (an application has no end)
        if isinstance(period, MonthsSince):
            env[name] = compile_passed_on(period, env[since.name])
        else:
            env[name] = compile_days_before(period, env[since.name])
    return env


def compile_route_value(routes: Sequence[Route], values: Mapping[str, bool | None],
                        env: Mapping[str, pl.Expr]) -> pl.Expr:
    """A Boolean column: the value (``values`` by the route's ``gevolg``; None: null) of the
    first route of ``routes`` that holds, as ``values[first_route(routes, fact).gevolg]``."""
    index = compile_route_index(routes, env)
    return pl.coalesce(*(
        pl.when(index == i).then(pl.lit(values[str(route.gevolg)], pl.Boolean))
        for i, route in enumerate(routes)
    ))


def compile_eerste_gegeven(value: EersteGegeven, env: Mapping[str, pl.Expr]) -> pl.Expr:
    """The column of the first of ``value.fields`` that is given (not null), as
    :meth:`EersteGegeven.van`; ``env`` names the column of each field."""
    return pl.coalesce(*(env[f.name] for f in value.fields))


__all__ = ["compile_eerste_gegeven", "compile_passed_on", "compile_route_value", "placement_env"]
