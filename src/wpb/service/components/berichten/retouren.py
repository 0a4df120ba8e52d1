"""Retourberichten in the service (issue 18 item 11).

**Made.** Every message the gemeente receives (JW305, JW307, JW315, JW317, JW323) gets its
retourbericht (JW306, JW308, JW316, JW318, or the JW325 declaratie-antwoord) from
:func:`wpb.ijw.retour.build_retour`, with a fresh number from the service's counter. It is
kept as a message the gemeente sends, linked to the message it answers, due within OP090's
3 werkdagen after receipt, and the provider can fetch it as XML.

**Refused.** A message the gemeente receives that fails the XSD, a datatype or a rule is
refused (400), but when its header names its sender, the gemeente and its identification,
the message is kept (status ``afgekeurd``) with its retourbericht: the retourcodes of the
checks that fired (0001 in the header when the body could not be read), downloadable like
any other. A message of a type wpb does not process ("niet ondersteund") or without a
readable header gets no retourbericht. TR056 holds for refused messages too: the same
message again gets the same retourbericht; a corrected message needs a new
BerichtIdentificatie.

**Received.** The gemeente receives a JW302 on each JW301 and a JW320 on each JW319. The
provider that received that message submits the retourbericht; it is matched with
:func:`wpb.ijw.retour_lezen.koppel` to the sent message (same type, sender and
BerichtIdentificatie) and kept beside it with its retourcodes. A retourbericht that
answers no message this provider received from the service is refused (409), and nothing
is kept.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wpb.ijw.ontvangst import Validatie
from wpb.ijw.retour import build_retour
from wpb.ijw.retour_lezen import OntvangenRetour, koppel
from wpb.ijw.retour_types import ONTVANGEN_DOOR_GEMEENTE, RetourType
from wpb.ijw.rules import Registratie
from wpb.ijw.xml_read import read_bericht
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.clock import utc_naive
from wpb.service.components.berichten.access import ONTVANGEN, VERZONDEN
from wpb.service.components.berichten.models import IjwBericht
from wpb.service.components.berichten.store import volgnummer
from wpb.service.components.berichten.voorstel import local_now
from wpb.service.context import Context
from wpb.service.errors import Conflict, Forbidden, InvalidRequest

RETOUR_PREFIX = "WPR"  # + 9 digits: IdentificatieRetour, a counter of its own
# The retourberichten a gemeente receives: on what it sent.
ONTVANGEN_RETOUREN = (RetourType.JW302, RetourType.JW320)


def make_retour(session: Session, ctx: Context, received: IjwBericht, data: bytes,
                validatie: Validatie) -> IjwBericht | None:
    """Make and keep the retourbericht on ``received`` (a message the gemeente receives),
    also when it was refused: then the retourcodes say why. Raises
    :class:`wpb.ijw.retour.RetourOnmogelijk` when its header cannot be answered."""
    if validatie.type not in ONTVANGEN_DOOR_GEMEENTE:
        return None
    ontvangstdatum = received.ontvangstdatum or ctx.today()
    retour = build_retour(
        data, validatie, ontvangen_op=ontvangstdatum, nu=local_now(ctx),
        identificatie=f"{RETOUR_PREFIX}{volgnummer(session, 'retour'):09d}",
    )
    gemeente = received.gemeente
    row = IjwBericht(
        berichttype=retour.type.value, afzender=gemeente or "", identificatie=retour.identificatie,
        inhoud_hash=hashlib.sha256(retour.xml).hexdigest(), ontvangen_op=utc_naive(ctx.now()),
        bron="wpb", gemeente=gemeente, aanbieder=received.aanbieder, bsn=received.bsn,
        dagtekening=retour.dagtekening, ontvangstdatum=ontvangstdatum,
        xml=retour.xml.decode("utf-8"), xsd_gecontroleerd=False,
        organisatie=f"gemeente:{gemeente}", gebruiker_id=None, status=VERZONDEN, versie=1,
        uiterlijk=retour.termijn.uiterlijk, antwoord_op_id=received.id,
        retour=json.dumps(retour.to_json(), ensure_ascii=False),
    )
    session.add(row)
    session.flush()
    return row


def _sent_message(session: Session, principal: Principal, retour: OntvangenRetour) -> IjwBericht:
    """The message (sent to this provider) that ``retour`` answers, matched by koppel."""
    candidates = session.scalars(
        select(IjwBericht).where(
            IjwBericht.berichttype == retour.beantwoordt.type.value,
            IjwBericht.afzender == retour.beantwoordt.afzender,
            IjwBericht.identificatie == retour.beantwoordt.identificatie,
            IjwBericht.aanbieder == principal.code,
        ).order_by(IjwBericht.id)
    ).all()
    for row in candidates:
        if row.xml is None:
            continue
        if koppel(retour, [read_bericht(row.xml.encode("utf-8"), bron=f"bericht {row.id}")]):
            return row
    raise Conflict(
        f"Dit {retour.type.value} antwoordt op {retour.beantwoordt.type.value} "
        f"{retour.beantwoordt.identificatie} van {retour.beantwoordt.afzender}, maar zo'n bericht "
        "is niet aan uw organisatie verstuurd; er is niets ontvangen."
    )


def receive_retour(session: Session, principal: Principal, ctx: Context, data: bytes,
                   retour: OntvangenRetour, xsd_gecontroleerd: bool) -> tuple[Registratie, int]:
    """Keep a JW302/JW320 beside the message it answers; once per retour identification."""
    if retour.type not in ONTVANGEN_RETOUREN:
        raise InvalidRequest(
            f"Een {retour.type.value} stuurt de gemeente zelf; de dienst ontvangt als "
            "retourbericht alleen JW302 (op een JW301) en JW320 (op een JW319).",
            [("/Bericht", "niet ondersteund als ontvangen bericht")],
        )
    # S2: the provider that received the message sends its retourbericht, nobody else.
    if not (principal.is_aanbieder and principal.code == retour.ontvanger):
        raise Forbidden("Alleen de aanbieder die het bericht ontving, stuurt het retourbericht.")
    sent = _sent_message(session, principal, retour)
    inhoud_hash = hashlib.sha256(data).hexdigest()
    earlier = session.scalar(select(IjwBericht).where(
        IjwBericht.berichttype == retour.type.value, IjwBericht.afzender == principal.code,
        IjwBericht.identificatie == retour.identificatie,
        IjwBericht.organisatie == principal.label))
    if earlier is not None:
        if earlier.inhoud_hash != inhoud_hash:
            raise Conflict(f"IdentificatieRetour {retour.identificatie} is al ontvangen met een "
                           "andere inhoud (TR056).")
        return Registratie.HERHAALD, earlier.id
    row = IjwBericht(
        berichttype=retour.type.value, afzender=principal.code, identificatie=retour.identificatie,
        inhoud_hash=inhoud_hash, ontvangen_op=utc_naive(ctx.now()), bron="ingediend",
        gemeente=sent.gemeente, aanbieder=sent.aanbieder, bsn=sent.bsn,
        dagtekening=retour.dagtekening, ontvangstdatum=ctx.today(), xml=data.decode("utf-8"),
        xsd_gecontroleerd=xsd_gecontroleerd, organisatie=principal.label,
        gebruiker_id=principal.gebruiker_id, status=ONTVANGEN, versie=1, antwoord_op_id=sent.id,
        retour=json.dumps({**retour.to_json(), "afgekeurd": len(retour.afgekeurd)},
                          ensure_ascii=False),
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # the same retourbericht at the same moment: the first one counts
        raise Conflict("Dit retourbericht wordt op dit moment al ontvangen; probeer het opnieuw.") from None
    audit.record(session, principal, "bericht.ontvangen", bsn=row.bsn,
                 details={"bericht": row.id, "berichttype": row.berichttype, "op": sent.id},
                 now=ctx.now())
    return Registratie.NIEUW, row.id
