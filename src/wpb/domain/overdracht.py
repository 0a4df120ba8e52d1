"""The state machine of a transfer (overdracht): its statuses, the actions and who may take them.

| action | from | to | by | needs |
|---|---|---|---|---|
| accepteren | aangeleverd | geaccepteerd | ontvangende gemeente | |
| afwijzen | aangeleverd | afgewezen | ontvangende gemeente | an onderbouwing (text and/or the stored woonplaats decision) |
| afronden | geaccepteerd | afgerond | ontvangende gemeente | the toewijzing's start date and reference |
| doorsturen | afgewezen | doorgestuurd | latende gemeente or coordinator | another municipality; creates a new transfer to it |

Any other action in any state is refused. This module is pure (standard library only), like
the claim state machine in :mod:`wpb.domain.claim`; the service
(:mod:`wpb.service.components.overdrachten.transitions`) applies it to stored transfers.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Status(str, Enum):
    AANGELEVERD = "aangeleverd"
    GEACCEPTEERD = "geaccepteerd"
    AFGEWEZEN = "afgewezen"
    AFGEROND = "afgerond"
    DOORGESTUURD = "doorgestuurd"


class Rol(str, Enum):
    """The part a principal plays in one transfer."""

    LATENDE = "latende_gemeente"
    ONTVANGENDE = "ontvangende_gemeente"
    AANBIEDER = "aanbieder"
    COORDINATOR = "coordinator"


class Actie(str, Enum):
    ACCEPTEREN = "accepteren"
    AFWIJZEN = "afwijzen"
    AFRONDEN = "afronden"
    DOORSTUREN = "doorsturen"


@dataclass(frozen=True)
class Transition:
    actie: Actie
    van: frozenset[Status]
    naar: Status
    door: frozenset[Rol]


TRANSITIONS: dict[Actie, Transition] = {
    Actie.ACCEPTEREN: Transition(
        Actie.ACCEPTEREN, frozenset({Status.AANGELEVERD}), Status.GEACCEPTEERD,
        frozenset({Rol.ONTVANGENDE}),
    ),
    Actie.AFWIJZEN: Transition(
        Actie.AFWIJZEN, frozenset({Status.AANGELEVERD}), Status.AFGEWEZEN,
        frozenset({Rol.ONTVANGENDE}),
    ),
    Actie.AFRONDEN: Transition(
        Actie.AFRONDEN, frozenset({Status.GEACCEPTEERD}), Status.AFGEROND,
        frozenset({Rol.ONTVANGENDE}),
    ),
    Actie.DOORSTUREN: Transition(
        Actie.DOORSTUREN, frozenset({Status.AFGEWEZEN}), Status.DOORGESTUURD,
        frozenset({Rol.LATENDE, Rol.COORDINATOR}),
    ),
}

ACTIE_LABEL = {
    Actie.ACCEPTEREN: "accepteren",
    Actie.AFWIJZEN: "afwijzen",
    Actie.AFRONDEN: "afronden",
    Actie.DOORSTUREN: "doorsturen",
}


def allowed_actions(status: Status | str) -> tuple[Actie, ...]:
    status = Status(status)
    return tuple(a for a, t in TRANSITIONS.items() if status in t.van)
