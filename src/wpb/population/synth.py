"""A synthetic population of youths 0-22 with their mothers, BRP histories and care.

No real person's data is used: every value is drawn from seeded random numbers with the
proportions documented in docs/population.md. Generation is vectorised (numpy and polars
over whole columns); there is no Python loop per person, so the full country (4.5 million
youths) fits in about a minute and a few GB.

Outline (each step is one vectorised pass):

1. Municipalities: every municipality of the extract date gets a size weight (a log-normal
   spread, see :func:`municipality_weights`); an address is placed in a *territory* (a
   municipality of today) and then in the code that existed there on the record's begin
   date, so older addresses carry the codes of municipalities that later merged or split.
2. Mothers (and a few fathers with gezag): birth, an optional immigration date, and a
   history of moves.
3. Children: born to the mothers; the registration at birth is the mother's address then;
   children move with their mother until they leave home, then on their own.
4. Rare situations inserted into the youths' histories: periods abroad, verblijfplaats
   onbekend, RNI, Locatie, aantekeningen (art. 2.26 Wet BRP), incomplete dates.
5. Care: ambulant episodes and stays (series, foster care from birth, JJI, 18+), stay
   addresses registered in the BRP, gezag and the werkelijke verblijfplaats.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl

from wpb.law.dates import FAR_FUTURE, FAR_PAST, Precision
from wpb.law.facts import JeugdhulpVorm, VerblijfplaatsSoort
from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE, GemeenteRegister
from wpb.population.schema import (
    JEUGDHULP,
    PERSONEN,
    VERBLIJFPLAATSEN,
    Population,
    conform,
)

YEAR = 365.25
_EPOCH = date(1970, 1, 1)
DEFAULT_EXTRACT_DATE = date(2025, 1, 1)

# Sizes of the four largest municipalities (rounded public figures, inhabitants), so the
# head of the distribution looks like the country; every other size is drawn at random.
KNOWN_SIZES = {"0363": 930_000, "0599": 670_000, "0518": 560_000, "0344": 370_000}
# Tabel 34 land codes used for addresses abroad.
LANDEN = ("5010", "9089", "7028", "6043", "5022", "5007")

# A record type's code in the generator's arrays.
T_ADRES, T_LOCATIE, T_BUITENLAND, T_ONBEKEND = 0, 1, 2, 3
TYPE_NAMES = [
    VerblijfplaatsSoort.ADRES.value,
    VerblijfplaatsSoort.LOCATIE.value,
    VerblijfplaatsSoort.BUITENLAND.value,
    VerblijfplaatsSoort.ONBEKEND.value,
]
P_DAY, P_MONTH, P_YEAR, P_UNKNOWN = 0, 1, 2, 3
PRECISION_NAMES = [p.value for p in (Precision.DAY, Precision.MONTH, Precision.YEAR, Precision.UNKNOWN)]
STAY_VORMEN = (
    JeugdhulpVorm.PLEEGOUDER, JeugdhulpVorm.JEUGDHULPAANBIEDER, JeugdhulpVorm.GEZINSHUIS,
    JeugdhulpVorm.OPVANG, JeugdhulpVorm.BESCHERMD_WONEN, JeugdhulpVorm.JJI,
)
STAY_VORM_P = (0.45, 0.33, 0.10, 0.04, 0.03, 0.05)


@dataclass(frozen=True)
class Rates:
    """The proportions of the generator (docs/population.md gives their sources)."""

    # Families: youths 0-22 per mother (children born before the window are not youths).
    children_per_mother: tuple[float, ...] = (0.0, 0.38, 0.40, 0.16, 0.06)
    mother_age_at_first_child: tuple[float, float] = (29.8, 4.6)  # mean, sd in years
    mother_immigrated: float = 0.18
    father_with_gezag: float = 0.04
    # Moves per year.
    mother_moves: float = 0.09
    youth_moves_own: float = 0.32  # after leaving home
    leaves_home_by_23: float = 0.55
    move_other_municipality: float = 0.38
    # Rare situations in youths' histories (share of youths).
    abroad_period: float = 0.015
    abroad_returns: float = 0.6
    onbekend: float = 0.003
    rni: float = 0.002
    locatie: float = 0.004
    in_onderzoek: float = 0.004
    niet_op_adres: float = 0.002
    briefadres: float = 0.002  # a postal address (functie adres B), not a woonadres
    # Incomplete dates (share of record begin dates; births of immigrants).
    date_month: float = 0.008
    date_year: float = 0.002
    date_unknown: float = 0.0005
    open_before_next: float = 0.002
    birth_partial_immigrant: float = 0.05
    # Care.
    jeugdhulp: float = 0.15  # youths with at least one episode in the last four years
    with_stay: float = 0.12  # of those: at least one stay
    stays_in_series: tuple[float, ...] = (0.0, 0.65, 0.25, 0.10)
    series_gap: float = 0.2  # a next stay begins after a gap (the series breaks)
    foster_from_birth: float = 0.02  # of youths with a stay
    stay_registered: float = 0.5  # stay address registered in the BRP
    contradictory: float = 0.01  # stay episodes recorded as ambulant
    jji_aftercare: float = 0.5  # of ended JJI stays: followed by nazorg or jeugdreclassering
    voogdij: float = 0.2  # of minors with a stay
    gezag_unknown: float = 0.005
    wvp_missing_care: float = 0.05
    wvp_known_no_care: float = 0.5

    def scaled(self, factor: float) -> Rates:
        """The same rates with every *rare situation* multiplied by ``factor`` (tests)."""
        rare = (
            "abroad_period", "onbekend", "rni", "locatie", "in_onderzoek", "niet_op_adres", "briefadres",
            "date_month", "date_year", "date_unknown", "open_before_next", "contradictory",
            "foster_from_birth", "birth_partial_immigrant", "gezag_unknown",
        )
        changes = {k: min(0.5, getattr(self, k) * factor) for k in rare}
        return Rates(**{**self.__dict__, **changes})


@dataclass(frozen=True)
class SynthConfig:
    personen: int
    seed: int
    extract_date: date = DEFAULT_EXTRACT_DATE
    rates: Rates = field(default_factory=Rates)


Progress = Callable[[str], None]


def _day(d: date) -> int:
    return (d - _EPOCH).days


def _to_date(days: np.ndarray) -> pl.Series:
    return pl.Series(days.astype(np.int32)).cast(pl.Date)


# --- municipalities ---------------------------------------------------------------------------


def municipality_weights(register: GemeenteRegister, on: date) -> tuple[list[str], np.ndarray]:
    """Codes of the municipalities existing ``on`` with a plausible relative size.

    No population figures are bundled: sizes are log-normal (median 28,000, sigma 0.75, a
    shape close to the Dutch spread of municipality sizes) drawn with a fixed seed, so
    they are a stable property of the generator, with the four largest set to their
    rounded real size. They are not the real sizes of the municipalities.
    """
    codes = [g.code for g in register.on(on) if g.code not in (RNI_CODE, UNKNOWN_CODE)]
    rng = np.random.default_rng(20_250_101)
    sizes = rng.lognormal(mean=math.log(28_000), sigma=0.75, size=len(codes))
    for i, code in enumerate(codes):
        if code in KNOWN_SIZES:
            sizes[i] = KNOWN_SIZES[code]
    return codes, sizes / sizes.sum()


def territory_pieces(register: GemeenteRegister, codes: list[str], on: date) -> pl.DataFrame:
    """Every code that ever covered (part of) a municipality of ``on``, with its lifetime.

    ``t`` indexes ``codes``; an address placed in territory ``t`` on a day gets one of the
    pieces that existed then: the municipality itself, or the ended ones that went into it.
    """
    index = {c: i for i, c in enumerate(codes)}
    rows = []
    for g in register:
        if g.code in (RNI_CODE, UNKNOWN_CODE):
            continue
        try:
            successors = register.successors(g.code, on)
        except ValueError:
            continue  # ended without a recorded successor (pre-GBA codes)
        for t in successors.codes:
            if t not in index:
                continue
            own = g.code == t
            rows.append({
                "t": index[t],
                "code": int(g.code),
                "begin": _day(g.begin) if g.begin else _day(FAR_PAST),
                "end": _day(g.einde) if g.einde else _day(FAR_FUTURE),
                # The municipality itself weighs more than each former part of it.
                "w": 3.0 if own else 1.0,
            })
    return pl.DataFrame(rows, schema={"t": pl.Int32, "code": pl.Int32, "begin": pl.Int32,
                                      "end": pl.Int32, "w": pl.Float64})


def place(events: pl.DataFrame, pieces: pl.DataFrame, seed: int) -> pl.Series:
    """The gemeentecode (as int) for each event (eid, t, day): a piece of t existing that day.

    Falls back to the territory's own code when no piece existed (a date before the
    register's horizon).
    """
    own = pieces.filter(pl.col("w") == 3.0).select("t", pl.col("code").alias("own"))
    multi = pieces.group_by("t").agg(pl.len().alias("n")).filter(pl.col("n") > 1).select("t")
    todo = events.join(multi, on="t", how="semi")
    chosen = (
        todo.join(pieces, on="t", how="inner")
        .filter((pl.col("begin") <= pl.col("day")) & (pl.col("day") < pl.col("end")))
        .with_columns(
            # Weighted choice by exponential races: the smallest -log(u)/w wins.
            (-(pl.int_range(pl.len()).hash(seed).cast(pl.Float64) / 2.0**64 + 1e-12).log()
             / pl.col("w")).alias("race")
        )
        .group_by("eid")
        .agg(pl.col("code").sort_by("race").first().alias("chosen"))
    )
    result = (
        events.join(chosen, on="eid", how="left")
        .join(own, on="t", how="left")
        .select(pl.coalesce("chosen", "own").alias("code"), "eid")
        .sort("eid")
    )
    return result["code"]


# --- BSN ---------------------------------------------------------------------------------------


_BSN_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2], dtype=np.int64)


def synthetic_bsns(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` distinct 9-digit numbers starting with 9 that pass the 11-proef, in random order.

    Numbers starting with 9 (including RvIG's test range 99999xxxx) are used so the files
    are recognisable as synthetic; docs/population.md says why and what that does not
    guarantee. Every 8-digit prefix gives at most one check digit, so about 9.1 million
    exist.
    """
    space = 10_000_000
    if n > space * 10 // 11:  # at most one valid check digit per prefix, ~10 in 11 prefixes
        raise ValueError(f"te veel personen ({n}) voor de synthetische BSN-reeks (9xxxxxxxx)")
    want = min(space, int(n * 1.15) + 1_000)
    prefixes = 90_000_000 + rng.choice(space, size=want, replace=False).astype(np.int64)
    total = np.zeros(want, np.int64)
    rest = prefixes.copy()
    for weight in (2, 3, 4, 5, 6, 7, 8, 9):  # from the last prefix digit to the first
        total += weight * (rest % 10)
        rest //= 10
    check = total % 11
    valid = prefixes[check < 10] * 10 + check[check < 10]
    if valid.size < n:
        raise ValueError(f"te veel personen ({n}) voor de synthetische BSN-reeks (9xxxxxxxx)")
    return valid[:n].astype("U9")


# --- the generator ------------------------------------------------------------------------------


class _Gen:
    def __init__(self, config: SynthConfig, register: GemeenteRegister, progress: Progress):
        self.c = config
        self.r = config.rates
        self.register = register
        self.progress = progress
        self.rng = np.random.default_rng(config.seed)
        self.x = _day(config.extract_date)
        self.codes, self.weights = municipality_weights(register, config.extract_date)
        self.pieces = territory_pieces(register, self.codes, config.extract_date)
        self.cum_weights = np.cumsum(self.weights)
        self._salt = 0

    def salt(self) -> int:
        self._salt += 1
        return self.c.seed * 1_000 + self._salt

    def territory(self, n: int) -> np.ndarray:
        u = self.rng.random(n)
        return np.minimum(np.searchsorted(self.cum_weights, u, side="right"), len(self.codes) - 1).astype(np.int32)

    # -- people --

    def families(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Mothers and their children who are youths (born in the 23 years before the extract)."""
        n, r, x = self.c.personen, self.r, self.x
        window = int(23 * YEAR)
        p = np.array(r.children_per_mother) / sum(r.children_per_mother)
        mean_kids = float((np.arange(len(p)) * p).sum())
        mothers_parts, kids_parts = [], []
        have, offset = 0, 0
        while have < n:
            m = int((n - have) / mean_kids * 1.6) + 16
            kids = self.rng.choice(len(p), size=m, p=p)
            # First child anywhere from 8 years before the window on, so older siblings
            # fall outside the population as in reality.
            first = x - window - int(8 * YEAR) + self.rng.integers(0, window + int(8 * YEAR), size=m)
            mother = np.repeat(np.arange(m), kids)
            order = np.arange(mother.size) - np.repeat(np.cumsum(kids) - kids, kids)
            gaps = np.where(order == 0, 0, (1.2 * YEAR + self.rng.gamma(2.0, 0.9 * YEAR, mother.size)).astype(np.int64))
            cum = np.cumsum(gaps)
            first_idx = np.cumsum(kids) - kids
            start = np.repeat(np.concatenate([cum, [0]])[first_idx], kids)
            birth = first[mother] + (cum - start)
            keep = (birth >= x - window) & (birth < x)
            kid_mother = mother[keep] + offset
            kid_birth = birth[keep]
            take = min(n - have, kid_birth.size)
            kid_mother, kid_birth = kid_mother[:take], kid_birth[:take]
            used = np.unique(kid_mother)
            mothers_parts.append(pl.DataFrame({"m": np.arange(offset, offset + m), "first_child": first}).filter(pl.col("m").is_in(used)))
            kids_parts.append(pl.DataFrame({"m": kid_mother, "birth": kid_birth}))
            have += take
            offset += m
        mothers = pl.concat(mothers_parts)
        kids = pl.concat(kids_parts)
        mean, sd = r.mother_age_at_first_child
        k = mothers.height
        age_first = np.clip(self.rng.normal(mean, sd, k), 16, 45) * YEAR
        m_birth = mothers["first_child"].to_numpy() - age_first.astype(np.int64)
        immigrated = self.rng.random(k) < r.mother_immigrated
        imm_day = m_birth + ((18 + self.rng.random(k) * 14) * YEAR).astype(np.int64)
        mothers = mothers.with_columns(
            pl.Series("birth", m_birth),
            pl.Series("start", np.where(immigrated, np.minimum(imm_day, x - 30), m_birth)),
        )
        return mothers, kids

    def moves(self, owners: np.ndarray, start: np.ndarray, end: np.ndarray, rate: float,
              first_territory: np.ndarray | None = None) -> pl.DataFrame:
        """Address records for each owner from ``start``: a first address, then moves."""
        years = np.maximum(end - start, 0) / YEAR
        k = self.rng.poisson(rate * years)
        total = k + 1
        owner = np.repeat(owners, total)
        base = np.repeat(start, total)
        span = np.repeat(np.maximum(end - start, 1), total)
        pos = np.arange(owner.size) - np.repeat(np.cumsum(total) - total, total)
        offsets = np.where(pos == 0, 0, (self.rng.random(owner.size) * span).astype(np.int64))
        day = base + offsets
        # Sort the moves of each owner by day (owners are contiguous).
        order = np.lexsort((day, owner))
        owner, day, pos = owner[order], day[order], pos[order]
        pos = np.arange(owner.size) - np.repeat(np.cumsum(total) - total, total)
        t = self.territory(owner.size)
        if first_territory is not None:
            t[pos == 0] = np.repeat(first_territory, total)[pos == 0]
        # Most moves stay within the municipality.
        stay_local = (pos > 0) & (self.rng.random(owner.size) > self.r.move_other_municipality)
        idx = np.arange(owner.size)
        prev = np.maximum.accumulate(np.where(~stay_local, idx, 0))
        t = t[prev]
        return pl.DataFrame({"owner": owner, "day": day, "t": t, "type": np.full(owner.size, T_ADRES, np.int8)})

    def codes_for(self, events: pl.DataFrame) -> pl.DataFrame:
        events = events.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias("eid"))
        code = place(events.select("eid", "t", "day"), self.pieces, self.salt())
        return events.with_columns(code.alias("code")).drop("eid")

    def generate(self) -> Population:
        r, x, rng = self.r, self.x, self.rng
        self.progress("gezinnen")
        mothers, kids = self.families()
        n_m, n_k = mothers.height, kids.height
        mothers = mothers.with_columns(pl.int_range(n_m).alias("mi"))
        kids = kids.join(mothers.select("m", "mi"), on="m", how="left").with_columns(
            pl.int_range(n_k).alias("ki")
        )
        # Person ids: youths 1..n, then mothers, then fathers.
        mother_id0 = n_k + 1

        self.progress("adresgeschiedenis moeders")
        m_hist = self.moves(
            mothers["mi"].to_numpy(), mothers["start"].to_numpy(), np.full(n_m, x), r.mother_moves
        )
        m_hist = self.codes_for(m_hist)
        m_hist = m_hist.sort("owner", "day")

        self.progress("inschrijving bij de geboorte")
        kids = kids.sort("birth")
        at_birth = kids.join_asof(
            m_hist.sort("day").select(pl.col("owner").alias("mi"), pl.col("day").alias("mday"), "code", "t"),
            left_on="birth", right_on="mday", by="mi", strategy="backward", check_sortedness=False,
        )
        # Born while the mother was not (yet) registered: the child arrives with her later.
        nxt = kids.join_asof(
            m_hist.sort("day").select(pl.col("owner").alias("mi"), pl.col("day").alias("nday"), pl.col("code").alias("ncode"), pl.col("t").alias("nt")),
            left_on="birth", right_on="nday", by="mi", strategy="forward", check_sortedness=False,
        ).select("ki", "nday", "ncode", "nt")
        kids = at_birth.join(nxt, on="ki", how="left").sort("ki")
        born_here = kids["code"].is_not_null().to_numpy()
        leave_age = 18 + rng.random(n_k) * 5
        leaves = rng.random(n_k) < r.leaves_home_by_23
        birth = kids["birth"].to_numpy()
        leave_day = np.where(leaves, birth + (leave_age * YEAR).astype(np.int64), np.iinfo(np.int64).max // 4)
        first_day = np.where(born_here, birth, kids["nday"].fill_null(x - 1).to_numpy())
        first_code = np.where(born_here, kids["code"].fill_null(0).to_numpy(), kids["ncode"].fill_null(int(RNI_CODE)).to_numpy())
        first_t = np.where(born_here, kids["t"].fill_null(0).to_numpy(), kids["nt"].fill_null(0).to_numpy())
        first_type = np.full(n_k, T_ADRES, np.int8)
        kids = kids.with_columns(
            pl.Series("first_day", first_day), pl.Series("leave_day", leave_day),
            pl.Series("first_t", first_t.astype(np.int32)),
        )

        self.progress("adresgeschiedenis jeugdigen")
        first = pl.DataFrame({
            "owner": kids["ki"].to_numpy(), "day": first_day, "t": first_t.astype(np.int32),
            "type": first_type, "code": first_code.astype(np.int32),
        })
        # Moves with the mother until leaving home.
        with_mother = (
            kids.select(pl.col("ki").alias("owner"), "mi", "first_day", "leave_day")
            .join(m_hist.rename({"owner": "mi"}), on="mi", how="inner")
            .filter((pl.col("day") > pl.col("first_day")) & (pl.col("day") < pl.col("leave_day")))
            .select("owner", "day", "t", "type", "code")
        )
        # Own moves after leaving home.
        left = np.flatnonzero(leave_day < x)
        own = self.moves(left, leave_day[left], np.full(left.size, x), r.youth_moves_own)
        own = self.codes_for(own)
        parts = [first, with_mother, own.select("owner", "day", "t", "type", "code")]
        y_hist = pl.concat([p.cast({"owner": pl.Int64, "day": pl.Int64, "t": pl.Int32, "type": pl.Int8, "code": pl.Int32}) for p in parts])

        self.progress("jeugdhulp")
        episodes, stay_addresses, stay_youth, voogdij_ok = self.care(kids)

        self.progress("bijzondere situaties")
        y_hist = self.rare(y_hist, kids, stay_addresses)

        self.progress("datums, aantekeningen en tabellen")
        personen = self.persons(kids, mothers, stay_youth, voogdij_ok, episodes, y_hist, mother_id0)
        fathers = personen.filter(pl.col("_father"))
        f_hist = pl.DataFrame(schema={"owner": pl.Int64, "day": pl.Int64, "t": pl.Int32, "type": pl.Int8, "code": pl.Int32})
        if fathers.height:
            fh = self.moves(fathers["persoon_id"].to_numpy(), fathers["_start"].to_numpy(), np.full(fathers.height, x), r.mother_moves)
            f_hist = self.codes_for(fh)
        records = pl.concat([
            y_hist.with_columns((pl.col("owner") + 1).alias("pid"), pl.lit(True).alias("youth")),
            m_hist.with_columns((pl.col("owner") + mother_id0).alias("pid"), pl.lit(False).alias("youth")),
            f_hist.with_columns(pl.col("owner").alias("pid"), pl.lit(False).alias("youth")),
        ], how="diagonal_relaxed")
        verblijfplaatsen = self.records(records, personen)
        personen = conform(personen.drop("_father", "_start"), PERSONEN)
        jeugdhulp = conform(episodes, JEUGDHULP)
        return Population(personen, verblijfplaatsen, jeugdhulp)

    # -- care --

    def care(self, kids: pl.DataFrame):
        r, x, rng = self.r, self.x, self.rng
        n = kids.height
        birth = kids["birth"].to_numpy()
        in_care = rng.random(n) < r.jeugdhulp
        has_stay = in_care & (rng.random(n) < r.with_stay)
        rows = []
        # Ambulant episodes: one or two in the last four years.
        amb = np.flatnonzero(in_care & ~has_stay)
        k = 1 + (rng.random(amb.size) < 0.3)
        who = np.repeat(amb, k)
        lo = np.maximum(birth[who], x - int(4 * YEAR))
        begin = lo + (rng.random(who.size) * np.maximum(x - lo, 1)).astype(np.int64)
        einde = begin + (90 + rng.gamma(2.0, 150, who.size)).astype(np.int64)
        rows.append(pl.DataFrame({
            "ki": who, "begin": begin, "einde": einde, "verblijf": np.zeros(who.size, bool),
            "vorm": pl.Series(np.where(rng.random(who.size) < 0.7, JeugdhulpVorm.JEUGDHULPAANBIEDER.value, None).tolist(), dtype=pl.String),
            "loc_t": np.full(who.size, -1, np.int32),
        }))
        # Stays: series of one to three, sometimes from birth.
        st = np.flatnonzero(has_stay)
        p = np.array(r.stays_in_series) / sum(r.stays_in_series)
        k = rng.choice(len(p), size=st.size, p=p)
        who = np.repeat(st, k)
        pos = np.arange(who.size) - np.repeat(np.cumsum(k) - k, k)
        from_birth = np.repeat(rng.random(st.size) < r.foster_from_birth, k)
        lo = np.maximum(birth[who], x - int(4 * YEAR))
        first_begin = lo + (rng.random(who.size) * np.maximum(x - lo, 1)).astype(np.int64)
        first_begin = np.where(from_birth, birth[who], first_begin)
        vorm_i = rng.choice(len(STAY_VORMEN), size=who.size, p=STAY_VORM_P)
        vorm_i = np.where(from_birth, 0, vorm_i)
        # JJI stays are short; other stays last months to years.
        dur = np.where(vorm_i == 5, 30 + rng.gamma(2.0, 60, who.size),
                       60 + rng.gamma(2.0, 250, who.size)).astype(np.int64)
        gap = np.where(rng.random(who.size) < r.series_gap, 2 + rng.integers(0, 60, who.size),
                       np.where(rng.random(who.size) < 0.25, 0, 1))
        begin = np.empty(who.size, np.int64)
        einde = np.empty(who.size, np.int64)
        for step in range(int(k.max()) if k.size else 0):
            # A loop over the (at most three) positions in a series, not over persons.
            sel = pos == step
            if step == 0:
                begin[sel] = first_begin[sel]
            else:
                prev = np.flatnonzero(sel) - 1
                begin[sel] = einde[prev] + gap[sel]
            einde[sel] = begin[sel] + dur[sel]
        vorm = np.array([v.value for v in STAY_VORMEN], dtype=object)[vorm_i]
        verblijf = rng.random(who.size) >= r.contradictory
        loc_t = np.where(rng.random(who.size) < 0.6, self.territory(who.size), -1).astype(np.int32)
        rows.append(pl.DataFrame({
            "ki": who, "begin": begin, "einde": einde, "verblijf": verblijf,
            "vorm": pl.Series(vorm.tolist(), dtype=pl.String), "loc_t": loc_t,
        }))
        rows.append(self.jji_aftercare(who, einde, (vorm_i == 5) & verblijf))
        eps = pl.concat(rows, how="diagonal").filter(pl.col("begin") < x)
        # Open episodes: those still running at the extract date.
        eps = eps.with_columns(pl.when(pl.col("einde") >= x).then(None).otherwise(pl.col("einde")).alias("einde"))
        # The location: another municipality (loc_t), else the youth's own at the start.
        home = kids.select("ki", "first_t")
        eps = eps.join(home, on="ki", how="left").with_columns(
            pl.when(pl.col("loc_t") >= 0).then(pl.col("loc_t")).otherwise(pl.col("first_t")).alias("t"),
            pl.col("begin").alias("day"),
        )
        eps = self.codes_for(eps)
        ambulant_loc = (~pl.col("verblijf")) & (pl.col("vorm") == JeugdhulpVorm.JEUGDHULPAANBIEDER.value)
        eps = eps.with_columns(
            pl.when(ambulant_loc | pl.col("verblijf")).then(pl.col("code")).alias("code")
        ).sort("ki", "begin")
        eps = eps.with_columns(pl.int_range(pl.len()).over("ki").alias("volgnr"))
        # Stays registered in the BRP: the youth moves to the stay address and back.
        stay_rows = eps.filter(pl.col("verblijf") & (pl.col("vorm") != JeugdhulpVorm.JJI.value))
        reg = stay_rows.filter(pl.Series(rng.random(stay_rows.height) < r.stay_registered))
        reg = reg.with_columns(pl.Series("delay", rng.integers(0, 45, reg.height)))
        stay_addresses = reg.select(
            pl.col("ki").alias("owner"), (pl.col("begin") + pl.col("delay")).alias("day"),
            pl.col("einde").alias("until"), "t", "code",
        )
        stay_youth = np.zeros(n, bool)
        stay_youth[st] = True
        voogdij_ok = stay_youth & (rng.random(n) < r.voogdij)
        episodes = eps.select(
            (pl.col("ki") + 1).alias("persoon_id"), "volgnr",
            _days_to_date("begin").alias("begin"), _days_to_date("einde").alias("einde"),
            "verblijf", "vorm", pl.col("code").cast(pl.String).str.zfill(4).alias("gemeente_code"),
            "in_verband_met_jji",
        )
        return episodes, stay_addresses, stay_youth, voogdij_ok

    def jji_aftercare(self, who: np.ndarray, einde: np.ndarray, jji_stay: np.ndarray) -> pl.DataFrame:
        """Care without a stay the day after a JJI stay: nazorg (vorm jji) or jeugdreclassering,
        mostly tied to the stay (Jeugdwet art. 1.1 "woonplaats" 2°, second limb)."""
        rng = self.rng
        pick = np.flatnonzero(jji_stay & (rng.random(who.size) < self.r.jji_aftercare))
        begin = einde[pick] + 1
        reclassering = rng.random(pick.size) < 0.5
        linked = rng.random(pick.size) < 0.8
        return pl.DataFrame({
            "ki": who[pick], "begin": begin,
            "einde": begin + (60 + rng.gamma(2.0, 90, pick.size)).astype(np.int64),
            "verblijf": np.zeros(pick.size, bool),
            "vorm": pl.Series(np.where(reclassering, JeugdhulpVorm.JEUGDRECLASSERING.value,
                                       JeugdhulpVorm.JJI.value).tolist(), dtype=pl.String),
            "loc_t": np.full(pick.size, -1, np.int32),
            "in_verband_met_jji": pl.Series(np.where(reclassering, linked, None).tolist(), dtype=pl.Boolean),
        })

    # -- rare situations in the youths' histories --

    def rare(self, y: pl.DataFrame, kids: pl.DataFrame, stays: pl.DataFrame) -> pl.DataFrame:
        r, x, rng = self.r, self.x, self.rng
        n = kids.height
        first_day = kids["first_day"].to_numpy()
        inserts, blanks = [], []

        def some(rate: float) -> np.ndarray:
            return np.flatnonzero(rng.random(n) < rate)

        def period(who: np.ndarray, typ: int, returns: float, code: np.ndarray | None = None):
            lo = first_day[who] + 1
            start = lo + (rng.random(who.size) * np.maximum(x - lo, 1)).astype(np.int64)
            back = rng.random(who.size) < returns
            end = np.where(back, start + 60 + (rng.random(who.size) * 3 * YEAR).astype(np.int64), x + 10**6)
            t = self.territory(who.size)
            ins = pl.DataFrame({"owner": who, "day": start, "t": t, "type": np.full(who.size, typ, np.int8),
                                "code": code if code is not None else np.full(who.size, -1, np.int32)})
            ret = pl.DataFrame({"owner": who[back & (end < x)], "day": end[back & (end < x)],
                                "t": t[back & (end < x)], "type": np.full(int((back & (end < x)).sum()), T_ADRES, np.int8)})
            inserts.append(ins)
            if ret.height:
                inserts.append(self.codes_for(ret))
            blanks.append(pl.DataFrame({"owner": who, "from": start, "until": end}))

        period(some(r.abroad_period), T_BUITENLAND, r.abroad_returns)
        period(some(r.onbekend), T_ONBEKEND, 0.5)
        rni = some(r.rni)
        period(rni, T_ADRES, 0.5, code=np.full(rni.size, int(RNI_CODE), np.int32))
        if stays.height:
            back = stays.filter(pl.col("until").is_not_null() & (pl.col("until") < x))
            inserts.append(stays.select("owner", "day", "t", pl.lit(T_ADRES, pl.Int8).alias("type"), "code"))
            # Back home after the stay: the address the youth had before it.
            before = back.sort("day").join_asof(
                y.sort("day").select("owner", pl.col("day").alias("hday"), pl.col("t").alias("ht"), pl.col("code").alias("hcode")),
                left_on="day", right_on="hday", by="owner", strategy="backward",
                check_sortedness=False,
            ).filter(pl.col("hcode").is_not_null())
            inserts.append(before.select("owner", (pl.col("until") + 1).alias("day"), pl.col("ht").alias("t"),
                                         pl.lit(T_ADRES, pl.Int8).alias("type"), pl.col("hcode").alias("code")))
            blanks.append(stays.select("owner", pl.col("day").alias("from"), pl.col("until").fill_null(x + 10**6).alias("until")))
        blank = pl.concat([b.cast({"owner": pl.Int64, "from": pl.Int64, "until": pl.Int64}) for b in blanks])
        # Records of the base history inside an inserted period give way to it.
        y = y.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias("rid"))
        drop = (
            y.join(blank, on="owner", how="inner")
            .filter((pl.col("day") > pl.col("from")) & (pl.col("day") <= pl.col("until")))
            .select("rid").unique()
        )
        y = y.join(drop, on="rid", how="anti").drop("rid")
        y = pl.concat([y] + [i.cast({"owner": pl.Int64, "day": pl.Int64, "t": pl.Int32, "type": pl.Int8, "code": pl.Int32}).select(y.columns) for i in inserts])
        # Locatie (woonboot, woonwagen) instead of Adres for a few addresses.
        loc = pl.Series(rng.random(y.height) < r.locatie / 3)
        return y.with_columns(loc.alias("_loc")).with_columns(
            pl.when(pl.col("_loc") & (pl.col("type") == T_ADRES)).then(T_LOCATIE)
            .otherwise(pl.col("type")).cast(pl.Int8).alias("type")
        ).drop("_loc")

    # -- persons --

    def persons(self, kids, mothers, stay_youth, voogdij_ok, episodes, y_hist, mother_id0) -> pl.DataFrame:
        r, x, rng = self.r, self.x, self.rng
        n_k, n_m = kids.height, mothers.height
        birth = kids["birth"].to_numpy()
        minor = birth > x - int(18 * YEAR)
        father = rng.random(n_k) < r.father_with_gezag
        n_f = int(father.sum())
        father_id0 = mother_id0 + n_m
        father_ids = np.full(n_k, -1, np.int64)
        father_ids[father] = father_id0 + np.arange(n_f)
        mother_ids = kids["mi"].to_numpy() + mother_id0
        gezag = np.where(voogdij_ok & minor, "voogdij", "ouders").astype(object)
        unknown = rng.random(n_k) < r.gezag_unknown
        gezag[unknown] = None
        ouder = np.where(father, father_ids, mother_ids)
        ouder = np.where((gezag == "ouders"), ouder, -1)
        # Werkelijke verblijfplaats: the current municipality of registration (or of a stay).
        current = y_hist.sort("owner", "day").group_by("owner").agg(pl.col("code").last().alias("cur"))
        cur = np.full(n_k, -1, np.int64)
        cur[current["owner"].to_numpy()] = current["cur"].fill_null(-1).to_numpy()
        in_care = np.zeros(n_k, bool)
        in_care[episodes["persoon_id"].to_numpy() - 1] = True
        known = np.where(in_care, rng.random(n_k) >= r.wvp_missing_care, rng.random(n_k) < r.wvp_known_no_care)
        known &= (cur > 0) & (cur != int(RNI_CODE))
        wvp = np.where(known, cur, -1)
        first_ep = episodes.group_by("persoon_id").agg(pl.col("begin").min())
        wvp_day = np.full(n_k, x, np.int64)
        wvp_day[first_ep["persoon_id"].to_numpy() - 1] = first_ep["begin"].cast(pl.Int32).to_numpy()
        # Incomplete birth dates: some youths born abroad.
        born_abroad = kids["first_day"].to_numpy() > birth
        partial_birth = born_abroad & (rng.random(n_k) < r.birth_partial_immigrant)
        bprec = np.where(partial_birth, np.where(rng.random(n_k) < 0.7, P_MONTH, P_YEAR), P_DAY)
        bsn = synthetic_bsns(n_k + n_m + n_f, rng)
        f_birth = mothers["birth"].to_numpy()[kids["mi"].to_numpy()[father]] - (rng.normal(2.5, 3, n_f) * YEAR).astype(np.int64)
        youths = pl.DataFrame({
            "persoon_id": np.arange(1, n_k + 1, dtype=np.int64), "_b": birth, "_p": bprec,
            "moeder_id": mother_ids, "_wvp": wvp, "_wvpd": wvp_day,
            "gezag_soort": pl.Series(gezag.tolist(), dtype=pl.String), "gezag_ouder_id": ouder, "is_jeugdige": np.ones(n_k, bool),
            "_father": np.zeros(n_k, bool), "_start": birth,
        }, strict=False)
        moms = pl.DataFrame({
            "persoon_id": np.arange(mother_id0, mother_id0 + n_m, dtype=np.int64),
            "_b": mothers["birth"].to_numpy(), "_p": np.zeros(n_m, np.int64),
            "is_jeugdige": np.zeros(n_m, bool), "_father": np.zeros(n_m, bool),
            "_start": mothers["start"].to_numpy(),
        })
        dads = pl.DataFrame({
            "persoon_id": np.arange(father_id0, father_id0 + n_f, dtype=np.int64),
            "_b": f_birth, "_p": np.zeros(n_f, np.int64), "is_jeugdige": np.zeros(n_f, bool),
            "_father": np.ones(n_f, bool), "_start": f_birth + int(20 * YEAR),
        })
        df = pl.concat([youths, moms, dads], how="diagonal_relaxed")
        df = df.with_columns(pl.Series("bsn", bsn))
        b = pl.col("_b").cast(pl.Int32).cast(pl.Date)
        return df.with_columns(
            *_partial_exprs(b, pl.col("_p"), "geboorte"),
            pl.when(pl.col("moeder_id") > 0).then(pl.col("moeder_id")).alias("moeder_id"),
            pl.when(pl.col("gezag_ouder_id") > 0).then(pl.col("gezag_ouder_id")).alias("gezag_ouder_id"),
            pl.when(pl.col("_wvp") > 0).then(pl.col("_wvp").cast(pl.String).str.zfill(4)).alias("werkelijke_verblijfplaats_gemeente"),
            pl.when(pl.col("_wvp") > 0).then(pl.col("_wvpd").cast(pl.Int32).cast(pl.Date)).alias("werkelijke_verblijfplaats_datum"),
        ).drop("_b", "_p", "_wvp", "_wvpd")

    # -- the verblijfplaatsen table --

    def records(self, records: pl.DataFrame, personen: pl.DataFrame) -> pl.DataFrame:
        r, rng = self.r, self.rng
        records = records.filter(pl.col("day") < self.x).sort("pid", "day", "type")
        # Two records of one person on one day: keep the last one written (a correction).
        records = records.unique(subset=["pid", "day"], keep="last", maintain_order=True)
        h = records.height
        youth = records["youth"].to_numpy()
        u = rng.random(h)
        prec = np.full(h, P_DAY, np.int8)
        prec[u < r.date_month + r.date_year + r.date_unknown] = P_MONTH
        prec[u < r.date_year + r.date_unknown] = P_YEAR
        prec[u < r.date_unknown] = P_UNKNOWN
        # The registration at birth keeps the birth date (it starts with the person).
        is_first = np.r_[True, records["pid"].to_numpy()[1:] != records["pid"].to_numpy()[:-1]]
        prec[is_first] = P_DAY
        onderzoek = youth & (rng.random(h) < r.in_onderzoek / 2.5)
        niet_op_adres = youth & (rng.random(h) < r.niet_op_adres / 2.5)
        brief = rng.random(h) < np.where(youth, r.briefadres / 2.5, r.briefadres / 4)
        records = records.with_columns(
            pl.Series("prec", prec),
            pl.Series("onderzoek", onderzoek),
            pl.Series("noa", niet_op_adres),
            pl.Series("brief", brief),
            pl.Series("open", rng.random(h) < r.open_before_next),
            pl.Series("mark_u", rng.random(h)),
        )
        same_next = pl.col("pid").shift(-1) == pl.col("pid")
        van = pl.col("day").cast(pl.Int32).cast(pl.Date)
        nxt = pl.col("day").shift(-1)
        # An aantekening from a day within the record (or, for some, without a date).
        until = pl.when(same_next).then(nxt).otherwise(self.x)
        mark_day = pl.col("day") + ((until - pl.col("day")).clip(1) * pl.col("mark_u")).cast(pl.Int64)
        mark_date = pl.when(pl.col("mark_u") < 0.75).then(mark_day.cast(pl.Int32).cast(pl.Date))
        mark_prec = pl.when(pl.col("mark_u") < 0.65).then(P_DAY).otherwise(P_MONTH)
        out = records.with_columns(
            pl.int_range(pl.len()).over("pid").cast(pl.Int32).alias("volgnr"),
            pl.col("pid").alias("persoon_id"),
            pl.col("type").replace_strict(list(range(4)), TYPE_NAMES, return_dtype=pl.String).alias("type"),
            *_partial_exprs(van, pl.col("prec"), "van"),
            *_partial_exprs(
                pl.when(same_next & ~pl.col("open")).then(nxt.cast(pl.Int32).cast(pl.Date)),
                pl.col("prec").shift(-1), "tot",
            ),
            pl.when(pl.col("type").is_in([T_ADRES, T_LOCATIE])).then(pl.col("code").cast(pl.String).str.zfill(4))
            .alias("gemeente_code"),
            pl.when(pl.col("type") == T_BUITENLAND).then(
                (pl.col("pid") % len(LANDEN)).replace_strict(list(range(len(LANDEN))), LANDEN, return_dtype=pl.String)
            ).alias("land_code"),
            pl.col("onderzoek").alias("in_onderzoek"),
            *_partial_exprs(pl.when(pl.col("onderzoek")).then(mark_date), mark_prec, "onderzoek_vanaf"),
            (pl.col("noa") & (pl.col("mark_u") >= 0.75)).alias("niet_op_adres"),
            *_partial_exprs(pl.when(pl.col("noa")).then(mark_date), mark_prec, "niet_op_adres_vanaf"),
            (pl.col("brief") & pl.col("type").is_in([T_ADRES, T_LOCATIE]) & (pl.col("code") != int(RNI_CODE)))
            .fill_null(False).alias("briefadres"),
        )
        out = conform(out, VERBLIJFPLAATSEN)
        return out.sort("persoon_id", "van_vroegst", "van_laatst", "volgnr")


def _days_to_date(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.Int32).cast(pl.Date)


def _partial_exprs(day: pl.Expr, prec: pl.Expr, prefix: str) -> list[pl.Expr]:
    """Three columns of a partial date from an exact day and a precision code."""
    y = day.dt.year()
    m = day.dt.month()
    month_start = pl.date(y, m, 1)
    month_end = month_start.dt.month_end()
    earliest = (
        pl.when(prec == P_DAY).then(day)
        .when(prec == P_MONTH).then(month_start)
        .when(prec == P_YEAR).then(pl.date(y, 1, 1))
        .when(prec == P_UNKNOWN).then(pl.lit(FAR_PAST))
    )
    latest = (
        pl.when(prec == P_DAY).then(day)
        .when(prec == P_MONTH).then(month_end)
        .when(prec == P_YEAR).then(pl.date(y, 12, 31))
        .when(prec == P_UNKNOWN).then(pl.lit(FAR_FUTURE))
    )
    name = prec.replace_strict(list(range(4)), PRECISION_NAMES, default=None, return_dtype=pl.String)
    known = day.is_not_null()
    return [
        pl.when(known).then(earliest).alias(f"{prefix}_vroegst"),
        pl.when(known).then(latest).alias(f"{prefix}_laatst"),
        pl.when(known).then(name).alias(f"{prefix}_precisie"),
    ]


def generate(config: SynthConfig, register: GemeenteRegister, progress: Progress | None = None) -> Population:
    """A synthetic population; the same config gives the same tables."""
    if config.personen < 1:
        raise ValueError("het aantal personen moet minstens 1 zijn")
    gen = _Gen(config, register, progress or (lambda _: None))
    return gen.generate()


__all__ = ["DEFAULT_EXTRACT_DATE", "Rates", "SynthConfig", "generate", "municipality_weights", "synthetic_bsns"]
