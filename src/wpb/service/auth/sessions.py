"""Browser sessions kept on the server, so that logging out ends them everywhere (issue 19,
finding S7: a cookie copied before logout kept working for up to 8 hours).

Logging in stores a row in ``web_sessies`` with the SHA-256 of a new random session secret;
the signed cookie carries the secret. Every page request looks the row up by its primary
key (one indexed lookup, in the same transaction that loads the user), so a cookie whose
row is gone or expired counts as no session. Logging out deletes the row.

Lifetimes run on the wall clock, as the cookie's own signature stamp does, not on the
service's (settable) business clock.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from wpb.service.auth.models import WebSessie


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _key(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def start(db: Session, gebruiker_id: int, max_age: int) -> str:
    """A new session for the user: its secret (for the cookie). Expired rows of the same
    user are removed on the way, so the table does not grow with stale sessions."""
    now = _now()
    db.execute(delete(WebSessie).where(WebSessie.gebruiker_id == gebruiker_id,
                                       WebSessie.verloopt_op <= now))
    secret = secrets.token_urlsafe(32)
    db.add(WebSessie(id=_key(secret), gebruiker_id=gebruiker_id, aangemaakt_op=now,
                     verloopt_op=now + timedelta(seconds=max_age)))
    db.flush()
    return secret


def active(db: Session, secret: str | None, gebruiker_id: int) -> bool:
    """True when the session with this secret exists, belongs to the user and has not expired."""
    if not secret or len(secret) > 200:
        return False
    row = db.get(WebSessie, _key(secret))
    return row is not None and row.gebruiker_id == gebruiker_id and row.verloopt_op > _now()


def end(db: Session, secret: str | None) -> None:
    """End the session: every copy of its cookie is logged out from now on."""
    if secret:
        db.execute(delete(WebSessie).where(WebSessie.id == _key(secret)))
