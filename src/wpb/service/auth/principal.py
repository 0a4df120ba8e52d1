"""Who is acting: a user of one organisation (the principal), read from the users' table.

Every user belongs to exactly one organisation: a gemeente (by its 4-digit CBS code), an
aanbieder (by its 8-digit AGB code) or the coordinating organisation that runs the
service. Tenancy compares the principal's code with the codes in the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from sqlalchemy.orm import Session

from wpb.service.components.beheer.models import Gebruiker


class Soort(str, Enum):
    GEMEENTE = "gemeente"
    AANBIEDER = "aanbieder"
    COORDINATOR = "coordinator"


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


def load_principal(session: Session, gebruiker_id: int) -> Principal | None:
    """The principal for a user id (e.g. from a signed browser session), if still active."""
    user = session.get(Gebruiker, gebruiker_id)
    if user is None or not user.actief:
        return None
    return principal_of(user)


