"""The woonplaatscheck runs the garbage collector less often while it runs, and gives the
process its own thresholds back afterwards, also when the run fails or runs alongside another."""

from __future__ import annotations

import gc
from datetime import date

import pytest

from wpb.woonplaatscheck import check
from wpb.woonplaatscheck.check import woonplaatscheck


def test_the_thresholds_come_back_after_nested_runs():
    before = gc.get_threshold()
    with check._fewer_collections():
        raised = gc.get_threshold()
        assert raised[0] >= check._GC_FIRST_GENERATION and raised[1:] == before[1:]
        with check._fewer_collections():
            assert gc.get_threshold() == raised
        assert gc.get_threshold() == raised  # the outer run is still going
    assert gc.get_threshold() == before


class _Failing:
    naam = "kapot"

    def fetch(self, *args, **kw):
        raise RuntimeError("bron onbereikbaar")

    def met_moeder(self, *args, **kw):
        raise AssertionError("not reached")


def test_the_thresholds_come_back_when_the_run_fails(register):
    before = gc.get_threshold()
    with pytest.raises(RuntimeError):
        woonplaatscheck([], _Failing(), "0344", date(2026, 12, 1), register)
    assert gc.get_threshold() == before
