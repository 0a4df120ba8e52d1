"""The outcome columns of the national Jeugdwet executor and their encodings.

An outcome (reference: :class:`wpb.law.outcome.Outcome`) is a set of columns: status,
gemeente (code as integer), onderdeel, reden, kand (the candidate gemeenten of a review,
:class:`Kandidaten`) and src (which evaluation produced a review that compares readings).
What one reading of a registration leads to is a :class:`Key`. The helpers build outcomes
(``bepaald``, ``review``, ``resolved``), choose between them (``choose``, the routes of a
clause table: ``route_outcomes``) and compare two (``agree``, as ``Outcome.key`` does).
The Wmo executor (:mod:`wpb.batch.wmo`) shares them.
"""

from __future__ import annotations

import polars as pl

from wpb.law.decision import ReviewReden
from wpb.law.predicates import Route


class Key:
    """What one reading of a registration leads to, as one Int32 per reading.

    - :attr:`SUB_3`: onderdeel 3° (no registration, verblijfplaats onbekend, an address
      without a real municipality, an aantekening); for a mother at the birth: she was not
      registered as ingezetene and no werkelijke verblijfplaats is known;
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


# Older names of the keys, kept importable from wpb.batch.engine.
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
OPEN_RECHTSVRAAG = REDEN_CODE[ReviewReden.OPEN_RECHTSVRAAG]

Routes = tuple[Route, ...]

# The outcome columns, in this order, and their types.

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
