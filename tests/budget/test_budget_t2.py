"""Voogdij/18+ T-2: budget 2022 from care use in 2020, under the 2022 rule and as registered.

The budget followed actual use two years earlier. Seed 001: the 2022 budget was distributed
one more year on T-2, with the new rule applied through a CBS simulation; from 2023 the new
verdeelmodel. Review cases go to a separate line, never to a gemeente, never dropped.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpb import refdata
from wpb.law.budget.inputs import InvalidBudgetInput
from wpb.law.budget.t2 import BEOORDELING, Regel, Soort, ZorggebruikT2, check_jaar, t2_budget

REGISTER = refdata.gemeente_register()
V, PLUS = Soort.VOOGDIJ, Soort.ACHTTIEN_PLUS


def row(persoon, soort, registered, new, euros, jaar=2020, reden="", bron=""):
    return ZorggebruikT2(persoon, jaar, soort, registered, new, Fraction(euros), reden, bron)


# Groningen 0014, Almere 0034, Appingedam 0003 (merged into Eemsdelta 1979 on 2021-01-01),
# Haaren 0788 (split over four gemeenten on 2021-01-01).
ROWS = [
    row("P1", V, "0014", "0014", 100),
    row("P2", PLUS, "0014", "0034", 200),
    row("P3", V, "0034", "0034", 300),
    row("P4", PLUS, "0003", "0003", 150),
    row("P5", V, "0788", "0014", 50),
    row("P6", PLUS, "0034", None, 200, reden="onvolledige_datum"),
]


def test_worked_example():
    # Budget 2022 from the use in 2020: € 1.000 over € 1.000 of use, so € 1 per euro.
    r = t2_budget(ROWS, 2022, 100_000, REGISTER)
    assert (r.jaar, r.gebruiksjaar, r.aantal_rijen) == (2022, 2020, 6)
    by = {g.gemeente: g for g in r.gemeenten}
    # (a) as registered: Groningen P1 + P2 = 300; Almere P3 + P6 = 500; Appingedam → Eemsdelta
    # (1979) on 2022-01-01: 150; Haaren was split: P5's 50 to be reviewed
    assert {k: g.budget_geregistreerd for k, g in by.items()} == {
        "0014": 30_000,
        "0034": 50_000,
        "1979": 15_000,
    }
    assert r.beoordeling.budget_geregistreerd == 5_000
    # (b) under the 2022 rule: Groningen P1 + P5 = 150; Almere P2 + P3 = 500; Eemsdelta 150;
    # P6 (review in the national run) 200 to be reviewed
    assert {k: g.budget_2022 for k, g in by.items()} == {
        "0014": 15_000,
        "0034": 50_000,
        "1979": 15_000,
    }
    assert r.beoordeling.budget_2022 == 20_000
    # difference (b) − (a): Groningen −150, the review line +150, the rest 0
    assert {k: g.verschil for k, g in by.items()} == {"0014": -15_000, "0034": 0, "1979": 0}
    assert r.beoordeling.verschil == 15_000
    assert r.total(Regel.GEREGISTREERD) == r.total(Regel.WOONPLAATS_2022) == 100_000
    assert (by["0014"].aantal_geregistreerd, by["0014"].aantal_2022) == (2, 2)
    assert by["0034"].gebruik_geregistreerd == 500


def test_review_cases_are_listed_with_their_reason():
    r = t2_budget(ROWS, 2022, 100_000, REGISTER)
    listed = {(t.rij.persoon, t.regel, t.reden) for t in r.te_beoordelen}
    assert listed == {
        ("P5", Regel.GEREGISTREERD, "gesplitste_gemeente: 0757, 0824, 0855, 0865"),
        ("P6", Regel.WOONPLAATS_2022, "review_2022: onvolledige_datum"),
    }
    assert all(t.gemeente == BEOORDELING for t in r.te_beoordelen)


def test_codes_resolve_on_1_january_of_the_budget_year():
    # Weesp (0457) merged into Amsterdam (0363) on 2022-03-24: still Weesp on 1 January
    # 2022; Appingedam (0003) merged into Eemsdelta (1979) on 2021-01-01: Eemsdelta.
    rows = [row("W1", V, "0457", "0457", 10), row("A1", V, "0003", "0003", 10)]
    assert [g.gemeente for g in t2_budget(rows, 2022, 1_000, REGISTER).gemeenten] == [
        "0457", "1979"]


@pytest.mark.parametrize("jaar", [2023, 2024, 2026])
def test_t2_does_not_apply_from_the_new_verdeelmodel(jaar):
    # Seed 001: 2022 was distributed one more year on T-2 because the new woonplaatsbeginsel
    # ran a year ahead of the new verdeelmodel (expected 2023): no T-2 budget from 2023.
    rows = [*ROWS, *(row(f"Q{i}", V, "0014", "0014", 10, jaar=jaar - 2) for i in range(2))]
    with pytest.raises(InvalidBudgetInput) as exc:
        t2_budget(rows, jaar, 1_000, REGISTER)
    (problem,) = exc.value.problems
    assert f"voor {jaar} geldt T-2 niet" in str(problem)
    assert "nieuwe verdeelmodel" in str(problem) and "seed 001" in str(problem)
    assert check_jaar(jaar) is not None


def test_before_2022_there_is_no_new_rule_to_apply():
    rows = [row("P1", V, "0014", "0014", 10, jaar=2019)]
    with pytest.raises(InvalidBudgetInput, match="woonplaatsregel van 2022 gold toen nog niet"):
        t2_budget(rows, 2021, 1_000, REGISTER)
    assert check_jaar(2022) is None


def test_rni_and_unknown_are_not_gemeenten():
    rows = [row("R1", PLUS, "1999", "0014", 10), row("R2", PLUS, "0014", "0000", 10)]
    r = t2_budget(rows, 2022, 1_000, REGISTER)
    assert {(t.rij.persoon, t.reden) for t in r.te_beoordelen} == {
        ("R1", "geen_nederlandse_gemeente"),
        ("R2", "geen_nederlandse_gemeente"),
    }


def test_rounding_to_the_cent_with_equal_use():
    # 100 cents over three gemeenten with equal use: 34/33/33, the lowest code first
    rows = [
        row("X1", V, "0034", "0034", 1),
        row("X2", V, "0014", "0014", 1),
        row("X3", V, "0106", "0106", 1),
    ]
    r = t2_budget(rows, 2022, 100, REGISTER)
    assert [(g.gemeente, g.budget_2022) for g in r.gemeenten] == [
        ("0014", 34),
        ("0034", 33),
        ("0106", 33),
    ]
    assert r.beoordeling.budget_2022 == 0


def _problems(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_bad_input_is_named():
    rows = [
        row("P1", V, "0014", "0014", 10, bron="t2.csv regel 2"),
        row("P1", V, "0014", "0034", 10, bron="t2.csv regel 3"),
        row("P2", V, "1979", "0014", 10, bron="t2.csv regel 4"),  # Eemsdelta began in 2021
        row("P3", V, "0014", "9998", 10, bron="t2.csv regel 5"),
        row("P4", V, "0014", "0014", -1, bron="t2.csv regel 6"),
    ]
    with pytest.raises(InvalidBudgetInput) as exc:
        t2_budget(rows, 2022, 1_000, REGISTER)
    problems = _problems(exc)
    assert any(
        "t2.csv regel 3" in p and "'persoon'" in p and "t2.csv regel 2" in p for p in problems
    )
    assert any(
        "t2.csv regel 4" in p
        and "'gemeente_geregistreerd'" in p
        and "1979 bestond niet in 2020" in p
        for p in problems
    )
    assert any("t2.csv regel 5" in p and "onbekende gemeentecode '9998'" in p for p in problems)
    assert any("t2.csv regel 6" in p and "negatief" in p for p in problems)


def test_a_year_without_use_is_refused():
    with pytest.raises(InvalidBudgetInput, match="geen zorggebruik in 2020"):
        t2_budget([row("P1", V, "0014", "0014", 10, jaar=2021)], 2022, 1_000, REGISTER,
                  bron="t2.csv")


def test_no_use_but_a_budget_is_refused():
    with pytest.raises(InvalidBudgetInput, match="in totaal 0"):
        t2_budget([row("P1", V, "0014", "0014", 0)], 2022, 1_000, REGISTER)


CODES = ["0014", "0034", "0106", "0003", "0788", "0457", "0363", "1999"]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(CODES),
            st.sampled_from([*CODES, None]),
            st.fractions(min_value=0, max_value=10**6, max_denominator=100),
            st.sampled_from(list(Soort)),
        ),
        min_size=1,
        max_size=40,
    ),
    st.integers(0, 10**11),
)
def test_reattribution_preserves_the_total(rows, macro):
    data = [
        ZorggebruikT2(f"P{i}", 2020, soort, a, b, use) for i, (a, b, use, soort) in enumerate(rows)
    ]
    if macro and sum(r.gebruik for r in data) == 0:
        data[0] = ZorggebruikT2(
            "P0",
            2020,
            data[0].soort,
            data[0].gemeente_geregistreerd,
            data[0].gemeente_2022,
            Fraction(1),
        )
    r = t2_budget(data, 2022, macro, REGISTER)
    lines = (*r.gemeenten, r.beoordeling)
    assert r.total(Regel.GEREGISTREERD) == macro == r.total(Regel.WOONPLAATS_2022)
    assert sum(g.verschil for g in lines) == 0
    assert sum(g.aantal_geregistreerd for g in lines) == len(data)
    assert sum(g.aantal_2022 for g in lines) == len(data)
    assert sum((g.gebruik_2022 for g in lines), Fraction(0)) == sum(x.gebruik for x in data)
    # every row that no gemeente gets under a rule is listed, once per rule
    for regel, count in (
        (Regel.GEREGISTREERD, r.beoordeling.aantal_geregistreerd),
        (Regel.WOONPLAATS_2022, r.beoordeling.aantal_2022),
    ):
        assert sum(1 for t in r.te_beoordelen if t.regel is regel) == count
