"""Checking who someone is: a user name with a password, or an API token.

Passwords are stored as argon2 hashes; checking a name that does not exist costs as long as
checking a wrong password, so the timing does not reveal which user names exist. API tokens
are random 256-bit strings of which only the SHA-256 is stored (a token is as strong as a
key, so a fast hash suffices and a stolen table yields nothing usable).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from wpb.service.auth.principal import Principal, principal_of
from wpb.service.clock import system_clock, utc_naive
from wpb.service.components.beheer.models import ApiToken, Gebruiker

PASSWORDS = PasswordHasher()
TOKEN_PREFIX = "wpb_"
# Verified against when the user does not exist, so a wrong name costs as long as a wrong
# password and the timing does not reveal which user names exist.
_DUMMY_HASH = PASSWORDS.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return PASSWORDS.hash(password)


def authenticate_password(session: Session, gebruikersnaam: str, wachtwoord: str) -> Principal | None:
    """The principal for a correct user name and password, else None (same cost either way)."""
    user = session.scalar(select(Gebruiker).where(Gebruiker.gebruikersnaam == gebruikersnaam))
    if user is None or not user.actief:
        _verify(_DUMMY_HASH, wachtwoord)
        return None
    if not _verify(user.wachtwoord_hash, wachtwoord):
        return None
    if PASSWORDS.check_needs_rehash(user.wachtwoord_hash):
        user.wachtwoord_hash = hash_password(wachtwoord)
    return principal_of(user)


def _verify(stored: str, wachtwoord: str) -> bool:
    try:
        return PASSWORDS.verify(stored, wachtwoord)
    except (VerificationError, InvalidHashError):
        return False


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TokenCheck:
    """A valid token: who it is for and until when (None: no end)."""

    principal: Principal
    verloopt_op: datetime | None


def check_token(session: Session, token: str, *, now: datetime | None = None) -> TokenCheck | None:
    """The token's principal and end, if the token is valid now; one query."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    now = now or _now()
    row = session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == hash_token(token))
        .options(joinedload(ApiToken.gebruiker).joinedload(Gebruiker.organisatie))
    )
    if row is None or row.ingetrokken_op is not None:
        return None
    if row.verloopt_op is not None and row.verloopt_op <= now:
        return None
    if not row.gebruiker.actief:
        return None
    return TokenCheck(principal_of(row.gebruiker), row.verloopt_op)


def authenticate_token(session: Session, token: str, *, now: datetime | None = None) -> Principal | None:
    found = check_token(session, token, now=now)
    return found.principal if found else None


def _now() -> datetime:
    return utc_naive(system_clock())
