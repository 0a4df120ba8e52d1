"""Payments out (issue 18, item 3): the netting result as SEPA pain.001 files and a CSV.

The files are validated here with lxml against the official ISO 20022 schemas (the
CustomerCreditTransferInitiation XSDs published by the ISO 20022 Registration Authority, which
the sepaxml package ships unchanged; they are read from the installed package, not copied into
this repository), by lxml, apart from the library's own checks. The
IBAN check follows ISO 13616 / ISO 7064 MOD 97-10; NL91ABNA0417164300 is the example IBAN
the standard's registrar publishes for the Netherlands.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

from wpb.cli.verrekening import verrekening_app
from wpb.law.verrekening.claims import Claim, ClaimSoort
from wpb.law.verrekening.iban import iban_probleem, normaliseer
from wpb.law.verrekening.netting import salderen
from wpb.verrekening.betalingen import (
    BetaalFout,
    Rekening,
    betalingen_csv,
    kenmerk,
    opdrachten,
    read_rekeningen_csv,
    sepa_xml,
)
from wpb.verrekening.tabel import ImportFout

ROOT = Path(__file__).resolve().parents[2]
XSD = Path(str(resources.files("sepaxml") / "schemas"))
VOORBEELD = ROOT / "src" / "wpb" / "data" / "verrekening" / "voorbeeld"
ON = date(2022, 6, 1)


def _mod97_by_chunks(iban: str) -> int:
    """An independent check: the remainder carried along seven digits at a time, as the
    standard's worked method does, never as one big number."""
    digits = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    rest = 0
    for i in range(0, len(digits), 7):
        rest = int(f"{rest}{digits[i:i + 7]}") % 97
    return rest


def test_iban_check():
    assert iban_probleem("NL91ABNA0417164300") is None  # the published example
    assert iban_probleem(normaliseer("nl91 abna 0417 1643 00")) is None
    assert "controlecijfers" in iban_probleem("NL91ABNA0417164301")
    assert "Nederlandse" in iban_probleem("NL91ABNA041716430")
    assert "geen IBAN" in iban_probleem("91NLABNA0417164300")
    for line in (VOORBEELD / "rekeningen.csv").read_text(encoding="utf-8").splitlines()[1:]:
        iban = line.split(",")[1]
        assert iban_probleem(iban) is None and _mod97_by_chunks(iban) == 1


@given(st.text(alphabet="0123456789", min_size=10, max_size=10), st.integers(0, 9))
def test_a_changed_digit_is_always_found(account, change):
    base = f"ABNA{account}"
    iban = next(f"NL{k:02d}{base}" for k in range(2, 99) if _mod97_by_chunks(f"NL{k:02d}{base}") == 1)
    assert iban_probleem(iban) is None
    wrong = iban[:-1] + str((int(iban[-1]) + 1 + change % 9) % 10)
    assert iban_probleem(wrong) is not None  # MOD 97 finds every single changed digit


def test_every_bad_account_row_is_named():
    text = "\n".join([
        "gemeente,iban,bic",
        "0344,NL61ZZZZ0000000344,",
        "0363,NL33ZZZZ0000000364,",  # check digits wrong
        "363x,NL91ABNA0417164300,ABNANL2A",
        "0344,NL91ABNA0417164300,abnanl2",  # duplicate, BIC of 7
        "0599,,",
    ]) + "\n"
    with pytest.raises(ImportFout) as exc:
        read_rekeningen_csv(text)
    assert {(f.regel, f.kolom) for f in exc.value.fouten} == {
        (3, "iban"), (4, "gemeente"), (5, "bic"), (5, "gemeente"), (6, "iban"),
    }


def _claim(eiser, schuldenaar, bedrag, n):
    return Claim(f"VC-{n}", ClaimSoort.CLAIM, f"{eiser}/41123456/F-{n}", "41123456", "45A48", "J-X",
                 eiser, schuldenaar, date(2022, 1, 1), date(2022, 2, 1), bedrag, (), ON)


REKENINGEN = {
    "0344": Rekening("0344", "NL61ZZZZ0000000344", "Gemeente Utrecht"),
    "0363": Rekening("0363", "NL33ZZZZ0000000363", "Gemeente Amsterdam", "ZZZZNL2A"),
    "0599": Rekening("0599", "NL63ZZZZ0000000599", "Gemeente Rotterdam"),
}


def _run():
    # Utrecht is owed 1 234,56 by Rotterdam and 100,00 by Amsterdam; Amsterdam is owed 50,00 by
    # Rotterdam. Balances: 0344 +133 456, 0363 -5 000, 0599 -128 456. No exact pair; the
    # largest debtor pays the largest creditor: 0599 → 0344 128 456, then 0363 → 0344 5 000.
    return salderen([_claim("0344", "0599", 123456, 1), _claim("0344", "0363", 10000, 2),
                     _claim("0363", "0599", 5000, 3)])


def _validate(xml: bytes, schema: str):
    xsd = etree.XMLSchema(etree.parse(str(XSD / f"{schema}.xsd")))
    doc = etree.fromstring(xml)
    xsd.assertValid(doc)
    return doc


@pytest.mark.parametrize("schema", ["pain.001.001.03", "pain.001.001.09"])
def test_one_credit_transfer_per_netting_line_with_the_statement_reference(schema):
    s = _run()
    assert [(b.van, b.aan, b.bedrag) for b in s.betalingen] == [("0599", "0344", 128456), ("0363", "0344", 5000)]
    orders = opdrachten(s, REKENINGEN, "VS-TEST-1")
    files = sepa_xml(orders, date(2022, 6, 15), schema)
    assert sorted(files) == ["0363", "0599"]  # one file per paying gemeente, for its bank
    ns = {"p": f"urn:iso:std:iso:20022:tech:xsd:{schema}"}
    seen = []
    for code, xml in files.items():
        doc = _validate(xml, schema)
        txs = doc.findall(".//p:CdtTrfTxInf", ns)
        assert doc.findtext(".//p:PmtInf/p:DbtrAcct/p:Id/p:IBAN", namespaces=ns) == REKENINGEN[code].iban
        assert doc.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=ns) == str(len(txs))
        for tx in txs:
            seen.append((
                code,
                tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=ns),
                tx.findtext("p:Amt/p:InstdAmt", namespaces=ns),
                tx.findtext("p:PmtId/p:EndToEndId", namespaces=ns),
                tx.findtext("p:RmtInf/p:Ustrd", namespaces=ns),
            ))
    assert sorted(seen) == [
        ("0363", "NL61ZZZZ0000000344", "50.00", "VS-TEST-1-002",
         "Verrekening jeugdhulp VS-TEST-1-002: gemeente 0363 aan gemeente 0344"),
        ("0599", "NL61ZZZZ0000000344", "1284.56", "VS-TEST-1-001",
         "Verrekening jeugdhulp VS-TEST-1-001: gemeente 0599 aan gemeente 0344"),
    ]


def test_the_csv_for_the_financial_system_holds_the_same_payments():
    orders = opdrachten(_run(), REKENINGEN, "VS-TEST-1")
    rows = list(csv.DictReader(io.StringIO(betalingen_csv(orders, date(2022, 6, 15)))))
    assert [(r["van_iban"], r["aan_iban"], r["bedrag_eurocent"], r["bedrag"], r["kenmerk"]) for r in rows] == [
        ("NL63ZZZZ0000000599", "NL61ZZZZ0000000344", "128456", "1284.56", "VS-TEST-1-001"),
        ("NL33ZZZZ0000000363", "NL61ZZZZ0000000344", "5000", "50.00", "VS-TEST-1-002"),
    ]
    evil = {**REKENINGEN, "0344": Rekening("0344", "NL61ZZZZ0000000344", "=HYPERLINK(1)")}
    text = betalingen_csv(opdrachten(_run(), evil, "VS-TEST-1"), date(2022, 6, 15))
    assert ",'=HYPERLINK(1)," in text


def test_a_gemeente_without_an_account_stops_the_export():
    with pytest.raises(BetaalFout, match="0363"):
        opdrachten(_run(), {k: v for k, v in REKENINGEN.items() if k != "0363"}, "VS-TEST-1")


def test_the_reference_is_stable_for_the_same_run():
    assert kenmerk(_run(), ON) == kenmerk(_run(), ON)
    assert kenmerk(_run(), ON) != kenmerk(_run(), date(2022, 6, 2))
    assert len(kenmerk(_run(), ON)) + len("-001") <= 35  # fits the EndToEndId


def test_the_command_writes_the_payment_files(tmp_path):
    env = {"WPB_PSEUDONIEM_SLEUTEL": "sleutel-voor-de-betaaltest-0123456789"}
    runner = CliRunner()
    out = tmp_path / "uit"
    r = runner.invoke(verrekening_app, [
        "claims", "--facturen", str(VOORBEELD / "facturen.csv"), "--overdrachten",
        str(VOORBEELD / "overdrachten.csv"), "--beslissingen", str(VOORBEELD / "beslissingen.json"),
        "--out", str(out), "--datum", "2022-06-01"], env=env)
    assert r.exit_code == 0, r.output
    r = runner.invoke(verrekening_app, [
        "saldering", "--claims", str(out / "claims.json"), "--out", str(out), "--datum", "2022-06-01",
        "--rekeningen", str(VOORBEELD / "rekeningen.csv")], env=env)
    assert r.exit_code == 0, r.output
    payments = list(csv.DictReader(io.StringIO(r.stdout)))
    rows = list(csv.DictReader(io.StringIO((out / "betalingen.csv").read_text(encoding="utf-8"))))
    assert [(p["van"], p["aan"], p["bedrag_eurocent"]) for p in payments] == [
        (r_["van_gemeente"], r_["aan_gemeente"], r_["bedrag_eurocent"]) for r_ in rows
    ]
    for code in {r_["van_gemeente"] for r_ in rows}:
        _validate((out / f"betalingen-{code}.xml").read_bytes(), "pain.001.001.03")
    bad = tmp_path / "r.csv"
    bad.write_text("gemeente,iban\n0344,NL61ZZZZ0000000345\n", encoding="utf-8")
    r = runner.invoke(verrekening_app, [
        "saldering", "--claims", str(out / "claims.json"), "--out", str(tmp_path / "leeg"),
        "--rekeningen", str(bad)], env=env)
    assert r.exit_code == 2 and "regel 2, kolom iban" in r.output
    assert not (tmp_path / "leeg").exists()
