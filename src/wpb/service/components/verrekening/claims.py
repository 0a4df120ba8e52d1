"""Claims between gemeenten: computing them from invoices and decisions, reading and searching
them, and changing their state with the rights of each party.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from wpb.law.bsn import bsn_problem
from wpb.law.verrekening.claims import (
    LOPEND,
    ClaimStatus,
    compute_claims,
    recompute,
)
from wpb.law.verrekening.tijdlijn import (
    TijdlijnConflict,
    WoonplaatsBeslissing,
    build_tijdlijn,
)
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.clock import utc_naive
from wpb.service.components.overdrachten.models import WET_JEUGDWET, Overdracht
from wpb.service.components.overdrachten.views import facts_for_rules
from wpb.service.components.verrekening.claim_state import (
    allowed_from,
    claim_event,
    claim_of,
    claim_view,
    claims_visible,
    get_claim,
    may_move,
    move_claim,
    row_of,
)
from wpb.service.components.verrekening.common import (
    audit_per_youth,
    chunks,
    iso,
    only_gemeenten,
    pseudonimiseerder,
)
from wpb.service.components.verrekening.facturen import check_page, factuur_of
from wpb.service.components.verrekening.geschillen import geschillen_visible, open_geschil_of
from wpb.service.components.verrekening.models import (
    Geschil,
    VerrekeningBeslissing,
    VerrekeningClaim,
    VerrekeningClaimGebeurtenis,
    VerrekeningFactuur,
)
from wpb.service.context import Context
from wpb.service.errors import (
    Conflict,
    Forbidden,
    InvalidRequest,
    NotFound,
)

# --- computing and recomputing claims ---------------------------------------------------------


def _timelines(session: Session, ctx: Context, bsns: Sequence[str]):
    """The responsibility timeline per youth from the stored transfers and registered
    decisions; youths whose facts conflict are returned apart, with the problems."""
    transfers_by: dict[str, list[Overdracht]] = {}
    decisions_by: dict[str, list[VerrekeningBeslissing]] = {}
    for chunk in chunks(list(bsns)):
        for o in session.scalars(
            # Jeugdwet transfers only: a Wmo (beschermd wonen) transfer is no part of the
            # Jeugdwet responsibility timeline.
            select(Overdracht)
            .where(Overdracht.bsn.in_(chunk), Overdracht.wet == WET_JEUGDWET)
            .options(selectinload(Overdracht.regels))
        ):
            transfers_by.setdefault(o.bsn, []).append(o)
        for b in session.scalars(
            select(VerrekeningBeslissing).where(VerrekeningBeslissing.bsn.in_(chunk))
        ):
            decisions_by.setdefault(b.bsn, []).append(b)

    timelines = {}
    conflicts: dict[str, list[str]] = {}
    for bsn in bsns:
        transfers = transfers_by.get(bsn, [])
        try:
            timelines[bsn] = build_tijdlijn(
                bsn,
                [facts_for_rules(o) for o in transfers],
                [
                    WoonplaatsBeslissing(
                        id=b.publiek_id, bsn=b.bsn, gemeente=b.gemeente, ingang=b.ingang,
                        invoer_hash=b.invoer_hash, vastgesteld_op=b.vastgesteld_op, tot=b.tot,
                    )
                    for b in decisions_by.get(bsn, [])
                ],
                ctx.termijnen,
                vanaf=_vanaf_of(transfers),
            )
        except TijdlijnConflict as exc:
            conflicts[bsn] = list(exc.problemen)
        except ValueError as exc:
            conflicts[bsn] = [str(exc)]
    return timelines, conflicts


def _vanaf_of(transfers: Sequence[Overdracht]) -> dict[str, date]:
    """The day the law puts each transfer's youth with the ontvangende (``vanaf``), for a
    transfer outside the migratiegroep that carries one; read with getattr, as the column
    is new and a transfer without it follows the 1-november-maatregel."""
    result = {}
    for o in transfers:
        vanaf = getattr(o, "vanaf", None)
        if isinstance(vanaf, date):
            result[o.publiek_id] = vanaf  # the id of the rules' facts (views.facts_for_rules)
    return result


def recompute_claims(session: Session, principal: Principal, ctx: Context) -> dict:
    """Compute the claims of the stored invoices against today's timelines and bring the
    stored claims in line (the core's ``recompute``): new claims and corrections are added,
    pending claims the timeline no longer supports are withdrawn, settled (erkend,
    betaald) claims are never touched.

    The coordinator recomputes every invoice; a gemeente the invoices it paid. A youth whose
    facts conflict (two decisions of equal rank naming another gemeente) is skipped and
    reported: its invoices keep their claims until a person resolves the conflict.
    """
    if not (principal.is_gemeente or principal.is_coordinator):
        raise Forbidden("Alleen een gemeente of de coördinator berekent claims.")
    pseudo = pseudonimiseerder(ctx)
    today = ctx.today()
    query = select(VerrekeningFactuur)
    if principal.is_gemeente:
        query = query.where(VerrekeningFactuur.betaler == principal.code)
    factuur_rows = session.scalars(query.order_by(VerrekeningFactuur.id)).all()
    bsns = sorted({r.bsn for r in factuur_rows})
    timelines, conflicts = _timelines(session, ctx, bsns)
    facturen = [factuur_of(r) for r in factuur_rows if r.bsn not in conflicts]
    berekening = compute_claims(facturen, timelines, pseudoniem=pseudo, ontstaan=today)

    keys = sorted(berekening.facturen)
    old_rows: list[VerrekeningClaim] = []
    for chunk in chunks(keys):
        old_rows += session.scalars(
            select(VerrekeningClaim).where(VerrekeningClaim.factuur.in_(chunk))
            .execution_options(populate_existing=True)
        ).all()
    by_id = {r.id: r for r in old_rows}
    her = recompute([claim_of(r) for r in old_rows], berekening, op=today)
    moment = utc_naive(ctx.now())

    for c in her.ingetrokken:
        row = by_id[c.id]
        # Only pending claims may be withdrawn; the status condition guards settled ones
        # even if the core were ever wrong.
        changed = session.execute(
            update(VerrekeningClaim)
            .where(VerrekeningClaim.id == c.id, VerrekeningClaim.versie == row.versie,
                   VerrekeningClaim.status.in_([s.value for s in LOPEND]))
            .values(status=c.status.value, status_sinds=c.status_sinds, toelichting=c.toelichting,
                    versie=row.versie + 1, gewijzigd_op=moment)
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed != 1:
            raise Conflict("Claims zijn tijdens de herberekening gewijzigd; probeer het opnieuw.")
        session.add(claim_event(c.id, row.status, c.status.value, principal, ctx, c.toelichting))
    new_rows = [row_of(c, moment) for c in (*her.nieuw, *her.correcties)]
    session.add_all(new_rows)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict("Een andere herberekening was net eerder; probeer het opnieuw.") from None
    for r in new_rows:
        session.add(claim_event(r.id, None, r.status, principal, ctx,
                           "ontstaan bij herberekening" + (f" ({r.soort})" if r.soort != "claim" else "")))
    session.flush()
    touched = [by_id[c.id] for c in her.ingetrokken] + new_rows
    audit_per_youth(session, principal, ctx, "claims.herberekenen", touched)
    return {
        "datum": today.isoformat(),
        "facturen": len(facturen),
        "nieuw": [claim_view(r, principal, ctx) for r in new_rows if r.soort == "claim"],
        "correcties": [claim_view(r, principal, ctx) for r in new_rows if r.soort != "claim"],
        "ingetrokken": [c.id for c in her.ingetrokken],
        "ongewijzigd": len(her.ongewijzigd),
        "eigen": {"aantal": len(berekening.eigen), "bedrag": sum(d.bedrag for d in berekening.eigen)},
        "onbepaald": [d.to_json() for d in berekening.onbepaald],
        # Invoices outside the sane bounds (stored before the bounds were checked at import):
        # set aside with their reason, never computed, so they cannot block the others.
        "geweigerd": [d.to_json() for d in berekening.geweigerd],
        "overgeslagen": [
            {"jeugdige": pseudo(bsn), "problemen": problems}
            for bsn, problems in sorted(conflicts.items(), key=lambda kv: pseudo(kv[0]))
        ],
    }


# --- reading claims and changing their state ----------------------------------------------------


def list_claims(
    session: Session, principal: Principal, ctx: Context, *, status: Sequence[str] = (),
    rol: str | None = None, pagina: int = 1, pagina_grootte: int = 50,
) -> dict:
    only_gemeenten(principal, "Claims")
    check_page(pagina, pagina_grootte)
    query = select(VerrekeningClaim).where(claims_visible(principal))
    if status:
        query = query.where(VerrekeningClaim.status.in_([ClaimStatus(s).value for s in status]))
    if rol is not None:
        if not principal.is_gemeente:
            raise InvalidRequest("Alleen een gemeente heeft een rol in claims.",
                                 [("rol", "alleen voor gemeenten")])
        column = VerrekeningClaim.schuldeiser if rol == "schuldeiser" else VerrekeningClaim.schuldenaar
        query = query.where(column == principal.code)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(VerrekeningClaim.van, VerrekeningClaim.id)
        .offset((pagina - 1) * pagina_grootte).limit(pagina_grootte)
    ).all()
    audit_per_youth(session, principal, ctx, "claim.lijst", rows)
    return {"claims": [claim_view(r, principal, ctx) for r in rows], "totaal": total,
            "pagina": pagina, "paginaGrootte": pagina_grootte}


def read_claim(session: Session, principal: Principal, ctx: Context, claim_id: str) -> dict:
    row = get_claim(session, principal, claim_id)
    view = claim_view(row, principal, ctx)
    view["gebeurtenissen"] = [
        {"datum": iso(g.datum), "tijdstip": iso(g.tijdstip), "vanStatus": g.van_status,
         "naarStatus": g.naar_status, "organisatie": g.organisatie, "toelichting": g.toelichting}
        for g in session.scalars(
            select(VerrekeningClaimGebeurtenis)
            .where(VerrekeningClaimGebeurtenis.claim_id == row.id)
            .order_by(VerrekeningClaimGebeurtenis.id)
        )
    ]
    audit.record(session, principal, "claim.lezen", bsn=row.bsn, details={"claim": row.id},
                 now=ctx.now())
    return view


def change_claim_status(
    session: Session, principal: Principal, ctx: Context, claim_id: str, naar: str, *,
    toelichting: str = "", versie: int | None = None,
) -> dict:
    """Acknowledge, dispute, withdraw or confirm payment of a claim (see the module's rights)."""
    row = get_claim(session, principal, claim_id)
    target = ClaimStatus(naar)
    if versie is not None and versie != row.versie:
        raise Conflict("De claim is intussen gewijzigd; bekijk haar opnieuw.",
                       extra={"huidigeStatus": row.status, "huidigeVersie": row.versie})
    if target not in allowed_from(row.status):
        allowed = ", ".join(sorted(s.value for s in allowed_from(row.status))) or "geen"
        raise Conflict(f"Van {row.status} naar {target.value} kan niet (toegestaan: {allowed}).",
                       extra={"huidigeStatus": row.status})
    if not may_move(principal, row, target):
        raise Forbidden(f"U mag deze claim niet naar {target.value} zetten.")
    if row.status == ClaimStatus.BETWIST.value and open_geschil_of(session, row.id) is not None:
        raise Conflict("Over deze claim loopt een geschil; los dat op (het geschil bepaalt de "
                       "uitkomst van de claim).")
    move_claim(session, principal, ctx, row, target, toelichting)
    audit.record(session, principal, "claim.status", bsn=row.bsn,
                 details={"claim": row.id, "naar": target.value}, now=ctx.now())
    return claim_view(row, principal, ctx)


def find_claims(session: Session, principal: Principal, ctx: Context, bsn: str) -> list[dict]:
    """The claims about one youth, by BSN (in the body, never in a URL); audited."""
    only_gemeenten(principal, "Claims")
    problem = bsn_problem(bsn)
    if problem:
        raise InvalidRequest("Het BSN is ongeldig.", [("bsn", problem)])
    ref = pseudonimiseerder(ctx)(bsn)
    rows = session.scalars(
        select(VerrekeningClaim)
        .where(claims_visible(principal), VerrekeningClaim.jeugdige == ref)
        .order_by(VerrekeningClaim.van, VerrekeningClaim.id)
    ).all()
    audit.record(session, principal, "claim.zoeken", bsn=bsn,
                 details={"gevonden": [r.id for r in rows]}, now=ctx.now())
    return [claim_view(r, principal, ctx) for r in rows]


def resolve_pseudoniem(session: Session, principal: Principal, ctx: Context, jeugdige: str) -> dict:
    """The BSN behind a pseudonym, for a party to a claim or dispute about that youth only."""
    only_gemeenten(principal, "Jeugdigen")
    bsn = session.scalar(
        select(VerrekeningClaim.bsn)
        .where(claims_visible(principal), VerrekeningClaim.jeugdige == jeugdige,
               VerrekeningClaim.bsn.is_not(None))
        .limit(1)
    )
    if bsn is None:
        bsn = session.scalar(
            select(Geschil.bsn)
            .where(geschillen_visible(principal), Geschil.jeugdige == jeugdige, Geschil.bsn.is_not(None))
            .limit(1)
        )
    if bsn is None:
        raise NotFound("Dit pseudoniem hoort niet bij een claim of geschil dat u ziet.")
    audit.record(session, principal, "jeugdige.herleiden", bsn=bsn,
                 details={"jeugdige": jeugdige}, now=ctx.now())
    return {"jeugdige": jeugdige, "bsn": bsn}
