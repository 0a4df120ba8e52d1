"""One transfer read for showing and for a transition: plain rows, not ORM objects.

Reading a transfer is the service's most frequent request, and accepting or rejecting one
reads it first. Through the ORM each read built its statement anew, loaded the whole row
(the BRP document included, which can be large) into the identity map and flushed it at
commit. Here the statements are built once, with bind parameters, so SQLAlchemy finds
them compiled in its cache; the rows become small slotted records that
:func:`wpb.service.components.overdrachten.views.detail_view` reads like the ORM objects. The BRP document
itself is not read: only whether there is one (``brp_aanwezig``).

Who may see the transfer is :func:`wpb.service.components.overdrachten.queries.visible`, one fixed
statement per kind of caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from wpb.service.auth.principal import Principal
from wpb.service.components.overdrachten.models import Gebeurtenis
from wpb.service.components.overdrachten.queries import R as _R
from wpb.service.components.overdrachten.queries import T as _T
from wpb.service.components.overdrachten.queries import kind_of, where_visible

_G = Gebeurtenis.__table__

# Every column of the transfer but the BRP document; of that only whether it is there.
_FIELDS = tuple(c.name for c in _T.c if c.name != "brp_document")
_COLUMNS = (*(_T.c[name] for name in _FIELDS), _T.c.brp_document.is_not(None).label("brp_aanwezig"))
_LINE_FIELDS = ("id", "aanbieder_agb", "product", "toewijzing_einddatum", "pgb", "aanleverdatum",
                "aanlevering_id", "publiek_id")
EVENT_FIELDS = ("tijdstip", "datum", "soort", "van_status", "naar_status", "organisatie", "toelichting")


@dataclass(slots=True)
class Line:
    id: int
    aanbieder_agb: str
    product: str
    toewijzing_einddatum: date | None
    pgb: bool
    aanleverdatum: date
    aanlevering_id: int | None
    publiek_id: str


@dataclass(slots=True)
class Event:
    tijdstip: datetime
    datum: date
    soort: str
    van_status: str | None
    naar_status: str | None
    organisatie: str
    toelichting: str


@dataclass(slots=True)
class TransferSnapshot:
    """A transfer's columns (without the BRP document), its lines and its timeline."""

    id: int
    publiek_id: str
    latende_gemeente: str
    ontvangende_gemeente: str
    bsn: str
    geboortedatum: date
    status: str
    versie: int
    aanleverdatum: date
    aanlevering_id: int | None
    geaccepteerd_op: date | None
    afgewezen_op: date | None
    onderbouwing: str | None
    onderbouwing_beslissing: str | None
    afgerond_op: date | None
    toewijzing_ingangsdatum: date | None
    toewijzing_referentie: str | None
    doorgestuurd_op: date | None
    vorige_id: int | None
    volgende_id: int | None
    brp_bron: str | None
    brp_ontvangen_op: datetime | None
    woonplaats_beslissing: str | None
    aangemaakt_op: datetime
    gewijzigd_op: datetime
    wet: str
    vanaf: date | None
    brp_aanwezig: bool
    regels: list[Line] = field(default_factory=list)
    gebeurtenissen: list[Event] = field(default_factory=list)


# By internal key (the service's own callers) or by public id (a URL or body, S10).
_BY_ID = {
    (kind, by): where_visible(select(*_COLUMNS).where(_T.c[by] == bindparam("id")), kind)
    for kind in ("coordinator", "gemeente", "aanbieder") for by in ("id", "publiek_id")
}
_LINES = select(*(_R.c[name] for name in _LINE_FIELDS)).where(
    _R.c.overdracht_id == bindparam("id")).order_by(_R.c.id)
_EVENTS = select(*(_G.c[name] for name in EVENT_FIELDS)).where(
    _G.c.overdracht_id == bindparam("id")).order_by(_G.c.id)
_ADD_EVENT = insert(_G)


def load_visible(session: Session, principal: Principal, overdracht_id: int | str) -> TransferSnapshot | None:
    """The transfer with its lines and timeline if ``principal`` may see it, else None.
    ``overdracht_id``: the public id, or the internal key (:mod:`wpb.service.public_ids`)."""
    kind = kind_of(principal)
    if kind is None:
        return None
    session.flush()  # changes this transaction made through the ORM first
    connection = session.connection()
    by = "id" if isinstance(overdracht_id, int) else "publiek_id"
    row = connection.execute(_BY_ID[kind, by], {"id": overdracht_id, "code": principal.code}).one_or_none()
    if row is None:
        return None
    snapshot = TransferSnapshot(**row._asdict())
    snapshot.regels = [Line(*line) for line in connection.execute(_LINES, {"id": snapshot.id})]
    snapshot.gebeurtenissen = [Event(*e) for e in connection.execute(_EVENTS, {"id": snapshot.id})]
    return snapshot


# One UPDATE statement per set of changed columns, built once: the transition's guard
# (``id``, the version read and the allowed from-states) and the new values as parameters.
_UPDATES: dict[tuple[str, ...], Any] = {}


def _update_for(names: tuple[str, ...]):
    statement = _UPDATES.get(names)
    if statement is None:
        statement = (
            update(_T)
            .where(
                _T.c.id == bindparam("w_id"),
                _T.c.versie == bindparam("w_versie"),
                _T.c.status.in_(bindparam("w_van", expanding=True)),
            )
            .values(versie=_T.c.versie + 1, **{name: bindparam(f"v_{name}") for name in names})
        )
        _UPDATES[names] = statement
    return statement


def update_if_unchanged(
    session: Session, snapshot: TransferSnapshot, van: list[str], values: dict[str, Any]
) -> bool:
    """``UPDATE ... WHERE id = :id AND versie = :read AND status IN (:van)``; True when it
    matched. Then the snapshot carries the new values and version, as the row now does."""
    names = tuple(sorted(values))
    params = {"w_id": snapshot.id, "w_versie": snapshot.versie, "w_van": van}
    params.update({f"v_{name}": values[name] for name in names})
    if session.connection().execute(_update_for(names), params).rowcount != 1:
        return False
    for name in names:
        setattr(snapshot, name, values[name])
    snapshot.versie += 1
    return True


def add_event(session: Session, snapshot: TransferSnapshot, values: dict[str, Any]) -> None:
    """Store an event (:data:`EVENT_FIELDS` and ``gebruiker_id``) in the transfer's
    timeline and show it in the snapshot."""
    session.connection().execute(_ADD_EVENT, {"overdracht_id": snapshot.id, **values})
    snapshot.gebeurtenissen.append(Event(**{name: values[name] for name in EVENT_FIELDS}))
