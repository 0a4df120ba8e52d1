"""One claim as the core sees it, its view for a reader, and a change of its state through the
core's state machine (a conditional UPDATE) with its event.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import Enum

from sqlalchemy import ColumnElement, false, or_, select, true, update
from sqlalchemy.orm import Session

from wpb.domain.claim import OVERGANGEN, OngeldigeClaimOvergang
from wpb.law.verrekening.claims import (
    Claim,
    ClaimSoort,
    ClaimStatus,
    change_status,
)
from wpb.law.verrekening.tijdlijn import (
    Grondslag,
    GrondslagSoort,
)
from wpb.service.auth.principal import Principal
from wpb.service.clock import utc_naive
from wpb.service.components.verrekening.common import gemeente_view
from wpb.service.components.verrekening.models import (
    VerrekeningClaim,
    VerrekeningClaimGebeurtenis,
)
from wpb.service.context import Context
from wpb.service.errors import (
    Conflict,
    NotFound,
)

# --- claims: conversion and views --------------------------------------------------------------


def claim_of(row: VerrekeningClaim) -> Claim:
    """The stored claim as the core's :class:`~wpb.law.verrekening.claims.Claim`."""
    return Claim(
        id=row.id,
        soort=ClaimSoort(row.soort),
        factuur=row.factuur,
        aanbieder=row.aanbieder,
        product=row.product,
        jeugdige=row.jeugdige,
        schuldeiser=row.schuldeiser,
        schuldenaar=row.schuldenaar,
        van=row.van,
        tot=row.tot,
        bedrag=int(row.bedrag),
        grondslagen=tuple(
            Grondslag(GrondslagSoort(g["soort"]), g["referentie"], g["omschrijving"])
            for g in json.loads(row.grondslagen)
        ),
        ontstaan=row.ontstaan,
        status=ClaimStatus(row.status),
        status_sinds=row.status_sinds,
        corrigeert=tuple(json.loads(row.corrigeert)),
        toelichting=row.toelichting,
        bsn=row.bsn,
    )


def row_of(c: Claim, moment: datetime) -> VerrekeningClaim:
    return VerrekeningClaim(
        id=c.id, soort=c.soort.value, factuur=c.factuur, aanbieder=c.aanbieder,
        product=c.product, jeugdige=c.jeugdige, bsn=c.bsn, schuldeiser=c.schuldeiser,
        schuldenaar=c.schuldenaar, van=c.van, tot=c.tot, bedrag=c.bedrag,
        grondslagen=json.dumps([g.to_json() for g in c.grondslagen], ensure_ascii=False),
        ontstaan=c.ontstaan, status=c.status.value, status_sinds=c.status_sinds or c.ontstaan,
        corrigeert=json.dumps(list(c.corrigeert)), toelichting=c.toelichting, versie=1,
        aangemaakt_op=moment, gewijzigd_op=moment,
    )


def claims_visible(principal: Principal) -> ColumnElement[bool]:
    if principal.is_coordinator:
        return true()
    if principal.is_gemeente:
        return or_(VerrekeningClaim.schuldeiser == principal.code,
                   VerrekeningClaim.schuldenaar == principal.code)
    return false()


class ClaimActie(str, Enum):
    ERKENNEN = "erkend"
    BETWISTEN = "betwist"
    INTREKKEN = "ingetrokken"
    BETAALD = "betaald"


def may_move(principal: Principal, row: VerrekeningClaim, naar: ClaimStatus) -> bool:
    """Who may move a claim (docs/verrekening.md, section 9)."""
    van = ClaimStatus(row.status)
    is_debtor = principal.is_gemeente and principal.code == row.schuldenaar
    is_creditor = principal.is_gemeente and principal.code == row.schuldeiser
    if van is ClaimStatus.BETWIST:
        return principal.is_coordinator  # resolving a dispute
    if naar in (ClaimStatus.ERKEND, ClaimStatus.BETWIST):
        return is_debtor
    if naar in (ClaimStatus.INGETROKKEN, ClaimStatus.BETAALD):
        return is_creditor
    return False


def claim_view(row: VerrekeningClaim, principal: Principal, ctx: Context) -> dict:
    view = claim_of(row).to_json()
    view["schuldeiser"] = gemeente_view(ctx, row.schuldeiser)
    view["schuldenaar"] = gemeente_view(ctx, row.schuldenaar)
    view["versie"] = row.versie
    view["mogelijkeStatussen"] = sorted(
        s.value for s in ClaimStatus
        if s in allowed_from(row.status) and may_move(principal, row, s)
    )
    return view


def allowed_from(status: str) -> frozenset[ClaimStatus]:
    return OVERGANGEN[ClaimStatus(status)]


def get_claim(session: Session, principal: Principal, claim_id: str) -> VerrekeningClaim:
    row = session.scalar(
        select(VerrekeningClaim)
        .where(VerrekeningClaim.id == claim_id, claims_visible(principal))
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise NotFound(f"Claim {claim_id} bestaat niet of is niet zichtbaar voor u.")
    return row


def claim_event(claim_id: str, van: str | None, naar: str, principal: Principal | None, ctx: Context,
           toelichting: str = "") -> VerrekeningClaimGebeurtenis:
    return VerrekeningClaimGebeurtenis(
        claim_id=claim_id, van_status=van, naar_status=naar, datum=ctx.today(),
        tijdstip=utc_naive(ctx.now()), organisatie=principal.label if principal else "systeem",
        gebruiker_id=principal.gebruiker_id if principal else None, toelichting=toelichting,
    )


def move_claim(
    session: Session, principal: Principal | None, ctx: Context, row: VerrekeningClaim,
    naar: ClaimStatus, toelichting: str,
) -> None:
    """Move one claim through the core's state machine with a conditional UPDATE."""
    try:
        changed = change_status(claim_of(row), naar, ctx.today(), toelichting)
    except OngeldigeClaimOvergang as exc:
        raise Conflict(str(exc), extra={"huidigeStatus": row.status}) from None
    moment = utc_naive(ctx.now())
    count = session.execute(
        update(VerrekeningClaim)
        .where(VerrekeningClaim.id == row.id, VerrekeningClaim.versie == row.versie,
               VerrekeningClaim.status == row.status)
        .values(status=naar.value, status_sinds=changed.status_sinds,
                toelichting=changed.toelichting, versie=row.versie + 1, gewijzigd_op=moment)
        .execution_options(synchronize_session=False)
    ).rowcount
    if count != 1:
        current = session.scalar(select(VerrekeningClaim.status).where(VerrekeningClaim.id == row.id))
        raise Conflict("De claim is zojuist door iemand anders gewijzigd.",
                       extra={"huidigeStatus": current})
    session.add(claim_event(row.id, row.status, naar.value, principal, ctx, toelichting))
    session.flush()
    session.refresh(row)
