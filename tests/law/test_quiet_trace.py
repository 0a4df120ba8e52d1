"""A quiet trace asks the 2022 Jeugdwet rule for its outcome only (``vanaf``'s probe of the
day before the deciding fact, ``wijziging_gepland``'s probe of a later day): the outcome must
be the one the rule gives with its full explanation, on every conformance case and on
generated cases, and ``antwoord_op`` must be the full decision's answer."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from tests.law.test_properties import REGISTER, SETTINGS, cases

from wpb.brp.haal_centraal import parse_case
from wpb.conformance import default_path, load_cases
from wpb.law.engine import decide
from wpb.law.facts import Case
from wpb.law.jeugdwet import woonplaats_2022
from wpb.law.trace import QuietTrace, Trace
from wpb.law.vanaf import antwoord_op

ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE = [c for c in load_cases(default_path(ROOT))]


def _same_outcome(case: Case) -> None:
    full, trace = woonplaats_2022.decide(case, REGISTER)
    quiet, quiet_trace = woonplaats_2022.decide(case, REGISTER, QuietTrace())
    assert quiet == full  # status, gemeente, grondslag, reden and kandidaten
    assert isinstance(trace, Trace) and not isinstance(trace, QuietTrace)
    assert trace.sentences  # the full explanation is still written
    assert not quiet_trace.sentences and not quiet_trace.used and not quiet_trace.missing


def _same_answer(case: Case) -> None:
    d = decide(case, REGISTER)
    a = antwoord_op(case, REGISTER)
    assert (a.status, a.gemeente, a.onderdeel, a.reden) == (
        d.status, d.gemeente_code, d.onderdeel, d.reden)


@pytest.mark.parametrize("conformance", CONFORMANCE, ids=[c.id for c in CONFORMANCE])
def test_conformance_cases_have_the_same_outcome_quietly(conformance) -> None:
    case = parse_case(conformance.casus, REGISTER, bron=conformance.id)
    if case.peildatum < woonplaats_2022.GELDIG_VANAF:
        case = replace(case, peildatum=woonplaats_2022.GELDIG_VANAF)
    _same_outcome(case)
    _same_answer(case)
    # and on the days around it, as the probes ask
    for shift in (-400, -31, -1, 1, 31):
        day = case.peildatum + timedelta(days=shift)
        if day >= woonplaats_2022.GELDIG_VANAF:
            _same_outcome(replace(case, peildatum=day))


@SETTINGS
@given(doc=cases())
def test_generated_cases_have_the_same_outcome_quietly(doc: dict) -> None:
    case = parse_case(doc, REGISTER)
    _same_answer(case)
    for day in (case.peildatum, date(2022, 1, 1), case.peildatum + timedelta(days=200)):
        if day >= woonplaats_2022.GELDIG_VANAF:
            _same_outcome(replace(case, peildatum=day))


def test_a_quiet_trace_keeps_nothing() -> None:
    trace = QuietTrace()
    trace.say("zin")
    trace.use("bron", "rol", a=1)
    trace.miss("gegeven", "reden")
    assert trace.fork() is trace
    trace.absorb(Trace(sentences=["x"]))
    assert (trace.sentences, trace.used, trace.missing) == ([], {}, {})
    assert trace.quiet and not Trace().quiet
