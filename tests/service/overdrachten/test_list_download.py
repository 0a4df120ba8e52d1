"""The download of a filtered list holds exactly the transfers of the list (issue 16, items 5
and 7): the page's own download link carries every filter of the page (free text, the flow's
latende and ontvangende gemeente, status, aanleverdatums, the other gemeente), and the BSN
filter only as its server-side token, never the BSN. A download whose token is not valid
for the user is refused rather than widened to the whole list.

Tenants: A = Utrecht 0344, B = Amersfoort 0307, C = Zeist 0355; P and Q are providers.
"""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from sqlalchemy import select

from wpb.service.app import create_app
from wpb.service.audit.models import AuditRegel
from wpb.service.components.overdrachten import transitions
from wpb.service.db import transaction

from ..helpers import bsn_like, deliver, row, valid_bsns
from .test_pages import Browser

BSNS = valid_bsns(12)


@pytest.fixture
def app(settings, clock, sqlite_engine, sqlite_tenants):
    return create_app(settings, clock=clock, engine=sqlite_engine)


@pytest.fixture
def mixed(f, t, ctx, clock) -> dict[str, list[int]]:
    """Utrecht → Amersfoort 6 (two accepted), Utrecht → Zeist 3, Zeist → Amersfoort 3, over
    October 2021, providers P and Q in turn; two lines for the first Zeist → Amersfoort."""
    ids: dict[str, list[int]] = {"ab": [], "ac": [], "cb": []}
    plan = [("ab", t.a, "0307")] * 6 + [("ac", t.a, "0355")] * 3 + [("cb", t.c, "0307")] * 3
    for n, (flow, sender, to) in enumerate(plan):
        clock.set(2021, 10, 2 + 2 * n)
        agb = "99000022" if n % 2 else "99000011"
        lines = [row(BSNS[n], ontvangende=to, agb=agb)]
        if n == 9:
            lines.append(row(BSNS[n], ontvangende=to, agb="99000022", product="Pleegzorg"))
        ids[flow] += deliver(f, sender, ctx, lines).nieuwe_overdrachten
    with transaction(f) as session:
        for oid in ids["ab"][:2]:
            transitions.accept(session, t.b, ctx, oid)
    return ids


def listed(browser: Browser, path: str) -> tuple[set[str], str]:
    """The transfers a list page shows (on one page of 200), by the identifier in their
    address, and its CSV download link."""
    html = browser.get(path).text
    ids = set(re.findall(r'<a href="/overdrachten/([^"/?#]+)">Overdracht', html))
    link = unescape(re.search(r'href="(/overdrachten/download\?[^"]*formaat=csv)"', html).group(1))
    return ids, link


def downloaded(browser: Browser, link: str) -> list[dict]:
    response = browser.get(link)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


FILTERS = [
    ("user-coordinator", "/overdrachten?latende=0344&ontvangende=0307"),
    ("user-coordinator", "/overdrachten?latende=0344"),
    ("user-coordinator", "/overdrachten?ontvangende=0307"),
    ("user-coordinator", "/overdrachten?tekst=zeist"),
    ("user-coordinator", "/overdrachten?tekst=pleegzorg"),
    ("user-b", "/overdrachten/inkomend?tekst=aanbieder+q"),
    ("user-b", "/overdrachten/inkomend?status=geaccepteerd"),
    ("user-b", "/overdrachten/inkomend?gemeente=0355"),
    ("user-b", "/overdrachten/inkomend?van=2021-10-06&tot=2021-10-14"),
    ("user-a", "/overdrachten/uitgaand?van=2021-10-10&status=aangeleverd&tekst=0355&sorteer=bsn"),
    ("user-p", "/overdrachten?tekst=amersfoort"),
]


@pytest.mark.parametrize(("user", "path"), FILTERS)
def test_the_download_holds_exactly_the_rows_of_the_filtered_page(app, mixed, user, path):
    browser = Browser(app, user)
    page_ids, link = listed(browser, path + "&per=200")
    everything, _ = listed(browser, path.split("?")[0] + "?per=200")
    assert page_ids and page_ids != everything  # the filter filters
    assert "per=" not in link
    rows = downloaded(browser, link)
    assert {r["overdracht_id"] for r in rows} == page_ids


def test_one_row_per_line_and_a_provider_only_its_own_lines(app, mixed):
    two_lines = mixed["cb"][0]
    rows = downloaded(Browser(app, "user-coordinator"),
                      "/overdrachten/download?lijst=alle&latende=0355&formaat=csv")
    assert [r["overdracht_id"] for r in rows].count(str(two_lines)) == 2
    own = downloaded(Browser(app, "user-q"), "/overdrachten/download?lijst=alle&latende=0355&formaat=csv")
    assert {r["aanbieder_agb"] for r in own} == {"99000022"}


def test_the_bsn_filter_goes_to_the_download_as_its_token(app, mixed, f):
    browser = Browser(app, "user-b")
    response = browser.post("/overdrachten/inkomend?status=aangeleverd", {"bsn": BSNS[4]})
    target = response.headers["location"]
    page_ids, link = listed(browser, target)
    assert page_ids == {str(mixed["ab"][4])}
    assert "zoek=" in link and "status=aangeleverd" in link and not bsn_like(link)
    rows = downloaded(browser, link)
    assert {r["overdracht_id"] for r in rows} == page_ids and {r["bsn"] for r in rows} == {BSNS[4]}
    with transaction(f) as session:
        actions = session.scalars(select(AuditRegel.actie).where(AuditRegel.bsn == BSNS[4])).all()
    assert "overdracht.download" in actions and actions.count("overdracht.zoeken") >= 2
    # Someone else's (or an expired) token: no download, not the whole list instead.
    refused = Browser(app, "user-c").get(link)
    assert refused.status_code == 400
    assert "Het BSN-filter is verlopen" in refused.text
    assert not refused.headers["content-type"].startswith("text/csv")


def test_the_api_download_applies_the_same_filters_as_its_list(app, mixed, f, t):
    from fastapi.testclient import TestClient

    from wpb.service.components.beheer.tokens import issue_token

    with transaction(f) as session:
        token = issue_token(session, t.b.gebruiker_id)
    client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    for params in ({"tekst": "aanbieder q"}, {"latendeGemeente": "0355"}, {"status": "geaccepteerd"},
                   {"aanleverdatumVan": "2021-10-08", "aanleverdatumTot": "2021-10-16"}):
        listing = client.get("/api/v1/overdrachten", params={**params, "paginaGrootte": 200}).json()
        ids = {str(o["id"]) for o in listing["overdrachten"]}
        assert 0 < len(ids) < 9, params
        response = client.get("/api/v1/overdrachten", params={**params, "formaat": "csv"})
        rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
        assert {r["overdracht_id"] for r in rows} == ids, params
