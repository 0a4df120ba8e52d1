"""Organisations as tenants and their users: creating them (passwords are checked in
:mod:`wpb.service.auth.credentials`)."""

from __future__ import annotations

import re
from datetime import datetime

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from wpb.service.auth.credentials import PASSWORDS
from wpb.service.auth.principal import Soort
from wpb.service.clock import system_clock, utc_naive
from wpb.service.components.beheer.models import Gebruiker, Organisatie

_CODE_PATTERNS = {
    Soort.GEMEENTE: re.compile(r"[0-9]{4}"),
    Soort.AANBIEDER: re.compile(r"[0-9]{8}"),
    Soort.COORDINATOR: re.compile(r"[a-z0-9-]{1,16}"),
}


class TenancyError(ValueError):
    """A bad organisation, user or token request (message names the field)."""


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
        wachtwoord_hash=(hasher or PASSWORDS).hash(wachtwoord),
        actief=True,
        aangemaakt_op=now or _now(),
    )
    session.add(user)
    session.flush()
    return user


def _now() -> datetime:
    return utc_naive(system_clock())
