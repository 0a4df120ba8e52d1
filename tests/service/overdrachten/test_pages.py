"""The Dutch web pages, through HTTP as a browser uses them (httpx TestClient, no JavaScript).

What the issue and the house rules ask of the pages: a login with a session cookie; a
CSRF token that every form must carry; a municipality sees only the transfers it is party
to, a provider only its own clients, and anything else is a 404; no BSN in any URL
(search by BSN is a POST); every page that shows a youth's data writes the audit log;
form errors are shown in Dutch, above the form and beside the field, all at once.

Tenants (tests/service/helpers.py): A = Utrecht 0344, B = Amersfoort 0307, C = Zeist 0355,
providers P 99000011 and Q 99000022, the coordinator. The clock starts on 2021-10-15.
"""

from __future__ import annotations

import json
import logging
import re
from html import unescape

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from wpb.service.app import create_app
from wpb.service.audit.models import AuditRegel
from wpb.service.auth.web_session import COOKIE_NAME, SessionCodec, WebSession
from wpb.service.components.overdrachten import tasks, transitions
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.components.overdrachten.pending_uploads import PendingUploads
from wpb.service.db import transaction

from ..helpers import (
    TEST_PASSWORD,
    bsn_like,
    by_public_id,
    count,
    csv_bytes,
    deliver,
    row,
    valid_bsns,
)

BSN = "999990019"
OTHER = "999990020"
INVALID_BSN = "123456789"  # fails the 11-proef


# --- a browser-like client ------------------------------------------------------------------


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def summary_of(html: str) -> list[str]:
    """The messages of the error summary, as a person reads them."""
    block = re.search(r'<div class="foutsamenvatting".*?</div>', html, re.S)
    if not block:
        return []
    return [unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in re.findall(r"<li>(.*?)</li>", block.group(0), re.S)]


def field_errors_of(html: str) -> dict[str, str]:
    return {
        m.group(1): unescape(re.sub(r"<[^>]+>", "", m.group(2))).replace("Fout: ", "").strip()
        for m in re.finditer(r'<p class="veldfout" id="([^"]+)-fout">(.*?)</p>', html, re.S)
    }


def urls_of(html: str) -> list[str]:
    return re.findall(r'(?:href|action|src)="([^"]*)"', html)


class Browser:
    def __init__(self, app, user: str | None = None):
        self.client = TestClient(app, headers={"Accept": "text/html"}, follow_redirects=False)
        self.token = ""
        if user:
            self.login(user)

    def login(self, user: str, password: str = TEST_PASSWORD):
        page = self.client.get("/inloggen")
        response = self.client.post(
            "/inloggen",
            data={"csrf_token": csrf_of(page.text), "gebruikersnaam": user, "wachtwoord": password},
        )
        assert response.status_code == 303, response.text
        self.token = csrf_of(self.client.get("/zoeken").text)
        return response

    def get(self, path: str, **kw):
        return self.client.get(path, **kw)

    def post(self, path: str, data: dict | None = None, *, files=None, token: str | None = None):
        body = {"csrf_token": self.token if token is None else token, **(data or {})}
        if token == "":
            body.pop("csrf_token")
        return self.client.post(path, data=body, files=files)


@pytest.fixture
def app(settings, clock, sqlite_engine, sqlite_tenants):
    return create_app(settings, clock=clock, engine=sqlite_engine)


@pytest.fixture
def transfer(f, t, ctx) -> int:
    """One transfer from Utrecht (A) to Amersfoort (B), provider P, delivered 2021-10-15."""
    stored = deliver(f, t.a, ctx, [row(BSN, ontvangende="0307", agb="99000011")])
    return stored.nieuwe_overdrachten[0]


def status_of(f, overdracht_id: int) -> str:
    with transaction(f) as session:
        return by_public_id(session, Overdracht, overdracht_id).status


def audit_actions(f, bsn: str | None = None) -> list[tuple[str, str, str | None]]:
    with transaction(f) as session:
        query = select(AuditRegel).order_by(AuditRegel.id)
        if bsn:
            query = query.where(AuditRegel.bsn == bsn)
        return [(r.gebruikersnaam, r.actie, r.bsn) for r in session.scalars(query)]


# --- login and logout -----------------------------------------------------------------------


def test_login_page_is_dutch_with_labelled_fields(app):
    page = Browser(app).get("/inloggen")
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text
    for field in ("gebruikersnaam", "wachtwoord"):
        assert f'<label for="{field}">' in page.text and f'id="{field}"' in page.text
    cookie = page.headers["set-cookie"]
    assert COOKIE_NAME in cookie and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()


def test_pages_need_a_login_and_come_back_after_it(app, transfer):
    browser = Browser(app)
    response = browser.get(f"/overdrachten/{transfer}")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/inloggen?")
    assert f"volgende=%2Foverdrachten%2F{transfer}" in response.headers["location"]
    login_page = browser.get(response.headers["location"])
    after = browser.client.post(
        "/inloggen",
        data={
            "csrf_token": csrf_of(login_page.text), "gebruikersnaam": "user-b",
            "wachtwoord": TEST_PASSWORD, "volgende": f"/overdrachten/{transfer}",
        },
    )
    assert after.headers["location"] == f"/overdrachten/{transfer}"


def test_login_does_not_redirect_to_another_site(app):
    browser = Browser(app)
    page = browser.get("/inloggen?volgende=//evil.example/")
    after = browser.client.post(
        "/inloggen",
        data={"csrf_token": csrf_of(page.text), "gebruikersnaam": "user-a",
              "wachtwoord": TEST_PASSWORD, "volgende": "//evil.example/"},
    )
    assert after.headers["location"] == "/overdrachten/inkomend"


def test_wrong_password_is_refused_in_dutch(app):
    browser = Browser(app)
    page = browser.get("/inloggen")
    response = browser.client.post(
        "/inloggen",
        data={"csrf_token": csrf_of(page.text), "gebruikersnaam": "user-a", "wachtwoord": "fout-fout-fout"},
    )
    assert response.status_code == 401
    assert summary_of(response.text) == ["De gebruikersnaam of het wachtwoord klopt niet."]
    assert 'value="user-a"' in response.text  # what was typed stays
    assert browser.get("/overdrachten/inkomend").status_code == 303  # still not logged in


def test_empty_login_fields_are_each_named(app):
    browser = Browser(app)
    page = browser.get("/inloggen")
    response = browser.client.post("/inloggen", data={"csrf_token": csrf_of(page.text)})
    assert response.status_code == 400
    assert summary_of(response.text) == ["Vul uw gebruikersnaam in", "Vul uw wachtwoord in"]
    assert field_errors_of(response.text) == {
        "gebruikersnaam": "Vul uw gebruikersnaam in", "wachtwoord": "Vul uw wachtwoord in",
    }
    assert response.text.count('aria-invalid="true"') == 2
    assert "<title>Fout: " in response.text


def test_login_without_csrf_token_is_refused(app):
    browser = Browser(app)
    browser.get("/inloggen")
    response = browser.client.post(
        "/inloggen", data={"gebruikersnaam": "user-a", "wachtwoord": TEST_PASSWORD}
    )
    assert response.status_code == 403
    assert "beveiligingscode" in response.text
    assert browser.get("/overdrachten/inkomend").status_code == 303


def test_login_renews_the_csrf_token(app):
    browser = Browser(app)
    before = csrf_of(browser.get("/inloggen").text)
    browser.login("user-a")
    assert browser.token != before


def test_repeated_failures_are_throttled(app):
    from wpb.service.auth.throttle import Backoff, LoginThrottle

    app.state.wpb.throttle = LoginThrottle(account=Backoff(2, first_delay=60, max_delay=60))
    browser = Browser(app)
    token = csrf_of(browser.get("/inloggen").text)
    for _ in range(2):
        browser.client.post("/inloggen", data={"csrf_token": token, "gebruikersnaam": "user-a", "wachtwoord": "x"})
    response = browser.client.post(
        "/inloggen", data={"csrf_token": token, "gebruikersnaam": "user-a", "wachtwoord": TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in summary_of(response.text)[0]


def test_logout_ends_the_session(app):
    browser = Browser(app, "user-a")
    assert browser.get("/overdrachten/inkomend").status_code == 200
    assert browser.get("/uitloggen").status_code == 200  # a confirmation form
    response = browser.post("/uitloggen")
    assert response.status_code == 303 and response.headers["location"] == "/uitgelogd"
    assert browser.get("/uitgelogd").status_code == 200
    assert browser.get("/overdrachten/inkomend").status_code == 303


def test_a_tampered_session_cookie_is_no_session(app):
    browser = Browser(app, "user-a")
    cookie = browser.client.cookies[COOKIE_NAME]
    browser.client.cookies.set(COOKIE_NAME, cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB"))
    assert browser.get("/overdrachten/inkomend").status_code == 303


def test_a_session_cookie_for_another_user_cannot_be_forged():
    ours = SessionCodec("sleutel")
    theirs = SessionCodec("andere-sleutel")
    assert ours.load(theirs.dump(WebSession(csrf="x", gebruiker_id=1))) is None
    assert ours.load(ours.dump(WebSession(csrf="x", gebruiker_id=1))) == WebSession("x", 1)


def test_a_session_expires(monkeypatch):
    codec = SessionCodec("sleutel", max_age=60)
    cookie = codec.dump(WebSession(csrf="x", gebruiker_id=1))
    import itsdangerous.timed

    real = itsdangerous.timed.TimestampSigner.get_timestamp
    monkeypatch.setattr(
        itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: real(self) + 61
    )
    assert codec.load(cookie) is None


# --- each page for the right role; 404 for others -------------------------------------------


PAGES_PER_ROLE = {
    "user-a": [  # the latende gemeente
        "/overdrachten/uitgaand", "/overdrachten/inkomend", "/aanleveren", "/taken", "/overzicht",
        "/zoeken", "/overdrachten/{id}", "/uitloggen",
    ],
    "user-b": ["/overdrachten/inkomend", "/overdrachten/{id}", "/taken"],  # the ontvangende
    "user-p": ["/overdrachten", "/overdrachten/{id}", "/taken", "/overzicht", "/zoeken"],
    "user-coordinator": ["/overdrachten", "/overdrachten/{id}", "/taken", "/overzicht"],
}


@pytest.mark.parametrize("user", PAGES_PER_ROLE)
def test_each_page_renders_for_its_role(app, transfer, user):
    browser = Browser(app, user)
    for path in PAGES_PER_ROLE[user]:
        response = browser.get(path.format(id=transfer))
        assert response.status_code == 200, (path, response.text)
        assert '<html lang="nl">' in response.text
        assert '<main id="inhoud"' in response.text


NOT_FOR_ROLE = {
    "user-c": ["/overdrachten/{id}"],  # a municipality that is no party
    "user-q": ["/overdrachten/{id}"],  # a provider without a line in it
    "user-p": [  # providers have no incoming or outgoing lists and deliver nothing
        "/overdrachten/inkomend", "/overdrachten/uitgaand", "/aanleveren",
        "/overdrachten/download?lijst=inkomend",
    ],
    "user-coordinator": ["/overdrachten/inkomend", "/aanleveren"],
    "user-a": [  # does not exist: the same answer
        "/overdrachten/99999", "/overdrachten/0", "/overdrachten/download?lijst=elders",
    ],
}


@pytest.mark.parametrize("user", NOT_FOR_ROLE)
def test_anything_else_is_404(app, transfer, user):
    browser = Browser(app, user)
    for path in NOT_FOR_ROLE[user]:
        response = browser.get(path.format(id=transfer))
        assert response.status_code == 404, path
        assert "bestaat niet, of u heeft er geen toegang toe" in response.text
        assert BSN not in response.text


def test_invisible_and_missing_transfers_get_the_same_page(app, transfer):
    browser = Browser(app, "user-c")
    invisible = browser.get(f"/overdrachten/{transfer}").text
    missing = browser.get("/overdrachten/99999").text
    assert invisible == missing


def test_actions_on_an_invisible_transfer_are_404_and_change_nothing(app, f, transfer):
    browser = Browser(app, "user-c")
    for action, data in [
        ("accepteren", {}),
        ("afwijzen", {"onderbouwing": "niet van ons"}),
        ("afronden", {"toewijzingIngangsdatum": "2022-01-01", "toewijzingReferentie": "X"}),
        ("woonplaatstoets", {}),
    ]:
        assert browser.post(f"/overdrachten/{transfer}/{action}", data).status_code == 404
    assert status_of(f, transfer) == "aangeleverd"


def test_a_provider_sees_only_its_own_lines(app, f, t, ctx):
    [oid] = deliver(f, t.a, ctx, [row(BSN, agb="99000011", product="Pleegzorg"),
                                  row(BSN, agb="99000022", product="Dagbehandeling")]).nieuwe_overdrachten
    page = Browser(app, "user-p").get(f"/overdrachten/{oid}").text
    assert "Pleegzorg" in page and "99000011" in page
    assert "Dagbehandeling" not in page and "99000022" not in page


def test_unknown_url_is_an_html_page_for_a_browser_and_a_problem_for_a_program(app):
    browser = Browser(app, "user-a")
    page = browser.get("/bestaat-niet")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    program = browser.get("/bestaat-niet", headers={"Accept": "application/json"})
    assert program.status_code == 404
    assert program.headers["content-type"].startswith("application/problem+json")


def test_an_unexpected_error_is_a_plain_page_and_logs_no_personal_data(app, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError(f"kapot bij {BSN}")

    monkeypatch.setattr(tasks, "overview", broken)
    with caplog.at_level(logging.ERROR, logger="wpb.service.pages"):
        response = Browser(app, "user-a").get("/overzicht")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.text and BSN not in response.text
    assert "RuntimeError" in caplog.text and BSN not in caplog.text


def test_the_api_still_answers_problem_json(app):
    response = TestClient(app).get("/api/v1/overdrachten")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


# --- CSRF on every form ---------------------------------------------------------------------


@pytest.mark.parametrize("token", ["", "verkeerd-token"])
def test_post_without_the_right_csrf_token_is_refused(app, f, transfer, token):
    browser = Browser(app, "user-b")
    response = browser.post(f"/overdrachten/{transfer}/accepteren", {"bevestigd": "ja"}, token=token)
    assert response.status_code == 403
    assert "Er is niets gewijzigd" in response.text
    assert status_of(f, transfer) == "aangeleverd"


def test_every_form_carries_the_csrf_token(app, transfer):
    browser = Browser(app, "user-b")
    for path in (f"/overdrachten/{transfer}", "/zoeken", "/taken", "/overdrachten/inkomend"):
        html = browser.get(path).text
        for form in re.findall(r"<form[^>]*>.*?</form>", html, re.S):
            if 'method="post"' in form:
                assert f'name="csrf_token" value="{browser.token}"' in form, form[:200]


def test_upload_without_csrf_token_stores_nothing(app, f):
    browser = Browser(app, "user-a")
    response = browser.post(
        "/aanleveren", token="", files={"bestand": ("levering.csv", csv_bytes([row()]), "text/csv")}
    )
    assert response.status_code == 403
    assert count(f, AuditRegel, AuditRegel.actie == "aanlevering.controleren") == 0


def test_a_post_without_session_goes_to_login(app, transfer):
    response = Browser(app).post(f"/overdrachten/{transfer}/accepteren", {"bevestigd": "ja"}, token="x")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/inloggen")


# --- accept, reject, afronden, doorsturen ---------------------------------------------------


def test_accept(app, f, transfer):
    browser = Browser(app, "user-b")
    page = browser.get(f"/overdrachten/{transfer}").text
    assert "Overdracht accepteren" in page and "Overdracht afwijzen" in page
    response = browser.post(f"/overdrachten/{transfer}/accepteren", {"bevestigd": "ja", "versie": "1"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/overdrachten/{transfer}?melding=geaccepteerd"
    after = browser.get(response.headers["location"]).text
    assert "De overdracht is geaccepteerd." in after
    assert status_of(f, transfer) == "geaccepteerd"
    assert ("user-b", "overdracht.accepteren", BSN) in audit_actions(f)


def test_the_latende_gemeente_has_no_accept_button_and_cannot_accept(app, f, transfer):
    browser = Browser(app, "user-a")
    assert "Overdracht accepteren" not in browser.get(f"/overdrachten/{transfer}").text
    response = browser.post(f"/overdrachten/{transfer}/accepteren", {"bevestigd": "ja"})
    assert response.status_code == 403
    assert summary_of(response.text) == [
        "Alleen de ontvangende gemeente kan deze overdracht accepteren."
    ]
    assert status_of(f, transfer) == "aangeleverd"


def test_acting_on_a_stale_page_is_a_conflict(app, f, t, ctx, transfer):
    browser = Browser(app, "user-b")
    with transaction(f) as session:
        transitions.accept(session, t.b, ctx, transfer)
    response = browser.post(f"/overdrachten/{transfer}/afwijzen", {"bevestigd": "ja", "versie": "1", "onderbouwing": "x"})
    assert response.status_code == 409
    assert "is gewijzigd sinds u hem bekeek" in summary_of(response.text)[0]
    assert status_of(f, transfer) == "geaccepteerd"


def test_reject_needs_an_onderbouwing(app, f, transfer):
    browser = Browser(app, "user-b")
    response = browser.post(f"/overdrachten/{transfer}/afwijzen", {"bevestigd": "ja", "versie": "1", "onderbouwing": "  "})
    assert response.status_code == 400
    message = (
        "Geef een onderbouwing van de afwijzing, of gebruik de vastgelegde woonplaatsbeslissing"
    )
    assert summary_of(response.text) == [message]
    assert field_errors_of(response.text) == {"onderbouwing": message}
    assert '<a href="#onderbouwing">' in response.text
    assert 'id="onderbouwing" name="onderbouwing" rows="5" aria-describedby="onderbouwing-hint onderbouwing-fout" aria-invalid="true"' in response.text
    assert status_of(f, transfer) == "aangeleverd"

    response = browser.post(
        f"/overdrachten/{transfer}/afwijzen",
        {"bevestigd": "ja", "versie": "1", "onderbouwing": "De jeugdige woonde voor de opname in Zeist."},
    )
    assert response.status_code == 303
    page = browser.get(response.headers["location"]).text
    assert "De jeugdige woonde voor de opname in Zeist." in page
    assert status_of(f, transfer) == "afgewezen"


def test_reject_keeps_what_was_typed_when_refused(app, transfer):
    browser = Browser(app, "user-b")
    long_text = "x" * (transitions.MAX_ONDERBOUWING + 1)
    response = browser.post(f"/overdrachten/{transfer}/afwijzen", {"bevestigd": "ja", "onderbouwing": long_text})
    assert response.status_code == 400
    assert summary_of(response.text) == [f"Onderbouwing: langer dan {transitions.MAX_ONDERBOUWING} tekens"]
    assert long_text in response.text


def test_afronden_lists_every_missing_field_at_once(app, f, t, ctx, transfer):
    with transaction(f) as session:
        transitions.accept(session, t.b, ctx, transfer)
    browser = Browser(app, "user-b")
    response = browser.post(f"/overdrachten/{transfer}/afronden", {"bevestigd": "ja", })
    assert response.status_code == 400
    assert summary_of(response.text) == [
        "Vul de ingangsdatum van de nieuwe toewijzing in",
        "Vul de referentie van de nieuwe toewijzing in",
    ]
    assert status_of(f, transfer) == "geaccepteerd"


def test_afronden_with_an_impossible_date_says_so_and_keeps_the_reference(app, f, t, ctx, transfer):
    with transaction(f) as session:
        transitions.accept(session, t.b, ctx, transfer)
    browser = Browser(app, "user-b")
    response = browser.post(
        f"/overdrachten/{transfer}/afronden",
        {"bevestigd": "ja", "toewijzingIngangsdatum": "31-02-2022", "toewijzingReferentie": "TW-1"},
    )
    assert response.status_code == 400
    assert summary_of(response.text) == [
        "Ingangsdatum nieuwe toewijzing: geen geldige datum (JJJJ-MM-DD of DD-MM-JJJJ)"
    ]
    assert 'value="TW-1"' in response.text
    assert status_of(f, transfer) == "geaccepteerd"


def test_afronden(app, f, t, ctx, transfer):
    with transaction(f) as session:
        transitions.accept(session, t.b, ctx, transfer)
    browser = Browser(app, "user-b")
    response = browser.post(
        f"/overdrachten/{transfer}/afronden",
        {"bevestigd": "ja", "toewijzingIngangsdatum": "2022-01-01", "toewijzingReferentie": "TW-2022-7"},
    )
    assert response.status_code == 303
    page = browser.get(response.headers["location"]).text
    assert "De overdracht is afgerond gemeld." in page
    assert "TW-2022-7, met ingang van 1 januari 2022" in page
    assert status_of(f, transfer) == "afgerond"


def test_doorsturen_after_rejection(app, f, t, ctx, transfer):
    with transaction(f) as session:
        transitions.reject(session, t.b, ctx, transfer, onderbouwing="woont in Zeist")
    browser = Browser(app, "user-a")
    page = browser.get(f"/overdrachten/{transfer}").text
    assert 'id="doorsturen-gemeente"' in page and '<option value="0355">Zeist (0355)</option>' in page
    empty = browser.post(f"/overdrachten/{transfer}/doorsturen", {"bevestigd": "ja", "gemeente": ""})
    assert empty.status_code == 400
    assert summary_of(empty.text) == ["Kies de gemeente waarnaar u de overdracht doorstuurt"]
    response = browser.post(f"/overdrachten/{transfer}/doorsturen", {"bevestigd": "ja", "gemeente": "0355"})
    assert response.status_code == 303
    new_id = re.search(r"/overdrachten/([0-9a-f-]{36})\?melding=doorgestuurd", response.headers["location"]).group(1)
    assert new_id != transfer
    with transaction(f) as session:
        new = by_public_id(session, Overdracht, new_id)
        assert (new.ontvangende_gemeente, new.status, new.vorige_id) == ("0355", "aangeleverd",
                                                                   by_public_id(session, Overdracht, transfer).id)
    assert status_of(f, transfer) == "doorgestuurd"
    assert Browser(app, "user-c").get(f"/overdrachten/{new_id}").status_code == 200


# --- woonplaatstoets as onderbouwing --------------------------------------------------------


def _historie(*periods: tuple[str, str, str | None]) -> dict:
    """A Haal Centraal verblijfplaatshistorie answer: (gemeente, datumVan, datumTot)."""
    def datum(d):
        return {"type": "Datum", "datum": d}

    return {
        "verblijfplaatsen": [
            {"type": "Adres", "gemeenteVanInschrijving": {"code": code}, "datumVan": datum(van),
             **({"datumTot": datum(tot)} if tot else {})}
            for code, van, tot in periods
        ]
    }


def test_woonplaatstoets_is_run_and_stored_as_onderbouwing(app, f, transfer):
    browser = Browser(app, "user-b")
    document = _historie(("0355", "2015-01-01", None), ("0344", "2010-05-01", "2015-01-01"))
    response = browser.post(
        f"/overdrachten/{transfer}/brp-document",
        files={"document": ("brp.json", json.dumps(document).encode(), "application/json")},
    )
    assert response.status_code == 303, response.text
    assert "De BRP-gegevens zijn aan de overdracht gekoppeld." in browser.get(response.headers["location"]).text

    response = browser.post(f"/overdrachten/{transfer}/woonplaatstoets", {"peildatum": "2022-02-01"})
    assert response.status_code == 303, response.text
    page = browser.get(response.headers["location"]).text
    assert "Vastgelegde woonplaatsbeslissing" in page
    decision = re.search(r'<div class="beslissing">.*?</div>', page, re.S).group(0)
    assert "<dt>Uitkomst</dt><dd>Bepaald</dd>" in decision
    assert "<dt>Verantwoordelijke gemeente</dt><dd>Zeist (0355)</dd>" in decision
    assert "Sla de woonplaatsbeslissing van 1 februari 2022 op als onderbouwing" in page

    response = browser.post(
        f"/overdrachten/{transfer}/afwijzen", {"bevestigd": "ja", "gebruikWoonplaatsbeslissing": "ja"}
    )
    assert response.status_code == 303, response.text
    with transaction(f) as session:
        o = by_public_id(session, Overdracht, transfer)
        assert o.status == "afgewezen"
        assert o.onderbouwing.startswith("Woonplaatsbeslissing: ")
        assert json.loads(o.onderbouwing_beslissing)["gemeente"]["code"] == "0355"
    actions = [a for _, a, _ in audit_actions(f, BSN)]
    assert "brp.koppelen" in actions and "woonplaats.bepalen" in actions


def brp_app(settings, clock, sqlite_engine, answer: httpx.Response):
    configured = settings.with_(brp_base_url="https://brp.example/haalcentraal/api/brphistorie")
    return create_app(
        configured, clock=clock, engine=sqlite_engine,
        brp_transport=httpx.MockTransport(lambda request: answer),
    )


def test_brp_data_fetched_from_the_configured_brp(settings, clock, sqlite_engine, f, transfer):
    historie = _historie(("0307", "2015-01-01", None))
    app = brp_app(settings, clock, sqlite_engine, httpx.Response(200, json=historie))
    browser = Browser(app, "user-b")
    assert "BRP-gegevens ophalen" in browser.get(f"/overdrachten/{transfer}").text
    response = browser.post(f"/overdrachten/{transfer}/brp-ophalen")
    assert response.status_code == 303, response.text
    assert "opgehaald bij de BRP" in browser.get(response.headers["location"]).text
    assert "brp.opvragen" in [a for _, a, _ in audit_actions(f, BSN)]


def test_a_failing_brp_is_explained_on_the_page(settings, clock, sqlite_engine, transfer):
    app = brp_app(settings, clock, sqlite_engine, httpx.Response(503, text="onderhoud"))
    response = Browser(app, "user-b").post(f"/overdrachten/{transfer}/brp-ophalen")
    assert response.status_code == 502
    assert summary_of(response.text) == ["De BRP antwoordde met status 503."]


def test_no_brp_button_when_no_brp_is_configured(app, transfer):
    assert "BRP-gegevens ophalen" not in Browser(app, "user-b").get(f"/overdrachten/{transfer}").text


def test_a_brp_document_that_is_no_json_is_refused_in_dutch(app, f, transfer):
    browser = Browser(app, "user-b")
    response = browser.post(
        f"/overdrachten/{transfer}/brp-document",
        files={"document": ("brp.json", b"{niet: json", "application/json")},
    )
    assert response.status_code == 400
    assert summary_of(response.text) == ["BRP-document: geen geldig JSON-document"]
    assert '<a href="#brp-document">' in response.text


def test_a_brp_document_of_another_youth_is_refused(app, transfer):
    browser = Browser(app, "user-b")
    document = {"jeugdige": {"burgerservicenummer": OTHER}}
    response = browser.post(
        f"/overdrachten/{transfer}/brp-document",
        files={"document": ("brp.json", json.dumps(document).encode(), "application/json")},
    )
    assert response.status_code == 400
    assert "hoort bij een andere jeugdige dan deze overdracht" in summary_of(response.text)[0]


def test_no_woonplaatstoets_without_brp_data(app, transfer):
    browser = Browser(app, "user-b")
    assert "Woonplaatstoets uitvoeren</button>" not in browser.get(f"/overdrachten/{transfer}").text
    response = browser.post(f"/overdrachten/{transfer}/woonplaatstoets", {})
    assert response.status_code == 400
    assert "koppel eerst een BRP-document" in summary_of(response.text)[0]


def test_providers_see_no_brp_section(app, transfer):
    page = Browser(app, "user-p").get(f"/overdrachten/{transfer}").text
    assert 'id="woonplaatstoets"' not in page


# --- upload with the row-by-row check and the confirmation ---------------------------------


def upload(browser: Browser, content: bytes, name: str = "levering.csv"):
    return browser.post("/aanleveren", files={"bestand": (name, content, "text/csv")})


def test_upload_shows_every_rejected_row_and_stores_only_after_confirmation(app, f):
    browser = Browser(app, "user-a")
    content = csv_bytes([row(BSN), row(INVALID_BSN), row(OTHER, ontvangende="9999")])
    check = upload(browser, content)
    assert check.status_code == 200
    rows = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td></tr>", check.text)
    assert [(int(r), k) for r, k, _ in rows] == [(3, "bsn"), (4, "ontvangende_gemeente")]
    assert "geen geldig BSN" in rows[0][2]
    assert "onbekende gemeentecode" in rows[1][2]
    assert "Alleen de geldige regels opslaan" in check.text
    assert count(f, Overdracht) == 0  # nothing stored by the check

    key = re.search(r'name="aanlevering" value="([^"]+)"', check.text).group(1)
    controle = re.search(r'name="controle" value="([^"]+)"', check.text).group(1)
    stored = browser.post("/aanleveren/bevestigen", {"aanlevering": key, "controle": controle})
    assert stored.status_code == 200
    assert "Aanlevering opgeslagen" in stored.text
    assert "1 regel opgeslagen uit levering.csv; 2 afgewezen regels niet" in stored.text
    with transaction(f) as session:
        (o,) = session.scalars(select(Overdracht)).all()
        assert (o.bsn, o.ontvangende_gemeente) == (BSN, "0307")
    assert f'href="/overdrachten/{o.publiek_id}"' in stored.text

    again = browser.post("/aanleveren/bevestigen", {"aanlevering": key, "controle": controle})
    assert again.status_code == 409
    assert "verlopen of al gebruikt" in summary_of(again.text)[0]
    assert count(f, Overdracht) == 1


def test_a_confirmation_cannot_be_used_by_another_user(app, f):
    a = Browser(app, "user-a")
    check = upload(a, csv_bytes([row(BSN)]))
    key = re.search(r'name="aanlevering" value="([^"]+)"', check.text).group(1)
    controle = re.search(r'name="controle" value="([^"]+)"', check.text).group(1)
    c = Browser(app, "user-c")
    response = c.post("/aanleveren/bevestigen", {"aanlevering": key, "controle": controle})
    assert response.status_code == 409
    assert count(f, Overdracht) == 0


def test_a_file_without_valid_rows_cannot_be_confirmed(app):
    check = upload(Browser(app, "user-a"), csv_bytes([row(INVALID_BSN)]))
    assert check.status_code == 200
    assert "Het bestand heeft geen geldige regels" in check.text
    assert 'action="/aanleveren/bevestigen"' not in check.text


def test_upload_without_a_file(app):
    response = Browser(app, "user-a").post("/aanleveren", {})
    assert response.status_code == 400
    assert summary_of(response.text) == ["Kies een CSV- of XLSX-bestand"]
    assert field_errors_of(response.text) == {"bestand": "Kies een CSV- of XLSX-bestand"}


def test_upload_with_missing_columns_names_each_of_them(app):
    content = b"bsn;geboortedatum\n999990019;2010-05-01\n"
    response = upload(Browser(app, "user-a"), content)
    assert response.status_code == 400
    assert summary_of(response.text) == [
        f"Kolom {c}: kolom ontbreekt in de kopregel"
        for c in ("ontvangende_gemeente", "aanbieder_agb", "product", "toewijzing_einddatum")
    ]
    assert "De kopregel van het bestand mist kolommen" in response.text


def test_an_upload_page_for_a_later_aanlevering_adds_to_the_open_transfer(app, f, clock, transfer):
    clock.set(2021, 11, 20)
    browser = Browser(app, "user-a")
    check = upload(browser, csv_bytes([row(BSN, ontvangende="0307", agb="99000022")]))
    assert f"aanvulling op overdracht {transfer}" in check.text


# --- search by BSN: a POST, and no BSN in any URL -------------------------------------------


def test_search_by_bsn_is_a_post_and_audited(app, f, transfer):
    browser = Browser(app, "user-b")
    response = browser.post("/zoeken", {"bsn": BSN})
    assert response.status_code == 200
    assert f'href="/overdrachten/{transfer}"' in response.text
    assert ("user-b", "overdracht.zoeken", BSN) in audit_actions(f)
    # A BSN in the query string is not a search.
    assert f"/overdrachten/{transfer}" not in browser.get(f"/zoeken?bsn={BSN}").text


def test_search_finds_nothing_outside_the_tenant(app, transfer):
    response = Browser(app, "user-c").post("/zoeken", {"bsn": BSN})
    assert response.status_code == 200
    assert "Geen overdrachten gevonden" in response.text
    assert f"/overdrachten/{transfer}" not in response.text


def test_search_with_an_invalid_bsn_says_why_in_dutch(app):
    response = Browser(app, "user-a").post("/zoeken", {"bsn": INVALID_BSN})
    assert response.status_code == 400
    (message,) = summary_of(response.text)
    assert message.startswith("BSN: ")
    assert "11-proef" in message or "elfproef" in message


def test_no_page_puts_a_bsn_in_a_url(app, f, t, ctx, transfer, clock):
    clock.set(2022, 2, 1)
    browser = Browser(app, "user-a")
    pages = [
        "/overdrachten/uitgaand", f"/overdrachten/{transfer}", "/taken?welke=alle", "/overzicht",
    ]
    htmls = [browser.get(p).text for p in pages]
    htmls.append(browser.post("/zoeken", {"bsn": BSN}).text)
    htmls.append(upload(browser, csv_bytes([row(OTHER)])).text)
    assert all(BSN in h for h in htmls[:3] + htmls[4:5]) and OTHER in htmls[5]  # data shown ...
    for html in htmls:
        for url in urls_of(html):
            assert not bsn_like(url), url  # ... but never in a link or form target


# --- audit of every page that shows youth data ----------------------------------------------


def test_pages_with_youth_data_write_the_audit_log(app, f, transfer, clock):
    clock.set(2022, 2, 1)
    browser = Browser(app, "user-b")
    before = len(audit_actions(f, BSN))
    browser.get("/overdrachten/inkomend")
    browser.get(f"/overdrachten/{transfer}")
    browser.get(f"/overdrachten/{transfer}?peildatum=2022-03-01")
    browser.get("/taken?welke=alle")
    browser.get("/overdrachten/download?lijst=inkomend&formaat=csv")
    actions = [(u, a) for u, a, _ in audit_actions(f, BSN)][before:]
    assert actions == [
        ("user-b", "overdracht.lijst"),
        ("user-b", "overdracht.lezen"),
        ("user-b", "overdracht.lezen"),
        ("user-b", "overdracht.verantwoordelijkheid"),
        ("user-b", "taken.lijst"),
        ("user-b", "overdracht.download"),
    ]


def test_the_overview_shows_counts_only_and_is_not_audited_per_youth(app, f, transfer):
    before = len(audit_actions(f))
    page = Browser(app, "user-a").get("/overzicht").text
    assert BSN not in page
    assert len(audit_actions(f)) == before


# --- lists and their filters ----------------------------------------------------------------


@pytest.fixture
def several(f, t, ctx, clock) -> dict[str, int]:
    """Incoming for Amersfoort (B): from Utrecht on 10-15 and 11-05, from Zeist on 11-05."""
    bsns = valid_bsns(3)
    first = deliver(f, t.a, ctx, [row(bsns[0], ontvangende="0307")]).nieuwe_overdrachten[0]
    clock.set(2021, 11, 5)
    second = deliver(f, t.a, ctx, [row(bsns[1], ontvangende="0307")]).nieuwe_overdrachten[0]
    third = deliver(f, t.c, ctx, [row(bsns[2], ontvangende="0307")]).nieuwe_overdrachten[0]
    with transaction(f) as session:
        transitions.accept(session, t.b, ctx, second)
    return {"first": first, "second": second, "third": third}


def listed(html: str) -> set[str]:
    return set(re.findall(r'<a href="/overdrachten/([0-9a-f-]{36})">Overdracht', html))


def test_incoming_and_outgoing_lists(app, several):
    b = Browser(app, "user-b")
    assert listed(b.get("/overdrachten/inkomend").text) == set(several.values())
    assert listed(b.get("/overdrachten/uitgaand").text) == set()
    a = Browser(app, "user-a")
    assert listed(a.get("/overdrachten/uitgaand").text) == {several["first"], several["second"]}
    assert listed(a.get("/overdrachten/inkomend").text) == set()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("status=geaccepteerd", {"second"}),
        ("status=aangeleverd", {"first", "third"}),
        ("status=aangeleverd&status=geaccepteerd", {"first", "second", "third"}),
        ("gemeente=0344", {"first", "second"}),
        ("gemeente=0355", {"third"}),
        ("van=2021-11-01", {"second", "third"}),
        ("tot=2021-10-31", {"first"}),
        ("van=2021-11-05&tot=2021-11-05&gemeente=0344", {"second"}),
    ],
)
def test_list_filters(app, several, query, expected):
    page = Browser(app, "user-b").get(f"/overdrachten/inkomend?{query}")
    assert page.status_code == 200
    assert listed(page.text) == {several[k] for k in expected}


def test_the_gemeente_filter_offers_the_other_parties(app, several):
    page = Browser(app, "user-b").get("/overdrachten/inkomend").text
    options = re.findall(r'<option value="(\d{4})"', page)
    assert options == ["0344", "0355"]


@pytest.mark.parametrize(
    "query, message",
    [
        ("van=gisteren", "Aanleverdatum vanaf: geen geldige datum (JJJJ-MM-DD of DD-MM-JJJJ)"),
        ("van=2021-12-01&tot=2021-11-01", "Aanleverdatum tot en met: ligt vóór de datum 'aanleverdatum vanaf'"),
        ("status=zoek", "Status: onbekende status"),
        ("gemeente=abc", "Gemeente: geen gemeentecode van 4 cijfers"),
    ],
)
def test_bad_filters_are_explained_in_dutch(app, several, query, message):
    page = Browser(app, "user-b").get(f"/overdrachten/inkomend?{query}")
    assert page.status_code == 400
    assert summary_of(page.text) == [message]
    assert listed(page.text) == set()


def test_download_follows_the_filters_and_has_the_aanleverdatum(app, several):
    response = Browser(app, "user-b").get("/overdrachten/download?lijst=inkomend&formaat=csv&gemeente=0355")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].split(";")[:3] == ["overdracht_id", "status", "aanleverdatum"]
    assert [line.split(";")[0] for line in lines[1:]] == [str(several["third"])]
    assert lines[1].split(";")[2] == "2021-11-05"


def test_a_provider_lists_only_its_clients(app, f, t, ctx):
    bsns = valid_bsns(2)
    deliver(f, t.a, ctx, [row(bsns[0], agb="99000011"), row(bsns[1], agb="99000022")])
    page = Browser(app, "user-q").get("/overdrachten").text
    assert bsns[1] in page and bsns[0] not in page


def test_list_pages_through_many_transfers(app, f, t, ctx):
    bsns = valid_bsns(52)
    deliver(f, t.a, ctx, [row(b) for b in bsns[:45]])
    deliver(f, t.a, ctx, [row(b) for b in bsns[45:]])
    browser = Browser(app, "user-b")
    first = browser.get("/overdrachten/inkomend?status=aangeleverd")
    assert "pagina 1 van 2" in first.text and len(listed(first.text)) == 50
    link = re.search(r'href="(/overdrachten/inkomend\?[^"]*pagina=2)"', first.text).group(1)
    second = browser.get(unescape(link))
    assert len(listed(second.text)) == 2
    assert listed(first.text).isdisjoint(listed(second.text))


# --- tasks and overview ---------------------------------------------------------------------


def test_overdue_tasks_are_marked_and_can_be_marked_done(app, f, transfer, clock):
    clock.set(2022, 2, 1)
    browser = Browser(app, "user-b")
    page = browser.get("/taken?welke=alle")
    assert page.status_code == 200
    assert "Als ontvangende gemeente" in page.text
    overdue = re.findall(r'<tr class="rij-te-laat">.*?</tr>', page.text, re.S)
    assert overdue and all("Te laat" in r for r in overdue)
    assert "taken zijn te laat" in page.text or "taak is te laat" in page.text
    code = re.search(
        rf'action="/overdrachten/{transfer}/taken/(ontvangende\.[a-z_.]+)"', overdue[0]
    ).group(1)
    response = browser.post(f"/overdrachten/{transfer}/taken/{code}", {"gedaan": "ja", "terug": "taken"})
    assert response.status_code == 303 and response.headers["location"] == "/taken?melding=taak-gedaan"
    after = browser.get("/taken?welke=alle").text
    assert len(re.findall(r'<tr class="rij-te-laat">', after)) == len(overdue) - 1


def test_a_party_cannot_mark_another_partys_task(app, f, transfer, clock):
    clock.set(2022, 2, 1)
    browser = Browser(app, "user-a")  # the latende gemeente
    response = browser.post(f"/overdrachten/{transfer}/taken/ontvangende.accepteren", {"gedaan": "ja"})
    assert response.status_code == 403
    assert summary_of(response.text) == ["Alleen de partij van deze taak kan hem afvinken."]


def test_provider_tasks_page(app, transfer, clock):
    clock.set(2022, 2, 1)
    page = Browser(app, "user-p").get("/taken?welke=alle").text
    assert "Als aanbieder" in page
    assert "Als ontvangende gemeente" not in page


def test_overview_counts_per_gemeente(app, several):
    page = Browser(app, "user-b").get("/overzicht").text
    group = re.search(r'<th scope="rowgroup" rowspan="2">Amersfoort \(0307\)</th>(.*?)</tbody>', page, re.S).group(1)
    incoming, outgoing = re.findall(r'<th scope="row">(?:Inkomend|Uitgaand)</th>(.*?)</tr>', group, re.S)
    def cells(html):
        return [int(c) for c in re.findall(r"<td[^>]*>(\d+)", html)]
    # aangeleverd, geaccepteerd, afgewezen, afgerond, doorgestuurd, ingetrokken, teruggenomen
    # (+ taken te laat on the first row)
    assert cells(incoming)[:7] == [2, 1, 0, 0, 0, 0, 0]
    assert cells(outgoing) == [0, 0, 0, 0, 0, 0, 0]


def test_detail_shows_the_responsibility_timeline(app, f, t, ctx, clock):
    stored = deliver(f, t.a, ctx, [row(BSN)])  # delivered 2021-10-15: onderdeel A
    transfer = stored.nieuwe_overdrachten[0]
    clock.set(2022, 2, 1)
    page = Browser(app, "user-a").get(f"/overdrachten/{transfer}").text
    assert "Op 1 februari 2022: <strong>Amersfoort (0307)</strong> (ontvangende gemeente)" in page
    assert "Onderdeel A" in page
    timeline = re.search(r"<caption>Verantwoordelijkheid volgens.*?</table>", page, re.S).group(0)
    assert "1 januari 2022" in timeline and "doorlopend" in timeline


def test_responsibility_on_a_chosen_date(app, f, t, ctx, clock):
    stored = deliver(f, t.a, ctx, [row(BSN)])
    transfer = stored.nieuwe_overdrachten[0]
    page = Browser(app, "user-a").get(f"/overdrachten/{transfer}?peildatum=2021-12-01").text
    assert "Op 1 december 2021: <strong>Utrecht (0344)</strong> (latende gemeente)" in page


def test_the_detail_timeline_lists_status_changes(app, f, t, ctx, transfer):
    with transaction(f) as session:
        transitions.accept(session, t.b, ctx, transfer)
    page = Browser(app, "user-a").get(f"/overdrachten/{transfer}").text
    timeline = re.search(r'<ol class="tijdlijn">.*?</ol>', page, re.S).group(0)
    assert "<strong>Aangeleverd</strong> door Utrecht (0344)" in timeline
    assert "Aangeleverd → <strong>Geaccepteerd</strong> door Amersfoort (0307)" in timeline
    assert "15 oktober 2021, 14:00" in timeline  # 12:00 UTC is 14:00 in Amsterdam (CEST)


# --- the store of checked uploads -----------------------------------------------------------


def test_pending_uploads_expire_and_belong_to_their_user():
    now = [0.0]
    store = PendingUploads(ttl=10, clock=lambda: now[0])
    key = store.put(1, "a.csv", b"x", "c")
    assert store.get(key, 2) is None
    assert store.get(key, 1).content == b"x"
    now[0] = 10.0
    assert store.get(key, 1) is None


def test_pending_uploads_are_bounded():
    store = PendingUploads(max_entries=2, max_total_bytes=10)
    first = store.put(1, "a", b"12345", "c")
    second = store.put(1, "b", b"12345", "c")
    third = store.put(1, "c", b"1", "c")  # over 10 bytes in total: the oldest goes
    assert store.get(first, 1) is None
    assert store.get(second, 1) is not None and store.get(third, 1) is not None
