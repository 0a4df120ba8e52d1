"""``combine_readings`` is ``combine`` over readings labelled by ``reading_label``: the same
outcome and the same trace, for one reading (where the label is not written) and for several
(agreeing, disagreeing, with and without a registration)."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest

from wpb import refdata
from wpb.law.dates import PartialDate, Period
from wpb.law.decision import ReviewReden
from wpb.law.explain import combine_readings, reading_label
from wpb.law.facts import Verblijfplaats, VerblijfplaatsSoort
from wpb.law.jeugdwet.woonplaats_2022 import SUB_1
from wpb.law.outcome import Outcome, combine
from wpb.law.registration import Reading
from wpb.law.trace import Trace


def _record(code: str, van: PartialDate) -> Verblijfplaats:
    return Verblijfplaats(f"jeugdige.verblijfplaatshistorie[{code}]", VerblijfplaatsSoort.ADRES,
                          Period(van, None), gemeente_code=code)


def _evaluate(reading: Reading, trace: Trace) -> Outcome:
    if reading.record is None:
        trace.say("geen inschrijving")
        trace.miss("jeugdige.verblijfplaatshistorie", "geen record")
        return Outcome.review(ReviewReden.ONVOLLEDIGE_DATUM, SUB_1)
    trace.say(f"gelezen: {reading.record.gemeente_code}")
    trace.use(reading.record.bron, "woonadres")
    return Outcome.bepaald(reading.record.gemeente_code, SUB_1)


EXACT = PartialDate.exact(date(2020, 3, 1))
MONTH = PartialDate.year_month(2020, 3)
CASES = [
    [Reading(_record("0344", EXACT), aantekening=False, certain=True)],
    [Reading(None, aantekening=False, certain=True)],
    [Reading(_record("0344", EXACT), aantekening=True, certain=False),
     Reading(_record("0344", MONTH), aantekening=False, certain=False)],
    [Reading(_record("0344", EXACT), aantekening=False, certain=False),
     Reading(_record("0363", MONTH), aantekening=False, certain=False)],
    [Reading(None, aantekening=False, certain=False),
     Reading(_record("0363", EXACT), aantekening=False, certain=False)],
]


@pytest.mark.parametrize("readings", CASES)
def test_the_same_outcome_and_trace_as_combine_with_every_label(readings):
    register = refdata.gemeente_register()
    expected_trace, trace = Trace(), Trace()
    expected = combine([(reading_label(register, r), partial(_evaluate, r)) for r in readings],
                       expected_trace, ReviewReden.ONVOLLEDIGE_DATUM)
    found = combine_readings(register, readings, lambda r: partial(_evaluate, r), trace,
                             ReviewReden.ONVOLLEDIGE_DATUM)
    assert found == expected
    assert (trace.sentences, trace.used, trace.missing) == (
        expected_trace.sentences, expected_trace.used, expected_trace.missing)
