"""Compensatieregeling woonplaats onbekend (wpb.law.verrekening.compensatie): one test per
part of the selection, on decisions of the engine itself, and the cost split.

Jeugdwet art. 1.1 (2022) onderdeel 3° (last part: where the youth actually stays) and 4°
(woonplaats abroad: where the youth actually stays); the group is the youths in care
with stay from before 2022-01-01 (issue 6; Divosa's examples: placed in a stay straight
from abroad, born in a moeder-kind-verblijfsinstelling).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wpb.brp.haal_centraal import parse_case
from wpb.law.engine import decide
from wpb.law.verrekening.compensatie import (
    CompensatieGrond,
    Woonplaatsuitkomst,
    compensatie_grond,
    compensatielijst,
    kosten_in_periode,
    selecteer,
)
from wpb.law.verrekening.factuur import Factuur
from wpb.service.components.verrekening.compensatie import uitkomst_uit_json

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "wpb" / "data" / "examples"
BSN = "999990019"
ZEIST = "0355"


def uitkomst(register, doc: dict) -> Woonplaatsuitkomst:
    decision = decide(parse_case(doc, register), register).to_json()
    u = uitkomst_uit_json(BSN, decision)
    assert u is not None
    return u


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def test_onderdeel_4_stay_from_abroad_before_2022(register):
    doc = example("04-buitenland.json")
    doc["jeugdhulp"] = [{"begin": "2021-06-01", "einde": None, "verblijf": True,
                         "vorm": "jeugdhulpaanbieder"}]
    u = uitkomst(register, doc)
    assert (u.onderdeel, u.gemeente, u.verblijf_sinds) == (4, "0935", date(2021, 6, 1))
    assert compensatie_grond(u) is CompensatieGrond.ONDERDEEL_4


def test_onderdeel_3_born_in_a_stay_without_the_mothers_registration(register):
    doc = example("05-pleegzorg-vanaf-geboorte.json")
    del doc["moeder"]
    doc["werkelijkeVerblijfplaats"] = {"gemeente": {"code": ZEIST}, "datum": "2022-05-01"}
    u = uitkomst(register, doc)
    assert (u.onderdeel, u.gemeente, u.werkelijke_verblijfplaats) == (3, ZEIST, True)
    assert compensatie_grond(u) is CompensatieGrond.ONDERDEEL_3_WERKELIJK_VERBLIJF


def test_onderdeel_3_through_the_mother_is_traceable(register):
    u = uitkomst(register, example("05-pleegzorg-vanaf-geboorte.json"))
    assert (u.onderdeel, u.gemeente, u.werkelijke_verblijfplaats) == (3, "0193", False)
    assert compensatie_grond(u) is None


def test_onderdeel_2_address_before_the_stay_is_traceable(register):
    doc = example("02-pleegzorg-reeks.json")
    doc["jeugdhulp"][0]["begin"] = "2021-09-01"
    u = uitkomst(register, doc)
    assert u.onderdeel == 2 and u.verblijf_sinds == date(2021, 9, 1)
    assert compensatie_grond(u) is None


def test_without_a_stay_there_is_no_compensation(register):
    u = uitkomst(register, example("04-buitenland.json"))  # ambulant: abroad on the peildatum
    assert u.onderdeel == 4 and u.verblijf_sinds is None
    assert compensatie_grond(u) is None


def test_the_2015_rule_is_not_what_the_regulation_compensates(register):
    u = uitkomst(register, example("08-regel-voor-2022.json"))
    assert u.regel_vanaf != date(2022, 1, 1)
    assert compensatie_grond(u) is None


def _u(verblijf_sinds, onderdeel=4, **kw) -> Woonplaatsuitkomst:
    base = dict(bsn=BSN, peildatum=date(2022, 6, 1), regel_vanaf=date(2022, 1, 1),
                onderdeel=onderdeel, gemeente=ZEIST, werkelijke_verblijfplaats=True,
                verblijf_sinds=verblijf_sinds)
    return Woonplaatsuitkomst(**{**base, **kw})


@pytest.mark.parametrize(("begin", "listed"), [
    (date(2021, 12, 31), True), (date(2022, 1, 1), False), (date(2015, 1, 1), True),
])
def test_the_stay_must_begin_before_2022(begin, listed):
    assert (compensatie_grond(_u(begin)) is not None) is listed


def test_a_decision_that_lacks_the_actual_stay_is_to_be_judged():
    u = _u(date(2021, 1, 1), onderdeel=3, gemeente=None, werkelijke_verblijfplaats=False,
           ontbreekt_verblijf=True)
    (k,) = selecteer([u])
    assert k.gemeente is None and k.grond is CompensatieGrond.ONDERDEEL_3_WERKELIJK_VERBLIJF
    lijst = compensatielijst([k], [], pseudoniem=lambda b: "J-X")
    assert lijst.per_gemeente == {} and lijst.te_beoordelen[0].jeugdige == "J-X"


def test_the_most_recent_decision_counts():
    old = _u(date(2021, 1, 1), peildatum=date(2022, 2, 1))
    new = _u(date(2021, 1, 1), peildatum=date(2023, 2, 1), onderdeel=2)
    assert selecteer([old, new]) == ()
    assert len(selecteer([old])) == 1


def _factuur(begin: date, einde: date, bedrag: int) -> Factuur:
    return Factuur(referentie="F", bsn=BSN, betaler=ZEIST, aanbieder="99000011", product="p",
                   begin=begin, einde=einde, bedrag=bedrag, betaaldatum=einde)


def test_costs_inside_the_period_split_per_day():
    f = _factuur(date(2021, 12, 1), date(2022, 1, 31), 620000)
    assert kosten_in_periode(f, date(2022, 1, 1), None) == 310000
    assert kosten_in_periode(f, date(2022, 1, 1), date(2022, 1, 16)) == 150000
    assert kosten_in_periode(f, date(2022, 2, 1), None) == 0
    assert kosten_in_periode(f, date(2020, 1, 1), None) == 620000


@given(
    days=st.integers(1, 400), offset=st.integers(-30, 430),
    bedrag=st.integers(1, 10**9),
)
def test_the_two_sides_of_a_cut_add_up_to_the_invoice(days, offset, bedrag):
    begin = date(2021, 11, 1)
    f = _factuur(begin, begin + timedelta(days=days - 1), bedrag)
    cut = begin + timedelta(days=offset)
    before = kosten_in_periode(f, date(2000, 1, 1), cut)
    after = kosten_in_periode(f, cut, None)
    assert before + after == bedrag
    inside = max(0, min(days, offset))
    assert abs(before * days - bedrag * inside) < days  # less than a cent from the exact share


def test_list_per_gemeente_with_costs():
    k = selecteer([_u(date(2021, 6, 1))])
    lijst = compensatielijst(k, [_factuur(date(2021, 12, 1), date(2022, 1, 31), 620000)],
                             pseudoniem=lambda b: "J-AAAA")
    assert lijst.to_json()["gemeenten"] == [{
        "gemeente": ZEIST, "aantal": 1, "bedrag": 310000,
        "jeugdigen": [{"jeugdige": "J-AAAA", "grond": "onderdeel_4", "peildatum": "2022-06-01",
                       "verblijfSinds": "2021-06-01", "bedrag": 310000, "aantalFacturen": 1}]}]
    with pytest.raises(ValueError):
        compensatielijst(k, [], pseudoniem=str, van=date(2022, 1, 1), tot=date(2022, 1, 1))


def test_geen_jeugdige_is_no_onderdeel_of_woonplaats(register):
    # A youth of 23 in a stay since before 2022: the review geen_jeugdige cites the definition
    # "jeugdige", 3° (from 2015); that is not woonplaats 3° and puts nobody on the list.
    doc = example("05-pleegzorg-vanaf-geboorte.json")
    birth = doc["jeugdige"]["geboorte"]["datum"]["datum"]
    doc["peildatum"] = f"{int(birth[:4]) + 23}{birth[4:]}"
    decision = decide(parse_case(doc, register), register).to_json()
    assert (decision["reden"]["code"], decision["grondslag"]["begrip"]) == ("geen_jeugdige", "jeugdige")
    assert decision["grondslag"]["onderdeel"] == 3
    u = uitkomst_uit_json(BSN, decision)
    assert u is not None and (u.onderdeel, u.regel_vanaf) == (None, None)
    assert compensatie_grond(u) is None
