"""Issue 18 item 10: a JW301 answering a verzoek holds all current toewijzingen of the client
at that provider (IV094, OP087). The register of current toewijzingen is the gemeente's
caseload (the CSV of docs/woonplaatscheck.md), given to ``wpb ijw antwoord --toewijzingen``.
"""

from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from cli.test_ijw_cli import BRP, _file
from ijw_builders import AANBIEDER, ANDER_BSN, BSN, aangevraagd, jw315
from wpb.cli.ijw import ijw_app
from wpb.ijw.toewijzingen import HuidigeToewijzing, lopend_bij
from wpb.ijw.xml_write import write_bericht

runner = CliRunner()

HEADER = "bsn,geboortedatum,aanbieder_agb,productcategorie,productcode,begindatum,einddatum,toewijzingnummer\n"


def _antwoord(tmp_path, csv: str):
    vot = _file(tmp_path, "JW315.xml", write_bericht(jw315(aangevraagd("REF-9"), gemeente="0307")))
    brp = _file(tmp_path, "case.json", json.dumps(BRP).encode())
    caseload = _file(tmp_path, "clienten.csv", csv.encode())
    return runner.invoke(ijw_app, ["antwoord", str(vot), "--brp", str(brp), "--ontvangen",
                                   "2026-04-02", "--toewijzingen", str(caseload), "-f", "json"])


def test_the_clients_other_current_toewijzing_at_that_provider_must_be_in_the_jw301(tmp_path):
    csv = HEADER + "".join([
        f"{BSN},2012-03-04,{AANBIEDER},45,45A01,2025-01-01,,7001\n",  # running: must be in it
        f"{BSN},2012-03-04,{AANBIEDER},45,45A02,2024-01-01,2024-12-31,7002\n",  # ended
        f"{BSN},2012-03-04,99000022,45,45A01,2025-01-01,,7003\n",  # another provider
        f"{ANDER_BSN},2011-01-01,{AANBIEDER},45,45A01,2025-01-01,,7004\n",  # another client
    ])
    result = _antwoord(tmp_path, csv)
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    (line,) = out["ontbrekend"]
    assert "toewijzing 7001" in line and "45A01" in line and "OP087" in line
    assert out["wachtOpPersoon"] is True  # the JW301 is not complete without it
    assert BSN not in result.stdout


def test_a_caseload_with_a_bad_row_is_refused_naming_the_row(tmp_path):
    result = _antwoord(tmp_path, HEADER + f"{BSN},2012-03-04,{AANBIEDER},45,45A01,gisteren,,7001\n")
    assert result.exit_code == 2
    assert "regel 2, kolom begindatum" in result.stderr
    assert BSN not in result.stderr


def test_a_toewijzing_counts_through_its_last_day():
    def t(einde: date | None) -> HuidigeToewijzing:
        return HuidigeToewijzing(AANBIEDER, date(2025, 1, 1), einde, "1", "45A01")

    peil = date(2026, 4, 2)
    register = [t(peil), t(date(2026, 4, 1)), t(None), t(date(2027, 1, 1))]
    assert [x.einddatum for x in lopend_bij(register, aanbieder=AANBIEDER, peildatum=peil)] == [
        peil, None, date(2027, 1, 1)]
    assert lopend_bij(register, aanbieder="99000022", peildatum=peil) == ()
