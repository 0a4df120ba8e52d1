"""Exact money: largest-remainder apportionment to the cent, rounding and Dutch notation."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wpb.domain.money import (
    apportion,
    format_decimal,
    format_euro,
    format_percent,
    quotas,
    round_half_up,
)


def test_largest_remainder_gives_the_left_cent_to_the_largest_remainder():
    # 1000 cents over 1/3 and 2/3: quotas 333.33… and 666.66…; floors 333 + 666 = 999;
    # one cent left goes to the larger remainder (.66… of 0034).
    assert apportion(1000, {"0014": Fraction(1, 3), "0034": Fraction(2, 3)}) == {
        "0014": 333,
        "0034": 667,
    }


def test_equal_remainders_go_to_the_lowest_code_first():
    # 100 cents in three equal parts: 33.33… each, floors 99, one cent left, all remainders
    # equal: the lowest gemeentecode gets it.
    assert apportion(100, {"0109": 1, "0014": 1, "0034": 1}) == {"0014": 34, "0034": 33, "0109": 33}


def test_weights_need_not_sum_to_one():
    # weights 2 and 6 are shares 1/4 and 3/4: 25 and 75 cents exactly
    assert apportion(100, {"a": 2, "b": 6}) == {"a": 25, "b": 75}


def test_zero_total_and_zero_weights():
    assert apportion(0, {"a": 0, "b": 0}) == {"a": 0, "b": 0}
    assert apportion(0, {"a": 1}) == {"a": 0}


@pytest.mark.parametrize(
    ("total", "weights", "message"),
    [
        (-1, {"a": 1}, "negatief"),
        (10, {"a": -1, "b": 2}, "negatief gewicht voor a"),
        (10, {"a": 0, "b": 0}, "alle gewichten zijn 0"),
    ],
)
def test_apportion_refuses_what_cannot_be_divided(total, weights, message):
    with pytest.raises(ValueError, match=message):
        apportion(total, weights)


def test_round_half_up_rounds_halves_away_from_zero():
    assert round_half_up(Fraction(5, 2)) == 3
    assert round_half_up(Fraction(-5, 2)) == -3
    assert round_half_up(Fraction(249, 100)) == 2
    assert round_half_up(Fraction(251, 100)) == 3
    assert round_half_up(Fraction(-249, 100)) == -2


def test_dutch_notation():
    assert format_euro(123456789) == "€ 1.234.567,89"
    assert format_euro(5) == "€ 0,05"
    assert format_euro(-5) == "-€ 0,05"
    assert format_euro(0) == "€ 0,00"
    assert format_percent(Fraction(1, 8)) == "12,50 %"
    assert format_percent(Fraction(3, 10), 0) == "30 %"
    assert format_percent(Fraction(-1, 3), 1) == "-33,3 %"
    assert format_decimal(Fraction(99, 100)) == "0.99"
    assert format_decimal(Fraction(-1, 100)) == "-0.01"
    assert format_decimal(Fraction(1, 3), 4) == "0.3333…"


weights_strategy = st.dictionaries(
    st.from_regex(r"[0-9]{4}", fullmatch=True),
    st.fractions(min_value=0, max_value=1000, max_denominator=10**6),
    min_size=1,
    max_size=12,
).filter(lambda w: sum(w.values()) > 0)


# Generating fractions with a regex key is slow on a loaded 2-core machine; the data is fine.
RELAXED = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


@RELAXED
@given(st.integers(min_value=0, max_value=10**13), weights_strategy)
def test_apportion_sums_exactly_and_stays_within_a_cent(total, weights):
    result = apportion(total, weights)
    exact = quotas(total, weights)
    assert sum(result.values()) == total
    for key, cents in result.items():
        assert exact[key] - 1 < cents < exact[key] + 1
        assert cents >= 0


@RELAXED
@given(st.integers(min_value=0, max_value=10**9), weights_strategy, st.randoms())
def test_apportion_does_not_depend_on_the_order_of_the_input(total, weights, rnd):
    items = list(weights.items())
    rnd.shuffle(items)
    assert apportion(total, dict(items)) == apportion(total, weights)
