"""Payments out over HTTP (issue 18, item 3): accounts per gemeente with the ISO 13616
mod-97 check, and the pain.001 and CSV files of an accepted netting run; each gemeente
gets only its own payments (issue 19, indirect flows).

The run: Utrecht and Zeist paid care that Amersfoort bears (900,000 and 310,000 cents),
so Amersfoort pays both: two payments, both from Amersfoort.
"""

from __future__ import annotations

import csv
import io

import pytest
from lxml import etree

from .test_verrekening_api import V1, problem
from .test_verrekening_service import AMERSFOORT, UTRECHT, ZEIST

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def iban(bank: str, account: str) -> str:
    """A Dutch IBAN with its check digits worked out as ISO 13616 says: the BBAN, then
    the country code and 00, letters as 10..35, and 98 minus the remainder by 97."""
    digits = "".join(str(int(ch, 36)) for ch in f"{bank}{account}NL00")
    return f"NL{98 - int(digits) % 97:02d}{bank}{account}"


ACCOUNTS = {UTRECHT: iban("BNGH", "0285000001"), AMERSFOORT: iban("BNGH", "0285000002"),
            ZEIST: iban("RABO", "0123456789")}


def test_the_check_digits_of_the_iso_example():
    assert iban("ABNA", "0417164300") == "NL91ABNA0417164300"  # the standard's own example


@pytest.fixture
def run(client, auth, claims) -> tuple[int, list[dict]]:
    sid = client.post(f"{V1}/salderingen", headers=auth["coordinator"], json={}).json()["id"]
    body = client.get(f"{V1}/salderingen/{sid}", headers=auth["coordinator"]).json()
    return sid, body["betalingen"]


def put_account(client, who, code: str, value: str):
    return client.put(f"{V1}/rekeningen/{code}", headers=who, json={"iban": value})


def test_accounts_are_checked_and_only_your_own(client, auth):
    body = problem(put_account(client, auth["a"], UTRECHT, "NL92ABNA0417164300"), 400)
    assert [p["name"] for p in body["invalidParams"]] == ["iban"]
    problem(put_account(client, auth["a"], AMERSFOORT, ACCOUNTS[AMERSFOORT]), 403)
    problem(put_account(client, auth["p"], UTRECHT, ACCOUNTS[UTRECHT]), 404)
    spaced = " ".join(ACCOUNTS[UTRECHT][i:i + 4] for i in range(0, 18, 4)).lower()
    done = put_account(client, auth["a"], UTRECHT, spaced)
    assert done.status_code == 200 and done.json()["iban"] == ACCOUNTS[UTRECHT]
    assert done.json()["rekeninghouder"] == "Gemeente Utrecht"
    assert put_account(client, auth["coordinator"], ZEIST, ACCOUNTS[ZEIST]).status_code == 200
    mine = client.get(f"{V1}/rekeningen", headers=auth["a"]).json()["rekeningen"]
    assert [r["gemeente"]["code"] for r in mine] == [UTRECHT]
    every = client.get(f"{V1}/rekeningen", headers=auth["coordinator"]).json()["rekeningen"]
    assert [r["gemeente"]["code"] for r in every] == [UTRECHT, ZEIST]


def test_payment_files_of_an_accepted_run(client, auth, run):
    sid, payments = run
    url = f"{V1}/salderingen/{sid}/betaalbestand"
    problem(client.get(url, headers=auth["b"]), 409)  # still a proposal
    assert client.post(f"{V1}/salderingen/{sid}/acceptatie", headers=auth["coordinator"]).status_code == 200
    for code in (UTRECHT, AMERSFOORT):
        assert put_account(client, auth["coordinator"], code, ACCOUNTS[code]).status_code == 200
    missing = problem(client.get(url, headers=auth["b"]), 409)
    assert missing["problemen"] == [f"geen rekening (IBAN) voor gemeente {ZEIST}"]
    assert put_account(client, auth["c"], ZEIST, ACCOUNTS[ZEIST]).status_code == 200

    xml = client.get(url, headers=auth["b"], params={"uitvoerdatum": "2022-06-03"})
    assert xml.status_code == 200 and xml.headers["content-type"].startswith("application/xml")
    doc = etree.fromstring(xml.content)
    assert doc.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == ACCOUNTS[AMERSFOORT]
    transfers = doc.findall(".//p:CdtTrfTxInf", NS)
    got = {t.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS): (
        t.findtext("p:Amt/p:InstdAmt", namespaces=NS), t.findtext("p:PmtId/p:EndToEndId", namespaces=NS))
        for t in transfers}
    line = {p["aan"]["code"]: n for n, p in enumerate(payments, start=1)}
    assert got == {
        ACCOUNTS[UTRECHT]: ("9000.00", f"WPB-VS{sid.replace('-', '')[:12]}-{line[UTRECHT]:03d}"),
        ACCOUNTS[ZEIST]: ("3100.00", f"WPB-VS{sid.replace('-', '')[:12]}-{line[ZEIST]:03d}"),
    }
    assert all(len(ref) <= 35 for _, ref in got.values())  # a SEPA EndToEndId (Max35Text)
    assert doc.findtext(".//p:ReqdExctnDt", namespaces=NS) == "2022-06-03"

    # Utrecht pays nothing: no pain.001; its CSV holds only its own line, with the same reference.
    problem(client.get(url, headers=auth["a"]), 404)
    problem(client.get(url, headers=auth["a"], params={"gemeente": AMERSFOORT}), 404)
    rows = list(csv.DictReader(io.StringIO(
        client.get(url, headers=auth["a"], params={"formaat": "csv"}).text)))
    assert [(r["van_gemeente"], r["aan_gemeente"], r["bedrag_eurocent"], r["kenmerk"]) for r in rows] == [
        (AMERSFOORT, UTRECHT, "900000", f"WPB-VS{sid.replace('-', '')[:12]}-{line[UTRECHT]:03d}")]
    assert ACCOUNTS[ZEIST] not in client.get(url, headers=auth["a"], params={"formaat": "csv"}).text

    problem(client.get(url, headers=auth["coordinator"]), 400)  # which payer?
    everything = client.get(url, headers=auth["coordinator"], params={"formaat": "csv"}).text
    assert len(list(csv.DictReader(io.StringIO(everything)))) == 2
    problem(client.get(url, headers=auth["p"]), 404)
