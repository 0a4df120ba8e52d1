"""Every consequential action on the transfer pages asks first (issue 16 item 6): a
confirmation step naming what will happen (the parties, what they see, which iJw message
follows for whom, how many transfers), in plain HTML; nothing changes before the user
confirms, and input the service refuses is shown at once, without a confirmation."""

from __future__ import annotations

import re
from html import unescape

import pytest

from wpb.service.app import create_app
from wpb.service.components.overdrachten import transitions
from wpb.service.db import transaction

from ..helpers import deliver, row, valid_bsns
from .test_pages import Browser, status_of, summary_of

FORMAT = ["bsn", "geboortedatum", "ontvangende_gemeente", "aanbieder_agb", "product",
          "toewijzing_einddatum", "vanaf"]


@pytest.fixture
def app(settings, clock, sqlite_engine, sqlite_tenants):
    return create_app(settings, clock=clock, engine=sqlite_engine)


@pytest.fixture
def today(f, t, ctx, clock) -> int:
    """A transfer of 2026 from Utrecht to Amersfoort, vanaf 2026-11-02, provider P."""
    clock.set(2026, 11, 20)
    return deliver(f, t.a, ctx, [[valid_bsns(1)[0], "2010-05-01", "0307", "99000011", "45A48", "",
                                  "2026-11-02"]], header=FORMAT).nieuwe_overdrachten[0]


def consequences(html: str) -> list[str]:
    block = re.search(r'<ul id="gevolgen">(.*?)</ul>', html, re.S)
    assert block, "no confirmation step"
    return [unescape(re.sub(r"<[^>]+>", "", li)).strip() for li in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)]


def confirm(browser: Browser, html: str):
    """Submit the confirmation form as shown: every hidden field, with the button."""
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', html.split('id="gevolgen"')[1], re.S)
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2)):
        fields.setdefault(unescape(name), []).append(unescape(value))
    return browser.client.post(unescape(form.group(1)), data=fields)


def test_accepting_names_the_messages_and_waits_for_the_confirmation(app, f, today):
    browser = Browser(app, "user-b")
    asked = browser.post(f"/overdrachten/{today}/accepteren", {"versie": "1"})
    assert asked.status_code == 200
    said = consequences(asked.text)
    assert "Overdracht " + str(today) + " accepteren?" in unescape(asked.text)
    assert any("Utrecht (0344) ziet dat" in s for s in said)
    assert any("per 1 november 2026" in s and "JW301" in s and "RedenWijziging 07" in s
               and "99000011" in s for s in said)
    assert any("ingangsdatum 2 november 2026" in s for s in said)
    assert status_of(f, today) == "aangeleverd"  # nothing happened yet
    done = confirm(browser, asked.text)
    assert done.status_code == 303 and "melding=geaccepteerd" in done.headers["location"]
    assert status_of(f, today) == "geaccepteerd"


def test_a_rejection_repeats_the_onderbouwing_and_refused_input_is_shown_at_once(app, f, today):
    browser = Browser(app, "user-b")
    empty = browser.post(f"/overdrachten/{today}/afwijzen", {"onderbouwing": " "})
    assert empty.status_code == 400 and summary_of(empty.text) and 'id="gevolgen"' not in empty.text
    asked = browser.post(f"/overdrachten/{today}/afwijzen", {"onderbouwing": "Woont in Zeist."})
    assert any("“Woont in Zeist.”" in s for s in consequences(asked.text))
    assert status_of(f, today) == "aangeleverd"
    assert confirm(browser, asked.text).status_code == 303
    assert status_of(f, today) == "afgewezen"


def test_not_this_partys_action_is_refused_without_a_confirmation(app, f, today):
    response = Browser(app, "user-a").post(f"/overdrachten/{today}/accepteren", {})
    assert response.status_code == 403 and 'id="gevolgen"' not in response.text


@pytest.mark.parametrize("action, fields, rejected, expected", [
    ("intrekken", {"reden": "Verkeerde gemeente."}, False, "“Verkeerde gemeente.”"),
    ("doorsturen", {"gemeente": "0355"}, True, "nieuwe overdracht van Utrecht (0344) aan Zeist (0355)"),
])
def test_withdrawing_and_forwarding_say_who_sees_what(app, f, t, ctx, today, action, fields,
                                                      rejected, expected):
    if rejected:
        with transaction(f) as session:
            transitions.reject(session, t.b, ctx, today, onderbouwing="Niet de onze.")
    before = status_of(f, today)
    browser = Browser(app, "user-a")
    asked = browser.post(f"/overdrachten/{today}/{action}", fields)
    assert asked.status_code == 200, summary_of(asked.text)
    assert any(expected in s for s in consequences(asked.text))
    assert status_of(f, today) == before
    assert confirm(browser, asked.text).status_code == 303
    assert status_of(f, today) != before


def test_take_back_and_reconsider_ask_first(app, f, t, ctx, today):
    with transaction(f) as session:
        transitions.reject(session, t.b, ctx, today, onderbouwing="Niet de onze.")
    asked = Browser(app, "user-b").post(f"/overdrachten/{today}/heroverwegen", {})
    assert any("'geaccepteerd'" in s for s in consequences(asked.text))
    latende = Browser(app, "user-a")
    asked = latende.post(f"/overdrachten/{today}/terugnemen", {"toelichting": "Blijft bij ons."})
    assert any("Utrecht (0344) blijft verantwoordelijk" in s for s in consequences(asked.text))
    assert status_of(f, today) == "afgewezen"
    assert confirm(latende, asked.text).status_code == 303
    assert status_of(f, today) == "teruggenomen"


def test_a_decision_on_many_names_how_many(app, f, t, ctx):
    ids = deliver(f, t.a, ctx, [row(bsn) for bsn in valid_bsns(3)]).nieuwe_overdrachten
    browser = Browser(app, "user-b")
    asked = browser.client.post("/overdrachten/besluiten", data={
        "csrf_token": browser.token, "overdracht": [str(i) for i in ids], "besluit": "accepteren"})
    assert asked.status_code == 200
    assert "3 overdrachten accepteren?" in unescape(asked.text)
    assert any(", ".join(map(str, ids)) in s for s in consequences(asked.text))
    assert {status_of(f, i) for i in ids} == {"aangeleverd"}
    done = confirm(browser, asked.text)
    assert "3 overdrachten geaccepteerd" in unescape(done.text)
    assert {status_of(f, i) for i in ids} == {"geaccepteerd"}
