"""Changing course on a transfer (issue 16 item 4): the latende gemeente corrects a line or
withdraws the transfer; the ontvangende gemeente reconsiders a rejection and accepts after
all; the latende gemeente takes a rejected youth back.

Each is a guarded transition of :mod:`wpb.domain.overdracht` (one conditional UPDATE, so a
concurrent change gives 409), written to the timeline and the audit log. A correction is a
new version of the transfer: the old values stay in the timeline and the audit details, and
the aanleverdatum never moves. A reconsideration keeps the rejection on record, so the rules
of :mod:`wpb.law.overgang` see a transfer rejected and later afgerond (factsheet part B).
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import update
from sqlalchemy.orm import Session

from wpb.domain.overdracht import ACTIE_LABEL, TRANSITIONS, Actie
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.components.overdrachten.access import read_visible, roles_of
from wpb.service.components.overdrachten.models import OverdrachtRegel
from wpb.service.components.overdrachten.transitions import MAX_ONDERBOUWING, transition
from wpb.service.components.overdrachten.upload_file import MAX_PRODUCT_LENGTH, text_problem
from wpb.service.components.overdrachten.views import detail_view
from wpb.service.context import Context
from wpb.service.errors import Forbidden, InvalidRequest
from wpb.service.web.dutch import dutch_date

_R = OverdrachtRegel.__table__


def _read_for(session: Session, principal: Principal, overdracht_id: int, actie: Actie):
    """The transfer, once the principal is known to be a party that may take ``actie`` (so
    a provider or the other gemeente gets 403 before any check of its input)."""
    o = read_visible(session, principal, overdracht_id)
    door = TRANSITIONS[actie].door
    if not door & roles_of(principal, o):
        wie = " of ".join(sorted(r.value.replace("_", " ") for r in door))
        raise Forbidden(f"Alleen de {wie} kan deze overdracht {ACTIE_LABEL[actie]}.")
    return o


def _text(name: str, value: str | None, *, required: bool, limit: int) -> tuple[str, list]:
    text = (value or "").strip()
    problems = []
    if required and not text:
        problems.append((name, "verplicht"))
    elif len(text) > limit:
        problems.append((name, f"langer dan {limit} tekens"))
    elif text_problem(text):
        problems.append((name, text_problem(text)))
    return text, problems


def correct(
    session: Session, principal: Principal, ctx: Context, overdracht_id: int, *,
    regel_id: int | str, einddatum: date | None = None, loopt_door: bool = False,
    product: str | None = None, aanbieder_agb: str | None = None, versie: int | None = None,
) -> dict:
    """Correct one line's einddatum, product or provider; the old values go to the timeline."""
    o = _read_for(session, principal, overdracht_id, Actie.CORRIGEREN)
    line = next((r for r in o.regels if regel_id in (r.id, r.publiek_id)), None)
    problems: list[tuple[str, str]] = []
    if line is None:
        raise InvalidRequest("Deze regel hoort niet bij de overdracht.", [("regelId", "onbekende regel")])
    new: dict[str, object] = {}
    if loopt_door and einddatum is not None:
        problems.append(("toewijzingEinddatum", "geef een einddatum of 'loopt door', niet beide"))
    elif loopt_door:
        new["toewijzing_einddatum"] = None
    elif einddatum is not None:
        if einddatum < o.geboortedatum:
            problems.append(("toewijzingEinddatum", "ligt voor de geboortedatum"))
        new["toewijzing_einddatum"] = einddatum
    if product is not None:
        text, found = _text("product", product, required=True, limit=MAX_PRODUCT_LENGTH)
        problems += found
        new["product"] = text
    if aanbieder_agb is not None:
        agb = aanbieder_agb.strip()
        if not re.fullmatch(r"[0-9]{8}", agb):
            problems.append(("aanbiederAgb", "geen AGB-code van 8 cijfers"))
        new["aanbieder_agb"] = agb
    changes = {k: (getattr(line, k), v) for k, v in new.items() if getattr(line, k) != v}
    if not problems and not changes:
        problems.append(("regelId", "er verandert niets"))
    key = (new.get("aanbieder_agb", line.aanbieder_agb), new.get("product", line.product))
    if any((r.aanbieder_agb, r.product) == key for r in o.regels if r.id != line.id):
        problems.append(("product", "deze aanbieder en dit product staan al in een andere regel"))
    if problems:
        raise InvalidRequest("De correctie is niet mogelijk.", problems)
    said = "; ".join(f"{k.replace('_', ' ')}: {_shown(old)} → {_shown(nieuw)}"
                     for k, (old, nieuw) in changes.items())
    o = transition(session, principal, ctx, overdracht_id, Actie.CORRIGEREN, versie, {},
                   f"regel {line.aanbieder_agb} · {line.product} gecorrigeerd ({said}); aanleverdatum blijft "
                   f"{dutch_date(line.aanleverdatum)}", loaded=o)
    session.connection().execute(
        update(_R).where(_R.c.id == line.id).values(**{k: v for k, (_, v) in changes.items()}))
    for k, (_, v) in changes.items():
        setattr(line, k, v)
    audit.record(session, principal, "overdracht.corrigeren", overdracht_id=o.id, bsn=o.bsn,
                 details={"regelId": line.id,
                          "wijzigingen": {k: [_shown(a), _shown(b)] for k, (a, b) in changes.items()}},
                 now=ctx.now())
    return detail_view(session, o, principal, ctx)


def _shown(value: object) -> str:
    if value is None:
        return "loopt door"
    return dutch_date(value) if isinstance(value, date) else str(value)


def withdraw(
    session: Session, principal: Principal, ctx: Context, overdracht_id: int, *,
    reden: str | None, versie: int | None = None,
) -> dict:
    """Withdraw a transfer still being handled, with a reason."""
    o = _read_for(session, principal, overdracht_id, Actie.INTREKKEN)
    text, problems = _text("reden", reden, required=True, limit=MAX_ONDERBOUWING)
    if problems:
        raise InvalidRequest("Intrekken vraagt een reden.", problems)
    o = transition(session, principal, ctx, overdracht_id, Actie.INTREKKEN, versie, {},
                   f"overdracht ingetrokken door de latende gemeente: {text}", loaded=o)
    audit.record(session, principal, "overdracht.intrekken", overdracht_id=o.id, bsn=o.bsn,
                 now=ctx.now())
    return detail_view(session, o, principal, ctx)


def _answer(
    session: Session, principal: Principal, ctx: Context, overdracht_id: int, actie: Actie,
    toelichting: str | None, versie: int | None, values: dict, said: str,
) -> dict:
    """A transition on a rejection with an optional toelichting, timeline text ``said``."""
    o = _read_for(session, principal, overdracht_id, actie)
    text, problems = _text("toelichting", toelichting, required=False, limit=MAX_ONDERBOUWING)
    if problems:
        raise InvalidRequest("De toelichting is niet bruikbaar.", problems)
    said = said.format(afgewezen=dutch_date(o.afgewezen_op) if o.afgewezen_op else "eerder")
    o = transition(session, principal, ctx, overdracht_id, actie, versie, values,
                   said + (f": {text}" if text else ""), loaded=o)
    audit.record(session, principal, f"overdracht.{actie.value}", overdracht_id=o.id, bsn=o.bsn,
                 now=ctx.now())
    return detail_view(session, o, principal, ctx)


def reconsider(
    session: Session, principal: Principal, ctx: Context, overdracht_id: int, *,
    toelichting: str | None = None, versie: int | None = None,
) -> dict:
    """The ontvangende gemeente reconsiders its rejection and accepts; the rejection stays."""
    return _answer(session, principal, ctx, overdracht_id, Actie.HEROVERWEGEN, toelichting, versie,
                   {"geaccepteerd_op": ctx.today()},
                   "afwijzing van {afgewezen} heroverwogen; overdracht alsnog geaccepteerd")


def take_back(
    session: Session, principal: Principal, ctx: Context, overdracht_id: int, *,
    toelichting: str | None = None, versie: int | None = None,
) -> dict:
    """The latende gemeente accepts the rejection and keeps the youth."""
    return _answer(session, principal, ctx, overdracht_id, Actie.TERUGNEMEN, toelichting, versie,
                   {}, "jeugdige teruggenomen: de latende gemeente blijft verantwoordelijk")
