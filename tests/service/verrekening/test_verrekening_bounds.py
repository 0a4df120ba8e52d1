"""Invoice bounds at the service boundary (issue 19, S4 and S6; issue 18 item 4), the
withdrawal of a stored invoice, and the settlement service follow-ups of issue 18: the
statement's chart with the table's sign, invoice details on the statement lines, the
``geweigerd`` invoices in the recompute answer.

The probes are those of the issue: an einddatum of 9999-12-31 (no next day exists, so a
pro-rata split overflowed) and amounts of 2^63 (beyond a 64-bit column) and 2^63 − 1
(accepted into netting). Each must give a 400 that names the row and column, on SQLite
and on PostgreSQL, never a 500.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from wpb.service.app import create_app
from wpb.service.audit.models import AuditRegel
from wpb.service.components.beheer.tokens import issue_token
from wpb.service.components.verrekening import claims as claims_service
from wpb.service.components.verrekening.models import VerrekeningFactuur, VerrekeningImport
from wpb.service.db import transaction
from wpb.verrekening import overzicht_writer

from ..helpers import SettableClock
from .test_verrekening_service import (
    AGB,
    AMERSFOORT,
    BSN,
    KEY,
    OTHER,
    UTRECHT,
    ZEIST,
    csv_file,
    invoice,
    transfer,
)

V1 = "/api/v1"


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(datetime(2022, 6, 1, 10, 0, tzinfo=UTC))


def _client(engine, settings, clock) -> TestClient:
    app = create_app(settings.with_(pseudoniem_sleutel=KEY), engine=engine, clock=clock, pages=False)
    return TestClient(app)


def _auth(factory, tenants) -> dict[str, dict[str, str]]:
    headers = {}
    with transaction(factory) as session:
        for key in ("a", "b", "c", "p", "coordinator"):
            token = issue_token(session, getattr(tenants, key).gebruiker_id)
            headers[key] = {"Authorization": f"Bearer {token}"}
    return headers


@pytest.fixture
def client(engine, settings, clock):
    with _client(engine, settings, clock) as c:
        yield c


@pytest.fixture
def auth(factory, tenants):
    return _auth(factory, tenants)


def upload(client, who, content: bytes):
    return client.post(f"{V1}/declaraties", headers=who,
                       files={"bestand": ("betaald.csv", content, "text/csv")})


def bad_request(response) -> list[dict]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert BSN not in response.text
    return response.json()["invalidParams"]


# --- S4 and S6: the probes, on both databases ---------------------------------------------------


@pytest.mark.parametrize(("column", "row"), [
    ("einddatum", invoice(einde="9999-12-31")),
    ("bedrag_eurocent", invoice(bedrag=str(2**63))),
    ("bedrag_eurocent", invoice(bedrag=str(2**63 - 1))),
    ("bedrag_eurocent", invoice(bedrag=str(2**64 + 5))),
])
def test_out_of_bounds_invoice_is_400_naming_the_field(client, auth, factory, column, row):
    params = bad_request(upload(client, auth["a"], csv_file(invoice("F-0"), row)))
    assert [p["name"] for p in params] == [f"regel 3, kolom {column}"]
    with transaction(factory) as session:
        assert session.scalars(select(VerrekeningFactuur)).all() == []  # all or nothing
    assert client.post(f"{V1}/claims/_herbereken", headers=auth["a"]).status_code == 200


def test_a_bad_row_stored_earlier_never_blocks_recomputation_and_can_be_withdrawn(
    client, auth, factory, tenants
):
    transfer(factory)
    assert upload(client, auth["a"], csv_file(invoice("F-1"))).status_code == 201
    bad_id = _store_unchecked(factory, tenants.a.label, einde=date(9999, 12, 31))

    answer = client.post(f"{V1}/claims/_herbereken", headers=auth["coordinator"])
    assert answer.status_code == 200, answer.text
    body = answer.json()
    # F-1 still gives its claim (Utrecht paid Q1 2022; Amersfoort bears it): 900,000 cents.
    assert [c["bedrag"] for c in body["nieuw"]] == [900_000]
    assert [g["factuur"] for g in body["geweigerd"]] == [f"{UTRECHT}/{AGB}/F-BAD"]
    assert "einde" in body["geweigerd"][0]["reden"] and BSN not in answer.text

    url = f"{V1}/declaraties/{bad_id}/intrekking"
    assert client.post(url, headers=auth["b"]).status_code == 404  # not visible to another
    assert client.post(url, headers=auth["coordinator"]).status_code == 403  # sees, did not import
    done = client.post(url, headers=auth["a"], json={"toelichting": "einddatum fout"})
    assert done.status_code == 200, done.text
    assert done.json() == {"factuur": f"{UTRECHT}/{AGB}/F-BAD", "ingetrokkenClaims": []}
    assert client.post(url, headers=auth["a"]).status_code == 404
    again = client.post(f"{V1}/claims/_herbereken", headers=auth["a"]).json()
    assert again["geweigerd"] == []
    with transaction(factory) as session:
        actions = session.scalars(select(AuditRegel.actie)).all()
    assert "declaratie.intrekken" in actions


def test_withdrawing_an_invoice_withdraws_its_open_claims_but_never_settled_ones(client, auth, factory):
    transfer(factory)
    assert upload(client, auth["a"], csv_file(invoice("F-1"), invoice("F-2", bedrag="100"))).status_code == 201
    new = client.post(f"{V1}/claims/_herbereken", headers=auth["a"]).json()["nieuw"]
    by_invoice = {c["factuur"]: c["id"] for c in new}
    ids = {f.referentie: f.publiek_id for f in _invoices(factory)}
    old = _invoices(factory)[0].id  # S10: an old integer address is an unknown invoice
    assert client.post(f"{V1}/declaraties/{old}/intrekking", headers=auth["a"]).status_code == 404
    acknowledged = client.post(f"{V1}/claims/{by_invoice[f'{UTRECHT}/{AGB}/F-2']}/statuswijziging",
                               headers=auth["b"], json={"naar": "erkend"})
    assert acknowledged.status_code == 200
    assert client.post(f"{V1}/declaraties/{ids['F-2']}/intrekking", headers=auth["a"]).status_code == 409

    done = client.post(f"{V1}/declaraties/{ids['F-1']}/intrekking", headers=auth["a"]).json()
    claim = by_invoice[f"{UTRECHT}/{AGB}/F-1"]
    assert done["ingetrokkenClaims"] == [claim]
    assert client.get(f"{V1}/claims/{claim}", headers=auth["b"]).json()["status"] == "ingetrokken"
    assert [f.referentie for f in _invoices(factory)] == ["F-2"]


def _invoices(factory) -> list[VerrekeningFactuur]:
    with transaction(factory) as session:
        rows = session.scalars(select(VerrekeningFactuur).order_by(VerrekeningFactuur.id)).all()
        session.expunge_all()
        return rows


def _store_unchecked(factory, organisatie: str, *, einde: date) -> int:
    """An invoice as it could be stored before the bounds were checked at import."""
    moment = datetime(2022, 5, 1, 9)
    with transaction(factory) as session:
        imp = VerrekeningImport(bron="csv", bestandsnaam="oud.csv", sha256="0" * 64, aantal=1,
                                totaal=100, organisatie=organisatie, tijdstip=moment)
        session.add(imp)
        session.flush()
        row = VerrekeningFactuur(
            sleutel=f"{UTRECHT}/{AGB}/F-BAD", referentie="F-BAD", bsn=BSN, betaler=UTRECHT,
            aanbieder=AGB, product="45A48", begin=date(2022, 1, 1), einde=einde, bedrag=100,
            betaaldatum=date(2022, 4, 15), bron="csv", import_id=imp.id, geimporteerd_op=moment,
        )
        session.add(row)
        session.flush()
        return row.publiek_id


# --- statements: the chart with the table's sign, invoice details on every line ----------------


@pytest.fixture
def sqlite_client(sqlite_engine, settings, clock):
    with _client(sqlite_engine, settings, clock) as c:
        yield c


def test_statement_chart_shows_the_tables_positions_with_its_sign(
    sqlite_client, sqlite_factory, sqlite_tenants, monkeypatch
):
    auth = _auth(sqlite_factory, sqlite_tenants)
    _two_claims_on_amersfoort(sqlite_client, auth, sqlite_factory)
    drawn: list[list[tuple[str, int]]] = []
    real = overzicht_writer._bars
    monkeypatch.setattr(overzicht_writer, "_bars", lambda items, *a: drawn.append(list(items)) or real(items, *a))
    pdf = sqlite_client.get(f"{V1}/overzichten/{AMERSFOORT}?formaat=pdf", headers=auth["b"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Amersfoort bears both youths' care that Utrecht and Zeist paid: it is to pay both
    # (negative, as in the table's netto column), never drawn as if it were to receive.
    assert drawn == [[(UTRECHT, -900_000), (ZEIST, -310_000)]]


def test_statement_lines_carry_invoice_number_dates_and_provider(sqlite_client, sqlite_factory, sqlite_tenants):
    auth = _auth(sqlite_factory, sqlite_tenants)
    _two_claims_on_amersfoort(sqlite_client, auth, sqlite_factory)
    xlsx = sqlite_client.get(f"{V1}/overzichten/{AMERSFOORT}?formaat=xlsx", headers=auth["b"])
    sheet = load_workbook(io.BytesIO(xlsx.content))["Te betalen"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    lines = {r[header.index("factuurnummer")]: dict(zip(header, r, strict=True)) for r in rows[1:] if r[0]}
    f1 = lines["F-1"]
    assert f1["aanbieder (AGB)"] == AGB
    assert [_day(f1[k]) for k in ("factuurperiode van", "factuurperiode tot en met", "betaaldatum")] == [
        date(2022, 1, 1), date(2022, 3, 31), date(2022, 4, 15)]
    assert _day(lines["Z-1"]["factuurperiode tot en met"]) == date(2022, 1, 31)


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _two_claims_on_amersfoort(client, auth, factory) -> None:
    transfer(factory)
    transfer(factory, bsn=OTHER, latende=ZEIST, ontvangende=AMERSFOORT)
    assert upload(client, auth["a"], csv_file(invoice())).status_code == 201
    assert upload(client, auth["c"], csv_file(
        invoice("Z-1", bsn=OTHER, betaler=ZEIST, einde="2022-01-31", bedrag="310000"))).status_code == 201
    assert client.post(f"{V1}/claims/_herbereken", headers=auth["coordinator"]).status_code == 200


def test_a_transfers_own_vanaf_is_passed_to_the_timeline():
    # Keyed by the public id: the id the rules' facts of a transfer carry (views.facts_for_rules).
    public = "6f1c2f0e-3a1b-4c55-9a43-0d2b8e7f4a10"
    with_vanaf = SimpleNamespace(id=7, publiek_id=public, vanaf=date(2023, 3, 1))
    without = SimpleNamespace(id=8, publiek_id="0b5e...")  # a transfer row before the column exists
    assert claims_service._vanaf_of([with_vanaf, without]) == {public: date(2023, 3, 1)}
