"""``wpb ijw verhuizing``: ending a toewijzing on a move, and the keuzehulp for the contract
(issue 14 item 7: wpb.ijw.toewijzingen and wpb.ijw.contracts reached from the CLI).

From the standard and the factsheet: on a move to another gemeente the old toewijzing ends
(RedenWijziging 07) the day before the new gemeente's follow-on toewijzing starts, and not
before that exists; the new gemeente uses its own contract with the provider (keuzehulp
option 1) or proposes a light maatwerkovereenkomst of product, eenheid, prijs per eenheid and
frequentie, prefilled from the old toewijzing (option 4).
"""

from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from ijw_builders import AANBIEDER, jw301, toegewezen
from wpb.cli.ijw import ijw_app
from wpb.ijw.ontvangst import valideer
from wpb.ijw.xml_read import read_bericht
from wpb.ijw.xml_write import write_bericht

runner = CliRunner()
KOP = "gemeente;aanbieder;productcategorie;productcode;eenheid;prijs_per_eenheid;frequentie;ingangsdatum;einddatum;kenmerk"


def _files(tmp_path, contract_rows: list[str] | None = None):
    # Utrecht's toewijzing 1001: 45A03, 4 uur per week (eenheid 04, frequentie 2),
    # 2026-04-01 up to 2026-12-31. Amersfoort follows on with 2001 from 2026-06-01.
    old = tmp_path / "oud.xml"
    old.write_bytes(write_bericht(jw301(toegewezen(1001), gemeente="0344")))
    new = tmp_path / "nieuw.xml"
    new.write_bytes(write_bericht(jw301(toegewezen(2001, ingang=date(2026, 6, 1)), gemeente="0307",
                                        identificatie="TW0000000002")))
    contracts = tmp_path / "contracten.csv"
    contracts.write_text("\n".join([KOP, *(contract_rows or [])]) + "\n", encoding="utf-8")
    return old, new, contracts


def _run(*args: str):
    return runner.invoke(ijw_app, ["verhuizing", *args])


def test_the_old_toewijzing_ends_the_day_before_the_follow_on_and_option_4_takes_the_old_price(tmp_path):
    # Only Utrecht has a contract line for 45A03: € 75,00 per uur.
    old, new, contracts = _files(tmp_path, [f"0344;{AANBIEDER};45;45A03;04;7500;2;2026-01-01;;U-12"])
    result = _run(str(old), "--toewijzing", "1001", "--opvolger", str(new),
                  "--contracten", str(contracts), "--uit", str(tmp_path / "uit"), "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["actie"]["soort"] == "beeindigen_verhuizing" and not body["actie"]["geblokkeerd"]
    sent = read_bericht((tmp_path / "uit").glob("JW301-*.xml").__next__().read_bytes())
    (ended,) = sent.client.toegewezen_producten
    assert (ended.toewijzing_nummer, ended.einddatum, ended.reden_wijziging) == (
        1001, date(2026, 5, 31), "07")
    assert valideer(write_bericht(sent)).problems == []
    advies = body["keuzehulp"]
    assert advies["optie"] == 4
    voorstel = advies["voorstel"]
    assert (voorstel["gemeente"], voorstel["aanbieder"], voorstel["eenheid"], voorstel["frequentie"],
            voorstel["prijsPerEenheid"], voorstel["ingangsdatum"], voorstel["einddatum"]) == (
        "0307", AANBIEDER, "04", "2", 7500, "2026-06-01", "2026-12-31")
    assert voorstel["ontbrekend"] == []


def test_option_1_when_the_new_gemeente_has_a_contract(tmp_path):
    old, new, contracts = _files(tmp_path, [
        f"0307;{AANBIEDER};45;;04;6900;2;2026-01-01;2026-12-31;A-7",  # the whole categorie 45
    ])
    result = _run(str(old), "--toewijzing", "1001", "--opvolger", str(new),
                  "--contracten", str(contracts), "--format", "json")
    assert result.exit_code == 0, result.output
    advies = json.loads(result.stdout)["keuzehulp"]
    assert (advies["optie"], advies["contract"]["kenmerk"]) == (1, "A-7")


def test_without_the_follow_on_toewijzing_the_old_one_runs_on(tmp_path):
    old, _, contracts = _files(tmp_path)
    result = _run(str(old), "--toewijzing", "1001", "--gemeente", "0307",
                  "--contracten", str(contracts), "--uit", str(tmp_path / "uit"))
    assert result.exit_code == 0, result.output
    assert "Geblokkeerd" in result.stdout and "blijft lopen" in result.stdout
    assert "optie 4" in result.stdout and "prijs_per_eenheid" in result.stdout  # no price known
    assert not (tmp_path / "uit").exists()


def test_a_bad_contract_row_is_named(tmp_path):
    old, new, contracts = _files(tmp_path, [f"0307;{AANBIEDER};45;;04;zeven;2;2026-13-01;;"])
    result = _run(str(old), "--toewijzing", "1001", "--opvolger", str(new),
                  "--contracten", str(contracts))
    assert result.exit_code == 2
    assert "regel 2" in result.stderr and "prijs_per_eenheid" in result.stderr
    assert "ingangsdatum" in result.stderr


def test_an_unknown_toewijzing_is_named(tmp_path):
    old, new, _ = _files(tmp_path)
    result = _run(str(old), "--toewijzing", "9", "--opvolger", str(new))
    assert result.exit_code == 2 and "1001" in result.stderr
