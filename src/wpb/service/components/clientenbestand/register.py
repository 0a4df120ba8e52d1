"""The caseload as the register of current toewijzingen (issue 18 item 10, IV094/OP087).

A JW301 that answers a verzoek must hold all other current toegewezen producten of the
client at that provider. The gemeente's caseload is its register of toewijzingen; the
berichten component asks it through its port
(:class:`wpb.service.components.berichten.ports.Toewijzingenregister`), which the service's
assembly wires to :func:`huidige_toewijzingen`. Only the addressed gemeente's own caseload
is read, and only its Jeugdwet toewijzingen (a JW301 is an iJw message; Wmo beschermd
wonen goes by iWmo).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from wpb.caseload.model import JEUGDWET
from wpb.ijw.toewijzingen import HuidigeToewijzing
from wpb.service.components.beheer.models import Organisatie
from wpb.service.components.clientenbestand.models import ClientToewijzing


def huidige_toewijzingen(session: Session, gemeente: str, bsn: str) -> tuple[HuidigeToewijzing, ...]:
    """The youth's Jeugdwet toewijzingen in ``gemeente``'s own caseload, oldest first
    (ended ones too: the reader decides what is current on its day)."""
    rows = session.scalars(
        select(ClientToewijzing)
        .join(Organisatie, Organisatie.id == ClientToewijzing.eigenaar_id)
        .where(Organisatie.soort == "gemeente", Organisatie.code == gemeente,
               ClientToewijzing.bsn == bsn, ClientToewijzing.wet == JEUGDWET)
        .order_by(ClientToewijzing.begindatum, ClientToewijzing.id)
    ).all()
    return tuple(HuidigeToewijzing.of_caseload(r) for r in rows)
