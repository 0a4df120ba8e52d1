"""The receipt's canonical JSON, written in one pass (``canonical_json``), is the text its
definition gives: ``json.dumps`` of the plain form with sorted keys, compact separators and
no ASCII escaping. Checked on arbitrary nested values, not only on the cases we have."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date
from enum import Enum, Flag, IntEnum

from hypothesis import given, settings
from hypothesis import strategies as st

from wpb.law.engine import _reference_json, canonical_json, input_hash
from wpb.law.facts import Case


class Kleur(str, Enum):
    ROOD = "rood"
    NUL = "\x00é"


class Getal(IntEnum):
    EEN = 1
    TWEE = 2


class Vlag(Flag):
    A = 1
    B = 2


@dataclass(frozen=True)
class Blad:
    z: object
    a: object
    ü: object = None


@dataclass
class Leeg:
    pass


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(), st.dates(), st.datetimes(timezones=st.sampled_from([None, UTC])),
    st.sampled_from([*Kleur, *Getal, Vlag.A, Vlag.A | Vlag.B]), st.just(Leeg()),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=3), st.integers(-5, 5).map(str)), inner,
                        max_size=4),
        st.builds(Blad, inner, inner, inner),
    ),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(values)
def test_the_one_pass_text_equals_the_definition(value):
    assert canonical_json(value) == _reference_json(value)


def test_the_text_is_valid_json_with_sorted_keys():
    text = canonical_json(Blad(z=date(2022, 1, 1), a=(Kleur.ROOD, Getal.TWEE), ü="ë"))
    assert text == '{"a":["rood",2],"z":"2022-01-01","ü":"ë"}'
    assert json.loads(text) == {"a": ["rood", 2], "z": "2022-01-01", "ü": "ë"}


def test_a_value_json_cannot_write_still_fails():
    try:
        canonical_json(Blad(a=object(), z=1))
    except TypeError:
        return
    raise AssertionError("an object without a JSON form was hashed")


def test_different_facts_give_different_hashes():
    one = Case(peildatum=date(2024, 1, 1), jeugdige=None, moeder=None, jeugdhulp=())  # type: ignore[arg-type]
    other = Case(peildatum=date(2024, 1, 2), jeugdige=None, moeder=None, jeugdhulp=())  # type: ignore[arg-type]
    assert input_hash(one) != input_hash(other)
    assert input_hash(one) == input_hash(Case(peildatum=date(2024, 1, 1), jeugdige=None,  # type: ignore[arg-type]
                                              moeder=None, jeugdhulp=()))
