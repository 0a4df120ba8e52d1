"""The same delivery twice has the effect of once: iJw messages (TR056), uploads, invoices
and transitions, one after the other and at the same moment (PostgreSQL, threads).

Compared are all tables of the service except the audit log (which records each attempt,
as it should) and its head.
"""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from .faults import snapshot
from .support import (
    INVOICE_HEADER,
    PROVIDER,
    UTRECHT,
    V1,
    assert_problem_json,
    build_scenario,
    csv_upload,
    upload_row,
    valid_bsns,
)

XML = {"Content-Type": "application/xml"}
AUDIT = ("audit_log", "audit_kop")


def _data(url: str) -> dict:
    return {t: v for t, v in snapshot(url).items() if t not in AUDIT}


def _message(identificatie: str = "VOT000000077"):
    from ijw_builders import jw315
    from wpb.ijw.xml_write import write_bericht

    return write_bericht(jw315(identificatie=identificatie, bsn=valid_bsns(1, 999_700_000)[0]))


def test_the_same_ijw_message_twice_is_processed_once(scenario):
    with scenario.client(pages=False) as c:
        auth = {**scenario.headers("aanbieder"), **XML}
        scenario.clock.set(2026, 4, 2)
        first = c.post(f"{V1}/berichten", content=_message(), headers=auth)
        assert first.status_code == 201, first.text
        after_first = _data(scenario.url)
        second = c.post(f"{V1}/berichten", content=_message(), headers=auth)
        assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
        assert second.json()["registratie"] != first.json()["registratie"]
        assert _data(scenario.url) == after_first
        # The same identification with other content is a conflict, not a second message.
        other = _message().replace(b"REF-1", b"REF-2")
        assert_problem_json(c.post(f"{V1}/berichten", content=other, headers=auth), 409)
        assert _data(scenario.url) == after_first


def test_the_same_upload_twice_is_stored_once(scenario):
    rows = csv_upload([upload_row(b) for b in valid_bsns(5, 999_710_000)])
    with scenario.client(pages=False) as c:
        auth = scenario.headers("latend")

        def files():
            return {"bestand": ("levering.csv", rows, "text/csv")}

        check = c.post(f"{V1}/aanleveringen/_controleer", files=files(), headers=auth).json()
        stored = c.post(f"{V1}/aanleveringen", files=files(), data={"controle": check["controle"]},
                        headers=auth)
        assert stored.status_code == 201 and len(stored.json()["nieuweOverdrachten"]) == 5
        after_first = _data(scenario.url)
        # Confirming the same check again, or checking and confirming anew: nothing more.
        again = c.post(f"{V1}/aanleveringen", files=files(), data={"controle": check["controle"]},
                       headers=auth)
        assert_problem_json(again, 409)
        recheck = c.post(f"{V1}/aanleveringen/_controleer", files=files(), headers=auth).json()
        assert recheck["regelsGeldig"] == 0 and recheck["regelsAfgewezen"] == 5
        assert all("al aangeleverd" in e["reden"] or "al " in e["reden"] for e in recheck["afgewezen"])
        third = c.post(f"{V1}/aanleveringen", files=files(), data={"controle": recheck["controle"]},
                       headers=auth)
        assert_problem_json(third, 400)
        assert _data(scenario.url) == after_first


def test_the_same_invoice_file_twice_is_imported_once(scenario):
    content = csv_upload([["F-I1", scenario.bsns["claim"], UTRECHT, PROVIDER, "45A48", "2022-05-01",
                           "2022-05-31", "1000", "2022-06-15"]], header=INVOICE_HEADER)
    with scenario.client(pages=False) as c:
        auth = scenario.headers("latend")
        first = c.post(f"{V1}/declaraties", files={"bestand": ("f.csv", content, "text/csv")}, headers=auth)
        assert first.status_code == 201, first.text
        after_first = _data(scenario.url)
        second = c.post(f"{V1}/declaraties", files={"bestand": ("f.csv", content, "text/csv")}, headers=auth)
        body = assert_problem_json(second, 400)
        assert "al eerder ingelezen" in body["invalidParams"][0]["reason"]
        assert _data(scenario.url) == after_first


def test_accepting_twice_changes_once(scenario):
    transfer = scenario.ids["overdracht_brp"]
    with scenario.client(pages=False) as c:
        auth = scenario.headers("ontvangend")
        assert c.post(f"{V1}/overdrachten/{transfer}/acceptatie", json={}, headers=auth).status_code == 200
        after_first = _data(scenario.url)
        body = assert_problem_json(
            c.post(f"{V1}/overdrachten/{transfer}/acceptatie", json={}, headers=auth), 409)
        assert body["detail"]
        assert _data(scenario.url) == after_first


# --- at the same moment (PostgreSQL) -----------------------------------------------------------


def _concurrently(app, n: int, send) -> list:
    """``n`` clients send at once (released together by a barrier); their responses."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def worker(i: int) -> None:
        with TestClient(app, raise_server_exceptions=False) as client:
            barrier.wait()
            results[i] = send(client)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.fixture
def pg(postgres_schema, tmp_path):
    url, _ = postgres_schema
    return build_scenario(url, tmp_path, ijw=False)


def test_the_same_message_sent_concurrently_is_stored_once(pg):
    pg.clock.set(2026, 4, 2)
    app = pg.app(pages=False)
    data = _message("VOT000000088")
    auth = {**pg.headers("aanbieder"), **XML}
    results = _concurrently(app, 6, lambda c: c.post(f"{V1}/berichten", content=data, headers=auth))
    statuses = sorted(r.status_code for r in results)
    assert statuses.count(201) == 1, [(r.status_code, r.text[:200]) for r in results]
    assert set(statuses) <= {200, 201, 409}, statuses
    for r in results:
        if r.status_code == 409:
            assert_problem_json(r, 409)
    ids = {r.json()["id"] for r in results if r.status_code in (200, 201)}
    assert len(ids) == 1
    assert snapshot(pg.url)["ijw_berichten"][0] == 2  # the message and one retourbericht (JW316)


def test_the_same_upload_confirmed_concurrently_is_stored_once(pg):
    rows = csv_upload([upload_row(b) for b in valid_bsns(8, 999_720_000)])
    app = pg.app(pages=False)
    auth = pg.headers("latend")
    with TestClient(app) as c:
        check = c.post(f"{V1}/aanleveringen/_controleer",
                       files={"bestand": ("l.csv", rows, "text/csv")}, headers=auth).json()
    before = snapshot(pg.url)["overdrachten"][0]
    results = _concurrently(app, 4, lambda c: c.post(
        f"{V1}/aanleveringen", files={"bestand": ("l.csv", rows, "text/csv")},
        data={"controle": check["controle"]}, headers=auth))
    statuses = sorted(r.status_code for r in results)
    assert statuses.count(201) == 1, [(r.status_code, r.text[:200]) for r in results]
    assert set(statuses) <= {201, 409}, statuses
    assert snapshot(pg.url)["overdrachten"][0] == before + 8
