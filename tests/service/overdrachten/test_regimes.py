"""Today's transfers in the service (issue 16 item 1): a transfer with ``vanaf`` follows the
law, shown with its regime and source in the API's responsibility, timeline and tasks; a
transfer of 2021/22 without ``vanaf`` keeps the 1-november-maatregel.

Expected values come from the rules as the issue states them: under the law the receiving
gemeente is responsible from ``vanaf`` whatever day the paperwork is done (Jeugdwet art.
1.1); it answers the aanlevering within two weeks (Regeling Jeugdwet art. 1a.1); the
latende ends its toewijzing per the day before ``vanaf``.
"""

from __future__ import annotations

import pytest

from wpb.service.app import create_app
from wpb.service.components.beheer.tokens import issue_token
from wpb.service.db import transaction

from ..helpers import deliver, row

BSN = "999990019"
FORMAT = ["bsn", "geboortedatum", "ontvangende_gemeente", "aanbieder_agb", "product",
          "toewijzing_einddatum", "vanaf"]
V1 = "/api/v1"


@pytest.fixture
def auth(sqlite_factory, sqlite_tenants):
    with transaction(sqlite_factory) as session:
        return {k: {"Authorization": f"Bearer {issue_token(session, getattr(sqlite_tenants, k).gebruiker_id)}"}
                for k in ("a", "b")}


def test_a_2026_transfer_follows_the_law_from_vanaf(sqlite_factory, sqlite_tenants, ctx, clock, client, auth):
    clock.set(2026, 12, 7)
    stored = deliver(sqlite_factory, sqlite_tenants.a, ctx,
                     [[BSN, "2010-05-01", "0307", "99000011", "45A48", "", "2026-11-02"]], header=FORMAT)
    [oid] = stored.nieuwe_overdrachten
    detail = client.get(f"{V1}/overdrachten/{oid}", headers=auth["b"]).json()
    assert detail["vanaf"] == "2026-11-02" and detail["regime"] == "jeugdwet"
    assert detail["regels"][0]["toewijzingEinddatum"] is None
    v = detail["verantwoordelijkheid"]
    # Not yet accepted, yet the receiving gemeente is responsible: the law, not the paperwork.
    assert v["regime"]["code"] == "jeugdwet" and v["tak"]["code"] == "wet_vanaf"
    assert v["gemeente"]["code"] == "0307" and v["vanaf"] == "2026-11-02"
    assert "Jeugdwet" in v["bron"]["citeertitel"] or "Jeugdwet" in v["bron"]["regel"]
    last = v["tijdlijn"][-1]
    assert (last["van"], last["tot"], last["gemeente"]["code"], last["regime"]) == (
        "2026-11-02", None, "0307", "jeugdwet")
    assert v["tijdlijn"][-2]["totEnMet"] == "2026-11-01"
    tasks = {t["code"]: t for t in detail["taken"]}
    # Two weeks from the aanlevering on Monday 7 December: the last day is 21 December.
    assert tasks["ontvangende.beoordelen"]["uiterlijk"] == "2026-12-21"
    assert "1a.1" in tasks["ontvangende.beoordelen"]["termijnbron"]
    assert "latende.toewijzing_beeindigen" in tasks
    assert not any(code.startswith("pgb.") or code == "latende.toewijzing_verlengen" for code in tasks)


def test_a_2021_transfer_keeps_the_measure(sqlite_factory, sqlite_tenants, ctx, client, auth):
    stored = deliver(sqlite_factory, sqlite_tenants.a, ctx, [row()])  # delivered 2021-10-15
    [oid] = stored.nieuwe_overdrachten
    detail = client.get(f"{V1}/overdrachten/{oid}", headers=auth["a"]).json()
    assert detail["vanaf"] is None and detail["regime"] == "1-november-maatregel"
    v = detail["verantwoordelijkheid"]
    assert v["regime"]["code"] == "1-november-maatregel" and v["tak"]["code"] == "a_tijdig_aangeleverd"
    assert v["bron"]["onderdeel"] == "A"
    assert {p["regime"] for p in v["tijdlijn"]} == {"1-november-maatregel"}
    assert "ontvangende.accepteren" in {t["code"] for t in detail["taken"]}


def test_the_list_shows_vanaf_and_regime(sqlite_factory, sqlite_tenants, ctx, clock, client, auth):
    deliver(sqlite_factory, sqlite_tenants.a, ctx, [row()])
    clock.set(2026, 12, 7)
    deliver(sqlite_factory, sqlite_tenants.a, ctx,
            [["999990020", "2010-05-01", "0307", "99000011", "45A48", "", "2026-11-02"]], header=FORMAT)
    page = client.get(f"{V1}/overdrachten", headers=auth["b"]).json()
    assert sorted((o["regime"], o["vanaf"]) for o in page["overdrachten"]) == [
        ("1-november-maatregel", None), ("jeugdwet", "2026-11-02")]


def test_the_transfer_page_names_the_regime_its_source_and_a_running_toewijzing(
        sqlite_factory, sqlite_tenants, ctx, clock, settings, sqlite_engine):
    from html import unescape

    from .test_pages import Browser

    clock.set(2026, 12, 7)
    stored = deliver(sqlite_factory, sqlite_tenants.a, ctx,
                     [[BSN, "2010-05-01", "0307", "99000011", "45A48", "", "2026-11-02"]], header=FORMAT)
    [oid] = stored.nieuwe_overdrachten
    app = create_app(settings, clock=clock, engine=sqlite_engine)
    page = unescape(Browser(app, "user-b").get(f"/overdrachten/{oid}").text)
    assert "het woonplaatsbeginsel van de Jeugdwet (art. 1.1)" in page
    assert "vanaf 2 november 2026" in page
    assert "Verantwoordelijkheid volgens de Jeugdwet" in page
    assert "loopt door" in page
    assert "Regeling Jeugdwet art. 1a.1" in page
