"""Synthetic beschermd-wonen clients: adults with a BRP history and a request for beschermd wonen.

No real person's data is used: every value comes from seeded random numbers with the
proportions of :class:`WmoRates` (docs/population.md lists them; they are modelling choices
that make every rule of the Wmo engine occur, not calibrated figures). Generation is
vectorised: the BRP history reuses the Jeugdwet generator's machinery
(:mod:`wpb.population.synth`: moves weighted by municipality size, codes of municipalities
that later merged or split, periods abroad, verblijfplaats onbekend, RNI, briefadressen,
aantekeningen and incomplete dates), the beschermd-wonen facts are drawn column-wise.

Beschermd-wonen regions are not reference data in wpb. The generator uses the jeugdregio's it
is given as a *stand-in* for the 43 beschermd-wonen regions, and the largest municipality of
each (by the generator's synthetic sizes) as its centrumgemeente. Neither is the real
indeling; they only give the facts a regional shape.

Outline:

1. Clients 18-80 on the extract date, some immigrated as adults; address history from birth
   or immigration with the generator's moves and rare situations.
2. The request: a day in the ``meldvenster`` days before the extract (a few without a day),
   to the municipality of the address then, or to the region's centrumgemeente, or elsewhere.
3. Earlier placements: a series of one to three, provided by a centrumgemeente, ending at
   chosen distances from the request (within twelve months, exactly on the boundary, long
   ago, still running), some with incomplete dates.
4. Current clients: an indication by the centrumgemeente, mostly granted before the entry
   into force, with a running placement; some end, some run past 2031.
5. Earlier applications (known for most clients), the intake's findings on exceptions b-d,
   and the municipality where beschermd wonen is meant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl

from wpb.law.gemeenten import GemeenteRegister
from wpb.law.regios import RegioIndeling
from wpb.law.wmo import BEOOGDE_INWERKINGTREDING
from wpb.population.schema import PERSONEN, conform
from wpb.population.synth import (
    YEAR,
    Rates,
    SynthConfig,
    _day,
    _Gen,
    _partial_exprs,
    synthetic_bsns,
)
from wpb.population.wmo_schema import (
    AANMELDINGEN,
    AANVRAGEN,
    BW_SCHEMAS,
    INDICATIES,
    PLAATSINGEN,
    WmoPopulation,
)

DEFAULT_WMO_EXTRACT_DATE = date(2026, 9, 1)
P_DAY, P_MONTH = 0, 1


@dataclass(frozen=True)
class WmoRates:
    """The proportions of the beschermd-wonen generator (shares of clients unless stated)."""

    # People.
    age_extra: tuple[float, float] = (2.0, 9.0)  # age = 18 + gamma(shape, scale), max 80
    immigrated: float = 0.12
    moves_per_year: float = 0.15
    # The request.
    meldvenster: int = 300  # days before the extract date the requests fall in
    datum_missing: float = 0.05
    to_centrumgemeente: float = 0.2
    to_elsewhere: float = 0.08
    regio_given: float = 0.85
    centrum_given: float = 0.9  # of the cases with a region: its centrumgemeente is named
    # Earlier placements (not counting the running placement of current clients).
    with_placement: float = 0.4
    placements_in_series: tuple[float, ...] = (0.0, 0.7, 0.22, 0.08)
    # Where the last placement ended, seen from the request: within twelve months, on the
    # boundary (exactly twelve months, or one day less), longer ago, still running, or after
    # the request (it began later).
    end_within_12: float = 0.35
    end_on_boundary: float = 0.06
    end_running: float = 0.06
    begin_after_request: float = 0.02
    other_region: float = 0.25  # placements provided by another region's centrumgemeente
    locatie_unknown: float = 0.15
    partial_end: float = 0.04  # JaarMaandDatum end (of placements)
    partial_begin: float = 0.02
    # Current clients.
    with_indicatie: float = 0.25
    indicatie_before_entry: float = 0.8
    indicatie_open_end: float = 0.5
    indicatie_ended: float = 0.15
    # Applications, exceptions, beoogde gemeente.
    aanvragen_known: float = 0.7
    with_aanvraag: float = 0.25  # of those known
    uitzonderingen_false: float = 0.82
    uitzonderingen_unknown: float = 0.08  # all three not established (else one of them)
    uitzondering_true: float = 0.03
    beoogd_given: float = 0.35
    beoogd_elsewhere: float = 0.15  # of those given

    def brp(self) -> Rates:
        """The Jeugdwet generator's rates for the BRP part: clients of beschermd wonen are
        more often without a fixed address (onbekend, briefadres) or abroad."""
        return Rates(
            abroad_period=0.03, abroad_returns=0.7, onbekend=0.02, rni=0.005, locatie=0.004,
            in_onderzoek=0.01, niet_op_adres=0.008, briefadres=0.05,
        )


@dataclass(frozen=True)
class WmoSynthConfig:
    clients: int
    seed: int
    extract_date: date = DEFAULT_WMO_EXTRACT_DATE
    inwerkingtreding: date = BEOOGDE_INWERKINGTREDING  # the shape of the data, not the rule
    rates: WmoRates = field(default_factory=WmoRates)


Progress = Callable[[str], None]


@dataclass(frozen=True)
class _Regions:
    """The stand-in regions, indexed by the generator's territories (municipalities of the
    extract date): region and centrumgemeente per territory, members per region."""

    region_of: np.ndarray  # per territory: region index, -1 when in none
    centrum_t: np.ndarray  # per territory: the territory of its region's centrumgemeente
    member_codes: np.ndarray  # every region's members, region after region (int codes)
    offsets: np.ndarray  # per region: first index in member_codes
    counts: np.ndarray  # per region: number of members
    frame: pl.DataFrame  # ri, regio_naam, regio_gemeenten, regio_centrumgemeente

    @classmethod
    def build(cls, gen: _Gen, indeling: RegioIndeling) -> _Regions:
        index = {c: i for i, c in enumerate(gen.codes)}
        region_of = np.full(len(gen.codes), -1, np.int64)
        centrum_t = np.arange(len(gen.codes), dtype=np.int64)
        centrum_codes: list[str | None] = []
        for ri, regio in enumerate(indeling.regios):
            inside = [index[c] for c in regio.gemeenten if c in index]
            region_of[inside] = ri
            centrum = max(inside, key=lambda t: gen.weights[t]) if inside else None
            if centrum is not None:
                centrum_t[inside] = centrum
            centrum_codes.append(gen.codes[centrum] if centrum is not None else None)
        counts = np.array([len(g.gemeenten) for g in indeling.regios], np.int64)
        return cls(
            region_of=region_of,
            centrum_t=centrum_t,
            member_codes=np.array([int(c) for g in indeling.regios for c in g.gemeenten], np.int64),
            offsets=np.cumsum(counts) - counts,
            counts=counts,
            frame=pl.DataFrame({
                "ri": np.arange(len(indeling.regios), dtype=np.int64),
                "regio_naam": [g.naam for g in indeling.regios],
                "regio_gemeenten": [list(g.gemeenten) for g in indeling.regios],
                "regio_centrumgemeente": pl.Series(centrum_codes, dtype=pl.String),
            }),
        )

    def member(self, territory: np.ndarray, u: np.ndarray, fallback: np.ndarray) -> np.ndarray:
        """A member (int code) of the region of each territory, drawn by ``u``; ``fallback``
        for a territory in no region."""
        ri = self.region_of[territory]
        inside = ri >= 0
        safe = np.where(inside, ri, 0)
        pick = self.offsets[safe] + np.minimum((u * self.counts[safe]).astype(np.int64),
                                               self.counts[safe] - 1)
        return np.where(inside, self.member_codes[pick], fallback)


def generate_wmo(config: WmoSynthConfig, register: GemeenteRegister, indeling: RegioIndeling,
                 progress: Progress | None = None) -> WmoPopulation:
    """Synthetic beschermd-wonen clients; the same config gives the same tables.

    ``indeling`` gives the stand-in regions (the jeugdregio's; see the module docstring).
    """
    if config.clients < 1:
        raise ValueError("het aantal cliënten moet minstens 1 zijn")
    step = progress or (lambda _: None)
    r = config.rates
    gen = _Gen(SynthConfig(config.clients, config.seed, config.extract_date, r.brp()),
               register, step)
    rng, x, n = gen.rng, gen.x, config.clients
    codes = np.array([int(c) for c in gen.codes], np.int64)
    regions = _Regions.build(gen, indeling)

    step("cliënten en adresgeschiedenis")
    age = np.minimum(18 + rng.gamma(r.age_extra[0], r.age_extra[1], n), 80)
    birth = x - (age * YEAR).astype(np.int64)
    immigrated = rng.random(n) < r.immigrated
    arrival = birth + ((18 + rng.random(n) * 22) * YEAR).astype(np.int64)
    start = np.where(immigrated, np.minimum(arrival, x - 30), birth)
    owners = np.arange(n, dtype=np.int64)
    hist = gen.codes_for(gen.moves(owners, start, np.full(n, x), r.moves_per_year))
    hist = hist.select("owner", "day", "t", "type", "code").cast(
        {"owner": pl.Int64, "day": pl.Int64, "t": pl.Int32, "type": pl.Int8, "code": pl.Int32})
    no_stays = pl.DataFrame(schema={"owner": pl.Int64, "day": pl.Int64, "until": pl.Int64,
                                    "t": pl.Int32, "code": pl.Int32})
    hist = gen.rare(hist, pl.DataFrame({"first_day": start}), no_stays)
    step("datums en aantekeningen")
    verblijfplaatsen = gen.records(
        hist.with_columns((pl.col("owner") + 1).alias("pid"), pl.lit(True).alias("youth")),
        pl.DataFrame(),
    )

    step("aanmeldingen")
    meld = x - 1 - rng.integers(0, r.meldvenster, n)
    at = (
        pl.DataFrame({"owner": owners, "m": meld}).sort("m")
        .join_asof(hist.sort("day").select("owner", "day", "t"), left_on="m", right_on="day",
                   by="owner", strategy="backward", check_sortedness=False)
        .sort("owner")
    )
    home_t = at["t"].fill_null(0).to_numpy().astype(np.int64)
    u = rng.random(n)
    aanmeld_t = np.where(u < r.to_centrumgemeente, regions.centrum_t[home_t], home_t)
    aanmeld_t = np.where(u > 1 - r.to_elsewhere, gen.territory(n), aanmeld_t)
    regio_given = (rng.random(n) < r.regio_given) & (regions.region_of[aanmeld_t] >= 0)
    datum_missing = rng.random(n) < r.datum_missing

    step("eerder beschermd wonen")
    placements = _placements(gen, r, regions, meld, aanmeld_t)
    step("indicaties")
    indicaties, current = _indicaties(gen, r, config, regions, aanmeld_t)
    placements = pl.concat([placements, current]).sort("persoon_id", "begin_vroegst").with_columns(
        pl.int_range(pl.len()).over("persoon_id").cast(pl.Int32).alias("volgnr"))
    step("aanvragen en uitzonderingen")
    aanvragen, known = _aanvragen(gen, r, regions, meld, aanmeld_t)
    uitz = _uitzonderingen(rng, r, n)
    beoogd_given = rng.random(n) < r.beoogd_given
    beoogd = np.where(rng.random(n) < r.beoogd_elsewhere,
                      codes[gen.territory(n)], codes[aanmeld_t])
    aanmeldingen = (
        pl.DataFrame({
            "persoon_id": owners + 1,
            "aanmeldgemeente": _code_strings(codes[aanmeld_t]),
            "_m": meld, "_missing": datum_missing,
            "ri": np.where(regio_given, regions.region_of[aanmeld_t], -1),
            "_beoogd": beoogd, "_beoogd_given": beoogd_given,
            "uitzondering_b": uitz[0], "uitzondering_c": uitz[1], "uitzondering_d": uitz[2],
            "aanvragen_bekend": known,
            "_centrum_given": rng.random(n) < r.centrum_given,
        })
        .join(regions.frame, on="ri", how="left")
        .sort("persoon_id")
        .with_columns(
            pl.when(pl.col("_centrum_given")).then(pl.col("regio_centrumgemeente"))
            .alias("regio_centrumgemeente"),
            pl.when(~pl.col("_missing")).then(_dates(pl.col("_m"))).alias("datum"),
            pl.when(pl.col("_beoogd_given"))
            .then(pl.col("_beoogd").cast(pl.String).str.zfill(4)).alias("beoogde_gemeente"),
        )
    )

    bsn = synthetic_bsns(n, rng)
    partial_birth = immigrated & (rng.random(n) < 0.05)
    personen = pl.DataFrame({
        "persoon_id": owners + 1, "bsn": bsn, "_b": birth,
        "_p": np.where(partial_birth, P_MONTH, P_DAY),
        "is_jeugdige": np.zeros(n, bool),
    }).with_columns(
        *_partial_exprs(_dates(pl.col("_b")), pl.col("_p"), "geboorte"),
        *(pl.lit(None).alias(c) for c in (
            "moeder_id", "werkelijke_verblijfplaats_gemeente", "werkelijke_verblijfplaats_datum",
            "gezag_soort", "gezag_ouder_id")),
    )
    return WmoPopulation(
        conform(personen, PERSONEN),
        verblijfplaatsen,
        _conform(aanmeldingen, AANMELDINGEN),
        _conform(placements, PLAATSINGEN),
        _conform(aanvragen, AANVRAGEN),
        _conform(indicaties, INDICATIES),
    )


def _conform(df: pl.DataFrame, table: str) -> pl.DataFrame:
    return df.select([pl.col(c).cast(t) for c, t in BW_SCHEMAS[table].items()])


def _code_strings(values: np.ndarray) -> pl.Series:
    return pl.Series(values).cast(pl.String).str.zfill(4)


def _dates(days: pl.Expr) -> pl.Expr:
    return days.cast(pl.Int32).cast(pl.Date)


def _placements(gen: _Gen, r: WmoRates, regions: _Regions, meld: np.ndarray,
                aanmeld_t: np.ndarray) -> pl.DataFrame:
    """Series of earlier placements; the last one ends at a chosen distance from the request."""
    rng, x, n = gen.rng, gen.x, meld.size
    codes = np.array([int(c) for c in gen.codes], np.int64)
    has = np.flatnonzero(rng.random(n) < r.with_placement)
    p = np.array(r.placements_in_series) / sum(r.placements_in_series)
    k = rng.choice(len(p), size=has.size, p=p)
    m = meld[has]
    u = rng.random(has.size)
    cut = np.cumsum([r.end_within_12, r.end_on_boundary, r.end_running, r.begin_after_request])
    duration = (90 + rng.gamma(2.0, 300, has.size)).astype(np.int64)
    # The last placement: (begin, end), end -1 while it runs.
    end = m - (400 + rng.gamma(2.0, 500, has.size)).astype(np.int64)  # long ago
    end = np.where(u < cut[0], m - 1 - rng.integers(0, 364, has.size), end)
    # Exactly twelve calendar months before the request (no longer within), or a day later.
    twelve_back = pl.Series(m).cast(pl.Int32).cast(pl.Date).dt.offset_by("-12mo")
    boundary = (u >= cut[0]) & (u < cut[1])
    end = np.where(boundary, twelve_back.cast(pl.Int32).to_numpy() + (rng.random(has.size) < 0.5), end)
    begin = end - duration
    running = (u >= cut[1]) & (u < cut[2])
    begin = np.where(running, m - 30 - duration, begin)
    after = (u >= cut[2]) & (u < cut[3])
    begin = np.where(after, m + 1 + rng.integers(0, 60, has.size), begin)
    end = np.where(after, begin + rng.integers(0, 120, has.size), end)
    end = np.where(running | (end >= x), -1, end)
    # Earlier placements of the series, back in time from the last one's begin.
    who = np.repeat(has, k)
    back = np.arange(who.size) - np.repeat(np.cumsum(k) - k, k)  # 0: the last placement
    b = np.repeat(begin, k)
    e = np.repeat(end, k)
    gap = (1 + rng.gamma(1.5, 200, who.size)).astype(np.int64)
    dur = (90 + rng.gamma(2.0, 300, who.size)).astype(np.int64)
    for step in range(1, int(k.max()) if k.size else 0):
        # A loop over the (at most three) positions in a series, not over persons.
        sel = np.flatnonzero(back == step)
        e[sel] = b[sel - 1] - gap[sel]
        b[sel] = e[sel] - dur[sel]
    # Provider: the centrumgemeente of the client's region, or of another region; the
    # facility: a municipality of the provider's region, the provider itself, or unknown.
    provider = np.where(rng.random(who.size) < r.other_region,
                        regions.centrum_t[gen.territory(who.size)],
                        regions.centrum_t[aanmeld_t[who]])
    locatie = regions.member(provider, rng.random(who.size), codes[provider])
    locatie = np.where(rng.random(who.size) < 0.3, codes[provider], locatie)
    df = pl.DataFrame({
        "persoon_id": who + 1, "_b": b, "_e": e,
        "gemeente": _code_strings(codes[provider]),
        "_loc": locatie, "_loc_unknown": rng.random(who.size) < r.locatie_unknown,
        "_pb": np.where(rng.random(who.size) < r.partial_begin, P_MONTH, P_DAY),
        "_pe": np.where(rng.random(who.size) < r.partial_end, P_MONTH, P_DAY),
    }).filter(pl.col("_b") < x)
    return df.select(
        "persoon_id", pl.lit(0, pl.Int32).alias("volgnr"), "gemeente",
        pl.when(~pl.col("_loc_unknown")).then(pl.col("_loc").cast(pl.String).str.zfill(4))
        .alias("locatie_gemeente"),
        *_partial_exprs(_dates(pl.col("_b")), pl.col("_pb"), "begin"),
        *_partial_exprs(pl.when(pl.col("_e") >= 0).then(_dates(pl.col("_e"))), pl.col("_pe"),
                        "einde"),
    )


def _indicaties(gen: _Gen, r: WmoRates, config: WmoSynthConfig, regions: _Regions,
                aanmeld_t: np.ndarray) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Indications by the centrumgemeente, and the running placements they pay for."""
    rng, x, n = gen.rng, gen.x, aanmeld_t.size
    codes = np.array([int(c) for c in gen.codes], np.int64)
    who = np.flatnonzero(rng.random(n) < r.with_indicatie)
    entry = _day(config.inwerkingtreding)
    before = rng.random(who.size) < r.indicatie_before_entry
    granted = np.where(
        before,
        entry - 1 - rng.integers(0, int(6 * YEAR), who.size),
        entry + rng.integers(0, max(x - entry, 1), who.size),
    )
    granted = np.minimum(granted, x - 1)
    u = rng.random(who.size)
    ends = np.where(
        u < r.indicatie_open_end, -1,
        np.where(u < r.indicatie_open_end + r.indicatie_ended,
                 granted + rng.integers(30, 900, who.size),  # before or after the request
                 x + rng.integers(0, int(8 * YEAR), who.size)),  # some run past 2031
    )
    centrum = codes[regions.centrum_t[aanmeld_t[who]]]
    df = pl.DataFrame({
        "persoon_id": who + 1, "centrumgemeente": _code_strings(centrum),
        "_g": granted, "_e": ends, "_pl": rng.random(who.size) < 0.8,
    }).with_columns(
        _dates(pl.col("_g")).alias("toegekend"),
        pl.when(pl.col("_e") >= 0).then(_dates(pl.col("_e"))).alias("einde"),
    )
    placements = df.filter(pl.col("_pl")).select(
        "persoon_id", pl.lit(0, pl.Int32).alias("volgnr"),
        pl.col("centrumgemeente").alias("gemeente"),
        pl.col("centrumgemeente").alias("locatie_gemeente"),
        *_partial_exprs(pl.col("toegekend"), pl.lit(P_DAY), "begin"),
        *_partial_exprs(pl.when(pl.col("_e").is_between(0, x - 1)).then(pl.col("einde")),
                        pl.lit(P_DAY), "einde"),
    )
    return df, placements


def _aanvragen(gen: _Gen, r: WmoRates, regions: _Regions, meld: np.ndarray,
               aanmeld_t: np.ndarray) -> tuple[pl.DataFrame, np.ndarray]:
    """Earlier applications, known for most clients; some fall in the 365 days before."""
    rng, n = gen.rng, meld.size
    codes = np.array([int(c) for c in gen.codes], np.int64)
    known = rng.random(n) < r.aanvragen_known
    has = np.flatnonzero(known & (rng.random(n) < r.with_aanvraag))
    k = 1 + (rng.random(has.size) < 0.3)
    who = np.repeat(has, k)
    own = aanmeld_t[who]
    u = rng.random(who.size)
    gemeente = np.where(
        u < 0.5, codes[own],
        np.where(u < 0.8, regions.member(own, rng.random(who.size), codes[own]),
                 codes[gen.territory(who.size)]),
    )
    df = pl.DataFrame({
        "persoon_id": who + 1, "gemeente": _code_strings(gemeente),
        "_d": meld[who] - 1 - rng.integers(0, 600, who.size),
        "_p": np.where(rng.random(who.size) < 0.03, P_MONTH, P_DAY),
    })
    return df.select(
        "persoon_id", pl.int_range(pl.len()).over("persoon_id").cast(pl.Int32).alias("volgnr"),
        "gemeente", *_partial_exprs(_dates(pl.col("_d")), pl.col("_p"), "datum"),
    ), known


def _uitzonderingen(rng: np.random.Generator, r: WmoRates, n: int) -> list[pl.Series]:
    """Exceptions b-d as established at intake: mostly not applicable, some open or true."""
    u = rng.random(n)
    which = rng.integers(0, 3, n)
    unknown_all = (u >= r.uitzonderingen_false) & (u < r.uitzonderingen_false + r.uitzonderingen_unknown)
    one = u >= r.uitzonderingen_false + r.uitzonderingen_unknown
    true_one = one & (u >= 1 - r.uitzondering_true)
    cols = []
    for i in range(3):
        value = np.where(unknown_all | (one & (which == i) & ~true_one), 2,
                         np.where(true_one & (which == i), 1, 0))
        cols.append(pl.Series(value).replace_strict([0, 1, 2], [False, True, None],
                                                    return_dtype=pl.Boolean))
    return cols


__all__ = ["DEFAULT_WMO_EXTRACT_DATE", "WmoRates", "WmoSynthConfig", "generate_wmo"]
