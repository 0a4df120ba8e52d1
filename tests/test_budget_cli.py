"""``wpb budget ...``: CSV/XLSX in, XLSX workbooks and PNG charts out; bad input exits 2."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from wpb.cli.budget import EXIT_INVALID_INPUT, app

EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "wpb" / "data" / "budget" / "voorbeeld"
PNG = b"\x89PNG\r\n\x1a\n"

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def example_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("voorbeeld")
    result = run("voorbeeld", "--uit", out)
    assert result.exit_code == 0, result.output
    return out


def _sheet(path: Path, name: str) -> list[tuple]:
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return list(wb[name].iter_rows(values_only=True))
    finally:
        wb.close()


def test_voorbeeld_writes_every_workbook_and_chart(example_run):
    for name in ("ingroeipad.xlsx", "wlz_uitname.xlsx", "t2.xlsx", "historisch_na_uitname.csv"):
        assert (example_run / name).stat().st_size > 0
    for name in (
        "ingroeipad_budgetpad.png",
        "ingroeipad_winnaars_verliezers.png",
        "wlz_correctie.png",
        "t2_2022_verschil.png",
        "t2_2023_verschil.png",
    ):
        assert (example_run / name).read_bytes()[:8] == PNG


def test_ingroeipad_workbook_adds_up_to_the_distributable_budget(example_run):
    rows = _sheet(example_run / "ingroeipad.xlsx", "Budget per gemeente")
    header, total = rows[0], rows[-1]
    assert total[0] == "totaal"
    params = {r[0]: r for r in _sheet(example_run / "ingroeipad.xlsx", "Parameters")[1:]}
    for year in range(2021, 2032):
        column = header.index(str(year))
        cents = sum(round(Decimal(str(r[column])) * 100) for r in rows[1:-1])
        expected = round(Decimal(str(params[year][2])) * 100)  # te verdelen
        assert cents == expected, year
        # 70 % of the macro budget: the Wlz withdrawal of 30 % applies from 2021
        macro = round(Decimal(str(params[year][1])) * 100)
        assert expected == macro - round(macro * Decimal("0.3"))
    text = "\n".join(
        r[0] for r in _sheet(example_run / "ingroeipad.xlsx", "Toelichting")[1:] if r[0]
    )
    assert "grootste resten" in text and "centrumgemeente" in text
    assert "synthetische voorbeeldwaarden" in text


def test_wlz_workbook_explains_every_centrumgemeente_in_dutch(example_run):
    rows = _sheet(example_run / "wlz_uitname.xlsx", "Uitname per centrumgemeente")
    header = rows[0]
    by_code = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert "betaalt" in by_code["0014"]["toelichting"]  # more outflow than estimated
    assert "ontvangt" in by_code["0106"]["toelichting"]  # less
    assert "geen correctie" in by_code["0034"]["scenario"]  # as estimated
    assert by_code["0034"]["correctie"] == 0


def test_t2_workbook_lists_review_cases_and_keeps_the_total(example_run):
    budget = _sheet(example_run / "t2.xlsx", "Budget 2022")
    header = budget[0]
    total = dict(zip(header, budget[-1], strict=True))
    assert total["budget (a)"] == total["budget (b)"] == 9_450_000
    review_line = dict(zip(header, budget[-2], strict=True))
    assert review_line["gemeentecode"] == "beoordeling"
    review = _sheet(example_run / "t2.xlsx", "Te beoordelen 2022")
    assert (
        len(review) - 1
        == review_line["aantal (a) geregistreerd"] + review_line["aantal (b) regel 2022"]
    )
    assert any(r[6].startswith("gesplitste_gemeente") for r in review[1:])  # Haaren 2020


def test_wlz_output_feeds_the_ingroeipad_and_changes_only_the_tempo(example_run, tmp_path):
    corrected = example_run / "historisch_na_uitname.csv"
    result = run(
        "ingroeipad",
        "--historisch",
        corrected,
        "--regios",
        EXAMPLE / "regios.csv",
        "--objectief",
        EXAMPLE / "objectief.csv",
        "--uit",
        tmp_path,
    )
    assert result.exit_code == 0, result.output
    before = _sheet(example_run / "ingroeipad.xlsx", "Budget per gemeente")
    after = _sheet(tmp_path / "ingroeipad.xlsx", "Budget per gemeente")
    i2022, i2031 = before[0].index("2022"), before[0].index("2031")
    assert [r[i2031] for r in before[1:]] == [r[i2031] for r in after[1:]]  # same end point
    assert [r[i2022] for r in before[1:]] != [r[i2022] for r in after[1:]]  # other steps


def test_attribution_by_key_from_the_command_line(tmp_path):
    result = run(
        "ingroeipad",
        "--historisch",
        EXAMPLE / "historisch.csv",
        "--regios",
        EXAMPLE / "regios.csv",
        "--objectief",
        EXAMPLE / "objectief.csv",
        "--toerekening",
        "sleutel",
        "--uit",
        tmp_path,
    )
    assert result.exit_code == 0, result.output
    rows = _sheet(tmp_path / "ingroeipad.xlsx", "Budget per gemeente")
    i2021 = rows[0].index("2021")
    assert all(r[i2021] > 0 for r in rows[1:-1])  # every member starts with part of its region


def test_bad_input_exits_2_naming_file_row_and_field(tmp_path):
    bad = tmp_path / "objectief.csv"
    lines = (EXAMPLE / "objectief.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ",0.5"  # a share that breaks the sum
    lines[5] = "9998,Nergens,0.000001"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(
        "ingroeipad",
        "--historisch",
        EXAMPLE / "historisch.csv",
        "--regios",
        EXAMPLE / "regios.csv",
        "--objectief",
        bad,
        "--uit",
        tmp_path / "out",
    )
    assert result.exit_code == EXIT_INVALID_INPUT
    assert (
        "objectief.csv regel 6: veld 'gemeentecode': onbekende gemeentecode 9998" in result.output
    )
    assert not (tmp_path / "out").exists()


def test_shares_not_summing_to_one_exit_2(tmp_path):
    bad = tmp_path / "objectief.csv"
    lines = (EXAMPLE / "objectief.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ",0.5"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(
        "ingroeipad",
        "--historisch",
        EXAMPLE / "historisch.csv",
        "--regios",
        EXAMPLE / "regios.csv",
        "--objectief",
        bad,
        "--uit",
        tmp_path / "out",
    )
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "objectief.csv: veld 'aandeel': de aandelen tellen op tot" in result.output


def test_a_missing_year_in_a_parameter_file_exits_2(tmp_path):
    macro = tmp_path / "macro.csv"
    macro.write_text(
        "jaar,bedrag,bron\n"
        + "".join(f"{y},1000000.00,test\n" for y in range(2021, 2032) if y != 2025),
        encoding="utf-8",
    )
    result = run(
        "ingroeipad",
        "--historisch",
        EXAMPLE / "historisch.csv",
        "--regios",
        EXAMPLE / "regios.csv",
        "--objectief",
        EXAMPLE / "objectief.csv",
        "--macrobudget",
        macro,
        "--uit",
        tmp_path / "out",
    )
    assert result.exit_code == EXIT_INVALID_INPUT
    assert (
        "macro.csv: veld 'jaar': geen macrobudget beschermd wonen voor jaar 2025" in result.output
    )


def test_t2_for_a_year_without_a_macro_budget_exits_2(tmp_path):
    result = run(
        "t2", "--zorggebruik", EXAMPLE / "t2_zorggebruik.csv", "--jaar", "2024", "--uit", tmp_path
    )
    assert result.exit_code == EXIT_INVALID_INPUT
    assert (
        "voogdij18_macrobudget.csv: veld 'jaar': geen macrobudget voogdij/18+ voor jaar 2024"
        in result.output
    )
