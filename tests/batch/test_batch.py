"""The batch executor per clause of Jeugdwet art. 1.1, its reports and its command.

Each clause test builds the facts the article speaks of and checks the answer the law
gives (same cases as a lawyer would write them; the equivalence with the reference engine
is tested separately in test_batch_equivalence.py).
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from typer.testing import CliRunner

from wpb.batch import report
from wpb.batch.engine import REGEL_2015, decide_population
from wpb.batch.run import run_batch, write_outputs
from wpb.cli.batch import app
from wpb.law.dates import PartialDate, Period
from wpb.law.facts import (
    Case,
    Gezag,
    GezagSoort,
    Jeugdhulp,
    JeugdhulpVorm,
    Persoon,
    Verblijfplaats,
    VerblijfplaatsSoort,
    WerkelijkeVerblijfplaats,
)
from wpb.population.schema import cases_to_population
from wpb.population.synth import SynthConfig, generate

P = date(2023, 6, 1)
BIRTH = date(2012, 5, 1)


def adres(i: int, van: PartialDate | date, code: str, tot: PartialDate | date | None = None, **kw) -> Verblijfplaats:
    def pd(d):
        return d if isinstance(d, PartialDate) or d is None else PartialDate.exact(d)
    return Verblijfplaats(f"h[{i}]", VerblijfplaatsSoort.ADRES, Period(pd(van), pd(tot)), code, **kw)


def persoon(*records: Verblijfplaats, birth: date | PartialDate | None = BIRTH, bron="jeugdige") -> Persoon:
    b = PartialDate.exact(birth) if isinstance(birth, date) else birth
    return Persoon(bron, b, tuple(records))


def answer(case: Case, register, regel: str = "auto") -> tuple:
    population, ids = cases_to_population([case])
    row = decide_population(population, case.peildatum, register, regel=regel).row(0, named=True)
    assert row["persoon_id"] == ids[0]
    return row["status"], row["gemeente"], row["onderdeel"], row["reden"]


def test_sub1_woonadres_on_the_peildatum(register):
    j = persoon(adres(0, BIRTH, "0363", date(2020, 1, 1)), adres(1, date(2020, 1, 1), "0344"))
    assert answer(Case(P, j), register) == ("bepaald", "0344", 1, None)


def test_sub2_address_before_a_series_of_stays(register):
    j = persoon(adres(0, BIRTH, "0363", date(2022, 3, 1)), adres(1, date(2022, 3, 1), "0599"))
    stays = (
        Jeugdhulp("e0", date(2022, 1, 10), date(2022, 6, 30), True, JeugdhulpVorm.JEUGDHULPAANBIEDER),
        Jeugdhulp("e1", date(2022, 7, 1), None, True, JeugdhulpVorm.PLEEGOUDER),
    )
    # The series began 2022-01-10, when the youth lived in Amsterdam.
    assert answer(Case(P, j, jeugdhulp=stays), register) == ("bepaald", "0363", 2, None)


def test_sub2_a_gap_breaks_the_series(register):
    j = persoon(adres(0, BIRTH, "0363", date(2022, 3, 1)), adres(1, date(2022, 3, 1), "0599"))
    stays = (
        Jeugdhulp("e0", date(2022, 1, 10), date(2022, 6, 30), True, JeugdhulpVorm.JEUGDHULPAANBIEDER),
        Jeugdhulp("e1", date(2022, 7, 2), None, True, JeugdhulpVorm.PLEEGOUDER),
    )
    assert answer(Case(P, j, jeugdhulp=stays), register) == ("bepaald", "0599", 2, None)


def test_sub3_aantekening_sends_to_the_mother_at_birth(register):
    j = persoon(adres(0, BIRTH, "0344", in_onderzoek=True))
    moeder = persoon(adres(0, date(2005, 1, 1), "0307"), birth=date(1985, 1, 1), bron="moeder")
    assert answer(Case(P, j, moeder=moeder), register) == ("bepaald", "0307", 3, None)


def test_sub3_stay_from_birth(register):
    j = persoon(adres(0, BIRTH, "0344"))
    moeder = persoon(adres(0, date(2005, 1, 1), "0307"), birth=date(1985, 1, 1), bron="moeder")
    stay = (Jeugdhulp("e0", BIRTH, None, True, JeugdhulpVorm.PLEEGOUDER),)
    assert answer(Case(P, j, moeder=moeder, jeugdhulp=stay), register) == ("bepaald", "0307", 3, None)


def test_sub4_abroad_goes_to_the_werkelijke_verblijfplaats(register):
    abroad = Verblijfplaats("h[1]", VerblijfplaatsSoort.BUITENLAND, Period(PartialDate.exact(date(2021, 1, 1)), None), land_code="5010")
    j = persoon(adres(0, BIRTH, "0363", date(2021, 1, 1)), abroad)
    wvp = WerkelijkeVerblijfplaats("wvp", "0599")
    assert answer(Case(P, j, werkelijke_verblijfplaats=wvp), register) == ("bepaald", "0599", 4, None)
    assert answer(Case(P, j), register) == ("review", None, 4, "werkelijke_verblijfplaats_ontbreekt")


def test_merged_municipality_resolves_to_its_successor(register):
    # Haren (0017) merged into Groningen (0014) on 2019-01-01.
    j = persoon(adres(0, BIRTH, "0017"))
    assert answer(Case(P, j), register) == ("bepaald", "0014", 1, None)


def test_split_municipality_needs_review(register):
    # Haaren (0788) was divided over four municipalities on 2021-01-01.
    j = persoon(adres(0, BIRTH, "0788"))
    assert answer(Case(P, j), register) == ("review", None, 1, "gesplitste_gemeente")


def test_partial_date_on_the_deciding_day_needs_review(register):
    j = persoon(adres(0, BIRTH, "0363", PartialDate.year_month(2023, 6)), adres(1, PartialDate.year_month(2023, 6), "0344"))
    assert answer(Case(P, j), register) == ("review", None, 1, "onvolledige_datum")
    # The same month decides nothing when both readings agree.
    j2 = persoon(adres(0, BIRTH, "0344", PartialDate.year_month(2023, 6)), adres(1, PartialDate.year_month(2023, 6), "0344"))
    assert answer(Case(P, j2), register) == ("bepaald", "0344", 1, None)


def test_contradictory_episode_evaluated_both_ways(register):
    j = persoon(adres(0, BIRTH, "0363", date(2022, 3, 1)), adres(1, date(2022, 3, 1), "0344"))
    pleegzorg_as_ambulant = (Jeugdhulp("e0", date(2022, 1, 1), None, False, JeugdhulpVorm.PLEEGOUDER),)
    assert answer(Case(P, j, jeugdhulp=pleegzorg_as_ambulant), register) == (
        "review", None, 2, "tegenstrijdige_jeugdhulp")


def test_not_a_jeugdige_from_23(register):
    # Jeugdwet art. 1.1 "jeugdige", 3°: "doch niet de leeftijd van drieëntwintig jaar": the
    # review names that onderdeel of the definition.
    j = persoon(adres(0, date(1999, 1, 1), "0363"), birth=date(1999, 1, 1))
    assert answer(Case(P, j), register) == ("review", None, 3, "geen_jeugdige")


def test_rule_before_2022_follows_the_parent_with_gezag(register):
    j = persoon(adres(0, BIRTH, "0363"))
    ouder = persoon(adres(0, date(2000, 1, 1), "0599"), birth=date(1980, 1, 1), bron="gezag.ouder")
    case = Case(date(2020, 6, 1), j, gezag=Gezag("gezag", GezagSoort.OUDERS, ouder))
    assert answer(case, register) == ("bepaald", "0599", 1, None)
    assert answer(Case(date(2020, 6, 1), j), register) == ("review", None, 1, "gezag_ontbreekt")
    # Applied to a later peildatum, for the migration comparison.
    later = Case(P, j, gezag=Gezag("gezag", GezagSoort.OUDERS, ouder))
    assert answer(later, register, REGEL_2015) == ("bepaald", "0599", 1, None)


def test_rule_before_2022_voogdij_follows_the_stay(register):
    j = persoon(adres(0, BIRTH, "0363"))
    stay = (Jeugdhulp("e0", date(2019, 1, 1), None, True, JeugdhulpVorm.GEZINSHUIS, "0344"),)
    case = Case(date(2020, 6, 1), j, jeugdhulp=stay, gezag=Gezag("gezag", GezagSoort.VOOGDIJ))
    assert answer(case, register) == ("bepaald", "0344", 2, None)


def test_before_the_jeugdwet(register):
    j = persoon(adres(0, BIRTH, "0363"))
    assert answer(Case(date(2014, 12, 31), j), register) == ("review", None, None, "wet_niet_van_toepassing")


# --- reports ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def population_dir(register, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pop")
    generate(SynthConfig(6_000, seed=8), register).write(folder)
    return folder


@pytest.fixture(scope="module")
def run(population_dir, register):
    return run_batch(population_dir, date(2024, 10, 1), register)


def test_one_result_per_youth(run):
    assert run.result.height == 6_000
    assert run.result["persoon_id"].is_unique().all()
    decided = run.result.filter(pl.col("status") == "bepaald")
    assert decided["gemeente"].null_count() == 0
    assert run.result.filter(pl.col("status") == "review")["reden"].null_count() == 0


def test_counts_per_gemeente_add_up(run):
    g = run.gemeenten
    assert g["bepaald"].sum() == run.result.filter(pl.col("status") == "bepaald").height
    assert g["review"].sum() == run.result.filter(pl.col("status") == "review").height
    clause_cols = [c for c in g.columns if c.startswith("onderdeel_")]
    assert g.select(pl.sum_horizontal(clause_cols) == pl.col("bepaald")).to_series().all()


def test_migration_matrix_covers_every_youth_in_care(run):
    assert run.in_care > 0
    assert run.matrix["aantal"].sum() == run.in_care
    assert run.matrix.filter("verschuift").height > 0
    # Net flows move youths between municipalities: they add up to zero.
    assert run.flows["netto"].sum() == 0
    assert run.flows["instroom"].sum() == run.flows["uitstroom"].sum()


def test_migration_matrix_compares_the_two_rules(register):
    """A youth under gezag of a parent elsewhere changes municipality in 2022."""
    j = persoon(adres(0, BIRTH, "0363"))
    ouder = persoon(adres(0, date(2000, 1, 1), "0599"), birth=date(1980, 1, 1), bron="gezag.ouder")
    case = Case(P, j, jeugdhulp=(Jeugdhulp("e0", date(2023, 1, 1), None, False),),
                gezag=Gezag("gezag", GezagSoort.OUDERS, ouder))
    population, ids = cases_to_population([case])
    old = decide_population(population, P, register, regel=REGEL_2015)
    new = decide_population(population, P, register)
    matrix = report.migration_matrix(old, new, register)
    assert matrix.select("gemeente_voor_2022", "gemeente_2022", "verschuift", "aantal").row(0) == (
        "0599", "0363", True, 1)
    flows = report.net_flows(matrix, register)
    assert dict(zip(flows["code"], flows["netto"], strict=True)) == {"0363": 1, "0599": -1}


def test_outputs_written(run, tmp_path):
    paths = write_outputs(run, tmp_path / "uit" / "resultaat.parquet")
    for key in ("resultaat", "gemeenten_csv", "migratie_parquet", "migratie_csv", "grafiek"):
        assert paths[key].is_file(), key
    assert paths["grafiek"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    back = pl.read_parquet(paths["resultaat"])
    assert back.columns[:5] == ["persoon_id", "status", "gemeente", "onderdeel", "reden"]
    assert "afgewezen" not in paths  # nothing rejected


def test_cli_synth_and_batch(tmp_path):
    runner = CliRunner()
    pop_dir = tmp_path / "pop"
    r = runner.invoke(app, ["synth", "--personen", "800", "--seed", "4", "--out", str(pop_dir)])
    assert r.exit_code == 0, r.output
    out = tmp_path / "res.parquet"
    r = runner.invoke(app, ["batch", "--in", str(pop_dir), "--peildatum", "2024-10-01", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "800 jeugdigen" in r.output
    assert pl.read_parquet(out).height == 800
    r = runner.invoke(app, ["batch", "--in", str(pop_dir), "--peildatum", "2024-13-01", "--out", str(out)])
    assert r.exit_code == 2
