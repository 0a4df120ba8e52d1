"""Sending the answer: the gemeente approves the proposal, the service makes the JW301 and/or
JW319 messages with fresh numbers, checks them and keeps them as sent messages.
"""

from __future__ import annotations

import dataclasses
import json

from sqlalchemy import update
from sqlalchemy.orm import Session

from wpb.ijw import models as m
from wpb.ijw import rules
from wpb.ijw.ontvangst import valideer
from wpb.ijw.schema import XsdUnavailable
from wpb.ijw.woonplaats_antwoord import (
    AntwoordSoort,
)
from wpb.ijw.xml_write import write_bericht
from wpb.law import termijnen as termijn_regels
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.clock import utc_naive
from wpb.service.components.berichten.access import (
    BEANTWOORD,
    IDENTIFICATIE_PREFIX,
    IN_ONDERZOEK,
    VERZONDEN,
    VOORSTEL,
    get_visible,
    partijen_of,
    require_gemeente,
)
from wpb.service.components.berichten.instemming import require_instemming
from wpb.service.components.berichten.models import IjwBericht
from wpb.service.components.berichten.receive import ongeldig_problem
from wpb.service.components.berichten.store import volgnummer
from wpb.service.components.berichten.views import bericht_view
from wpb.service.components.berichten.voorstel import (
    huidige_toewijzingen,
    make_voorstel,
    verzoek_of,
)
from wpb.service.context import Context
from wpb.service.errors import (
    Conflict,
    NotConfigured,
)

# --- sending the answer ----------------------------------------------------------------------


def _te_versturen(voorstel, verzonden: dict[str, str]) -> list[m.Bericht]:
    """The messages of ``voorstel`` that still have to go: no product is answered twice
    definitively, and "in onderzoek" goes once per product (CD086)."""
    def open_(ref: str, soort: AntwoordSoort) -> bool:
        earlier = verzonden.get(ref)
        if earlier is None:
            return True
        if earlier != AntwoordSoort.IN_ONDERZOEK.value:
            return False
        return soort is not AntwoordSoort.IN_ONDERZOEK

    out: list[m.Bericht] = []
    if voorstel.toewijzing is not None:
        keep = {p.referentie_aanbieder for p in voorstel.producten
                if p.soort is AntwoordSoort.TOEWIJZING and open_(p.referentie_aanbieder, p.soort)}
        producten = tuple(tp for tp in voorstel.toewijzing.client.toegewezen_producten
                          if tp.referentie_aanbieder in keep)
        if producten:
            client = dataclasses.replace(voorstel.toewijzing.client, toegewezen_producten=producten)
            out.append(dataclasses.replace(voorstel.toewijzing, client=client))
    for p in voorstel.producten:
        if p.antwoord is not None and open_(p.referentie_aanbieder, p.soort):
            out.append(p.antwoord)
    return out


def approve_antwoord(
    session: Session, principal: Principal, ctx: Context, bericht_id: int, *,
    versie: int | None = None,
) -> dict:
    """Approve the proposed answer of a JW315 and send it: the JW301 and/or JW319 messages.

    Only the addressed gemeente. The proposal is made again with the same BRP data and
    today's date; when it no longer says the same (another answer or gemeente for a
    product), nothing is sent (409: ask for a new proposal). A toewijzing that lacks the
    client's address (TR061) cannot be sent (409, naming what is missing).
    """
    row = get_visible(session, principal, bericht_id)
    require_gemeente(principal, row)
    if row.berichttype != m.BerichtType.JW315.value:
        raise Conflict("Alleen een verzoek om toewijzing (JW315) heeft een voorgesteld antwoord.")
    if row.status not in (VOORSTEL, IN_ONDERZOEK) or row.voorstel is None:
        raise Conflict(f"Er is geen voorstel om te versturen (status {row.status}).",
                       extra={"huidigeStatus": row.status})
    if versie is not None and versie != row.versie:
        raise Conflict("Het verzoek is intussen gewijzigd; bekijk het opnieuw.",
                       extra={"huidigeStatus": row.status, "huidigeVersie": row.versie})
    stored = json.loads(row.voorstel)
    verzoek = verzoek_of(row)
    doc = json.loads(row.brp_document) if row.brp_document else None
    read_versie = row.versie

    # Claim the request first: of two approvals at once only one passes this update.
    claimed = session.execute(
        update(IjwBericht)
        .where(IjwBericht.id == row.id, IjwBericht.versie == read_versie,
               IjwBericht.status.in_((VOORSTEL, IN_ONDERZOEK)))
        .values(versie=read_versie + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise Conflict("Het verzoek is zojuist door iemand anders behandeld.")
    session.refresh(row)

    voorstel, _ = make_voorstel(
        verzoek, doc, ctx, row.ontvangstdatum or ctx.today(),
        identificatie=lambda: f"{IDENTIFICATIE_PREFIX}{volgnummer(session, 'identificatie'):09d}",
        toewijzingnummer=lambda: volgnummer(session, "toewijzingnummer"),
        toewijzingen=huidige_toewijzingen(session, row.gemeente or "", verzoek.client.bsn),
    )
    was = [(p["referentieAanbieder"], p["soort"], p["verantwoordelijkeGemeente"])
           for p in stored["producten"]]
    now_ = [(p.referentie_aanbieder, p.soort.value, p.verantwoordelijke_gemeente)
            for p in voorstel.producten]
    if was != now_:
        raise Conflict("Het voorstel is verouderd; vraag een nieuw voorstel aan.")
    if any(p.soort is AntwoordSoort.TOEWIJZING for p in voorstel.producten) and voorstel.ontbrekend:
        raise Conflict(
            "De toewijzing kan nog niet worden verstuurd.",
            [("voorstel.ontbrekend", item) for item in voorstel.ontbrekend],
        )
    verzonden: dict[str, str] = dict(stored.get("verzonden", {}))
    berichten = _te_versturen(voorstel, verzonden)
    if not berichten:
        raise Conflict("Er is niets nieuws te versturen: elk product is al beantwoord of al als "
                       "'in onderzoek' gemeld (CD086); vraag eerst een nieuw voorstel aan.")
    # Issue 18 item 12: a JW319 with reden 8 waits for the named gemeente's agreement.
    require_instemming(session, row, voorstel, berichten)

    now = ctx.now()
    sent: list[dict] = []
    for bericht in berichten:
        data = write_bericht(bericht)  # refuses a message that breaks a datatype
        if ctx.settings.ijw_xsd_dir is not None:
            try:
                check = valideer(data, register=ctx.register, xsd_dir=ctx.settings.ijw_xsd_dir,
                                 vandaag=ctx.today())
            except XsdUnavailable as exc:
                raise NotConfigured(f"De XSD-controle is ingesteld maar niet bruikbaar: {exc}") from None
            if not check.geldig:
                raise ongeldig_problem(check.problems, f"Het voorgestelde {bericht.type.value} is ongeldig.")
        gemeente, aanbieder = partijen_of(bericht)
        out = IjwBericht(
            berichttype=bericht.type.value, afzender=bericht.header.afzender,
            identificatie=bericht.header.identificatie, inhoud_hash=rules.inhoud_hash(bericht),
            ontvangen_op=utc_naive(now), bron="wpb", gemeente=gemeente, aanbieder=aanbieder,
            bsn=row.bsn, dagtekening=bericht.header.dagtekening, ontvangstdatum=ctx.today(),
            xml=data.decode("utf-8"), xsd_gecontroleerd=ctx.settings.ijw_xsd_dir is not None,
            organisatie=principal.label, gebruiker_id=principal.gebruiker_id, status=VERZONDEN,
            versie=1, antwoord_op_id=row.id,
        )
        session.add(out)
        session.flush()
        sent.append({"id": out.publiek_id, "berichttype": out.berichttype,
                     "identificatie": out.identificatie, "xml": out.xml})
    for p in voorstel.producten:
        if p.referentie_aanbieder not in verzonden or \
                verzonden[p.referentie_aanbieder] == AntwoordSoort.IN_ONDERZOEK.value:
            verzonden[p.referentie_aanbieder] = p.soort.value
    stored["verzonden"] = verzonden
    row.voorstel = json.dumps(stored, ensure_ascii=False)
    pending = any(v == AntwoordSoort.IN_ONDERZOEK.value for v in verzonden.values())
    row.status = IN_ONDERZOEK if pending else BEANTWOORD
    row.beantwoord_op = utc_naive(now)
    if pending:
        # The final answer is due within 8 weeks of the verzoek's dagtekening (OP274).
        row.uiterlijk = termijn_regels.na_onderzoek(verzoek.header.dagtekening).uiterlijk
    session.flush()
    audit.record(
        session, principal, "bericht.antwoord", bsn=row.bsn,
        details={"bericht": row.publiek_id, "verzonden": [f"{s['berichttype']}/{s['identificatie']}" for s in sent]},
        now=now,
    )
    return {"verzoek": bericht_view(session, row, principal, ctx, detail=True), "berichten": sent}
