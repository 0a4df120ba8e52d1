"""The settlement endpoints of the real application (create_app): status codes, problem+json,
downloads, tenant rules over HTTP. The rules themselves are tested in
test_verrekening_service.py."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook

from .test_verrekening_service import (
    AMERSFOORT,
    BSN,
    OTHER,
    UTRECHT,
    ZEIST,
    csv_file,
    invoice,
)

V1 = "/api/v1"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["api-version"]
    for bsn in (BSN, OTHER):
        assert bsn not in response.text
    return response.json()


def upload(client, who, content: bytes, name: str = "betaald.csv"):
    return client.post(f"{V1}/declaraties", headers=who, files={"bestand": (name, content, "text/csv")})


def test_import_errors_are_listed_per_row_and_nothing_is_stored(client, auth):
    body = problem(upload(client, auth["a"], csv_file(invoice(), invoice("F-2", einde="31-02-2022"))), 400)
    assert body["invalidParams"] == [{
        "name": "regel 3, kolom einddatum", "code": "ongeldig",
        "reason": "'31-02-2022' is geen bestaande datum (day is out of range for month)"}]
    assert client.get(f"{V1}/declaraties", headers=auth["a"]).json()["totaal"] == 0
    problem(upload(client, auth["p"], csv_file(invoice())), 403)
    problem(upload(client, auth["a"], b"x", "facturen.pdf"), 400)


def test_claims_flow_over_http(client, auth, claims):
    listed = client.get(f"{V1}/claims?rol=schuldenaar&status=open", headers=auth["b"]).json()
    assert sorted(c["id"] for c in listed["claims"]) == sorted(claims.values())
    cid = claims[UTRECHT]
    response = client.post(f"{V1}/claims/{cid}/statuswijziging", headers=auth["b"],
                           json={"naar": "erkend", "versie": 1})
    assert response.status_code == 200 and response.json()["status"] == "erkend"
    body = problem(client.post(f"{V1}/claims/{cid}/statuswijziging", headers=auth["b"],
                               json={"naar": "betwist"}), 409)
    assert body["huidigeStatus"] == "erkend"
    problem(client.post(f"{V1}/claims/{cid}/statuswijziging", headers=auth["b"],
                        json={"naar": "open"}), 400)
    problem(client.get(f"{V1}/claims/{cid}", headers=auth["c"]), 404)
    problem(client.get(f"{V1}/claims/{cid}", headers=auth["p"]), 404)
    problem(client.get(f"{V1}/claims", headers=auth["p"]), 404)
    problem(client.get(f"{V1}/claims/niet-een-id", headers=auth["a"]), 400)
    found = client.post(f"{V1}/claims/_zoek", headers=auth["a"], json={"bsn": BSN}).json()
    assert [c["id"] for c in found["claims"]] == [cid]
    ref = found["claims"][0]["jeugdige"]
    resolved = client.post(f"{V1}/claims/_herleid", headers=auth["b"], json={"jeugdige": ref})
    assert resolved.status_code == 200 and resolved.json()["bsn"] == BSN
    problem(client.post(f"{V1}/claims/_herleid", headers=auth["c"], json={"jeugdige": ref}), 404)


def test_netting_over_http(client, auth, claims):
    problem(client.post(f"{V1}/salderingen", headers=auth["a"]), 403)
    created = client.post(f"{V1}/salderingen", headers=auth["coordinator"], json={})
    assert created.status_code == 201, created.text
    sid = created.json()["id"]
    assert created.json()["aantalBetalingen"] == 2
    assert [s["id"] for s in client.get(f"{V1}/salderingen", headers=auth["a"]).json()["salderingen"]] == [sid]
    problem(client.get(f"{V1}/salderingen/{sid}", headers=auth["p"]), 404)
    accepted = client.post(f"{V1}/salderingen/{sid}/acceptatie", headers=auth["coordinator"])
    assert accepted.json()["status"] == "geaccepteerd"
    paid = client.post(f"{V1}/salderingen/{sid}/betaling", headers=auth["coordinator"], json={})
    assert paid.status_code == 200 and paid.json()["status"] == "betaald"
    claim = client.get(f"{V1}/claims/{claims[ZEIST]}", headers=auth["c"]).json()
    assert claim["status"] == "betaald"


def test_statement_downloads(client, auth, claims):
    data = client.get(f"{V1}/overzichten/{AMERSFOORT}", headers=auth["b"])
    assert data.status_code == 200 and data.json()["netto"] == -1210000
    xlsx = client.get(f"{V1}/overzichten/{AMERSFOORT}?formaat=xlsx", headers=auth["b"])
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in xlsx.headers["content-disposition"]
    sheets = load_workbook(io.BytesIO(xlsx.content)).sheetnames
    assert sheets == ["Samenvatting", "Te ontvangen", "Te betalen"]
    pdf = client.get(f"{V1}/overzichten/{UTRECHT}", headers={**auth["a"], "Accept": "application/pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    problem(client.get(f"{V1}/overzichten/{AMERSFOORT}", headers=auth["a"]), 404)
    problem(client.get(f"{V1}/overzichten/9999", headers=auth["coordinator"]), 404)
    problem(client.get(f"{V1}/overzichten/abc", headers=auth["coordinator"]), 400)


def test_vangnet_compensatie_and_disputes_over_http(client, auth, claims):
    assert client.get(f"{V1}/vangnet?termijn=0", headers=auth["coordinator"]).json()["aantal"] == 2
    problem(client.get(f"{V1}/vangnet", headers=auth["q"]), 404)
    assert client.get(f"{V1}/compensatie", headers=auth["c"]).json()["gemeenten"] == []
    problem(client.get(f"{V1}/compensatie?van=2023-01-01&tot=2022-01-01", headers=auth["coordinator"]), 400)
    created = client.post(f"{V1}/geschillen", headers=auth["b"], json={
        "onderwerp": "claim", "claimId": claims[ZEIST], "omschrijving": "Woonde in Zeist."})
    assert created.status_code == 201, created.text
    gid = created.json()["id"]
    escalated = client.post(f"{V1}/geschillen/{gid}/escalatie", headers=auth["c"],
                            json={"naar": "geschillencommissie_sociaal_domein"})
    assert escalated.json()["niveau"] == "geschillencommissie_sociaal_domein"
    problem(client.post(f"{V1}/geschillen/{gid}/oplossing", headers=auth["b"],
                        json={"uitkomst": "x", "claim": "erkend"}), 403)
    solved = client.post(f"{V1}/geschillen/{gid}/oplossing", headers=auth["coordinator"],
                         json={"uitkomst": "Amersfoort betaalt.", "claim": "erkend"})
    assert solved.json()["status"] == "opgelost"
    assert client.get(f"{V1}/claims/{claims[ZEIST]}", headers=auth["b"]).json()["status"] == "erkend"
    problem(client.get(f"{V1}/geschillen/{gid}", headers=auth["a"]), 404)
    assert client.get(f"{V1}/geschillen?status=opgelost", headers=auth["c"]).json()["geschillen"][0]["id"] == gid


def test_without_the_pseudonym_key_settlement_is_503(app_for, auth):
    with app_for(pseudoniem_sleutel="") as c:
        body = problem(c.post(f"{V1}/claims/_herbereken", headers=auth["coordinator"]), 503)
    assert "WPB_PSEUDONIEM_SLEUTEL" in body["detail"]


def test_decision_registration_over_http(client, auth, sqlite_factory):
    problem(client.post(f"{V1}/woonplaatsbeslissingen", headers=auth["a"],
                        json={"beslissing": {"bsn": BSN}}), 403)
    body = problem(client.post(f"{V1}/woonplaatsbeslissingen", headers=auth["coordinator"], json={
        "beslissing": {"bsn": BSN, "gemeente": UTRECHT, "ingang": "2022-13-01"}}), 400)
    assert {p["name"] for p in body["invalidParams"]} >= {"ingang", "vastgesteldOp", "invoerHash"}
    created = client.post(f"{V1}/woonplaatsbeslissingen", headers=auth["coordinator"], json={
        "beslissing": {"bsn": BSN, "gemeente": UTRECHT, "ingang": "2022-03-01",
                       "vastgesteldOp": "2022-05-01", "invoerHash": "sha256:" + "f" * 64}})
    assert created.status_code == 201 and BSN not in created.text
    listed = client.get(f"{V1}/woonplaatsbeslissingen", headers=auth["a"]).json()["beslissingen"]
    assert [b["gemeente"]["code"] for b in listed] == [UTRECHT]
    assert client.get(f"{V1}/woonplaatsbeslissingen", headers=auth["b"]).json()["beslissingen"] == []
    assert json.dumps(listed).count("J-") == 1
