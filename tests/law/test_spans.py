"""The predicates over time (wpb.law.spans) and the mother at birth (3°), both ways.

Each is declared once in the core; the reference engine evaluates the declaration
(``series_on``, ``aantekening_from``, the route tables of 3°), the national executor compiles
it to polars (``wpb.batch.compile``, used by ``wpb.batch.jeugdwet``). These properties run the
executor's own functions and the reference's on the same generated facts, and check a few
answers taken from the law, so that the two cannot drift apart or agree on a wrong reading.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wpb.batch.compile import compile_days_before, compile_route_index, compile_routes, compile_term
from wpb.batch.engine import (
    REGEL_2022,
    aantekening_columns,
    adult_facts,
    day_number,
    decide_population,
    prepare,
    series_begin,
)
from wpb.batch.jeugdwet.prepare import _OPEN_END, begun_by, runs_on
from wpb.batch.jeugdwet.readings import aantekening_on_day, late_aantekening, reading_env
from wpb.law.dates import PartialDate, Period
from wpb.law.facts import (
    Case,
    Jeugdhulp,
    JeugdhulpVorm,
    Persoon,
    Verblijfplaats,
    VerblijfplaatsSoort,
    WerkelijkeVerblijfplaats,
)
from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE
from wpb.law.jeugdwet import woonplaats_2022
from wpb.law.jeugdwet.common import JEUGDHULPKETEN, stay_series_on
from wpb.law.predicates import (
    MOEDER_INGEZETENE,
    PEILDATUM,
    MoederFacts,
    ReadingFacts,
    first_route,
    holds,
)
from wpb.law.registration import Reading
from wpb.law.spans import (
    AANTEKENING_MOGELIJK_VANAF,
    AANTEKENING_NA_DAG,
    DAG,
    DAG_VOOR_VERBLIJF,
    VERBLIJFSREEKS,
    AantekeningNaFacts,
    DaysBefore,
    MonthsAfter,
    begonnen_op,
    loopt_op,
    series_on,
)
from wpb.population.schema import cases_to_population
from wpb.refdata import gemeente_register

REGISTER = gemeente_register()
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
BASE = date(2023, 1, 1)
LATE = date(2030, 1, 1)  # a peildatum after every generated day
# How the next episode begins relative to the last day of the one before: overlapping, on the
# same day, the day after (back to back), after one or two days without care, and around half
# a year (2023-01-31 + 6 months is 2023-07-31).
OFFSETS = [-3, 0, 1, 2, 3, 181, 182, 183, 184, 185, 400]


def _episode(i: int, begin: date, einde: date | None, verblijf: bool,
             vorm: JeugdhulpVorm | None = None) -> Jeugdhulp:
    return Jeugdhulp(f"jeugdhulp[{i}]", begin, einde, verblijf, vorm)


@st.composite
def care_history(draw) -> tuple[list[Jeugdhulp], date]:
    """Episodes in runs (overlapping, back to back, with small and half-year gaps), of every
    form, and a day to ask about: usually on or next to a begin or an end."""
    result: list[Jeugdhulp] = []
    begin = BASE + timedelta(days=draw(st.integers(0, 40)))
    for i in range(draw(st.integers(1, 6))):
        einde = None if draw(st.integers(0, 6)) == 0 else begin + timedelta(days=draw(st.integers(0, 60)))
        vorm = draw(st.sampled_from([None, *JeugdhulpVorm]))
        result.append(Jeugdhulp(f"jeugdhulp[{i}]", begin, einde, draw(st.booleans()), vorm,
                                in_verband_met_jji=draw(st.sampled_from([None, False, True]))))
        begin = (einde or begin) + timedelta(days=draw(st.sampled_from(OFFSETS)))
    edges = [d for e in result for d in (e.begin, e.einde) if d is not None]
    near = draw(st.sampled_from(edges)) + timedelta(days=draw(st.integers(-1, 1)))
    anywhere = BASE + timedelta(days=draw(st.integers(0, 900)))
    return result, draw(st.sampled_from([near, near, anywhere]))


def _population(histories: list[list[Jeugdhulp]]):
    cases = [Case(LATE, Persoon(f"p{i}", None, ()), jeugdhulp=tuple(h)) for i, h in enumerate(histories)]
    return cases_to_population(cases)


@SETTINGS
@given(st.lists(care_history(), min_size=1, max_size=12), st.integers(0, 900))
def test_series_of_stays_and_chain_of_care_are_the_same_in_both_executors(persons, shift):
    """VERBLIJFSREEKS (with and without contradictory care as a stay) and JEUGDHULPKETEN:
    the reference's fold against the national executor's compiled columns."""
    histories = [h for h, _ in persons]
    population, ids = _population(histories)
    # Per person its own day (the JJI limb asks for a series on another day than the peildatum).
    prep = prepare(population, LATE, REGISTER)
    days = pl.DataFrame({"pid": ids, "d": [day_number(d) for _, d in persons]},
                        schema={"pid": pl.Int64, "d": pl.Int32})
    for as_stay in (False, True):
        columnar = dict(series_begin(prep, contradictory_as_stay=as_stay, only=days, day="d").iter_rows())
        scalar = {}
        for pid, (history, day) in zip(ids, persons, strict=True):
            series = stay_series_on(tuple(history), day, contradictory_as_stay=as_stay)
            if series is not None:
                scalar[pid] = day_number(series.begin)
        assert columnar == scalar
    # One peildatum for everybody: the series on the peildatum and the chain of jeugdhulp.
    peildatum = BASE + timedelta(days=shift)
    prep = prepare(population, peildatum, REGISTER)
    for as_stay in (False, True):
        columnar = dict(series_begin(prep, contradictory_as_stay=as_stay).iter_rows())
        scalar = {
            pid: day_number(s.begin) for pid, h in zip(ids, histories, strict=True)
            if (s := stay_series_on(tuple(h), peildatum, contradictory_as_stay=as_stay)) is not None
        }
        assert columnar == scalar
    chains = adult_facts(prep).filter(pl.col("chain_begin").is_not_null())
    columnar = dict(chains.select("pid", "chain_begin").iter_rows())
    scalar = {
        pid: day_number(chain[0].begin) for pid, h in zip(ids, histories, strict=True)
        if (chain := series_on(JEUGDHULPKETEN, h, peildatum))
    }
    assert columnar == scalar


def test_series_answers_from_the_law():
    """"een of meerdere aaneengesloten verblijfstrajecten": a stay beginning the day after the
    previous one ended continues it; one day without a stay interrupts it. Jeugdhulp resumed
    within half a year continues the chain (art. 1.1 "jeugdige" 3°), later it does not."""
    first = _episode(0, date(2023, 3, 1), date(2023, 3, 10), True, JeugdhulpVorm.PLEEGOUDER)
    for begin, one_series in ((date(2023, 3, 11), True), (date(2023, 3, 12), False)):
        second = _episode(1, begin, None, True, JeugdhulpVorm.GEZINSHUIS)
        found = series_on(VERBLIJFSREEKS, (second, first), date(2023, 6, 1))
        assert found[0].begin == (first.begin if one_series else begin)
        population, (pid,) = _population([[first, second]])
        prep = prepare(population, date(2023, 6, 1), REGISTER)
        assert series_begin(prep, contradictory_as_stay=False)["series_begin"].to_list() == [
            day_number(first.begin if one_series else begin)]
    # Ambulant care is no stay; care of a form that is always a stay counts only in the
    # reading "als verblijf".
    ambulant = _episode(1, date(2023, 3, 11), None, False, JeugdhulpVorm.PLEEGOUDER)
    assert stay_series_on((first, ambulant), date(2023, 6, 1), contradictory_as_stay=False) is None
    assert stay_series_on((first, ambulant), date(2023, 6, 1), contradictory_as_stay=True).begin == first.begin
    # The series ends on its last day: it covers that day, not the next.
    assert series_on(VERBLIJFSREEKS, (first,), date(2023, 3, 10)) == (first,)
    assert series_on(VERBLIJFSREEKS, (first,), date(2023, 3, 11)) == ()
    # Half a year after 31 January is 31 July.
    care = _episode(0, date(2022, 6, 1), date(2023, 1, 31), False, JeugdhulpVorm.JEUGDHULPAANBIEDER)
    for begin, continued in ((date(2023, 7, 31), True), (date(2023, 8, 1), False)):
        resumed = _episode(1, begin, None, False, JeugdhulpVorm.JEUGDHULPAANBIEDER)
        assert series_on(JEUGDHULPKETEN, (care, resumed), date(2023, 9, 1))[0].begin == (
            care.begin if continued else begin)
        population, _ = _population([[care, resumed]])
        prep = prepare(population, date(2023, 9, 1), REGISTER)
        assert adult_facts(prep)["chain_begin"].to_list() == [day_number(care.begin if continued else begin)]


# --- the aantekening on a record (art. 2.26 Wet BRP) -------------------------------------------


@st.composite
def partial_day(draw) -> PartialDate | None:
    d = BASE + timedelta(days=draw(st.integers(-400, 400)))
    return draw(st.sampled_from([
        None, PartialDate.exact(d), PartialDate.year_month(d.year, d.month), PartialDate.year(d.year),
    ]))


@st.composite
def marked_record(draw) -> Verblijfplaats:
    return Verblijfplaats(
        "verblijfplaatshistorie[0]", VerblijfplaatsSoort.ADRES, Period(PartialDate.exact(date(2020, 1, 1)), None),
        gemeente_code="0363", in_onderzoek=draw(st.booleans()), onderzoek_vanaf=draw(partial_day()),
        vastgesteld_niet_op_adres=draw(st.booleans()), niet_op_adres_vanaf=draw(partial_day()),
    )


def _aantekening_columns(records: list[Verblijfplaats]) -> list[tuple[int | None, int | None]]:
    cases = [Case(LATE, Persoon(f"p{i}", None, (r,))) for i, r in enumerate(records)]
    population, _ = cases_to_population(cases)
    return list(population.verblijfplaatsen.select(*aantekening_columns()).iter_rows())


def _on_day(cert_from: int | None, poss_from: int | None, days: list[date]) -> list[tuple[bool, bool]]:
    """The national executor's AANTEKENING_ZEKER_OP_DAG / _MOGELIJK_OP_DAG (``aantekening_on_day``)
    over a record's columns, per day."""
    frame = pl.DataFrame({"cert_from": [cert_from] * len(days), "poss_from": [poss_from] * len(days),
                          "day": [day_number(d) for d in days]},
                         schema={"cert_from": pl.Int32, "poss_from": pl.Int32, "day": pl.Int32})
    certain, possible = aantekening_on_day(pl.col("day"))
    return list(frame.select(certain, possible.alias("p")).iter_rows())


@SETTINGS
@given(st.lists(marked_record(), min_size=1, max_size=20), st.lists(st.integers(-500, 500), min_size=1, max_size=6))
def test_aantekening_dates_are_the_same_in_both_executors(records, offsets):
    """AANTEKENINGEN: (certainly, possibly) on a day, by the reference record and by the
    national executor's columns (cert_from, poss_from), partial vanaf dates included."""
    columns = _aantekening_columns(records)
    for record, (cert_from, poss_from) in zip(records, columns, strict=True):
        for day in [BASE + timedelta(days=o) for o in offsets] + [
            d.earliest + timedelta(days=k) for d in (record.onderzoek_vanaf, record.niet_op_adres_vanaf)
            if d is not None for k in (-1, 0)] + [
            d.latest + timedelta(days=k) for d in (record.onderzoek_vanaf, record.niet_op_adres_vanaf)
            if d is not None for k in (-1, 0)]:
            assert _on_day(cert_from, poss_from, [day]) == [record.aantekening_on(day)], (record, day)


def test_aantekening_answers_from_the_law():
    """An aantekening from a month only: possibly in that month, certainly from its last day;
    without a date it holds on the whole record; a date of "niet op adres" implies the mark."""
    may = PartialDate.year_month(2023, 5)
    base = Verblijfplaats("r", VerblijfplaatsSoort.ADRES, Period(PartialDate.exact(date(2020, 1, 1)), None),
                          gemeente_code="0363")
    onderzoek = replace(base, in_onderzoek=True, onderzoek_vanaf=may)
    whole = replace(base, vastgesteld_niet_op_adres=True)
    dated = replace(base, niet_op_adres_vanaf=PartialDate.exact(date(2023, 5, 16)))
    unflagged_date = replace(base, onderzoek_vanaf=may)  # a date without the mark: none
    expected = {
        onderzoek: [(False, False), (False, True), (True, True)],
        whole: [(True, True)] * 3,
        dated: [(False, False), (False, False), (True, True)],
        unflagged_date: [(False, False)] * 3,
    }
    on = [date(2023, 4, 30), date(2023, 5, 15), date(2023, 5, 31)]
    columns = _aantekening_columns(list(expected))
    for (record, answers), (cert_from, poss_from) in zip(expected.items(), columns, strict=True):
        assert [record.aantekening_on(d) for d in on] == answers
        assert _on_day(cert_from, poss_from, on) == answers


def _aantekening_after(records: list[Verblijfplaats], days: list[date], peildatum: date) -> list[list[bool]]:
    """AANTEKENING_NA_DAG compiled over the national executor's record columns (``poss_from``;
    as ``readings.reading_env`` gives it to WOONADRES_ROUTES) per record and day."""
    cases = [Case(peildatum, Persoon(f"p{i}", None, (r,))) for i, r in enumerate(records)]
    population, _ = cases_to_population(cases)
    prep = prepare(population, peildatum, REGISTER)
    p = day_number(peildatum)
    frame = prep.records.sort("pid").select(
        *(compile_term(AANTEKENING_NA_DAG, {AANTEKENING_MOGELIJK_VANAF.name: pl.col("poss_from"),
                                            DAG.name: pl.lit(day_number(d)), PEILDATUM.name: pl.lit(p)})
          .alias(str(i)) for i, d in enumerate(days)))
    return [list(row) for row in frame.iter_rows()]


def _reference_after(record: Verblijfplaats, day: date, peildatum: date) -> bool:
    """AANTEKENING_NA_DAG by the reference on a record (its ``aantekening_vanaf``), as
    woonplaats_2022.woonadres_facts gives it to WOONADRES_ROUTES."""
    return holds(AANTEKENING_NA_DAG, AantekeningNaFacts(record.aantekening_vanaf[1], day, peildatum))


def _days_near_aantekeningen(records: list[Verblijfplaats], offsets: list[int], peildatum: date) -> list[date]:
    """Days around BASE, on and the day before the bounds of the records' partial aantekening
    dates, the peildatum and the day before it."""
    edges = [d + timedelta(days=k) for r in records for v in (r.onderzoek_vanaf, r.niet_op_adres_vanaf)
             if v is not None for d in (v.earliest, v.latest) for k in (-1, 0)]
    return [BASE + timedelta(days=o) for o in offsets] + edges[:8] + [peildatum, peildatum - timedelta(days=1)]


@SETTINGS
@given(st.lists(marked_record(), min_size=1, max_size=15), st.lists(st.integers(-500, 500), min_size=1, max_size=4),
       st.integers(-400, 400))
def test_aantekening_placed_after_a_day_is_the_same_in_both_executors(records, offsets, shift):
    """AANTEKENING_NA_DAG (an aantekening placed after the day before a stay, by the
    peildatum: a route of WOONADRES_ROUTES) by the reference on the record and by the
    national executor on its columns, on days on and next to the bounds of partial dates."""
    peildatum = BASE + timedelta(days=shift)
    days = _days_near_aantekeningen(records, offsets, peildatum)
    columnar = _aantekening_after(records, days, peildatum)
    for record, row in zip(records, columnar, strict=True):
        assert row == [_reference_after(record, d, peildatum) for d in days], record


def test_aantekening_placed_after_answers_from_the_law():
    """In onderzoek from May 2023 (a month only): placed after 30 April, when the peildatum is
    in May or later; not after 1 or 15 May (it may have been placed by then), nor when the
    peildatum is in April (not yet placed). A mark without a date holds on the whole record,
    so it was never placed after the day; a record without one never."""
    base = Verblijfplaats("r", VerblijfplaatsSoort.ADRES, Period(PartialDate.exact(date(2020, 1, 1)), None),
                          gemeente_code="0363")
    may = replace(base, in_onderzoek=True, onderzoek_vanaf=PartialDate.year_month(2023, 5))
    whole = replace(base, vastgesteld_niet_op_adres=True)
    days = [date(2023, 4, 30), date(2023, 5, 1), date(2023, 5, 15)]
    never = [False, False, False]
    for peildatum, answers in ((date(2023, 6, 1), [[True, False, False], never, never]),
                               (date(2023, 5, 1), [[True, False, False], never, never]),
                               (date(2023, 4, 30), [never, never, never])):
        assert [[_reference_after(r, d, peildatum) for d in days]
                for r in (may, whole, base)] == answers
        assert _aantekening_after([may, whole, base], days, peildatum) == answers


# --- where WOONADRES_ROUTES lead a reading, the late aantekening included ----------------------

_KINDS = [(VerblijfplaatsSoort.ADRES, "0363", False), (VerblijfplaatsSoort.ADRES, "0363", True),
          (VerblijfplaatsSoort.LOCATIE, "0363", False), (VerblijfplaatsSoort.ADRES, RNI_CODE, False),
          (VerblijfplaatsSoort.ONBEKEND, None, False), (VerblijfplaatsSoort.ADRES, UNKNOWN_CODE, False)]


@st.composite
def any_marked_record(draw) -> Verblijfplaats:
    """A record of any kind (a woonadres, a briefadres, the RNI, onbekend) with an aantekening
    that may have a partial date."""
    soort, code, brief = draw(st.sampled_from(_KINDS))
    return replace(draw(marked_record()), soort=soort, gemeente_code=code, briefadres=brief)


def _woonadres_routes(records: list[Verblijfplaats], days: list[date], peildatum: date) -> list[list[tuple]]:
    """The national executor's WOONADRES_ROUTES per record and day (``readings.reading_env``,
    compiled): the route of the reading with an aantekening that may hold, of the reading
    with only a certain one, and whether the first reaches the open question
    (``readings.late_aantekening``)."""
    cases = [Case(peildatum, Persoon(f"p{i}", None, (r,))) for i, r in enumerate(records)]
    population, _ = cases_to_population(cases)
    prep = prepare(population, peildatum, REGISTER)
    p, routes = day_number(peildatum), woonplaats_2022.WOONADRES_ROUTES
    exprs = []
    for i, d in enumerate(days):
        day = pl.lit(day_number(d))
        certain, possible = aantekening_on_day(day)
        with_mark, without = reading_env(certain | possible, day, p), reading_env(certain, day, p)
        exprs.append(pl.concat_list(
            compile_route_index(routes, with_mark).cast(pl.Int32), compile_route_index(routes, without).cast(pl.Int32),
            late_aantekening(with_mark).cast(pl.Int32)).alias(str(i)))
    frame = prep.records.sort("pid").select(*exprs)
    return [[tuple(cell) for cell in row] for row in frame.iter_rows()]


def _reference_routes(record: Verblijfplaats, day: date, peildatum: date) -> tuple:
    """The reference's WOONADRES_ROUTES for the readings of ``record`` on ``day`` (with an
    aantekening that may hold, with only a certain one), as woonplaats_2022._from_reading
    walks them."""
    routes = woonplaats_2022.WOONADRES_ROUTES
    certain, possible = record.aantekening_on(day)
    found = [first_route(routes, woonplaats_2022.woonadres_facts(Reading(record, mark, False), day, peildatum))[0]
             for mark in (possible, certain)]
    late = found[0].gevolg == woonplaats_2022.GEVOLG_AANTEKENING_NA_DAG
    return routes.index(found[0]), routes.index(found[1]), int(late)


@SETTINGS
@given(st.lists(any_marked_record(), min_size=1, max_size=15),
       st.lists(st.integers(-500, 500), min_size=1, max_size=4), st.integers(-400, 400))
def test_woonadres_routes_are_the_same_in_both_executors(records, offsets, shift):
    """WOONADRES_ROUTES, the route of an aantekening placed after the day read (gevolg
    GEVOLG_AANTEKENING_NA_DAG, the open question) included: walked by the reference, compiled
    by the national executor, on every kind of record and on days on and next to the bounds
    of partial aantekening dates, the peildatum among them."""
    peildatum = BASE + timedelta(days=shift)
    days = _days_near_aantekeningen(records, offsets, peildatum)
    columnar = _woonadres_routes(records, days, peildatum)
    for record, row in zip(records, columnar, strict=True):
        assert row == [_reference_routes(record, d, peildatum) for d in days], record


def test_woonadres_routes_answers_from_the_law():
    """In onderzoek from May 2023 (a month only), peildatum 1 June 2023. Read on 30 April (the
    day before a stay beginning 1 May) the aantekening was placed after that day: the open
    question, both readings. Read on 15 May it may hold that day: the reading with it is 3°,
    the one without the woonadres. Read on the peildatum (1°) it holds: 3°; the open question
    does not arise under 1°, whatever the mark. A briefadres is no woonadres (3°), even with
    an aantekening placed later."""
    routes = woonplaats_2022.WOONADRES_ROUTES
    base = Verblijfplaats("r", VerblijfplaatsSoort.ADRES, Period(PartialDate.exact(date(2020, 1, 1)), None),
                          gemeente_code="0363")
    may = replace(base, in_onderzoek=True, onderzoek_vanaf=PartialDate.year_month(2023, 5))
    brief = replace(may, briefadres=True)
    peildatum = date(2023, 6, 1)
    days = [date(2023, 4, 30), date(2023, 5, 15), peildatum]
    late = routes.index(next(r for r in routes if r.gevolg == woonplaats_2022.GEVOLG_AANTEKENING_NA_DAG))
    woonadres = routes.index(next(r for r in routes if r.gevolg == woonplaats_2022.GEVOLG_WOONADRES))
    aantekening = 3  # "aantekening art. 2.26 Wet BRP bij het woonadres" (3°)
    no_woonadres = 2  # "geen woonadres" (3°)
    assert routes[aantekening].onderdeel == routes[no_woonadres].onderdeel == 3
    expected = [
        [(late, late, 1), (aantekening, woonadres, 0), (aantekening, aantekening, 0)],
        [(no_woonadres, no_woonadres, 0)] * 3,
        [(woonadres, woonadres, 0)] * 3,
    ]
    for record, answers in zip((may, brief, base), expected, strict=True):
        assert [_reference_routes(record, d, peildatum) for d in days] == answers
    assert _woonadres_routes([may, brief, base], days, peildatum) == expected


def test_the_toelichting_names_the_route_of_a_late_aantekening():
    """The route is walked, so the toelichting names it (a deliberate change of its "Getoetst"
    line). The youth lived in The Hague (0518) until a stay began on 2022-10-01; an onderzoek
    on that address was opened on 2023-01-16; peildatum 2023-05-01. Under 2° the route holds
    (the open question: a review under 2°); without the stay, 1° reads the Leiden address
    (0546) on the peildatum, where the route is tried and does not hold."""
    exact = PartialDate.exact
    jeugdige = Persoon("jeugdige", exact(date(2008, 1, 1)), (
        Verblijfplaats("jeugdige.verblijfplaatshistorie[0]", VerblijfplaatsSoort.ADRES,
                       Period(exact(date(2008, 1, 1)), exact(date(2022, 10, 1))), gemeente_code="0518",
                       in_onderzoek=True, onderzoek_vanaf=exact(date(2023, 1, 16))),
        Verblijfplaats("jeugdige.verblijfplaatshistorie[1]", VerblijfplaatsSoort.ADRES,
                       Period(exact(date(2022, 10, 1)), None), gemeente_code="0546"),
    ))
    peildatum = date(2023, 5, 1)
    late = woonplaats_2022.WOONADRES_ROUTES[-2].toets
    stay = Case(peildatum, jeugdige, None,
                (Jeugdhulp("jeugdhulp[0]", date(2022, 10, 1), None, True, JeugdhulpVorm.PLEEGOUDER),))
    outcome, trace = woonplaats_2022.decide(stay, REGISTER)
    assert (outcome.status.value, outcome.grondslag.onderdeel, outcome.reden.value) == (
        "review", 2, "open_rechtsvraag")
    assert f"{late}: ja." in trace.toelichting
    outcome, trace = woonplaats_2022.decide(Case(peildatum, jeugdige, None, ()), REGISTER)
    assert (outcome.status.value, outcome.gemeente, outcome.grondslag.onderdeel) == ("bepaald", "0546", 1)
    assert f"{late}: nee; woonadres in een Nederlandse gemeente: ja." in trace.toelichting


# --- the mother at the birth (3°) ---------------------------------------------------------------

_SOORTEN = [s.value for s in VerblijfplaatsSoort]
_CODES = [None, "0363", "0599", RNI_CODE, UNKNOWN_CODE]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.sampled_from(_SOORTEN), st.sampled_from(_CODES), st.booleans()),
                min_size=1, max_size=40))
def test_mother_routes_are_the_same_scalar_and_columnar(readings):
    """MOEDER_INSCHRIJVING_ROUTES and MOEDER_ROUTES, by first_route and compiled."""
    facts = [ReadingFacts(ingeschreven=ing, aantekening=False, soort=soort if ing else None,
                          gemeente_code=code if ing else None, briefadres=brief)
             for ing, soort, code, brief in readings]
    frame = pl.DataFrame([{"ingeschreven": f.ingeschreven, "aantekening": f.aantekening, "soort": f.soort,
                           "gemeente_code": f.gemeente_code, "briefadres": f.briefadres} for f in facts],
                         schema={"ingeschreven": pl.Boolean, "aantekening": pl.Boolean, "soort": pl.String,
                                 "gemeente_code": pl.String, "briefadres": pl.Boolean})
    env = {c: pl.col(c) for c in frame.columns}
    routes = woonplaats_2022.MOEDER_INSCHRIJVING_ROUTES
    columnar = frame.select(compile_routes(routes, env))[:, 0].to_list()
    assert columnar == [first_route(routes, f)[0].onderdeel or 0 for f in facts]
    assert frame.select(compile_term(MOEDER_INGEZETENE, env))[:, 0].to_list() == [
        holds(MOEDER_INGEZETENE, f) for f in facts]
    known = [MoederFacts(a, b) for a in (False, True) for b in (False, True)]
    known_frame = pl.DataFrame({"geboortedatum_bekend": [k.geboortedatum_bekend for k in known],
                                "moeder_historie": [k.moeder_historie for k in known]})
    columnar = known_frame.select(compile_routes(
        woonplaats_2022.MOEDER_ROUTES, {c: pl.col(c) for c in known_frame.columns}))[:, 0].to_list()
    assert columnar == [first_route(woonplaats_2022.MOEDER_ROUTES, k)[0].onderdeel or 0 for k in known]
    # Answers from the law: her registration is read only with a birth date and her history
    # ("ten tijde van diens geboorte"); "als ingezetene ingeschreven" includes a briefadres and
    # excludes abroad, the RNI and an unknown verblijfplaats.
    assert columnar == [3, 3, 3, 0]
    assert holds(MOEDER_INGEZETENE, ReadingFacts(True, False, "Adres", "0363", briefadres=True))
    assert not holds(MOEDER_INGEZETENE, ReadingFacts(True, False, "Adres", RNI_CODE))
    assert not holds(MOEDER_INGEZETENE, ReadingFacts(True, False, "VerblijfplaatsBuitenland"))
    assert not holds(MOEDER_INGEZETENE, ReadingFacts(False, False))
    # ... and the table leads them so: her gemeente (None), else the werkelijke verblijfplaats.
    leads = [first_route(routes, f)[0].onderdeel for f in (
        ReadingFacts(True, False, "Adres", "0363", briefadres=True),
        ReadingFacts(True, True, "Locatie", "0363"),  # an aantekening does not matter here
        ReadingFacts(True, False, "Adres", RNI_CODE),
        ReadingFacts(True, False, "VerblijfplaatsOnbekend"),
        ReadingFacts(False, False),
    )]
    assert leads == [None, None, 3, 3, 3]


@st.composite
def mother_cases(draw) -> Case:
    """A youth without any registration of his own (so 1° leads to 3°), born on a day known
    exactly or to the month, and a mother whose registration changes around the birth."""
    born = date(2012, 1, 1) + timedelta(days=draw(st.integers(0, 3000)))
    birth = draw(st.sampled_from([PartialDate.exact(born), PartialDate.exact(born),
                                  PartialDate.year_month(born.year, born.month)]))
    cuts = sorted(set(draw(st.lists(st.integers(-45, 45), max_size=3))))
    starts = [born - timedelta(days=3000), *(born + timedelta(days=c) for c in cuts)]
    bounds = [PartialDate.exact(starts[0])]
    for prev, d, nxt in zip(starts, starts[1:], [*starts[2:], None], strict=False):
        apart = (prev.year, prev.month) != (d.year, d.month) and (
            nxt is None or (nxt.year, nxt.month) != (d.year, d.month))
        month = apart and draw(st.integers(0, 3)) == 0
        bounds.append(PartialDate.year_month(d.year, d.month) if month else PartialDate.exact(d))
    records = []
    for i, van in enumerate(bounds):
        tot = bounds[i + 1] if i + 1 < len(bounds) else None
        soort = draw(st.sampled_from([VerblijfplaatsSoort.ADRES] * 4 + list(VerblijfplaatsSoort)))
        code = draw(st.sampled_from(["0363", "0599", "0017", RNI_CODE, UNKNOWN_CODE]))
        records.append(Verblijfplaats(
            f"verblijfplaatshistorie[{i}]", soort, Period(van, tot),
            gemeente_code=code if soort in (VerblijfplaatsSoort.ADRES, VerblijfplaatsSoort.LOCATIE) else None,
            briefadres=draw(st.integers(0, 4)) == 0,
        ))
    moeder = draw(st.sampled_from([Persoon("moeder", None, tuple(records))] * 4 + [None, Persoon("moeder", None, ())]))
    wvp = draw(st.sampled_from([None, WerkelijkeVerblijfplaats("werkelijkeVerblijfplaats", "0599")]))
    return Case(date(2024, 6, 1), Persoon("jeugdige", birth, ()), moeder=moeder, werkelijke_verblijfplaats=wvp)


@SETTINGS
@given(st.lists(mother_cases(), min_size=1, max_size=10))
def test_mother_at_birth_gives_the_same_answer_in_both_executors(cases):
    """3° through both executors: the mother's readings over a partially known birth day,
    each led by the declared routes to her gemeente or to the werkelijke verblijfplaats."""
    population, ids = cases_to_population(cases)
    result = decide_population(population, date(2024, 6, 1), REGISTER, regel=REGEL_2022)
    columnar = {r[0]: r[1:] for r in result.select("persoon_id", "status", "gemeente", "onderdeel", "reden").iter_rows()}
    for pid, case in zip(ids, cases, strict=True):
        outcome, _ = woonplaats_2022.decide(case, REGISTER)
        assert outcome.grondslag is not None and outcome.grondslag.onderdeel == 3
        assert columnar[pid] == (outcome.status.value, outcome.gemeente, 3,
                                 outcome.reden.value if outcome.reden else None), case


# --- the one month term (the half year of the jeugdhulpketen, the Wmo's twelve months) --------


@pytest.mark.parametrize(("last_day", "begin", "joins"), [
    (date(2022, 5, 31), date(2022, 11, 30), True),  # 31 May + 6 months: 30 November
    (date(2022, 5, 31), date(2022, 12, 1), False),
    (date(9999, 6, 30), date(9999, 12, 30), True),  # the term ends inside the calendar
    (date(9999, 6, 30), date(9999, 12, 31), False),
    (date(9999, 7, 1), date(9999, 12, 31), True),  # beyond the calendar: every day joins
    (date(9999, 12, 31), date(9999, 12, 31), True),
])
def test_half_a_year_after_the_last_day(last_day, begin, joins):
    assert MonthsAfter(6).joins(begin, last_day) is joins


# --- an episode runs on a day, its einde inclusive (LOOPT_OP_DAG, BEGONNEN_OP_DAG) ------------

_EPOCH = date(1970, 1, 1)
_AROUND = date(2023, 5, 10)
_near_days = st.integers(-3, 3).map(lambda n: _AROUND + timedelta(days=n))
_ends = st.one_of(st.none(), _near_days, st.just(date(9999, 12, 31)))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_near_days, _ends, _near_days), min_size=1, max_size=30))
def test_an_episode_runs_on_a_day_both_ways(rows):
    episodes = [(Jeugdhulp(f"jeugdhulp[{i}]", b, e, False, None), d)
                for i, (b, e, d) in enumerate(rows) if e is None or e >= b]
    if not episodes:
        return
    frame = pl.DataFrame({
        "begin": [(e.begin - _EPOCH).days for e, _ in episodes],
        "end": [_OPEN_END if e.einde is None else (e.einde - _EPOCH).days for e, _ in episodes],
        "day": [(d - _EPOCH).days for _, d in episodes],
    }, schema={"begin": pl.Int32, "end": pl.Int32, "day": pl.Int32})
    out = frame.select(runs_on(pl.col("day")).alias("runs"), begun_by(pl.col("day")).alias("begun"))
    assert out["runs"].to_list() == [e.covers(d) for e, d in episodes]
    assert out["begun"].to_list() == [begonnen_op(e, d) for e, d in episodes]


def test_an_episode_runs_from_its_first_to_its_last_day():
    # "einde" is the last day of care (iJw toewijzingen): inclusive; no einde: still running.
    care = Jeugdhulp("jeugdhulp[0]", date(2023, 5, 1), date(2023, 5, 10), False, None)
    assert not loopt_op(care, date(2023, 4, 30))
    assert loopt_op(care, date(2023, 5, 1)) and loopt_op(care, date(2023, 5, 10))
    assert not loopt_op(care, date(2023, 5, 11))
    assert loopt_op(replace(care, einde=None), date(2099, 1, 1))
    assert not begonnen_op(care, date(2023, 4, 30)) and begonnen_op(care, date(2023, 6, 1))


# --- the day immediately before the stay (2°), the core's one day term -------------------------

_FIRST, _LAST = date.min, date.max
_days_anywhere = st.one_of(
    st.dates(),
    st.integers(0, 400).map(lambda n: _FIRST + timedelta(days=n)),
    st.integers(0, 3).map(lambda n: _LAST - timedelta(days=n)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_days_anywhere, min_size=1, max_size=30), st.sampled_from([1, 2, 365, 366]))
def test_days_before_is_the_same_scalar_and_compiled(days, n):
    """DaysBefore (the day immediately before a stay, DAG_VOOR_VERBLIJF; the Wmo's 365 days)
    evaluated by the reference (``DaysBefore.on``) and compiled (``compile_days_before``), on
    any day, 0001-01-01 and 9999-12-31 and the days next to them included: a day that would
    lie before 0001-01-01 is none (None, null)."""
    term = DaysBefore(n)
    frame = pl.DataFrame({"day": [day_number(d) for d in days]}, schema={"day": pl.Int32})
    compiled = frame.select(compile_days_before(term, pl.col("day")))[:, 0].to_list()
    scalar = [term.on(d) for d in days]
    assert compiled == [None if d is None else day_number(d) for d in scalar]
    # The jeugdwet's declaration is one of them.
    assert [DAG_VOOR_VERBLIJF.on(d) for d in days] == [DaysBefore(1).on(d) for d in days]


def test_days_before_answers_from_the_law():
    """A stay beginning on 1 March reads the woonadres of the last day of February (29 February
    in a leap year); a stay beginning on 0001-01-01 (a common "no begin" value) has no day
    before it. The 365 days before a request on 2026-03-15 begin on 2025-03-15."""
    assert DAG_VOOR_VERBLIJF.days == 1 and "onmiddellijk voorafgaand" in DAG_VOOR_VERBLIJF.bron
    assert DAG_VOOR_VERBLIJF.on(date(2023, 3, 1)) == date(2023, 2, 28)
    assert DAG_VOOR_VERBLIJF.on(date(2024, 3, 1)) == date(2024, 2, 29)
    assert DAG_VOOR_VERBLIJF.on(date(1, 1, 2)) == date(1, 1, 1)
    assert DAG_VOOR_VERBLIJF.on(date(1, 1, 1)) is None
    assert DAG_VOOR_VERBLIJF.on(date(9999, 12, 31)) == date(9999, 12, 30)
    assert DaysBefore(365).on(date(2026, 3, 15)) == date(2025, 3, 15)


def test_a_stay_from_0001_01_01_reads_no_woonadres_before_it_in_both_executors():
    """A stay recorded from 0001-01-01, without a birth date: there is no day immediately before
    it, so no woonadres (3°, and without a birth date the werkelijke verblijfplaats) -- not the
    record that also begins on 0001-01-01 (the reference used to fail on the day before)."""
    record = Verblijfplaats("jeugdige.verblijfplaatshistorie[0]", VerblijfplaatsSoort.ADRES,
                            Period(PartialDate.exact(date(1, 1, 1)), None), gemeente_code="0344")
    case = Case(BASE, Persoon("jeugdige", None, (record,)), None,
                (Jeugdhulp("jeugdhulp[0]", date(1, 1, 1), None, True, JeugdhulpVorm.PLEEGOUDER),),
                WerkelijkeVerblijfplaats("werkelijkeVerblijfplaats", "0363"), None)
    outcome, _ = woonplaats_2022.decide(case, REGISTER)
    assert (outcome.status.value, outcome.gemeente, outcome.grondslag.onderdeel) == ("bepaald", "0363", 3)
    population, ids = cases_to_population([case])
    result = decide_population(population, BASE, REGISTER, regel=REGEL_2022)
    assert result.select("status", "gemeente", "onderdeel").row(0) == ("bepaald", "0363", 3)
    assert not result["via_referentie"].any()
