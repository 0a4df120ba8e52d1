"""Uitname Wlz: ex ante by share of the historical budget, ex post from the costs that fell away.

Seed 004: 30 % of the macro budget is withdrawn ex ante over the centrumgemeenten by their
share of the historical budget; the definitive correction follows the costs that actually
fall away for the gemeenten through the outflow of clients to the Wlz ("daadwerkelijk
wegvallende kosten"). No expected client count is needed. VNG: the definitive withdrawal
changes the tempo of the ingroeipad, not the share per gemeente in the objective model.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpb.law.budget.ingroeipad import HistorischBudget, ObjectiefAandeel, RegioLid, ingroeipad
from wpb.law.budget.inputs import InvalidBudgetInput, YearSeries
from wpb.law.budget.wlz import Scenario, WlzUitstroom, macro_after_withdrawal, wlz_uitname

A, C, E = "0014", "0106", "0034"
HIST = [HistorischBudget(A, 60_000_000), HistorischBudget(C, 40_000_000)]
NAMES = {A: "Groningen", C: "Assen", E: "Almere"}
# € 270.000 of costs fell away in Groningen's region, € 90.000 in Assen's.
FLOW = [WlzUitstroom(A, 27_000_000, Fraction(150)), WlzUitstroom(C, 9_000_000)]


def test_worked_example_more_and_fewer_costs_fell_away_than_withdrawn():
    r = wlz_uitname(HIST, FLOW, 100_000_000, Fraction(3, 10), 2021, NAMES)
    # ex ante: 30 % of € 1.000.000 = € 300.000; by historical share 0.6 / 0.4
    assert (r.ex_ante, r.row(A).ex_ante, r.row(C).ex_ante) == (30_000_000, 18_000_000, 12_000_000)
    a, c = r.row(A), r.row(C)
    # Groningen: € 270.000 fell away, € 180.000 was withdrawn: the definitive withdrawal is
    # the € 270.000; it pays € 90.000 back, the effect on its budget is −€ 90.000
    assert (a.definitief, a.correctie, a.effect_op_budget) == (27_000_000, 9_000_000, -9_000_000)
    assert a.scenario is Scenario.MEER_KOSTEN_WEG and a.clienten == 150
    assert "de uitname was te klein" in a.toelichting
    assert "Groningen (0014) betaalt € 90.000,00 terug" in a.toelichting
    # Assen: € 90.000 fell away against € 120.000 withdrawn: it receives € 30.000 back
    assert (c.definitief, c.correctie, c.effect_op_budget) == (9_000_000, -3_000_000, 3_000_000)
    assert c.scenario is Scenario.MINDER_KOSTEN_WEG and c.clienten is None
    assert "de uitname was te groot" in c.toelichting
    assert "Assen (0106) ontvangt € 30.000,00 terug" in c.toelichting
    # totals: definitive € 360.000 = 36 % of the macro budget; net € 60.000 paid back
    assert (r.definitief, r.correctie, r.definitief_percentage) == (
        36_000_000,
        6_000_000,
        Fraction(36, 100),
    )
    assert "betalen per saldo € 60.000,00 terug" in r.toelichting
    # new historical budgets: 600.000 − 270.000 = 330.000 and 400.000 − 90.000 = 310.000;
    # shares 330/640 = 51,5625 % and 310/640 = 48,4375 %
    assert [(h.centrumgemeente, h.bedrag) for h in r.historical_after_withdrawal()] == [
        (A, 33_000_000),
        (C, 31_000_000),
    ]
    assert (a.aandeel_na_uitname, c.aandeel_na_uitname) == (Fraction(33, 64), Fraction(31, 64))
    assert "van 60,0000 % naar 51,5625 %" in a.toelichting
    assert "objectieve verdeelmodel verandert hierdoor niet" in a.toelichting


def test_worked_example_with_rounding_and_costs_as_withdrawn():
    hist = [HistorischBudget(A, 100), HistorischBudget(C, 200)]
    flow = [WlzUitstroom(A, 13_335), WlzUitstroom(C, 20_001)]
    r = wlz_uitname(hist, flow, 100_005, Fraction(3, 10), 2021, NAMES)
    # 30 % of 100.005 cents = 30.001,5 → 30.002 (half away from zero)
    # split 1/3, 2/3: 10.000,67 and 20.001,33 → floors 30.001, one cent to A (.67)
    assert (r.ex_ante, r.row(A).ex_ante, r.row(C).ex_ante) == (30_002, 10_001, 20_001)
    # A: 13.335 cents fell away against 10.001 withdrawn: pays back 3.334
    assert (r.row(A).definitief, r.row(A).correctie) == (13_335, 3_334)
    # C: exactly what was withdrawn fell away: no correction
    assert (r.row(C).definitief, r.row(C).correctie) == (20_001, 0)
    assert r.row(C).scenario is Scenario.ZOALS_UITGENOMEN
    assert "betaalt niets terug en ontvangt niets" in r.row(C).toelichting


def test_the_definitive_withdrawal_changes_the_tempo_not_the_end_point():
    """VNG: no effect on the share per gemeente in the new model, but on the tempo."""
    r = wlz_uitname(HIST, FLOW, 100_000_000, Fraction(3, 10), 2021)
    leden = [RegioLid(A, A), RegioLid("0037", A), RegioLid(C, C), RegioLid("0109", C)]
    obj = [
        ObjectiefAandeel(A, Fraction(3, 10)),
        ObjectiefAandeel("0037", Fraction(2, 10)),
        ObjectiefAandeel(C, Fraction(3, 10)),
        ObjectiefAandeel("0109", Fraction(2, 10)),
    ]
    # the default linear schedule, € 700.000 to distribute each year
    weights = YearSeries.of("gewicht", "w", {y: Fraction(y - 2021, 10) for y in range(2021, 2032)})
    macro = YearSeries.of("macro", "m", dict.fromkeys(range(2021, 2032), 70_000_000))
    before = ingroeipad(HIST, leden, obj, macro, weights)
    after = ingroeipad(r.historical_after_withdrawal(), leden, obj, macro, weights)
    # the end point (weight 1: the objective distribution) is the same
    assert {m: x.budget for m, x in before.in_year(2031).items()} == {
        m: x.budget for m, x in after.in_year(2031).items()
    }
    # the start and the yearly steps differ: Groningen starts lower (51,5625 % instead of
    # 60 % of € 700.000) and so has less to give up per year
    assert after.budget(A, 2021) == 36_093_750  # 33/64 × 70.000.000 cents
    assert before.budget(A, 2021) == 42_000_000
    assert after.row(A, 2022).verschuiving > before.row(A, 2022).verschuiving


def test_macro_after_withdrawal_is_date_keyed():
    macro = YearSeries.of("macro", "m", {2020: 1_000, 2021: 1_000, 2022: 2_001})
    pct = YearSeries.of("uitname", "u", {2021: Fraction(3, 10)})
    after = macro_after_withdrawal(macro, pct)
    # before 2021 nothing is withdrawn; from 2021 on 30 %: 1.000 − 300; 2.001 − 600,3 → 1.401
    assert [(v.year, v.value) for v in after] == [(2020, 1_000), (2021, 700), (2022, 1_401)]


def _problems(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_bad_input_is_named():
    flow = [
        WlzUitstroom(A, -1, Fraction(-3), "uitstroom.csv regel 2"),
        WlzUitstroom(E, 1, None, "uitstroom.csv regel 3"),
        WlzUitstroom(A, 1, None, "uitstroom.csv regel 4"),
    ]
    with pytest.raises(InvalidBudgetInput) as exc:
        wlz_uitname(HIST, flow, 100, Fraction(3, 2), 2021, bron_uitstroom="uitstroom.csv")
    problems = _problems(exc)
    assert any(
        "uitstroom.csv regel 2" in p and "'wegvallende_kosten'" in p and "negatief" in p
        for p in problems
    )
    assert any("uitstroom.csv regel 2" in p and "'clienten'" in p for p in problems)
    assert any(
        "uitstroom.csv regel 3" in p and "0034 heeft geen historisch budget" in p for p in problems
    )
    assert any("uitstroom.csv regel 4" in p and "meer dan eens" in p for p in problems)
    assert any("geen wegvallende kosten opgegeven voor centrumgemeente 0106" in p
               for p in problems)
    assert any("'percentage'" in p and "1.5 ligt niet tussen 0 en 1" in p for p in problems)


@st.composite
def situations(draw):
    n = draw(st.integers(1, 6))
    codes = ["0014", "0034", "0106", "0402", "0344", "0599"][:n]
    hist = [HistorischBudget(c, draw(st.integers(1, 10**10))) for c in codes]
    return (
        hist,
        codes,
        draw(st.integers(0, 10**12)),
        draw(st.fractions(min_value=0, max_value=1, max_denominator=1000)),
    )


@settings(max_examples=80, deadline=None)
@given(situations())
def test_no_correction_when_the_costs_that_fell_away_equal_the_withdrawal(situation):
    hist, codes, macro, pct = situation
    first = wlz_uitname(hist, [WlzUitstroom(c, 0) for c in codes], macro, pct, 2021)
    flow = [WlzUitstroom(x.centrumgemeente, x.ex_ante) for x in first.regels]
    r = wlz_uitname(hist, flow, macro, pct, 2021)
    assert all(x.correctie == 0 and x.scenario is Scenario.ZOALS_UITGENOMEN for x in r.regels)
    assert r.definitief == r.ex_ante
    assert sum(x.ex_ante for x in r.regels) == r.ex_ante


@settings(max_examples=80, deadline=None)
@given(situations(), st.data())
def test_table_and_chart_sign_agree_with_the_scenario(situation, data):
    hist, codes, macro, pct = situation
    flow = [WlzUitstroom(c, data.draw(st.integers(0, 10**12))) for c in codes]
    r = wlz_uitname(hist, flow, macro, pct, 2021)
    for x in r.regels:
        # the definitive withdrawal is exactly the costs that fell away
        assert x.definitief == x.wegvallende_kosten
        assert x.effect_op_budget == x.ex_ante - x.definitief == -x.correctie
        if x.effect_op_budget < 0:
            assert x.scenario is Scenario.MEER_KOSTEN_WEG and "betaalt" in x.toelichting
        elif x.effect_op_budget > 0:
            assert x.scenario is Scenario.MINDER_KOSTEN_WEG and "ontvangt" in x.toelichting
        assert x.budget_na_uitname == x.budget_voor_uitname - x.definitief
    assert r.correctie == sum(x.correctie for x in r.regels)
    assert sum(x.budget_voor_uitname for x in r.regels) == macro
