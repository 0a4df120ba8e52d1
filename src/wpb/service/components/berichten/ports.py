"""What the berichten component needs from components it may not import: two ports.

The architecture table (docs/architecture.md) lets berichten use overdrachten and beheer,
not the caseload (``clientenbestand``) nor the settlement (``verrekening``). Two things of
issue 18 need them all the same; the component names here what it needs, and the service's
assembly (:func:`wpb.service.app.wire_ports`) plugs in the implementations at start-up:

- :class:`Toewijzingenregister` (item 10): the client's current toewijzingen in the
  gemeente's register of current toewijzingen, its caseload (IV094/OP087: a JW301 that
  answers a verzoek holds all of them at that provider). The clientenbestand component
  answers it from the tenant's own caseload.
- :class:`Geschilopener` (item 12): the named gemeente objects to a JW319 with reden 8;
  the objection opens a geschil between the two gemeenten about the youth. The
  verrekening component (where geschillen live) opens it.

Unwired, the register is empty (the proposal then lists no other toewijzingen, as a service
without a caseload must) and an objection cannot be recorded (503: the service is not
assembled); both are wired by :func:`wpb.service.app.create_app`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from wpb.ijw.toewijzingen import HuidigeToewijzing
from wpb.service.auth.principal import Principal
from wpb.service.context import Context
from wpb.service.errors import NotConfigured


class Toewijzingenregister(Protocol):
    def __call__(self, session: Session, gemeente: str, bsn: str) -> tuple[HuidigeToewijzing, ...]:
        """The youth's toewijzingen in ``gemeente``'s own caseload (no other tenant's)."""
        ...


class Geschilopener(Protocol):
    def __call__(self, session: Session, principal: Principal, ctx: Context, *, bsn: str,
                 andere_gemeente: str, omschrijving: str) -> int:
        """Open a geschil of ``principal`` (a gemeente) with ``andere_gemeente`` about the
        youth; answers the geschil's internal key (kept with the request)."""
        ...


class Geschilnaam(Protocol):
    def __call__(self, session: Session, geschil_id: int) -> str | None:
        """The public id (S10) of the geschil with internal key ``geschil_id``: what an
        answer calls it."""
        ...


def _leeg_register(session: Session, gemeente: str, bsn: str) -> tuple[HuidigeToewijzing, ...]:
    return ()


def _geen_naam(session: Session, geschil_id: int) -> str | None:
    return None


def _geen_geschillen(session: Session, principal: Principal, ctx: Context, *, bsn: str,
                     andere_gemeente: str, omschrijving: str) -> int:
    raise NotConfigured("Een bezwaar opent een geschil, maar de geschillen zijn in deze dienst "
                        "niet aangesloten.")


@dataclass
class Ports:
    toewijzingen: Toewijzingenregister = _leeg_register
    geschil: Geschilopener = _geen_geschillen
    geschil_naam: Geschilnaam = _geen_naam


PORTS = Ports()


def wire(*, toewijzingen: Toewijzingenregister | None = None,
         geschil: Geschilopener | None = None, geschil_naam: Geschilnaam | None = None) -> None:
    """Plug in the implementations (the service's assembly does this once at start-up)."""
    if toewijzingen is not None:
        PORTS.toewijzingen = toewijzingen
    if geschil is not None:
        PORTS.geschil = geschil
    if geschil_naam is not None:
        PORTS.geschil_naam = geschil_naam


def reset() -> None:
    """Back to the unwired defaults (tests)."""
    PORTS.toewijzingen = _leeg_register
    PORTS.geschil = _geen_geschillen
    PORTS.geschil_naam = _geen_naam
