"""How a message is shown (with its deadlines), and reading messages, one or a page of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wpb.ijw import models as m
from wpb.law import termijnen as termijn_regels
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.components.berichten.access import (
    MAX_PAGE_SIZE,
    OPEN_STATUSSEN,
    afzender_is_gemeente,
    berichttype_of,
    get_visible,
    visible_clause,
)
from wpb.service.components.berichten.instemming import instemming_view
from wpb.service.components.berichten.models import IjwBericht, IjwInstemming
from wpb.service.context import Context
from wpb.service.errors import (
    InvalidRequest,
)
from wpb.service.public_ids import public_ids

# --- views ----------------------------------------------------------------------------------


def _iso(moment: datetime | date | None) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return moment.replace(microsecond=0).isoformat() + "Z"
    return moment.isoformat()


def _gemeente(ctx: Context, code: str | None) -> dict | None:
    if code is None:
        return None
    return {"code": code, "naam": ctx.register.naam(code) if code in ctx.register else None}


def _ontvanger(row: IjwBericht) -> str | None:
    return row.aanbieder if afzender_is_gemeente(berichttype_of(row.berichttype)) else row.gemeente


def _retour(row: IjwBericht) -> dict | None:
    """What a retourbericht says: the message it answers and its retourcodes."""
    return json.loads(row.retour) if row.retour else None


def _termijnen_op(items: list[dict], vandaag: date) -> list[dict]:
    """Stored deadlines with their status on ``vandaag`` (statuses change every day)."""
    out = []
    for t in items:
        termijn = termijn_regels.Termijn(
            regel=t["regel"], omschrijving=t["omschrijving"],
            start=date.fromisoformat(t["start"]), uiterlijk=date.fromisoformat(t["uiterlijk"]),
            bron=t["bron"],
        )
        out.append(termijn.to_json(vandaag))
    return out


def _termijnen_van(row: IjwBericht) -> list[termijn_regels.Termijn]:
    """The deadlines of a request without a proposal (a JW317, or a JW315 still waiting)."""
    if row.ontvangstdatum is None:
        return []
    if row.berichttype == m.BerichtType.JW317.value:
        return [termijn_regels.antwoord_vow(row.ontvangstdatum)]
    if row.berichttype == m.BerichtType.JW315.value:
        return [termijn_regels.antwoord_vot(row.ontvangstdatum)]
    return []


def bericht_view(
    session: Session, row: IjwBericht, principal: Principal, ctx: Context, *, detail: bool = False
) -> dict:
    type_ = berichttype_of(row.berichttype)
    today = ctx.today()
    view: dict[str, Any] = {
        "id": row.publiek_id,
        "berichttype": type_.value,
        "omschrijving": type_.omschrijving,
        "afzender": row.afzender,
        "ontvanger": _ontvanger(row),
        "identificatie": row.identificatie,
        "dagtekening": _iso(row.dagtekening),
        "ontvangenOp": _iso(row.ontvangen_op),
        "gemeente": _gemeente(ctx, row.gemeente),
        "aanbieder": row.aanbieder,
        "bron": row.bron,
        "status": row.status,
        "versie": row.versie,
        "xsdGecontroleerd": row.xsd_gecontroleerd,
        "antwoordOpBericht": public_ids(session, IjwBericht, [row.antwoord_op_id]).get(row.antwoord_op_id),
        "uiterlijk": _iso(row.uiterlijk) if principal.is_gemeente else None,
    }
    is_gemeente = principal.is_gemeente and principal.code == row.gemeente
    stored = json.loads(row.voorstel) if row.voorstel else None
    if stored is not None and is_gemeente:
        # The provider sees the deadlines of its request only: an OP359 deadline would
        # betray the proposed rejection before the gemeente decided to send it.
        view["termijnen"] = _termijnen_op(
            [t for p in stored["producten"] for t in p["termijnen"]], today
        )
    else:
        view["termijnen"] = [t.to_json(today) for t in _termijnen_van(row)]
    if is_gemeente and stored is not None:
        voorstel = dict(stored)
        voorstel["producten"] = [
            {**p, "termijnen": _termijnen_op(p["termijnen"], today)} for p in stored["producten"]
        ]
        if not detail:
            # A list shows what the answer will be; the detail adds the full decisions.
            voorstel["producten"] = [
                {k: v for k, v in p.items() if k != "beslissing"} for p in voorstel["producten"]
            ]
        view["voorstel"] = voorstel
        view["voorstelOp"] = _iso(row.voorstel_op)
    if detail:
        antwoorden = session.scalars(
            select(IjwBericht).where(IjwBericht.antwoord_op_id == row.id).order_by(IjwBericht.id)
        ).all()
        view["antwoorden"] = [
            {"id": a.publiek_id, "berichttype": a.berichttype, "identificatie": a.identificatie,
             "dagtekening": _iso(a.dagtekening), "status": a.status,
             **({"retour": _retour(a), "uiterlijk": _iso(a.uiterlijk)} if a.retour else {})}
            for a in antwoorden
        ]
        if row.retour:
            view["retour"] = _retour(row)
        if is_gemeente and row.berichttype == m.BerichtType.JW315.value:
            view["instemmingen"] = [
                instemming_view(i, row, ctx) for i in session.scalars(
                    select(IjwInstemming).where(IjwInstemming.bericht_id == row.id)
                    .order_by(IjwInstemming.id))
            ]
        view["beantwoordOp"] = _iso(row.beantwoord_op)
    return view


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    items: list[dict]
    totaal: int
    pagina: int
    pagina_grootte: int

    def to_json(self) -> dict:
        return {"berichten": self.items, "totaal": self.totaal, "pagina": self.pagina,
                "paginaGrootte": self.pagina_grootte}


def list_berichten(
    session: Session, principal: Principal, ctx: Context, *,
    berichttype: str | None = None, alleen_open: bool = False,
    pagina: int = 1, pagina_grootte: int = 50,
) -> Page:
    """The messages the principal may see; open requests first, earliest deadline first."""
    if not 1 <= pagina_grootte <= MAX_PAGE_SIZE:
        raise InvalidRequest("Ongeldige paginagrootte.",
                             [("paginaGrootte", f"moet tussen 1 en {MAX_PAGE_SIZE} liggen")])
    if pagina < 1:
        raise InvalidRequest("Ongeldige pagina.", [("pagina", "moet 1 of hoger zijn")])
    query = select(IjwBericht).where(visible_clause(principal))
    if berichttype is not None:
        query = query.where(IjwBericht.berichttype == berichttype_of(berichttype).value)
    if alleen_open:
        query = query.where(IjwBericht.status.in_(OPEN_STATUSSEN))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(IjwBericht.status.not_in(OPEN_STATUSSEN), IjwBericht.uiterlijk.is_(None),
                       IjwBericht.uiterlijk, IjwBericht.id.desc())
        .offset((pagina - 1) * pagina_grootte).limit(pagina_grootte)
    ).all()
    items = [bericht_view(session, r, principal, ctx) for r in rows]
    audit.record_many(
        session, principal,
        [audit.AuditEvent("bericht.lijst", None, r.bsn, {"bericht": r.publiek_id}) for r in rows],
        now=ctx.now(),
    )
    return Page(items, total, pagina, pagina_grootte)


def read_bericht_view(session: Session, principal: Principal, ctx: Context, bericht_id: str) -> dict:
    row = get_visible(session, principal, bericht_id)
    view = bericht_view(session, row, principal, ctx, detail=True)
    audit.record(session, principal, "bericht.lezen", bsn=row.bsn, details={"bericht": row.publiek_id},
                 now=ctx.now())
    return view


def read_xml(session: Session, principal: Principal, ctx: Context, bericht_id: str) -> bytes:
    row = get_visible(session, principal, bericht_id)
    assert row.xml is not None
    audit.record(session, principal, "bericht.xml", bsn=row.bsn, details={"bericht": row.publiek_id},
                 now=ctx.now())
    return row.xml.encode("utf-8")
