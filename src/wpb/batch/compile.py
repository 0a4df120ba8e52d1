"""Compile the core's declared predicates and routes (wpb.law.predicates) to polars, and its
predicates over time (wpb.law.spans: a series of episodes, the places of a series on a day,
the last of several episodes, the aantekening on a record).

The single-case engine evaluates the same declarations with :func:`wpb.law.predicates.holds`,
:func:`wpb.law.spans.series_on`, :func:`wpb.law.spans.places_on`,
:func:`wpb.law.spans.laatste` and :func:`wpb.law.spans.aantekening_from`; this module only
translates them, so no predicate is stated twice. ``env`` names the column of each field
(and, optionally, a column already computed for a named predicate).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import polars as pl

from wpb.law.predicates import (
    AgeAtLeast,
    EnigeOpvolger,
    Field,
    In,
    Junction,
    Not,
    OpvolgerGedeeld,
    Opvolgers,
    OpvolgersBinnen,
    Predicate,
    Present,
    Route,
    Term,
    UiterlijkOp,
    Voor,
)
from wpb.law.spans import (
    ANDER,
    DAG,
    Aantekening,
    DaysAfter,
    DaysBefore,
    Laatste,
    MonthsAfter,
    Places,
    Series,
)


def compile_term(term: Term, env: Mapping[str, pl.Expr]) -> pl.Expr:
    """A Boolean column that holds where ``term`` holds (a missing value: false)."""
    if isinstance(term, AgeAtLeast):
        return _age(env[term.birth.name], env[term.day.name]).ge(term.years).fill_null(False)
    if isinstance(term, Voor):
        return (_day(term.left, env) < _day(term.right, env)).fill_null(False)
    if isinstance(term, UiterlijkOp):
        return (_day(term.left, env) <= _day(term.right, env)).fill_null(False)
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
    if isinstance(term, OpvolgersBinnen | OpvolgerGedeeld | EnigeOpvolger):
        # A comparison of successors joins the herindelingen: compile_opvolging (or
        # compile_enige_opvolger) adds its column, read here by name.
        if opvolging_kolom(term) not in env:
            raise TypeError(f"{term!r}: eerst compile_opvolging of compile_enige_opvolger")
        return env[opvolging_kolom(term)].fill_null(False)
    raise TypeError(f"onbekende term {term!r}")


# --- the successors of a gemeentecode (herindelingen) ----------------------------------------


def opvolging_kolom(term: Term) -> str:
    """The column :func:`compile_opvolging` gives a comparison of successors."""
    # A dataclass's hash is that of its fields only: the kind of comparison names it too.
    return f"_opvolging_{type(term).__name__}_{abs(hash(term)):x}"


def opvolging_termen(term: Term) -> list[Term]:
    """The comparisons of successors (OpvolgersBinnen, OpvolgerGedeeld, EnigeOpvolger) inside
    ``term``."""
    if isinstance(term, OpvolgersBinnen | OpvolgerGedeeld | EnigeOpvolger):
        return [term]
    if isinstance(term, Predicate):
        return opvolging_termen(term.definition)
    if isinstance(term, Junction):
        return opvolging_termen(term.left) + opvolging_termen(term.right)
    if isinstance(term, Not):
        return opvolging_termen(term.term)
    return []


def compile_opvolging(terms: Sequence[Term], frame: pl.DataFrame, epochs: pl.DataFrame, *,
                      by: str) -> pl.DataFrame:
    """``frame`` with a Boolean column (:func:`opvolging_kolom`) for every OpvolgersBinnen and
    OpvolgerGedeeld inside ``terms``, as :func:`wpb.law.predicates.holds` evaluates them.

    ``frame`` has one row per ``by`` and a column per field the terms name (each ``van``: a
    code, a list of codes or null; each ``op``: a day number); ``epochs`` is the register's
    successors by interval of days (code, van, tot, opvolger:
    ``wpb.batch.wmo.keys.successor_epochs``). The successors of the one side are formed (few
    per row); each is marked when some code of the other side has it as successor on the day,
    found back from the successor where the other side lists many codes (a successor has few
    predecessors, a region many successors), else from the other side's own successors; a
    row's counts then give both comparisons of the two sets: every successor marked (binnen,
    true without successors) or some (gedeeld)."""
    pairs: dict[tuple[Opvolgers, Opvolgers], list[Term]] = {}
    for term in [t for t in terms for t in opvolging_termen(t)]:
        if isinstance(term, EnigeOpvolger) or opvolging_kolom(term) in frame.columns:
            continue
        een, ander = (term.deel, term.geheel) if isinstance(term, OpvolgersBinnen) else (
            term.een, term.ander)
        if een.op != ander.op:
            raise TypeError(f"{term!r}: de opvolgers van twee dagen")
        if term not in pairs.setdefault((een, ander), []):
            pairs[(een, ander)].append(term)
    successors: dict[Opvolgers, pl.DataFrame] = {}
    for (een, ander), compared in pairs.items():
        day = een.op.name
        if een not in successors:
            successors[een] = _successor_rows(frame, een.van.name, day, epochs, by)
        theirs = successors[een]
        if isinstance(frame.schema[ander.van.name], pl.List):
            # Many successors on the other side (a region): found back from each successor.
            other = frame.select(by, pl.col(ander.van.name).alias("_ander"))
            marked = (
                theirs.join(_epochs(epochs), left_on="_s", right_on="_opvolger", how="inner")
                .filter((pl.col("_van") <= pl.col(day)) & (pl.col(day) < pl.col("_tot")))
                .join(other, on=by, how="inner")
                .filter(pl.col("_ander").list.contains(pl.col("_code")).fill_null(False))
                .select(by, "_s").unique()
            )
        else:
            marked = theirs.join(_successor_rows(frame, ander.van.name, day, epochs, by),
                                 on=[by, "_s"], how="semi").select(by, "_s")
        counts = theirs.join(marked.with_columns(pl.lit(True).alias("_in")), on=[by, "_s"],
                             how="left").group_by(by).agg(
            pl.len().alias("_n"), pl.col("_in").fill_null(False).sum().alias("_n_in"))
        frame = frame.join(counts, on=by, how="left").with_columns(
            pl.col("_n").fill_null(0), pl.col("_n_in").fill_null(0),
        ).with_columns(*(
            ((pl.col("_n_in") == pl.col("_n")) if isinstance(term, OpvolgersBinnen)
             else (pl.col("_n_in") > 0)).alias(opvolging_kolom(term))
            for term in compared
        )).drop("_n", "_n_in")
    return frame


def _epochs(epochs: pl.DataFrame) -> pl.DataFrame:
    return epochs.select(pl.col("code").alias("_code"), pl.col("van").alias("_van"),
                         pl.col("tot").alias("_tot"), pl.col("opvolger").alias("_opvolger"))


def _successor_rows(frame: pl.DataFrame, van: str, day: str, epochs: pl.DataFrame,
                    by: str) -> pl.DataFrame:
    """(``by``, ``day``, _s): one row per successor on the day of the code(s) in ``van``."""
    codes = frame.select(by, day, pl.col(van).alias("_van_code"))
    if isinstance(codes.schema["_van_code"], pl.List):
        codes = codes.explode("_van_code")
    return (
        codes.filter(pl.col("_van_code").is_not_null())
        .join(_epochs(epochs), left_on="_van_code", right_on="_code", how="inner")
        .filter((pl.col("_van") <= pl.col(day)) & (pl.col(day) < pl.col("_tot")))
        .select(by, day, pl.col("_opvolger").alias("_s")).unique([by, "_s"])
    )


def compile_enige_opvolger(term: EnigeOpvolger, env: Mapping[str, pl.Expr],
                           keys: pl.DataFrame) -> dict[str, pl.Expr]:
    """``env`` with the column of ``term`` (:func:`opvolging_kolom`), as
    :func:`wpb.law.predicates.holds`, on one day for every row: ``keys`` is the register's
    table of that day (code, key: the one successor's code as a number, negative for a split or
    none; ``wpb.batch.wmo.keys.code_keys``), ``env`` names the column of ``term.van.van``
    (a code) and of ``term.gemeente`` (a gemeente as that number, null: none)."""
    one = env[term.van.van.name].replace_strict(keys["code"], keys["key"], default=None,
                                                return_dtype=pl.Int32)
    return {**env, opvolging_kolom(term): ((one >= 0) & (one == env[term.gemeente.name]))}


def _day(side: Field | date, env: Mapping[str, pl.Expr]) -> pl.Expr:
    """A day of a Voor or UiterlijkOp term: its field's Date column, or the law's fixed date."""
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


def compile_series(series: Series, episodes: pl.DataFrame, env: Mapping[str, pl.Expr],
                   day: pl.Expr, *, open_end: int, by: str = "pid") -> pl.DataFrame:
    """(``by``, series_begin): the first day of the series that covers ``day``, per group.

    ``episodes`` has Int32 day numbers ``begin`` and ``end`` (a running episode: ``open_end``,
    later than any other day); ``day`` is a day number, a literal or a column of
    ``episodes``. As :func:`wpb.law.spans.series_on`: the members begun by the day, in order
    of their begin; an episode begins a new series when it begins later than the reach of
    the last day of those before it; the last series covers the day when it ends on or after
    it. (Which member comes first among equal begins does not change the begin or the end.)
    """
    begin, end = pl.col("begin"), pl.col("end")
    members = compile_term(series.member, env) & (begin <= day)
    # The last day of the members before this one in its group. The rows are sorted by group,
    # so one running maximum over (group number, end) packed into one integer gives it; a
    # window per group (``cum_max().over(by)``) costs a hundred times more with many groups.
    group = pl.col(by).rle_id().cast(pl.Int64)
    packed = group * _GROUP + (end.cast(pl.Int64) - _INT32_MIN)
    last_day_before = pl.when(group == group.shift(1)).then(
        packed.cum_max().shift(1) - group * _GROUP + _INT32_MIN).cast(pl.Int32)
    starts = last_day_before.is_null() | (begin > _reach(series.reach, last_day_before, open_end))
    return (
        episodes.filter(members).sort(by, "begin")
        .with_columns(starts.alias("starts"))
        .group_by(by)
        .agg(
            begin.filter(pl.col("starts")).max().alias("series_begin"),
            end.max().alias("series_end"),
            day.max().alias("day"),
        )
        .filter(pl.col("series_end") >= pl.col("day"))
        .select(by, "series_begin")
    )


def compile_places(places: Places, series: Series, episodes: pl.DataFrame, env: Mapping[str, pl.Expr],
                   day: pl.Expr, *, place: str, open_end: int, by: str = "pid") -> pl.DataFrame:
    """(``by``, places, place): per group the number of places of ``series`` on ``day``, as
    :func:`wpb.law.spans.places_on`, and one of them (the place, where there is one).

    ``episodes`` and ``env`` as for :func:`compile_series` (``env`` also names the columns of
    the fields of ``places.telt`` except the day, which is ``day``); ``place`` is the column
    that holds each episode's place as the municipalities its code belongs to on the day
    (equal values: one place). The episodes counted are the members of the series covering
    the day (those begun on or after its first day) for which ``places.telt`` holds."""
    begins = compile_series(series, episodes, env, day, open_end=open_end, by=by)
    counted = (
        compile_term(series.member, env) & (pl.col("begin") <= day)
        & (pl.col("begin") >= pl.col("series_begin"))
        & compile_term(places.telt, {**env, DAG.name: day})
    )
    return (
        episodes.join(begins, on=by).filter(counted)
        .group_by(by)
        .agg(pl.col(place).n_unique().alias("places"), pl.col(place).first().alias("place"))
    )


def compile_laatste(choice: Laatste, items: pl.DataFrame, env: Mapping[str, pl.Expr], *,
                    competes: pl.Expr | None = None, by: str = "pid") -> pl.DataFrame:
    """The rows of ``items`` that may be the last of their group under ``choice``, as
    :func:`wpb.law.spans.laatste` (with a tie rule: the one row it chooses per group).

    ``env`` names the column of each field of ``choice.lid``, ``choice.later`` (the other's
    fields without the ``ander_`` prefix) and ``choice.volgorde``. ``later`` is
    ``Voor(field, ander(field2))``: a row is left out when some other member's ``field2``
    lies after its ``field`` -- the greatest ``field2`` among the *other* members of its group
    (the greatest, or the second greatest for the one row holding it alone) decides, no
    self-join. ``competes`` narrows the members that can leave another out (the settlement's
    readings: those certainly in the reading); default: every member."""
    later = choice.later
    if not (isinstance(later, Voor) and isinstance(later.left, Field) and isinstance(later.right, Field)
            and later.right.name.startswith(ANDER)):
        raise TypeError(f"Laatste.later moet Voor(veld, ander(veld)) zijn: {later!r}")
    own, other = env[later.left.name], env[later.right.name[len(ANDER):]]
    members = items.filter(compile_term(choice.lid, env))
    competing = pl.lit(True) if competes is None else competes
    o = other.alias("_o")
    top = members.filter(competing).group_by(by).agg(
        o.max().alias("_max1"),
        (o == o.max()).sum().alias("_n_max1"),
        o.filter(o < o.max()).max().alias("_max2"),
    )
    alone = competing & (other == pl.col("_max1")) & (pl.col("_n_max1") == 1)
    other_max = pl.when(alone).then(pl.col("_max2")).otherwise(pl.col("_max1"))
    found = (
        members.join(top, on=by, how="left")
        .filter(~(own < other_max).fill_null(False))
        .drop("_max1", "_n_max1", "_max2")
    )
    if choice.volgorde is not None:
        order = env[choice.volgorde.name]
        found = found.filter(order == order.max().over(by))
    return found


_INT32_MIN = -(2**31)  # day numbers are Int32: shifted by this they fit in 32 bits
_GROUP = 2**32


def _reach(reach: DaysAfter | MonthsAfter, last_day: pl.Expr, open_end: int) -> pl.Expr:
    """The last day (number) on which an episode may begin to join a series ending on
    ``last_day`` (DaysAfter.joins, MonthsAfter.joins)."""
    if isinstance(reach, DaysAfter):
        return last_day + reach.days
    return pl.when(last_day < open_end).then(compile_passed_on(reach, last_day)).otherwise(
        pl.lit(open_end))


def compile_passed_on(term: MonthsAfter, since: pl.Expr) -> pl.Expr:
    """The first day (number) on which the month ``term`` counted from the day ``since`` (a
    day-number column) has passed, as :meth:`wpb.law.spans.MonthsAfter.passed_on` (null:
    null). Polars' calendar offset keeps the day of the month and takes the month's last day
    when it is shorter, as ``add_months`` does; a day beyond 9999-12-31 is that day, as in
    the core. The one compiler of the core's month term (the Jeugdwet's half year, the Wmo's
    twelve months)."""
    later = since.cast(pl.Date).dt.offset_by(f"{term.months}mo").cast(pl.Int32)
    return pl.when(later > _LAST_DAY).then(pl.lit(_LAST_DAY, pl.Int32)).otherwise(later)


_LAST_DAY = (date.max - date(1970, 1, 1)).days  # 9999-12-31 as a day number
_FIRST_DAY = (date.min - date(1970, 1, 1)).days  # 0001-01-01 as a day number


def compile_days_before(term: DaysBefore, day: pl.Expr) -> pl.Expr:
    """The day (number) ``term.days`` days before the day ``day`` (a day-number column), as
    :meth:`wpb.law.spans.DaysBefore.on`: null when it would lie before 0001-01-01 (null:
    null). The one compiler of the core's day term (the Jeugdwet's day immediately before a
    stay, the Wmo's 365 days)."""
    before = day - term.days
    return pl.when(before >= _FIRST_DAY).then(before)


def compile_aantekening_from(kinds: Sequence[Aantekening], env: Mapping[str, pl.Expr],
                             vanaf: Mapping[str, tuple[pl.Expr, pl.Expr]], *, certain: bool,
                             throughout: int) -> pl.Expr:
    """The first day (number) from which a record carries an aantekening: for certain (from
    the latest possible day of its date) or possibly (from the earliest), as
    :func:`wpb.law.spans.aantekening_from`. ``vanaf`` gives each date field as (earliest,
    latest) day-number columns; ``throughout`` stands for a kind placed without a date (the
    whole record); null: no aantekening."""
    return pl.min_horizontal(*(
        pl.when(compile_term(kind.geplaatst, env))
        .then(vanaf[kind.vanaf.name][1 if certain else 0].fill_null(throughout))
        for kind in kinds
    ))


__all__ = [
    "compile_aantekening_from",
    "compile_enige_opvolger",
    "compile_opvolging",
    "opvolging_kolom",
    "opvolging_termen",
    "compile_laatste",
    "compile_days_before",
    "compile_passed_on",
    "compile_places",
    "compile_route_index",
    "compile_routes",
    "compile_series",
    "compile_term",
]
