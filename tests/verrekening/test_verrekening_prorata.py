"""Pro rata split of an invoice period per day, exact to the cent (wpb.law.verrekening.prorata).

The rule (docs/verrekening.md): each part gets its exact share rounded down; the cents
left over go one each to the parts with the largest remainder, ties to the earliest part.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wpb.law.verrekening.prorata import verdeel


def test_even_split_without_remainder():
    assert verdeel(3100, [10, 21]) == (1000, 2100)


def test_single_part_gets_everything():
    assert verdeel(12345, [31]) == (12345,)


def test_one_cent_over_two_equal_parts_goes_to_the_earliest():
    # 1 cent over 14 + 14 days: both remainders are equal; the earliest part wins.
    assert verdeel(1, [14, 14]) == (1, 0)
    assert verdeel(280001, [14, 14]) == (140001, 140000)


def test_remainder_goes_to_the_largest_fraction_not_the_earliest():
    # 100 cent over 1, 2 days: exact 33.33 and 66.67; the second has the larger remainder.
    assert verdeel(100, [1, 2]) == (33, 67)


def test_three_equal_parts_two_cents_left():
    # 200 over three equal parts: 66.67 each; two cents go to the first two parts.
    assert verdeel(200, [5, 5, 5]) == (67, 67, 66)


def test_zero_day_part_gets_nothing():
    assert verdeel(999, [0, 3, 0]) == (0, 999, 0)


def test_zero_amount():
    assert verdeel(0, [3, 4]) == (0, 0)


@pytest.mark.parametrize(
    ("bedrag", "dagen"),
    [(-1, [1]), (100, []), (100, [0, 0]), (100, [-1, 2]), (1.5, [1]), (True, [1])],
)
def test_refuses_what_cannot_be_split(bedrag, dagen):
    with pytest.raises(ValueError):
        verdeel(bedrag, dagen)


@given(
    bedrag=st.integers(min_value=0, max_value=10**12),
    dagen=st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=12).filter(
        lambda ds: sum(ds) > 0
    ),
)
def test_parts_always_add_up_and_stay_within_a_cent_of_the_exact_share(bedrag, dagen):
    parts = verdeel(bedrag, dagen)
    assert sum(parts) == bedrag  # no cent lost or made
    total = sum(dagen)
    for part, d in zip(parts, dagen, strict=True):
        exact = Fraction(bedrag * d, total)
        assert exact - 1 < part < exact + 1  # never more than one cent off
        assert part >= 0
        if d == 0:
            assert part == 0


@given(
    bedrag=st.integers(min_value=0, max_value=10**9),
    dagen=st.lists(st.integers(min_value=1, max_value=60), min_size=2, max_size=8),
)
def test_largest_remainder_ties_to_the_earliest(bedrag, dagen):
    parts = verdeel(bedrag, dagen)
    total = sum(dagen)
    rest = [bedrag * d % total for d in dagen]
    got_cent = [p - bedrag * d // total for p, d in zip(parts, dagen, strict=True)]
    assert set(got_cent) <= {0, 1}
    # Whoever got a cent has a remainder at least as large as whoever did not, and on a
    # tie lies earlier.
    for i, gi in enumerate(got_cent):
        for j, gj in enumerate(got_cent):
            if gi == 1 and gj == 0:
                assert rest[i] > rest[j] or (rest[i] == rest[j] and i < j)
