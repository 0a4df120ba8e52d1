"""The list pages for real volumes (issue 16 item 5): sort by any column with links that
say their order, page-size choice and page numbers, free text in the address, the BSN by
POST only (held on the server under a token only its user can use), the deadline,
"verantwoordelijk nu" and the provider's name columns, and the own gemeente not repeated."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from wpb.service.app import create_app
from wpb.service.audit.models import AuditRegel
from wpb.service.components.overdrachten.list_page import HeldBsn, page_numbers
from wpb.service.db import transaction

from ..helpers import HEADER, deliver, row, valid_bsns
from .test_pages import Browser, summary_of, urls_of

BSNS = valid_bsns(30)


@pytest.fixture
def app(settings, clock, sqlite_engine, sqlite_tenants):
    return create_app(settings, clock=clock, engine=sqlite_engine)


@pytest.fixture
def many(f, t, ctx, clock) -> list[str]:
    """30 transfers from Utrecht to Amersfoort over 30 days of October 2021, two providers."""
    ids = []
    for day in range(1, 31):
        clock.set(2021, 10, day)
        agb = "99000022" if day % 3 == 0 else "99000011"
        ids += deliver(f, t.a, ctx, [row(BSNS[day - 1], ontvangende="0307", agb=agb)]).nieuwe_overdrachten
    return ids


def order(html: str) -> list[str]:
    """The public ids of the transfers a list page links to, in its order."""
    return re.findall(r'<a href="/overdrachten/([0-9a-f-]{36})">Overdracht', html)


def headers(html: str) -> list[str]:
    thead = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    return [unescape(re.sub(r"<[^>]+>", "", h)).split(",")[0].strip().rstrip(" ▲▼")
            for h in re.findall(r"<th[^>]*>(.*?)</th>", thead, re.S)]


def test_columns_of_the_incoming_list(app, many):
    html = Browser(app, "user-b").get("/overdrachten/inkomend").text
    assert headers(html) == ["Kiezen", "Overdracht", "BSN", "Geboortedatum", "Latende gemeente",
                             "Wet", "Aanbieder", "Aanleverdatum", "Vanaf", "Antwoord uiterlijk",
                             "Verantwoordelijk nu", "Status", "Regels", "PGB"]
    assert "Aanbieder P" in html and "(AGB 99000011)" in html
    assert "31 december 2021" in html  # onderdeel A: the answer before the ingangsdatum
    # Amersfoort's own name is not in every row: not as ontvangende nor as responsible.
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    assert "Amersfoort" not in body and body.count("eigen gemeente") == 30


def test_the_wet_column_names_the_law_in_words(app, f, t, ctx):
    bsns = valid_bsns(32)[30:]
    header = [*HEADER, "wet"]
    deliver(f, t.a, ctx, [[*row(bsns[0], ontvangende="0307", product="Beschermd wonen"), "wmo-bw"],
                          [*row(bsns[1], ontvangende="0307"), "jeugdwet"]], header=header)
    html = Browser(app, "user-b").get("/overdrachten/inkomend?sorteer=wet").text
    index = headers(html).index("Wet")
    cells = [unescape(re.sub(r"<[^>]+>", "", c)).strip()
             for r in re.findall(r"<tr>(.*?)</tr>", re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1), re.S)
             for c in [re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)[index]]]
    assert cells == ["Jeugdwet", "Wmo beschermd wonen"]  # sorted by the code: jeugdwet, wmo-bw


def test_sorting_by_a_column_and_back(app, many):
    browser = Browser(app, "user-b")
    default = order(browser.get("/overdrachten/inkomend?per=25").text)
    assert default == many[:25]  # one deadline for all: then in the order they were made
    html = browser.get("/overdrachten/inkomend?per=25&sorteer=aanleverdatum&volgorde=aflopend").text
    assert order(html) == many[::-1][:25]
    assert 'aria-sort="descending"' in html
    # The header's link turns the order around and keeps the filters.
    link = unescape(re.search(r'href="([^"]*sorteer=aanleverdatum[^"]*)"', html).group(1))
    assert "volgorde=oplopend" in link and "per=25" in link
    assert order(browser.get(link).text) == many[:25]
    bad = browser.get("/overdrachten/inkomend?sorteer=wachtwoord")
    assert bad.status_code == 400 and summary_of(bad.text)


def test_page_size_and_numbers(app, many):
    browser = Browser(app, "user-b")
    html = browser.get("/overdrachten/inkomend?per=25&pagina=2&sorteer=id").text
    assert order(html) == many[25:]
    assert "30 overdrachten, pagina 2 van 2" in html
    assert re.search(r'href="[^"]*pagina=2" aria-current="page"', html)
    assert browser.get("/overdrachten/inkomend?per=7").status_code == 400
    assert page_numbers(1, 101) == [1, 2, 3, None, 101]
    assert page_numbers(50, 101) == [1, None, 48, 49, 50, 51, 52, None, 101]
    assert page_numbers(3, 4) == [1, 2, 3, 4]


def test_free_text_is_in_the_address_but_a_bsn_is_refused_there(app, many):
    browser = Browser(app, "user-b")
    html = browser.get("/overdrachten/inkomend?tekst=aanbieder+q&per=100").text
    assert order(html) == [i for n, i in enumerate(many, 1) if n % 3 == 0]  # one deadline: as made
    refused = browser.get(f"/overdrachten/inkomend?tekst={BSNS[0]}")
    assert refused.status_code == 400 and "BSN-filter" in " ".join(summary_of(refused.text))


def test_the_bsn_filter_is_posted_and_held_on_the_server(app, many, f):
    browser = Browser(app, "user-b")
    response = browser.post("/overdrachten/inkomend?per=25&sorteer=aanleverdatum", {"bsn": BSNS[4]})
    assert response.status_code == 303
    target = response.headers["location"]
    assert BSNS[4] not in target and "zoek=" in target and "per=25" in target
    html = browser.get(target).text
    assert order(html) == [many[4]]
    assert all(BSNS[4] not in url for url in urls_of(html))
    assert "BSN-filter wissen" in html
    with transaction(f) as session:
        searched = session.scalars(select(AuditRegel).where(AuditRegel.actie == "overdracht.zoeken")).all()
    assert [(r.gebruikersnaam, r.bsn) for r in searched] == [("user-b", BSNS[4])]
    # The token is the user's own: another user gets the list without it.
    other_html = Browser(app, "user-a").get(target.replace("inkomend", "uitgaand")).text
    assert "Het BSN-filter is verlopen" in other_html and len(order(other_html)) == 25  # per=25
    bad = browser.post("/overdrachten/inkomend", {"bsn": "123456789"})
    assert bad.status_code == 400 and "bsn-filter" in bad.text


def test_a_held_bsn_expires():
    now = [0.0]
    held = HeldBsn(ttl=60, clock=lambda: now[0])
    token = held.put(7, BSNS[0])
    assert held.get(token, 7) == BSNS[0] and held.get(token, 8) is None
    now[0] = 61
    assert held.get(token, 7) is None


def test_the_own_gemeente_in_a_list_of_both_directions(app, many, f, t, ctx):
    deliver(f, t.b, ctx, [row(BSNS[0], ontvangende="0344")])
    html = Browser(app, "user-b").get("/overdrachten?per=100").text
    assert "Latende gemeente" in headers(html) and "Ontvangende gemeente" in headers(html)
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    assert "Amersfoort" not in body and "Utrecht" in body
