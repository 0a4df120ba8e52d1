"""The places of the stays on the peildatum (2015 text, 2°), both ways.

"De plaats van het werkelijke verblijf van de jeugdige" is declared once in the core: which
stays of the series count on the day and when two places are one
(``wpb.law.spans.PLAATSEN_VAN_VERBLIJF``), and what their number leads to
(``woonplaats_2015.PLAATS_ROUTES``). The reference evaluates it (``spans.places_on``,
``first_route``), the national executor compiles it (``wpb.batch.compile.compile_places``,
``places_of_stay``, ``decide_2015``). These properties run both on the same generated facts,
and check answers taken from the law.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wpb.batch.engine import REGEL_2015, decide_population, places_of_stay, prepare
from wpb.law.dates import PartialDate
from wpb.law.facts import (
    Case,
    Gezag,
    GezagSoort,
    Jeugdhulp,
    JeugdhulpVorm,
    Persoon,
    WerkelijkeVerblijfplaats,
)
from wpb.law.jeugdwet import woonplaats_2015
from wpb.law.jeugdwet.common import stay_series_on
from wpb.law.spans import PLAATSEN_VAN_VERBLIJF, places_on
from wpb.population.schema import cases_to_population
from wpb.refdata import gemeente_register

REGISTER = gemeente_register()
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
BASE = date(2021, 10, 1)
# Amsterdam, Rotterdam; Haren (0017, part of Groningen 0014 since 2019); Weesp (0457, part of
# Amsterdam from 2022-03-24); Littenseradiel (0140, split in 2018 over 0080, 1900 and 1949) and
# Leeuwarderadeel (0081, part of Leeuwarden 0080); no place.
CODES = ["0363", "0599", "0017", "0014", "0457", "0140", "0081", "0080", None]
# How the next stay begins relative to the end of the one before: overlapping, the same day,
# back to back, one day without a stay.
OFFSETS = [-20, -1, 0, 1, 2]


@st.composite
def stays(draw) -> tuple[list[Jeugdhulp], date]:
    """Stays (and ambulant care, and care reported as ambulant of a form that is always a
    stay) in several places, overlapping or back to back, and a peildatum usually on or next
    to one of their edges."""
    result: list[Jeugdhulp] = []
    begin = BASE + timedelta(days=draw(st.integers(0, 30)))
    for i in range(draw(st.integers(1, 5))):
        einde = None if draw(st.integers(0, 5)) == 0 else begin + timedelta(days=draw(st.integers(0, 40)))
        vorm = draw(st.sampled_from([None, JeugdhulpVorm.PLEEGOUDER, JeugdhulpVorm.JEUGDHULPAANBIEDER,
                                     JeugdhulpVorm.GEZINSHUIS]))
        verblijf = draw(st.sampled_from([True, True, False]))
        result.append(Jeugdhulp(f"jeugdhulp[{i}]", begin, einde, verblijf, vorm,
                                gemeente_code=draw(st.sampled_from(CODES))))
        begin = (einde or begin) + timedelta(days=draw(st.sampled_from(OFFSETS)))
    edges = [d for e in result for d in (e.begin, e.einde) if d is not None]
    near = draw(st.sampled_from(edges)) + timedelta(days=draw(st.integers(-1, 1)))
    return result, near


def _case(peildatum: date, episodes, wvp: str | None = None) -> Case:
    """A youth of 9 under voogdij of an instelling (2°), with these episodes."""
    return Case(
        peildatum, Persoon("jeugdige", PartialDate.exact(date(2013, 5, 17)), ()),
        jeugdhulp=tuple(episodes),
        werkelijke_verblijfplaats=WerkelijkeVerblijfplaats("werkelijkeVerblijfplaats", wvp) if wvp else None,
        gezag=Gezag("gezag", GezagSoort.VOOGDIJ),
    )


def _answers(cases: list[Case], peildatum: date) -> list[tuple[tuple, tuple]]:
    """Per case (the national executor's answer, the reference's): status, gemeente,
    onderdeel, reden."""
    population, ids = cases_to_population(cases)
    result = decide_population(population, peildatum, REGISTER, regel=REGEL_2015)
    columnar = {r[0]: r[1:] for r in result.select(
        "persoon_id", "status", "gemeente", "onderdeel", "reden").iter_rows()}
    pairs = []
    for pid, case in zip(ids, cases, strict=True):
        outcome, _ = woonplaats_2015.decide(case, REGISTER)
        onderdeel = outcome.grondslag.onderdeel if outcome.grondslag else None
        pairs.append((columnar[pid], (outcome.status.value, outcome.gemeente, onderdeel,
                                      outcome.reden.value if outcome.reden else None)))
    return pairs


@SETTINGS
@given(st.lists(stays(), min_size=1, max_size=10), st.integers(0, 9),
       st.sampled_from([None, "0599", "0017"]))
def test_places_of_stay_are_the_same_in_both_executors(persons, pick, wvp):
    """PLAATSEN_VAN_VERBLIJF: the reference's places (``places_on`` over the series) against
    the executor's compiled columns, with and without contradictory care read as a stay: the
    same number of places and, where there is one, the same municipalities. Then the whole 2°
    (PLAATS_ROUTES) through both executors."""
    peildatum = persons[pick % len(persons)][1]
    cases = [_case(peildatum, h, wvp) for h, _ in persons]
    population, ids = cases_to_population(cases)
    prep = prepare(population, peildatum, REGISTER)
    for as_stay in (False, True):
        columnar = {pid: (n, frozenset(prep.candidates.get(key, (key,))) if n == 1 else None)
                    for pid, n, key in places_of_stay(prep, contradictory_as_stay=as_stay).iter_rows()}
        scalar = {}
        for pid, case in zip(ids, cases, strict=True):
            series = stay_series_on(case.jeugdhulp, peildatum, contradictory_as_stay=as_stay)
            places = places_on(PLAATSEN_VAN_VERBLIJF, series.episodes if series else (), peildatum,
                               lambda code: REGISTER.successors(code, peildatum).codes)
            if places:
                (one, *more) = places
                scalar[pid] = (len(places), None if more else frozenset(int(c) for c in one))
        assert columnar == scalar
    for columnar, reference in _answers(cases, peildatum):
        assert columnar == reference


def _stay(i: int, begin: date, einde: date | None, code: str | None) -> Jeugdhulp:
    return Jeugdhulp(f"jeugdhulp[{i}]", begin, einde, True, JeugdhulpVorm.PLEEGOUDER, gemeente_code=code)


def test_places_answers_from_the_law():
    """2° (text of 2015): "de plaats van het werkelijke verblijf" on the peildatum. Stays in
    Haren and Groningen in 2020 are one place (Groningen); stays in Amsterdam and Rotterdam on
    the same day are two, and the facts do not say which; a stay that ended the day before
    does not count, one that ends on the peildatum does (the end is its last day); without a
    stay on the peildatum, the werkelijke verblijfplaats."""
    day = date(2020, 6, 1)
    cases = [
        _case(day, [_stay(0, date(2020, 1, 1), None, "0017"), _stay(1, date(2020, 3, 1), None, "0014")]),
        _case(day, [_stay(0, date(2020, 1, 1), None, "0363"), _stay(1, date(2020, 3, 1), None, "0599")]),
        _case(day, [_stay(0, date(2020, 1, 1), day - timedelta(days=1), "0363"), _stay(1, day, None, "0599")]),
        _case(day, [_stay(0, date(2020, 1, 1), day, "0363"), _stay(1, day, None, "0599")]),
        _case(day, [_stay(0, date(2020, 1, 1), date(2020, 5, 1), "0363")], wvp="0599"),
        # Ambulant care in another place is no stay.
        _case(day, [_stay(0, date(2020, 1, 1), None, "0363"),
                    Jeugdhulp("jeugdhulp[1]", date(2020, 2, 1), None, False, gemeente_code="0599")]),
    ]
    expected = [
        ("bepaald", "0014", 2, None),
        ("review", None, 2, "tegenstrijdige_jeugdhulp"),
        ("bepaald", "0599", 2, None),
        ("review", None, 2, "tegenstrijdige_jeugdhulp"),
        ("bepaald", "0599", 2, None),
        ("bepaald", "0363", 2, None),
    ]
    for (columnar, reference), answer in zip(_answers(cases, day), expected, strict=True):
        assert columnar == reference == answer


def test_the_places_are_the_stays_that_run_on_the_day():
    """The declaration itself: a stay begun after the day, or ended before it, names no place
    on it; a stay without a gemeente names none."""
    day = date(2020, 6, 1)
    episodes = (_stay(0, date(2020, 1, 1), None, "0363"), _stay(1, date(2020, 1, 1), None, None))
    assert list(places_on(PLAATSEN_VAN_VERBLIJF, episodes, day, str)) == ["0363"]
    later = _stay(2, day + timedelta(days=1), None, "0599")
    ended = _stay(3, date(2020, 1, 1), day - timedelta(days=1), "0014")
    assert list(places_on(PLAATSEN_VAN_VERBLIJF, (*episodes, later, ended), day, str)) == ["0363"]
