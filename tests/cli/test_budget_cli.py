"""``wpb budget ...``: CSV/XLSX in, XLSX workbooks and PNG charts out; bad input exits 2."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from wpb.cli.budget import EXIT_INVALID_INPUT, app

EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "wpb" / "data" / "budget" / "voorbeeld"
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
    ):
        assert (example_run / name).read_bytes()[:8] == PNG
    # Seed 001: T-2 under the new rule applied to budget year 2022 only; the example shows
    # no 2023 T-2 budget computed under the pre-2022 rule.
    assert not (example_run / "t2_2023_verschil.png").exists()
    wb = load_workbook(example_run / "t2.xlsx", read_only=True)
    try:
        assert not any("2023" in name for name in wb.sheetnames)
    finally:
        wb.close()


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
    effect = "effect op het budget (+ ontvangt, − betaalt terug)"
    # Groningen: 30 % of € 62.400.000 = € 18.720.000 withdrawn, € 28.080.000 fell away:
    # it pays back € 9.360.000, shown as −9.360.000
    assert "betaalt" in by_code["0014"]["toelichting"]
    assert by_code["0014"][effect] == -9_360_000
    # Assen: € 11.625.000 withdrawn, € 9.300.000 fell away: receives € 2.325.000 back
    assert "ontvangt" in by_code["0106"]["toelichting"]
    assert by_code["0106"][effect] == 2_325_000
    assert "geen correctie" in by_code["0034"]["scenario"]  # as withdrawn
    assert by_code["0034"][effect] == 0
    assert not any("verwacht" in str(h) or "prijs" in str(h) for h in header)


def test_t2_workbook_lists_review_cases_and_keeps_the_total(example_run):
    budget = _sheet(example_run / "t2.xlsx", "Budget 2022")
    header = budget[0]
    total = dict(zip(header, budget[-1], strict=True))
    assert total["(a) ter vergelijking: geregistreerd"] == total["(b) budget regel 2022"] \
        == 9_450_000
    text = "\n".join(r[0] for r in _sheet(example_run / "t2.xlsx", "Toelichting")[1:] if r[0])
    # What the compensatieregeling compensated (seed 001), and that the comparison is not it.
    assert "Onderbreking financieringssystematiek voogdij en 18+" in text
    assert "zorggebruik in 2020 en 2021 niet meer terugzien" in text
    assert "niet wat de compensatieregeling" in text
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


def test_t2_refuses_a_year_t2_did_not_apply_to(tmp_path):
    result = run(
        "t2", "--zorggebruik", EXAMPLE / "t2_zorggebruik.csv", "--jaar", "2026", "--uit", tmp_path
    )
    assert result.exit_code == EXIT_INVALID_INPUT
    out = " ".join(result.output.split())
    assert "voor 2026 geldt T-2 niet" in out and "nieuwe verdeelmodel" in out
    assert not (tmp_path / "t2.xlsx").exists()


def test_t2_without_a_macro_budget_for_2022_exits_2(tmp_path):
    macro = tmp_path / "v.csv"
    macro.write_text("jaar,bedrag,bron\n2021,1000.00,test\n", encoding="utf-8")
    result = run(
        "t2", "--zorggebruik", EXAMPLE / "t2_zorggebruik.csv", "--macrobudget-voogdij18", macro,
        "--uit", tmp_path / "out",
    )
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "v.csv: veld 'jaar': geen macrobudget voogdij/18+ voor jaar 2022" in result.output


def test_ingroeipad_says_its_default_steps_are_an_assumption(tmp_path):
    result = run(
        "ingroeipad", "--historisch", EXAMPLE / "historisch.csv", "--regios",
        EXAMPLE / "regios.csv", "--objectief", EXAMPLE / "objectief.csv", "--uit", tmp_path,
    )
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "zijn een aanname" in out and "in- en uitstroom" in out
