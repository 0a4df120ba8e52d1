"""The readings of a registration over a day or a span, both ways.

Which records may cover the days asked about (``RECORD_MOGELIJK_OP_DAGEN``), whether the
first day may fall before the first record (``MOGELIJK_VOOR_EERSTE_RECORD``) and whether the
days lie before birth (``DAGEN_VOOR_GEBOORTE``) are declared once in ``wpb.law.spans``. The
reference asks them in ``registration.readings_between``; the national executor compiles
them (``wpb.batch.jeugdwet.readings``: ``record_on_days``, ``maybe_before_first_record``,
``days_before_birth``). These properties run both on the same generated histories with
partial dates, and check answers taken from the BRP's rules.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wpb.batch.engine import day_number, prepare
from wpb.batch.jeugdwet.readings import days_before_birth, maybe_before_first_record, record_on_days
from wpb.law.dates import PartialDate, Period
from wpb.law.facts import Case, Persoon, Verblijfplaats, VerblijfplaatsSoort
from wpb.law.registration import readings_between
from wpb.population.schema import cases_to_population
from wpb.refdata import gemeente_register

REGISTER = gemeente_register()
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
BORN = date(2012, 3, 14)
LATE = date(2030, 1, 1)


def _partial(draw, d: date) -> PartialDate:
    return draw(st.sampled_from([PartialDate.exact(d)] * 3 + [
        PartialDate.year_month(d.year, d.month), PartialDate.year(d.year)]))


@st.composite
def persons(draw) -> tuple[Persoon, list[tuple[date, date]]]:
    """A person born on a day, in a month or a year (or unknown), with records beginning at
    birth or later, on days, in months or in years (some closed), and days and spans to ask
    about on and next to every bound."""
    birth = draw(st.sampled_from([PartialDate.exact(BORN), PartialDate.year_month(2012, 3),
                                  PartialDate.year(2012), None]))
    begins = sorted({BORN + timedelta(days=draw(st.integers(0, 900))) for _ in range(draw(st.integers(0, 4)))})
    records = []
    at_birth = birth is not None and draw(st.booleans())
    for i, begin in enumerate(begins):
        van = birth if at_birth and i == 0 else _partial(draw, begin)
        tot = None if draw(st.integers(0, 3)) else _partial(draw, begin + timedelta(days=draw(st.integers(1, 90))))
        if tot is not None and tot.earliest <= van.latest:
            tot = None
        records.append(Verblijfplaats(f"verblijfplaatshistorie[{i}]", VerblijfplaatsSoort.ADRES,
                                      Period(van, tot), gemeente_code="0363"))
    bounds = [BORN, BORN - timedelta(days=40), BORN + timedelta(days=40)] + [
        d for r in records for p in (r.periode.van, r.periode.tot) if p is not None for d in (p.earliest, p.latest)]
    days = []
    for _ in range(draw(st.integers(1, 5))):
        first = draw(st.sampled_from(bounds)) + timedelta(days=draw(st.integers(-1, 1)))
        days.append((first, first + timedelta(days=draw(st.sampled_from([0, 0, 1, 30])))))
    return Persoon("p", birth, tuple(records)), days


def _executor(people: list[Persoon], queries: list[list[tuple[date, date]]]) -> list[tuple]:
    """Per query (the candidates' begins, maybe before the first record, before birth), by
    the national executor's compiled predicates over its prepared tables."""
    population, ids = cases_to_population([Case(LATE, p) for p in people])
    prep = prepare(population, LATE, REGISTER)
    rows = [(pid, day_number(first), day_number(last))
            for pid, days in zip(ids, queries, strict=True) for first, last in days]
    q = pl.DataFrame([(i, *row) for i, row in enumerate(rows)],
                     schema={"qid": pl.Int64, "subject": pl.Int64, "first": pl.Int32, "last": pl.Int32},
                     orient="row")
    cand = q.join(prep.records, left_on="subject", right_on="pid").filter(
        record_on_days(pl.col("first"), pl.col("last")))
    agg = cand.group_by("qid").agg(pl.concat_list("van_e", "van_l").alias("vans"),
                                   pl.col("is_first").any().alias("has_first"))
    subjects = prep.personen.select(pl.col("pid").alias("subject"), "birth_e", "first_van_l", "first_is_birth")
    df = q.join(subjects, on="subject", how="left").join(agg, on="qid", how="left").sort("qid")
    return list(df.select(
        "vans", maybe_before_first_record(pl.col("first")).alias("before"),
        days_before_birth(pl.col("last")).alias("unborn"),
    ).iter_rows())


def _reference(persoon: Persoon, first: date, last: date) -> tuple:
    """The same, by registration.readings_between."""
    readings = readings_between(persoon, first, last)
    records = {id(r.record): r.record for r in readings if r.record is not None}
    vans = sorted([day_number(r.periode.van.earliest), day_number(r.periode.van.latest)] for r in records.values())
    before = any(r.record is None and not r.certain for r in readings)
    return vans, before


@SETTINGS
@given(st.lists(persons(), min_size=1, max_size=8))
def test_readings_are_the_same_in_both_executors(people):
    """The records that may cover the days, the reading "not registered" before the first
    record, and only "not registered" before birth: the reference's readings against the
    executor's compiled predicates, on days and spans on and next to every partial bound."""
    columnar = _executor([p for p, _ in people], [days for _, days in people])
    expected = [(persoon, first, last) for persoon, days in people for first, last in days]
    for (vans, before, unborn), (persoon, first, last) in zip(columnar, expected, strict=True):
        ref_vans, ref_before = _reference(persoon, first, last)
        if unborn or not vans:
            # Only "not registered" (before birth, or no record may cover the days).
            assert ref_vans == [] and not ref_before, (persoon, first, last)
        else:
            assert (sorted(list(v) for v in vans), before) == (ref_vans, ref_before), (persoon, first, last)


def test_readings_answers_from_the_brp():
    """A record from May 2020 (a month only) may not yet cover 10 May: "not registered" is a
    reading then, beside the record; on 31 May it covers for certain. A registration at birth
    covers from the birth, even a birth known to the month. A record that ended (datumTot,
    exclusive) on 1 June does not cover 1 June. Days before a birth in 2012 have no
    registration."""
    may = Verblijfplaats("verblijfplaatshistorie[0]", VerblijfplaatsSoort.ADRES,
                         Period(PartialDate.year_month(2020, 5), PartialDate.exact(date(2020, 6, 1))),
                         gemeente_code="0363")
    person = Persoon("p", PartialDate.exact(BORN), (may,))
    march = PartialDate.year_month(2012, 3)
    at_birth = Verblijfplaats("verblijfplaatshistorie[0]", VerblijfplaatsSoort.ADRES, Period(march, None),
                              gemeente_code="0599")
    newborn = Persoon("n", march, (at_birth,))
    queries = {
        (person, date(2020, 5, 10), date(2020, 5, 10)): (1, True),
        (person, date(2020, 5, 31), date(2020, 5, 31)): (1, False),
        (person, date(2020, 6, 1), date(2020, 6, 1)): (0, False),
        (person, date(2011, 12, 31), date(2011, 12, 31)): (0, False),
        (newborn, date(2012, 3, 5), date(2012, 3, 5)): (1, False),
    }
    columnar = _executor([person, newborn], [[(f, la) for (p, f, la) in queries if p is person],
                                            [(f, la) for (p, f, la) in queries if p is newborn]])
    for (vans, before, unborn), ((persoon, first, last), (n, maybe_before)) in zip(
            columnar, queries.items(), strict=True):
        ref_vans, ref_before = _reference(persoon, first, last)
        assert (len(ref_vans), ref_before) == (n, maybe_before)
        assert (0 if unborn or not vans else len(vans), bool(before) and not unborn) == (n, maybe_before)
