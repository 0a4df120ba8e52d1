"""``wpb gba inlezen`` and ``wpb gba woonplaats``: the GBA-V extract on the command line.

Small extracts are written in the test (the LO GBA layout, built with the helpers of
``test_gba``); the official GBA-V proefomgeving test set is used when ../shared is present.
Checked: what is printed (counts, skipped rows, warnings, unknown gemeentecodes), that bulk
output carries no BSN, exit code 2 naming line/element/value on bad input, and that the
decision equals the engine's on the same case.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from brp.test_gba import (
    ANDER,
    HEADER,
    KIND,
    MOEDER,
    TESTSET,
    VADER,
    family,
    lines,
    needs_testset,
    one,
    persoon,
    row,
    woon,
)
from wpb import refdata
from wpb.brp.gba import case_for, read_extract
from wpb.cli.gba import EXIT_INVALID_INPUT, gba_app, safe_label
from wpb.law.engine import decide


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(gba_app, name="gba")  # as wpb.cli.main wires it: ``wpb gba ...``
    return app


def run(app, *args: str):
    return CliRunner().invoke(app, ["gba", *args])


def write(tmp_path: Path, text: list[str], name: str = "extract.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


# An extract with something in every section of the report: a superseded voorkomen, a row
# without address data, a day without its month (warning) and the fictitious 1810.
def mixed_extract() -> list[str]:
    return lines(
        [
            row(
                **persoon(
                    "PL1",
                    KIND,
                    "20100505",
                    "M",
                    e02_01_20=MOEDER,
                    e02_04_10="V",
                    **woon("0599", "20150101", e08_85_10="20160101", e08_72_10="T"),
                )
            ),
            row(**woon("0599", "20150101")),  # line 3: superseded by line 2
            row(e08_72_10="I"),  # line 4: no address data
            row(**woon("0363", "20100505")),  # line 5
            row(**persoon("PL2", MOEDER, "19800013", "V", **woon("1810", "20050101"))),  # line 6
            row(**persoon("PL3", VADER, "19790101", "M", **woon("0344", "20000101"))),  # line 7
        ]
    )


# --- inlezen ---------------------------------------------------------------------------


def test_inlezen_reports_counts_skipped_warnings_and_unknown_codes(app, tmp_path):
    result = run(app, "inlezen", str(write(tmp_path, mixed_extract())))
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "Persoonslijsten: 3 gelezen, 0 afgewezen." in text
    assert "Adresregels (08/58): 5: 4 in de historie, 0 onjuist (84.10), 1 vervangen" in text
    assert "Overgeslagen regels: 2. Waarschuwingen: 1." in text
    assert "regel 3 [PL1]: verblijfplaats (58): vervangen door regel 2" in text
    assert "regel 4 [PL1]: categorie 58 zonder adresgegevens" in text
    assert "regel 6, 01.03.10: '19800013': dag 13 bij een onbekende maand" in text
    assert "1810: 1 adresregel(s): gba:regel 6 (08)" in text
    assert "fictieve gemeenten van de GBA-V proefomgeving" in text and "--proefomgeving" in text
    for bsn in (KIND, MOEDER, VADER):
        assert bsn not in text


def test_inlezen_with_the_proefomgeving_knows_1810(app, tmp_path):
    result = run(app, "inlezen", str(write(tmp_path, mixed_extract())), "--proefomgeving")
    assert result.exit_code == 0, result.stderr
    assert "Alle gemeentecodes staan in de gemeentetabel." in result.stdout
    assert "1810:" not in result.stdout


def test_inlezen_json_lists_everything_without_bsns(app, tmp_path):
    result = run(app, "inlezen", str(write(tmp_path, mixed_extract())), "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["telling"] == {
        "personen": 3,
        "adresregels": 5,
        "historie": 4,
        "onjuist": 0,
        "vervangen": 1,
        "overgeslagen": 2,
        "afgewezen": 0,
    }
    assert [(s["regel"], s["persoonslijst"]) for s in report["overgeslagen"]] == [
        (3, "PL1"),
        (4, "PL1"),
    ]
    assert report["waarschuwingen"][0]["pad"] == "regel 6, 01.03.10"
    assert report["onbekendeGemeentecodes"] == [
        {"code": "1810", "adresregels": ["gba:regel 6 (08)"]}
    ]
    assert report["afgewezen"] == []
    for bsn in (KIND, MOEDER, VADER):
        assert bsn not in result.stdout


def test_inlezen_max_limits_the_listing_and_says_how_many_more(app, tmp_path):
    rows = [persoon("PL1", KIND, "20100101", "V", **woon("0363", "20200101"))]
    rows += [woon("0363", f"20{y}0101", e08_84_10="O") for y in range(11, 19)]  # 8 onjuist
    rows += [woon("0363", "20100101")]
    path = write(tmp_path, one(*rows))
    result = run(app, "inlezen", str(path), "--max", "3")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("indicatie onjuist") == 3
    assert "… en nog 5 (--max 0 toont alles" in result.stdout
    result = run(app, "inlezen", str(path), "--max", "0")
    assert result.stdout.count("indicatie onjuist") == 8


def bad_extract() -> list[str]:
    return lines(
        [
            row(**persoon("PL1", "123456789", "20100101", "V", **woon("0363", "20100101"))),
            row(**woon("0518", "20101301")),  # line 3: month 13
            row(**persoon("PL2", MOEDER, "19800101", "V", **woon("03A3", "20000101"))),
            row(**persoon("PL3", VADER, "19790101", "M", **woon("0344", "20000101"))),
        ]
    )


def test_inlezen_bad_input_exits_2_naming_line_element_and_value(app, tmp_path):
    result = run(app, "inlezen", str(write(tmp_path, bad_extract())))
    assert result.exit_code == EXIT_INVALID_INPUT
    assert result.stdout == ""
    assert "regel 2, 01.01.20: burgerservicenummer voldoet niet aan de 11-proef" in result.stderr
    assert "regel 3, 08.10.30: '20101301': maand 13 bestaat niet" in result.stderr
    assert "regel 4, 08.09.10: '03A3' is geen gemeentecode (4 cijfers)" in result.stderr
    assert "123456789" not in result.stderr  # a BSN is never echoed


def test_inlezen_skip_invalid_lists_the_rejected_and_reads_the_rest(app, tmp_path):
    path = write(tmp_path, bad_extract())
    result = run(app, "inlezen", str(path), "--sla-ongeldige-over")
    assert result.exit_code == 0, result.stderr
    assert "Persoonslijsten: 1 gelezen, 2 afgewezen." in result.stdout
    assert "regel 2 (persoonslijst PL1):" in result.stdout
    assert "- regel 3, 08.10.30: '20101301': maand 13 bestaat niet" in result.stdout
    assert "regel 4 (persoonslijst PL2):" in result.stdout
    assert "123456789" not in result.stdout
    report = json.loads(run(app, "inlezen", str(path), "--sla-ongeldige-over", "-f", "json").stdout)
    assert [(r["regel"], r["persoonslijst"]) for r in report["afgewezen"]] == [
        (2, "PL1"),
        (4, "PL2"),
    ]


def test_inlezen_hides_a_label_that_looks_like_a_bsn(app, tmp_path):
    # Some extracts put the BSN or A-nummer in the first column: bulk output must not show it.
    path = write(
        tmp_path,
        one(
            persoon(KIND, KIND, "20100101", "V", **woon("0363", "20150101")),
            dict(e08_72_10="I"),
            dict(**woon("0363", "20100101")),
        ),
    )
    result = run(app, "inlezen", str(path))
    assert result.exit_code == 0, result.stderr
    assert KIND not in result.stdout and "label verborgen" in result.stdout
    assert safe_label("1234567890") != "1234567890" and safe_label("Lg01_716") == "Lg01_716"


def test_inlezen_missing_file_and_missing_columns(app, tmp_path):
    result = run(app, "inlezen", str(tmp_path / "nergens.csv"))
    assert result.exit_code == EXIT_INVALID_INPUT and "bestand niet gevonden" in result.stderr
    header = [h for h in HEADER if h != "08.10.10"]
    result = run(app, "inlezen", str(write(tmp_path, lines([], header=header))))
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "regel 1 (kop): kolom 08.10.10 ontbreekt" in result.stderr


# --- woonplaats ------------------------------------------------------------------------


def test_woonplaats_text_uses_the_mother_for_3(app, tmp_path):
    # The youth's address carries 089999 from 2021-07-02: 3°, the mother's registration at
    # the birth (2010-05-05: Den Haag 0518).
    path = write(tmp_path, family())
    result = run(app, "woonplaats", str(path), "--bsn", KIND, "--peildatum", "2022-06-01")
    assert result.exit_code == 0, result.stderr
    assert "'s-Gravenhage (0518)" in result.stdout
    assert "onderdeel 3°" in result.stdout
    assert "Moeder (voor 3°): moeder: ouder 02 (persoonslijst regel 4)" in result.stdout


def test_woonplaats_json_is_the_engines_decision(app, tmp_path, register):
    path = write(tmp_path, family())
    result = run(
        app, "woonplaats", str(path), "--bsn", KIND, "--peildatum", "2022-06-01", "-f", "json"
    )
    assert result.exit_code == 0, result.stderr
    got = json.loads(result.stdout)
    case = case_for(read_extract(path), KIND, date(2022, 6, 1), register=register)
    assert got == json.loads(json.dumps(decide(case, register).to_json()))
    assert (got["status"], got["grondslag"]["onderdeel"]) == ("bepaald", 3)


def test_woonplaats_briefadres_goes_to_3(app, tmp_path):
    path = write(
        tmp_path,
        one(persoon("PL1", KIND, "20100101", "V", **woon("0363", "20100101", e08_10_10="B"))),
    )
    args = ["woonplaats", str(path), "--bsn", KIND, "--peildatum", "2022-06-01", "-f", "json"]
    got = json.loads(run(app, *args).stdout)
    assert (got["status"], got["grondslag"]["onderdeel"]) == ("review", 3)
    assert got["reden"]["code"] == "werkelijke_verblijfplaats_ontbreekt"
    got = json.loads(run(app, *args, "--werkelijke-verblijfplaats", "0599").stdout)
    assert (got["status"], got["grondslag"]["onderdeel"], got["gemeente"]["code"]) == (
        "bepaald",
        3,
        "0599",
    )


def test_woonplaats_refuses_1810_unless_proefomgeving(app, tmp_path):
    path = write(tmp_path, one(persoon("PL1", KIND, "20100101", "V", **woon("1810", "20100101"))))
    args = ["woonplaats", str(path), "--bsn", KIND, "--peildatum", "2022-06-01"]
    result = run(app, *args)
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "gba:regel 2 (08), 08.09.10: onbekende gemeentecode '1810'" in result.stderr
    assert "--proefomgeving" in result.stderr
    assert KIND not in result.stderr
    result = run(app, *args, "--proefomgeving", "-f", "json")
    assert result.exit_code == 0, result.stderr
    got = json.loads(result.stdout)
    assert (got["status"], got["grondslag"]["onderdeel"], got["gemeente"]["code"]) == (
        "bepaald",
        1,
        "1810",
    )


def test_woonplaats_an_unknown_real_code_gives_no_proefomgeving_hint(app, tmp_path):
    path = write(tmp_path, one(persoon("PL1", KIND, "20100101", "V", **woon("9998", "20100101"))))
    result = run(app, "woonplaats", str(path), "--bsn", KIND, "--peildatum", "2022-06-01")
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "onbekende gemeentecode '9998'" in result.stderr
    assert "--proefomgeving" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bsn", "123456789", "--peildatum", "2022-06-01"], "--bsn: geen geldig"),
        (["--bsn", KIND, "--peildatum", "2022-13-01"], "--peildatum: '2022-13-01'"),
        (["--bsn", ANDER, "--peildatum", "2022-06-01"], "geen persoonslijst met het gevraagde BSN"),
        (
            ["--bsn", KIND, "--peildatum", "2022-06-01", "--werkelijke-verblijfplaats", "9998"],
            "--werkelijke-verblijfplaats: '9998' staat niet in de gemeentetabel",
        ),
    ],
)
def test_woonplaats_bad_arguments_exit_2(app, tmp_path, args, message):
    path = write(tmp_path, family())
    result = run(app, "woonplaats", str(path), *args)
    assert result.exit_code == EXIT_INVALID_INPUT
    assert message in result.stderr
    assert "123456789" not in result.stderr and ANDER not in result.stderr


def test_woonplaats_bad_extract_exits_2(app, tmp_path):
    path = write(tmp_path, bad_extract())
    result = run(app, "woonplaats", str(path), "--bsn", MOEDER, "--peildatum", "2022-06-01")
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "regel 3, 08.10.30: '20101301': maand 13 bestaat niet" in result.stderr


# --- the GBA-V proefomgeving test set ------------------------------------------------------


@pytest.fixture(scope="module")
def testset():
    if not TESTSET.is_file():
        pytest.skip(f"GBA-V proefomgeving test set not found at {TESTSET} (../shared is absent)")
    return read_extract(TESTSET)


@pytest.mark.shared
@needs_testset
def test_testset_inlezen_prints_no_bsn(app, testset):
    bsns = {p.bsn for p in testset.personen if p.bsn}
    bsns |= {o.bsn for p in testset.personen for o in p.ouders if o.bsn}
    for args in ([], ["--max", "0"], ["-f", "json"]):
        result = run(app, "inlezen", str(TESTSET), *args)
        assert result.exit_code == 0, result.stderr
        assert not [b for b in bsns if b in result.stdout], args
    result = run(app, "inlezen", str(TESTSET))
    assert "Persoonslijsten: 687 gelezen, 0 afgewezen." in result.stdout
    assert "Adresregels (08/58): 1743: 1372 in de historie, 31 onjuist" in result.stdout
    for code in ("1802", "1810", "1811"):
        assert f"\n  {code}: " in result.stdout
    assert "--proefomgeving" in result.stdout
    result = run(app, "inlezen", str(TESTSET), "--proefomgeving")
    assert "Alle gemeentecodes staan in de gemeentetabel." in result.stdout


@pytest.mark.shared
@needs_testset
def test_testset_woonplaats_toetsoog(app, testset):
    # Lg01_789 (born 2019) lives in the fictitious Toetsoog (1810) and is a jeugdige on
    # 2022-06-01. (Lg01_413 there, born 2000, is 22 and without care no jeugdige: art. 1.1.)
    [p] = [p for p in testset.personen if p.label == "Lg01_789"]
    args = ["woonplaats", str(TESTSET), "--bsn", p.bsn, "--peildatum", "2022-06-01"]
    result = run(app, *args)
    assert result.exit_code == EXIT_INVALID_INPUT
    assert f"persoonslijst regel {p.regel}" in result.stderr and "'1810'" in result.stderr
    result = run(app, *args, "--proefomgeving", "-f", "json")
    assert result.exit_code == 0, result.stderr
    got = json.loads(result.stdout)
    register = refdata.proefomgeving_register()
    expect = decide(case_for(testset, p, date(2022, 6, 1), register=register), register)
    assert got == json.loads(json.dumps(expect.to_json()))
    assert (got["status"], got["grondslag"]["onderdeel"], got["gemeente"]["code"]) == (
        "bepaald",
        1,
        "1810",
    )
    result = run(app, *args, "--proefomgeving")
    assert result.exit_code == 0 and "Toetsoog" in result.stdout
