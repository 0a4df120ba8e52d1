"""The isolation matrix for the settlement's indirect flows (issue 19, item 2): the data of
one gemeente never reaches an answer to another through a statement, an overview, the
vangnet, a recomputation, a netting run or a payment file.

The data: Utrecht (A) and Zeist (C) each paid care that Amersfoort (B) bears. So Utrecht
and Zeist share no claim: neither may see the other's claim, invoice, youth (pseudonym),
amount or account. Amersfoort is party to both and sees both.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from .test_betaalbestanden import ACCOUNTS
from .test_verrekening_api import V1
from .test_verrekening_service import AMERSFOORT, UTRECHT, ZEIST


def _workbook_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True)
                    for v in row if v is not None)


@pytest.fixture
def world(client, auth, claims) -> dict:
    """Both claims, an accepted netting run with accounts, and what identifies each side."""
    zeist_claim = client.get(f"{V1}/claims/{claims[ZEIST]}", headers=auth["c"]).json()
    utrecht_claim = client.get(f"{V1}/claims/{claims[UTRECHT]}", headers=auth["a"]).json()
    sid = client.post(f"{V1}/salderingen", headers=auth["coordinator"], json={}).json()["id"]
    assert client.post(f"{V1}/salderingen/{sid}/acceptatie", headers=auth["coordinator"]).status_code == 200
    for code, account in ACCOUNTS.items():
        assert client.put(f"{V1}/rekeningen/{code}", headers=auth["coordinator"],
                          json={"iban": account}).status_code == 200
    marks = {
        # What would betray the other side: its claim id, youth, invoice and account.
        UTRECHT: [utrecht_claim["id"], utrecht_claim["jeugdige"], "F-1", ACCOUNTS[UTRECHT]],
        ZEIST: [zeist_claim["id"], zeist_claim["jeugdige"], "Z-1", ACCOUNTS[ZEIST]],
    }
    return {"saldering": sid, "marks": marks}


def _answers(client, who: dict, own: str, sid: int) -> dict[str, str]:
    """Every settlement answer built from other data that this gemeente may ask for."""
    get = client.get
    return {
        "overzicht json": get(f"{V1}/overzichten/{own}", headers=who).text,
        "overzicht xlsx": _workbook_text(get(f"{V1}/overzichten/{own}?formaat=xlsx", headers=who).content),
        "claims": get(f"{V1}/claims", headers=who).text,
        "declaraties": get(f"{V1}/declaraties", headers=who).text,
        "vangnet": get(f"{V1}/vangnet?termijn=0", headers=who).text,
        "compensatie": get(f"{V1}/compensatie", headers=who).text,
        "herberekening": client.post(f"{V1}/claims/_herbereken", headers=who).text,
        "salderingen": get(f"{V1}/salderingen", headers=who).text,
        "saldering": get(f"{V1}/salderingen/{sid}", headers=who).text,
        "betaalbestand csv": get(f"{V1}/salderingen/{sid}/betaalbestand?formaat=csv", headers=who).text,
        "rekeningen": get(f"{V1}/rekeningen", headers=who).text,
    }


@pytest.mark.parametrize(("viewer", "own", "other"), [("a", UTRECHT, ZEIST), ("c", ZEIST, UTRECHT)])
def test_nothing_of_the_other_side_reaches_an_answer(client, auth, world, viewer, own, other):
    answers = _answers(client, auth[viewer], own, world["saldering"])
    for name, text in answers.items():
        for mark in world["marks"][other]:
            assert mark not in text, f"{name} of {own} shows {mark} of {other}"
        # Nor the other gemeente itself: it shares no claim, run line or account with this one.
        assert f'"{other}"' not in text and f"({other})" not in text and f",{other}," not in text, name
    # The positive side: this gemeente does see its own claim and account (the test can fail).
    own_marks = world["marks"][own]
    assert own_marks[0] in answers["claims"] and own_marks[3] in answers["rekeningen"]
    assert own_marks[2] in answers["overzicht xlsx"]


def test_the_party_to_both_sees_both(client, auth, world):
    answers = _answers(client, auth["b"], AMERSFOORT, world["saldering"])
    for code in (UTRECHT, ZEIST):
        claim_id, youth, invoice, account = world["marks"][code]
        assert claim_id in answers["overzicht json"] and youth in answers["overzicht json"]
        assert invoice in answers["overzicht xlsx"] and account in answers["betaalbestand csv"]
    # Amersfoort did not pay these invoices: they are not in its list of paid invoices.
    assert "F-1" not in answers["declaraties"] and "Z-1" not in answers["declaraties"]


def test_other_tenants_statement_and_payment_file_are_not_found(client, auth, world):
    sid = world["saldering"]
    assert client.get(f"{V1}/overzichten/{ZEIST}", headers=auth["a"]).status_code == 404
    assert client.get(f"{V1}/overzichten/{AMERSFOORT}?formaat=pdf", headers=auth["a"]).status_code == 404
    assert client.get(f"{V1}/salderingen/{sid}/betaalbestand", headers=auth["a"],
                      params={"gemeente": AMERSFOORT}).status_code == 404
    for who in ("p", "q"):  # providers see nothing of the settlement between gemeenten
        assert client.get(f"{V1}/salderingen/{sid}", headers=auth[who]).status_code == 404
        assert client.get(f"{V1}/rekeningen", headers=auth[who]).status_code == 404
