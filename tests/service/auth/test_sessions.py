"""Browser sessions are revocable on the server (issue 19, finding S7): a session cookie
copied before logout answers as logged out afterwards, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from wpb.service.app import create_app
from wpb.service.auth import sessions
from wpb.service.auth.models import WebSessie
from wpb.service.auth.web_session import COOKIE_NAME, SessionCodec, WebSession
from wpb.service.db import transaction

from ..overdrachten.test_pages import Browser


@pytest.fixture
def app(settings, clock, engine, tenants):
    return create_app(settings, clock=clock, engine=engine)


def _rows(app) -> int:
    with transaction(app.state.wpb.factory) as session:
        return session.scalar(select(func.count()).select_from(WebSessie)) or 0


def test_a_cookie_copied_before_logout_is_logged_out_after(app):
    browser = Browser(app, "user-a")
    copied = browser.client.cookies[COOKIE_NAME]
    assert _rows(app) == 1
    thief = TestClient(app, headers={"Accept": "text/html"}, follow_redirects=False)
    thief.cookies.set(COOKIE_NAME, copied)
    assert thief.get("/overdrachten/inkomend").status_code == 200  # the copy works while logged in

    assert browser.post("/uitloggen").status_code == 303
    assert _rows(app) == 0
    answer = thief.get("/overdrachten/inkomend")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/inloggen?")
    # Posting with the copied cookie and its CSRF token is refused too.
    refused = thief.post("/uitloggen", data={"csrf_token": browser.token})
    assert refused.status_code == 303 and refused.headers["location"].startswith("/inloggen")


def test_a_signed_cookie_without_a_server_session_is_no_session(app, tenants):
    """A cookie made with the secret key but never issued by a login (or whose session was
    removed) does not log anyone in: the signature alone is not enough any more."""
    codec = SessionCodec(app.state.wpb.settings.resolved_secret_key())
    client = TestClient(app, headers={"Accept": "text/html"}, follow_redirects=False)
    client.cookies.set(COOKIE_NAME, codec.dump(WebSession("x", tenants.a.gebruiker_id, "verzonnen")))
    assert client.get("/overdrachten/inkomend").status_code == 303
    client.cookies.set(COOKIE_NAME, codec.dump(WebSession("x", tenants.a.gebruiker_id)))
    assert client.get("/overdrachten/inkomend").status_code == 303


def test_a_session_belongs_to_its_user_and_ends_when_it_expires(app, tenants):
    with transaction(app.state.wpb.factory) as db:
        secret = sessions.start(db, tenants.a.gebruiker_id, max_age=60)
        gone = sessions.start(db, tenants.b.gebruiker_id, max_age=0)
    with transaction(app.state.wpb.factory) as db:
        assert sessions.active(db, secret, tenants.a.gebruiker_id)
        assert not sessions.active(db, secret, tenants.b.gebruiker_id)  # another user's id
        assert not sessions.active(db, gone, tenants.b.gebruiker_id)  # expired
        assert not sessions.active(db, None, tenants.a.gebruiker_id)
    with transaction(app.state.wpb.factory) as db:
        sessions.start(db, tenants.b.gebruiker_id, max_age=60)  # clears b's expired row
    assert _rows(app) == 2


def test_logging_in_twice_gives_two_sessions_and_logout_ends_only_its_own(app):
    first, second = Browser(app, "user-a"), Browser(app, "user-a")
    assert first.post("/uitloggen").status_code == 303
    assert first.get("/overdrachten/inkomend").status_code == 303
    assert second.get("/overdrachten/inkomend").status_code == 200
