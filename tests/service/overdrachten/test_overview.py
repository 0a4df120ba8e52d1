"""The coordinator's overview with charts (issue 16, item 8): flows between gemeenten, transfers
by status per month and overdue tasks per gemeente, as server-side SVG beside a table with
the same numbers, with drill-down links and downloads. National figures for the coordinator
only; a gemeente sees its own flows and tasks and nothing of others (isolation).

Tenants: A = Utrecht 0344, B = Amersfoort 0307, C = Zeist 0355; the clock starts 2021-10-15.
"""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from wpb.service.app import create_app
from wpb.service.components.beheer.tokens import issue_token
from wpb.service.components.overdrachten import transitions
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.db import transaction

from ..helpers import deliver, row, valid_bsns
from .test_pages import Browser


@pytest.fixture
def app(settings, clock, sqlite_engine, sqlite_tenants):
    return create_app(settings, clock=clock, engine=sqlite_engine)


@pytest.fixture
def flows(f, t, ctx, clock):
    """A→B twice (October, November), C→A once (November), B→C once (November)."""
    bsns = valid_bsns(4)
    deliver(f, t.a, ctx, [row(bsns[0], ontvangende="0307")])
    clock.set(2021, 11, 5)
    deliver(f, t.a, ctx, [row(bsns[1], ontvangende="0307")])
    deliver(f, t.c, ctx, [row(bsns[2], ontvangende="0344")])
    deliver(f, t.b, ctx, [row(bsns[3], ontvangende="0355")])
    return bsns


def _table(page: str, caption: str) -> list[list[str]]:
    block = re.search(rf"<caption[^>]*>{re.escape(caption)}</caption>(.*?)</table>", page, re.S).group(1)
    body = block.split("<tbody>")[1]
    return [
        [unescape(re.sub(r"<span class=\"visueel-verborgen\">.*?</span>|<[^>]+>", "", c)).strip()
         for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
        for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


FLOWS = "Stromen tussen gemeenten (tabel bij de grafiek)"
MONTHS = "Overdrachten per maand van aanlevering en status (tabel bij de grafiek)"


def test_the_coordinator_sees_every_flow_largest_first(app, flows):
    page = Browser(app, "user-coordinator").get("/overzicht").text
    assert _table(page, FLOWS) == [
        ["Utrecht (0344)", "Amersfoort (0307)", "2"],
        ["Amersfoort (0307)", "Zeist (0355)", "1"],
        ["Zeist (0355)", "Utrecht (0344)", "1"],
    ]
    assert "voor alle gemeenten" in page


def test_a_gemeente_sees_only_its_own_flows_and_figures(app, flows):
    page = Browser(app, "user-c").get("/overzicht").text
    assert _table(page, FLOWS) == [
        ["Amersfoort (0307)", "Zeist (0355)", "1"],
        ["Zeist (0355)", "Utrecht (0344)", "1"],
    ]
    assert "Utrecht (0344) → Amersfoort (0307)" not in page  # not in the chart either
    assert "voor alle gemeenten" not in page
    # The months count only Zeist's transfers (both in November).
    assert _table(page, MONTHS) == [["november 2021", "2", "0", "0", "0", "0", "0", "0", "2"]]
    # Its download holds the same, and nothing of A→B.
    download = Browser(app, "user-c").get("/overzicht/download?grafiek=stromen&formaat=csv")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["latende_gemeente", "ontvangende_gemeente", "aantal"],
                    ["0307", "0355", "1"], ["0355", "0344", "1"]]


def test_charts_are_svg_with_title_desc_and_no_external_resources(app, flows):
    page = Browser(app, "user-coordinator").get("/overzicht").text
    svgs = re.findall(r"<svg .*?</svg>", page, re.S)
    assert len(svgs) == 2  # flows and months; no overdue tasks yet
    for svg in svgs:
        ident = re.search(r'id="([^"]+)"', svg).group(1)
        assert 'role="img"' in svg
        assert f'aria-labelledby="{ident}-titel {ident}-desc"' in svg
        assert f'<title id="{ident}-titel">' in svg and f'<desc id="{ident}-desc">' in svg
        assert "style=" not in svg  # the pages' CSP allows no inline style
        for link in re.findall(r"<a [^>]*>", svg):
            assert 'tabindex="-1"' in link and 'href="/' in link  # the table has the keyboard links
    assert "<script" not in page.split("</header>")[1]
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)
    assert "Er zijn geen taken te laat." in page


def _forwarded_and_direct(f, t, ctx) -> None:
    """Utrecht → Zeist directly, and Utrecht → Amersfoort rejected and forwarded to Zeist:
    the flow Utrecht → Amersfoort stays 2, Utrecht → Zeist is 2."""
    bsns = valid_bsns(6)[4:]
    deliver(f, t.a, ctx, [row(bsns[0], ontvangende="0355")])
    deliver(f, t.a, ctx, [row(bsns[1], ontvangende="0307")])
    with transaction(f) as session:
        oid = session.scalar(select(Overdracht.id).where(Overdracht.bsn == bsns[1]))
        transitions.reject(session, t.b, ctx, oid, onderbouwing="Niet onze inwoner.")
    with transaction(f) as session:
        transitions.redirect(session, t.a, ctx, oid, gemeente="0355")


def _listed(browser: Browser, href: str) -> tuple[int, list[str]]:
    """The total a list page states and the transfer links of its table."""
    text = browser.get(href).text
    total = re.search(r"<p>(\d+) overdracht(?:en)?[,.]", text)
    rows = re.findall(r'<td class="nowrap"><a href="(/overdrachten/[^"/?#]+)">', text)
    return (int(total.group(1)) if total else 0), rows


@pytest.mark.parametrize("user", ["user-coordinator", "user-a", "user-b", "user-c", "user-p"])
def test_each_flow_drills_down_to_a_list_of_exactly_its_transfers(app, flows, f, t, ctx, user):
    _forwarded_and_direct(f, t, ctx)
    browser = Browser(app, user)
    page = browser.get("/overzicht").text
    table = _table(page, FLOWS)
    links = re.findall(r'<a href="([^"]+)">(\d+)<span class="visueel-verborgen"> overdrachten van', page)
    assert len(links) == len(table) > 0
    for (href, n), (van, naar, _) in zip(links, table, strict=True):
        total, rows = _listed(browser, unescape(href))
        assert total == len(rows) == int(n), (user, van, naar, href)
    if user == "user-coordinator":
        assert ["Utrecht (0344)", "Amersfoort (0307)", "2"] in table
        assert ["Utrecht (0344)", "Zeist (0355)", "2"] in table


def test_the_flow_filter_in_the_api_is_exact(app, flows, f, t, ctx):
    _forwarded_and_direct(f, t, ctx)
    with transaction(f) as session:
        headers = {"Authorization": f"Bearer {issue_token(session, t.coordinator.gebruiker_id)}",
                   "Accept": "application/json"}
    client = TestClient(app)
    api = "/api/v1/overdrachten?latendeGemeente=0344&ontvangendeGemeente=0307"
    body = client.get(api, headers=headers).json()
    assert body["totaal"] == 3  # the two of the flow and the forwarded one
    items = body["overdrachten"]
    assert {(o["latendeGemeente"]["code"], o["ontvangendeGemeente"]["code"]) for o in items} == {
        ("0344", "0307")}
    assert sorted(o["status"] for o in items) == ["aangeleverd", "aangeleverd", "doorgestuurd"]
    only_to = client.get("/api/v1/overdrachten?ontvangendeGemeente=0355", headers=headers).json()
    assert only_to["totaal"] == 3  # from Utrecht (direct and forwarded) and from Amersfoort
    refused = client.get("/api/v1/overdrachten?ontvangendeGemeente=03x7", headers=headers)
    assert refused.status_code == 400 and "ontvangendeGemeente" in refused.text


def test_drill_down_from_a_month_gives_the_filtered_list(app, flows):
    browser = Browser(app, "user-b")
    page = browser.get("/overzicht").text
    month = unescape(re.search(r'<a href="([^"]+)">\d+<span class="visueel-verborgen"> aangeleverd in oktober 2021', page).group(1))
    assert month == "/overdrachten?status=aangeleverd&van=2021-10-01&tot=2021-10-31"
    assert browser.get(month).status_code == 200


def test_overdue_tasks_per_gemeente_with_drill_down_to_the_tasks(app, flows, clock):
    clock.set(2022, 2, 1)
    coordinator = Browser(app, "user-coordinator").get("/overzicht").text
    caption = "Taken te laat per gemeente (tabel bij de grafiek)"
    rows = _table(coordinator, caption)
    assert rows and all(int(n) > 0 for _, n in rows)
    assert {g for g, _ in rows} <= {"Utrecht (0344)", "Amersfoort (0307)", "Zeist (0355)"}
    assert 'id="grafiek-taken"' in coordinator
    own = _table(Browser(app, "user-b").get("/overzicht").text, caption)
    assert [g for g, _ in own] == ["Amersfoort (0307)"]
    tasks = Browser(app, "user-b").get("/taken?welke=te_laat&gemeente=0307")
    assert tasks.status_code == 200 and "Alleen taken van gemeente Amersfoort (0307)" in tasks.text
    assert tasks.text.count('class="rij-te-laat"') == int(own[0][1])


def test_download_as_xlsx_has_names_beside_codes(app, flows):
    response = Browser(app, "user-coordinator").get("/overzicht/download?grafiek=stromen&formaat=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == [
        "latende_gemeente", "latende_gemeente_naam", "ontvangende_gemeente", "ontvangende_gemeente_naam", "aantal",
    ]
    assert [c.value for c in sheet[2]] == ["0344", "Utrecht", "0307", "Amersfoort", 2]
    assert Browser(app, "user-a").get("/overzicht/download?grafiek=iets").status_code == 404
