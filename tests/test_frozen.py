"""``wpb.frozen.maker`` builds the value the dataclass's own constructor builds."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpb.caseload.model import Toewijzing
from wpb.frozen import maker
from wpb.law.dates import PartialDate, Period
from wpb.law.facts import Jeugdhulp, JeugdhulpVorm, Verblijfplaats, VerblijfplaatsSoort

TEXT = st.one_of(st.none(), st.text(max_size=5))
DAY = st.dates(min_value=date(1900, 1, 1))


def _values(cls: type, draw) -> dict:
    """Every required field, and some of the others, with values of their kind."""
    by_name = {
        "soort": st.sampled_from(VerblijfplaatsSoort),
        "periode": st.builds(lambda d: Period(PartialDate.exact(d), None), DAY),
        "onderzoek_vanaf": st.none() | DAY.map(PartialDate.exact),
        "niet_op_adres_vanaf": st.none() | DAY.map(PartialDate.exact),
        "geboortedatum": DAY, "begindatum": DAY, "einddatum": st.none() | DAY,
        "verblijf_sinds": st.none() | DAY, "aanmelddatum": st.none() | DAY,
        "indicatie_begin": st.none() | DAY, "begin": DAY, "einde": st.none() | DAY,
        "vorm": st.none() | st.sampled_from(JeugdhulpVorm),
    }
    values = {}
    for f in dataclasses.fields(cls):
        if f.default is dataclasses.MISSING or draw(st.booleans()):
            kind = by_name.get(f.name)
            if kind is None:
                kind = st.booleans() if f.type in ("bool",) else TEXT
            values[f.name] = draw(kind)
    return values


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([Toewijzing, Verblijfplaats, Jeugdhulp]), st.data())
def test_the_value_equals_the_constructors(cls, data):
    values = _values(cls, data.draw)
    made, built = maker(cls)(**values), cls(**values)
    assert type(made) is cls
    assert made == built and hash(made) == hash(built)
    assert list(made.__dict__.items()) == list(built.__dict__.items())
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.bron = "x"  # type: ignore[misc]


def test_a_cached_property_works_on_the_value():
    values = {"bron": "r", "soort": VerblijfplaatsSoort.ADRES, "gemeente_code": "0344",
              "periode": Period(PartialDate.exact(date(2020, 1, 1)), None)}
    assert maker(Verblijfplaats)(**values).is_woonadres is Verblijfplaats(**values).is_woonadres


def test_a_missing_or_unknown_field_gives_the_constructors_error():
    make = maker(Verblijfplaats)
    with pytest.raises(TypeError, match="periode"):
        make(bron="r", soort=VerblijfplaatsSoort.ADRES)
    with pytest.raises(TypeError, match="gemeente"):
        make(bron="r", soort=VerblijfplaatsSoort.ADRES, periode=None, gemeente="0344")


def test_a_class_with_post_init_or_slots_is_refused():
    @dataclasses.dataclass(frozen=True)
    class Checked:
        x: int

        def __post_init__(self):
            assert self.x > 0

    @dataclasses.dataclass(frozen=True, slots=True)
    class Slotted:
        x: int

    for cls in (Checked, Slotted):
        with pytest.raises(TypeError):
            maker(cls)
