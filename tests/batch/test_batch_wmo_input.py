"""Bad input for the Wmo batch stops it before it computes, naming file, column and rows; or,
with --skip-invalid, every rejected row is written with its reason and counted.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from typer.testing import CliRunner

from wpb import refdata
from wpb.batch.wmo import decide_wmo_population
from wpb.cli.batch import app
from wpb.population.schema import file_name
from wpb.population.validate import InvalidPopulation
from wpb.population.wmo_schema import (
    AANMELDINGEN,
    AANVRAGEN,
    INDICATIES,
    PLAATSINGEN,
    WMO_TABLES,
)
from wpb.population.wmo_synth import WmoSynthConfig, generate_wmo
from wpb.population.wmo_validate import read_wmo_population

P = date(2026, 9, 1)


@pytest.fixture(scope="module")
def good(register, tmp_path_factory):
    folder = tmp_path_factory.mktemp("bw")
    generate_wmo(WmoSynthConfig(400, seed=21), register, refdata.jeugdregio_indeling()).write(folder)
    return folder


def copy_with(good, tmp_path, table: str, change):
    for name in WMO_TABLES:
        df = pl.read_parquet(good / file_name(name))
        if name == table:
            df = change(df)
        df.write_parquet(tmp_path / file_name(name))
    return tmp_path


def at_row(row: int, col: str, value) -> pl.Expr:
    return pl.when(pl.int_range(pl.len()) == row).then(value).otherwise(pl.col(col)).alias(col)


def problems(folder, register, peildatum: date = P) -> list:
    with pytest.raises(InvalidPopulation) as exc:
        read_wmo_population(folder, register, peildatum)
    return exc.value.problems


def one(found, kolom: str, fragment: str):
    matches = [p for p in found if p.kolom == kolom and fragment in p.reden]
    assert len(matches) == 1, [str(p) for p in found]
    return matches[0]


def test_the_generated_population_is_valid(good, register):
    checked = read_wmo_population(good, register, P)
    assert checked.rejected.height == 0
    assert checked.population.aanmeldingen.height == 400


def test_missing_files_are_all_named(good, tmp_path, register):
    folder = copy_with(good, tmp_path, AANVRAGEN, lambda df: df)
    (folder / file_name(PLAATSINGEN)).unlink()
    (folder / file_name(INDICATIES)).unlink()
    found = problems(folder, register)
    assert {p.bestand for p in found} == {file_name(PLAATSINGEN), file_name(INDICATIES)}
    assert all("ontbreekt" in p.reden for p in found)


def test_missing_column(good, tmp_path, register):
    folder = copy_with(good, tmp_path, AANMELDINGEN, lambda df: df.drop("aanvragen_bekend"))
    [p] = problems(folder, register)
    assert (p.bestand, p.kolom, p.reden) == (file_name(AANMELDINGEN), "aanvragen_bekend", "kolom ontbreekt")


def test_wrong_type_names_the_rows(good, tmp_path, register):
    def change(df):
        df = df.with_columns(pl.col("toegekend").cast(pl.String))
        return df.with_columns(at_row(3, "toegekend", pl.lit("2024-02-30")))
    folder = copy_with(good, tmp_path, INDICATIES, change)
    p = one(problems(folder, register), "toegekend", "verwacht")
    assert p.bestand == file_name(INDICATIES) and p.rijen == (3,)


def test_unknown_gemeentecode_of_a_placement(good, tmp_path, register):
    folder = copy_with(good, tmp_path, PLAATSINGEN, lambda df: df.with_columns(at_row(5, "gemeente", pl.lit("9876"))))
    p = one(problems(folder, register), "gemeente", "onbekende gemeentecode")
    assert p.bestand == file_name(PLAATSINGEN) and p.rijen == (5,) and p.persoon_ids[0] is not None


def test_rni_is_no_aanmeldgemeente(good, tmp_path, register):
    folder = copy_with(good, tmp_path, AANMELDINGEN, lambda df: df.with_columns(
        at_row(0, "aanmeldgemeente", pl.lit("1999")), pl.lit(None).alias("regio_gemeenten")))
    p = one(problems(folder, register), "aanmeldgemeente", "geen gemeente")
    assert p.rijen == (0,)


def test_placement_ending_before_it_begins(good, tmp_path, register):
    def change(df):
        return df.with_columns(at_row(2, "einde_vroegst", pl.lit(date(1999, 1, 1))),
                               at_row(2, "einde_laatst", pl.lit(date(1999, 1, 1))),
                               at_row(2, "einde_precisie", pl.lit("Datum")))
    folder = copy_with(good, tmp_path, PLAATSINGEN, change)
    p = one(problems(folder, register), "einde_laatst", "eindigt voordat het begint")
    assert p.rijen == (2,)


def test_indication_ending_before_it_begins(good, tmp_path, register):
    folder = copy_with(good, tmp_path, INDICATIES, lambda df: df.with_columns(
        at_row(1, "einde", pl.lit(date(2000, 1, 1)))))
    assert one(problems(folder, register), "einde", "eindigt voordat zij begint").rijen == (1,)


def test_request_after_the_peildatum_depends_on_the_peildatum(good, register):
    early = date(2026, 3, 1)
    p = one(problems(good, register, early), "datum", "ligt na de peildatum")
    assert p.bestand == file_name(AANMELDINGEN) and p.aantal > 0


def test_aanmeldgemeente_outside_its_own_region(good, tmp_path, register):
    def change(df):
        row = df.with_row_index().filter(pl.col("regio_gemeenten").is_not_null())["index"][0]
        return df.with_columns(at_row(row, "regio_gemeenten", pl.lit(["0599"], dtype=pl.List(pl.String))),
                               at_row(row, "aanmeldgemeente", pl.lit("0344")))
    folder = copy_with(good, tmp_path, AANMELDINGEN, change)
    one(problems(folder, register), "regio_gemeenten", "eigen regio")


def test_rows_of_a_person_who_is_no_client(good, tmp_path, register):
    folder = copy_with(good, tmp_path, PLAATSINGEN, lambda df: df.with_columns(
        at_row(0, "persoon_id", pl.lit(10**6, pl.Int64))))
    found = problems(folder, register)
    assert one(found, "persoon_id", "geen cliënt").persoon_ids == (10**6,)


def test_applications_of_a_client_whose_applications_are_unknown(good, tmp_path, register):
    aanvragen = pl.read_parquet(good / file_name(AANVRAGEN))
    pid = aanvragen["persoon_id"][0]
    folder = copy_with(good, tmp_path, AANMELDINGEN, lambda df: df.with_columns(
        pl.when(pl.col("persoon_id") == pid).then(False).otherwise(pl.col("aanvragen_bekend"))
        .alias("aanvragen_bekend")))
    p = one(problems(folder, register), "persoon_id", "aanvragen_bekend")
    assert p.bestand == file_name(AANVRAGEN) and pid in p.persoon_ids


def test_a_client_twice(good, tmp_path, register):
    folder = copy_with(good, tmp_path, AANMELDINGEN, lambda df: pl.concat([df, df.head(1)]))
    p = one(problems(folder, register), "persoon_id", "vaker")
    assert p.aantal == 2


def test_brp_and_beschermd_wonen_problems_are_reported_together(good, tmp_path, register):
    folder = copy_with(good, tmp_path, PLAATSINGEN, lambda df: df.with_columns(at_row(0, "gemeente", pl.lit("9876"))))
    personen = pl.read_parquet(good / file_name("personen")).with_columns(at_row(1, "bsn", pl.lit("123456789")))
    personen.write_parquet(folder / file_name("personen"))
    found = problems(folder, register)
    assert {p.bestand for p in found} == {file_name("personen"), file_name(PLAATSINGEN)}
    bsn = one(found, "bsn", "11-proef")
    assert "123456789" not in str(bsn)  # a BSN is never echoed


def test_skip_invalid_leaves_out_whole_persons_and_lists_every_row(good, tmp_path, register):
    plaatsingen = pl.read_parquet(good / file_name(PLAATSINGEN))
    bad_pid = plaatsingen["persoon_id"][4]
    folder = copy_with(good, tmp_path, PLAATSINGEN, lambda df: df.with_columns(at_row(4, "gemeente", pl.lit("9876"))))
    checked = read_wmo_population(folder, register, P, skip_invalid=True)
    assert checked.rejected_persons == 1
    for table in WMO_TABLES:
        assert bad_pid not in checked.population.table(table)["persoon_id"].to_list()
    rejected = checked.rejected
    assert set(rejected["persoon_id"].to_list()) == {bad_pid}
    # Every row of the person in every table is listed, the bad one with its own reason.
    expected_rows = sum(pl.read_parquet(folder / file_name(t)).filter(pl.col("persoon_id") == bad_pid).height
                        for t in WMO_TABLES)
    assert rejected.height == expected_rows
    direct = rejected.filter(pl.col("bestand") == file_name(PLAATSINGEN)).filter(pl.col("rij") == 4)
    assert "onbekende gemeentecode" in direct["reden"].item()
    assert rejected.filter(pl.col("kolom") == "-")["reden"].str.starts_with("persoon afgewezen").all()
    # The other clients are decided as before.
    full = decide_wmo_population(read_wmo_population(good, register, P).population, P, register)
    kept = decide_wmo_population(checked.population, P, register)
    assert kept.height == 399
    assert kept.equals(full.filter(pl.col("persoon_id") != bad_pid))


def test_command_stops_on_bad_input_and_skips_with_the_option(good, tmp_path, register):
    (tmp_path / "in").mkdir()
    folder = copy_with(good, tmp_path / "in", PLAATSINGEN,
                       lambda df: df.with_columns(at_row(4, "gemeente", pl.lit("9876"))))
    runner = CliRunner()
    out = tmp_path / "r.parquet"
    stopped = runner.invoke(app, ["batch", "--wet", "wmo-bw", "--in", str(folder), "--peildatum",
                                  "2026-09-01", "--out", str(out)])
    assert stopped.exit_code == 2
    assert "bw_plaatsingen.parquet" in stopped.output and "'gemeente'" in stopped.output
    assert "Niets berekend" in stopped.output and not out.exists()
    skipped = runner.invoke(app, ["batch", "--wet", "wmo-bw", "--in", str(folder), "--peildatum",
                                  "2026-09-01", "--out", str(out), "--skip-invalid"])
    assert skipped.exit_code == 0, skipped.output
    assert "afgewezen (1 personen)" in skipped.output
    assert pl.read_csv(tmp_path / "r.afgewezen.csv").height > 0
