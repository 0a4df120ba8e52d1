"""Burgerservicenummer check: the 11-proef.

A BSN has nine digits d1..d9 with 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 divisible by 11
(Wet algemene bepalingen burgerservicenummer; Logius, "Burgerservicenummer (BSN)
11-proef"). 000000000 passes the arithmetic but is not a number anyone holds.
"""

from __future__ import annotations

from operator import mul

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
_ZERO = ord("0") * sum(_WEIGHTS)


def is_valid_bsn(value: str) -> bool:
    # isascii: str.isdigit() also accepts superscripts and other scripts' digits.
    if len(value) != 9 or not (value.isascii() and value.isdigit()) or value == "000000000":
        return False
    # Over the ASCII codes: each digit is its code minus 48, so subtract 48 x the weights' sum.
    return (sum(map(mul, _WEIGHTS, value.encode("ascii"))) - _ZERO) % 11 == 0


def bsn_problem(value: object) -> str | None:
    """Why ``value`` is not a BSN, in words staff understand; None when it is one."""
    if not isinstance(value, str):
        return "moet een tekst van 9 cijfers zijn"
    if len(value) != 9 or not (value.isascii() and value.isdigit()):
        return "moet uit precies 9 cijfers (0-9) bestaan"
    if not is_valid_bsn(value):
        return "voldoet niet aan de 11-proef"
    return None
