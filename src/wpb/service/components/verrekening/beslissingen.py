"""Woonplaats decisions registered as binding for the settlement.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wpb.domain import overdracht
from wpb.errors import InvalidInput
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.clock import utc_naive
from wpb.service.components.overdrachten import access
from wpb.service.components.overdrachten.models import WET_JEUGDWET, Overdracht
from wpb.service.components.verrekening.common import (
    audit_per_youth,
    gemeente_view,
    iso,
    only_gemeenten,
    pseudonimiseerder,
)
from wpb.service.components.verrekening.models import (
    VerrekeningBeslissing,
)
from wpb.service.context import Context
from wpb.service.errors import (
    Conflict,
    Forbidden,
    InvalidRequest,
)
from wpb.service.public_ids import public_ids
from wpb.verrekening.beslissingen import beslissingen_uit_json

# --- woonplaats decisions registered for the settlement -----------------------------------------


def beslissing_view(row: VerrekeningBeslissing, ctx: Context, pseudo: Callable[[str], str],
                    transfers: dict[int, str]) -> dict:
    """``transfers``: the public id of the transfer behind the decision (S10)."""
    return {
        "id": row.publiek_id,
        "jeugdige": pseudo(row.bsn),
        "gemeente": gemeente_view(ctx, row.gemeente),
        "ingang": iso(row.ingang),
        "tot": iso(row.tot),
        "vastgesteldOp": iso(row.vastgesteld_op),
        "invoerHash": row.invoer_hash,
        "overdrachtId": transfers.get(row.overdracht_id) if row.overdracht_id else None,
        "geregistreerdDoor": row.organisatie,
        "geregistreerdOp": iso(row.geregistreerd_op),
    }


def register_beslissing(
    session: Session, principal: Principal, ctx: Context, *,
    overdracht_id: int | str | None = None, ingang: date | None = None, tot: date | None = None,
    beslissing: dict | None = None,
) -> dict:
    """Make a woonplaats decision binding for the settlement timeline.

    With ``overdracht_id``: the decision stored on that transfer (``POST
    .../woonplaatsbeslissingen``), by a gemeente party to the transfer or the coordinator;
    ``ingang`` defaults to the decision's peildatum. Without it: ``beslissing`` stated
    directly in the form of :func:`wpb.verrekening.beslissingen.beslissingen_uit_json`, by
    the coordinator only (a decision taken outside the service). A transfer's decision is
    registered with ``vastgesteld_op`` today: the day it became binding for the settlement
    (the engine's JSON carries no date of its own).
    """
    pseudo = pseudonimiseerder(ctx)
    today = ctx.today()
    internal_transfer: int | None = None
    if overdracht_id is not None:

        o = access.get_visible(session, principal, overdracht_id)
        internal_transfer = o.id
        roles = access.roles_of(principal, o)
        if not roles & {overdracht.Rol.LATENDE, overdracht.Rol.ONTVANGENDE, overdracht.Rol.COORDINATOR}:
            raise Forbidden("Alleen de gemeenten van de overdracht of de coördinator registreren "
                            "de beslissing voor de verrekening.")
        if o.wet != WET_JEUGDWET:
            # Settlement here is of Jeugdwet care; a Wmo decision names another law.
            raise InvalidRequest(
                "De verrekening gaat over jeugdhulp; deze overdracht valt niet onder de Jeugdwet.",
                [("overdrachtId", f"overdracht {o.publiek_id} valt onder {o.wet}, niet onder de Jeugdwet")],
            )
        if not o.woonplaats_beslissing:
            raise InvalidRequest(
                "Deze overdracht heeft nog geen woonplaatsbeslissing.",
                [("overdrachtId", "bepaal eerst de woonplaats (POST .../woonplaatsbeslissingen)")],
            )
        doc = json.loads(o.woonplaats_beslissing)
        item: dict[str, Any] = {"id": f"overdracht-{o.publiek_id}", "bsn": o.bsn,
                                "vastgesteldOp": today.isoformat(), "beslissing": doc}
        if ingang is not None:
            item["ingang"] = ingang.isoformat()
        if tot is not None:
            item["tot"] = tot.isoformat()
        bsn = o.bsn
    else:
        if not principal.is_coordinator:
            raise Forbidden("Een beslissing van buiten de dienst registreert alleen de coördinator.")
        if not isinstance(beslissing, dict):
            raise InvalidRequest("Geef een overdracht of een beslissing.",
                                 [("beslissing", "verwacht een object")])
        item = {"id": "beslissing", **beslissing}
        doc = beslissing.get("beslissing") if isinstance(beslissing.get("beslissing"), dict) else None
        bsn = str(beslissing.get("bsn"))
    try:
        (wb,) = beslissingen_uit_json([item], bron="beslissing")
    except InvalidInput as exc:
        raise InvalidRequest(
            "De beslissing is niet bruikbaar voor de verrekening.",
            [(e.pad.removeprefix("[0]").lstrip(".") or "beslissing", e.probleem) for e in exc.errors],
        ) from None
    if wb.gemeente not in ctx.register:
        raise InvalidRequest("Onbekende gemeente.",
                             [("gemeente", f"{wb.gemeente} staat niet in de gemeentetabel")])
    row = VerrekeningBeslissing(
        bsn=bsn, gemeente=wb.gemeente, ingang=wb.ingang, tot=wb.tot,
        vastgesteld_op=wb.vastgesteld_op, invoer_hash=wb.invoer_hash, overdracht_id=internal_transfer,
        beslissing=json.dumps(doc, ensure_ascii=False) if doc is not None else None,
        organisatie=principal.label, gebruiker_id=principal.gebruiker_id,
        geregistreerd_op=utc_naive(ctx.now()),
    )
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict("Deze beslissing is al geregistreerd voor de verrekening.") from None
    audit.record(session, principal, "verrekening.beslissing", overdracht_id=internal_transfer,
                 bsn=bsn, details={"beslissing": row.id, "gemeente": wb.gemeente}, now=ctx.now())
    return beslissing_view(row, ctx, pseudo, public_ids(session, Overdracht, [internal_transfer]))


def list_beslissingen(session: Session, principal: Principal, ctx: Context) -> list[dict]:
    only_gemeenten(principal, "Beslissingen")
    pseudo = pseudonimiseerder(ctx)
    query = select(VerrekeningBeslissing)
    if principal.is_gemeente:
        query = query.where(or_(
            VerrekeningBeslissing.gemeente == principal.code,
            VerrekeningBeslissing.organisatie == principal.label,
            VerrekeningBeslissing.overdracht_id.in_(
                select(Overdracht.id).where(or_(Overdracht.latende_gemeente == principal.code,
                                                Overdracht.ontvangende_gemeente == principal.code))
            ),
        ))
    rows = session.scalars(query.order_by(VerrekeningBeslissing.id)).all()
    audit_per_youth(session, principal, ctx, "verrekening.beslissing.lijst", rows, key="beslissingen")
    transfers = public_ids(session, Overdracht, [r.overdracht_id for r in rows])
    return [beslissing_view(r, ctx, pseudo, transfers) for r in rows]
