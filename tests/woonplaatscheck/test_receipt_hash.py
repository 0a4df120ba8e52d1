"""The receipt's input hash did not change when it stopped using ``dataclasses.asdict`` (the
woonplaatscheck's speed): the same canonical JSON for every conformance case of both laws."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date
from enum import Enum

from wpb.brp.haal_centraal import parse_case
from wpb.brp.wmo_case import parse_wmo_case
from wpb.conformance import default_path, load_cases
from wpb.law.engine import input_hash


def _former_plain(value):
    if isinstance(value, dict):
        return {k: _former_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_former_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def _former_hash(case) -> str:
    canonical = json.dumps(_former_plain(dataclasses.asdict(case)), sort_keys=True,
                           separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_the_input_hash_is_unchanged_for_every_conformance_case(register):
    jeugdwet = load_cases(default_path())
    wmo = load_cases(default_path().with_name("wmo_beschermd_wonen.yaml"))
    cases = [parse_case(c.casus, register) for c in jeugdwet]
    cases += [parse_wmo_case(c.casus, register) for c in wmo]
    assert len(cases) > 100
    for case in cases:
        assert input_hash(case) == _former_hash(case)
    # Again: the text of a shared date (one object per day) now comes from the encoder's memo.
    for case in reversed(cases):
        assert input_hash(case) == _former_hash(case)


def test_a_shared_date_and_an_equal_new_one_give_the_same_text():
    from wpb.law.dates import PartialDate, Precision
    from wpb.law.engine import canonical_json

    day = date(2024, 2, 29)
    shared = PartialDate.exact(day)
    assert PartialDate.exact(day) is shared
    fresh = PartialDate(day, day, Precision.DAY)
    month = PartialDate.year_month(2024, 2)
    expected = json.dumps(_former_plain(dataclasses.asdict(shared)), sort_keys=True,
                          separators=(",", ":"), ensure_ascii=False)
    assert canonical_json(shared) == canonical_json(shared) == canonical_json(fresh) == expected
    assert canonical_json(month) != expected
    assert canonical_json([day, day, month]) == json.dumps(
        [day.isoformat(), day.isoformat(), _former_plain(dataclasses.asdict(month))],
        sort_keys=True, separators=(",", ":"), ensure_ascii=False)
