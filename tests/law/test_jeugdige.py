"""Who is a jeugdige from 18: Jeugdwet art. 1.1 "jeugdige", 2° and 3° (issue 17 item 1).

Written from the definition (see docs/interpretations.md, "Age"): from 18 a person is a jeugdige
only with jeugdreclassering or care following a criminal-law decision (2°), or, up to 23, with
jeugdhulp that began before 18 and continues or resumes within half a year (3°).
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpb.batch.compile import compile_route_index
from wpb.batch.jeugdwet.jeugdige import age_env
from wpb.law.dates import PartialDate, Period, add_months
from wpb.law.decision import ReviewReden, Status
from wpb.law.facts import (
    Case,
    Jeugdhulp,
    JeugdhulpVorm,
    Persoon,
    Verblijfplaats,
    VerblijfplaatsSoort,
)
from wpb.law.jeugdwet import woonplaats_2022
from wpb.law.jeugdwet.common import (
    ALLE_EINDEN_JEUGDIGE,
    EEN_EINDE_JEUGDIGE,
    JEUGDHULPKETEN,
    JEUGDIGE_EINDEN_ROUTES,
    JEUGDIGE_LEEFTIJD_ROUTES,
    JEUGDIGE_ROUTES,
    EindenFacts,
    care_since_before_18,
)
from wpb.law.jeugdwet.jeugdige import (
    ACHTTIEN_JAAR,
    DRIEENTWINTIG_JAAR,
    HALF_JAAR_MAANDEN,
    JEUGDIGE,
    JEUGDIGE_1,
    JEUGDIGE_3,
    ONDERDELEN,
    jeugdige_bron,
)
from wpb.law.predicates import (
    GEBOORTE,
    JEUGDIGE_MAX_LEEFTIJD,
    JONGER_DAN_18,
    MEERDERJARIG,
    AgeFacts,
    JeugdigeFacts,
    first_route,
    holds,
)
from wpb.law.predicates import PEILDATUM as PEILDATUM_FIELD
from wpb.law.spans import MonthsAfter
from wpb.refdata import gemeente_register

BIRTH = date(2003, 2, 1)  # 18 on 2021-02-01
PEILDATUM = date(2023, 1, 10)  # 19 years old
EXACT = PartialDate.exact(BIRTH)


def _youth(birth: PartialDate = EXACT) -> Persoon:
    home = Verblijfplaats("j.h[0]", VerblijfplaatsSoort.ADRES, Period(PartialDate.exact(date(2003, 2, 1)), None),
                          gemeente_code="0363")
    return Persoon("j", birth, (home,))


def _care(begin: date, einde: date | None, vorm: JeugdhulpVorm | None = None, *, verblijf=False,
          i: int = 0, jji: bool | None = None) -> Jeugdhulp:
    return Jeugdhulp(f"jeugdhulp[{i}]", begin, einde, verblijf, vorm, in_verband_met_jji=jji)


def _decide(*care: Jeugdhulp, peildatum: date = PEILDATUM, birth: PartialDate = EXACT):
    return woonplaats_2022.decide(Case(peildatum, _youth(birth), jeugdhulp=care), gemeente_register())


def test_first_care_at_19_is_no_jeugdige_and_names_the_missing_fact():
    outcome, trace = _decide(_care(date(2022, 12, 1), None))
    assert outcome.status is Status.REVIEW and outcome.reden is ReviewReden.GEEN_JEUGDIGE
    # The review cites the definition "jeugdige", 3° (18 to 23; 2° was tried too).
    assert outcome.grondslag is JEUGDIGE_3
    assert "jeugdhulp[] begonnen vóór de 18e verjaardag" in trace.missing
    assert "3°" in trace.missing["jeugdhulp[] begonnen vóór de 18e verjaardag"].reden


def test_without_any_care_a_19_year_old_is_no_jeugdige():
    outcome, _ = _decide()
    assert outcome.reden is ReviewReden.GEEN_JEUGDIGE


def test_care_begun_the_day_before_the_18th_birthday_continues_3():
    outcome, trace = _decide(_care(date(2021, 1, 31), None))
    assert (outcome.status, outcome.gemeente, outcome.grondslag.onderdeel) == (Status.BEPAALD, "0363", 1)
    assert any(f.rol.startswith("jeugdhulp begonnen vóór 18") for f in trace.used.values())


def test_care_begun_on_the_18th_birthday_did_not_begin_before_18():
    outcome, _ = _decide(_care(date(2021, 2, 1), None))
    assert outcome.reden is ReviewReden.GEEN_JEUGDIGE


@pytest.mark.parametrize(("resumed", "jeugdige"), [
    (date(2022, 11, 30), True),  # exactly six months after the last day of care
    (date(2022, 12, 1), False),  # one day later
])
def test_resumption_counts_within_half_a_year_after_the_care_ended(resumed, jeugdige):
    outcome, _ = _decide(_care(date(2020, 6, 1), date(2022, 5, 30)), _care(resumed, None, i=1))
    assert (outcome.status is Status.BEPAALD) is jeugdige
    if not jeugdige:
        assert outcome.reden is ReviewReden.GEEN_JEUGDIGE


def test_care_that_ended_before_the_peildatum_without_resumption_makes_no_jeugdige():
    outcome, _ = _decide(_care(date(2020, 6, 1), date(2022, 12, 31)))
    assert outcome.reden is ReviewReden.GEEN_JEUGDIGE


def test_jeugdreclassering_at_20_without_earlier_care_is_2():
    outcome, _ = _decide(_care(date(2023, 1, 1), None, JeugdhulpVorm.JEUGDRECLASSERING, jji=False))
    assert (outcome.status, outcome.gemeente, outcome.grondslag.onderdeel) == (Status.BEPAALD, "0363", 1)


def test_jeugdreclassering_does_not_count_as_jeugdhulp_begun_before_18():
    # Jeugdreclassering before 18 that ended; ambulant jeugdhulp first begins at 19.
    outcome, _ = _decide(_care(date(2020, 6, 1), date(2022, 10, 1), JeugdhulpVorm.JEUGDRECLASSERING, jji=False),
                         _care(date(2022, 10, 2), None, i=1))
    assert outcome.reden is ReviewReden.GEEN_JEUGDIGE


def test_a_jji_stay_begun_at_19_makes_a_jeugdige_under_2():
    outcome, _ = _decide(_care(date(2022, 10, 1), None, JeugdhulpVorm.JJI, verblijf=True))
    assert outcome.status is Status.BEPAALD and outcome.grondslag.onderdeel == 2


def test_under_18_nothing_is_required():
    outcome, _ = _decide(peildatum=date(2021, 1, 31))
    assert outcome.status is Status.BEPAALD and outcome.gemeente == "0363"


def test_a_partial_birth_date_that_leaves_it_open_is_onvolledige_datum():
    # Born in 2003: the 18th birthday lies in 2021, and care began on 2021-06-01.
    outcome, _ = _decide(_care(date(2021, 6, 1), None), birth=PartialDate.year(2003))
    assert outcome.reden is ReviewReden.ONVOLLEDIGE_DATUM


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 2500), st.one_of(st.none(), st.integers(0, 400))), min_size=1, max_size=5),
    st.integers(0, 2500),
)
def test_the_chain_has_no_gap_of_more_than_half_a_year_and_covers_the_peildatum(spans, day):
    birth = date(2000, 1, 1)
    start = date(2014, 1, 1)
    peildatum = date.fromordinal(start.toordinal() + day)
    episodes = tuple(
        _care(date.fromordinal(start.toordinal() + b),
              None if d is None else date.fromordinal(start.toordinal() + b + d), i=i)
        for i, (b, d) in enumerate(spans)
    )
    chain = care_since_before_18(episodes, birth, peildatum)
    if not chain:
        return
    assert chain[0].begin < date(2018, 1, 1)
    assert all(e.begin <= peildatum for e in chain)
    assert any(e.einde is None or e.einde >= peildatum for e in chain)
    end = chain[0].einde
    for e in chain[1:]:
        assert end is None or e.begin <= add_months(end, 6)
        end = None if end is None or e.einde is None else max(end, e.einde)


def test_care_recorded_as_ending_9999_12_31_then_another_episode_is_one_chain():
    # 9999-12-31 is a common "no end" value: the care began before 18 and still runs on the
    # peildatum, so 3° holds; half a year after that last day lies beyond the calendar, and
    # the episode after it joins the chain all the same (it was a crash: year 10000).
    outcome, _ = _decide(_care(date(2020, 6, 1), date(9999, 12, 31)),
                         _care(date(2022, 6, 1), None, i=1))
    assert (outcome.status, outcome.gemeente, outcome.grondslag.onderdeel) == (Status.BEPAALD, "0363", 1)


# --- the age ladder, declared once (common.JEUGDIGE_LEEFTIJD_ROUTES) ---------------------------

_EPOCH = date(1970, 1, 1)


def _around(years: int) -> st.SearchStrategy[date]:
    # Birth days that put the person on the peildatum at the edge of ``years`` (or unborn).
    edge = date(PEILDATUM.year - years, PEILDATUM.month, PEILDATUM.day)
    return st.integers(-400, 400).map(lambda n: edge + timedelta(days=n))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.one_of(_around(0), _around(18), _around(23)), st.integers(0, 400)),
                min_size=1, max_size=20))
def test_the_age_ladder_is_the_same_in_both_executors(births):
    ranges = [(b, b + timedelta(days=w)) for b, w in births]
    frame = pl.DataFrame({"birth_e": [(e - _EPOCH).days for e, _ in ranges],
                          "birth_l": [(latest - _EPOCH).days for _, latest in ranges]},
                         schema={"birth_e": pl.Int32, "birth_l": pl.Int32})
    compiled = frame.select(compile_route_index(JEUGDIGE_LEEFTIJD_ROUTES, age_env(PEILDATUM)))
    reference = [JEUGDIGE_LEEFTIJD_ROUTES.index(first_route(JEUGDIGE_LEEFTIJD_ROUTES, AgeFacts(
        e, latest, PEILDATUM))[0]) for e, latest in ranges]
    assert compiled.to_series().to_list() == reference


def test_the_age_ladder_from_the_law():
    # Born on the peildatum: a jeugdige (1°). 23 on the peildatum: none. A birth in a year that
    # may end before or after the 23rd birthday: open.
    def reden(earliest: date, latest: date) -> str | None:
        return first_route(JEUGDIGE_LEEFTIJD_ROUTES, AgeFacts(earliest, latest, PEILDATUM))[0].reden

    assert reden(PEILDATUM, PEILDATUM) is None
    assert reden(date(2000, 1, 10), date(2000, 1, 10)) == ReviewReden.GEEN_JEUGDIGE.value
    assert reden(date(2000, 1, 11), date(2000, 1, 11)) is None  # 22 on the peildatum
    assert reden(date(1999, 6, 1), date(2000, 6, 1)) == ReviewReden.ONVOLLEDIGE_DATUM.value
    assert reden(date(2023, 1, 11), date(2023, 1, 11)) == ReviewReden.GEEN_JEUGDIGE.value
    assert reden(date(2023, 1, 1), date(2023, 1, 31)) == ReviewReden.ONVOLLEDIGE_DATUM.value


def test_how_the_ends_of_a_partial_birth_date_combine_both_ways():
    # A jeugdige at every end: a jeugdige; at some: open (onvolledige_datum); at none: none.
    combos = [(a, b) for a in (False, True) for b in (False, True)]
    frame = pl.DataFrame({"early": [a for a, _ in combos], "late": [b for _, b in combos]})
    env = {ALLE_EINDEN_JEUGDIGE.name: pl.col("early") & pl.col("late"),
           EEN_EINDE_JEUGDIGE.name: pl.col("early") | pl.col("late")}
    compiled = frame.select(compile_route_index(JEUGDIGE_EINDEN_ROUTES, env)).to_series().to_list()
    reference = [first_route(JEUGDIGE_EINDEN_ROUTES, EindenFacts(a and b, a or b))[0] for a, b in combos]
    assert [JEUGDIGE_EINDEN_ROUTES[i] for i in compiled] == reference
    assert [r.reden for r in reference] == [ReviewReden.GEEN_JEUGDIGE.value, ReviewReden.ONVOLLEDIGE_DATUM.value,
                                            ReviewReden.ONVOLLEDIGE_DATUM.value, None]


# --- the definition declared once: its text, its sources, its limits (wpb.law.jeugdwet.jeugdige)


def test_the_limits_of_the_definition_are_declared_with_its_text():
    # "de leeftijd van achttien jaar", "doch niet de leeftijd van drieëntwintig jaar", "binnen
    # een half jaar na beëindiging": one declaration, read by the predicates and the chain.
    assert (ACHTTIEN_JAAR, DRIEENTWINTIG_JAAR, HALF_JAAR_MAANDEN) == (18, 23, 6)
    assert (MEERDERJARIG, JEUGDIGE_MAX_LEEFTIJD) == (ACHTTIEN_JAAR, DRIEENTWINTIG_JAAR)
    assert JEUGDHULPKETEN.reach == MonthsAfter(HALF_JAAR_MAANDEN)
    assert "nog niet heeft bereikt" in JEUGDIGE_1.tekst
    assert "drieëntwintig jaar" in JEUGDIGE_3.tekst and "half jaar" in JEUGDIGE_3.tekst
    assert "jeugdreclassering" in ONDERDELEN[1].tekst
    for n, bron in enumerate(ONDERDELEN, start=1):
        assert (bron.wet, bron.bwb, bron.artikel, bron.begrip, bron.onderdeel) == (
            "Jeugdwet", "BWBR0034925", "1.1", "jeugdige", n)
        assert jeugdige_bron(n) is bron
        assert bron.citation == f"Jeugdwet art. 1.1, jeugdige, onderdeel {n}°"
    assert jeugdige_bron(None) is JEUGDIGE and JEUGDIGE.citation == "Jeugdwet art. 1.1, jeugdige"


def _both(case: Case):
    """The reference decision and the columnar executor's (wpb.batch.single) on one case."""
    from wpb.batch.single import decide_case
    from wpb.law.engine import decide

    register = gemeente_register()
    return decide(case, register), decide_case(case, register=register)


def _case(peildatum: date, birth: PartialDate = EXACT, *care: Jeugdhulp) -> Case:
    home = Verblijfplaats("j.h[0]", VerblijfplaatsSoort.ADRES, Period(birth, None), gemeente_code="0363")
    return Case(peildatum, Persoon("j", birth, (home,)), jeugdhulp=care)


# Born 2005-02-01: 18 on 2023-02-01 and 23 on 2028-02-01, under the text of 2022.
EXACT_2005 = PartialDate.exact(date(2005, 2, 1))


@pytest.mark.parametrize(("case", "bron"), [
    # The peildatum before the birth: not yet a "persoon", no onderdeel reached.
    (_case(date(2023, 5, 31), PartialDate.exact(date(2023, 6, 1))), JEUGDIGE),
    # On the 18th birthday, without care: 1° no longer, 2° and 3° not shown.
    (_case(date(2023, 2, 1), EXACT_2005), JEUGDIGE_3),
    # On the 23rd birthday, care begun before 18 still running: 3° has ended.
    (_case(date(2028, 2, 1), EXACT_2005, _care(date(2022, 6, 1), None)), JEUGDIGE_3),
    # Born in February 2005, 1 March 2023: 18 at every possible birth day, no care.
    (_case(date(2023, 3, 1), PartialDate.year_month(2005, 2)), JEUGDIGE_3),
    # Born in 2005, 1 January 2024: likewise.
    (_case(date(2024, 1, 1), PartialDate.year(2005)), JEUGDIGE_3),
])
def test_geen_jeugdige_cites_the_onderdeel_of_the_definition_tested_in_both_executors(case, bron):
    referentie, kolom = _both(case)
    for d in (referentie, kolom):
        assert (d.status, d.reden) == (Status.REVIEW, ReviewReden.GEEN_JEUGDIGE)
        assert d.grondslag == bron and d.onderdeel == bron.onderdeel
        assert d.to_json()["grondslag"] == bron.to_json()


@pytest.mark.parametrize(("case", "expected"), [
    # The day before the 18th birthday, without care: 1°.
    (_case(date(2023, 1, 31), EXACT_2005), ("bepaald", "0363", 1, None)),
    # The day before the 23rd birthday, care begun before 18 still running: 3°.
    (_case(date(2028, 1, 31), EXACT_2005, _care(date(2022, 6, 1), None)), ("bepaald", "0363", 1, None)),
    # Care ended 2022-06-01, resumed exactly six calendar months later: one chain (3°).
    (_case(PEILDATUM, EXACT, _care(date(2020, 6, 1), date(2022, 6, 1)), _care(date(2022, 12, 1), None, i=1)),
     ("bepaald", "0363", 1, None)),
    # ... resumed one day later: no chain, no jeugdige.
    (_case(PEILDATUM, EXACT, _care(date(2020, 6, 1), date(2022, 5, 31)), _care(date(2022, 12, 1), None, i=1)),
     ("review", None, 3, "geen_jeugdige")),
    # Born in February 2005, on 15 February 2023 without care: 18 at the first day of the month,
    # not at its last: open.
    (_case(date(2023, 2, 15), PartialDate.year_month(2005, 2)), ("review", None, None, "onvolledige_datum")),
    # Born in 2005, 1 June 2023, care since 2022: 3° at an early birth day, 1° at a late one.
    (_case(date(2023, 6, 1), PartialDate.year(2005), _care(date(2022, 1, 1), None)),
     ("bepaald", "0363", 1, None)),
    # Born in 2005, 1 June 2023, care since 2023-03-01: 3° not at an early birth day (care began
    # at 18), 1° at a late one: open.
    (_case(date(2023, 6, 1), PartialDate.year(2005), _care(date(2023, 3, 1), None)),
     ("review", None, None, "onvolledige_datum")),
])
def test_who_is_a_jeugdige_from_the_law_in_both_executors(case, expected):
    for d in _both(case):
        assert (d.status.value, d.gemeente_code, d.onderdeel, d.reden.value if d.reden else None) == expected


def test_the_toelichting_names_1_as_a_tried_route():
    # From 18 the definition is walked route by route, 1° first ("jonger dan 18 jaar").
    _, trace = _decide(_care(date(2022, 12, 1), None))
    said = " ".join(trace.sentences)
    assert ("Jeugdige (art. 1.1, jeugdige): Getoetst, in deze volgorde: jonger dan 18 jaar (1°): nee; "
            "jeugdreclassering of een strafrechtelijke beslissing (JJI) op de peildatum (2°): nee; "
            "jeugdhulp begonnen vóór de 18e verjaardag, voortgezet of binnen een half jaar hervat tot "
            "de peildatum (3°): nee; geen van drieën: geen jeugdige: ja.") in said
    _, trace = _decide(_care(date(2020, 6, 1), None))
    assert "jonger dan 18 jaar (1°): nee; jeugdreclassering" in " ".join(trace.sentences)
    assert "tot de peildatum (3°): ja." in " ".join(trace.sentences)


_BIRTHS = st.integers(-3, 3).map(lambda n: date(PEILDATUM.year - 18, PEILDATUM.month, PEILDATUM.day)
                                 + timedelta(days=n))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.one_of(_BIRTHS, st.dates(date(1990, 1, 1), date(2023, 1, 10))),
                          st.booleans(), st.booleans()), min_size=1, max_size=20))
def test_the_routes_per_birth_day_are_the_same_in_both_executors(rows):
    # JEUGDIGE_ROUTES over one possible birth day, with 1° the declared JONGER_DAN_18: the
    # reference walks it (holds), the batch compiles it; the same route for every fact.
    facts = [JeugdigeFacts(g, PEILDATUM, a, b) for g, a, b in rows]
    frame = pl.DataFrame({GEBOORTE.name: [f.geboorte for f in facts],
                          "strafrechtelijk_op_peildatum": [f.strafrechtelijk_op_peildatum for f in facts],
                          "jeugdhulp_sinds_voor_18": [f.jeugdhulp_sinds_voor_18 for f in facts]},
                         schema={GEBOORTE.name: pl.Date, "strafrechtelijk_op_peildatum": pl.Boolean,
                                 "jeugdhulp_sinds_voor_18": pl.Boolean})
    env = {**{c: pl.col(c) for c in frame.columns}, PEILDATUM_FIELD.name: pl.lit(PEILDATUM)}
    compiled = frame.select(compile_route_index(JEUGDIGE_ROUTES, env)).to_series().to_list()
    assert [JEUGDIGE_ROUTES[i] for i in compiled] == [first_route(JEUGDIGE_ROUTES, f)[0] for f in facts]
    # From the law: the 18th birthday itself is no longer "nog niet bereikt".
    for f in facts:
        eighteenth = date(f.geboorte.year + 18, f.geboorte.month, f.geboorte.day) \
            if (f.geboorte.month, f.geboorte.day) != (2, 29) else date(f.geboorte.year + 18, 3, 1)
        assert holds(JONGER_DAN_18, f) is (eighteenth > PEILDATUM)


@pytest.mark.parametrize("case", [
    # Born in June 2023 (month only), peildatum 2023-06-15: possibly not yet born.
    _case(date(2023, 6, 15), PartialDate.year_month(2023, 6)),
    # Born in 2005 (year only), 2028-06-01 with care begun before 18 running: 23 possibly
    # reached.
    _case(date(2028, 6, 1), PartialDate.year(2005), _care(date(2020, 6, 1), None)),
    # Born in February 2005, 2023-02-15 without care: 18 at some possible birth days only.
    _case(date(2023, 2, 15), PartialDate.year_month(2005, 2)),
])
def test_an_age_left_open_by_a_partial_birth_date_cites_the_definition_in_both_executors(case):
    # What could not be applied is the definition "jeugdige" (art. 1.1), not a woonplaats
    # clause: the review says so in its grondslag, not only in words.
    referentie, kolom = _both(case)
    for d in (referentie, kolom):
        assert (d.status, d.reden) == (Status.REVIEW, ReviewReden.ONVOLLEDIGE_DATUM)
        assert d.grondslag == JEUGDIGE and d.onderdeel is None
        assert d.to_json()["grondslag"] == JEUGDIGE.to_json()
