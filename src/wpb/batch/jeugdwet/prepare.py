"""The tables of a population reduced to what the Jeugdwet rules read, for one peildatum.

Dates become day numbers (Int32 days since 1970-01-01); the BRP records get the declared
record predicates (woonadres, buitenland, ingezetene) and the first days an aantekening holds
(:mod:`wpb.law.spans`), compiled; the care episodes get the declared episode predicates; every
gemeentecode gets its :class:`~wpb.batch.jeugdwet.outcomes.Key` on the peildatum.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, timedelta

import polars as pl

from wpb.batch.compile import compile_aantekening_from, compile_term
from wpb.batch.jeugdwet.outcomes import Key
from wpb.law.dates import Precision
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.predicates import (
    BUITENLAND,
    INGEZETENE_ADRES,
    JEUGDHULP,
    JJI_GERELATEERD,
    JJI_VERBLIJF,
    STRAFRECHTELIJK,
    TEGENSTRIJDIGE_JEUGDHULP,
    WOONADRES,
)
from wpb.law.spans import (
    AANTEKENINGEN,
    BEGIN,
    BEGONNEN_OP_DAG,
    DAG,
    EINDE,
    HISTORIE_SLUITING,
    LOOPT_OP_DAG,
    VAN_LAATST,
    VAN_VROEGST,
)
from wpb.population.schema import Population

# Dates are whole days since 1970-01-01 (Int32) inside the engine.
_EPOCH = date(1970, 1, 1)
_BEFORE_ALL = -(10**9)  # "from any day on" for an aantekening without a vanaf date
_NONE = -(2**31) + 1  # "no later record" while filling backwards
_OPEN_END = 10**9  # an episode without einde


def day_number(d: date) -> int:
    return (d - _EPOCH).days


def _date(day: int | None) -> date | None:
    """The date of a day number (None stays None), for the core's predicates."""
    return None if day is None else _EPOCH + timedelta(days=day)


Step = Callable[[str], None]


def _no_step(_: str) -> None:
    return None



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
    # The closure of the history, declared once (spans.HISTORIE_SLUITING; reference:
    # registration.ordered_history, a fold): its order, then the source (volgnr), per person.
    closure = HISTORIE_SLUITING
    order = ["persoon_id", *(_RECORD_COLUMNS[f.name] for f in closure.volgorde), "volgnr"]
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

    # HISTORIE_SLUITING closes an open record with the begin of the next record that begins
    # *later* (its begin fields differ); records beginning on the same day(s) stay open side
    # by side. Per row: the begin of the first later record of the person (filled backwards
    # over a run of equal begins), or "none" (a sentinel) when there is none.
    van_l = _days("van_laatst")
    has_next = same_next.fill_null(False)
    tie_next = has_next
    for f in closure.begin:
        column = pl.col(_RECORD_COLUMNS[f.name])
        tie_next = tie_next & (column.shift(-1) == column)
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
    episodes = population.jeugdhulp.filter(begun_by(pl.lit(peildatum))).select(
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


# The columns of the verblijfplaatsen table of the fields of spans.HISTORIE_SLUITING.
_RECORD_COLUMNS = {VAN_VROEGST.name: "van_vroegst", VAN_LAATST.name: "van_laatst"}


def begun_by(day: pl.Expr) -> pl.Expr:
    """An episode (columns ``begin``, ``end``) has begun on ``day``: the declared
    ``spans.BEGONNEN_OP_DAG``, compiled (reference: ``spans.begonnen_op``). Only episodes
    begun by the peildatum are kept (the reference's series and clauses read no others)."""
    return compile_term(BEGONNEN_OP_DAG, {BEGIN.name: pl.col("begin"), DAG.name: day})


def runs_on(day: pl.Expr) -> pl.Expr:
    """An episode of ``Prepared.episodes`` runs on ``day`` (a day number), its einde
    inclusive: the declared ``spans.LOOPT_OP_DAG``, compiled (reference: ``Jeugdhulp.covers``,
    ``spans.loopt_op``); a running episode's ``end`` is ``_OPEN_END``."""
    return compile_term(LOOPT_OP_DAG, {BEGIN.name: pl.col("begin"), EINDE.name: pl.col("end"),
                                       DAG.name: day})


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
