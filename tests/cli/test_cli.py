"""The ``wpb`` command line, driven as a user would through typer's CliRunner."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from wpb.cli import app
from wpb.cli import output as cli

runner = CliRunner()

EXAMPLES = resources.files("wpb").joinpath("data", "examples")
# Jeugdwet cases sit in examples/; other laws' cases in a folder per law (e.g. wmo-bw/).
EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if p.name.endswith(".json"))
ALL_EXAMPLE_NAMES = EXAMPLE_NAMES + sorted(
    f"{folder.name}/{p.name}"
    for folder in EXAMPLES.iterdir()
    if folder.is_dir()
    for p in folder.iterdir()
    if p.name.endswith(".json")
)

# The keys a decision in JSON documents (wpb.law.decision.Decision.to_json).
DECISION_KEYS = {
    "wet", "peildatum", "status", "gemeente", "grondslag", "reden", "toelichting",
    "gebruikteGegevens", "ontbrekend", "kandidaten", "receipt",
}
RECEIPT_KEYS = {"engine", "regelversie", "referentiedata", "invoerHash"}


@pytest.fixture
def wide(monkeypatch):
    """Print rich tables wide enough that names are not folded or cut off."""
    monkeypatch.setattr(cli, "out", Console(width=250))
    monkeypatch.setattr(cli, "err", Console(width=250, stderr=True))


def example(name: str) -> str:
    with resources.as_file(EXAMPLES.joinpath(name)) as path:
        return str(path)


def woonplaats_json(*args: str) -> dict:
    result = runner.invoke(app, ["woonplaats", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_there_are_examples() -> None:
    assert len(EXAMPLE_NAMES) >= 8


def test_woonplaats_json_has_the_documented_keys() -> None:
    answer = woonplaats_json(example("02-pleegzorg-reeks.json"))
    assert set(answer) >= DECISION_KEYS
    assert set(answer["receipt"]) == RECEIPT_KEYS
    # A series of stays from 2022-09-01: the address on 2022-08-31 (Rotterdam), sub 2°.
    assert answer["status"] == "bepaald"
    assert answer["gemeente"]["code"] == "0599"
    assert answer["grondslag"]["onderdeel"] == 2
    assert answer["grondslag"]["tekst"]
    assert answer["peildatum"] == "2024-02-01"
    assert answer["receipt"]["invoerHash"].startswith("sha256:")


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_example_gives_valid_json(name: str) -> None:
    answer = woonplaats_json(example(name))
    assert answer["status"] in ("bepaald", "review")
    assert (answer["gemeente"] is None) == (answer["status"] == "review")
    assert answer["toelichting"]


def test_peildatum_option_overrides_the_case() -> None:
    path = example("08-regel-voor-2022.json")
    in_2021 = woonplaats_json(path)
    in_2022 = woonplaats_json(path, "--peildatum", "2022-06-01")
    # 2021: the parent with gezag (Amsterdam, sub 1°). 2022: the address before the stay
    # that began on 2021-01-10 (Utrecht, sub 2°).
    assert (in_2021["peildatum"], in_2021["gemeente"]["code"]) == ("2021-06-01", "0363")
    assert (in_2022["peildatum"], in_2022["gemeente"]["code"]) == ("2022-06-01", "0344")
    assert in_2022["grondslag"]["onderdeel"] == 2
    assert in_2021["receipt"]["invoerHash"] != in_2022["receipt"]["invoerHash"]
    assert in_2021["receipt"]["regelversie"] != in_2022["receipt"]["regelversie"]


def test_text_format_shows_the_gemeente_and_grondslag(wide) -> None:
    result = runner.invoke(app, ["woonplaats", example("02-pleegzorg-reeks.json")])
    assert result.exit_code == 0, result.output
    assert "Rotterdam (0599)" in result.stdout
    assert "onderdeel 2°" in result.stdout


def test_bad_input_exits_2_naming_the_field(tmp_path: Path, wide) -> None:
    doc = json.loads(Path(example("01-ambulant-woonadres.json")).read_text(encoding="utf-8"))
    doc["jeugdige"]["verblijfplaatshistorie"][0]["datumVan"] = {"type": "Datum", "datum": "2027-06-31"}
    case = tmp_path / "fout.json"
    case.write_text(json.dumps(doc), encoding="utf-8")
    result = runner.invoke(app, ["woonplaats", str(case), "--format", "json"])
    assert result.exit_code == 2
    assert "jeugdige.verblijfplaatshistorie[0].datumVan.datum" in result.output
    assert result.stdout == ""  # nothing that looks like an answer


def test_bsn_is_not_echoed_in_the_error(tmp_path: Path, wide) -> None:
    doc = json.loads(Path(example("01-ambulant-woonadres.json")).read_text(encoding="utf-8"))
    doc["jeugdige"]["burgerservicenummer"] = "123456789"
    case = tmp_path / "bsn.json"
    case.write_text(json.dumps(doc), encoding="utf-8")
    result = runner.invoke(app, ["woonplaats", str(case)])
    assert result.exit_code == 2
    assert "jeugdige.burgerservicenummer" in result.output
    assert "123456789" not in result.output


def test_invalid_json_exits_2(tmp_path: Path, wide) -> None:
    case = tmp_path / "kapot.json"
    case.write_text('{"peildatum": ', encoding="utf-8")
    result = runner.invoke(app, ["woonplaats", str(case)])
    assert result.exit_code == 2
    assert "geen geldige JSON" in result.output


def test_bad_peildatum_option_exits_2(wide) -> None:
    result = runner.invoke(app, ["woonplaats", example("01-ambulant-woonadres.json"),
                                 "--peildatum", "2023-02-30"])
    assert result.exit_code == 2
    assert "--peildatum" in result.output


def test_missing_file_exits_2(tmp_path: Path, wide) -> None:
    missing = tmp_path / "bestaat-niet.json"
    result = runner.invoke(app, ["woonplaats", str(missing)])
    assert result.exit_code == 2
    assert "bestaat-niet.json" in result.output


def test_voorbeelden_lists_every_example(wide) -> None:
    result = runner.invoke(app, ["voorbeelden"])
    assert result.exit_code == 0, result.output
    for name in ALL_EXAMPLE_NAMES:
        assert name.removesuffix(".json") in result.stdout


def test_voorbeelden_json_lists_every_example() -> None:
    result = runner.invoke(app, ["voorbeelden", "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert sorted(item["casus"] for item in payload) == sorted(ALL_EXAMPLE_NAMES)
    assert all(set(item) >= DECISION_KEYS for item in payload)


def test_gemeente_opvolgers_of_a_split(wide) -> None:
    result = runner.invoke(app, ["gemeente", "opvolgers", "0788", "--op", "2022-01-01"])
    assert result.exit_code == 0, result.output
    last_line = result.stdout.strip().splitlines()[-1]
    for code in ("0757", "0824", "0855", "0865"):
        assert f"({code})" in last_line
    assert "2021-01-01" in result.stdout  # the herindeling it followed


def test_gemeente_opvolgers_warns_that_a_split_needs_the_address(wide) -> None:
    result = runner.invoke(app, ["gemeente", "opvolgers", "0788", "--op", "2022-01-01"])
    assert "gesplitst" in result.stdout.strip().splitlines()[-1]


def test_gemeente_opvolgers_of_a_merger(wide) -> None:
    before = runner.invoke(app, ["gemeente", "opvolgers", "0457", "--op", "2022-03-23"])
    after = runner.invoke(app, ["gemeente", "opvolgers", "0457", "--op", "2022-03-24"])
    assert before.exit_code == after.exit_code == 0
    assert "(0457)" in before.stdout.strip().splitlines()[-1]
    assert "Amsterdam (0363)" in after.stdout.strip().splitlines()[-1]


def test_gemeente_opvolgers_unknown_code_exits_2(wide) -> None:
    result = runner.invoke(app, ["gemeente", "opvolgers", "9876"])
    assert result.exit_code == 2
    assert "9876" in result.output


def test_input_that_looks_like_markup_is_printed_not_interpreted(tmp_path) -> None:
    # Rich would read "[/x]" as a closing tag and crash; an error must still exit 2.
    doc = json.loads((EXAMPLES / "01-ambulant-woonadres.json").read_text(encoding="utf-8"))
    doc["peildatum"] = "[/x]"
    path = tmp_path / "casus.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = runner.invoke(app, ["woonplaats", str(path)])
    assert result.exit_code == 2
    assert "[/x]" in result.output


@pytest.mark.parametrize("executor", ["referentie", "kolom"])
def test_geen_jeugdige_names_the_definition_in_json(tmp_path: Path, executor: str) -> None:
    # 23 on the peildatum: no jeugdige (Jeugdwet art. 1.1 "jeugdige", 3°: "doch niet de
    # leeftijd van drieëntwintig jaar"); the review cites that onderdeel, in both executors.
    doc = json.loads(Path(example("01-ambulant-woonadres.json")).read_text(encoding="utf-8"))
    doc["peildatum"] = "2035-03-04"
    case = tmp_path / "drieentwintig.json"
    case.write_text(json.dumps(doc), encoding="utf-8")
    answer = woonplaats_json(str(case), "--executor", executor)
    assert (answer["status"], answer["reden"]["code"]) == ("review", "geen_jeugdige")
    grondslag = answer["grondslag"]
    assert (grondslag["begrip"], grondslag["onderdeel"], grondslag["artikel"]) == ("jeugdige", 3, "1.1")
    assert grondslag["citeertitel"] == "Jeugdwet art. 1.1, jeugdige, onderdeel 3°"
    assert "drieëntwintig jaar" in grondslag["tekst"]
