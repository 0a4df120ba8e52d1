"""``holds`` turns a predicate into a Python function once (the woonplaatscheck's speed); its
answer is that of the predicate's tree walked on the fact (``_interpret``, the definition),
for every declared predicate and any combination of the fields they read."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from wpb.law.dates import PartialDate, Period
from wpb.law.facts import Jeugdhulp, JeugdhulpVorm, Verblijfplaats, VerblijfplaatsSoort
from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE
from wpb.law.predicates import (
    BIRTH_PREDICATES,
    BUITENLAND,
    EPISODE_PREDICATES,
    INGEZETENE_ADRES,
    JJI_GERELATEERD,
    RECORD_PREDICATES,
    STAY_BEGIN_PREDICATES,
    TEGENSTRIJDIGE_JEUGDHULP,
    WOONADRES,
    AgeFacts,
    Field,
    ReadingFacts,
    StayBeginFacts,
    _interpret,
    holds,
)

START = date(2020, 1, 1)
readings = st.builds(
    ReadingFacts, st.booleans(), st.booleans(),
    st.sampled_from([None, *(s.value for s in VerblijfplaatsSoort)]),
    st.sampled_from([None, "0363", "0788", RNI_CODE, UNKNOWN_CODE]), st.booleans(),
)
episodes = st.builds(
    lambda verblijf, vorm, jji: Jeugdhulp("j", START, None, verblijf, vorm, in_verband_met_jji=jji),
    st.booleans(), st.sampled_from([None, *JeugdhulpVorm]), st.sampled_from([None, False, True]),
)
records = st.builds(
    lambda soort, code, brief: Verblijfplaats("r", soort, Period(PartialDate.exact(START), None),
                                              gemeente_code=code, briefadres=brief),
    st.sampled_from(list(VerblijfplaatsSoort)),
    st.sampled_from([None, "0363", RNI_CODE, UNKNOWN_CODE]), st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(readings, episodes, records)
def test_the_compiled_predicate_answers_as_its_definition(reading, episode, record):
    for predicate in RECORD_PREDICATES:
        assert holds(predicate, reading) is _interpret(predicate, reading), predicate.name
        assert holds(predicate, record) is _interpret(predicate, record), predicate.name
    for predicate in EPISODE_PREDICATES:
        assert holds(predicate, episode) is _interpret(predicate, episode), predicate.name
    # The record keeps its answers (it is frozen): the same as asking the predicates again.
    assert (record.is_woonadres, record.is_ingezetene_adres, record.is_buitenland) == tuple(
        _interpret(p, record) for p in (WOONADRES, INGEZETENE_ADRES, BUITENLAND))
    assert (episode.is_contradictory, episode.is_jji_gerelateerd) == (
        _interpret(TEGENSTRIJDIGE_JEUGDHULP, episode), _interpret(JJI_GERELATEERD, episode))


days = st.one_of(st.none(), st.dates(date(2019, 12, 25), date(2020, 1, 5)))


@settings(max_examples=300, deadline=None)
@given(days, days, days, st.dates(date(2019, 12, 25), date(2020, 1, 5)))
def test_the_compiled_date_predicate_answers_as_its_definition(earliest, latest, begin, peildatum):
    stay = StayBeginFacts(earliest, latest, begin)
    age = AgeFacts(earliest, latest, peildatum)
    for predicate in STAY_BEGIN_PREDICATES:
        assert holds(predicate, stay) is _interpret(predicate, stay), predicate.name
    for predicate in BIRTH_PREDICATES:
        assert holds(predicate, age) is _interpret(predicate, age), predicate.name


def test_a_term_made_anew_is_compiled_anew():
    # Cached by identity: a new term at a reused address must not get the old function.
    for _ in range(200):
        term = Field("briefadres")
        assert holds(term, ReadingFacts(True, False, briefadres=True))
        assert not holds(~Field("briefadres"), ReadingFacts(True, False, briefadres=True))
