"""Disputes (geschillen) between parties: registering, escalating, resolving and withdrawing.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from sqlalchemy import ColumnElement, false, select, true, update
from sqlalchemy.orm import Session, selectinload

from wpb.law.bsn import bsn_problem
from wpb.law.verrekening.claims import (
    ClaimStatus,
)
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.clock import utc_naive
from wpb.service.components.verrekening.claim_state import get_claim, move_claim
from wpb.service.components.verrekening.common import audit_per_youth, iso, pseudonimiseerder
from wpb.service.components.verrekening.models import (
    Geschil,
    GeschilGebeurtenis,
    GeschilPartij,
    VerrekeningClaim,
)
from wpb.service.context import Context
from wpb.service.errors import (
    Conflict,
    Forbidden,
    InvalidRequest,
    NotFound,
)
from wpb.service.public_ids import internal_id, public_ids

# --- disputes (geschillen) --------------------------------------------------------------------


class Niveau(str, Enum):
    """Escalation levels, in order: a dispute only moves up."""

    REGIOADVISEUR = "regioadviseur"
    GESCHILLENCOMMISSIE = "geschillencommissie_sociaal_domein"
    JEUGDAUTORITEIT = "jeugdautoriteit"
    RECHTER = "rechter"


NIVEAUS = tuple(Niveau)
MAX_TEKST = 10_000


def geschillen_visible(principal: Principal) -> ColumnElement[bool]:
    if principal.is_coordinator:
        return true()
    if principal.is_gemeente or principal.is_aanbieder:
        return Geschil.id.in_(
            select(GeschilPartij.geschil_id).where(
                GeschilPartij.soort == principal.soort.value, GeschilPartij.code == principal.code
            )
        )
    return false()


def open_geschil_of(session: Session, claim_id: str) -> Geschil | None:
    return session.scalar(
        select(Geschil).where(Geschil.claim_id == claim_id, Geschil.status == "open").limit(1)
    )


def geschil_view(row: Geschil, ctx: Context) -> dict:
    return {
        "id": row.publiek_id,
        "onderwerp": row.onderwerp,
        "claimId": row.claim_id,
        "jeugdige": row.jeugdige,
        "omschrijving": row.omschrijving,
        "status": row.status,
        "niveau": row.niveau,
        "uitkomst": row.uitkomst,
        "versie": row.versie,
        "ingediendDoor": row.ingediend_door,
        "ingediendOp": iso(row.ingediend_op),
        "opgelostOp": iso(row.opgelost_op),
        "partijen": [
            {"soort": p.soort, "code": p.code,
             "naam": ctx.register.naam(p.code) if p.soort == "gemeente" and p.code in ctx.register
             else None}
            for p in row.partijen
        ],
        "gebeurtenissen": [
            {"soort": g.soort, "vanNiveau": g.van_niveau, "naarNiveau": g.naar_niveau,
             "datum": iso(g.datum), "organisatie": g.organisatie, "toelichting": g.toelichting}
            for g in row.gebeurtenissen
        ],
    }


def _geschil_event(row: Geschil, soort: str, principal: Principal, ctx: Context, *,
                   van: str | None = None, naar: str | None = None, toelichting: str = "") -> None:
    row.gebeurtenissen.append(GeschilGebeurtenis(
        soort=soort, van_niveau=van, naar_niveau=naar, datum=ctx.today(),
        tijdstip=utc_naive(ctx.now()), organisatie=principal.label,
        gebruiker_id=principal.gebruiker_id, toelichting=toelichting,
    ))


def register_geschil(
    session: Session, principal: Principal, ctx: Context, *, onderwerp: str,
    omschrijving: str, partijen: Sequence[dict] = (), claim_id: str | None = None,
    bsn: str | None = None, niveau: str = Niveau.REGIOADVISEUR.value,
) -> dict:
    """Register a dispute about a claim or a youth between municipalities (or with a provider).

    The registering organisation is a party (the coordinator may register for others). A
    dispute about a claim has its two gemeenten as parties and puts an ``open`` claim in
    ``betwist``, so it stays out of netting until the dispute is resolved.
    """
    problems: list[tuple[str, str]] = []
    if onderwerp not in ("claim", "jeugdige"):
        problems.append(("onderwerp", "kies claim of jeugdige"))
    if not omschrijving.strip() or len(omschrijving) > MAX_TEKST:
        problems.append(("omschrijving", f"verplicht, hoogstens {MAX_TEKST} tekens"))
    try:
        niveau = Niveau(niveau).value
    except ValueError:
        problems.append(("niveau", f"kies uit {', '.join(n.value for n in NIVEAUS)}"))
    parties: set[tuple[str, str]] = set()
    for i, p in enumerate(partijen):
        soort, code = str(p.get("soort", "")), str(p.get("code", ""))
        known = (soort == "gemeente" and code in ctx.register) or (
            soort == "aanbieder" and len(code) == 8 and code.isdigit())
        if known:
            parties.add((soort, code))
        else:
            problems.append((f"partijen[{i}]", "verwacht een gemeente uit de gemeentetabel of een "
                                               "aanbieder met een AGB-code van 8 cijfers"))
    if principal.is_gemeente or principal.is_aanbieder:
        parties.add((principal.soort.value, principal.code))
    elif not principal.is_coordinator:
        raise Forbidden("U kunt geen geschil registreren.")
    claim_row = None
    jeugdige = None
    if onderwerp == "claim":
        if not claim_id:
            problems.append(("claimId", "verplicht bij een geschil over een claim"))
        if bsn is not None:
            problems.append(("bsn", "niet bij een geschil over een claim"))
    elif onderwerp == "jeugdige":
        problem = bsn_problem(bsn) if bsn else "verplicht bij een geschil over een jeugdige"
        if problem:
            problems.append(("bsn", problem))
    if problems:
        raise InvalidRequest("Het geschil is niet compleet.", problems)
    if onderwerp == "claim":
        if principal.is_aanbieder:
            raise NotFound(f"Claim {claim_id} bestaat niet of is niet zichtbaar voor u.")
        claim_row = get_claim(session, principal, str(claim_id))
        parties |= {("gemeente", claim_row.schuldeiser), ("gemeente", claim_row.schuldenaar)}
        if claim_row.status not in (ClaimStatus.OPEN.value, ClaimStatus.BETWIST.value):
            raise Conflict(f"Een {claim_row.status} claim kan niet meer betwist worden.",
                           extra={"huidigeStatus": claim_row.status})
        if open_geschil_of(session, claim_row.id) is not None:
            raise Conflict("Over deze claim loopt al een geschil.")
        jeugdige, bsn = claim_row.jeugdige, claim_row.bsn
    else:
        jeugdige = pseudonimiseerder(ctx)(str(bsn))
    if len(parties) < 2:
        raise InvalidRequest("Een geschil heeft minstens twee partijen.",
                             [("partijen", "noem de andere partij(en)")])
    moment = utc_naive(ctx.now())
    row = Geschil(
        onderwerp=onderwerp, claim_id=claim_row.id if claim_row else None, jeugdige=jeugdige,
        bsn=bsn, omschrijving=omschrijving.strip(), status="open", niveau=niveau, versie=1,
        ingediend_door=principal.label, gebruiker_id=principal.gebruiker_id,
        ingediend_op=ctx.today(), aangemaakt_op=moment, gewijzigd_op=moment,
    )
    row.partijen = [GeschilPartij(soort=s, code=c) for s, c in sorted(parties)]
    _geschil_event(row, "registratie", principal, ctx, naar=niveau)
    session.add(row)
    session.flush()
    if claim_row is not None and claim_row.status == ClaimStatus.OPEN.value:
        move_claim(session, principal, ctx, claim_row, ClaimStatus.BETWIST,
                    f"betwist met geschil {row.publiek_id}")
    audit.record(session, principal, "geschil.registreren", bsn=bsn,
                 details={"geschil": row.publiek_id, "claim": row.claim_id}, now=ctx.now())
    return geschil_view(row, ctx)


def _get_geschil(session: Session, principal: Principal, geschil_id: str) -> Geschil:
    """The geschil ``geschil_id`` (its public id, S10) if the caller is party to it;
    otherwise, and for an old integer id, the 404 of one that does not exist."""
    row = session.scalar(
        select(Geschil).where(Geschil.publiek_id == str(geschil_id), geschillen_visible(principal))
        .options(selectinload(Geschil.partijen), selectinload(Geschil.gebeurtenissen))
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise NotFound(f"Geschil {geschil_id} bestaat niet of is niet zichtbaar voor u.")
    return row


def _bump_geschil(session: Session, row: Geschil, versie: int | None, ctx: Context, **values) -> None:
    if versie is not None and versie != row.versie:
        raise Conflict("Het geschil is intussen gewijzigd.", extra={"huidigeStatus": row.status})
    count = session.execute(
        update(Geschil)
        .where(Geschil.id == row.id, Geschil.versie == row.versie, Geschil.status == "open")
        .values(versie=row.versie + 1, gewijzigd_op=utc_naive(ctx.now()), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if count != 1:
        raise Conflict("Het geschil is zojuist door iemand anders gewijzigd.")
    session.refresh(row)


def _require_open(row: Geschil) -> None:
    if row.status != "open":
        raise Conflict(f"Het geschil is {row.status}.", extra={"huidigeStatus": row.status})


def escalate_geschil(session: Session, principal: Principal, ctx: Context, geschil_id: int,
                     naar: str, *, toelichting: str = "", versie: int | None = None) -> dict:
    """Move a dispute up: regioadviseur → Geschillencommissie Sociaal Domein →
    Jeugdautoriteit → rechter. A party or the coordinator; never down."""
    row = _get_geschil(session, principal, geschil_id)
    _require_open(row)
    try:
        target = Niveau(naar)
    except ValueError:
        raise InvalidRequest("Onbekend niveau.",
                             [("naar", f"kies uit {', '.join(n.value for n in NIVEAUS)}")]) from None
    if NIVEAUS.index(target) <= NIVEAUS.index(Niveau(row.niveau)):
        raise Conflict(f"Het geschil ligt al bij {row.niveau}; escaleren gaat alleen omhoog.",
                       extra={"huidigNiveau": row.niveau})
    van = row.niveau
    _bump_geschil(session, row, versie, ctx, niveau=target.value)
    _geschil_event(row, "escalatie", principal, ctx, van=van, naar=target.value,
                   toelichting=toelichting[:MAX_TEKST])
    session.flush()
    audit.record(session, principal, "geschil.escaleren", bsn=row.bsn,
                 details={"geschil": row.publiek_id, "naar": target.value}, now=ctx.now())
    return geschil_view(row, ctx)


def resolve_geschil(session: Session, principal: Principal, ctx: Context, geschil_id: int, *,
                   uitkomst: str, claim: str | None = None, versie: int | None = None) -> dict:
    """Record the outcome (coordinator). For a dispute about a claim the outcome decides
    it: ``erkend`` (the claim stands) or ``ingetrokken``."""
    row = _get_geschil(session, principal, geschil_id)
    if not principal.is_coordinator:
        raise Forbidden("De uitkomst van een geschil legt de coördinator vast.")
    _require_open(row)
    if not uitkomst.strip() or len(uitkomst) > MAX_TEKST:
        raise InvalidRequest("De uitkomst ontbreekt.", [("uitkomst", "verplicht")])
    target = None
    if row.onderwerp == "claim":
        if claim not in (ClaimStatus.ERKEND.value, ClaimStatus.INGETROKKEN.value):
            raise InvalidRequest("Zeg wat er met de claim gebeurt.",
                                 [("claim", "erkend of ingetrokken")])
        target = ClaimStatus(claim)
    elif claim is not None:
        raise InvalidRequest("Dit geschil gaat niet over een claim.", [("claim", "niet van toepassing")])
    _bump_geschil(session, row, versie, ctx, status="opgelost", uitkomst=uitkomst.strip(),
                  opgelost_op=ctx.today())
    _geschil_event(row, "oplossing", principal, ctx, toelichting=uitkomst.strip())
    session.flush()
    if target is not None and row.claim_id is not None:
        claim_row = session.get(VerrekeningClaim, row.claim_id, populate_existing=True)
        assert claim_row is not None
        if claim_row.status == ClaimStatus.BETWIST.value:
            move_claim(session, principal, ctx, claim_row, target,
                        f"geschil {row.publiek_id} opgelost: {uitkomst.strip()}")
    audit.record(session, principal, "geschil.oplossen", bsn=row.bsn,
                 details={"geschil": row.publiek_id, "claim": claim}, now=ctx.now())
    return geschil_view(row, ctx)


def withdraw_geschil(session: Session, principal: Principal, ctx: Context, geschil_id: int, *,
                    toelichting: str = "", versie: int | None = None) -> dict:
    """The organisation that registered the dispute withdraws it. About a claim: the
    schuldenaar that drops its dispute acknowledges the claim (``erkend``); the schuldeiser
    that drops it withdraws the claim (``ingetrokken``)."""
    row = _get_geschil(session, principal, geschil_id)
    _require_open(row)
    if row.ingediend_door != principal.label:
        raise Forbidden("Alleen wie het geschil registreerde, kan het intrekken.")
    _bump_geschil(session, row, versie, ctx, status="ingetrokken", opgelost_op=ctx.today())
    _geschil_event(row, "intrekking", principal, ctx, toelichting=toelichting[:MAX_TEKST])
    session.flush()
    if row.claim_id is not None:
        claim_row = session.get(VerrekeningClaim, row.claim_id, populate_existing=True)
        assert claim_row is not None
        if claim_row.status == ClaimStatus.BETWIST.value and principal.is_gemeente:
            if principal.code == claim_row.schuldenaar:
                move_claim(session, principal, ctx, claim_row, ClaimStatus.ERKEND,
                            f"geschil {row.publiek_id} ingetrokken door de schuldenaar")
            elif principal.code == claim_row.schuldeiser:
                move_claim(session, principal, ctx, claim_row, ClaimStatus.INGETROKKEN,
                            f"geschil {row.publiek_id} ingetrokken door de schuldeiser")
    audit.record(session, principal, "geschil.intrekken", bsn=row.bsn,
                 details={"geschil": row.publiek_id}, now=ctx.now())
    return geschil_view(row, ctx)


def list_geschillen(session: Session, principal: Principal, ctx: Context, *,
                    status: str | None = None) -> list[dict]:
    query = select(Geschil).where(geschillen_visible(principal)).options(
        selectinload(Geschil.partijen), selectinload(Geschil.gebeurtenissen))
    if status is not None:
        query = query.where(Geschil.status == status)
    rows = session.scalars(query.order_by(Geschil.id.desc())).all()
    audit_per_youth(session, principal, ctx, "geschil.lijst", rows, key="geschillen")
    return [geschil_view(r, ctx) for r in rows]


def read_geschil(session: Session, principal: Principal, ctx: Context, geschil_id: int) -> dict:
    row = _get_geschil(session, principal, geschil_id)
    audit.record(session, principal, "geschil.lezen", bsn=row.bsn, details={"geschil": row.publiek_id},
                 now=ctx.now())
    return geschil_view(row, ctx)


def open_geschil_for_bezwaar(session: Session, principal: Principal, ctx: Context, *, bsn: str,
                             andere_gemeente: str, omschrijving: str) -> int:
    """The geschil an objection to a JW319 with reden 8 opens (issue 18 item 12): about the
    youth, between the objecting gemeente (``principal``) and the gemeente that proposed
    the answer. The berichten component calls this through its port
    (:class:`wpb.service.components.berichten.ports.Geschilopener`)."""
    view = register_geschil(
        session, principal, ctx, onderwerp="jeugdige", omschrijving=omschrijving,
        partijen=[{"soort": "gemeente", "code": andere_gemeente}], bsn=bsn,
    )
    return internal_id(session, Geschil, view["id"])


def public_id_of(session: Session, geschil_id: int) -> str | None:
    """The public id of a geschil by its internal key, for the berichten component's port
    (:class:`wpb.service.components.berichten.ports.Geschilnaam`)."""
    return public_ids(session, Geschil, [geschil_id]).get(geschil_id)
