"""The 11-proef as the law states it (9*d1 + 8*d2 + ... + 2*d8 - 1*d9 divisible by 11), digit
by digit, against the check the readers use (computed over the ASCII codes, for speed)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wpb.law.bsn import bsn_problem, is_valid_bsn


def by_the_definition(value: str) -> bool:
    if len(value) != 9 or any(c not in "0123456789" for c in value) or value == "000000000":
        return False
    digits = [int(c) for c in value]
    weighted = sum(w * d for w, d in zip((9, 8, 7, 6, 5, 4, 3, 2), digits[:8], strict=True))
    return (weighted - digits[8]) % 11 == 0


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.integers(0, 999_999_999).map(lambda n: f"{n:09d}"),
                 st.text(alphabet="0123456789٣²a ", min_size=8, max_size=10)))
def test_the_check_is_the_11_proef(value):
    assert is_valid_bsn(value) is by_the_definition(value)
    assert (bsn_problem(value) is None) is by_the_definition(value)


def test_known_numbers():
    assert is_valid_bsn("999990068")  # a test BSN of the BRP proefomgeving
    assert not is_valid_bsn("123456789")
    assert not is_valid_bsn("000000000")
    assert not is_valid_bsn("99999006٨")  # an Arabic-Indic eight is no digit of a BSN
