"""Acting on a transfer: accept, reject, complete and redirect (the state machine of
:mod:`wpb.domain.overdracht` applied to the stored transfer).

A transition is one conditional ``UPDATE ... WHERE id = :id AND versie = :read AND status IN
(:from)``: when two users act at once, exactly one update matches and the other gets
:class:`Conflict` naming the state the transfer is now in. A caller may also pass the
``versie`` it saw, to refuse acting on a stale page. An action by a party not named is
:class:`Forbidden`. Every change is written to the timeline and the audit log.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wpb.domain.overdracht import ACTIE_LABEL, TRANSITIONS, Actie, Status
from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.clock import dutch_date, utc_naive
from wpb.service.components.overdrachten import snapshot as snapshots
from wpb.service.components.overdrachten.access import read_visible, roles_of
from wpb.service.components.overdrachten.models import (
    Gebeurtenis,
    Overdracht,
    OverdrachtRegel,
)
from wpb.service.components.overdrachten.snapshot import TransferSnapshot
from wpb.service.components.overdrachten.views import detail_view
from wpb.service.context import Context
from wpb.service.errors import Conflict, Forbidden, InvalidRequest
from wpb.service.web.dutch import dutch_date as date_in_words

MAX_ONDERBOUWING = 10_000
MAX_REFERENTIE = 100


# --- transitions --------------------------------------------------------------------------


def _event_values(
    principal: Principal | None, ctx: Context, soort: str,
    van: str | None, naar: str | None, toelichting: str,
) -> dict[str, Any]:
    moment = ctx.now()
    return {
        "tijdstip": utc_naive(moment),
        "datum": dutch_date(moment),
        "soort": soort,
        "van_status": van,
        "naar_status": naar,
        "organisatie": principal.label if principal else audit.SYSTEM_ACTOR,
        "gebruiker_id": principal.gebruiker_id if principal else None,
        "toelichting": toelichting,
    }


def add_event(
    o: Overdracht, principal: Principal | None, ctx: Context, soort: str,
    van: str | None, naar: str | None, toelichting: str,
) -> Gebeurtenis:
    return Gebeurtenis(overdracht_id=o.id, **_event_values(principal, ctx, soort, van, naar, toelichting))


def transition(
    session: Session,
    principal: Principal,
    ctx: Context,
    overdracht_id: int,
    actie: Actie,
    versie: int | None,
    values: dict[str, Any],
    toelichting: str,
    loaded: TransferSnapshot | None = None,
) -> TransferSnapshot:
    """``loaded``: the transfer as the caller already read it in this transaction."""
    t = TRANSITIONS[actie]
    o = loaded if loaded is not None else read_visible(session, principal, overdracht_id)
    roles = roles_of(principal, o)
    if not (t.door & roles):
        wie = " of ".join(sorted(r.value.replace("_", " ") for r in t.door))
        raise Forbidden(f"Alleen de {wie} kan deze overdracht {ACTIE_LABEL[actie]}.")
    if versie is not None and versie != o.versie:
        raise Conflict(
            f"Overdracht {o.publiek_id} is gewijzigd sinds u hem bekeek (versie {o.versie}, status "
            f"{o.status}); bekijk hem opnieuw.",
            extra={"huidigeStatus": o.status, "huidigeVersie": o.versie},
        )
    if Status(o.status) not in t.van:
        raise Conflict(
            f"Overdracht {o.publiek_id} kan niet {ACTIE_LABEL[actie]} worden: de status is {o.status}.",
            extra={"huidigeStatus": o.status, "huidigeVersie": o.versie},
        )
    van = o.status
    naar = t.naar_vanuit(van).value
    changed = {"status": naar, "gewijzigd_op": utc_naive(ctx.now()), **values}
    if not snapshots.update_if_unchanged(session, o, [s.value for s in t.van], changed):
        current = session.execute(
            select(Overdracht.status, Overdracht.versie).where(Overdracht.id == o.id)
        ).one()
        raise Conflict(
            f"Overdracht {o.publiek_id} is zojuist door iemand anders gewijzigd (status nu {current.status}); "
            "uw actie is niet uitgevoerd.",
            extra={"huidigeStatus": current.status, "huidigeVersie": current.versie},
        )
    snapshots.add_event(session, o, _event_values(principal, ctx, actie.value, van, naar, toelichting))
    return o


def accept(
    session: Session, principal: Principal, ctx: Context, overdracht_id: int,
    *, versie: int | None = None,
) -> dict:
    o = transition(
        session, principal, ctx, overdracht_id, Actie.ACCEPTEREN, versie,
        {"geaccepteerd_op": ctx.today()}, "overdracht geaccepteerd",
    )
    audit.record(session, principal, "overdracht.accepteren", overdracht_id=o.id, bsn=o.bsn, now=ctx.now())
    return detail_view(session, o, principal, ctx)


def reject(
    session: Session,
    principal: Principal,
    ctx: Context,
    overdracht_id: int,
    *,
    onderbouwing: str | None,
    gebruik_woonplaatsbeslissing: bool = False,
    versie: int | None = None,
) -> dict:
    """Reject with an onderbouwing: a text, the stored woonplaats decision, or both."""
    text = (onderbouwing or "").strip()
    problems: list[tuple[str, str]] = []
    if len(text) > MAX_ONDERBOUWING:
        problems.append(("onderbouwing", f"langer dan {MAX_ONDERBOUWING} tekens"))
    o = read_visible(session, principal, overdracht_id)
    decision_json: str | None = None
    if gebruik_woonplaatsbeslissing:
        if o.woonplaats_beslissing is None:
            problems.append(
                ("gebruikWoonplaatsbeslissing", "er is nog geen woonplaatsbeslissing vastgelegd")
            )
        else:
            decision = json.loads(o.woonplaats_beslissing)
            gemeente = (decision.get("gemeente") or {}).get("code")
            if decision.get("status") == "bepaald" and gemeente == o.ontvangende_gemeente:
                problems.append(
                    (
                        "gebruikWoonplaatsbeslissing",
                        "de woonplaatsbeslissing wijst deze gemeente zelf aan als verantwoordelijk",
                    )
                )
            decision_json = o.woonplaats_beslissing
            if not text:
                text = "Woonplaatsbeslissing: " + decision.get("toelichting", "")
    if not text and not problems:
        problems.append(
            ("onderbouwing", "verplicht: geef een onderbouwing of gebruik de woonplaatsbeslissing")
        )
    if problems:
        raise InvalidRequest("Een afwijzing heeft een onderbouwing nodig.", problems)
    o = transition(
        session, principal, ctx, overdracht_id, Actie.AFWIJZEN, versie,
        {
            "afgewezen_op": ctx.today(),
            "onderbouwing": text,
            "onderbouwing_beslissing": decision_json,
        },
        "overdracht afgewezen met onderbouwing"
        + (" (woonplaatsbeslissing)" if decision_json else ""),
        loaded=o,
    )
    audit.record(session, principal, "overdracht.afwijzen", overdracht_id=o.id, bsn=o.bsn, now=ctx.now())
    return detail_view(session, o, principal, ctx)


def complete(
    session: Session,
    principal: Principal,
    ctx: Context,
    overdracht_id: int,
    *,
    toewijzing_ingangsdatum: date | None,
    toewijzing_referentie: str | None,
    versie: int | None = None,
) -> dict:
    """Mark afgerond: the new toewijzing (start date and reference) has been sent."""
    referentie = (toewijzing_referentie or "").strip()
    problems: list[tuple[str, str]] = []
    if toewijzing_ingangsdatum is None:
        problems.append(("toewijzingIngangsdatum", "verplicht"))
    if not referentie:
        problems.append(("toewijzingReferentie", "verplicht"))
    elif len(referentie) > MAX_REFERENTIE:
        problems.append(("toewijzingReferentie", f"langer dan {MAX_REFERENTIE} tekens"))
    if problems:
        # Look the transfer up first so that an invisible one stays a 404.
        read_visible(session, principal, overdracht_id)
        raise InvalidRequest("Afronden vraagt de gegevens van de nieuwe toewijzing.", problems)
    o = transition(
        session, principal, ctx, overdracht_id, Actie.AFRONDEN, versie,
        {
            "afgerond_op": ctx.today(),
            "toewijzing_ingangsdatum": toewijzing_ingangsdatum,
            "toewijzing_referentie": referentie,
        },
        f"toewijzing {referentie} met ingang van {toewijzing_ingangsdatum} verstuurd",
    )
    audit.record(session, principal, "overdracht.afronden", overdracht_id=o.id, bsn=o.bsn, now=ctx.now())
    return detail_view(session, o, principal, ctx)


def redirect(
    session: Session,
    principal: Principal,
    ctx: Context,
    overdracht_id: int,
    *,
    gemeente: str | None,
    versie: int | None = None,
) -> dict:
    """Send a rejected transfer on to another municipality as a new transfer.

    The new transfer starts as aangeleverd with today's aanleverdatum: the new municipality
    receives the data today. It carries the same lines and links back to the old one.
    """
    o = read_visible(session, principal, overdracht_id)
    code = (gemeente or "").strip()
    today = ctx.today()
    problem = None
    if not code:
        problem = "verplicht"
    elif len(code) != 4 or not code.isdigit():
        problem = "geen gemeentecode van 4 cijfers"
    elif code in (RNI_CODE, UNKNOWN_CODE) or code not in ctx.register:
        problem = "onbekende gemeentecode"
    elif not ctx.register.exists_on(code, today):
        problem = f"gemeente {code} bestaat niet op {date_in_words(today)}"
    elif code == o.latende_gemeente:
        problem = "is de latende gemeente zelf"
    elif code == o.ontvangende_gemeente:
        problem = "is de gemeente die de overdracht afwees"
    if problem and roles_of(principal, o) & TRANSITIONS[Actie.DOORSTUREN].door:
        raise InvalidRequest("Doorsturen vraagt een andere gemeente.", [("gemeente", problem)])
    old = transition(
        session, principal, ctx, overdracht_id, Actie.DOORSTUREN, versie,
        {"doorgestuurd_op": today},
        f"doorgestuurd naar gemeente {code}",
        loaded=o,
    )
    stamp = utc_naive(ctx.now())
    new = Overdracht(
        latende_gemeente=old.latende_gemeente,
        ontvangende_gemeente=code,
        bsn=old.bsn,
        geboortedatum=old.geboortedatum,
        status=Status.AANGELEVERD.value,
        versie=1,
        wet=old.wet,
        vanaf=old.vanaf,
        aanleverdatum=today,
        aanlevering_id=old.aanlevering_id,
        vorige_id=old.id,
        brp_document=session.scalar(select(Overdracht.brp_document).where(Overdracht.id == old.id)),
        brp_bron=old.brp_bron,
        brp_ontvangen_op=old.brp_ontvangen_op,
        aangemaakt_op=stamp,
        gewijzigd_op=stamp,
    )
    for r in old.regels:
        new.regels.append(
            OverdrachtRegel(
                aanbieder_agb=r.aanbieder_agb,
                product=r.product,
                toewijzing_einddatum=r.toewijzing_einddatum,
                pgb=r.pgb,
                aanleverdatum=today,
                aanlevering_id=r.aanlevering_id,
            )
        )
    session.add(new)
    session.flush()
    new.gebeurtenissen.append(
        add_event(new, principal, ctx, "aangeleverd", None, Status.AANGELEVERD.value,
               f"doorgestuurd vanuit overdracht {old.id} (afgewezen door gemeente "
               f"{old.ontvangende_gemeente})")
    )
    session.execute(
        update(Overdracht)
        .where(Overdracht.id == old.id)
        .values(volgende_id=new.id)
        .execution_options(synchronize_session=False)
    )
    old.volgende_id = new.id
    audit.record_many(
        session, principal,
        [
            audit.AuditEvent("overdracht.doorsturen", old.id, old.bsn, {"nieuweOverdrachtId": new.id}),
            audit.AuditEvent("overdracht.aanmaken", new.id, new.bsn, {"vorigeOverdrachtId": old.id}),
        ],
        now=ctx.now(),
    )
    return detail_view(session, new, principal, ctx)
