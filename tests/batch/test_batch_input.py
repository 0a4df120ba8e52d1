"""Bad input stops the batch before it computes, naming file, column and rows; or, with
--skip-invalid, every rejected row is written with its reason and counted.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from typer.testing import CliRunner

from wpb.cli.batch import app
from wpb.population.schema import file_name
from wpb.population.synth import SynthConfig, generate
from wpb.population.validate import InvalidPopulation, read_population

P = date(2024, 10, 1)


@pytest.fixture(scope="module")
def good(register, tmp_path_factory):
    folder = tmp_path_factory.mktemp("good")
    generate(SynthConfig(400, seed=12), register).write(folder)
    return folder


def copy_with(good, tmp_path, table: str, change) -> tuple:
    for name in ("personen", "verblijfplaatsen", "jeugdhulp"):
        df = pl.read_parquet(good / file_name(name))
        if name == table:
            df = change(df)
        df.write_parquet(tmp_path / file_name(name))
    return tmp_path


def at_row(row: int, col: str, value) -> pl.Expr:
    return pl.when(pl.int_range(pl.len()) == row).then(value).otherwise(pl.col(col)).alias(col)


def problems(folder, register) -> list:
    with pytest.raises(InvalidPopulation) as exc:
        read_population(folder, register)
    return exc.value.problems


def test_missing_file(good, tmp_path, register):
    folder = copy_with(good, tmp_path, "jeugdhulp", lambda df: df)
    (folder / "jeugdhulp.parquet").unlink()
    [p] = problems(folder, register)
    assert p.bestand == "jeugdhulp.parquet" and "ontbreekt" in p.reden


def test_missing_column(good, tmp_path, register):
    folder = copy_with(good, tmp_path, "verblijfplaatsen", lambda df: df.drop("van_laatst"))
    [p] = problems(folder, register)
    assert (p.bestand, p.kolom, p.reden) == ("verblijfplaatsen.parquet", "van_laatst", "kolom ontbreekt")


def test_wrong_type_names_the_rows(good, tmp_path, register):
    def change(df):
        df = df.with_columns(pl.col("begin").cast(pl.String))
        return df.with_columns(at_row(2, "begin", pl.lit("2023-02-30")))
    folder = copy_with(good, tmp_path, "jeugdhulp", change)
    found = problems(folder, register)
    p = next(p for p in found if p.kolom == "begin" and "verwacht" in p.reden)
    assert p.bestand == "jeugdhulp.parquet" and p.rijen == (2,)


def test_wholly_wrong_type(good, tmp_path, register):
    folder = copy_with(good, tmp_path, "personen", lambda df: df.with_columns(pl.col("is_jeugdige").cast(pl.String) + "x"))
    found = problems(folder, register)
    assert any(p.kolom == "is_jeugdige" for p in found)


def test_unknown_gemeentecode(good, tmp_path, register):
    def change(df):
        row = df.with_row_index().filter(pl.col("type") == "Adres")["index"][5]
        return df.with_columns(at_row(row, "gemeente_code", pl.lit("9876")))
    folder = copy_with(good, tmp_path, "verblijfplaatsen", change)
    [p] = problems(folder, register)
    assert p.kolom == "gemeente_code" and "onbekende gemeentecode" in p.reden
    assert "verblijfplaatsen.parquet, kolom 'gemeente_code'" in str(p)
    assert "rij" in str(p) and "persoon_id" in str(p)


def test_period_that_ends_before_it_begins(good, tmp_path, register):
    def change(df):
        return df.with_columns(
            at_row(0, "tot_vroegst", pl.date(1990, 1, 1)), at_row(0, "tot_laatst", pl.date(1990, 1, 1)),
            at_row(0, "tot_precisie", pl.lit("Datum")),
        )
    folder = copy_with(good, tmp_path, "verblijfplaatsen", change)
    [p] = problems(folder, register)
    assert p.kolom == "tot_laatst" and "eindigt voordat" in p.reden and p.rijen == (0,)


def test_episode_that_ends_before_it_begins(good, tmp_path, register):
    folder = copy_with(good, tmp_path, "jeugdhulp", lambda df: df.with_columns(at_row(1, "einde", pl.date(2000, 1, 1))))
    [p] = problems(folder, register)
    assert (p.kolom, p.rijen) == ("einde", (1,))


def test_bad_bsn_is_named_but_not_echoed(good, tmp_path, register):
    folder = copy_with(good, tmp_path, "personen", lambda df: df.with_columns(at_row(3, "bsn", pl.lit("123456789"))))
    [p] = problems(folder, register)
    assert p.kolom == "bsn" and "11-proef" in p.reden
    assert "123456789" not in str(p)


def test_partial_date_that_does_not_fit_its_precision(good, tmp_path, register):
    folder = copy_with(good, tmp_path, "verblijfplaatsen", lambda df: df.with_columns(
        at_row(4, "van_precisie", pl.lit("JaarMaandDatum"))))
    [p] = problems(folder, register)
    assert p.kolom == "van_vroegst" and "precisie" in p.reden


def test_dangling_reference_to_mother(good, tmp_path, register):
    folder = copy_with(good, tmp_path, "personen", lambda df: df.with_columns(at_row(0, "moeder_id", pl.lit(10**9))))
    [p] = problems(folder, register)
    assert p.kolom == "moeder_id"


def test_skip_invalid_rejects_the_whole_person_and_says_so(good, tmp_path, register):
    def change(df):
        return df.with_columns(at_row(0, "gemeente_code", pl.lit("9876")))
    folder = copy_with(good, tmp_path, "verblijfplaatsen", change)
    pid = pl.read_parquet(folder / "verblijfplaatsen.parquet")["persoon_id"][0]
    checked = read_population(folder, register, skip_invalid=True)
    rejected = checked.rejected
    assert checked.rejected_persons == 1
    assert pid not in checked.population.personen["persoon_id"].to_list()
    assert set(rejected["persoon_id"].to_list()) == {pid}
    # Every row of that person, in every table, is listed with a reason.
    total = sum(pl.read_parquet(folder / file_name(t)).filter(pl.col("persoon_id") == pid).height
                for t in ("personen", "verblijfplaatsen", "jeugdhulp"))
    assert rejected.height == total
    assert rejected["reden"].null_count() == 0
    assert rejected.filter(pl.col("kolom") == "gemeente_code")["reden"].to_list() == [
        "onbekende gemeentecode (niet in de gemeentetabel)"]


def test_skip_invalid_rejects_youths_of_a_rejected_mother(good, tmp_path, register):
    personen = pl.read_parquet(good / "personen.parquet")
    mother = personen.filter(pl.col("is_jeugdige"))["moeder_id"][0]
    children = personen.filter(pl.col("moeder_id") == mother)["persoon_id"].to_list()
    folder = copy_with(good, tmp_path, "personen", lambda df: df.with_columns(
        pl.when(pl.col("persoon_id") == mother).then(pl.lit("123456789")).otherwise(pl.col("bsn")).alias("bsn")))
    checked = read_population(folder, register, skip_invalid=True)
    assert checked.rejected_persons == 1 + len(children)
    kept = set(checked.population.personen["persoon_id"].to_list())
    assert not kept & {mother, *children}


def test_cli_stops_before_computing(good, tmp_path):
    (tmp_path / "in").mkdir()
    folder = copy_with(good, tmp_path / "in", "verblijfplaatsen", lambda df: df.drop("type"))
    out = tmp_path / "res.parquet"
    r = CliRunner().invoke(app, ["batch", "--in", str(folder), "--peildatum", "2024-10-01", "--out", str(out)])
    assert r.exit_code == 2
    assert "verblijfplaatsen.parquet" in r.output and "'type'" in r.output
    assert not out.exists()


def test_cli_skip_invalid_writes_the_rejected_rows(good, tmp_path):
    (tmp_path / "in").mkdir()
    folder = copy_with(good, tmp_path / "in", "jeugdhulp", lambda df: df.with_columns(at_row(0, "einde", pl.date(2000, 1, 1))))
    out = tmp_path / "res.parquet"
    r = CliRunner().invoke(app, ["batch", "--in", str(folder), "--peildatum", "2024-10-01", "--out", str(out), "--skip-invalid"])
    assert r.exit_code == 0, r.output
    rejected = pl.read_csv(tmp_path / "res.afgewezen.csv")
    assert rejected.height > 0
    assert f"{rejected.height} rijen afgewezen (1 personen)" in r.output.replace(",", "")
    youths = pl.read_parquet(good / "personen.parquet").filter(pl.col("is_jeugdige")).height
    assert pl.read_parquet(out).height == youths - 1


def test_a_population_written_before_in_verband_met_jji_existed_still_reads(good, tmp_path, register):
    folder = copy_with(good, tmp_path, "jeugdhulp", lambda df: df.drop("in_verband_met_jji"))
    checked = read_population(folder, register)
    assert checked.population.jeugdhulp["in_verband_met_jji"].null_count() == checked.population.jeugdhulp.height


@pytest.mark.parametrize(
    ("vorm", "verblijf", "linked", "kolom"),
    [
        ("jeugdreclassering", False, None, "in_verband_met_jji"),  # required with jeugdreclassering
        ("pleegouder", True, True, "in_verband_met_jji"),  # only with jeugdreclassering
        ("jeugdreclassering", True, False, "verblijf"),  # jeugdreclassering is no stay
    ],
)
def test_jeugdreclassering_and_its_tie_to_a_jji_stay_are_checked(good, tmp_path, register, vorm, verblijf,
                                                                 linked, kolom):
    def change(df):
        return df.with_columns(at_row(1, "vorm", pl.lit(vorm)), at_row(1, "verblijf", pl.lit(verblijf)),
                               at_row(1, "in_verband_met_jji", pl.lit(linked, pl.Boolean)))
    folder = copy_with(good, tmp_path, "jeugdhulp", change)
    found = problems(folder, register)
    assert [(p.kolom, p.rijen) for p in found] == [(kolom, (1,))]
