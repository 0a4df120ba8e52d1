"""Candidate sets formed for the few persons whose review's set decides (reference:
``combine`` in ``woonplaats_2022``): the one place where the national executor walks
readings one by one, in a short loop over those rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from wpb.batch.jeugdwet.outcomes import (
    _FIELDS,
    _TYPES,
    GESPLITST,
    ONV,
    OPEN_RECHTSVRAAG,
    STATUS_BEPAALD,
    STATUS_REVIEW,
    TEG_INSCHRIJVING,
    TEGENSTRIJDIG,
    WVP_ONTBREEKT,
    ZONDER_OPVOLGER,
    Kandidaten,
    Key,
)
from wpb.batch.jeugdwet.prepare import Prepared, _date
from wpb.batch.jeugdwet.readings import (
    _mother_reading_keys,
    _route_key,
    aantekening_on_day,
    days_before_birth,
    late_aantekening,
    reading_env,
    readings_for,
    record_on_days,
)
from wpb.law.jeugdwet import woonplaats_2022
from wpb.law.predicates import VERBLIJF_VANAF_GEBOORTE_MOGELIJK, StayBeginFacts, holds

# The onderdelen as the clauses declare them (woonplaats_2022.SUB_2 .. SUB_4).
_SUB_2, _SUB_3, _SUB_4 = (woonplaats_2022.SUB_2.onderdeel, woonplaats_2022.SUB_3.onderdeel,
                          woonplaats_2022.SUB_4.onderdeel)


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


def _side(row: dict, side: str, sets: _CandidateSets) -> _Settled | None:
    """Reference: woonplaats_2022._in_or_out_of_stay on reading ``side`` (a: a contradictory
    episode as a stay, b: not), with its candidate set; None when a set cannot be formed."""
    outcome = tuple(row[f"{side}_{f}"] for f in _FIELDS)
    status, gemeente, _, _, kand, src = outcome
    begin, day = row[f"begin_{side}"], row[f"dag_{side}"]
    if begin is not None and (row[f"route_{side}"] or row["late_aantekening"]):
        # 2° (of a stay, or the JJI limb) where the columns do not tell the answer: a stay
        # that may have begun at the partial birth, or an aantekening placed after it began.
        # ``day``: the day immediately before it (spans.DAG_VOOR_VERBLIJF, compiled).
        return None if day is None else sets.sub_2(row, begin, day)
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
            return self._resolved(row["wvp_key"], _SUB_4, WVP_ONTBREEKT)
        if not late:  # the route with gevolg GEVOLG_WOONADRES
            return self._resolved(key, _SUB_2, WVP_ONTBREEKT)
        # Reference: _aantekening_after_stay_began: an aantekening placed after the stay
        # began, read both ways (2° the woonadres, 3°); the onderdelen differ, so always a
        # review naming both readings' candidates.
        from_birth = self.sub_3(row)
        if from_birth is None:
            return None
        options = self._resolved(key, _SUB_2, WVP_ONTBREEKT).options | from_birth
        return _Settled((STATUS_REVIEW, None, _SUB_2, OPEN_RECHTSVRAAG,
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

    def sub_2(self, row: dict, begin: int, day: int) -> _Settled | None:
        """Reference: woonplaats_2022.sub_2 for the stay beginning on ``begin``, whose day
        immediately before is ``day``."""
        before = self.woonadres(row, day)
        if before is None or not holds(VERBLIJF_VANAF_GEBOORTE_MOGELIJK, StayBeginFacts(
                _date(row["birth_e"]), _date(row["birth_l"]), _date(begin))):
            return before
        # A partial birth: "the stay began at birth" (3°) against "born before the stay".
        from_birth = self._sub_3_outcome(row)
        if from_birth is None:
            return None
        if from_birth.key == before.key:
            return from_birth
        options = from_birth.options | before.options
        return _Settled((STATUS_REVIEW, None, _SUB_3, ONV, Kandidaten.UNKNOWN if options else None,
                         day * 8 + _SRC_BIRTH_OR_BEFORE), options)

    def _woonadres_readings(self, rows: pl.DataFrame) -> dict[tuple[int, int], dict]:
        """Per (pid, day) the jeugdige's readings on that day as (key, aantekening placed
        after that day) pairs, the first of them, and whether they are contradictory, for
        every day a side of ``rows`` may ask."""
        wanted = set()
        for row in rows.iter_rows(named=True):
            for side in ("a", "b") if row["has_contr"] else ("b",):
                if row[f"begin_{side}"] is not None and row[f"dag_{side}"] is not None:
                    wanted.add((row["pid"], row[f"dag_{side}"], row["birth_e"]))
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
            record_on_days(d, d) & ~days_before_birth(d, "born"))
        certain, possible = aantekening_on_day(d)
        # Each reading (with and without an aantekening that may hold) led by the declared
        # WOONADRES_ROUTES: its key, and whether it reaches the route of the open question
        # (gevolg GEVOLG_AANTEKENING_NA_DAG: read both ways).
        env1, env2 = reading_env(certain | possible, d, self.prep.p), reading_env(certain, d, self.prep.p)
        per_query = (
            cand.with_columns(_route_key(env1).alias("j1"), _route_key(env2).alias("j2"),
                              late_aantekening(env1).alias("l1"), late_aantekening(env2).alias("l2"))
            .group_by("qid")
            .agg(pl.concat_list("j1", "j2").explode().alias("k"),
                 pl.concat_list("l1", "l2").explode().alias("l"),
                 pl.col("l1").sort_by("row").first().alias("first_late"))
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
