"""Who sees which iJw message: the gemeente and the provider that are party to it, nobody
else; and the statuses a message goes through.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import Session

from wpb.ijw import models as m
from wpb.ijw.retour_types import RetourType
from wpb.service.auth.principal import Principal
from wpb.service.components.berichten.models import IjwBericht
from wpb.service.errors import (
    Forbidden,
    NotFound,
)

MAX_PAGE_SIZE = 200
IDENTIFICATIE_PREFIX = "WPB"  # + 9 digits: LDT_IdentificatieBericht allows 12 characters

# Statuses of a stored message.
ONTVANGEN = "ontvangen"  # any message without a proposal
BRP_OPVRAGEN = "brp_opvragen"  # a JW315 whose BRP data is being fetched
VOORSTEL = "voorstel"  # a JW315 with a proposed answer, not yet sent
IN_ONDERZOEK = "in_onderzoek"  # "aanvraag in onderzoek" sent; the final answer is still due
BEANTWOORD = "beantwoord"  # every product answered definitively
VERZONDEN = "verzonden"  # a message the service produced and sent
AFGEKEURD = "afgekeurd"  # refused (schema or rule errors); its retourbericht says why
OPEN_STATUSSEN = (BRP_OPVRAGEN, VOORSTEL, IN_ONDERZOEK)


def berichttype_of(value: str) -> m.BerichtType | RetourType:
    """A stored message's type: a message or a retourbericht."""
    try:
        return m.BerichtType(value)
    except ValueError:
        return RetourType(value)


def afzender_is_gemeente(type_: m.BerichtType | RetourType) -> bool:
    """A retourbericht goes back the way its message came."""
    if isinstance(type_, RetourType):
        return not type_.heen.afzender_is_gemeente
    return type_.afzender_is_gemeente


# --- who sees what --------------------------------------------------------------------------


def partijen_of(bericht: m.Bericht) -> tuple[str, str]:
    """(gemeentecode, AGB code) of a message, whichever way it goes."""
    h = bericht.header
    return (h.afzender, h.ontvanger) if bericht.type.afzender_is_gemeente else (h.ontvanger, h.afzender)


def may_submit(principal: Principal, bericht: m.Bericht) -> bool:
    """Only the sender itself (S2): a provider submits the messages a provider sends, under
    its own AGB code; a gemeente the ones a gemeente sends, under its own code. Nobody can
    put a message in another party's name, nor squat its identification."""
    if bericht.type.afzender_is_gemeente:
        return principal.is_gemeente and principal.code == bericht.header.afzender
    return principal.is_aanbieder and principal.code == bericht.header.afzender


def visible_clause(principal: Principal) -> ColumnElement[bool]:
    if principal.is_gemeente:
        return IjwBericht.gemeente == principal.code
    if principal.is_aanbieder:
        return IjwBericht.aanbieder == principal.code
    return false()


def _not_found(bericht_id: int | str) -> NotFound:
    return NotFound(f"Bericht {bericht_id} bestaat niet of is niet zichtbaar voor u.")


def get_visible(session: Session, principal: Principal, bericht_id: int | str) -> IjwBericht:
    """The message ``bericht_id`` names if ``principal`` may see it: its public id (a ``str``,
    from a URL or a body; S10) or its internal key (an ``int``, from the service's own code).
    An old integer URL is a string of digits: the 404 of an unknown message."""
    by = IjwBericht.id if isinstance(bericht_id, int) else IjwBericht.publiek_id
    row = session.scalar(
        select(IjwBericht)
        .where(by == bericht_id, visible_clause(principal))
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise _not_found(bericht_id)
    return row


def require_gemeente(principal: Principal, row: IjwBericht) -> None:
    if not (principal.is_gemeente and principal.code == row.gemeente):
        raise Forbidden("Alleen de gemeente van dit bericht kan het antwoord voorstellen of versturen.")
