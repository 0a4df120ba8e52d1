"""Browser sessions of the web pages: a signed cookie carrying the user and a CSRF token.

The cookie holds the logged-in user's id, the secret of the server-side session
(:mod:`wpb.service.auth.sessions`) and the session's CSRF token, signed with
``WPB_SECRET_KEY`` (itsdangerous, HMAC) and stamped with the moment it was issued. A
cookie with a bad signature or older than :data:`SESSION_MAX_AGE` counts as no session,
so a user is logged out after at most that long. Logging out deletes the server-side
session, so a copy of the cookie taken earlier stops working at once (issue 19, S7).

CSRF is the synchronizer-token pattern: every form carries the session's token and
every POST is refused unless the submitted token equals the one in the signed cookie. A
visitor who is not logged in gets a cookie with a token only, so the login form itself is
protected (no login CSRF), and logging in issues a new token (no session fixation).

The cookie is ``HttpOnly`` (scripts cannot read it), ``SameSite=Lax`` (not sent with
cross-site POSTs, a second line of defence) and ``Secure`` when the page came over HTTPS.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, replace

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

COOKIE_NAME = "wpb_sessie"
SESSION_MAX_AGE = 8 * 60 * 60  # seconds: one working day
CSRF_FIELD = "csrf_token"
_SALT = "wpb.pages.sessie"


@dataclass(frozen=True)
class WebSession:
    csrf: str
    gebruiker_id: int | None = None
    sessie: str | None = None  # the secret of the server-side session

    @property
    def logged_in(self) -> bool:
        return self.gebruiker_id is not None

    def logged_in_as(self, gebruiker_id: int, sessie: str | None = None) -> WebSession:
        """The session after a successful login: same browser, new CSRF token, the new
        server-side session's secret."""
        return replace(self, gebruiker_id=gebruiker_id, csrf=new_token(), sessie=sessie)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def anonymous() -> WebSession:
    return WebSession(csrf=new_token())


class SessionCodec:
    """Signs and reads the session cookie."""

    def __init__(self, secret_key: str, *, max_age: int = SESSION_MAX_AGE):
        if not secret_key:
            raise ValueError("een sessie vraagt een geheime sleutel (WPB_SECRET_KEY)")
        self._serializer = URLSafeTimedSerializer(secret_key, salt=_SALT)
        self.max_age = max_age

    def dump(self, session: WebSession) -> str:
        data: dict = {"c": session.csrf}
        if session.gebruiker_id is not None:
            data["u"] = session.gebruiker_id
        if session.sessie is not None:
            data["s"] = session.sessie
        return self._serializer.dumps(data)

    def load(self, cookie: str | None) -> WebSession | None:
        if not cookie or len(cookie) > 4096:
            return None
        try:
            data = self._serializer.loads(cookie, max_age=self.max_age)
        except BadSignature:  # also SignatureExpired, a subclass
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        user = data.get("u")
        if user is not None and (not isinstance(user, int) or isinstance(user, bool)):
            return None
        sessie = data.get("s")
        if sessie is not None and not isinstance(sessie, str):
            return None
        return WebSession(csrf=data["c"], gebruiker_id=user, sessie=sessie)

    def read(self, request: Request) -> WebSession | None:
        return self.load(request.cookies.get(COOKIE_NAME))

    def write(self, response: Response, request: Request, session: WebSession) -> None:
        response.set_cookie(
            COOKIE_NAME,
            self.dump(session),
            max_age=self.max_age,
            path="/",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )


def clear(response: Response, request: Request) -> None:
    response.delete_cookie(
        COOKIE_NAME, path="/", httponly=True, samesite="lax", secure=request.url.scheme == "https"
    )


def csrf_matches(session: WebSession | None, submitted: object) -> bool:
    """True when the submitted form token is the session's (compared in constant time)."""
    if session is None or not isinstance(submitted, str) or not submitted:
        return False
    return hmac.compare_digest(session.csrf.encode(), submitted.encode())
