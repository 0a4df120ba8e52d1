"""Municipalities on the peildatum as reading keys (:class:`WmoKey`), their successor sets and
epochs, and day numbers (reference: ``register.successors``, ``explain.resolve_gemeente``)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import polars as pl

from wpb.batch.engine import GESPLITST, ZONDER_OPVOLGER, Key, bepaald, choose, day_number, review
from wpb.law.gemeenten import GemeenteRegister

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
