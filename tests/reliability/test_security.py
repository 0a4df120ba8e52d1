"""Security of the web surface: headers on every response, CSRF on every form, login rate
limits, sessions and tokens that expire.

Sources: OWASP Secure Headers Project and ASVS 4.0 (V3 session management: 3.3.1 logout,
3.3.2 absolute timeout; V4.2.2 CSRF; V2.2.1 anti-automation on login; V14.4 HTTP security
headers), NL GOV API Design Rules (security headers and API-Version on every response).
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import itsdangerous.timed
import pytest
from sqlalchemy import select, text

from wpb.service.auth.web_session import COOKIE_NAME, SESSION_MAX_AGE
from wpb.service.components.beheer.models import ApiToken
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.db import make_engine, make_sessionmaker, transaction
from wpb.service.security import HSTS

from .support import V1, Browser, assert_problem_json, csrf_of, page_routes

REQUIRED = {
    "content-security-policy": lambda v: "frame-ancestors 'none'" in v and "default-src 'none'" in v,
    "x-content-type-options": lambda v: v == "nosniff",
    "x-frame-options": lambda v: v == "DENY",
    "referrer-policy": lambda v: v == "no-referrer",
    "permissions-policy": lambda v: "camera=()" in v,
    "cross-origin-opener-policy": lambda v: v == "same-origin",
}


def assert_secure(response, *, tls: bool = False) -> None:
    where = f"{response.request.method} {response.request.url.path} -> {response.status_code}"
    for name, ok in REQUIRED.items():
        assert name in response.headers, f"{where}: {name} ontbreekt"
        assert ok(response.headers[name]), f"{where}: {name}: {response.headers[name]}"
    static = response.request.url.path.startswith("/static/")
    cache = response.headers.get("cache-control", "")
    assert ("no-cache" in cache) if static else (cache == "no-store"), f"{where}: {cache}"
    if tls:
        assert response.headers.get("strict-transport-security") == HSTS, where
    else:
        assert "strict-transport-security" not in response.headers, where
    if response.request.url.path.startswith("/api/"):
        assert response.headers.get("api-version"), where
        csp = response.headers["content-security-policy"]
        assert "script-src" not in csp, where  # the API needs nothing loaded at all
    else:
        csp = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, where


def _fill(path: str, s) -> str:
    values = {
        "overdracht_id": s.ids["overdracht_claim"], "bericht_id": s.ids["bericht_jw315"],
        "claim_id": s.ids["claim_open"], "saldering_id": s.ids["saldering"],
        "geschil_id": s.ids["geschil"], "gemeentecode": "0344", "taakcode": "x",
    }

    def one(match: re.Match) -> str:
        name = match.group(1).split(":")[0]
        return str(values.get(name, 1))

    return re.sub(r"\{([^}]+)\}", one, path)


def _page_paths(app) -> list[str]:
    return sorted({path for path, methods in page_routes(app) if "GET" in methods})


@pytest.mark.parametrize("tls", [False, True], ids=["http", "https"])
def test_every_api_response_carries_the_security_headers(scenario, tls):
    base = "https://testserver" if tls else "http://testserver"
    with scenario.client(base_url=base) as c:
        doc = c.get(f"{V1}/openapi.json")
        assert_secure(doc, tls=tls)
        assert doc.headers["access-control-allow-origin"] == "*"
        assert doc.headers["cross-origin-resource-policy"] == "cross-origin"
        seen = 0
        # Over HTTPS only the header set differs (HSTS): one role is enough there.
        roles = ("coordinator",) if tls else ("coordinator", "latend", "anoniem")
        for path, item in doc.json()["paths"].items():
            if "get" not in item:
                continue
            for role in roles:
                response = c.get(V1 + _fill(path, scenario), headers=scenario.headers(role))
                assert_secure(response, tls=tls)
                seen += 1
        assert seen > (15 if tls else 40)
        # Errors made before any route runs, and by the framework itself.
        auth = scenario.headers("latend")
        for response in (
            c.get(f"{V1}/bestaat-niet", headers=auth),
            c.get(f"{V1}/overdrachten/", headers=auth),  # trailing slash: 404, no redirect
            c.delete(f"{V1}/overdrachten", headers=auth),  # 405
            c.post(f"{V1}/overdrachten/_zoek", content=b"{", headers={**auth, "Content-Type": "application/json"}),
            c.post(f"{V1}/aanleveringen/_controleer", content=b"x" * 10,
                   headers={**auth, "Content-Length": str(10**9)}),
            c.post(f"{V1}/tokens", json={"gebruikersnaam": "x", "wachtwoord": "y"}),
            c.options(f"{V1}/overdrachten"),
            c.head(f"{V1}/openapi.json"),
        ):
            assert_secure(response, tls=tls)
            if response.status_code >= 400 and response.request.method != "HEAD":
                assert_problem_json(response, response.status_code)


@pytest.mark.parametrize("tls", [False, True], ids=["http", "https"])
def test_every_page_response_carries_the_security_headers(scenario, tls):
    app = scenario.app()
    browser = Browser(app, "coordinator", base_url="https://testserver" if tls else "http://testserver")
    paths = _page_paths(app)
    assert {"/inloggen", "/overdrachten", "/zoeken", "/taken"} <= set(paths), paths
    for path in paths:
        assert_secure(browser.get(_fill(path, scenario)), tls=tls)
    anonymous = Browser(app, base_url=browser.client.base_url.__str__())
    for path in [*paths, "/static/wpb.css", "/static/wpb.js", "/bestaat-niet", "/static/../x"]:
        assert_secure(anonymous.get(_fill(path, scenario)), tls=tls)
    assert_secure(anonymous.client.post("/inloggen", data={}), tls=tls)  # 403: no CSRF token
    # A page body sent without a length is refused before anything reads it.
    refused = anonymous.client.post("/aanleveren", content=iter([b"a" * 10]),
                                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert refused.status_code == 411
    assert_secure(refused, tls=tls)


def test_pages_load_only_their_own_scripts_and_styles(scenario):
    """A strict CSP works only when the pages have no inline script, style or handler."""
    app = scenario.app()
    browser = Browser(app, "ontvangend")
    for path in ("/overdrachten/inkomend", f"/overdrachten/{scenario.ids['overdracht_brp']}",
                 "/taken", "/overzicht", "/zoeken", "/inloggen"):
        html = browser.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert "<style" not in html and " style=" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert not url.startswith(("http:", "https:", "//")), (path, url)


# --- CSRF -------------------------------------------------------------------------------------


def test_login_form_without_or_with_a_foreign_csrf_token_is_refused(scenario):
    app = scenario.app()
    attacker = Browser(app)
    attacker_token = csrf_of(attacker.get("/inloggen").text)
    victim = Browser(app)
    victim.get("/inloggen")
    for token in ("", attacker_token, "x" * 43):
        response = victim.client.post("/inloggen", data={
            "csrf_token": token, "gebruikersnaam": "rel-latend", "wachtwoord": "wachtwoord-betrouwbaar"})
        assert response.status_code == 403
        assert COOKIE_NAME not in response.headers.get("set-cookie", "")
    assert victim.get("/overdrachten/uitgaand").status_code == 303  # still not logged in


@pytest.mark.parametrize(
    ("role", "action", "data"),
    [
        ("ontvangend", "accepteren", {"bevestigd": "ja"}),
        ("ontvangend", "afwijzen", {"onderbouwing": "niet hier", "bevestigd": "ja"}),
        ("latend", "uitloggen", {}),
    ],
)
def test_every_changing_form_needs_the_sessions_csrf_token(scenario, role, action, data):
    app = scenario.app()
    victim = Browser(app, role)
    other = Browser(app, role)  # the same user in another browser: another token
    transfer = scenario.ids["overdracht_brp"]
    path = "/uitloggen" if action == "uitloggen" else f"/overdrachten/{transfer}/{action}"
    for token in ("", other.token, victim.token[:-1]):
        response = victim.post(path, data, token=token)
        assert response.status_code == 403, (token, response.status_code)
        assert "beveiligingscode" in response.text
    engine = make_engine(scenario.url)
    with transaction(make_sessionmaker(engine)) as session:
        assert session.scalar(select(Overdracht).where(Overdracht.publiek_id == transfer)).status == "aangeleverd"
    engine.dispose()
    assert victim.get("/overdrachten").status_code == 200  # still logged in
    assert victim.post(path, data).status_code == 303  # with the right token it works


def test_session_cookie_flags(scenario):
    app = scenario.app()
    for base, secure in (("http://testserver", False), ("https://testserver", True)):
        browser = Browser(app, base_url=base)
        browser.get("/inloggen")
        response = browser.login("rel-latend")
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE_NAME}=")
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
        assert ("Secure" in cookie) is secure
        assert f"Max-Age={SESSION_MAX_AGE}" in cookie


# --- rate limiting ----------------------------------------------------------------------------


def test_api_login_is_rate_limited_even_for_the_right_password(scenario):
    # The policy (wpb.service.auth.throttle): an account gets 5 free failures, then waits.
    with scenario.client() as c:
        for _ in range(5):
            bad = c.post(f"{V1}/tokens", json={"gebruikersnaam": "rel-latend", "wachtwoord": "fout"})
            assert_problem_json(bad, 401)
        blocked = c.post(f"{V1}/tokens", json={"gebruikersnaam": "rel-latend",
                                                "wachtwoord": "wachtwoord-betrouwbaar"})
        body = assert_problem_json(blocked, 429)
        assert int(blocked.headers["retry-after"]) > 0 and "token" not in body
        # A colleague behind the same address is not locked out by someone else's typos ...
        other = c.post(f"{V1}/tokens", json={"gebruikersnaam": "rel-ontvangend",
                                              "wachtwoord": "wachtwoord-betrouwbaar"})
        assert other.status_code == 201
        # ... but an address guessing across accounts is slowed down after 20 failures.
        for i in range(15):
            c.post(f"{V1}/tokens", json={"gebruikersnaam": f"geraden-{i}", "wachtwoord": "fout"})
        guessed = c.post(f"{V1}/tokens", json={"gebruikersnaam": "rel-ontvangend",
                                                "wachtwoord": "wachtwoord-betrouwbaar"})
        assert_problem_json(guessed, 429)


def test_page_login_is_rate_limited(scenario):
    app = scenario.app()
    browser = Browser(app)
    for _ in range(5):  # an account's free failures (wpb.service.auth.throttle)
        assert browser.login("rel-latend", "fout").status_code == 401
    blocked = browser.login("rel-latend")
    assert blocked.status_code == 429 and "Te veel mislukte pogingen" in blocked.text
    assert COOKIE_NAME not in blocked.headers.get("set-cookie", "") or browser.get(
        "/overdrachten").status_code == 303


# --- sessions and tokens expire ---------------------------------------------------------------


class _Later:
    """time as itsdangerous sees it, ``offset`` seconds later."""

    def __init__(self, offset: float):
        self.offset = offset

    def time(self) -> float:
        return time.time() + self.offset


def test_a_session_expires_after_one_working_day(scenario, monkeypatch):
    app = scenario.app()
    browser = Browser(app, "latend")
    assert browser.get("/overdrachten/uitgaand").status_code == 200
    monkeypatch.setattr(itsdangerous.timed, "time", _Later(SESSION_MAX_AGE - 60))
    assert browser.get("/overdrachten/uitgaand").status_code == 200
    monkeypatch.setattr(itsdangerous.timed, "time", _Later(SESSION_MAX_AGE + 2))
    expired = browser.get("/overdrachten/uitgaand")
    assert expired.status_code == 303 and "sessie-verlopen" in expired.headers["location"]
    # A form posted with the old session changes nothing.
    response = browser.post(f"/overdrachten/{scenario.ids['overdracht_brp']}/afwijzen",
                            {"bevestigd": "ja", "onderbouwing": "x"})
    assert response.status_code in (303, 403)
    assert "/inloggen" in response.headers.get("location", "/inloggen")


def test_logout_ends_the_session_in_this_browser(scenario):
    browser = Browser(scenario.app(), "latend")
    assert browser.post("/uitloggen").status_code == 303
    assert browser.get("/overdrachten/uitgaand").status_code == 303


def test_api_tokens_expire_are_revocable_and_stored_only_as_hashes(scenario):
    with scenario.client() as c:
        issued = c.post(f"{V1}/tokens", json={"gebruikersnaam": "rel-latend",
                                               "wachtwoord": "wachtwoord-betrouwbaar"})
        assert issued.status_code == 201
        token = issued.json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        assert c.get(f"{V1}/gebruikersprofiel", headers=auth).status_code == 200
        engine = make_engine(scenario.url)
        with transaction(make_sessionmaker(engine)) as session:
            stored = session.scalars(select(ApiToken)).all()
            dump = " ".join(str(v) for t in stored for v in vars(t).values())
            assert token not in dump
            rows = session.execute(text("SELECT * FROM gebruikers")).all()
            assert all("wachtwoord-betrouwbaar" not in str(r) for r in rows)
        engine.dispose()
        scenario.clock.moment += timedelta(days=91)  # WPB_TOKEN_DAYS defaults to 90
        assert_problem_json(c.get(f"{V1}/gebruikersprofiel", headers=auth), 401)
        scenario.clock.moment -= timedelta(days=91)
        assert c.delete(f"{V1}/tokens/huidig", headers=auth).status_code == 204
        assert_problem_json(c.get(f"{V1}/gebruikersprofiel", headers=auth), 401)
