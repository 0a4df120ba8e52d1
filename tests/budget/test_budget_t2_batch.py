"""The T-2 table from a population, with both woonplaats rules from the national run.

The gemeenten in the table must be the reference engine's answers (Jeugdwet art. 1.1 before
and from 2022) on the peildatum; who is in the table follows the selection in
wpb.budget.t2_batch: in care on the peildatum, and voogdij or 18 or older.
"""

from __future__ import annotations

from datetime import date

import pytest

from wpb import refdata
from wpb.budget.t2_batch import t2_table, write_t2_table
from wpb.law.budget.inputs import InvalidBudgetInput
from wpb.law.dates import PartialDate, Period
from wpb.law.facts import (
    Case,
    Gezag,
    GezagSoort,
    Jeugdhulp,
    Persoon,
    Verblijfplaats,
    VerblijfplaatsSoort,
    WerkelijkeVerblijfplaats,
)
from wpb.law.jeugdwet import woonplaats_2015, woonplaats_2022
from wpb.population.schema import cases_to_population

REGISTER = refdata.gemeente_register()
PEILDATUM = date(2020, 12, 31)


def person(bron: str, born: date, gemeente: str) -> Persoon:
    address = Verblijfplaats(
        f"{bron}.adres",
        VerblijfplaatsSoort.ADRES,
        Period(PartialDate.exact(born), None),
        gemeente_code=gemeente,
    )
    return Persoon(bron, PartialDate.exact(born), (address,))


def case(name, born, gemeente, episodes, gezag=None, wvp=None, birth=None) -> Case:
    youth = person(name, born, gemeente)
    if birth is not None:
        youth = Persoon(name, birth, youth.historie)
    return Case(
        peildatum=PEILDATUM,
        jeugdige=youth,
        jeugdhulp=tuple(
            Jeugdhulp(f"{name}.jeugdhulp[{i}]", b, e, verblijf=False)
            for i, (b, e) in enumerate(episodes)
        ),
        gezag=gezag,
        werkelijke_verblijfplaats=wvp,
    )


VOOGDIJ = Gezag("gezag", GezagSoort.VOOGDIJ)
OUDERS = Gezag("gezag", GezagSoort.OUDERS, person("ouder", date(1980, 1, 1), "0106"))
CASES = [
    # 1: voogdij, in Groningen, actually staying in Almere; care all of 2020 (366 days)
    case(
        "v1",
        date(2010, 5, 1),
        "0014",
        [(date(2019, 3, 1), None)],
        VOOGDIJ,
        WerkelijkeVerblijfplaats("wvp", "0034"),
    ),
    # 2: 18+, care ended mid-2020: not on the peildatum, so not in the table (counted)
    case("a2", date(2001, 3, 1), "0106", [(date(2019, 6, 1), date(2020, 6, 30))], OUDERS),
    # 3: 18+ in Assen, staying in Meppel; a jeugdige from 18 (Jeugdwet art. 1.1, jeugdige 3°)
    # because care began before the 18th birthday (1 February 2018) and resumed within half a
    # year of its end; in 2020 two overlapping episodes: 1 March to 31 December = 306 days
    case(
        "a3",
        date(2000, 2, 1),
        "0106",
        [(date(2017, 12, 1), date(2019, 12, 31)), (date(2020, 3, 1), None),
         (date(2020, 5, 1), date(2020, 7, 1))],
        OUDERS,
        WerkelijkeVerblijfplaats("wvp", "0119"),
    ),
    # 4: 12 years old with gezag of the parents: not voogdij/18+, never in the table
    case("k4", date(2008, 1, 1), "0034", [(date(2020, 1, 1), None)], OUDERS),
    # 5: voogdij without werkelijke verblijfplaats: the pre-2022 rule cannot decide
    case("v5", date(2012, 8, 1), "0402", [(date(2020, 7, 1), None)], VOOGDIJ),
    # 6: birth date unknown, gezag ouders: 18 on the peildatum or not
    case(
        "u6",
        date(2002, 6, 1),
        "0034",
        [(date(2020, 1, 1), None)],
        OUDERS,
        birth=PartialDate.unknown(),
    ),
]


@pytest.fixture(scope="module")
def table_and_summary():
    population, ids = cases_to_population(CASES)
    table, summary = t2_table(population, 2020, PEILDATUM, REGISTER)
    return table, summary, dict(zip((c.jeugdige.bron for c in CASES), ids, strict=True))


def test_who_is_in_the_table(table_and_summary):
    table, summary, ids = table_and_summary
    rows = {r["persoon"]: r for r in table.iter_rows(named=True)}
    assert set(rows) == {str(ids["v1"]), str(ids["a3"]), str(ids["v5"])}
    assert rows[str(ids["v1"])]["soort"] == "voogdij"
    assert rows[str(ids["a3"])]["soort"] == "18+"
    assert (summary.rows, summary.voogdij, summary.achttien_plus) == (3, 2, 1)
    assert summary.in_care_in_year_not_on_peildatum == 1  # a2
    assert summary.age_uncertain == 1  # u6
    assert all(r["jaar"] == 2020 for r in rows.values())


def test_volume_is_days_of_care_in_the_year(table_and_summary):
    table, _, ids = table_and_summary
    volume = {r["persoon"]: r["volume"] for r in table.iter_rows(named=True)}
    assert volume[str(ids["v1"])] == 366  # 2020 is a leap year
    assert volume[str(ids["a3"])] == 306  # overlapping episodes count once
    assert volume[str(ids["v5"])] == 184  # 1 July to 31 December


def test_gemeenten_are_the_reference_engines_answers(table_and_summary):
    table, summary, ids = table_and_summary
    rows = {r["persoon"]: r for r in table.iter_rows(named=True)}
    for c in CASES:
        pid = str(ids[c.jeugdige.bron])
        if pid not in rows:
            continue
        for module, column, reason in (
            (woonplaats_2015, "gemeente_geregistreerd", "reden_geregistreerd"),
            (woonplaats_2022, "gemeente_2022", "reden_review"),
        ):
            outcome, _ = module.decide(c, REGISTER)
            if outcome.gemeente:
                assert rows[pid][column] == outcome.gemeente, (c.jeugdige.bron, column)
                assert rows[pid][reason] is None
            else:
                assert rows[pid][column] is None
                assert rows[pid][reason] == outcome.reden.value
    # the voogdij case decided by the werkelijke verblijfplaats before 2022, by the
    # address from 2022; the one without werkelijke verblijfplaats is review before 2022
    assert rows[str(ids["v1"])]["gemeente_geregistreerd"] != rows[str(ids["v1"])]["gemeente_2022"]
    assert summary.review_geregistreerd == 1


def test_written_table_reads_back_into_the_t2_rule(tmp_path):
    from wpb.budget import inputs

    population, _ = cases_to_population(CASES)
    folder = tmp_path / "populatie"
    population.write(folder)
    summary = write_t2_table(folder, 2020, tmp_path / "t2.csv", peildatum=PEILDATUM)
    assert summary.path == tmp_path / "t2.csv"
    assert "3 jeugdigen (2 voogdij, 1 18+)" in summary.describe()
    rows, _, unit = inputs.read_t2(tmp_path / "t2.csv", REGISTER)
    assert unit == "volume" and len(rows) == 3


def test_peildatum_outside_the_year_is_refused():
    population, _ = cases_to_population(CASES)
    with pytest.raises(InvalidBudgetInput, match="ligt niet in 2021"):
        t2_table(population, 2021, PEILDATUM, REGISTER)
