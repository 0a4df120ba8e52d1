"""Ingroeipad beschermd wonen: worked examples by hand, bad input, and properties.

The rule (VNG objectief verdeelmodel; 10-year ingroeipad, weight per year as parameter):
budget(m, y) = (1 − w_y)·h(m)·M_y + w_y·o(m)·M_y, rounded to the cent by largest remainder.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpb.domain.money import apportion, quotas
from wpb.law.budget.ingroeipad import (
    HistorischBudget,
    ObjectiefAandeel,
    RegioLid,
    Toerekening,
    historical_shares,
    ingroeipad,
    linear_schedule,
)
from wpb.law.budget.inputs import InvalidBudgetInput, YearSeries

# Two regions: Groningen (0014) with Stadskanaal (0037); Assen (0106) with Coevorden (0109).
A, B, C, D = "0014", "0037", "0106", "0109"
HIST = [HistorischBudget(A, 60_000_000), HistorischBudget(C, 40_000_000)]  # € 600.000 / € 400.000
LEDEN = [
    RegioLid(A, A, Fraction(3)),
    RegioLid(B, A, Fraction(1)),
    RegioLid(C, C, Fraction(1)),
    RegioLid(D, C, Fraction(1)),
]
OBJ = [
    ObjectiefAandeel(A, Fraction(30, 100)),
    ObjectiefAandeel(B, Fraction(20, 100)),
    ObjectiefAandeel(C, Fraction(25, 100)),
    ObjectiefAandeel(D, Fraction(25, 100)),
]
# € 1.000.000,00 in 2021; € 1.100.000,00 in 2022; € 1.000.000,01 in 2023 (forces rounding)
MACRO = YearSeries.of(
    "macrobudget", "macro.csv", {2021: 100_000_000, 2022: 110_000_000, 2023: 100_000_001}
)
W3 = YearSeries.of(
    "gewicht", "gewichten.csv", {2021: Fraction(0), 2022: Fraction(1, 2), 2023: Fraction(1)}
)


def _budgets(result, year):
    return {m: r.budget for m, r in result.in_year(year).items()}


def test_worked_example_centrumgemeente_keeps_the_historical_budget():
    r = ingroeipad(HIST, LEDEN, OBJ, MACRO, W3, Toerekening.CENTRUMGEMEENTE)
    # h = A 0.6, B 0, C 0.4, D 0 (the centrumgemeenten hold their regions' budgets)
    assert r.historisch_aandeel == {A: Fraction(3, 5), B: 0, C: Fraction(2, 5), D: 0}
    # 2021, w = 0: the historical distribution: 0.6 × 1.000.000 and 0.4 × 1.000.000
    assert _budgets(r, 2021) == {A: 60_000_000, B: 0, C: 40_000_000, D: 0}
    # 2022, w = 1/2: shares A (0.6+0.3)/2 = 0.45, B 0.1, C (0.4+0.25)/2 = 0.325, D 0.125
    # of € 1.100.000: 495.000 / 110.000 / 357.500 / 137.500
    assert _budgets(r, 2022) == {A: 49_500_000, B: 11_000_000, C: 35_750_000, D: 13_750_000}
    # 2023, w = 1: objective of 100.000.001 cents: A 30.000.000,3  B 20.000.000,2
    # C 25.000.000,25  D 25.000.000,25 → floors sum to 100.000.000, one cent left for the
    # largest remainder (A, .3)
    assert _budgets(r, 2023) == {A: 30_000_001, B: 20_000_000, C: 25_000_000, D: 25_000_000}


def test_worked_example_shift_and_change():
    r = ingroeipad(HIST, LEDEN, OBJ, MACRO, W3, Toerekening.CENTRUMGEMEENTE)
    # 2022: historical distribution of € 1.100.000 is A 660.000, C 440.000;
    # herverdeeleffect = budget − that: A −165.000, B +110.000, C −82.500, D +137.500
    y22 = r.in_year(2022)
    assert {m: x.historisch for m, x in y22.items()} == {A: 66_000_000, B: 0, C: 44_000_000, D: 0}
    assert {m: x.herverdeeleffect for m, x in y22.items()} == {
        A: -16_500_000,
        B: 11_000_000,
        C: -8_250_000,
        D: 13_750_000,
    }
    # the first step is the effect itself (2021 had none)
    assert {m: x.verschuiving for m, x in y22.items()} == {
        A: -16_500_000,
        B: 11_000_000,
        C: -8_250_000,
        D: 13_750_000,
    }
    # mutatie: A 495.000 − 600.000 = −105.000; C 357.500 − 400.000 = −42.500
    assert {m: x.mutatie for m, x in y22.items()} == {
        A: -10_500_000,
        B: 11_000_000,
        C: -4_250_000,
        D: 13_750_000,
    }
    # 2023: historical of 100.000.001 cents: A 60.000.000,6 → 60.000.001, C 40.000.000
    # effect A 30.000.001 − 60.000.001 = −30.000.000; step = −30.000.000 − (−16.500.000)
    y23 = r.in_year(2023)
    assert y23[A].historisch == 60_000_001 and y23[C].historisch == 40_000_000
    assert {m: x.herverdeeleffect for m, x in y23.items()} == {
        A: -30_000_000,
        B: 20_000_000,
        C: -15_000_000,
        D: 25_000_000,
    }
    assert {m: x.verschuiving for m, x in y23.items()} == {
        A: -13_500_000,
        B: 9_000_000,
        C: -6_750_000,
        D: 11_250_000,
    }
    assert all(r.in_year(2021)[m].mutatie is None for m in (A, B, C, D))
    # winners and losers at the end: D +250.000, B +200.000, C −150.000, A −300.000
    assert [x.gemeente for x in r.winners_and_losers()] == [D, B, C, A]


def test_worked_example_attribution_by_key():
    # keys: region A 3:1, region C 1:1 → h = A 0.6·3/4 = 0.45, B 0.15, C 0.2, D 0.2
    r = ingroeipad(HIST, LEDEN, OBJ, MACRO, W3, Toerekening.SLEUTEL)
    assert _budgets(r, 2021) == {A: 45_000_000, B: 15_000_000, C: 20_000_000, D: 20_000_000}


def test_worked_example_attribution_by_objective_shares_within_the_region():
    # region A objective 0.3 + 0.2 = 0.5: A gets 0.6 × 0.3/0.5 = 0.36, B 0.6 × 0.2/0.5 = 0.24
    # region C 0.25 + 0.25: C 0.4 × 1/2 = 0.2, D 0.2
    r = ingroeipad(HIST, LEDEN, OBJ, MACRO, W3, Toerekening.OBJECTIEF)
    assert _budgets(r, 2021) == {A: 36_000_000, B: 24_000_000, C: 20_000_000, D: 20_000_000}
    # the end point does not depend on the attribution
    assert _budgets(r, 2023) == _budgets(
        ingroeipad(HIST, LEDEN, OBJ, MACRO, W3, Toerekening.CENTRUMGEMEENTE), 2023
    )


def test_a_centrumgemeente_must_be_listed_in_its_own_region():
    # regios.csv lists every gemeente of a region, the centrumgemeente included
    leden = [lid for lid in LEDEN if lid.gemeente not in (A, C)]
    with pytest.raises(InvalidBudgetInput, match="centrumgemeente 0014 staat niet in de regio"):
        ingroeipad(HIST, leden, OBJ, MACRO, W3)


def test_default_schedule_is_linear_from_2021_to_2031():
    schedule = linear_schedule()
    assert schedule[2021] == 0 and schedule[2022] == Fraction(1, 10)
    assert schedule[2026] == Fraction(1, 2) and schedule[2031] == 1
    assert sorted(schedule) == list(range(2021, 2032))


def _problems(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_shares_that_do_not_sum_to_one_are_refused_with_the_sum():
    obj = [*OBJ[:3], ObjectiefAandeel(D, Fraction(24, 100))]
    with pytest.raises(InvalidBudgetInput) as exc:
        ingroeipad(HIST, LEDEN, obj, MACRO, W3, bron_objectief="objectief.csv")
    assert any(
        "objectief.csv" in p and "'aandeel'" in p and "0.99" in p and "-0.01" in p
        for p in _problems(exc)
    )


def test_gemeenten_must_match_between_regions_and_shares():
    obj = [*OBJ[:3], ObjectiefAandeel("0119", Fraction(25, 100), "objectief.csv regel 5")]
    with pytest.raises(InvalidBudgetInput) as exc:
        ingroeipad(HIST, LEDEN, obj, MACRO, W3)
    problems = _problems(exc)
    assert any("objectief.csv regel 5" in p and "0119 staat in geen regio" in p for p in problems)
    assert any("0109 heeft geen objectief aandeel" in p for p in problems)


def test_missing_years_and_bad_weights_are_named():
    macro = YearSeries.of("macrobudget", "macro.csv", {2021: 1, 2023: 1})
    weights = YearSeries.of("gewicht", "gewichten.csv", {2021: Fraction(0), 2023: Fraction(3, 2)})
    with pytest.raises(InvalidBudgetInput) as exc:
        ingroeipad(HIST, LEDEN, OBJ, macro, weights)
    problems = _problems(exc)
    assert any("gewichten.csv" in p and "jaar 2022 ontbreekt" in p for p in problems)
    assert any(
        "gewichten.csv jaar 2023" in p and "1.5 ligt niet tussen 0 en 1" in p for p in problems
    )


def test_missing_macro_year_is_named():
    macro = YearSeries.of("macrobudget", "macro.csv", {2021: 1, 2022: 1})
    with pytest.raises(InvalidBudgetInput) as exc:
        ingroeipad(HIST, LEDEN, OBJ, macro, W3)
    assert any("macro.csv" in p and "geen macrobudget voor jaar 2023" in p for p in _problems(exc))


def test_inconsistent_regions_are_named():
    hist = [
        *HIST,
        HistorischBudget(A, 5, "historisch.csv regel 4"),
        HistorischBudget("0118", -1, "historisch.csv regel 5"),
    ]
    leden = [
        *LEDEN,
        RegioLid(B, C, None, "regios.csv regel 6"),
        RegioLid("0114", "0119", None, "regios.csv regel 7"),
    ]
    with pytest.raises(InvalidBudgetInput) as exc:
        ingroeipad(hist, leden, OBJ, MACRO, W3)
    problems = _problems(exc)
    assert any(
        "historisch.csv regel 4" in p and "0014 staat er meer dan eens in" in p for p in problems
    )
    assert any("historisch.csv regel 5" in p and "negatief" in p for p in problems)
    assert any(
        "regios.csv regel 6" in p and "0037 staat er meer dan eens in" in p for p in problems
    )
    assert any(
        "regios.csv regel 7" in p and "0119 heeft geen historisch budget" in p for p in problems
    )


def test_a_centrumgemeente_in_another_region_is_refused():
    leden = [
        RegioLid(A, A),
        RegioLid(B, A),
        RegioLid(C, A, None, "regios.csv regel 4"),
        RegioLid(D, C),
    ]
    with pytest.raises(InvalidBudgetInput) as exc:
        ingroeipad(HIST, leden, OBJ, MACRO, W3)
    assert any(
        "regios.csv regel 4" in p and "0106 is zelf centrumgemeente" in p for p in _problems(exc)
    )


def test_attribution_by_key_needs_every_key():
    leden = [
        RegioLid(A, A, Fraction(1)),
        RegioLid(B, A, None, "regios.csv regel 3"),
        RegioLid(C, C, Fraction(0)),
        RegioLid(D, C, Fraction(0)),
    ]
    with pytest.raises(InvalidBudgetInput) as exc:
        ingroeipad(HIST, leden, OBJ, MACRO, W3, Toerekening.SLEUTEL)
    problems = _problems(exc)
    assert any("regios.csv regel 3" in p and "'sleutel'" in p for p in problems)


def test_a_region_whose_keys_are_all_zero_is_refused():
    leden = [
        RegioLid(A, A, Fraction(1)),
        RegioLid(B, A, Fraction(1)),
        RegioLid(C, C, Fraction(0)),
        RegioLid(D, C, Fraction(0)),
    ]
    with pytest.raises(InvalidBudgetInput, match="regio 0106 heeft een historisch budget"):
        ingroeipad(HIST, leden, OBJ, MACRO, W3, Toerekening.SLEUTEL)


# --- properties --------------------------------------------------------------------------

CODES = ["0014", "0034", "0037", "0047", "0106", "0109", "0114", "0118", "0119", "0402"]


@st.composite
def situations(draw):
    """Regions over some of CODES, historical budgets, objective shares, a schedule."""
    n = draw(st.integers(min_value=1, max_value=len(CODES)))
    codes = draw(st.permutations(CODES))[:n]
    n_regions = draw(st.integers(min_value=1, max_value=min(4, n)))
    centra = codes[:n_regions]
    leden = [RegioLid(c, c, Fraction(draw(st.integers(1, 50)))) for c in centra]
    for code in codes[n_regions:]:
        leden.append(
            RegioLid(code, draw(st.sampled_from(centra)), Fraction(draw(st.integers(0, 50))))
        )
    hist = [HistorischBudget(c, draw(st.integers(0, 10**10))) for c in centra]
    if sum(h.bedrag for h in hist) == 0:
        hist[0] = HistorischBudget(hist[0].centrumgemeente, 1)
    # a centrumgemeente has a positive key and share, so every attribution is possible
    raw = [draw(st.integers(1 if c in centra else 0, 1000)) for c in codes]
    obj = [ObjectiefAandeel(c, Fraction(x, sum(raw))) for c, x in zip(codes, raw, strict=True)]
    first = draw(st.integers(2015, 2030))
    years = draw(st.integers(1, 6))
    macro = YearSeries.of(
        "macrobudget", "m", {first + i: draw(st.integers(0, 10**12)) for i in range(years)}
    )
    weights = YearSeries.of(
        "gewicht",
        "w",
        {
            first + i: draw(st.fractions(min_value=0, max_value=1, max_denominator=1000))
            for i in range(years)
        },
    )
    return hist, leden, obj, macro, weights, draw(st.sampled_from(list(Toerekening)))


@settings(max_examples=60, deadline=None)
@given(situations())
def test_every_year_sums_exactly_to_the_macro_budget(situation):
    hist, leden, obj, macro, weights, toerekening = situation
    r = ingroeipad(hist, leden, obj, macro, weights, toerekening)
    for year in r.jaren:
        rows = r.in_year(year).values()
        assert sum(x.budget for x in rows) == macro.value(year)
        assert sum(x.historisch for x in rows) == macro.value(year)
        assert sum(x.objectief for x in rows) == macro.value(year)
        assert sum(x.herverdeeleffect for x in rows) == 0
        assert sum(x.verschuiving for x in rows) == 0


@settings(max_examples=60, deadline=None)
@given(situations())
def test_weight_zero_is_historical_and_weight_one_is_objective(situation):
    hist, leden, obj, macro, _, toerekening = situation
    years = macro.years
    zero = YearSeries.of("gewicht", "w", dict.fromkeys(years, Fraction(0)))
    one = YearSeries.of("gewicht", "w", dict.fromkeys(years, Fraction(1)))
    o = {s.gemeente: s.aandeel for s in obj}
    h = historical_shares(hist, leden, o, toerekening)
    at_zero = ingroeipad(hist, leden, obj, macro, zero, toerekening)
    at_one = ingroeipad(hist, leden, obj, macro, one, toerekening)
    for year in years:
        m = macro.value(year)
        assert _budgets(at_zero, year) == apportion(m, h)
        assert _budgets(at_one, year) == apportion(m, o)
        if toerekening is Toerekening.CENTRUMGEMEENTE:
            # the centrumgemeenten carry the historical distribution; members have nothing
            expected = apportion(m, {x.centrumgemeente: x.bedrag for x in hist})
            for code, cents in _budgets(at_zero, year).items():
                assert cents == expected.get(code, 0)


@settings(max_examples=60, deadline=None)
@given(
    situations(),
    st.lists(
        st.fractions(min_value=0, max_value=1, max_denominator=100),
        min_size=2,
        max_size=6,
        unique=True,
    ),
)
def test_budget_grows_with_the_weight_where_the_objective_share_is_larger(situation, ws):
    """Monotone in the weight for a gemeente with o(m) > h(m).

    The exact amount grows strictly. Rounding to the cent by largest remainder can take one
    cent back (another gemeente's remainder may overtake), so the rounded budget never falls
    by more than a cent, and does not fall at all once the exact amount grew by a cent.
    """
    hist, leden, obj, macro, _, toerekening = situation
    year = macro.years[0]
    m = macro.value(year)
    o = {s.gemeente: s.aandeel for s in obj}
    h = historical_shares(hist, leden, o, toerekening)
    ws = sorted(ws)
    runs = []
    for w in ws:
        weights = YearSeries.of("gewicht", "w", {year: w})
        one_year = YearSeries.of("macro", "m", {year: m})
        result = ingroeipad(hist, leden, obj, one_year, weights, toerekening)
        exact = quotas(m, {g: (1 - w) * h[g] + w * o[g] for g in o})
        runs.append((exact, _budgets(result, year)))
    for g in o:
        if o[g] <= h[g] or m == 0:
            continue
        for (e1, b1), (e2, b2) in zip(runs, runs[1:], strict=False):
            assert e2[g] > e1[g]
            assert b2[g] >= b1[g] - 1
            if e2[g] - e1[g] >= 1:
                assert b2[g] >= b1[g]


def test_sources_say_honestly_where_they_come_from():
    """Issue 18 item 8: what the project has only from its own assignment text (the seeds)
    is never rated a first-hand public source, and the linear default is an assumption."""
    from wpb.budget.inputs import read_parameters
    from wpb.law.budget import ingroeipad as rule
    from wpb.law.budget import sources

    every = [v for v in vars(sources).values() if isinstance(v, sources.Source)]
    for s in every:
        if "projectopdracht" in s.publisher or "issue" in s.location:
            assert s.status != "F", s.title
    assert sources.INGROEIPAD_LINEAIR.status == "A"
    # Seed 004: ten steps that follow the estimated in- and outflow of all clients, 2021 = 0.
    assert sources.INGROEIPAD_TIEN_JAAR.status == "P"
    assert "in- en uitstroom van alle cliënten" in sources.INGROEIPAD_TIEN_JAAR.says
    assert "2021" in sources.INGROEIPAD_TIEN_JAAR.title
    assert sources.INGROEIPAD_LINEAIR in rule.SOURCES
    params = read_parameters()
    years = list(range(2021, 2032))
    assert params.assumed_years(params.ingroeipad, years) == years
    assert all("seed 004" in params.ingroeipad.get(y).source for y in years)
