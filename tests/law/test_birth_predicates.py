"""A day against a partial birth date, declared once (wpb.law.predicates), both ways.

Jeugdwet art. 1.1 "jeugdige": nobody is a jeugdige before birth; art. 1.1 "woonplaats" 2° and
3°: a stay since birth has no woonadres "onmiddellijk voorafgaand", so 3° applies. With a
partial birth date (a month, a year, unknown) both hold for certain or only possibly. The
reference engine asks the declared predicates with ``holds``; the national executor compiles
them from its own day-number columns (``wpb.batch.engine.stay_begin_env``, ``age_env``).
These properties run both on generated births and days around the birth's bounds, and check
answers taken from the law.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from wpb.batch.compile import compile_term
from wpb.batch.engine import age_env, day_number, stay_begin_env
from wpb.law.dates import PartialDate
from wpb.law.predicates import (
    BIRTH_PREDICATES,
    PEILDATUM_VOOR_GEBOORTE_MOGELIJK,
    PEILDATUM_VOOR_GEBOORTE_ZEKER,
    STAY_BEGIN_PREDICATES,
    VERBLIJF_VANAF_GEBOORTE_MOGELIJK,
    VERBLIJF_VANAF_GEBOORTE_ZEKER,
    AgeFacts,
    StayBeginFacts,
    holds,
)

births = st.one_of(
    st.none(),
    st.just(PartialDate.unknown()),
    st.dates(date(2000, 1, 1), date(2020, 12, 31)).map(PartialDate.exact),
    st.tuples(st.integers(2000, 2020), st.integers(1, 12)).map(lambda ym: PartialDate.year_month(*ym)),
    st.integers(2000, 2020).map(PartialDate.year),
)


@st.composite
def birth_and_day(draw) -> tuple[PartialDate | None, date | None]:
    """A birth, and a day on, next to, between or far from its earliest and latest day."""
    birth = draw(births)
    if birth is None or draw(st.integers(0, 9)) == 0:
        return birth, draw(st.one_of(st.none(), st.dates(date(1999, 1, 1), date(2021, 12, 31))))
    low, high = birth.earliest, birth.latest
    bound = draw(st.sampled_from([low, high]))
    offset = draw(st.sampled_from([-400, -1, 0, 1, 400]))
    near = bound + timedelta(days=offset) if date(1801, 1, 1) < bound < date(9999, 1, 1) else bound
    inside = low + timedelta(days=draw(st.integers(0, (high - low).days)))
    return birth, draw(st.sampled_from([near, near, inside]))


def _bounds(birth: PartialDate | None) -> tuple[date | None, date | None]:
    return (birth.earliest, birth.latest) if birth else (None, None)


def _days(d: date | None) -> int | None:
    return None if d is None else day_number(d)


@settings(max_examples=80, deadline=None)
@given(st.lists(birth_and_day(), min_size=1, max_size=30))
def test_a_stay_from_birth_is_the_same_scalar_and_columnar(rows):
    """VERBLIJF_VANAF_GEBOORTE_*: the reference's holds against the executor's columns (day
    numbers, as wpb.batch.engine keeps them)."""
    facts = [StayBeginFacts(*_bounds(birth), verblijf_begin=begin) for birth, begin in rows]
    frame = pl.DataFrame(
        {"birth_e": [_days(f.geboorte_vroegst) for f in facts],
         "birth_l": [_days(f.geboorte_laatst) for f in facts],
         "b": [_days(f.verblijf_begin) for f in facts]},
        schema={"birth_e": pl.Int32, "birth_l": pl.Int32, "b": pl.Int32},
    )
    for predicate in STAY_BEGIN_PREDICATES:
        columnar = frame.select(compile_term(predicate, stay_begin_env("b")))[:, 0].to_list()
        assert columnar == [holds(predicate, f) for f in facts], predicate.name
    for f in facts:  # for certain implies possibly
        assert not holds(VERBLIJF_VANAF_GEBOORTE_ZEKER, f) or holds(VERBLIJF_VANAF_GEBOORTE_MOGELIJK, f)


@settings(max_examples=80, deadline=None)
@given(st.lists(birth_and_day(), min_size=1, max_size=20))
def test_a_peildatum_before_birth_is_the_same_scalar_and_columnar(rows):
    """PEILDATUM_VOOR_GEBOORTE_*: the reference's holds against the executor's age_env."""
    for birth, peildatum in rows:
        peildatum = peildatum or date(2010, 1, 1)
        facts = AgeFacts(*_bounds(birth), peildatum=peildatum)
        frame = pl.DataFrame({"birth_e": [_days(facts.geboorte_vroegst)],
                              "birth_l": [_days(facts.geboorte_laatst)]},
                             schema={"birth_e": pl.Int32, "birth_l": pl.Int32})
        for predicate in BIRTH_PREDICATES:
            columnar = frame.select(compile_term(predicate, age_env(peildatum)))[0, 0]
            assert columnar == holds(predicate, facts), predicate.name


def test_answers_from_the_law() -> None:
    born = PartialDate.exact(date(2010, 5, 1))
    may = PartialDate.year_month(2010, 5)

    def stay(birth: PartialDate | None, begin: date) -> tuple[bool, bool]:
        f = StayBeginFacts(*_bounds(birth), verblijf_begin=begin)
        return holds(VERBLIJF_VANAF_GEBOORTE_ZEKER, f), holds(VERBLIJF_VANAF_GEBOORTE_MOGELIJK, f)

    # A stay beginning on the day of birth: no woonadres immediately before it (3°); the day
    # after, the youth had a day with an address before the stay (2°).
    assert stay(born, date(2010, 5, 1)) == (True, True)
    assert stay(born, date(2010, 5, 2)) == (False, False)
    # Born in May 2010: a stay from 15 May may have begun at birth, one from 1 May surely did
    # (nobody born in May was born before it), one from 1 June did not.
    assert stay(may, date(2010, 5, 15)) == (False, True)
    assert stay(may, date(2010, 5, 1)) == (True, True)
    assert stay(may, date(2010, 6, 1)) == (False, False)
    # Without a birth date or without a stay, neither.
    assert stay(None, date(2010, 5, 1)) == (False, False)
    assert not holds(VERBLIJF_VANAF_GEBOORTE_MOGELIJK, StayBeginFacts(born.earliest, born.latest, None))

    def before(birth: PartialDate | None, peildatum: date) -> tuple[bool, bool]:
        f = AgeFacts(*_bounds(birth), peildatum=peildatum)
        return holds(PEILDATUM_VOOR_GEBOORTE_ZEKER, f), holds(PEILDATUM_VOOR_GEBOORTE_MOGELIJK, f)

    # No jeugdige before birth; a jeugdige on the day of birth itself.
    assert before(born, date(2010, 4, 30)) == (True, True)
    assert before(born, date(2010, 5, 1)) == (False, False)
    # Born in 2010: on 1 June 2010 possibly not yet born; on 1 January 2011 born for certain.
    assert before(PartialDate.year(2010), date(2010, 6, 1)) == (False, True)
    assert before(PartialDate.year(2010), date(2011, 1, 1)) == (False, False)
    assert before(None, date(2010, 6, 1)) == (False, False)
