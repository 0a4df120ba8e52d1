"""A kept columnar answer gets its receipt's input hash afterwards (``with_input_hash``, the
woonplaatscheck's speed): the decision is then the one ``decide_cases`` gives when it hashes
at once, and ``dataclasses.replace`` would give; the original is left as it was."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

from wpb.batch.single import decide_cases, with_field, with_input_hash
from wpb.brp.haal_centraal import parse_case
from wpb.conformance import default_path, load_cases
from wpb.law.engine import input_hash


def test_hashing_afterwards_gives_the_decision_hashed_at_once(register):
    by_day: dict = {}
    for c in load_cases(default_path()):
        case = parse_case(c.casus, register)
        by_day.setdefault(case.peildatum, []).append(case)
    compared = 0
    for cases in by_day.values():
        late = decide_cases(cases, register, hash_input=False)
        at_once = decide_cases(cases, register)
        for case, d, expected in zip(cases, late, at_once, strict=True):
            hashed = with_input_hash(d, case)
            assert hashed == expected
            assert hashed.receipt.invoer_hash == input_hash(case)
            if d.receipt.invoer_hash:  # handed back to the reference engine: hashed there
                assert hashed is d
                continue
            assert hashed == dataclasses.replace(
                d, receipt=dataclasses.replace(d.receipt, invoer_hash=input_hash(case)))
            assert d.receipt.invoer_hash == ""  # the original untouched
            compared += 1
    assert compared > 50


@dataclass(frozen=True)
class _Checked:
    a: int
    b: int

    def __post_init__(self):
        if self.b < 0:
            raise ValueError("b < 0")


@dataclass(frozen=True, slots=True)
class _Slotted:
    a: int
    b: int


def test_a_dataclass_that_checks_itself_or_has_slots_goes_through_replace():
    assert with_field(_Slotted(1, 2), "b", 3) == _Slotted(1, 3)
    try:
        with_field(_Checked(1, 2), "b", -1)
    except ValueError:
        pass
    else:
        raise AssertionError("__post_init__ was skipped")


def test_a_name_that_is_not_a_field_is_refused_as_by_replace():
    for value in (_Slotted(1, 2), _Checked(1, 2)):
        try:
            with_field(value, "c", 3)
        except TypeError:
            pass
        else:
            raise AssertionError("an unknown field was accepted")


@dataclass(frozen=True)
class _Cached:
    a: int

    @functools.cached_property
    def twice(self) -> int:
        return 2 * self.a


def test_nothing_kept_beside_the_fields_is_copied():
    value = _Cached(1)
    assert value.twice == 2  # now kept on the object
    assert with_field(value, "a", 5).twice == 10
