"""Issuing and revoking API tokens (checking one is :mod:`wpb.service.auth.credentials`):
random 256-bit strings of which only the SHA-256 is stored (a token is as
strong as a key, so a fast hash suffices and a stolen table yields nothing usable).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from wpb.service.auth.credentials import TOKEN_PREFIX, hash_token
from wpb.service.components.beheer.accounts import _now
from wpb.service.components.beheer.models import ApiToken


def issue_token(
    session: Session, gebruiker_id: int, *, omschrijving: str = "", geldig: timedelta | None = None,
    now: datetime | None = None,
) -> str:
    """Create an API token for a user; the plain token is returned once and never stored."""
    now = now or _now()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            gebruiker_id=gebruiker_id,
            omschrijving=omschrijving[:200],
            token_hash=hash_token(token),
            aangemaakt_op=now,
            verloopt_op=now + geldig if geldig else None,
        )
    )
    session.flush()
    return token


def revoke_token(session: Session, token: str, *, now: datetime | None = None) -> bool:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.ingetrokken_op is not None:
        return False
    row.ingetrokken_op = now or _now()
    return True


