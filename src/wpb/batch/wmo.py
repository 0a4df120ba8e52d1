"""Wmo 2015 beschermd wonen (bill 36 288) for every client of a population, with polars.

This executor gives the answers of the reference engine (:func:`wpb.law.wmo.decide_wmo_bw`)
column-wise for all clients at once. The clauses are declared once, beside their legal text,
in :mod:`wpb.law.wmo.beschermd_wonen` as route tables over the predicates of
:mod:`wpb.law.wmo.predicates` and :mod:`wpb.law.predicates`; this module compiles those tables
(:mod:`wpb.batch.compile`) and gives each route's ``gevolg`` its outcome columns
(:func:`_route_outcome`):

- ``REGEL_ROUTES`` (which rule applies) and ``OVERGANG_ROUTES`` (the transitional rule):
  :func:`decide_wmo_population`;
- ``EERDER_ROUTES`` (art. 1.2.1a lid 1 onder a) and ``UITZONDERINGEN_ROUTES`` (b to d):
  :func:`_hoofdregel`;
- ``WOONADRES_ROUTES`` (art. 1.2.1 onder b, each reading of the BRP): :func:`_woonadres_keys`.

What stays here, because the term language states no folds over several facts (see
docs/architecture.md): the readings of the earlier placements (running, ended, the last one
and its twelve months), the nieuwe cliënt (a fold over placements and applications in the
region), and how many readings are reduced to one answer. Outcomes are the Jeugdwet batch
engine's outcome columns (:mod:`wpb.batch.engine`), the Wmo clauses numbered by their place in
``ONDERDELEN`` (:func:`onderdeel_nr`) and named again at the end.

How readings are replicated. The reference evaluates every *reading* of uncertain facts
and decides only when all agree (:func:`wpb.law.outcome.combine`, comparing
:attr:`wpb.law.outcome.Outcome.key`: status, gemeente, ``grondslag.onderdeel`` -- which is
None for every Wmo clause -- and, for a review, the candidate gemeenten as a set; not the
reden). When they agree, the first reading's outcome is the answer, its reden included. Each
reading is reduced to a :class:`WmoKey` such that two readings give equal outcomes exactly
when their keys are equal. Every single-reading review here lists the successors of one code
on the peildatum: a woonadres in a split code (gesplitste_gemeente) or in a code without
successor (the empty set, gemeente_zonder_opvolger), a woonadres with an aantekening (its own
code), the vangnet (the aanmeldgemeente), exception a in a split code or one without
successor. So the vangnet, an aantekening and a split woonadres agree when their successor
sets are the same (the case ``haaren-onbekende-begindatum-vangnet`` in the conformance file).

Per client the smallest and largest key tell whether all readings agree, and the reden of the
first reading (``w_reden``, ``first_reden``) is the reden of the agreed review. A woonadres
review that combines differing readings (onvolledige_datum) lists a union of candidates that
these columns do not carry (:attr:`WmoKey.COMBINED`).

Where the keys cannot tell -- the readings of the placements whose state on the day of the
request is uncertain (not begun / running / ended), or exception a for a split gemeente against
such a union -- the readings are compared on their candidate sets (:func:`_agreement`): each
reading's candidates are rows of gemeentecodes (a key's successors, :func:`set_members`), and
the readings agree when their sorted sets and statuses are equal. The product of placement
states is not formed: the review of running beschermd wonen lists the running placements'
successors and the woonadres candidates, which grow with the set of running placements, so the
largest and the smallest sets stand for all of them (a subset test); the readings in which none
runs are exception a for each placement that may have ended last, and the woonadres.

What is routed to the reference engine (``via_referentie``) and counted: only clients for whom
that comparison needs a gemeentecode the register lacks. No client goes back where the readings
of the placements do not decide the answer (a running indication at the request ends the clause
before them, and when exceptions b-d are not excluded the answer is a review under the clause
of the first reading alone), nor where the columns compare the readings by their keys
(``_voor_or_ended``, ``readings_differ`` in :func:`_hoofdregel`).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import polars as pl

from wpb.batch.compile import compile_route_index, compile_term
from wpb.batch.engine import (
    GESPLITST,
    ONV,
    REDEN_CODE,
    REDENEN,
    STATUS_BEPAALD,
    ZONDER_OPVOLGER,
    Key,
    Outcome,
    Step,
    bepaald,
    choose,
    columns,
    day_number,
    named,
    prepare,
    resolved,
    review,
)
from wpb.law.decision import ReviewReden, Status
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.predicates import (
    AANTEKENING,
    BUITENLAND,
    INGESCHREVEN,
    WOONADRES,
    ReadingFacts,
    Route,
    first_route,
)
from wpb.law.wmo import INWERKINGTREDING, decide_wmo_bw
from wpb.law.wmo.beschermd_wonen import (
    EERDER_ROUTES,
    ONDERDEEL_OVERGANG,
    ONDERDEEL_UITZONDERING_A,
    ONDERDEEL_WOONADRES,
    ONDERDELEN,
    OVERGANG_ROUTES,
    REGEL_ROUTES,
    UITZONDERINGEN_ROUTES,
    WOONADRES_ROUTES,
    onderdeel_code,
)
from wpb.law.wmo.predicates import (
    BESTAANDE_CLIENT,
    BLIJFT_BIJ_CENTRUMGEMEENTE,
    EERDER_BINNEN_TWAALF_MAANDEN,
    INDICATIE_BEGIN,
    INDICATIE_EINDE,
    LOPEND_BESCHERMD_WONEN,
    MELDDATUM,
    NIEUWE_CLIENT,
    PEILDATUM,
    REGIO_CENTRUMGEMEENTE,
    UITZONDERING_B,
    UITZONDERING_C,
    UITZONDERING_D,
)
from wpb.law.wmo.predicates import INWERKINGTREDING as INWERKINGTREDING_DAG
from wpb.law.wmo.termijnen import DAGEN_NIEUWE_CLIENT, TWAALF_MAANDEN
from wpb.population.wmo_schema import WmoCaseAssembler, WmoPopulation


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


NIEUW_ONBEKEND = REDEN_CODE[ReviewReden.NIEUWE_CLIENT_ONBEKEND]
_UITZONDERING_A = onderdeel_nr(ONDERDEEL_UITZONDERING_A)
_WOONADRES = onderdeel_nr(ONDERDEEL_WOONADRES)
_OPEN_END = 10**9  # an open end of a successor epoch, in days


class WmoKey:
    """What one reading of a Wmo clause leads to, as one Int32 (equal keys: equal outcomes).

    - ``0 <= key < Key.SPLIT``: the reading decides for the municipality with this code on
      the peildatum (the Jeugdwet engine's :class:`~wpb.batch.engine.Key` of a gemeente);
    - :meth:`successors` (``SETS - id``): a review listing the successors on the peildatum of
      one code; ``id`` numbers each distinct successor set, so two codes with the same
      successors get the same key; :attr:`EMPTY` is the set without any (a code ended
      without a Dutch successor);
    - :attr:`COMBINED`: a woonadres review that combines differing readings
      (onvolledige_datum), whose union of candidates these columns do not carry.
    """

    COMBINED = -2
    SETS = -1_000
    EMPTY = SETS  # the successor set () has id 0

    @classmethod
    def successors(cls, set_id: int) -> int:
        return cls.SETS - set_id


def _no_step(_: str) -> None:
    return None


# --- municipalities ---------------------------------------------------------------------------


def code_keys(register: GemeenteRegister, peildatum: date) -> pl.DataFrame:
    """Per gemeentecode: its :class:`Key` on the peildatum (``key``, as the Jeugdwet engine's
    resolve_table), the :class:`WmoKey` of a review listing its successors (``set_key``) and
    that of the outcome resolving it gives (``okey``: the successor, else ``set_key``)."""
    return _successor_tables(register, peildatum)[0]


def set_members(register: GemeenteRegister, peildatum: date) -> pl.DataFrame:
    """(set_key, code): the gemeenten (Int32 codes) a successor-set :class:`WmoKey` lists; the
    empty set (:attr:`WmoKey.EMPTY`) has no row."""
    return _successor_tables(register, peildatum)[1]


@lru_cache(maxsize=16)  # registers are not changed after they are built
def _successor_tables(register: GemeenteRegister, peildatum: date) -> tuple[pl.DataFrame, pl.DataFrame]:
    set_ids: dict[tuple[str, ...], int] = {(): 0}
    codes, keys, set_keys = [], [], []
    for g in register:
        successors = register.successors(g.code, peildatum).codes
        if len(successors) == 1:
            key = int(successors[0])
        elif not successors:
            key = Key.NO_SUCCESSOR
        else:
            key = Key.split(int(g.code))
        codes.append(g.code)
        keys.append(key)
        set_keys.append(WmoKey.successors(set_ids.setdefault(successors, len(set_ids))))
    frame = pl.DataFrame(
        {"code": codes, "key": keys, "set_key": set_keys},
        schema={"code": pl.String, "key": pl.Int32, "set_key": pl.Int32},
    )
    members = pl.DataFrame(
        [(WmoKey.successors(i), int(c)) for successors, i in set_ids.items() for c in successors],
        schema={"set_key": pl.Int32, "code": pl.Int32}, orient="row",
    )
    return frame.with_columns(_outcome_key(pl.col("key"), pl.col("set_key")).alias("okey")), members


def _outcome_key(key: pl.Expr, set_key: pl.Expr) -> pl.Expr:
    """Reference: explain.resolve_gemeente, as a reading key: the one successor, else the
    review of the successor set."""
    return pl.when(Key.is_gemeente(key)).then(key).otherwise(set_key).cast(pl.Int32)


def _resolution_reden(set_key: pl.Expr) -> pl.Expr:
    """The reden of resolve_gemeente's review: no successor, or a split."""
    return pl.when(set_key == WmoKey.EMPTY).then(ZONDER_OPVOLGER).otherwise(GESPLITST)


def _by_key(key: pl.Expr, reden: pl.Expr, onderdeel) -> dict[str, pl.Expr]:
    """The outcome a reading key stands for: a gemeente, or a review with ``reden``."""
    return choose([(key < 0, review(reden, onderdeel))], bepaald(key, onderdeel))


@lru_cache(maxsize=4)
def successor_epochs(register: GemeenteRegister) -> pl.DataFrame:
    """(code, van, tot, opvolger): the successors of each code on every day in [van, tot).

    :meth:`GemeenteRegister.successors` changes only on the end dates of the municipalities
    reachable from a code, so it is evaluated once per such interval (days as integers;
    ``van``/``tot`` ±10**9 for open ends). A code without successor on a day has no row.
    """
    rows: dict[str, list] = {"code": [], "van": [], "tot": [], "opvolger": []}
    for g in register:
        points = sorted(_end_dates(register, g.code))
        bounds = [None, *points]
        for i, start in enumerate(bounds):
            end = points[i] if i < len(points) else None
            if start is None:
                probe = points[0] - timedelta(days=1) if points else date(2000, 1, 1)
            else:
                probe = start
            for s in register.successors(g.code, probe).codes:
                rows["code"].append(g.code)
                rows["van"].append(day_number(start) if start else -_OPEN_END)
                rows["tot"].append(day_number(end) if end else _OPEN_END)
                rows["opvolger"].append(s)
    return pl.DataFrame(rows, schema={"code": pl.String, "van": pl.Int32, "tot": pl.Int32,
                                      "opvolger": pl.String})


def _end_dates(register: GemeenteRegister, code: str, seen: set[str] | None = None) -> set[date]:
    seen = seen if seen is not None else set()
    if code in seen:
        return set()
    seen.add(code)
    gemeente = register.get(code)
    found = {gemeente.einde} if gemeente.einde is not None else set()
    step = register.opvolging(code)
    if step is not None:
        for successor in step.opvolgers:
            found |= _end_dates(register, successor, seen)
    return found


def _lookup(keys: pl.DataFrame, col: str | pl.Expr, value: str = "key") -> pl.Expr:
    expr = pl.col(col) if isinstance(col, str) else col
    return expr.replace_strict(keys["code"], keys[value], default=None, return_dtype=pl.Int32)


def _days(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.Int32)


def _twelve_months_after(day: pl.Expr) -> pl.Expr:
    """Reference: termijnen.twaalf_maanden_na (polars clamps 29 February like add_months)."""
    return day.cast(pl.Date).dt.offset_by(f"{TWAALF_MAANDEN}mo").cast(pl.Int32)


# --- the woonadres on the day of the request (reference: woonadres, _from_reading) -------------


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
        .filter((pl.col("van_e") <= m) & (pl.col("tot_l").is_null() | (pl.col("tot_l") > m)))
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
    birth_known = pl.col("birth_e").is_not_null()
    none_only = (birth_known & (m < pl.col("birth_e"))).fill_null(False) | pl.col("k_min").is_null()
    # Before the first record there is no registration, unless it is the one at birth.
    maybe_before_first = (
        pl.col("has_first").fill_null(False)
        & (m < pl.col("first_van_l")).fill_null(False)
        & ~(birth_known & pl.col("first_is_birth")).fill_null(False)
    )
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


def _woonadres_outcome() -> dict[str, pl.Expr]:
    """Reference: woonadres: the first reading's outcome when all readings agree, else review
    (incomplete date) on the woonadres clause."""
    return choose(
        [(~pl.col("w_same"), review(ONV, _WOONADRES))],
        _by_key(pl.col("w_key"), pl.col("w_reden"), _WOONADRES),
    )


# --- earlier beschermd wonen (reference: _eerder_beschermd_wonen, _laatste_plaatsing) ---------


def _placements(population: WmoPopulation, clients: pl.DataFrame,
                keys: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per client: whether a placement's state on the day of the request is uncertain
    (route), whether one runs, and the readings of exception a (reference: _standen and
    _laatste_plaatsing) as key aggregates; and the placements with their states (for
    :func:`_agreement`)."""
    m = pl.col("m")
    rows = population.plaatsingen.join(clients.select("pid", "m"), left_on="persoon_id",
                                       right_on="pid", how="inner").select(
        pl.col("persoon_id").alias("pid"), "volgnr", "m",
        _lookup(keys, "gemeente", "okey").alias("a_key"),
        _days("begin_vroegst").alias("b_e"), _days("begin_laatst").alias("b_l"),
        _days("einde_vroegst").alias("e_e"), _days("einde_laatst").alias("e_l"),
    )
    # Reference: _standen: "voor" (not begun), "loopt", "geeindigd".
    started = pl.col("b_e") < m
    voor = pl.col("b_l") >= m
    loopt = started & (pl.col("e_l").is_null() | (pl.col("e_l") >= m))
    ended = started & pl.col("e_e").is_not_null() & (pl.col("e_e") < m)
    rows = rows.with_columns(
        ((voor.cast(pl.Int8) + loopt.cast(pl.Int8) + ended.cast(pl.Int8)) > 1).alias("multi"),
        voor.alias("voor"), loopt.alias("loopt"), ended.alias("ended"),
    )
    states = rows.group_by("pid").agg(
        pl.col("multi").any().alias("any_multi"),
        (pl.col("loopt") & ~pl.col("multi")).any().alias("any_runs"),
        # In the first reading (each placement in its first state) one of them runs.
        (pl.col("multi") & ~voor).any().alias("multi_runs_first"),
        # In some reading one of them runs.
        (pl.col("multi") & loopt).any().alias("multi_may_run"),
        pl.col("multi").sum().alias("n_multi"),
        # In some reading one of them ended, provided by one gemeente (on the peildatum).
        (pl.col("multi") & ended & Key.is_gemeente(pl.col("a_key"))).any().alias("multi_ends_in_gemeente"),
        # In some reading one of them ended.
        (pl.col("multi") & ended).any().alias("multi_may_end"),
    )
    # Certain ends: the end is before the request, so the latest end is einde.latest. The
    # first reading has each placement in its first state: one that may not have begun, has
    # not (``settled``). The other reading, compared where one placement's state is uncertain
    # (``_hoofdregel``), has it ended ("_b").
    first = _last_readings(rows.filter(pl.col("ended") & ~pl.col("multi")))
    other = _last_readings(rows.filter(pl.col("ended")))
    readings = first.join(other.rename({c: f"{c}_b" for c in other.columns if c != "pid"}),
                          on="pid", how="full", coalesce=True)
    return states.join(readings, on="pid", how="full", coalesce=True), rows


def _may_be_last(ends: pl.DataFrame, competes: pl.Expr) -> pl.DataFrame:
    """Reference: _laatste_plaatsing: the placements of ``ends`` (each ended before the
    request) that may have ended last, against those among them for which ``competes``
    holds: a placement is skipped when another certainly ended later. With whether exception
    a holds for it in every reading (``sure``) and in some reading (``maybe``)."""
    e_e = pl.col("e_e")
    latest = ends.filter(competes).group_by("pid").agg(
        e_e.max().alias("max1"),
        (e_e == e_e.max()).sum().alias("n_max1"),
        e_e.filter(e_e < e_e.max()).max().alias("max2"),
    )
    # The latest earliest end among the *other* competing placements.
    max1 = pl.col("max1")
    own = competes & (e_e == max1) & (pl.col("n_max1") == 1)
    other_max = pl.when(own).then("max2").otherwise(max1)
    m = pl.col("m")
    return ends.join(latest, on="pid", how="left").with_columns(other_max.alias("other_max")).filter(
        pl.col("other_max").is_null() | (pl.col("e_l") >= pl.col("other_max"))
    ).with_columns(
        (m < _twelve_months_after(pl.col("e_e"))).alias("sure"),
        (m < _twelve_months_after(pl.col("e_l"))).alias("maybe"),
    )


def _last_readings(ends: pl.DataFrame) -> pl.DataFrame:
    """Reference: _laatste_plaatsing over the placements ``ends`` (each ended before the
    request): per client the keys of exception a in the readings where it applies, whether
    a reading without it (the woonadres) exists, and the first reading's."""
    ends = _may_be_last(ends, pl.lit(True))
    return ends.sort("pid", "volgnr").group_by("pid", maintain_order=True).agg(
        pl.col("a_key").filter(pl.col("maybe")).min().alias("a_min"),
        pl.col("a_key").filter(pl.col("maybe")).max().alias("a_max"),
        pl.col("maybe").any().alias("has_a"),
        (~pl.col("sure")).any().alias("has_w"),
        pl.col("maybe").first().alias("first_is_a"),
        pl.col("a_key").first().alias("first_key"),
    )


def _eerder() -> Outcome:
    """Reference: _eerder_beschermd_wonen: art. 1.2.1a lid 1 onder a (EERDER_ROUTES, in every
    reading of the earlier placements whose state is certain), else art. 1.2.1 onder b (the
    woonadres)."""
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
            review(ONV, pl.when(first_is_a).then(_UITZONDERING_A).otherwise(_WOONADRES)),
        ),
        "woonadres": w,
    })


def _first_exception_a() -> Outcome:
    """Reference: uitzondering_a for the placement of the first reading of _laatste_plaatsing
    (``first_key``): its provider resolved on the peildatum."""
    first_key = pl.col("first_key")
    return _by_key(first_key, _resolution_reden(first_key), _UITZONDERING_A)


def _first_reading() -> Outcome:
    """Reference: the first reading of _eerder_beschermd_wonen (each placement in its first
    state, then the first option of _laatste_plaatsing): the review of the running
    placements (_lopend), exception a, or the woonadres."""
    lopend = _by_gevolg(EERDER_ROUTES, "lopend_beschermd_wonen")
    return choose([
        (pl.col("multi_runs_first") | pl.col("any_runs"),
         review(_reden(lopend), _onderdeel_of(EERDER_ROUTES, lopend.gevolg))),
        (pl.col("first_is_a"), _first_exception_a()),
    ], _woonadres_outcome())


def _hoofdregel(settled: Outcome) -> tuple[Outcome, pl.Expr]:
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
    first_onderdeel = pl.when(runs_first).then(_UITZONDERING_A).otherwise(settled["onderdeel"])
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
    first = _first_reading()
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


# --- nieuwe cliënt (reference: nieuwe_client.bepaal) ------------------------------------------


def _successors_on(frame: pl.DataFrame, epochs: pl.DataFrame, code: str, day: str) -> pl.DataFrame:
    """``frame`` with one row per successor (``s``) of ``code`` on ``day``."""
    return frame.join(epochs, left_on=code, right_on="code", how="inner").filter(
        (pl.col("van") <= pl.col(day)) & (pl.col(day) < pl.col("tot"))
    ).rename({"opvolger": "s"}).drop("van", "tot")


def _nieuwe_client(population: WmoPopulation, clients: pl.DataFrame,
                   epochs: pl.DataFrame) -> pl.DataFrame:
    """(pid, nieuwe_client): true, false or null (the facts do not decide)."""
    m = pl.col("m")
    eerste, laatste = m - DAGEN_NIEUWE_CLIENT, m - 1  # termijnen.venster_nieuwe_client
    base = clients.select("pid", "m")
    used = population.plaatsingen.join(base, left_on="persoon_id", right_on="pid").filter(
        ~((_days("begin_vroegst") > laatste)
          | (pl.col("einde_laatst").is_not_null() & (_days("einde_laatst") < eerste)))
    ).select(
        pl.col("persoon_id").alias("pid"), "m", pl.col("locatie_gemeente").alias("code"),
        ((_days("begin_laatst") <= laatste)
         & ~(pl.col("einde_vroegst").is_not_null() & (_days("einde_vroegst") < eerste))
         ).alias("certain"),
    )
    known = clients.filter(pl.col("aanvragen_bekend")).select("pid", "m")
    applied = population.aanvragen.join(known, left_on="persoon_id", right_on="pid").filter(
        (_days("datum_laatst") >= eerste) & (_days("datum_vroegst") <= laatste)
    ).select(
        pl.col("persoon_id").alias("pid"), "m", pl.col("gemeente").alias("code"),
        ((eerste <= _days("datum_vroegst")) & (_days("datum_laatst") <= laatste)).alias("certain"),
    )
    acts = pl.concat([used, applied]).with_row_index("aid")

    # Reference: _in_regio, with every code taken to its successors on the day of the request.
    # A successor is in the region when a listed member has it as successor on that day: the
    # members are found back from the successors (few) rather than expanded (many).
    theirs = _successors_on(
        acts.filter(pl.col("code").is_not_null()), epochs, "code", "m"
    ).with_row_index("tid")
    asking = clients.join(theirs.select("pid").unique(), on="pid", how="semi")
    own = _successors_on(
        asking.select("pid", "m", "aanmeldgemeente"), epochs, "aanmeldgemeente", "m"
    ).select("pid", "s", pl.lit(True).alias("in_own"))
    listed = (
        theirs.select("tid", "pid", "m", "s")
        .join(epochs, left_on="s", right_on="opvolger", how="inner")
        .filter((pl.col("van") <= pl.col("m")) & (pl.col("m") < pl.col("tot")))
        .join(asking.select("pid", "regio_gemeenten"), on="pid", how="inner")
        .filter(pl.col("regio_gemeenten").list.contains(pl.col("code")).fill_null(False))
        .select("tid").unique().with_columns(pl.lit(True).alias("in_regio_lid"))
    )
    counts = (
        theirs.join(own, on=["pid", "s"], how="left")
        .join(listed, on="tid", how="left")
        .group_by("aid")
        .agg(
            pl.len().alias("n"),
            pl.col("in_own").fill_null(False).sum().alias("n_own"),
            pl.col("in_regio_lid").fill_null(False).sum().alias("n_lid"),
        )
    )
    has_regio = clients.select("pid", pl.col("regio_gemeenten").is_not_null().alias("has_regio"))
    acts = acts.join(counts, on="aid", how="left").join(has_regio, on="pid", how="left").with_columns(
        pl.col("n").fill_null(0), pl.col("n_own").fill_null(0), pl.col("n_lid").fill_null(0),
    )
    in_regio = (
        pl.when(pl.col("code").is_null()).then(None)
        .when(pl.col("n_own") == pl.col("n")).then(True)
        .when(~pl.col("has_regio")).then(None)
        .when(pl.col("n_lid") == pl.col("n")).then(True)
        .when(pl.col("n_lid") == 0).then(False)
        .otherwise(None)
    )
    acts = acts.with_columns(in_regio.alias("in_regio"))
    zeker = pl.col("in_regio").fill_null(False) & pl.col("certain")
    counted = pl.col("in_regio").is_null() | pl.col("in_regio")
    per_client = acts.group_by("pid").agg(
        zeker.any().alias("zeker"), (counted & ~zeker).any().alias("misschien")
    )
    return clients.select("pid", "aanvragen_bekend").join(per_client, on="pid", how="left").select(
        "pid",
        pl.when(pl.col("zeker").fill_null(False)).then(False)
        .when(pl.col("misschien").fill_null(False)).then(None)
        .when(~pl.col("aanvragen_bekend")).then(None)
        .otherwise(True)
        .alias("nieuwe_client"),
    )


# --- the whole decision (reference: decide_wmo_bw, woonplaatsbeginsel) -------------------------


RESULT_SCHEMA = {
    "persoon_id": pl.Int64,
    "status": pl.String,
    "gemeente": pl.String,
    "onderdeel": pl.String,
    "reden": pl.String,
    "nieuwe_client": pl.Boolean,
    "centrumgemeente": pl.String,
    "aanmeldgemeente": pl.String,
    "via_referentie": pl.Boolean,
}


def decide_wmo_population(
    population: WmoPopulation,
    peildatum: date,
    register: GemeenteRegister,
    *,
    inwerkingtreding: date | None = INWERKINGTREDING,
    step: Step = _no_step,
) -> pl.DataFrame:
    """One row per client (a row of ``bw_aanmeldingen``) with the answer on the peildatum.

    Columns (:data:`RESULT_SCHEMA`): status, gemeente, onderdeel (the reference's
    ``onderdeel_code``), reden, nieuwe_client (true/false/null), centrumgemeente (for a
    current client: the centrumgemeente that stays responsible), aanmeldgemeente (for the
    reports) and via_referentie (decided by the reference engine, see the module docstring).
    ``inwerkingtreding`` is the installation's setting for the entry into force of bill
    36 288 (set by royal decree); None: not in force, the aanmeldgemeente on every day.
    """
    p = day_number(peildatum)
    keys = code_keys(register, peildatum)
    step("verblijfplaatshistorie ordenen")
    prep = prepare(population.brp, peildatum, register)

    step("aanmeldingen en indicaties")
    a = population.aanmeldingen
    clients = a.select(
        pl.col("persoon_id").alias("pid"),
        "aanmeldgemeente",
        pl.coalesce(_days("datum"), pl.lit(p, pl.Int32)).alias("m"),
        _lookup(keys, "aanmeldgemeente").alias("aanmeld_key"),
        "uitzondering_b", "uitzondering_c", "uitzondering_d",
        "aanvragen_bekend",
        "regio_gemeenten",
        _lookup(keys, "regio_centrumgemeente").alias("regio_centrum_key"),
        "regio_centrumgemeente",
    ).with_columns(
        # Reference: _vangnet: a review listing the aanmeldgemeente's successors.
        _lookup(keys, "aanmeldgemeente", "set_key").alias("v_key"),
    )
    indicaties = population.indicaties.select(
        pl.col("persoon_id").alias("pid"),
        "centrumgemeente",
        _lookup(keys, "centrumgemeente").alias("centrum_key"),
        _days("toegekend").alias("ind_b"),
        _days("einde").alias("ind_e"),
    )
    clients = clients.join(indicaties, on="pid", how="left")

    step("woonadres op de dag van de melding")
    woon, woon_readings = _woonadres_keys(prep, clients, keys)
    step("eerder beschermd wonen")
    placements, placement_rows = _placements(population, clients, keys)
    # The clients whose readings may need their candidate sets compared (_agreement).
    compared = placements.join(woon.select("pid", "w_same"), on="pid", how="left").filter(
        pl.col("any_multi") | (pl.col("has_a").fill_null(False) & ~pl.col("w_same").fill_null(False))
    ).select("pid")
    woon_compared = woon.join(compared, on="pid", how="semi")
    agreement = _agreement(placement_rows.join(compared, on="pid", how="semi"), woon_compared,
                           _woonadres_candidates(woon_compared, woon_readings),
                           set_members(register, peildatum))
    step("nieuwe cliënt")
    epochs = successor_epochs(register)
    nieuw_frame = _nieuwe_client(population, clients, epochs)

    step("uitkomsten")
    # The fields the declared predicates read (wpb.law.wmo.predicates): days as Date columns.
    env = {
        MELDDATUM.name: pl.col("m").cast(pl.Date),
        PEILDATUM.name: pl.lit(peildatum, dtype=pl.Date),
        INWERKINGTREDING_DAG.name: pl.lit(inwerkingtreding, dtype=pl.Date),
        INDICATIE_BEGIN.name: pl.col("ind_b").cast(pl.Date),
        INDICATIE_EINDE.name: pl.col("ind_e").cast(pl.Date),
        NIEUWE_CLIENT.name: pl.col("nieuwe_client"),
        REGIO_CENTRUMGEMEENTE.name: pl.col("regio_centrumgemeente"),
        LOPEND_BESCHERMD_WONEN.name: pl.col("any_runs"),
        EERDER_BINNEN_TWAALF_MAANDEN.name: pl.col("has_a").fill_null(False),
        UITZONDERING_B.name: pl.col("uitzondering_b"),
        UITZONDERING_C.name: pl.col("uitzondering_c"),
        UITZONDERING_D.name: pl.col("uitzondering_d"),
    }
    regio_centrum = pl.col("regio_centrum_key")
    hoofdregel, hand_back = _hoofdregel(columns("s"))
    lf = (
        clients.lazy()
        .join(woon.lazy(), on="pid", how="left")
        .join(placements.lazy(), on="pid", how="left")
        .join(nieuw_frame.lazy(), on="pid", how="left")
        .join(agreement.lazy(), on="pid", how="left")
        .with_columns(pl.col("any_runs").fill_null(False), pl.col("any_multi").fill_null(False))
        # Each declared table, compiled: the position of the route that applies.
        .with_columns(
            compile_route_index(REGEL_ROUTES, env).alias("regel_route"),
            compile_route_index(OVERGANG_ROUTES, env).alias("overgang_route"),
            compile_route_index(EERDER_ROUTES, env).alias("eerder_route"),
            compile_route_index(UITZONDERINGEN_ROUTES, env).alias("uitzonderingen_route"),
        )
        .with_columns(*named(_eerder(), "s"))
        .with_columns(*named(hoofdregel, "h"), hand_back.alias("hand_back"))
    )
    rest = columns("h")
    overgang = onderdeel_nr(ONDERDEEL_OVERGANG)
    # Reference: _nieuwe_client_onbekend: decided only when the woonplaatsbeginsel gives the
    # region's centrumgemeente itself.
    same_as_centrum = (rest["status"] == STATUS_BEPAALD) & (rest["gemeente"] == regio_centrum)
    overgang_index = pl.col("overgang_route")
    woonplaatsbeginsel = _route_outcome(OVERGANG_ROUTES, overgang_index, {
        "centrumgemeente_indicatie": resolved(pl.col("centrum_key"), overgang),
        "centrumgemeente_regio": resolved(regio_centrum, overgang),
        "nieuwe_client_onbekend": choose(
            [(~same_as_centrum.fill_null(False), review(NIEUW_ONBEKEND, overgang))], rest),
        "hoofdregel": rest,
    })
    regel_index = pl.col("regel_route")
    outcome = _route_outcome(REGEL_ROUTES, regel_index, {
        "geen_wmo": review(_reden(_by_gevolg(REGEL_ROUTES, "geen_wmo")), None),
        "aanmeldgemeente": resolved(pl.col("aanmeld_key"), _onderdeel_of(REGEL_ROUTES, "aanmeldgemeente")),
        "woonplaatsbeginsel": woonplaatsbeginsel,
    })
    # Decided before the woonplaatsbeginsel's own readings are weighed: no hand-back.
    to_hoofdregel = [i for i, r in enumerate(OVERGANG_ROUTES)
                     if r.gevolg in ("nieuwe_client_onbekend", "hoofdregel")]
    # Nieuwe cliënt unknown: the hoofdregel's readings matter only where they may all name
    # the region's centrumgemeente. They can only if the first readings do (``rest`` is
    # theirs where the placements' states are uncertain; a union of woonadres readings is
    # never a decision).
    unknown = overgang_index == OVERGANG_ROUTES.index(_by_gevolg(OVERGANG_ROUTES, "nieuwe_client_onbekend"))
    decided_earlier = (
        (regel_index != REGEL_ROUTES.index(_by_gevolg(REGEL_ROUTES, "woonplaatsbeginsel")))
        | ~overgang_index.is_in(to_hoofdregel)
        | (unknown & ~same_as_centrum.fill_null(False))
    ).fill_null(False)
    # Reference: _centrumgemeente: a current client's centrumgemeente, else the region's.
    current = compile_term(BESTAANDE_CLIENT, env)
    centrum_key = pl.coalesce(pl.when(current).then(pl.col("centrum_key")), regio_centrum)
    centrum_code = pl.coalesce(pl.when(current).then(pl.col("centrumgemeente")),
                               pl.col("regio_centrumgemeente"))
    centrum = (
        pl.when(compile_term(BLIJFT_BIJ_CENTRUMGEMEENTE, env))
        .then(
            pl.when(Key.is_gemeente(centrum_key))
            .then(centrum_key.cast(pl.String).str.zfill(4))
            .otherwise(centrum_code)
        )
    )
    names = onderdeel_codes()
    result = lf.select(
        pl.col("pid").alias("persoon_id"),
        *named(outcome, "u"),
        centrum.alias("centrumgemeente"),
        "aanmeldgemeente",
        "nieuwe_client",
        (~decided_earlier & pl.col("hand_back")).alias("via_referentie"),
    ).collect().select(
        "persoon_id",
        pl.when(pl.col("u_status") == STATUS_BEPAALD).then(pl.lit(Status.BEPAALD.value))
        .otherwise(pl.lit(Status.REVIEW.value)).alias("status"),
        pl.col("u_gemeente").cast(pl.String).str.zfill(4).alias("gemeente"),
        pl.col("u_onderdeel").replace_strict(
            list(names), list(names.values()), default=None, return_dtype=pl.String
        ).alias("onderdeel"),
        pl.col("u_reden").replace_strict(
            list(range(len(REDENEN))), [r.value for r in REDENEN], default=None,
            return_dtype=pl.String,
        ).alias("reden"),
        "nieuwe_client",
        "centrumgemeente",
        "aanmeldgemeente",
        "via_referentie",
    ).sort("persoon_id")
    routed = result.filter(pl.col("via_referentie"))
    if routed.height:
        step(f"{routed.height} cliënten via de referentie-engine")
        result = _decide_by_reference(result, routed["persoon_id"], population, peildatum,
                                      register, inwerkingtreding)
    return result


def _decide_by_reference(result: pl.DataFrame, ids: pl.Series, population: WmoPopulation,
                         peildatum: date, register: GemeenteRegister,
                         inwerkingtreding: date | None) -> pl.DataFrame:
    """The reference engine's answer for the clients the columnar rules route to it."""
    assembler = WmoCaseAssembler(population.filter_persons(ids.to_list()))
    rows = []
    for pid in ids.to_list():
        decision = decide_wmo_bw(assembler.case(pid, peildatum), register,
                                 inwerkingtreding=inwerkingtreding)
        centrum = decision.extra.get("centrumgemeente")
        rows.append({
            "persoon_id": pid,
            "status": decision.status.value,
            "gemeente": decision.gemeente_code,
            "onderdeel": onderdeel_code(decision.grondslag),
            "reden": decision.reden.value if decision.reden else None,
            "nieuwe_client": decision.extra.get("nieuweClient"),
            "centrumgemeente": centrum["code"] if centrum else None,
        })
    schema = {k: v for k, v in RESULT_SCHEMA.items() if k not in ("aanmeldgemeente", "via_referentie")}
    return result.update(pl.DataFrame(rows, schema=schema), on="persoon_id", include_nulls=True)


__all__ = [
    "RESULT_SCHEMA",
    "WmoKey",
    "code_keys",
    "decide_wmo_population",
    "onderdeel_codes",
    "onderdeel_nr",
    "successor_epochs",
]
