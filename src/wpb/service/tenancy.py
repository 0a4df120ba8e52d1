"""Organisations as tenants, their users and API tokens, and who is acting (the principal).

Every user belongs to exactly one organisation: a gemeente (by its 4-digit CBS code), an
aanbieder (by its 8-digit AGB code) or the coordinating organisation that runs the
service. Passwords are stored as argon2 hashes; API tokens are random 256-bit strings of
which only the SHA-256 is stored (a token is as strong as a key, so a fast hash suffices
and a stolen table yields nothing usable).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from wpb.service.clock import system_clock, utc_naive
from wpb.service.models import ApiToken, Gebruiker, Organisatie

TOKEN_PREFIX = "wpb_"
_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs as long as a wrong
# password and the timing does not reveal which user names exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class Soort(str, Enum):
    GEMEENTE = "gemeente"
    AANBIEDER = "aanbieder"
    COORDINATOR = "coordinator"


_CODE_PATTERNS = {
    Soort.GEMEENTE: re.compile(r"[0-9]{4}"),
    Soort.AANBIEDER: re.compile(r"[0-9]{8}"),
    Soort.COORDINATOR: re.compile(r"[a-z0-9-]{1,16}"),
}


class TenancyError(ValueError):
    """A bad organisation, user or token request (message names the field)."""


@dataclass(frozen=True)
class Principal:
    """Who is acting: a user of one organisation."""

    gebruiker_id: int
    gebruikersnaam: str
    naam: str
    organisatie_id: int
    soort: Soort
    code: str
    organisatie_naam: str

    @property
    def label(self) -> str:
        """The organisation as recorded in timelines and the audit log: ``gemeente:0344``."""
        return f"{self.soort.value}:{self.code}"

    @property
    def is_gemeente(self) -> bool:
        return self.soort is Soort.GEMEENTE

    @property
    def is_aanbieder(self) -> bool:
        return self.soort is Soort.AANBIEDER

    @property
    def is_coordinator(self) -> bool:
        return self.soort is Soort.COORDINATOR


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_organisatie(session: Session, soort: Soort | str, code: str, naam: str) -> Organisatie:
    soort = Soort(soort)
    if not _CODE_PATTERNS[soort].fullmatch(code):
        expected = {
            Soort.GEMEENTE: "een gemeentecode van 4 cijfers",
            Soort.AANBIEDER: "een AGB-code van 8 cijfers",
            Soort.COORDINATOR: "kleine letters, cijfers of '-' (max. 16)",
        }[soort]
        raise TenancyError(f"code {code!r}: verwacht {expected}")
    if not naam.strip():
        raise TenancyError("naam is leeg")
    existing = session.scalar(
        select(Organisatie).where(Organisatie.soort == soort.value, Organisatie.code == code)
    )
    if existing is not None:
        raise TenancyError(f"organisatie {soort.value}:{code} bestaat al")
    org = Organisatie(soort=soort.value, code=code, naam=naam.strip())
    session.add(org)
    session.flush()
    return org


def create_gebruiker(
    session: Session, organisatie: Organisatie, gebruikersnaam: str, naam: str, wachtwoord: str,
    *, now: datetime | None = None, hasher: PasswordHasher | None = None,
) -> Gebruiker:
    """Add a user. ``hasher`` exists for the public demo users only, whose hashes may be
    cheap; they are brought to the standard parameters at their first login."""
    if not re.fullmatch(r"[A-Za-z0-9._@-]{3,100}", gebruikersnaam):
        raise TenancyError(
            "gebruikersnaam: 3 tot 100 tekens, alleen letters, cijfers en . _ @ -"
        )
    if len(wachtwoord) < 10:
        raise TenancyError("wachtwoord: minimaal 10 tekens")
    if session.scalar(select(Gebruiker).where(Gebruiker.gebruikersnaam == gebruikersnaam)):
        raise TenancyError(f"gebruikersnaam {gebruikersnaam!r} bestaat al")
    user = Gebruiker(
        organisatie=organisatie,
        gebruikersnaam=gebruikersnaam,
        naam=naam.strip() or gebruikersnaam,
        wachtwoord_hash=(hasher or _hasher).hash(wachtwoord),
        actief=True,
        aangemaakt_op=now or _now(),
    )
    session.add(user)
    session.flush()
    return user


def principal_of(user: Gebruiker) -> Principal:
    org = user.organisatie
    return Principal(
        gebruiker_id=user.id,
        gebruikersnaam=user.gebruikersnaam,
        naam=user.naam,
        organisatie_id=org.id,
        soort=Soort(org.soort),
        code=org.code,
        organisatie_naam=org.naam,
    )


def authenticate_password(session: Session, gebruikersnaam: str, wachtwoord: str) -> Principal | None:
    """The principal for a correct user name and password, else None (same cost either way)."""
    user = session.scalar(select(Gebruiker).where(Gebruiker.gebruikersnaam == gebruikersnaam))
    if user is None or not user.actief:
        _verify(_DUMMY_HASH, wachtwoord)
        return None
    if not _verify(user.wachtwoord_hash, wachtwoord):
        return None
    if _hasher.check_needs_rehash(user.wachtwoord_hash):
        user.wachtwoord_hash = hash_password(wachtwoord)
    return principal_of(user)


def _verify(stored: str, wachtwoord: str) -> bool:
    try:
        return _hasher.verify(stored, wachtwoord)
    except (VerificationError, InvalidHashError):
        return False


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


def revoke_token(session: Session, token: str, *, now: datetime | None = None) -> bool:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.ingetrokken_op is not None:
        return False
    row.ingetrokken_op = now or _now()
    return True


def load_principal(session: Session, gebruiker_id: int) -> Principal | None:
    """The principal for a user id (e.g. from a signed browser session), if still active."""
    user = session.get(Gebruiker, gebruiker_id)
    if user is None or not user.actief:
        return None
    return principal_of(user)


def _now() -> datetime:
    return utc_naive(system_clock())
