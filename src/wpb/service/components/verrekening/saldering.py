"""Netting (saldering): the coordinator nets open claims, each gemeente with a balance
accepts, then the coordinator confirms the payments.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wpb.law.gemeenten import GemeenteRegister
from wpb.law.verrekening.claims import (
    ClaimStatus,
)
from wpb.law.verrekening.netting import IN_SALDERING, salderen
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.clock import utc_naive
from wpb.service.components.verrekening.claim_state import claim_of, claims_visible, move_claim
from wpb.service.components.verrekening.common import (
    audit_per_youth,
    gemeente_view,
    iso,
    only_gemeenten,
)
from wpb.service.components.verrekening.models import (
    VerrekeningBetaling,
    VerrekeningClaim,
    VerrekeningSaldering,
    VerrekeningSalderingClaim,
)
from wpb.service.context import Context
from wpb.service.errors import (
    Conflict,
    Forbidden,
    NotFound,
)

# --- netting --------------------------------------------------------------------------------


def partij_op(register: GemeenteRegister, on: date) -> Callable[[str], str]:
    """A gemeentecode → the party that settles for it on ``on``: its successor after a
    merger. After a split the code alone cannot name the successor: it stays itself."""

    def resolve(code: str) -> str:
        if code not in register:
            return code
        s = register.successors(code, on)
        return s.codes[0] if s.is_unique else code

    return resolve


def _saldering_visible(principal: Principal, row: VerrekeningSaldering) -> bool:
    if principal.is_coordinator:
        return True
    return principal.is_gemeente and principal.code in json.loads(row.saldi)


def saldering_view(session: Session, row: VerrekeningSaldering, principal: Principal,
                   ctx: Context) -> dict:
    saldi: dict[str, int] = json.loads(row.saldi)
    betalingen = session.scalars(
        select(VerrekeningBetaling).where(VerrekeningBetaling.saldering_id == row.id)
        .order_by(VerrekeningBetaling.id)
    ).all()
    claim_ids = session.scalars(
        select(VerrekeningSalderingClaim.claim_id)
        .where(VerrekeningSalderingClaim.saldering_id == row.id)
        .order_by(VerrekeningSalderingClaim.claim_id)
    ).all()
    if principal.is_gemeente:
        # A gemeente sees its own balance and payments, and the claims it is party to.
        code = principal.code
        saldi = {code: saldi.get(code, 0)}
        betalingen = [b for b in betalingen if code in (b.van, b.aan)]
        mine = set(session.scalars(
            select(VerrekeningClaim.id).where(VerrekeningClaim.id.in_(claim_ids),
                                              claims_visible(principal))
        )) if claim_ids else set()
        claim_ids = [c for c in claim_ids if c in mine]
    return {
        "id": row.publiek_id,
        "datum": iso(row.datum),
        "status": row.status,
        "versie": row.versie,
        "saldi": [{"gemeente": gemeente_view(ctx, k), "saldo": v} for k, v in sorted(saldi.items())],
        "betalingen": [
            {"van": gemeente_view(ctx, b.van), "aan": gemeente_view(ctx, b.aan), "bedrag": int(b.bedrag),
             "betaaldOp": iso(b.betaald_op)}
            for b in betalingen
        ],
        "aantalBetalingen": len(betalingen),
        "claims": claim_ids,
        # A gemeente learns only whether it accepted itself, not which others take part.
        "akkoord": [c for c in json.loads(row.akkoord)
                    if principal.is_coordinator or c == principal.code],
        "intern": json.loads(row.intern) if principal.is_coordinator else [],
    }


def create_saldering(session: Session, principal: Principal, ctx: Context,
                   datum: date | None = None) -> dict:
    """Net the open and acknowledged claims (never the disputed) into at most n − 1 payments.

    Coordinator only. Claims already in an accepted run (waiting for payment) are left out;
    earlier proposals lapse.
    """
    if not principal.is_coordinator:
        raise Forbidden("Alleen de coördinator maakt een saldering.")
    on = datum or ctx.today()
    busy = select(VerrekeningSalderingClaim.claim_id).join(
        VerrekeningSaldering, VerrekeningSaldering.id == VerrekeningSalderingClaim.saldering_id
    ).where(VerrekeningSaldering.status == "geaccepteerd")
    rows = session.scalars(
        select(VerrekeningClaim)
        .where(VerrekeningClaim.status.in_([s.value for s in IN_SALDERING]),
               VerrekeningClaim.id.not_in(busy))
        .order_by(VerrekeningClaim.id)
    ).all()
    s = salderen([claim_of(r) for r in rows], partij=partij_op(ctx.register, on))
    moment = utc_naive(ctx.now())
    session.execute(
        update(VerrekeningSaldering)
        .where(VerrekeningSaldering.status == "voorstel")
        .values(status="vervallen", versie=VerrekeningSaldering.versie + 1, gewijzigd_op=moment)
        .execution_options(synchronize_session=False)
    )
    run = VerrekeningSaldering(
        datum=on, status="voorstel", saldi=json.dumps(dict(sorted(s.saldi.items()))),
        akkoord="[]", intern=json.dumps(list(s.intern)), versie=1, organisatie=principal.label,
        gebruiker_id=principal.gebruiker_id, aangemaakt_op=moment, gewijzigd_op=moment,
    )
    session.add(run)
    session.flush()
    by_id = {r.id: r for r in rows}
    session.add_all(VerrekeningBetaling(saldering_id=run.id, van=b.van, aan=b.aan, bedrag=b.bedrag)
                    for b in s.betalingen)
    session.add_all(VerrekeningSalderingClaim(saldering_id=run.id, claim_id=cid,
                                              claim_versie=by_id[cid].versie)
                    for cid in s.claim_ids)
    session.flush()
    audit.record(session, principal, "saldering.maken",
                 details={"saldering": run.publiek_id, "claims": len(s.claim_ids),
                          "betalingen": len(s.betalingen)}, now=ctx.now())
    return saldering_view(session, run, principal, ctx)


def get_saldering(session: Session, principal: Principal, saldering_id: str) -> VerrekeningSaldering:
    """The netting ``saldering_id`` (its public id, S10) if the caller may see it;
    otherwise, and for an old integer id, the 404 of one that does not exist."""
    only_gemeenten(principal, "Salderingen")
    row = session.scalar(
        select(VerrekeningSaldering).where(VerrekeningSaldering.publiek_id == str(saldering_id))
        .execution_options(populate_existing=True))
    if row is None or not _saldering_visible(principal, row):
        raise NotFound(f"Saldering {saldering_id} bestaat niet of is niet zichtbaar voor u.")
    return row


def list_salderingen(session: Session, principal: Principal, ctx: Context) -> list[dict]:
    only_gemeenten(principal, "Salderingen")
    rows = session.scalars(select(VerrekeningSaldering).order_by(VerrekeningSaldering.id.desc())).all()
    return [saldering_view(session, r, principal, ctx) for r in rows
            if _saldering_visible(principal, r)]


def read_saldering(session: Session, principal: Principal, ctx: Context, saldering_id: str) -> dict:
    return saldering_view(session, get_saldering(session, principal, saldering_id), principal, ctx)


def _run_claims(session: Session, run: VerrekeningSaldering) -> list[tuple[VerrekeningClaim, int]]:
    links = session.scalars(
        select(VerrekeningSalderingClaim).where(VerrekeningSalderingClaim.saldering_id == run.id)
    ).all()
    rows = {r.id: r for r in session.scalars(
        select(VerrekeningClaim).where(VerrekeningClaim.id.in_([link.claim_id for link in links]))
        .execution_options(populate_existing=True)
    )} if links else {}
    return [(rows[link.claim_id], link.claim_versie) for link in links]


def _bump_run(session: Session, run: VerrekeningSaldering, versie: int | None, ctx: Context,
              **values) -> None:
    if versie is not None and versie != run.versie:
        raise Conflict("De saldering is intussen gewijzigd.", extra={"huidigeStatus": run.status})
    count = session.execute(
        update(VerrekeningSaldering)
        .where(VerrekeningSaldering.id == run.id, VerrekeningSaldering.versie == run.versie)
        .values(versie=run.versie + 1, gewijzigd_op=utc_naive(ctx.now()), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if count != 1:
        raise Conflict("De saldering is zojuist door iemand anders gewijzigd.")
    session.refresh(run)


def accept_saldering(session: Session, principal: Principal, ctx: Context, saldering_id: str,
                        *, versie: int | None = None) -> dict:
    """A gemeente with a balance accepts the proposal; the coordinator accepts for all.

    When every party accepted, the run's open claims become ``erkend``. A claim that changed
    since the run was made (disputed, withdrawn ...) makes the run stale: 409.
    """
    run = get_saldering(session, principal, saldering_id)
    if run.status != "voorstel":
        raise Conflict(f"Deze saldering is {run.status}; alleen een voorstel wordt geaccepteerd.",
                       extra={"huidigeStatus": run.status})
    parties = sorted(json.loads(run.saldi))
    akkoord = set(json.loads(run.akkoord))
    akkoord |= set(parties) if principal.is_coordinator else {principal.code}
    complete = akkoord >= set(parties)
    if not complete:
        _bump_run(session, run, versie, ctx, akkoord=json.dumps(sorted(akkoord)))
    else:
        for row, seen in _run_claims(session, run):
            if row.versie != seen or ClaimStatus(row.status) not in IN_SALDERING:
                raise Conflict(f"Claim {row.id} is gewijzigd sinds deze saldering werd gemaakt "
                               f"(nu {row.status}); maak een nieuwe saldering.")
        _bump_run(session, run, versie, ctx, akkoord=json.dumps(sorted(akkoord)),
                  status="geaccepteerd")
        for row, _seen in _run_claims(session, run):
            if row.status == ClaimStatus.OPEN.value:
                move_claim(session, principal, ctx, row, ClaimStatus.ERKEND,
                            f"erkend met saldering {run.publiek_id}")
            session.execute(
                update(VerrekeningSalderingClaim)
                .where(VerrekeningSalderingClaim.saldering_id == run.id,
                       VerrekeningSalderingClaim.claim_id == row.id)
                .values(claim_versie=row.versie)
            )
    audit.record(session, principal, "saldering.accepteren",
                 details={"saldering": run.publiek_id, "compleet": complete}, now=ctx.now())
    return saldering_view(session, run, principal, ctx)


def confirm_betalingen(session: Session, principal: Principal, ctx: Context, saldering_id: str,
                        *, versie: int | None = None) -> dict:
    """The coordinator confirms the payments of an accepted run: its claims become ``betaald``."""
    run = get_saldering(session, principal, saldering_id)
    if not principal.is_coordinator:
        raise Forbidden("Alleen de coördinator bevestigt de betalingen van een saldering.")
    if run.status != "geaccepteerd":
        raise Conflict(f"Deze saldering is {run.status}; alleen een geaccepteerde wordt betaald.",
                       extra={"huidigeStatus": run.status})
    claims = _run_claims(session, run)
    for row, seen in claims:
        if row.versie != seen or row.status != ClaimStatus.ERKEND.value:
            raise Conflict(f"Claim {row.id} is gewijzigd sinds de acceptatie (nu {row.status}).")
    _bump_run(session, run, versie, ctx, status="betaald")
    for row, _seen in claims:
        move_claim(session, principal, ctx, row, ClaimStatus.BETAALD, f"betaald met saldering {run.publiek_id}")
    session.execute(
        update(VerrekeningBetaling).where(VerrekeningBetaling.saldering_id == run.id)
        .values(betaald_op=ctx.today())
    )
    audit_per_youth(session, principal, ctx, "saldering.betalen", [row for row, _ in claims])
    return saldering_view(session, run, principal, ctx)
