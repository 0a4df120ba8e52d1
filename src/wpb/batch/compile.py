"""Compile the core's declared predicates and routes (wpb.law.predicates) to polars.

The single-case engine evaluates the same declarations with :func:`wpb.law.predicates.holds`;
this module only translates them, so no predicate is stated twice. ``env`` names the column
of each field (and, optionally, a column already computed for a named predicate).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import polars as pl

from wpb.law.predicates import (
    AgeAtLeast,
    Field,
    In,
    Junction,
    Not,
    Predicate,
    Present,
    Route,
    Term,
    Voor,
)


def compile_term(term: Term, env: Mapping[str, pl.Expr]) -> pl.Expr:
    """A Boolean column that holds where ``term`` holds (a missing value: false)."""
    if isinstance(term, AgeAtLeast):
        return _age(env[term.birth.name], env[term.day.name]).ge(term.years).fill_null(False)
    if isinstance(term, Voor):
        return (_day(term.left, env) < _day(term.right, env)).fill_null(False)
    if isinstance(term, Predicate):
        if term.name in env:
            return env[term.name]
        return compile_term(term.definition, env)
    if isinstance(term, In):
        return env[term.field.name].is_in(list(term.values)).fill_null(False)
    if isinstance(term, Present):
        return env[term.field.name].is_not_null()
    if isinstance(term, Junction):
        left, right = compile_term(term.left, env), compile_term(term.right, env)
        return (left & right) if term.kind == "and" else (left | right)
    if isinstance(term, Not):
        return ~compile_term(term.term, env)
    if isinstance(term, Field):
        return env[term.name].fill_null(False)
    raise TypeError(f"onbekende term {term!r}")


def _day(side: Field | date, env: Mapping[str, pl.Expr]) -> pl.Expr:
    """A day of a Voor term: its field's Date column, or the law's fixed date."""
    return env[side.name] if isinstance(side, Field) else pl.lit(side, dtype=pl.Date)


def _age(birth: pl.Expr, day: pl.Expr) -> pl.Expr:
    """Whole years from ``birth`` to ``day`` (Date columns), as wpb.law.dates.age_on."""
    years = day.dt.year().cast(pl.Int32) - birth.dt.year().cast(pl.Int32)
    before_birthday = (day.dt.month().cast(pl.Int32) * 100 + day.dt.day().cast(pl.Int32)) < (
        birth.dt.month().cast(pl.Int32) * 100 + birth.dt.day().cast(pl.Int32)
    )
    return years - before_birthday.cast(pl.Int32)


def compile_route_index(routes: Sequence[Route], env: Mapping[str, pl.Expr]) -> pl.Expr:
    """The position of the first applicable route in ``routes`` (null: none applies)."""
    expr = None
    for i, route in enumerate(routes):
        cond = compile_term(route.wanneer, env)
        expr = pl.when(cond).then(i) if expr is None else expr.when(cond).then(i)
    assert expr is not None
    return expr.otherwise(None).cast(pl.Int8)


def compile_routes(routes: Sequence[Route], env: Mapping[str, pl.Expr]) -> pl.Expr:
    """The onderdeel the first applicable route leads to (0: the clause being applied); for
    tables whose onderdelen are numbers (the Jeugdwet's). Other tables: the route's index."""
    expr = None
    for route in routes:
        cond = compile_term(route.wanneer, env)
        value = route.onderdeel or 0
        expr = pl.when(cond).then(value) if expr is None else expr.when(cond).then(value)
    assert expr is not None
    return expr.otherwise(None).cast(pl.Int8)


__all__ = ["compile_route_index", "compile_routes", "compile_term"]
