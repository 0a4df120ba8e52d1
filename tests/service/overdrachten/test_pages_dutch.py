"""Dutch in the details of the transfer pages (issue 16, item 9): the redirect list by name
without one's own gemeente, the timeline in words, no stale date hint, a wait in whole
minutes with the right noun, dates in sentences."""

from __future__ import annotations

import re
from html import unescape

import pytest

from wpb.service.app import create_app
from wpb.service.components.overdrachten import tasks, transitions
from wpb.service.db import transaction

from ..helpers import TEST_PASSWORD, csv_bytes, row
from .test_pages import BSN, Browser, csrf_of, summary_of


@pytest.fixture
def app(settings, clock, sqlite_engine, sqlite_tenants):
    return create_app(settings, clock=clock, engine=sqlite_engine)


@pytest.fixture
def transfer(f, t, ctx) -> int:
    from ..helpers import deliver

    return deliver(f, t.a, ctx, [row(BSN, ontvangende="0307", agb="99000011")]).nieuwe_overdrachten[0]


def test_the_redirect_list_is_sorted_by_name_without_the_parties(app, f, t, ctx, transfer):
    with transaction(f) as session:
        transitions.reject(session, t.b, ctx, transfer, onderbouwing="woont in Zeist")
    page = Browser(app, "user-a").get(f"/overdrachten/{transfer}").text
    select = re.search(r'<select id="doorsturen-gemeente".*?</select>', page, re.S).group(0)
    options = [(code, unescape(name)) for code, name in re.findall(r'<option value="(\d{4})">([^<]*)</option>', select)]
    assert len(options) > 300
    codes = {c for c, _ in options}
    assert "0344" not in codes and "0307" not in codes  # one's own and the one that refused
    names = [n.casefold() for _, n in options]
    assert names == sorted(names)
    assert names.index("amsterdam (0363)") < names.index("zeist (0355)")


def test_timeline_labels_are_words_and_the_hint_is_not_a_stale_date(app, f, t, ctx, clock, transfer):
    clock.set(2022, 2, 1)
    with transaction(f) as session:
        transitions.accept(session, t.b, ctx, transfer)
        own = [x for x in tasks.read_tasks(session, t.b, ctx, transfer) if x["code"].startswith("ontvangende")]
        tasks.mark_task(session, t.b, ctx, transfer, own[0]["code"], True)
    page = Browser(app, "user-b").get(f"/overdrachten/{transfer}").text
    timeline = re.search(r'<ol class="tijdlijn">(.*?)</ol>', page, re.S).group(1)
    assert "<strong>Taak bijgewerkt</strong>" in timeline
    assert "<strong>Taak</strong>" not in timeline
    assert "Bijvoorbeeld 2022-01-01" not in page


def test_the_login_wait_is_in_whole_minutes(app):
    from wpb.service.auth.throttle import Backoff, LoginThrottle

    app.state.wpb.throttle = LoginThrottle(account=Backoff(2, first_delay=60, max_delay=60))
    browser = Browser(app)
    token = csrf_of(browser.get("/inloggen").text)
    for _ in range(3):
        response = browser.client.post(
            "/inloggen", data={"csrf_token": token, "gebruikersnaam": "user-a", "wachtwoord": TEST_PASSWORD + "x"})
    assert response.status_code == 429
    assert summary_of(response.text) == ["Te veel mislukte pogingen. Probeer het over 1 minuut opnieuw."]


def test_upload_reasons_write_dates_in_words(app, clock):
    clock.set(2026, 12, 7)
    browser = Browser(app, "user-a")
    check = browser.post("/aanleveren", files={"bestand": ("l.csv", csv_bytes([row(BSN, geboortedatum="2027-01-02")]), "text/csv")})
    assert "ligt na de aanleverdatum 7 december 2026" in check.text
    assert "aanleverdatum 7 december 2026" in check.text
