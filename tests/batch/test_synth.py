"""The synthetic population: deterministic, valid, and with the documented proportions.

The proportions tested are the ones docs/population.md promises (with their public
sources), measured on a generated population with tolerances wide enough for 20,000
youths but narrow enough to catch a generator that drifts from them.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest

from wpb.law.bsn import is_valid_bsn
from wpb.law.facts import JeugdhulpVorm
from wpb.population.schema import JEUGDHULP, PERSONEN, SCHEMAS, TABLES, VERBLIJFPLAATSEN
from wpb.population.synth import (
    DEFAULT_EXTRACT_DATE,
    Rates,
    SynthConfig,
    generate,
    municipality_weights,
    synthetic_bsns,
)
from wpb.population.validate import read_population

X = DEFAULT_EXTRACT_DATE


@pytest.fixture(scope="module")
def pop(register):
    return generate(SynthConfig(20_000, seed=5), register)


def test_same_seed_same_tables_other_seed_other_tables(register):
    a = generate(SynthConfig(1_500, seed=42), register)
    b = generate(SynthConfig(1_500, seed=42), register)
    c = generate(SynthConfig(1_500, seed=43), register)
    for name in TABLES:
        assert a.table(name).equals(b.table(name)), name
    assert not a.verblijfplaatsen.equals(c.verblijfplaatsen)


def test_tables_have_the_documented_columns(pop):
    for name in TABLES:
        assert pop.table(name).schema == pl.Schema(SCHEMAS[name]), name


def test_written_population_passes_the_input_checks(pop, register, tmp_path):
    pop.write(tmp_path)
    checked = read_population(tmp_path, register)
    assert checked.rejected.height == 0
    assert checked.population.verblijfplaatsen.height == pop.verblijfplaatsen.height


def test_exactly_the_requested_number_of_youths_aged_0_to_22(pop):
    youths = pop.personen.filter(pl.col("is_jeugdige"))
    assert youths.height == 20_000
    oldest = youths["geboorte_vroegst"].min()
    assert oldest >= date(X.year - 24, 1, 1)
    assert youths["geboorte_laatst"].max() < X


def test_bsns_are_unique_synthetic_and_pass_the_11_proef(pop):
    bsns = pop.personen["bsn"]
    assert bsns.null_count() == 0
    assert bsns.n_unique() == bsns.len()
    assert all(b.startswith("9") and is_valid_bsn(b) for b in bsns.to_list())


def test_bsn_range_has_a_limit():
    with pytest.raises(ValueError, match="te veel personen"):
        synthetic_bsns(9_500_000, np.random.default_rng(1))


def test_mothers_and_parents_are_persons(pop):
    ids = pop.personen["persoon_id"]
    youths = pop.personen.filter(pl.col("is_jeugdige"))
    assert youths["moeder_id"].null_count() == 0
    assert youths["moeder_id"].is_in(ids.implode()).all()
    assert youths["gezag_ouder_id"].drop_nulls().is_in(ids.implode()).all()
    # Siblings share a mother: fewer mothers than youths.
    assert youths["moeder_id"].n_unique() < 0.8 * youths.height


def test_registration_at_birth_is_the_mothers(pop):
    """A youth born in the Netherlands is registered at birth where the mother lived then."""
    youths = pop.personen.filter(pl.col("is_jeugdige")).select("persoon_id", "moeder_id", "geboorte_vroegst")
    rec = pop.verblijfplaatsen
    first = rec.filter(pl.col("volgnr") == 0).select("persoon_id", "van_vroegst", "gemeente_code")
    born_here = youths.join(first, on="persoon_id").filter(pl.col("van_vroegst") == pl.col("geboorte_vroegst"))
    mothers = rec.select(pl.col("persoon_id").alias("moeder_id"), "van_vroegst", pl.col("gemeente_code").alias("m_code"))
    joined = born_here.sort("geboorte_vroegst").join_asof(
        mothers.sort("van_vroegst"), left_on="geboorte_vroegst", right_on="van_vroegst", by="moeder_id",
        check_sortedness=False,
    )
    assert born_here.height > 0.9 * youths.height
    same = (joined["gemeente_code"] == joined["m_code"]).mean()
    assert same > 0.97  # the rest: partial dates in the mother's history


def test_rare_situations_all_occur(pop, register):
    rec = pop.verblijfplaatsen
    types = set(rec["type"].unique().to_list())
    assert types == {"Adres", "Locatie", "VerblijfplaatsBuitenland", "VerblijfplaatsOnbekend"}
    assert (rec["gemeente_code"] == "1999").any()  # RNI
    assert set(rec["van_precisie"].unique().to_list()) >= {"Datum", "JaarMaandDatum", "JaarDatum"}
    assert rec["in_onderzoek"].any()
    assert (rec["niet_op_adres"] | rec["niet_op_adres_vanaf_vroegst"].is_not_null()).any()
    ended = {g.code for g in register if g.einde is not None}
    split = {g.code for g in register if (o := register.opvolging(g.code)) and len(o.opvolgers) > 1}
    codes = set(rec["gemeente_code"].drop_nulls().unique().to_list())
    assert len(codes & ended) > 20  # addresses in municipalities that later merged
    assert codes & split  # ... or split
    assert pop.personen["geboorte_precisie"].is_in(["JaarMaandDatum", "JaarDatum"]).any()


def test_municipalities_weighted_by_size(pop, register):
    codes, weights = municipality_weights(register, X)
    assert abs(weights.sum() - 1) < 1e-9
    assert codes[int(np.argmax(weights))] == "0363"  # Amsterdam is the largest
    current = pop.verblijfplaatsen.filter(pl.col("tot_vroegst").is_null() & (pl.col("type") == "Adres"))
    share = (current["gemeente_code"] == "0363").mean()
    assert 0.02 < share < 0.09  # about 5 % of the country lives in Amsterdam


def test_care_proportions(pop):
    """About 10 % of 0-22 year olds receive jeugdhulp in a year; about 1 in 10 of them with stay."""
    youths = 20_000
    eps = pop.jeugdhulp
    last_year = eps.filter(
        (pl.col("begin") < X) & (pl.col("einde").is_null() | (pl.col("einde") >= date(X.year - 1, X.month, X.day)))
    )
    in_care = last_year["persoon_id"].n_unique() / youths
    assert 0.07 < in_care < 0.14
    with_stay = last_year.filter(pl.col("verblijf"))["persoon_id"].n_unique() / last_year["persoon_id"].n_unique()
    assert 0.04 < with_stay < 0.2


def test_care_situations_all_occur(pop):
    eps = pop.jeugdhulp.sort("persoon_id", "begin")
    vormen = set(eps["vorm"].drop_nulls().unique().to_list())
    assert vormen == {v.value for v in JeugdhulpVorm}
    stays = eps.filter(pl.col("verblijf"))
    # Series: a stay beginning the day after (or on the day) the previous one ends.
    nxt = stays.with_columns(
        pl.col("begin").shift(-1).over("persoon_id").alias("next_begin")
    ).filter(pl.col("next_begin").is_not_null() & pl.col("einde").is_not_null())
    gap = (nxt["next_begin"] - nxt["einde"]).dt.total_days()
    assert ((gap >= 0) & (gap <= 1)).sum() > 10
    assert (gap > 1).any()  # and series that break
    births = pop.personen.select("persoon_id", "geboorte_vroegst")
    from_birth = stays.join(births, on="persoon_id").filter(pl.col("begin") == pl.col("geboorte_vroegst"))
    assert from_birth.height > 0  # foster care from birth
    adults = stays.join(births, on="persoon_id").filter(
        pl.col("einde").is_null() & (pl.col("geboorte_vroegst") < date(X.year - 18, 1, 1))
    )
    assert adults.height > 0  # 18+
    assert pop.personen["gezag_soort"].is_in(["voogdij"]).any()


def test_contradictory_episodes_occur(register):
    """Stays recorded as ambulant (1 % of stay episodes; 25 times as many here)."""
    pop = generate(SynthConfig(3_000, seed=6, rates=Rates().scaled(25)), register)
    always_stay = [v.value for v in JeugdhulpVorm if v.is_always_verblijf]
    assert pop.jeugdhulp.filter(~pl.col("verblijf") & pl.col("vorm").is_in(always_stay)).height > 0


def test_generation_is_columnar_enough_for_the_country(register):
    """A rough guard against a per-person loop: 100,000 youths in seconds, not minutes."""
    import time

    started = time.perf_counter()
    generate(SynthConfig(100_000, seed=3), register)
    assert time.perf_counter() - started < 40


def test_files_name_their_tables():
    assert set(TABLES) == {PERSONEN, VERBLIJFPLAATSEN, JEUGDHULP}
