"""`wpb verrekening ...` end to end on the bundled synthetic example (wpb.cli.verrekening)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wpb.cli.verrekening import verrekening_app
from wpb.verrekening.register import read_register

VOORBEELD = Path(__file__).resolve().parents[2] / "src" / "wpb" / "data" / "verrekening" / "voorbeeld"
BSNS = [
    "999990007", "999990019", "999990020", "999990032", "999990044", "999990056",
]
ENV = {"WPB_PSEUDONIEM_SLEUTEL": "sleutel-voor-de-cli-test-0123456789"}


def run(*args, env=ENV):
    runner = CliRunner()
    result = runner.invoke(verrekening_app, list(args), env=env)
    return result


def claims_args(out, facturen=None, beslissingen=None):
    return [
        "claims",
        "--facturen", str(facturen or VOORBEELD / "facturen.csv"),
        "--overdrachten", str(VOORBEELD / "overdrachten.csv"),
        "--beslissingen", str(beslissingen or VOORBEELD / "beslissingen.json"),
        "--out", str(out),
        "--datum", "2022-06-01",
    ]


def no_bsn_in(directory: Path):
    for p in directory.iterdir():
        if p.suffix in (".json", ".csv"):
            text = p.read_text(encoding="utf-8")
            for bsn in BSNS:
                assert bsn not in text, f"{p.name} bevat een BSN"


@pytest.fixture
def computed(tmp_path):
    out = tmp_path / "uit"
    r = run(*claims_args(out))
    assert r.exit_code == 0, r.output
    return out


def test_claims_writes_the_register_without_bsn(computed):
    names = sorted(p.name for p in computed.iterdir())
    assert names == ["claims.csv", "claims.json", "delen.csv", "tijdlijnen.json"]
    no_bsn_in(computed)
    claims = read_register(computed / "claims.json")
    assert sum(c.bedrag for c in claims) == 2210002  # worked out in test_verrekening_voorbeeld.py
    rows = list(csv.DictReader(io.StringIO((computed / "delen.csv").read_text(encoding="utf-8"))))
    assert {r["soort"] for r in rows} == {"onbepaald"}  # part B pre-financing is claimed, not own cost
    # Every cent of the invoices is in a claim or a part.
    assert sum(c.bedrag for c in claims) + sum(int(r["bedrag_eurocent"]) for r in rows) == 2289002


def test_claims_without_key_writes_nothing(tmp_path):
    out = tmp_path / "uit"
    r = run(*claims_args(out), env={"WPB_PSEUDONIEM_SLEUTEL": ""})
    assert r.exit_code == 2
    assert "WPB_PSEUDONIEM_SLEUTEL" in r.output
    assert not out.exists()


def test_bad_invoices_are_all_reported_and_nothing_is_written(tmp_path):
    bad = tmp_path / "facturen.csv"
    lines = (VOORBEELD / "facturen.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("280001", "2800.01")  # F-1002, an amount in euro
    lines[5] = lines[5].replace("41123456", "4112345")  # F-1005, a 7-digit AGB code
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "uit"
    r = run(*claims_args(out, facturen=bad))
    assert r.exit_code == 2
    assert "regel 3, kolom bedrag_eurocent" in r.output
    assert "regel 6, kolom aanbieder_agb" in r.output
    assert not out.exists()


def test_conflicting_decisions_stop_the_run(tmp_path):
    doc = json.loads((VOORBEELD / "beslissingen.json").read_text(encoding="utf-8"))
    doc.append({**doc[0], "id": "WB-2", "gemeente": "0518"})
    path = tmp_path / "d.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    r = run(*claims_args(tmp_path / "uit", beslissingen=path))
    assert r.exit_code == 2 and "WB-1" in r.output and "WB-2" in r.output
    for bsn in BSNS:
        assert bsn not in r.output


def test_recompute_keeps_acknowledged_claims_and_adds_a_correction(computed, tmp_path):
    register = computed / "claims.json"
    claims = read_register(register)
    on_rotterdam = next(c for c in claims if c.schuldenaar == "0599")  # WB-1: Utrecht paid
    r = run("status", "--claims", str(register), "--id", on_rotterdam.id, "--naar", "erkend", "--op", "2022-06-10")
    assert r.exit_code == 0, r.output
    # A new decision: Utrecht itself responsible from 2022-03-01 (the March part is its own).
    doc = json.loads((VOORBEELD / "beslissingen.json").read_text(encoding="utf-8"))
    doc.append({"id": "WB-3", "bsn": "999990020", "gemeente": "0344", "ingang": "2022-03-01",
                "vastgesteldOp": "2022-08-01", "invoerHash": "sha256:nieuw"})
    path = tmp_path / "d.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    args = claims_args(computed, beslissingen=path)
    args[args.index("--datum") + 1] = "2022-08-15"
    r = run(*args)
    assert r.exit_code == 0, r.output
    assert "1 correctie(s)" in r.output
    after = {c.id: c for c in read_register(register)}
    assert after[on_rotterdam.id].status.value == "erkend"
    assert after[on_rotterdam.id].bedrag == on_rotterdam.bedrag  # never silently altered
    (k,) = [c for c in after.values() if c.soort.value == "correctie"]
    # 900000 over 90 days; March is 31 days: 310000 back from Utrecht to Rotterdam.
    assert (k.schuldeiser, k.schuldenaar, k.bedrag, k.corrigeert) == ("0599", "0344", 310000, (on_rotterdam.id,))
    # Running it again changes nothing.
    r = run(*args)
    assert "0 nieuw, 0 correctie(s), 0 ingetrokken" in r.output
    no_bsn_in(computed)


def test_status_refuses_a_forbidden_transition(computed):
    register = computed / "claims.json"
    before = register.read_text(encoding="utf-8")
    cid = read_register(register)[0].id
    r = run("status", "--claims", str(register), "--id", cid, "--naar", "betaald")
    assert r.exit_code == 2 and "niet toegestaan" in r.output
    r = run("status", "--claims", str(register), "--id", "VC-BESTAATNIET", "--naar", "erkend")
    assert r.exit_code == 2 and "bestaat niet" in r.output
    assert register.read_text(encoding="utf-8") == before


def test_saldering_follows_the_merger_and_balances(computed):
    r = run("saldering", "--claims", str(computed / "claims.json"), "--out", str(computed), "--datum", "2022-06-01")
    assert r.exit_code == 0, r.output
    doc = json.loads((computed / "saldering.json").read_text(encoding="utf-8"))
    assert "0457" not in doc["saldi"]  # Weesp's debt is Amsterdam's after 2022-03-24
    assert sum(doc["saldi"].values()) == 0
    assert doc["aantalBetalingen"] <= doc["partijenMetSaldo"] - 1
    assert (computed / "nettoposities.png").read_bytes().startswith(b"\x89PNG")
    payments = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(payments) == doc["aantalBetalingen"]


def test_overzicht_writes_xlsx_and_pdf(computed, tmp_path):
    out = tmp_path / "overzicht"
    r = run("overzicht", "--claims", str(computed / "claims.json"), "--gemeente", "344", "--out", str(out),
            "--datum", "2022-06-01")
    assert r.exit_code == 0, r.output
    assert "netto € 13.100,01" in r.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "nettoposities.png", "overzicht-0344.pdf", "overzicht-0344.png", "overzicht-0344.xlsx",
    ]
    r = run("overzicht", "--claims", str(computed / "claims.json"), "--gemeente", "9998", "--out", str(out))
    assert r.exit_code == 2


def test_vangnet_after_six_months(computed):
    r = run("vangnet", "--claims", str(computed / "claims.json"), "--peildatum", "2022-11-30")
    assert r.exit_code == 0 and r.stdout.count("\n") == 1  # header only: not yet six months
    r = run("vangnet", "--claims", str(computed / "claims.json"), "--peildatum", "2022-12-01", "--out", str(computed))
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    gemeenten = {row["code"]: row for row in rows if row["groep"] == "gemeente"}
    assert gemeenten["0344"]["te_ontvangen_eurocent"] == "1310001"
    assert json.loads((computed / "vangnet.json").read_text(encoding="utf-8"))["totaal"] == 2210002


def test_register_is_not_readable_as_something_else(tmp_path):
    bad = tmp_path / "claims.json"
    bad.write_text('{"formaat": "iets anders"}', encoding="utf-8")
    r = run("saldering", "--claims", str(bad))
    assert r.exit_code == 2 and "formaat" in r.output
    shutil.rmtree(tmp_path)
