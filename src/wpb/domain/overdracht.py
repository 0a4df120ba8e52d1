"""The state machine of a transfer (overdracht): its statuses, the actions and who may take them.

| action | from | to | by | needs |
|---|---|---|---|---|
| accepteren | aangeleverd | geaccepteerd | ontvangende gemeente | |
| afwijzen | aangeleverd | afgewezen | ontvangende gemeente | an onderbouwing (text and/or the stored woonplaats decision) |
| afronden | geaccepteerd | afgerond | ontvangende gemeente | the toewijzing's start date and reference |
| doorsturen | afgewezen | doorgestuurd | latende gemeente or coordinator | another municipality; creates a new transfer to it |
| corrigeren | aangeleverd, geaccepteerd, afgewezen | (unchanged) | latende gemeente | a line's einddatum, product or provider; a new version, the old values kept in the timeline; the aanleverdatum never moves |
| intrekken | aangeleverd, geaccepteerd, afgewezen | ingetrokken | latende gemeente | a reason |
| heroverwegen | afgewezen | geaccepteerd | ontvangende gemeente | the rejection stays on record: afgerond later, the latende is responsible until then (factsheet part B) |
| terugnemen | afgewezen | teruggenomen | latende gemeente | the latende accepts the rejection and keeps the youth |

A correction keeps the status (``naar`` is None). Afgerond, doorgestuurd, ingetrokken and
teruggenomen are final.

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
    INGETROKKEN = "ingetrokken"
    TERUGGENOMEN = "teruggenomen"


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
    CORRIGEREN = "corrigeren"
    INTREKKEN = "intrekken"
    HEROVERWEGEN = "heroverwegen"
    TERUGNEMEN = "terugnemen"


@dataclass(frozen=True)
class Transition:
    actie: Actie
    van: frozenset[Status]
    naar: Status | None  # None: the status stays (a correction)
    door: frozenset[Rol]

    def naar_vanuit(self, status: Status | str) -> Status:
        return self.naar if self.naar is not None else Status(status)


# The statuses in which a transfer is still being handled.
_NOT_FINAL = frozenset({Status.AANGELEVERD, Status.GEACCEPTEERD, Status.AFGEWEZEN})

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
    Actie.CORRIGEREN: Transition(
        Actie.CORRIGEREN, _NOT_FINAL, None, frozenset({Rol.LATENDE}),
    ),
    Actie.INTREKKEN: Transition(
        Actie.INTREKKEN, _NOT_FINAL, Status.INGETROKKEN, frozenset({Rol.LATENDE}),
    ),
    Actie.HEROVERWEGEN: Transition(
        Actie.HEROVERWEGEN, frozenset({Status.AFGEWEZEN}), Status.GEACCEPTEERD,
        frozenset({Rol.ONTVANGENDE}),
    ),
    Actie.TERUGNEMEN: Transition(
        Actie.TERUGNEMEN, frozenset({Status.AFGEWEZEN}), Status.TERUGGENOMEN,
        frozenset({Rol.LATENDE}),
    ),
}

ACTIE_LABEL = {
    Actie.ACCEPTEREN: "accepteren",
    Actie.AFWIJZEN: "afwijzen",
    Actie.AFRONDEN: "afronden",
    Actie.DOORSTUREN: "doorsturen",
    Actie.CORRIGEREN: "corrigeren",
    Actie.INTREKKEN: "intrekken",
    Actie.HEROVERWEGEN: "heroverwegen en accepteren",
    Actie.TERUGNEMEN: "terugnemen",
}


def allowed_actions(status: Status | str) -> tuple[Actie, ...]:
    status = Status(status)
    return tuple(a for a, t in TRANSITIONS.items() if status in t.van)
