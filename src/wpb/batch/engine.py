"""Jeugdwet art. 1.1 "woonplaats" for every youth of a population, with polars.

This executor gives the answers of the reference engine (:mod:`wpb.law.jeugdwet`), but
works column-wise over all persons at once instead of one case at a time. The legal text
and the interpretations live beside the reference clauses (``woonplaats_2022.py``,
``woonplaats_2015.py``). What is declared there is compiled, not restated
(:mod:`wpb.batch.compile`): the fact predicates (woonadres, buitenland, ingezetene, a
contradictory episode), the predicates over time (the series of stays, the chain of
jeugdhulp, the dates from which an aantekening holds: :mod:`wpb.law.spans`) and, for the 2022
text, the routes ``CLAUSE_ROUTES`` (which onderdeel applies first), ``WOONADRES_ROUTES`` (what
a registration leads to) and ``MOEDER_ROUTES`` / ``MOEDER_INSCHRIJVING_ROUTES`` (3°). The rest mirrors the
reference's control flow and says, per step, which reference function it stands for.

How uncertainty is replicated. The reference evaluates every *reading* of the facts
(:func:`wpb.law.registration.readings_between`) and decides only when all readings agree on
status, gemeente, onderdeel and the set of candidate gemeenten
(:attr:`wpb.law.outcome.Outcome.key`). Here each reading of a registration is reduced to a
:class:`Key` (an Int32 whose values are documented there): two readings give the same
outcome exactly when their keys are equal, so per person only the smallest key, the largest
key and the key of the first reading are needed. Candidate sets travel in the outcome
column ``kand`` (:class:`Kandidaten`).

Where that is not enough -- an evaluation that ends in a review with a non-empty set of
candidates the columns do not carry, compared with another (``combine``, possibly inside
``combine``) -- the sets are formed and compared for the few persons concerned
(``_settle_candidate_sets``): a stay that may have begun at a partially known birth
(``woonplaats_2022.sub_2``: 3° against the woonadres the day before), a contradictory
episode read both ways (``woonplaats_2022.decide``), and the two nested; so is an address
before the stay that got an aantekening after the stay began (an open question read both
ways, ``woonplaats_2022._aantekening_after_stay_began``). Only a person whose set cannot be
formed that way is decided by the reference engine itself and counted (``via_referentie``).
Under the 2015 text no set decides (nothing compares its reviews with another), so nobody is
handed back.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, timedelta

import polars as pl

from wpb.batch.compile import (
    compile_aantekening_from,
    compile_route_index,
    compile_routes,
    compile_series,
    compile_term,
)
from wpb.law.dates import Precision
from wpb.law.decision import ReviewReden, Status
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.jeugdwet import woonplaats_2015, woonplaats_2022
from wpb.law.jeugdwet.common import JEUGDHULPKETEN, JEUGDIGE_ROUTES
from wpb.law.predicates import (
    BUITENLAND,
    GEBOORTE_LAATST,
    GEBOORTE_VROEGST,
    GEBOORTEDATUM_BEKEND,
    GEZAG_SOORT,
    INGESCHREVEN,
    INGEZETENE_ADRES,
    JEUGDHULP,
    JEUGDHULP_SINDS_VOOR_18,
    JJI_GERELATEERD,
    JJI_VERBLIJF,
    MEERDERJARIG_ZEKER,
    MOEDER_HISTORIE,
    OUDER_HISTORIE,
    PEILDATUM,
    PEILDATUM_VOOR_GEBOORTE_MOGELIJK,
    PEILDATUM_VOOR_GEBOORTE_ZEKER,
    STRAFRECHTELIJK,
    STRAFRECHTELIJK_OP_PEILDATUM,
    TE_OUD_MOGELIJK,
    TE_OUD_ZEKER,
    TEGENSTRIJDIGE_JEUGDHULP,
    VERBLIJF_BEGIN,
    VERBLIJF_VANAF_GEBOORTE_MOGELIJK,
    VERBLIJF_VANAF_GEBOORTE_ZEKER,
    WOONADRES,
    ReadingFacts,
    Route,
    StayBeginFacts,
    first_route,
    holds,
)
from wpb.law.spans import AANTEKENINGEN, stay_series
from wpb.population.schema import CaseAssembler, Population


class Key:
    """What one reading of a registration leads to, as one Int32 per reading.

    - :attr:`SUB_3`: onderdeel 3° (no registration, verblijfplaats onbekend, an address
      without a real municipality, an aantekening); for a mother or a parent with gezag:
      the reading gives no woonadres;
    - :attr:`SUB_4`: an address abroad, so onderdeel 4°;
    - ``0 <= key < SPLIT``: a woonadres, keyed by the code of the one municipality that
      carries its code on the peildatum;
    - :meth:`split` (``SPLIT + code``): the code was split on the way to the peildatum; the
      code is the smallest one with the same set of successors, so two codes whose
      candidates are the same set get the same key;
    - :attr:`NO_SUCCESSOR`: the code ended without a Dutch successor (review, no candidates).
    """

    SUB_3 = -3
    SUB_4 = -4
    SPLIT = 10_000  # gemeentecodes have four digits
    NO_SUCCESSOR = 2 * SPLIT

    @classmethod
    def split(cls, code: int) -> int:
        return cls.SPLIT + code

    @classmethod
    def is_gemeente(cls, key: pl.Expr) -> pl.Expr:
        return (key >= 0) & (key < cls.SPLIT)


class Kandidaten:
    """The candidate gemeenten of a review, as one Int32 in the outcome column ``kand``.

    Only what equality of candidate *sets* needs (``Outcome.key``):

    - null: no candidates;
    - ``0 < kand < Key.SPLIT``: the successors of that (split) code;
    - :meth:`places` (``PLACES - n``): the n places of stay under the 2015 text; the set
      read with a contradictory episode contains the one without, so the count tells them
      apart;
    - :attr:`UNKNOWN`: a non-empty set these columns do not carry (a review that compares
      readings); equality with it is left to the reference engine, unless both come from
      the same evaluation (column ``src``).
    """

    UNKNOWN = -1
    PLACES = -100

    @classmethod
    def places(cls, n: pl.Expr) -> pl.Expr:
        return cls.PLACES - n


# Names kept for wpb.batch.wmo, which shares the woonadres keys.
K_SUB3 = Key.SUB_3
K_SUB4 = Key.SUB_4
SPLIT_BASE = Key.SPLIT
NO_SUCCESSOR = Key.NO_SUCCESSOR

# Small integer codes inside the engine; turned into the public strings at the end.
STATUS_BEPAALD = 1
STATUS_REVIEW = 2
REDENEN = tuple(ReviewReden)
REDEN_CODE = {r: i for i, r in enumerate(REDENEN)}
ONV = REDEN_CODE[ReviewReden.ONVOLLEDIGE_DATUM]
TEG_INSCHRIJVING = REDEN_CODE[ReviewReden.TEGENSTRIJDIGE_INSCHRIJVING]
GESPLITST = REDEN_CODE[ReviewReden.GESPLITSTE_GEMEENTE]
ZONDER_OPVOLGER = REDEN_CODE[ReviewReden.GEMEENTE_ZONDER_OPVOLGER]
TEGENSTRIJDIG = REDEN_CODE[ReviewReden.TEGENSTRIJDIGE_JEUGDHULP]
WVP_ONTBREEKT = REDEN_CODE[ReviewReden.WERKELIJKE_VERBLIJFPLAATS_ONTBREEKT]
GEZAG_ONTBREEKT = REDEN_CODE[ReviewReden.GEZAG_ONTBREEKT]
GEEN_JEUGDIGE = REDEN_CODE[ReviewReden.GEEN_JEUGDIGE]
WET_NIET = REDEN_CODE[ReviewReden.WET_NIET_VAN_TOEPASSING]
JJI_ONTBREEKT = REDEN_CODE[ReviewReden.JJI_VERBLIJF_ONTBREEKT]

# Dates are whole days since 1970-01-01 (Int32) inside the engine.
_EPOCH = date(1970, 1, 1)
_BEFORE_ALL = -(10**9)  # "from any day on" for an aantekening without a vanaf date
_NONE = -(2**31) + 1  # "no later record" while filling backwards
_OPEN_END = 10**9  # an episode without einde

REGEL_2022 = "2022"
REGEL_2015 = "2015"
REGEL_AUTO = "auto"


def day_number(d: date) -> int:
    return (d - _EPOCH).days


def _date(day: int | None) -> date | None:
    """The date of a day number (None stays None), for the core's predicates."""
    return None if day is None else _EPOCH + timedelta(days=day)


Step = Callable[[str], None]
Routes = tuple[Route, ...]


def _no_step(_: str) -> None:
    return None


# --- outcome columns --------------------------------------------------------------------------
#
# An outcome (reference: wpb.law.outcome.Outcome) is a set of columns: status, gemeente
# (code as integer), onderdeel, reden, kand (the split code whose successors are the
# candidates) and src (which evaluation produced a review onvolledige_datum).

_FIELDS = ("status", "gemeente", "onderdeel", "reden", "kand", "src")
_TYPES = {
    "status": pl.Int8, "gemeente": pl.Int32, "onderdeel": pl.Int8, "reden": pl.Int8,
    "kand": pl.Int32, "src": pl.Int64,
}

Outcome = dict[str, pl.Expr]


def _lit(value) -> pl.Expr:
    return value if isinstance(value, pl.Expr) else pl.lit(value)


def _outcome(status, gemeente=None, onderdeel=None, reden=None, kand=None, src=None) -> Outcome:
    values = dict(zip(_FIELDS, (status, gemeente, onderdeel, reden, kand, src), strict=True))
    return {k: _lit(v).cast(_TYPES[k]) for k, v in values.items()}


def bepaald(gemeente: pl.Expr, onderdeel) -> Outcome:
    return _outcome(STATUS_BEPAALD, gemeente, onderdeel)


def review(reden: int, onderdeel, kand=None, src=None) -> Outcome:
    return _outcome(STATUS_REVIEW, None, onderdeel, reden, kand, src)


def choose(branches: list[tuple[pl.Expr, Outcome]], otherwise: Outcome) -> Outcome:
    """The first branch whose condition holds (null counts as false), else ``otherwise``."""
    result = {}
    for f in _FIELDS:
        expr = None
        for cond, outcome in branches:
            cond = cond.fill_null(False)
            expr = pl.when(cond).then(outcome[f]) if expr is None else expr.when(cond).then(outcome[f])
        result[f] = otherwise[f] if expr is None else expr.otherwise(otherwise[f])
    return result


def columns(prefix: str) -> Outcome:
    return {f: pl.col(f"{prefix}_{f}") for f in _FIELDS}


def named(outcome: Outcome, prefix: str) -> list[pl.Expr]:
    return [outcome[f].alias(f"{prefix}_{f}") for f in _FIELDS]


def resolved(key: pl.Expr, onderdeel) -> Outcome:
    """Reference: explain.resolve_gemeente: one successor decides; a split, or an end
    without a Dutch successor, needs review."""
    return choose(
        [
            (key == Key.NO_SUCCESSOR, review(ZONDER_OPVOLGER, onderdeel)),
            (key >= Key.SPLIT, review(GESPLITST, onderdeel, kand=key - Key.SPLIT)),
        ],
        bepaald(key, onderdeel),
    )


def agree(x: Outcome, y: Outcome) -> tuple[pl.Expr, pl.Expr]:
    """Reference: ``Outcome.key`` equality: (certainly equal, not decidable from the columns).

    Equal status, gemeente and onderdeel, and equal candidate sets. A set the columns do not
    carry (:attr:`Kandidaten.UNKNOWN`) equals another only when both come from the same
    evaluation (``src``); it never equals the empty set. Places of stay and the successors
    of a split code are different encodings that may still be the same set.
    """
    base = (x["status"] == y["status"]) & x["gemeente"].eq_missing(y["gemeente"]) & x[
        "onderdeel"].eq_missing(y["onderdeel"])
    xk, yk = x["kand"], y["kand"]
    xu, yu = (xk == Kandidaten.UNKNOWN).fill_null(False), (yk == Kandidaten.UNKNOWN).fill_null(False)
    same_evaluation = xu & yu & x["src"].eq_missing(y["src"]) & x["src"].is_not_null()
    places_x, places_y = (xk <= Kandidaten.PLACES).fill_null(False), (yk <= Kandidaten.PLACES).fill_null(False)
    mixed = (places_x & (yk > 0).fill_null(False)) | (places_y & (xk > 0).fill_null(False))
    open_ = (xu & yk.is_not_null() & ~yu) | (yu & xk.is_not_null() & ~xu) | (xu & yu & ~same_evaluation) | mixed
    equal = base & (same_evaluation | (~xu & ~yu & xk.eq_missing(yk)))
    return equal.fill_null(False), (base & open_).fill_null(False)


def _empty_or_unknown(empty: pl.Expr) -> pl.Expr:
    """The ``kand`` of a review that compares readings: no candidates, or a set not carried."""
    return pl.when(empty.fill_null(False)).then(None).otherwise(pl.lit(Kandidaten.UNKNOWN))


def werkelijke_verblijfplaats(onderdeel: int) -> Outcome:
    """Reference: common.werkelijke_verblijfplaats."""
    key = pl.col("wvp_key")
    return choose(
        [(key.is_null(), review(WVP_ONTBREEKT, onderdeel))], resolved(key, onderdeel)
    )


# --- preparation ------------------------------------------------------------------------------


@dataclass
class Prepared:
    """The tables reduced to what the rules read, for one peildatum."""

    peildatum: date
    p: int  # the peildatum as a day number
    personen: pl.DataFrame
    records: pl.DataFrame
    episodes: pl.DataFrame
    # Per Key: the gemeenten it stands for as candidates (a gemeente, a split's successors).
    candidates: dict[int, tuple[int, ...]] = dataclass_field(default_factory=dict)
    # Facts derived from these tables that more than one rule reads (by name).
    memo: dict[str, pl.DataFrame] = dataclass_field(default_factory=dict, repr=False)


def resolve_table(register: GemeenteRegister, peildatum: date) -> pl.DataFrame:
    """Per gemeentecode the key of the municipality carrying it on the peildatum."""
    codes, keys = [], []
    first_with: dict[tuple[str, ...], int] = {}  # successor set -> smallest code with it
    for g in sorted(register, key=lambda g: g.code):
        successors = register.successors(g.code, peildatum)
        codes.append(g.code)
        if successors.is_unique:
            keys.append(int(successors.code))
        elif not successors.codes:
            keys.append(Key.NO_SUCCESSOR)
        else:
            keys.append(Key.split(first_with.setdefault(successors.codes, int(g.code))))
    return pl.DataFrame({"code": codes, "key": keys}, schema={"code": pl.String, "key": pl.Int32})


# Per register and peildatum: the resolve table and the candidates of each split's key. A
# register does not change once built; a caseload decided in small batches asks again for the
# same day, and deriving them walks every gemeente's successors (most of prepare's fixed cost).
_KEY_TABLES: weakref.WeakKeyDictionary[GemeenteRegister, dict[date, tuple[pl.DataFrame, dict]]] = (
    weakref.WeakKeyDictionary()
)
_KEY_TABLES_PER_REGISTER = 64


def _key_tables(register: GemeenteRegister, peildatum: date) -> tuple[pl.DataFrame, dict[int, tuple[int, ...]]]:
    """(resolve_table, the candidates per split key) for ``register`` on ``peildatum``."""
    per_day = _KEY_TABLES.setdefault(register, {})
    tables = per_day.get(peildatum)
    if tables is None:
        codes = resolve_table(register, peildatum)
        candidates: dict[int, tuple[int, ...]] = {Key.NO_SUCCESSOR: ()}
        for code in register:
            successors = register.successors(code.code, peildatum)
            if len(successors.codes) > 1:
                key = codes.filter(pl.col("code") == code.code)["key"].item()
                candidates.setdefault(key, tuple(int(c) for c in successors.codes))
        if len(per_day) >= _KEY_TABLES_PER_REGISTER:
            per_day.clear()
        # Kept in a local too: another thread's run may clear the table in between.
        tables = per_day[peildatum] = (codes, candidates)
    codes, candidates = tables
    return codes, dict(candidates)


def _days(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.Int32)


def _lookup(codes: pl.DataFrame, col: str) -> pl.Expr:
    return pl.col(col).replace_strict(
        codes["code"], codes["key"], default=None, return_dtype=pl.Int32
    )


def prepare(population: Population, peildatum: date, register: GemeenteRegister,
            step: Step = _no_step) -> Prepared:
    codes, candidates = _key_tables(register, peildatum)
    p = day_number(peildatum)

    step("verblijfplaatshistorie ordenen")
    rec = population.verblijfplaatsen
    order = ["persoon_id", "van_vroegst", "van_laatst", "volgnr"]
    if not _is_sorted(rec, order):
        rec = rec.sort(order)
    # The record predicates as declared once in wpb.law.predicates.
    fields = {"soort": pl.col("type"), "gemeente_code": pl.col("gemeente_code"),
              "briefadres": pl.col("briefadres")}
    ingezetene = compile_term(INGEZETENE_ADRES, fields)
    woonadres = compile_term(WOONADRES, fields)
    buitenland = compile_term(BUITENLAND, fields)
    same_next = pl.col("persoon_id").shift(-1) == pl.col("persoon_id")
    is_first = (pl.col("persoon_id").shift(1) != pl.col("persoon_id")).fill_null(True)

    # Reference: registration.ordered_history closes an open record with the begin of the
    # next record that begins *later*; records beginning on the same day(s) stay open side
    # by side. Per row: the begin of the first later record of the person (filled backwards
    # over a run of equal begins), or "none" (a sentinel) when there is none.
    van_e, van_l = _days("van_vroegst"), _days("van_laatst")
    has_next = same_next.fill_null(False)
    tie_next = has_next & (van_e.shift(-1) == van_e) & (van_l.shift(-1) == van_l)
    day_exact = pl.col("van_precisie") == Precision.DAY.value

    def later(value: pl.Expr) -> pl.Expr:
        marked = (
            pl.when(has_next & ~tie_next).then(value.shift(-1))
            .when(~has_next).then(pl.lit(_NONE, pl.Int32))
        )
        filled = marked.fill_null(strategy="backward")
        return pl.when(filled != _NONE).then(filled)

    later_l = later(van_l)
    later_exact = later(day_exact.cast(pl.Int32))
    open_record = pl.col("tot_vroegst").is_null()

    records = rec.select(
        pl.col("persoon_id").alias("pid"),
        pl.int_range(pl.len(), dtype=pl.Int64).alias("row"),
        is_first.alias("is_first"),
        _days("van_vroegst").alias("van_e"),
        _days("van_laatst").alias("van_l"),
        pl.col("van_precisie").alias("van_p"),
        pl.when(open_record).then(later_l).otherwise(_days("tot_laatst")).alias("tot_l"),
        # Complete begin and (closed) end: overlapping records are then contradictory
        # registrations rather than an incomplete date (registration.ambiguity_reason).
        (
            day_exact
            & pl.when(open_record).then(later_exact.fill_null(1) == 1)
            .otherwise(pl.col("tot_precisie") == Precision.DAY.value)
        ).alias("exact"),
        pl.when(woonadres).then(2).when(buitenland).then(1).otherwise(0).cast(pl.Int8).alias("cls"),
        ingezetene.alias("ing"),
        pl.when(ingezetene).then(_lookup(codes, "gemeente_code")).alias("rkey"),
        *aantekening_columns(),
    )

    step("personen voorbereiden")
    first = records.filter(pl.col("is_first")).select(
        "pid", pl.col("van_e").alias("first_van_e"), pl.col("van_l").alias("first_van_l"),
        pl.col("van_p").alias("first_van_p"),
    )
    personen = (
        population.personen.select(
            pl.col("persoon_id").alias("pid"),
            _days("geboorte_vroegst").alias("birth_e"),
            _days("geboorte_laatst").alias("birth_l"),
            pl.col("geboorte_precisie").alias("birth_p"),
            "moeder_id",
            _lookup(codes, "werkelijke_verblijfplaats_gemeente").alias("wvp_key"),
            "gezag_soort",
            "gezag_ouder_id",
            "is_jeugdige",
        )
        .join(first, on="pid", how="left")
        .with_columns(
            # Only "has a history or not" matters to the rules.
            pl.col("first_van_l").is_not_null().cast(pl.Int32).alias("n_records"),
            # Reference: readings_between: the record at birth starts with the person.
            (
                (pl.col("first_van_e") == pl.col("birth_e"))
                & (pl.col("first_van_l") == pl.col("birth_l"))
                & (pl.col("first_van_p") == pl.col("birth_p"))
            ).fill_null(False).alias("first_is_birth"),
        )
        .drop("first_van_e", "first_van_p")
    )
    records = records.drop("van_p")

    episode_env = {"verblijf": pl.col("verblijf"), "vorm": pl.col("vorm"),
                   "in_verband_met_jji": pl.col("in_verband_met_jji")}
    contradictory = compile_term(TEGENSTRIJDIGE_JEUGDHULP, episode_env)
    episodes = population.jeugdhulp.filter(pl.col("begin") <= peildatum).select(
        pl.col("persoon_id").alias("pid"),
        _days("begin").alias("begin"),
        _days("einde").fill_null(_OPEN_END).alias("end"),
        "verblijf",
        contradictory.alias("contradictory"),
        compile_term(JJI_GERELATEERD, episode_env).alias("jji_care"),
        compile_term(STRAFRECHTELIJK, episode_env).alias("strafrechtelijk"),
        compile_term(JEUGDHULP, episode_env).alias("jeugdhulp"),
        compile_term(JJI_VERBLIJF, episode_env).alias("jji_stay"),
        "volgnr",
        _lookup(codes, "gemeente_code").alias("loc_key"),
        pl.col("gemeente_code").cast(pl.Int32, strict=False).alias("loc_code"),
    )
    return Prepared(peildatum, p, personen, records, episodes, candidates)


def aantekening_columns() -> tuple[pl.Expr, pl.Expr]:
    """(cert_from, poss_from): per record of the verblijfplaatsen table, the first day on
    which it carries an aantekening for certain, and possibly (reference:
    Verblijfplaats.aantekening_on); the kinds are declared once in wpb.law.spans."""
    env = {"in_onderzoek": pl.col("in_onderzoek"), "vastgesteld_niet_op_adres": pl.col("niet_op_adres"),
           "niet_op_adres_vanaf": pl.col("niet_op_adres_vanaf_vroegst")}
    vanaf = {f: (_days(f"{f}_vroegst"), _days(f"{f}_laatst"))
             for f in ("onderzoek_vanaf", "niet_op_adres_vanaf")}
    return tuple(
        compile_aantekening_from(AANTEKENINGEN, env, vanaf, certain=certain, throughout=_BEFORE_ALL)
        .alias(name) for name, certain in (("cert_from", True), ("poss_from", False))
    )


def _is_sorted(df: pl.DataFrame, keys: list[str]) -> bool:
    """True when ``df`` is already in ``keys`` order (the generator writes it so)."""
    if df.height < 2:
        return True
    later = pl.lit(False)
    for k in reversed(keys):
        c, prev = pl.col(k), pl.col(k).shift(1)
        later = (c > prev) | ((c == prev) & later)
    return bool(df.select(later.slice(1).all()).item())


# --- readings (reference: registration.readings_between) -------------------------------------


def _reading_keys(cand: pl.DataFrame, first_day: pl.Expr, last_day: pl.Expr, group: str,
                  *, in_order: bool = False, o_ingezetene: bool = False,
                  routes: Routes = woonplaats_2022.WOONADRES_ROUTES) -> pl.DataFrame:
    """Aggregate the candidate records of each query into (first key, min, max).

    ``j`` keys are the jeugdige's (aantekening and abroad matter); ``o`` keys are those of
    a mother or parent (only "woonadres or not" matters). A reading without a woonadres
    gets key ``alt`` when the query has that column: for the mother at birth it is the
    key of the werkelijke verblijfplaats, because 3° then falls back on it
    (``_mother_at_birth``) and that outcome equals the one of a woonadres in the same
    municipality.

    Also counted: the candidates, whether one of them gives two readings (an aantekening
    that may or may not hold: registration._aantekening_between) and whether all have
    complete dates; together they tell contradictory registrations from an incomplete date.
    For the candidate set of a review that compares the jeugdige's readings: whether some
    reading is a gemeente (or split), 3° or 4° (``j_code``, ``j_has3``, ``j_has4``); for the
    mother: whether every reading is a review without candidates (``o_empty``).
    """
    alt = pl.col("alt") if "alt" in cand.columns else pl.lit(Key.SUB_3)
    d = first_day  # the jeugdige's keys are asked for one day
    certain = (pl.col("cert_from") <= d).fill_null(False)
    possible = (pl.col("poss_from") <= d).fill_null(False)
    two_readings = ~(pl.col("cert_from") <= first_day).fill_null(False) & (
        pl.col("poss_from") <= last_day).fill_null(False)
    cls = pl.col("cls")
    # Reference: woonplaats_2022._from_reading: the declared routes, compiled. A possible but
    # uncertain aantekening gives two readings, the one with it first.
    j1 = _route_key(certain | possible, routes)
    j2 = _route_key(certain, routes)
    # The mother counts when registered as ingezetene (also on a briefadres: her declared
    # routes); a parent with gezag only with a woonadres.
    o = _mother_key(alt) if o_ingezetene else pl.when(cls == 2).then(pl.col("rkey")).otherwise(alt)
    # ``in_order``: the candidates are in history order already, grouped by a sorted key.
    def first(col: str) -> pl.Expr:
        return pl.col(col).first() if in_order else pl.col(col).sort_by("row").first()

    return (
        cand.lazy()
        .with_columns(j1.cast(pl.Int32).alias("j1"), j2.cast(pl.Int32).alias("j2"),
                      o.cast(pl.Int32).alias("o"), two_readings.alias("two"))
        .group_by(group, maintain_order=in_order)
        .agg(
            first("j1").alias("j_first"),
            pl.min_horizontal(pl.col("j1").min(), pl.col("j2").min()).alias("j_min"),
            pl.max_horizontal(pl.col("j1").max(), pl.col("j2").max()).alias("j_max"),
            first("o").alias("o_first"),
            pl.col("o").min().alias("o_min"),
            pl.col("o").max().alias("o_max"),
            pl.col("is_first").any().alias("has_first"),
            pl.len().alias("n_cand"),
            pl.col("two").any().alias("any_two"),
            pl.col("exact").all().alias("all_exact"),
            _any_key(lambda k: (k >= 0) & (k != Key.NO_SUCCESSOR)).alias("j_code"),
            _any_key(lambda k: k == Key.SUB_3).alias("j_has3"),
            _any_key(lambda k: k == Key.SUB_4).alias("j_has4"),
            _empty_review(pl.col("o")).all().alias("o_empty"),
        )
        .collect()
    )


def _mother_key(alt: pl.Expr) -> pl.Expr:
    """Reference: woonplaats_2022._mother_at_birth: where the declared
    MOEDER_INSCHRIJVING_ROUTES lead a reading of the mother's registration at the birth: the
    key of her gemeente, or ``alt`` (the werkelijke verblijfplaats, the last part of 3°)."""
    env = {INGESCHREVEN.name: pl.lit(True), INGEZETENE_ADRES.name: pl.col("ing")}
    onderdeel = compile_routes(woonplaats_2022.MOEDER_INSCHRIJVING_ROUTES, env)
    return pl.when(onderdeel == 3).then(alt).otherwise(pl.col("rkey"))


def _route_key(aantekening: pl.Expr, routes: Routes = woonplaats_2022.WOONADRES_ROUTES) -> pl.Expr:
    """The key of a record's reading: where ``routes`` lead it (by default the 2022
    woonadres routes; under the 2015 text the routes of the parent with gezag)."""
    cls = pl.col("cls")
    env = {"ingeschreven": pl.lit(True), "aantekening": aantekening,
           WOONADRES.name: cls == 2, BUITENLAND.name: cls == 1}
    return _key_of(compile_routes(routes, env))


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


def _finish_readings(df: pl.DataFrame, first: pl.Expr, last: pl.Expr, prefix: str,
                     none_registered: int = NO_REGISTRATION) -> pl.DataFrame:
    """Add the readings before the first record and before birth; one key when all agree.

    Expects the subject's birth_e, first_van_l, first_is_birth and the aggregates of
    :func:`_reading_keys`. Adds ``{prefix}j_first/_same/_key`` and ``{prefix}o_...``.
    """
    birth_known = pl.col("birth_e").is_not_null()
    none_only = (birth_known & (last < pl.col("birth_e"))).fill_null(False) | pl.col("j_min").is_null()
    maybe_before_first = (
        pl.col("has_first").fill_null(False)
        & (first < pl.col("first_van_l")).fill_null(False)
        & ~(birth_known & pl.col("first_is_birth"))
    )
    # Reference: registration.readings_are_contradictory (and ambiguity_reason: only when
    # the readings concern one day).
    contradictory = (
        ~none_only & ~maybe_before_first & (pl.col("n_cand") >= 2) & ~pl.col("any_two")
        & pl.col("all_exact") & (first == last)
    ).fill_null(False)
    exprs = [contradictory.alias(f"{prefix}_contr")]
    alt = pl.col("alt") if "alt" in df.columns else pl.lit(Key.SUB_3)
    for kind, none_key in (("j", pl.lit(none_registered)), ("o", alt)):
        lo = pl.when(maybe_before_first).then(pl.min_horizontal(pl.col(f"{kind}_min"), none_key)).otherwise(pl.col(f"{kind}_min"))
        hi = pl.when(maybe_before_first).then(pl.max_horizontal(pl.col(f"{kind}_max"), none_key)).otherwise(pl.col(f"{kind}_max"))
        if kind == "j":
            # The reading before the first record leads to 3°.
            exprs += [
                (~none_only & pl.col("j_code")).fill_null(False).alias(f"{prefix}j_code"),
                (none_only | maybe_before_first | pl.col("j_has3")).fill_null(False).alias(f"{prefix}j_has3"),
                (~none_only & pl.col("j_has4")).fill_null(False).alias(f"{prefix}j_has4"),
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


def readings_on_peildatum(prep: Prepared) -> pl.DataFrame:
    """Reading keys of every person on the peildatum (one pass over all records)."""
    p = prep.p
    cand = prep.records.filter(
        (pl.col("van_e") <= p) & (pl.col("tot_l").is_null() | (pl.col("tot_l") > p))
    ).with_columns(pl.col("pid").set_sorted())  # prepare() put the records in order
    agg = _reading_keys(cand, pl.lit(p), pl.lit(p), "pid", in_order=True)
    subjects = prep.personen.select("pid", "birth_e", "first_van_l", "first_is_birth")
    df = subjects.join(agg, on="pid", how="left")
    keep = ["pid", "p_contr", *_j_columns("p"), "po_first", "po_same", "po_key"]
    return _finish_readings(df, pl.lit(p), pl.lit(p), "p").select(keep)


def readings_for(prep: Prepared, queries: pl.DataFrame, prefix: str, *,
                 o_ingezetene: bool = False,
                 routes: Routes = woonplaats_2022.WOONADRES_ROUTES) -> pl.DataFrame:
    """Reading keys per query (qid, subject, first, last): a period or another day."""
    keep = [f"{prefix}_contr", *_j_columns(prefix),
            *[f"{prefix}o_{f}" for f in ("first", "same", "key", "empty")]]
    if queries.height == 0:
        types = {"first": pl.Int32, "key": pl.Int32}
        return pl.DataFrame(schema={"qid": pl.Int64, **{
            c: types.get(c.rsplit("_", 1)[-1], pl.Boolean) for c in keep}})
    cand = queries.join(prep.records, left_on="subject", right_on="pid", how="inner").filter(
        (pl.col("van_e") <= pl.col("last"))
        & (pl.col("tot_l").is_null() | (pl.col("tot_l") > pl.col("first")))
    )
    agg = _reading_keys(cand, pl.col("first"), pl.col("last"), "qid", o_ingezetene=o_ingezetene,
                        routes=routes)
    subjects = prep.personen.select(
        pl.col("pid").alias("subject"), "birth_e", "first_van_l", "first_is_birth"
    )
    df = queries.join(subjects, on="subject", how="left").join(agg, on="qid", how="left")
    df = _finish_readings(df, pl.col("first"), pl.col("last"), prefix, no_registration(routes))
    return df.select("qid", *keep)


def _j_columns(prefix: str) -> list[str]:
    return [f"{prefix}j_{f}" for f in ("first", "same", "key", "code", "has3", "has4")]


# --- stays (reference: common.stay_series_on) --------------------------------------------------


def series_begin(prep: Prepared, *, contradictory_as_stay: bool,
                 only: pl.DataFrame | None = None, day: str | None = None) -> pl.DataFrame:
    """(pid, begin of the uninterrupted series of stays covering the peildatum): the series
    declared once in wpb.law.spans (stay_series), compiled.

    ``only``: restrict to these pids (a frame with column pid); ``day``: a column of
    ``only`` with the day (number) the series must cover instead of the peildatum.
    """
    episodes = prep.episodes if only is None else prep.episodes.join(only, on="pid", how="semi")
    until = pl.lit(prep.p)
    if day is not None:
        assert only is not None
        episodes = episodes.join(only.select("pid", day), on="pid")
        until = pl.col(day)
    env = {"verblijf": pl.col("verblijf"), TEGENSTRIJDIGE_JEUGDHULP.name: pl.col("contradictory")}
    return compile_series(stay_series(contradictory_as_stay), episodes, env, until, open_end=_OPEN_END)


# --- the rules --------------------------------------------------------------------------------


def age_env(peildatum: date) -> dict[str, pl.Expr]:
    """The columns of the declared age facts (wpb.law.predicates.AgeFacts)."""
    return {
        GEBOORTE_VROEGST.name: pl.col("birth_e").cast(pl.Date),
        GEBOORTE_LAATST.name: pl.col("birth_l").cast(pl.Date),
        PEILDATUM.name: pl.lit(peildatum),
    }


def stay_begin_env(b: str) -> dict[str, pl.Expr]:
    """The columns of the declared StayBeginFacts for the stay (series) beginning on day
    ``b`` (wpb.law.predicates.VERBLIJF_VANAF_GEBOORTE_ZEKER, ..._MOGELIJK)."""
    return {VERBLIJF_BEGIN.name: pl.col(b).cast(pl.Date),
            GEBOORTE_VROEGST.name: pl.col("birth_e").cast(pl.Date),
            GEBOORTE_LAATST.name: pl.col("birth_l").cast(pl.Date)}


def check_jeugdige(peildatum: date) -> tuple[pl.Expr, Outcome]:
    """Reference: common.check_jeugdige (with check_adult): (applies, outcome).

    Expects the columns of :func:`adult_facts` joined to the youths."""
    before = compile_term(PEILDATUM_VOOR_GEBOORTE_ZEKER, age_env(peildatum))
    maybe_before = compile_term(PEILDATUM_VOOR_GEBOORTE_MOGELIJK, age_env(peildatum))
    too_old = compile_term(TE_OUD_ZEKER, age_env(peildatum))
    maybe_old = compile_term(TE_OUD_MOGELIJK, age_env(peildatum))
    outcome = choose(
        [
            (before, review(GEEN_JEUGDIGE, None)),
            (maybe_before, review(ONV, None)),
            (too_old, review(GEEN_JEUGDIGE, None)),
        ],
        review(ONV, None),
    )
    applies = (before | maybe_before | too_old | maybe_old).fill_null(False)
    # From 18 (the columns of adult_facts): only 2° or 3° of "jeugdige" (common.check_adult).
    adult_applies, adult_outcome = check_adult(peildatum)
    return applies | adult_applies, choose([(applies, outcome)], adult_outcome)


def adult_facts(prep: Prepared) -> pl.DataFrame:
    """(pid, strafrechtelijk, chain_begin): the facts of common.JEUGDIGE_ROUTES per person.

    ``chain_begin``: the first day of the chain of jeugdhulp that covers the peildatum
    (reference: common.care_since_before_18; the chain declared once as
    common.JEUGDHULPKETEN, compiled), null without one.
    """
    if "adult_facts" in prep.memo:  # both rules of one run read the same facts
        return prep.memo["adult_facts"]
    p = prep.p
    strafrechtelijk = (
        prep.episodes.filter(pl.col("strafrechtelijk") & (pl.col("end") >= p))
        .select("pid").unique().with_columns(pl.lit(True).alias("strafrechtelijk"))
    )
    chains = compile_series(JEUGDHULPKETEN, prep.episodes, {JEUGDHULP.name: pl.col("jeugdhulp")},
                            pl.lit(p), open_end=_OPEN_END).rename({"series_begin": "chain_begin"})
    facts = strafrechtelijk.join(chains, on="pid", how="full", coalesce=True)
    prep.memo["adult_facts"] = facts
    return facts


def check_adult(peildatum: date) -> tuple[pl.Expr, Outcome]:
    """Reference: common.check_adult, on the columns of :func:`adult_facts`: (applies, outcome).

    Both ends of a partial birth date are tried, each with the declared age predicate
    MEERDERJARIG_ZEKER (on the peildatum, and on the first day of the chain of jeugdhulp).
    """

    def adult_on(birth: str, day: pl.Expr) -> pl.Expr:
        env = {GEBOORTE_VROEGST.name: pl.col(birth).cast(pl.Date),
               GEBOORTE_LAATST.name: pl.col(birth).cast(pl.Date), PEILDATUM.name: day}
        return compile_term(MEERDERJARIG_ZEKER, env)

    def jeugdige(birth: str) -> pl.Expr:
        since_before_18 = pl.col("chain_begin").is_not_null() & ~adult_on(
            birth, pl.col("chain_begin").cast(pl.Date))
        clause = compile_routes(JEUGDIGE_ROUTES, {
            STRAFRECHTELIJK_OP_PEILDATUM.name: pl.col("strafrechtelijk").fill_null(False),
            JEUGDHULP_SINDS_VOOR_18.name: since_before_18.fill_null(False),
        })
        return ~adult_on(birth, pl.lit(peildatum)) | (clause > 0)

    known = pl.col("birth_e").is_not_null()
    early, late = jeugdige("birth_e"), jeugdige("birth_l")
    applies = known & ~(early & late)
    outcome = choose([(~early & ~late, review(GEEN_JEUGDIGE, None))], review(ONV, None))
    return applies.fill_null(False), outcome


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
    keys = readings_for(prep, queries, "m", o_ingezetene=True)
    df = df.join(keys, left_on="pid", right_on="qid", how="left")
    # Keys are woonadres keys or the werkelijke verblijfplaats key; Key.SUB_3 only when that
    # is missing.
    # Readings that all end in a review without candidates agree (Outcome.key); the
    # first one's reason is kept.
    empty = pl.col("mo_empty")
    from_mother = choose(
        [
            (empty & (pl.col("mo_first") == Key.SUB_3), review(WVP_ONTBREEKT, 3)),
            (empty, review(ZONDER_OPVOLGER, 3)),
            (pl.col("mo_same"), resolved(pl.col("mo_key"), 3)),
        ],
        review(_ambiguity("m_contr"), 3, kand=Kandidaten.UNKNOWN, src=-1),
    )
    outcome = choose([(~reads_mother, werkelijke_verblijfplaats(3))], from_mother)
    return df.select("pid", *named(outcome, "s3"))


def _ambiguity(contr_col: str) -> pl.Expr:
    """Reference: registration.ambiguity_reason: the reason when the readings disagree."""
    return pl.when(pl.col(contr_col).fill_null(False)).then(TEG_INSCHRIJVING).otherwise(ONV)


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
        pl.when(first == Key.SUB_3).then(3).when(first == Key.SUB_4).then(4).otherwise(onderdeel)
    )
    return choose(
        [
            (same & (key == Key.SUB_3), s3),
            (same & (key == Key.SUB_4), werkelijke_verblijfplaats(4)),
            (same, resolved(key, onderdeel)),
        ],
        review(_ambiguity(f"{prefix}_contr"), first_onderdeel, kand=_empty_or_unknown(empty), src=src),
    )


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
        prep.episodes.filter(pl.col("jji_care") & (pl.col("end") >= p)).select("pid").unique()
        .with_columns(pl.lit(True).alias("jji"))
    )
    adult = adult_facts(prep)
    # Reference: woonplaats_2022._jji_limb: the most recent JJI stay begun on or before the
    # peildatum (the last in input order among those beginning that day), and the series of
    # stays it belongs to on its last day up to the peildatum: "bj", the begin of that series.
    last_jji = (
        prep.episodes.join(jji, on="pid", how="semi").filter(pl.col("jji_stay"))
        .group_by("pid").agg(pl.col("end").sort_by("begin", "volgnr").last().alias("jji_end"))
        .select("pid", pl.min_horizontal("jji_end", pl.lit(p)).alias("jji_day"))
    )
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
            (pl.col(b) - 1).alias("first"), (pl.col(b) - 1).alias("last"),
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
        *named(_woonadres("p", 1, pl.lit(p) * 8 + 1), "wp"),
        *(e for b, prefix in (("bf", "f"), ("bt", "t"), ("bj", "x"))
          for e in named(_woonadres(prefix, 2, (pl.col(b) - 1) * 8 + 2), f"w{prefix}")),
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
            ONV, 3, kand=_empty_or_unknown(both_empty), src=(pl.col(b) - 1) * 8 + 3))
        # Begun on or before the day of birth (only the JJI limb gets here so; a stay goes to
        # 3° by CLAUSE_ROUTES): the day before it the youth was not born, so "born before"
        # reads no registration, i.e. 3° as well, and both readings give 3°.
        return (choose([(at_birth(b), s3), (maybe_at_birth(b), either)], w),
                maybe_at_birth(b) & ~at_birth(b) & open_)

    # Reference: woonplaats_2022._jji_limb: without the JJI stay itself, review.
    jji_sub_2, jji_open = sub_2("bj", "x")
    jji_limb_columns = [
        *named(choose([(pl.col("bj").is_null(), review(JJI_ONTBREEKT, 2))], jji_sub_2), "jl"),
        (pl.col("bj").is_not_null() & jji_open).alias("jl_route"),
    ]
    jji_limb, jji_route = columns("jl"), pl.col("jl_route")
    clause_columns = []

    def in_or_out_of_stay(b: str, prefix: str) -> tuple[Outcome, pl.Expr, pl.Expr]:
        """Reference: woonplaats_2022._in_or_out_of_stay and sub_2: (outcome, route, the
        begin of the stay whose day before sub_2 reads, null when the clause is not 2°)."""
        stay_sub_2, route = sub_2(b, prefix)
        # Reference: woonplaats_2022.CLAUSE_ROUTES, compiled.
        clause_columns.append(compile_routes(woonplaats_2022.CLAUSE_ROUTES, {
            "verblijf_op_peildatum": pl.col(b).is_not_null(),
            "verblijf_vanaf_geboorte": at_birth(b),
            "jji_hulp_op_peildatum": pl.col("jji"),
        }).alias(f"clause_{prefix}"))
        clause = pl.col(f"clause_{prefix}")
        no_stay = pl.col(b).is_null()
        outcome = choose(
            [
                (clause == 1, _woonadres("p", 1, pl.lit(p) * 8 + 1)),
                (clause == 3, s3),
                (no_stay & (clause == 2), jji_limb),
            ],
            stay_sub_2,
        )
        begin = pl.when(clause == 2).then(pl.when(no_stay).then(pl.col("bj")).otherwise(pl.col(b)))
        return (outcome, pl.when(no_stay).then((clause == 2) & jji_route).otherwise(route).fill_null(False),
                begin)

    out_b, route_b, begin_b = in_or_out_of_stay("bf", "f")
    out_a, route_a, begin_a = in_or_out_of_stay("bt", "t")
    # Lazy, so polars evaluates the shared sub-expressions of the clauses once.
    def readings(frame: pl.DataFrame) -> pl.LazyFrame:
        return frame.lazy().with_columns(*woonadressen, *clause_columns).with_columns(
            *jji_limb_columns
        ).with_columns(
            *named(out_b, "b"), route_b.alias("route_b"), begin_b.alias("begin_b")
        ).with_columns(*named(out_a, "a"), route_a.alias("route_a"), begin_a.alias("begin_a"))

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
            "pid", "has_contr", "route_a", "route_b", "begin_a", "begin_b", "late_aantekening",
            "wvp_key", "moeder_id", "birth_e", "birth_l", *named(s3, "s3"), *named(a, "a"), *named(b, "b"),
        ).collect()
        res = _settle_candidate_sets(prep, res, details)
    return res.select("pid", *[f"u_{f}" for f in _FIELDS], "route", "inschrijving")


def _aantekening_after_stay(prep: Prepared, df: pl.DataFrame) -> pl.DataFrame:
    """(pid, late_aantekening): a record that may cover the day before the stay carries an
    aantekening placed after that day, by the peildatum (reference:
    woonplaats_2022._aantekening_after, an open question read both ways). The reference asks
    it only of a woonadres (the clause itself, not 3° or 4°) on the day before a stay: either
    reading's series, or the JJI stay's series (the JJI limb). Rare, so these persons are
    settled one by one (``_settle_candidate_sets``); the test is wider than the reference's,
    never narrower."""
    parts = []
    for b in ("bf", "bt", "bj"):
        # A stay from birth has no address before it (3°); the JJI limb reads one always.
        from_birth = pl.lit(False) if b == "bj" else compile_term(VERBLIJF_VANAF_GEBOORTE_ZEKER,
                                                                  stay_begin_env(b))
        day = df.filter(pl.col(b).is_not_null() & ~from_birth).select("pid", (pl.col(b) - 1).alias("d"))
        parts.append(
            day.join(prep.records.select("pid", "van_e", "tot_l", "poss_from", "cls"), on="pid")
            .filter(
                (pl.col("cls") == 2)  # a woonadres (WOONADRES, compiled in prepare)
                & (pl.col("van_e") <= pl.col("d"))
                & (pl.col("tot_l").is_null() | (pl.col("tot_l") > pl.col("d")))
                & (pl.col("poss_from") > pl.col("d")) & (pl.col("poss_from") <= prep.p)
            )
            .select("pid")
        )
    return pl.concat(parts).unique().with_columns(pl.lit(True).alias("late_aantekening"))


def _settle_candidate_sets(prep: Prepared, res: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """Reference: ``combine`` where a review's candidate set decides and the outcome columns
    do not carry it, for the few persons flagged ``settle``.

    Two comparisons may need a set, and they may be nested: ``sub_2`` compares "the stay
    began at birth" (3°, the mother's readings at birth) with "born before the stay" (2°,
    the woonadres the day before), on either reading of a contradictory episode; ``decide``
    compares those two readings ("as a stay", a; "not a stay", b). Here each side's outcome
    is completed with its set (:func:`_side`), then the sides are compared as ``combine``
    does. ``rows`` holds both readings' outcome columns for those persons. A set that still
    cannot be formed leaves the person with the reference engine.
    """
    sets = _CandidateSets(prep, rows)
    fixed = []
    for row in rows.iter_rows(named=True):
        b = _side(row, "b", sets)
        a = _side(row, "a", sets) if row["has_contr"] else None
        if b is None or (row["has_contr"] and a is None):
            continue
        if a is None:
            outcome = b.outcome
        elif a.key == b.key:
            outcome = a.outcome
        else:
            # Reference: combine: the readings differ, a review with every candidate.
            outcome = (STATUS_REVIEW, None, a.outcome[2], TEGENSTRIJDIG,
                       Kandidaten.UNKNOWN if a.options | b.options else None, None)
        fixed.append({"pid": row["pid"], "route": False,
                      **{f"u_{f}": v for f, v in zip(_FIELDS, outcome, strict=True)}})
    if not fixed:
        return res
    schema = {"pid": res.schema["pid"], "route": pl.Boolean, **{f"u_{f}": _TYPES[f] for f in _FIELDS}}
    return res.update(pl.DataFrame(fixed, schema=schema), on="pid", include_nulls=True)


@dataclass(frozen=True)
class _Settled:
    """One reading's outcome (the values of the outcome columns, in ``_FIELDS`` order) with
    its candidate gemeenten: ``options`` is what ``combine`` lists for it (its gemeente, or
    its candidates), ``key`` what ``Outcome.key`` compares."""

    outcome: tuple
    options: frozenset[int]

    @property
    def key(self) -> tuple:
        status, gemeente, onderdeel = self.outcome[:3]
        return status, gemeente, onderdeel, self.options if gemeente is None else frozenset()


# The evaluation that produced a review comparing readings: ``src % 8`` (see decide_2022).
_SRC_PEILDATUM, _SRC_BEFORE_STAY, _SRC_BIRTH_OR_BEFORE = 1, 2, 3
_SRC_MOTHER = -1  # the review of 3°: the mother's readings at birth
OPEN_RECHTSVRAAG = REDEN_CODE[ReviewReden.OPEN_RECHTSVRAAG]


def _side(row: dict, side: str, sets: _CandidateSets) -> _Settled | None:
    """Reference: woonplaats_2022._in_or_out_of_stay on reading ``side`` (a: a contradictory
    episode as a stay, b: not), with its candidate set; None when a set cannot be formed."""
    outcome = tuple(row[f"{side}_{f}"] for f in _FIELDS)
    status, gemeente, _, _, kand, src = outcome
    begin = row[f"begin_{side}"]
    if begin is not None and (row[f"route_{side}"] or row["late_aantekening"]):
        # 2° (of a stay, or the JJI limb) where the columns do not tell the answer: a stay
        # that may have begun at the partial birth, or an aantekening placed after it began.
        return sets.sub_2(row, begin - 1)
    if gemeente is not None:
        return _Settled(outcome, frozenset({gemeente}))
    if status != STATUS_REVIEW or kand is None:
        return _Settled(outcome, frozenset())
    if kand > 0:  # the successors of a split code
        return _Settled(outcome, sets.of_key(Key.split(kand)))
    if kand != Kandidaten.UNKNOWN:
        return None
    found: frozenset[int] | None = None
    if src == _SRC_MOTHER:
        found = sets.sub_3(row)
    elif src is not None and src % 8 in (_SRC_PEILDATUM, _SRC_BEFORE_STAY):
        w = sets.woonadres(row, src // 8)
        found = None if w is None else w.options
    elif src is not None and src % 8 == _SRC_BIRTH_OR_BEFORE:
        # sub_2's review of "from birth" against "born before", decided unequal: both sets.
        w, from_birth = sets.woonadres(row, src // 8), sets.sub_3(row)
        found = None if w is None or from_birth is None else from_birth | w.options
    return None if found is None else _Settled(outcome, found)


class _CandidateSets:
    """The outcomes with candidate gemeenten of the reviews that compare readings, for a few
    persons: of 3° (the mother's readings at birth), of the jeugdige's woonadres on a day,
    and of 2° (sub_2) built from them."""

    def __init__(self, prep: Prepared, rows: pl.DataFrame) -> None:
        self.prep = prep
        self.mother = _mother_reading_keys(prep, rows.filter(pl.col("s3_kand") == Kandidaten.UNKNOWN))
        self.days = self._woonadres_readings(rows)

    def of_key(self, key: int | None) -> frozenset[int]:
        """The gemeenten a key stands for: a gemeente, a split's successors, or none."""
        if key is None:
            return frozenset()
        return frozenset(self.prep.candidates.get(key, (key,)))

    def sub_3(self, row: dict) -> frozenset[int] | None:
        """What 3° names: its gemeente, or the candidates of its review."""
        if row["s3_status"] is None:  # not evaluated for this person
            return None
        if row["s3_gemeente"] is not None:
            return frozenset({row["s3_gemeente"]})
        kand = row["s3_kand"]
        if kand != Kandidaten.UNKNOWN:
            return self.of_key(Key.split(kand)) if kand else frozenset()
        keys = self.mother.get(row["pid"])
        if keys is None:
            return None
        # A reading without a Dutch successor, or without woonadres and without a
        # werkelijke verblijfplaats, ends in a review without candidates.
        return frozenset().union(*(self.of_key(k) for k in keys if k not in (Key.SUB_3, Key.NO_SUCCESSOR)))

    def _sub_3_outcome(self, row: dict) -> _Settled | None:
        found = self.sub_3(row)
        return None if found is None else _Settled(tuple(row[f"s3_{f}"] for f in _FIELDS), found)

    def _resolved(self, key: int | None, onderdeel: int, missing: int) -> _Settled:
        """Reference: explain.resolve_gemeente (and ``missing`` without a key)."""
        if key is None or key == Key.NO_SUCCESSOR:
            reden = missing if key is None else ZONDER_OPVOLGER
            return _Settled((STATUS_REVIEW, None, onderdeel, reden, None, None), frozenset())
        if key >= Key.SPLIT:
            return _Settled((STATUS_REVIEW, None, onderdeel, GESPLITST, key - Key.SPLIT, None), self.of_key(key))
        return _Settled((STATUS_BEPAALD, key, onderdeel, None, None, None), frozenset({key}))

    def _reading(self, row: dict, key: int, late: bool) -> _Settled | None:
        """Reference: woonplaats_2022._from_reading under 2° for one reading's key."""
        if key == Key.SUB_3:
            return self._sub_3_outcome(row)
        if key == Key.SUB_4:  # 4°: the werkelijke verblijfplaats
            return self._resolved(row["wvp_key"], 4, WVP_ONTBREEKT)
        if not late:
            return self._resolved(key, 2, WVP_ONTBREEKT)
        # Reference: _aantekening_after_stay_began: an aantekening placed after the stay
        # began, read both ways (2° the woonadres, 3°); the onderdelen differ, so always a
        # review naming both readings' candidates.
        from_birth = self.sub_3(row)
        if from_birth is None:
            return None
        options = self._resolved(key, 2, WVP_ONTBREEKT).options | from_birth
        return _Settled((STATUS_REVIEW, None, 2, OPEN_RECHTSVRAAG,
                         Kandidaten.UNKNOWN if options else None, None), options)

    def woonadres(self, row: dict, day: int) -> _Settled | None:
        """Reference: _woonadres_on under 2°: every reading of the jeugdige's registration
        on ``day``; one outcome when they agree, else a review naming all candidates."""
        f = self.days.get((row["pid"], day))
        if f is None:
            return None
        outcomes = {pair: self._reading(row, *pair) for pair in f["readings"]}
        if any(o is None for o in outcomes.values()):
            return None
        first = outcomes[f["first"]]
        if all(o.key == first.key for o in outcomes.values()):
            return first
        options = frozenset().union(*(o.options for o in outcomes.values()))
        return _Settled((STATUS_REVIEW, None, first.outcome[2], TEG_INSCHRIJVING if f["contr"] else ONV,
                         Kandidaten.UNKNOWN if options else None, day * 8 + _SRC_BEFORE_STAY), options)

    def sub_2(self, row: dict, day: int) -> _Settled | None:
        """Reference: woonplaats_2022.sub_2 for the stay beginning the day after ``day``."""
        before = self.woonadres(row, day)
        if before is None or not holds(VERBLIJF_VANAF_GEBOORTE_MOGELIJK, StayBeginFacts(
                _date(row["birth_e"]), _date(row["birth_l"]), _date(day + 1))):
            return before
        # A partial birth: "the stay began at birth" (3°) against "born before the stay".
        from_birth = self._sub_3_outcome(row)
        if from_birth is None:
            return None
        if from_birth.key == before.key:
            return from_birth
        options = from_birth.options | before.options
        return _Settled((STATUS_REVIEW, None, 3, ONV, Kandidaten.UNKNOWN if options else None,
                         day * 8 + _SRC_BIRTH_OR_BEFORE), options)

    def _woonadres_readings(self, rows: pl.DataFrame) -> dict[tuple[int, int], dict]:
        """Per (pid, day) the jeugdige's readings on that day as (key, aantekening placed
        after that day) pairs, the first of them, and whether they are contradictory, for
        every day a side of ``rows`` may ask."""
        wanted = set()
        for row in rows.iter_rows(named=True):
            for side in ("a", "b") if row["has_contr"] else ("b",):
                if row[f"begin_{side}"] is not None:
                    wanted.add((row["pid"], row[f"begin_{side}"] - 1, row["birth_e"]))
                src = row[f"{side}_src"]
                if src is not None and src >= 0 and src % 8 in (
                        _SRC_PEILDATUM, _SRC_BEFORE_STAY, _SRC_BIRTH_OR_BEFORE):
                    wanted.add((row["pid"], src // 8, row["birth_e"]))
        if not wanted:
            return {}
        q = pl.DataFrame(
            [(i, pid, day, day, birth) for i, (pid, day, birth) in enumerate(sorted(wanted, key=str))],
            schema={"qid": pl.Int64, "subject": rows.schema["pid"], "first": pl.Int32, "last": pl.Int32,
                    "born": pl.Int32},
            orient="row",
        )
        flags = readings_for(self.prep, q, "z").select("qid", "z_contr", "zj_first", "zj_has3", "zj_has4")
        d = pl.col("first")
        # Before birth only the reading "not registered" (registration.readings_between).
        cand = q.join(self.prep.records, left_on="subject", right_on="pid", how="inner").filter(
            (pl.col("van_e") <= d) & (pl.col("tot_l").is_null() | (pl.col("tot_l") > d))
            & (pl.col("born").is_null() | (d >= pl.col("born")))
        )
        certain = (pl.col("cert_from") <= d).fill_null(False)
        possible = (pl.col("poss_from") <= d).fill_null(False)
        # woonplaats_2022._aantekening_after: on a woonadres, placed after the day, by the
        # peildatum (the test of _aantekening_after_stay, per record).
        late = (pl.col("cls") == 2) & (pl.col("poss_from") > d).fill_null(False) & (
            pl.col("poss_from") <= self.prep.p).fill_null(False)
        per_query = (
            cand.with_columns(_route_key(certain | possible).alias("j1"), _route_key(certain).alias("j2"),
                              late.alias("late"))
            .group_by("qid")
            .agg(pl.concat_list("j1", "j2").explode().alias("k"),
                 pl.col("late").repeat_by(2).explode().alias("l"),
                 pl.col("late").sort_by("row").first().alias("first_late"))
        )
        found = flags.join(per_query, on="qid", how="left").join(q.select("qid", "subject", "first"), on="qid")
        out = {}
        for r in found.iter_rows(named=True):
            readings = set(zip(r["k"] or [], r["l"] or [], strict=True))
            for flag, key in (("zj_has3", Key.SUB_3), ("zj_has4", Key.SUB_4)):
                if r[flag]:
                    readings.add((key, False))
            first_key = r["zj_first"]
            first = (first_key, bool(r["first_late"]) and first_key not in (Key.SUB_3, Key.SUB_4))
            readings.add(first)
            out[(r["subject"], r["first"])] = {"readings": readings, "first": first, "contr": r["z_contr"]}
        return out


def route_outcomes(routes: Routes, index: pl.Expr, by_onderdeel: dict[int, Outcome]
                   ) -> list[tuple[pl.Expr, Outcome]]:
    """Reference: a clause table walked with ``first_route``. Per route (``index`` is the
    compiled position of the first that holds) its outcome: a review for the route's
    ``reden``, or what its onderdeel leads to (``by_onderdeel``)."""
    return [
        (index == i, review(REDEN_CODE[ReviewReden(route.reden)], route.onderdeel)
         if route.reden is not None else by_onderdeel[route.onderdeel or 0])
        for i, route in enumerate(routes)
    ]


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
        (pl.col("van_e") <= pl.col("last")) & (pl.col("tot_l").is_null() | (pl.col("tot_l") > pl.col("first")))
    )
    keys = cand.group_by("qid").agg(
        _mother_key(pl.col("alt")).unique().alias("k"),
        pl.col("is_first").any().alias("has_first"),
    )
    subjects = prep.personen.select(
        pl.col("pid").alias("subject"), pl.col("birth_e").alias("m_birth"), "first_van_l", "first_is_birth")
    df = q.join(subjects, on="subject", how="left").join(keys, on="qid", how="left")
    # The reading "no registration": before the mother's birth, or before her first record.
    none_only = (pl.col("last") < pl.col("m_birth")).fill_null(False) | pl.col("k").is_null()
    before_first = (
        pl.col("has_first").fill_null(False) & (pl.col("first") < pl.col("first_van_l")).fill_null(False)
        & ~(pl.col("m_birth").is_not_null() & pl.col("first_is_birth"))
    )
    out = {}
    for row in df.select("qid", "alt", "k", none_only.alias("none"), before_first.alias("before")).iter_rows(named=True):
        keys_ = [] if row["none"] else list(row["k"])
        if row["none"] or row["before"]:
            keys_.append(row["alt"])
        out[row["qid"]] = keys_
    return out


def decide_2015(prep: Prepared, youths: pl.DataFrame, on_day: pl.DataFrame,
                step: Step = _no_step) -> pl.DataFrame:
    """Reference: woonplaats_2015.decide: its declared ``CLAUSE_ROUTES`` and
    ``OUDER_ROUTES``, compiled. Returns (pid, outcome columns, route)."""
    p, peildatum = prep.p, prep.peildatum
    routes = woonplaats_2015.CLAUSE_ROUTES
    step("plaats van verblijf (2015)")
    # Reference: _actual_stay_reading (2°): the distinct municipality codes of the stays that
    # cover the peildatum (they all belong to the series that covers it). "t": reading
    # contradictory episodes as stays, "f": not.
    # Places count as the municipalities they belong to on the peildatum (their key): the
    # reference groups them by successors, and equal successor sets have equal keys.
    covering = prep.episodes.filter((pl.col("end") >= p) & pl.col("loc_code").is_not_null())
    as_stay = pl.col("verblijf") | pl.col("contradictory")
    locations = covering.group_by("pid").agg(
        pl.col("loc_key").filter(pl.col("verblijf")).n_unique().alias("n_f"),
        pl.col("loc_key").filter(pl.col("verblijf")).first().alias("loc_f"),
        pl.col("loc_key").filter(as_stay).n_unique().alias("n_t"),
        pl.col("loc_key").filter(as_stay).first().alias("loc_t"),
    )
    contr = (
        prep.episodes.filter(pl.col("contradictory")).select("pid").unique()
        .with_columns(pl.lit(True).alias("has_contr"))
    )
    step("woonadres ouder met gezag (2015)")
    # Reference: sub_1 and _parent_reading: the parent's readings on the peildatum, each
    # led by OUDER_ROUTES to 3° or to the gemeente of his woonadres.
    parent_queries = youths.filter(pl.col("gezag_ouder_id").is_not_null()).select(
        pl.col("pid").alias("qid"), pl.col("gezag_ouder_id").alias("subject"),
        pl.lit(p, pl.Int32).alias("first"), pl.lit(p, pl.Int32).alias("last"),
    )
    parent = readings_for(prep, parent_queries, "g", routes=woonplaats_2015.OUDER_ROUTES).select(
        pl.col("qid").alias("pid"), "g_contr", "gj_first", "gj_same", "gj_key")
    parent_records = prep.personen.select(
        pl.col("pid").alias("gezag_ouder_id"), pl.col("n_records").alias("ouder_records")
    )
    df = (
        youths.join(locations, on="pid", how="left")
        .join(on_day.select("pid", "pj_same", "pj_key"), on="pid", how="left")
        .join(contr, on="pid", how="left")
        .join(parent, on="pid", how="left")
        .join(parent_records, on="gezag_ouder_id", how="left")
        .join(adult_facts(prep), on="pid", how="left")
    )
    step("uitkomsten (2015)")

    def stay_reading(side: str, onderdeel: int | None) -> Outcome:
        # Reference: woonplaats_2015._actual_stay_reading. Several places: review; which
        # places is the set of codes, and the "t" set contains the "f" set, so its size
        # tells two sets apart.
        n = pl.col(f"n_{side}").fill_null(0)
        return choose(
            [
                (n == 1, resolved(pl.col(f"loc_{side}"), onderdeel)),
                (n > 1, review(TEGENSTRIJDIG, onderdeel, kand=Kandidaten.places(n))),
            ],
            werkelijke_verblijfplaats(onderdeel),
        )

    def actual_stay(onderdeel: int) -> Outcome:
        # Reference: woonplaats_2015._actual_stay: a contradictory episode read both ways.
        f, t = stay_reading("f", onderdeel), stay_reading("t", onderdeel)
        equal, _ = agree(t, f)
        return choose(
            [(~pl.col("has_contr").fill_null(False), f), (equal, t)],
            review(TEGENSTRIJDIG, onderdeel),
        )

    def actual_stay_open() -> pl.Expr:
        # The two readings' candidate sets (places, or places and the successors of a split)
        # may be one set although their encodings differ. The 2015 text compares them nowhere
        # else, so they decide only when the first reading ("as a stay") is not itself a
        # review for contradictory care: otherwise equal sets give that reading and unequal
        # sets a review for the same reason under the same onderdeel -- the same answer.
        f, t = stay_reading("f", 2), stay_reading("t", 2)
        _, open_ = agree(t, f)
        return pl.col("has_contr").fill_null(False) & open_ & (t["reden"] != TEGENSTRIJDIG).fill_null(True)

    same, key, first = pl.col("gj_same"), pl.col("gj_key"), pl.col("gj_first")
    # 3°: the werkelijke verblijfplaats at the help request (not a stay on the peildatum).
    sub_3 = werkelijke_verblijfplaats(3)
    sub_1 = choose(
        [(same & (key == Key.SUB_3), sub_3), (same, resolved(key, 1))],
        review(_ambiguity("g_contr"), pl.when(first == Key.SUB_3).then(3).otherwise(1)),
    )
    clause = compile_route_index(routes, {
        **age_env(peildatum),
        GEZAG_SOORT.name: pl.col("gezag_soort"),
        OUDER_HISTORIE.name: pl.col("gezag_ouder_id").is_not_null()
        & (pl.col("ouder_records").fill_null(0) > 0),
    })
    applies, pre = check_jeugdige(peildatum)
    *branches, (_, last) = route_outcomes(routes, clause, {1: sub_1, 2: actual_stay(2), 3: sub_3})
    outcome = choose([(applies, pre), *branches], last)
    # Only where the actual stay is the answer (2°), not before (no jeugdige).
    stay_routes = [i for i, r in enumerate(routes) if r.onderdeel == 2 and r.reden is None]
    uses_stay = ~applies & clause.is_in(stay_routes).fill_null(False)
    return df.lazy().select(
        "pid", *named(outcome, "u"), (uses_stay & actual_stay_open()).alias("route"), _registered()
    ).collect()


def _registered() -> pl.Expr:
    """Where the youth is registered on the peildatum, when the facts say so without doubt:
    the municipality the reports attribute review cases to."""
    key = pl.col("pj_key")
    return (
        pl.when(pl.col("pj_same") & Key.is_gemeente(key)).then(key)
        .cast(pl.Int32).alias("inschrijving")
    )


def regel_for(peildatum: date, regel: str) -> str | None:
    """Which version applies: ``auto`` follows the peildatum like the reference engine."""
    if regel != REGEL_AUTO:
        return regel
    if peildatum >= woonplaats_2022.GELDIG_VANAF:
        return REGEL_2022
    if peildatum >= woonplaats_2015.GELDIG_VANAF:
        return REGEL_2015
    return None


RESULT_SCHEMA = {
    "persoon_id": pl.Int64,
    "status": pl.String,
    "gemeente": pl.String,
    "onderdeel": pl.Int8,
    "reden": pl.String,
    "via_referentie": pl.Boolean,
    "inschrijvingsgemeente": pl.String,
}


def decide_population(
    population: Population,
    peildatum: date,
    register: GemeenteRegister,
    *,
    regel: str = REGEL_AUTO,
    persoon_ids: pl.Series | None = None,
    prepared: Prepared | None = None,
    on_day: pl.DataFrame | None = None,
    step: Step = _no_step,
    split_code: bool = False,
) -> pl.DataFrame:
    """One row per youth (``is_jeugdige``, or the ids given) with the answer on the peildatum.

    Columns: persoon_id, status, gemeente, onderdeel, reden, via_referentie (decided by
    the reference engine, see the module docstring) and inschrijvingsgemeente (where the
    youth is registered on the peildatum when that is certain; for the reports). ``regel``
    is ``auto`` (the version in force on the peildatum), ``2022`` or ``2015`` (apply that
    version whatever the peildatum, for the migration comparison). ``split_code`` adds the
    column ``gesplitste_code``: for a review of a split municipality, the code whose
    successors are the candidates.
    """
    version = regel_for(peildatum, regel)
    prep = prepared or prepare(population, peildatum, register, step)
    youths = prep.personen.filter(pl.col("is_jeugdige"))
    if persoon_ids is not None:
        youths = youths.filter(pl.col("pid").is_in(persoon_ids.implode()))
    if version is None:
        # Reference: engine.decide before 2015: the Jeugdwet did not apply.
        out = youths.select("pid", *named(review(WET_NIET, None), "u"), pl.lit(False).alias("route"))
    else:
        if on_day is None:
            step("inschrijving op de peildatum")
            on_day = readings_on_peildatum(prep)
        rule = decide_2022 if version == REGEL_2022 else decide_2015
        out = rule(prep, youths, on_day, step)
    step("uitkomsten samenstellen")
    if "inschrijving" not in out.columns:
        out = out.with_columns(pl.lit(None, pl.Int32).alias("inschrijving"))
    result = out.select(
        pl.col("pid").alias("persoon_id"),
        pl.when(pl.col("u_status") == STATUS_BEPAALD).then(pl.lit(Status.BEPAALD.value))
        .otherwise(pl.lit(Status.REVIEW.value)).alias("status"),
        pl.col("u_gemeente").cast(pl.String).str.zfill(4).alias("gemeente"),
        pl.col("u_onderdeel").alias("onderdeel"),
        pl.col("u_reden").replace_strict(
            list(range(len(REDENEN))), [r.value for r in REDENEN], default=None,
            return_dtype=pl.String,
        ).alias("reden"),
        pl.col("route").alias("via_referentie"),
        pl.col("inschrijving").cast(pl.String).str.zfill(4).alias("inschrijvingsgemeente"),
        *([pl.when(pl.col("u_reden") == GESPLITST).then(pl.col("u_kand")).cast(pl.String)
           .str.zfill(4).alias("gesplitste_code")] if split_code else []),
    )
    routed = result.filter(pl.col("via_referentie"))
    if routed.height:
        step(f"{routed.height} personen via de referentie-engine")
        result = _decide_by_reference(result, routed["persoon_id"], population, peildatum, register, version)
    return result


def _decide_by_reference(result: pl.DataFrame, ids: pl.Series, population: Population,
                         peildatum: date, register: GemeenteRegister, version: str) -> pl.DataFrame:
    """The reference engine's answer for the persons the columnar rules route to it."""
    wanted = ids.implode()
    persons = population.personen.filter(pl.col("persoon_id").is_in(wanted))
    related = pl.concat([persons["persoon_id"], persons["moeder_id"], persons["gezag_ouder_id"]]).drop_nulls()
    assembler = CaseAssembler(population.filter_persons(related.unique().to_list()))
    rule = woonplaats_2022.decide if version == REGEL_2022 else woonplaats_2015.decide
    rows = []
    for pid in ids.to_list():
        outcome, _ = rule(assembler.case(pid, peildatum), register)
        rows.append({
            "persoon_id": pid,
            "status": outcome.status.value,
            "gemeente": outcome.gemeente,
            "onderdeel": outcome.grondslag.onderdeel if outcome.grondslag else None,
            "reden": outcome.reden.value if outcome.reden else None,
            "via_referentie": True,
        })
    fixed = pl.DataFrame(rows, schema={k: v for k, v in RESULT_SCHEMA.items() if k != "inschrijvingsgemeente"})
    return result.update(fixed, on="persoon_id", include_nulls=True)


__all__ = [
    "REGEL_2015",
    "REGEL_2022",
    "REGEL_AUTO",
    "RESULT_SCHEMA",
    "Prepared",
    "decide_population",
    "prepare",
    "readings_on_peildatum",
    "regel_for",
]
