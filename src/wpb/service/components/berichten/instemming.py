"""Agree before reden 8 (issue 18 item 12).

A JW319 with RedenAfwijzingVerzoek 8 tells the provider that not the addressed gemeente but
the gemeente in ``Woonplaatsbeginsel/Gemeente`` is responsible under the woonplaatsbeginsel
(IV095/TR377). Before such an answer goes out, the service asks that gemeente:

1. the addressed gemeente asks (:func:`ask_instemming`), for every gemeente its proposal
   names with reden 8 and that has not yet been answered; the named gemeente sees the
   request (:func:`list_instemmingen`) with the proposal's reason;
2. the named gemeente agrees or objects (:func:`decide_instemming`); an objection opens a
   geschil between the two gemeenten about the youth, through the port the service's
   assembly wires to the settlement's geschillen (:mod:`.ports`); it may agree later
   (after the geschil, say), an agreement is final;
3. :func:`require_instemming` holds the JW319 back (409) until the named gemeente agreed.

Only the two gemeenten see or act on a request: the provider, the coordinator and every
other gemeente get 404. Every request, decision and read is in the audit log.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, object_session

from wpb.ijw import models as m
from wpb.ijw.woonplaats_antwoord import AntwoordSoort, AntwoordVoorstel
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.clock import utc_naive
from wpb.service.components.berichten import ports
from wpb.service.components.berichten.access import (
    IN_ONDERZOEK,
    VOORSTEL,
    get_visible,
    require_gemeente,
)
from wpb.service.components.berichten.models import IjwBericht, IjwInstemming
from wpb.service.context import Context
from wpb.service.errors import Conflict, Forbidden, InvalidRequest, NotFound

GEVRAAGD = "gevraagd"
AKKOORD = "akkoord"
BEZWAAR = "bezwaar"
BESLUITEN = (AKKOORD, BEZWAAR)
MAX_TEKST = 10_000


def _iso(moment) -> str | None:
    return None if moment is None else moment.replace(microsecond=0).isoformat() + "Z"


def instemming_view(row: IjwInstemming, bericht: IjwBericht, ctx: Context) -> dict:
    def gemeente(code: str) -> dict:
        return {"code": code, "naam": ctx.register.naam(code) if code in ctx.register else None}

    return {
        "id": row.publiek_id,
        "bericht": bericht.publiek_id,
        "gemeente": gemeente(row.gemeente),
        "gevraagdDoor": gemeente(row.gevraagd_door),
        "aanbieder": bericht.aanbieder,
        "bsn": bericht.bsn,
        "status": row.status,
        "reden": row.reden,
        "toelichting": row.toelichting,
        "versie": row.versie,
        "gevraagdOp": _iso(row.gevraagd_op),
        "beslistOp": _iso(row.beslist_op),
        "geschil": _geschil_naam(row),
    }


def _geschil_naam(row: IjwInstemming) -> str | None:
    """The public id of the geschil an objection opened (through the port: geschillen live
    in the settlement), or None."""
    if row.geschil_id is None:
        return None
    return ports.PORTS.geschil_naam(object_session(row), row.geschil_id)


def reden8_gemeenten(stored: dict) -> dict[str, str]:
    """The gemeenten a stored proposal names with reden 8 for a product not yet answered
    definitively, each with the proposal's reason."""
    verzonden = stored.get("verzonden", {})
    out: dict[str, str] = {}
    for p in stored.get("producten", []):
        earlier = verzonden.get(p["referentieAanbieder"])
        if p["soort"] == AntwoordSoort.AFWIJZING_WOONPLAATS.value and p["verantwoordelijkeGemeente"] \
                and earlier in (None, AntwoordSoort.IN_ONDERZOEK.value):
            out.setdefault(p["verantwoordelijkeGemeente"], p["reden"])
    return out


def _of_bericht(session: Session, bericht_id: int) -> list[IjwInstemming]:
    return list(session.scalars(select(IjwInstemming).where(IjwInstemming.bericht_id == bericht_id)
                                .order_by(IjwInstemming.id)))


def ask_instemming(session: Session, principal: Principal, ctx: Context, bericht_id: int) -> list[dict]:
    """The addressed gemeente asks each gemeente its proposal names with reden 8."""
    row = get_visible(session, principal, bericht_id)
    require_gemeente(principal, row)
    if row.berichttype != m.BerichtType.JW315.value or row.voorstel is None \
            or row.status not in (VOORSTEL, IN_ONDERZOEK):
        raise Conflict("Instemming vraagt u op een voorgesteld antwoord op een verzoek om "
                       "toewijzing (JW315).", extra={"huidigeStatus": row.status})
    genoemd = reden8_gemeenten(json.loads(row.voorstel))
    if not genoemd:
        raise Conflict("Het voorstel wijst geen product af met reden 8 (woonplaatsbeginsel): "
                       "er is niemand om instemming te vragen.")
    known = {i.gemeente for i in _of_bericht(session, row.id)}
    now = utc_naive(ctx.now())
    for gemeente, reden in genoemd.items():
        if gemeente in known:
            continue
        session.add(IjwInstemming(bericht_id=row.id, gemeente=gemeente, gevraagd_door=principal.code,
                                  status=GEVRAAGD, reden=reden, toelichting="", versie=1,
                                  gevraagd_op=now, gebruiker_id=principal.gebruiker_id))
        audit.record(session, principal, "instemming.vragen", bsn=row.bsn,
                     details={"bericht": row.publiek_id, "gemeente": gemeente}, now=ctx.now())
    session.flush()
    return [instemming_view(i, row, ctx) for i in _of_bericht(session, row.id)]


def _visible(principal: Principal):
    if not principal.is_gemeente:
        return None
    return or_(IjwInstemming.gemeente == principal.code,
               IjwInstemming.gevraagd_door == principal.code)


def list_instemmingen(session: Session, principal: Principal, ctx: Context, *,
                      status: str | None = None) -> list[dict]:
    """The requests the caller is party to: asked of it, or asked by it."""
    clause = _visible(principal)
    if clause is None:
        return []
    query = select(IjwInstemming, IjwBericht).join(
        IjwBericht, IjwBericht.id == IjwInstemming.bericht_id).where(clause)
    if status is not None:
        query = query.where(IjwInstemming.status == status)
    rows = session.execute(query.order_by(IjwInstemming.id.desc())).all()
    audit.record_many(session, principal, [
        audit.AuditEvent("instemming.lijst", None, b.bsn, {"instemming": i.publiek_id}) for i, b in rows
    ], now=ctx.now())
    return [instemming_view(i, b, ctx) for i, b in rows]


def _get(session: Session, principal: Principal, instemming_id: str) -> tuple[IjwInstemming, IjwBericht]:
    """The request ``instemming_id`` (its public id, S10) if the caller is party to it;
    otherwise, and for an old integer id, the 404 of one that does not exist."""
    clause = _visible(principal)
    found = None if clause is None else session.execute(
        select(IjwInstemming, IjwBericht)
        .join(IjwBericht, IjwBericht.id == IjwInstemming.bericht_id)
        .where(IjwInstemming.publiek_id == str(instemming_id), clause)
        .execution_options(populate_existing=True)
    ).first()
    if found is None:
        raise NotFound(f"Instemming {instemming_id} bestaat niet of is niet zichtbaar voor u.")
    return found[0], found[1]


def read_instemming(session: Session, principal: Principal, ctx: Context, instemming_id: str) -> dict:
    row, bericht = _get(session, principal, instemming_id)
    audit.record(session, principal, "instemming.lezen", bsn=bericht.bsn,
                 details={"instemming": row.publiek_id}, now=ctx.now())
    return instemming_view(row, bericht, ctx)


def decide_instemming(session: Session, principal: Principal, ctx: Context, instemming_id: str, *,
                      besluit: str, toelichting: str = "", versie: int | None = None) -> dict:
    """The named gemeente agrees or objects; an objection opens a geschil (once)."""
    row, bericht = _get(session, principal, instemming_id)
    if principal.code != row.gemeente:
        raise Forbidden("Alleen de genoemde gemeente stemt in of maakt bezwaar.")
    problems = []
    if besluit not in BESLUITEN:
        problems.append(("besluit", f"kies {' of '.join(BESLUITEN)}"))
    if len(toelichting) > MAX_TEKST or (besluit == BEZWAAR and not toelichting.strip()):
        problems.append(("toelichting", f"verplicht bij bezwaar, hoogstens {MAX_TEKST} tekens"))
    if problems:
        raise InvalidRequest("Het besluit is niet compleet.", problems)
    if row.status == AKKOORD:
        raise Conflict("De gemeente heeft al ingestemd.", extra={"huidigeStatus": row.status})
    if versie is not None and versie != row.versie:
        raise Conflict("De vraag is intussen gewijzigd.", extra={"huidigeVersie": row.versie})
    geschil = row.geschil_id
    if besluit == BEZWAAR and geschil is None:
        geschil = ports.PORTS.geschil(
            session, principal, ctx, bsn=bericht.bsn or "", andere_gemeente=row.gevraagd_door,
            omschrijving=f"Bezwaar van gemeente {row.gemeente} tegen afwijzing met reden 8 "
                         f"(woonplaatsbeginsel) door gemeente {row.gevraagd_door}, bericht "
                         f"{bericht.publiek_id}: {toelichting.strip()}")
    claimed = session.execute(
        update(IjwInstemming)
        .where(IjwInstemming.id == row.id, IjwInstemming.versie == row.versie,
               IjwInstemming.status != AKKOORD)
        .values(status=besluit, toelichting=toelichting.strip(), versie=row.versie + 1,
                beslist_op=utc_naive(ctx.now()), gebruiker_id=principal.gebruiker_id,
                geschil_id=geschil)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise Conflict("De vraag is zojuist door iemand anders beantwoord.")
    session.refresh(row)
    audit.record(session, principal, f"instemming.{besluit}", bsn=bericht.bsn,
                 details={"instemming": row.publiek_id, "bericht": bericht.publiek_id, "geschil": geschil},
                 now=ctx.now())
    return instemming_view(row, bericht, ctx)


def require_instemming(session: Session, row: IjwBericht, voorstel: AntwoordVoorstel,
                       berichten: Sequence[m.Bericht]) -> None:
    """409 unless every gemeente a JW319 with reden 8 in ``berichten`` names has agreed."""
    going = [p for p in voorstel.producten
             if p.soort is AntwoordSoort.AFWIJZING_WOONPLAATS and p.verantwoordelijke_gemeente
             and any(b is p.antwoord for b in berichten)]
    if not going:
        return
    stand = {i.gemeente: i for i in _of_bericht(session, row.id)}
    missing = [_waiting(p.verantwoordelijke_gemeente, stand.get(p.verantwoordelijke_gemeente))
               for p in going]
    missing = [w for w in missing if w is not None]
    if missing:
        raise Conflict(
            "Een afwijzing met reden 8 gaat pas weg als de genoemde gemeente heeft ingestemd.",
            [(f"instemming.{gemeente}", reason) for gemeente, reason in _unique(missing)],
        )


def _waiting(gemeente: str | None, instemming: IjwInstemming | None) -> tuple[str, str] | None:
    assert gemeente is not None
    if instemming is None:
        return gemeente, "nog niet gevraagd: vraag eerst instemming"
    if instemming.status == GEVRAAGD:
        return gemeente, "gevraagd, nog geen antwoord"
    if instemming.status == BEZWAAR:
        return gemeente, f"bezwaar gemaakt; geschil {_geschil_naam(instemming)}"
    return None


def _unique(items: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys(items))
