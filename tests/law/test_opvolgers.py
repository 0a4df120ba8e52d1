"""The successors of a gemeentecode, declared once (``wpb.law.predicates.Opvolgers`` and the
comparisons ``OpvolgersBinnen``, ``OpvolgerGedeeld``, ``EnigeOpvolger``): the reference
evaluates them (:func:`holds`), the national executor compiles them
(``wpb.batch.compile.compile_opvolging``, ``compile_enige_opvolger``).

Herindelingen (Wet arhi) end a gemeente on a day: from that day its responsibility lies with
its successor (a samenvoeging) or its successors (a splitsing), through chains of them; the
day before it is still its own. Both executors are run on generated registers with merges,
splits, chains and codes ended without a successor, on the days around each herindeling, and
checked against answers from the law on the project's register.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wpb.batch.compile import compile_enige_opvolger, compile_opvolging, compile_term
from wpb.batch.engine import day_number
from wpb.batch.wmo.keys import code_keys, successor_epochs
from wpb.law.gemeenten import Gemeente, GemeenteRegister, Opvolging, OpvolgingSoort
from wpb.law.predicates import (
    EnigeOpvolger,
    Field,
    OpvolgerGedeeld,
    Opvolgers,
    OpvolgersBinnen,
    holds,
)
from wpb.law.wmo.beschermd_wonen import (
    HOOFDREGEL_WIJST_CENTRUMGEMEENTE,
    WEGING_FEITEN,
    HoofdregelOpPeildatum,
)
from wpb.law.wmo.nieuwe_client import IN_REGIO_FEITEN, RegioOpDag

_D0 = date(2021, 1, 1)
_ENDS = [_D0, _D0 + timedelta(days=1), date(2022, 1, 1), date(2023, 1, 1)]
_DAYS = sorted({d + timedelta(days=k) for d in _ENDS for k in (-1, 0, 1)})


@st.composite
def registers(draw) -> GemeenteRegister:
    """Codes 0001.. in order; a code may end on one of _ENDS, passing to one later code (a
    merger), several (a split) or none (no Dutch successor). A successor still exists on the
    day (a new code, or one that ends later): chains of merges and splits."""
    n = draw(st.integers(2, 7))
    codes = [f"{i + 1:04d}" for i in range(n)]
    ends = [draw(st.sampled_from([None, *_ENDS])) for _ in codes]
    gemeenten, opvolgingen = [], []
    for i, code in enumerate(codes):
        gemeenten.append(Gemeente(code, f"gemeente {code}", None, ends[i]))
        if ends[i] is None:
            continue
        later = [c for j, c in enumerate(codes) if j > i and (ends[j] is None or ends[j] > ends[i])]
        chosen = draw(st.lists(st.sampled_from(later), unique=True, max_size=3)) if later else []
        if not chosen and draw(st.booleans()):
            continue  # ended without a Dutch successor
        if chosen:
            soort = OpvolgingSoort.SPLITSING if len(chosen) > 1 else OpvolgingSoort.SAMENVOEGING
            opvolgingen.append(Opvolging(code, ends[i], soort, tuple(sorted(chosen))))
    return GemeenteRegister(gemeenten, opvolgingen)


def _regio_rows(register: GemeenteRegister, data) -> list[RegioOpDag]:
    codes = [g.code for g in register]
    code = st.one_of(st.none(), st.sampled_from(codes))
    return data.draw(st.lists(st.builds(
        RegioOpDag, code, st.sampled_from(codes),
        st.one_of(st.none(), st.lists(st.sampled_from(codes), max_size=3).map(tuple)),
        st.sampled_from(_DAYS), st.just(register),
    ), min_size=1, max_size=25))


def _compiled_regio(rows: list[RegioOpDag], register: GemeenteRegister) -> dict[str, list]:
    frame = pl.DataFrame({
        "rij": list(range(len(rows))),
        "gemeente_code": [r.gemeente_code for r in rows],
        "aanmeldgemeente": [r.aanmeldgemeente for r in rows],
        "regio_gemeenten": [None if r.regio_gemeenten is None else list(r.regio_gemeenten)
                            for r in rows],
        "melddatum": [day_number(r.melddatum) for r in rows],
    }, schema={"rij": pl.Int64, "gemeente_code": pl.String, "aanmeldgemeente": pl.String,
               "regio_gemeenten": pl.List(pl.String), "melddatum": pl.Int32})
    frame = compile_opvolging(list(IN_REGIO_FEITEN.values()), frame, successor_epochs(register),
                              by="rij").sort("rij")
    env = {c: pl.col(c) for c in frame.columns}
    return {name: frame.select(compile_term(term, env))[:, 0].to_list()
            for name, term in IN_REGIO_FEITEN.items()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers(), st.data())
def test_successors_in_the_region_are_the_same_scalar_and_columnar(register, data):
    """Every fact of IN_REGIO_ROUTES: holds (the reference) against compile_opvolging (the
    national executor), on generated registers and days around each herindeling."""
    rows = _regio_rows(register, data)
    compiled = _compiled_regio(rows, register)
    for name, term in IN_REGIO_FEITEN.items():
        assert compiled[name] == [holds(term, r) for r in rows], name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers(), st.data())
def test_the_one_successor_is_the_same_scalar_and_columnar(register, data):
    """HOOFDREGEL_WIJST_CENTRUMGEMEENTE (EnigeOpvolger on the peildatum): holds against
    compile_enige_opvolger, over the table of successors of that day."""
    codes = [g.code for g in register]
    peildatum = data.draw(st.sampled_from(_DAYS))
    code = st.one_of(st.none(), st.sampled_from(codes))
    pairs = data.draw(st.lists(st.tuples(code, code), min_size=1, max_size=25))
    term = WEGING_FEITEN[HOOFDREGEL_WIJST_CENTRUMGEMEENTE.name]
    assert isinstance(term, EnigeOpvolger)
    frame = pl.DataFrame({
        "hoofdregel_gemeente": [None if g is None else int(g) for g, _ in pairs],
        "regio_centrumgemeente": [c for _, c in pairs],
    }, schema={"hoofdregel_gemeente": pl.Int32, "regio_centrumgemeente": pl.String})
    env = compile_enige_opvolger(term, {c: pl.col(c) for c in frame.columns},
                                 code_keys(register, peildatum))
    compiled = frame.select(compile_term(term, env))[:, 0].to_list()
    reference = [holds(term, HoofdregelOpPeildatum(g, c, peildatum, register)) for g, c in pairs]
    assert compiled == reference


_CODE, _ANDER, _DAG = Field("code"), Field("ander"), Field("dag")


class _Feit:
    def __init__(self, register, code, ander, dag):
        self.gemeentelijke_indeling, self.code, self.ander, self.dag = register, code, ander, dag


def test_successors_from_the_law(register):
    """Bedum (0005) merged into Het Hogeland (1966) on 2019-01-01; Winsum (0053) was split over
    Het Hogeland and Westerkwartier (1969) that day. The day before, each is its own."""
    voor, op = date(2018, 12, 31), date(2019, 1, 1)
    binnen = OpvolgersBinnen(Opvolgers(_CODE, _DAG), Opvolgers(_ANDER, _DAG))
    gedeeld = OpvolgerGedeeld(Opvolgers(_CODE, _DAG), Opvolgers(_ANDER, _DAG))
    enige = EnigeOpvolger(_ANDER, Opvolgers(_CODE, _DAG))
    # On the day of the merger Bedum is Het Hogeland, the day before it is not.
    assert holds(binnen, _Feit(register, "0005", "1966", op))
    assert holds(enige, _Feit(register, "0005", "1966", op))
    assert not holds(gedeeld, _Feit(register, "0005", "1966", voor))
    assert holds(enige, _Feit(register, "0005", "0005", voor))
    # Winsum split: it shares Het Hogeland with Bedum, but is not wholly in it, and has no
    # one successor.
    assert holds(gedeeld, _Feit(register, "0053", "0005", op))
    assert not holds(binnen, _Feit(register, "0053", "0005", op))
    assert holds(binnen, _Feit(register, "0053", ("1966", "1969"), op))
    assert not holds(enige, _Feit(register, "0053", "1966", op))
    # No gemeente: no successors (within anything, shared with nothing).
    assert holds(binnen, _Feit(register, None, "0005", op))
    assert not holds(gedeeld, _Feit(register, None, "0005", op))
    assert not holds(enige, _Feit(register, None, None, op))


def test_a_comparison_of_successors_needs_its_compiler():
    term = IN_REGIO_FEITEN["in_eigen_gemeente"]
    with pytest.raises(TypeError, match="compile_opvolging"):
        compile_term(term, {"gemeente_code": pl.col("gemeente_code")})
