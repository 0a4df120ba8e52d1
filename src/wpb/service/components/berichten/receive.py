"""Receiving a message: checked on every layer of :func:`wpb.ijw.ontvangst.valideer`, kept
once (TR056), and for a JW315 the proposed woonplaats answer made at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from wpb.ijw import models as m
from wpb.ijw import rules, safe_xml
from wpb.ijw.ontvangst import Validatie, valideer
from wpb.ijw.problems import Problem as IjwProblem
from wpb.ijw.retour import RetourOnmogelijk, read_kop
from wpb.ijw.rules import Registratie
from wpb.ijw.schema import XsdUnavailable
from wpb.law import termijnen as termijn_regels
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.clock import utc_naive
from wpb.service.components.berichten import retouren
from wpb.service.components.berichten.access import (
    AFGEKEURD,
    BRP_OPVRAGEN,
    ONTVANGEN,
    may_submit,
    partijen_of,
)
from wpb.service.components.berichten.models import IjwBericht
from wpb.service.components.berichten.store import DbBerichtStore, by_key
from wpb.service.components.berichten.views import bericht_view
from wpb.service.components.berichten.voorstel import (
    brp_van_gemeente,
    peildatum_of,
    propose_antwoord,
    voorstel_met_brp_api,
)
from wpb.service.context import Context
from wpb.service.db import transaction
from wpb.service.errors import (
    Conflict,
    Forbidden,
    InvalidRequest,
    NotConfigured,
)

# --- receiving ------------------------------------------------------------------------------


def _bsns(bericht: m.Bericht) -> list[str]:
    if isinstance(bericht, m.JW323):
        return sorted({c.bsn for c in bericht.declaratie.clienten})
    client = getattr(bericht, "client", None)
    bsn = getattr(client, "bsn", None)
    return [bsn] if bsn else []


def invalid_params(problems: list[IjwProblem]) -> list[dict[str, Any]]:
    """Problems as problem+json ``invalidParams``: the element as name, the rule as code,
    the reason, the value (never a personal one), the retourcode and the line."""
    out = []
    for p in problems:
        param: dict[str, Any] = {"name": p.element, "code": p.regel, "reason": p.probleem}
        if p.waarde is not None:
            param["waarde"] = p.waarde
        if p.retourcode is not None:
            param["retourcode"] = p.retourcode
        if p.line is not None:
            param["regel"] = p.line
        out.append(param)
    return out


def ongeldig_problem(problems: list[IjwProblem], detail: str) -> InvalidRequest:
    # ``extra`` replaces the generic invalidParams with the element/rule ones.
    return InvalidRequest(detail, extra={"invalidParams": invalid_params(problems)})


@dataclass(frozen=True)
class Ontvangstresultaat:
    """What became of a submitted message: new (201) or received before (200)."""

    registratie: Registratie
    bericht_id: str  # the message's public id (S10)
    view: dict

    @property
    def nieuw(self) -> bool:
        return self.registratie is Registratie.NIEUW


@dataclass(frozen=True)
class _Ontvangen:
    registratie: Registratie
    bericht_id: int
    brp_opvragen: bool
    refused: InvalidRequest | None = None  # kept as afgekeurd with its retourbericht


def _keep_refused(session: Session, principal: Principal, ctx: Context, data: bytes,
                  validatie: Validatie) -> tuple[Registratie, IjwBericht, IjwBericht] | None:
    """Keep a refused message the gemeente receives with its retourbericht (OP090: every
    received message gets one, with the retourcodes of the checks that fired).

    Only when its header is readable and names the caller as sender (S2) and a gemeente
    as receiver; else None and nothing is kept. TR056: the same refused message again
    answers the first retourbericht; the same identification with other content is 409.
    """
    kop = read_kop(data)
    if kop is None or not (principal.is_aanbieder and principal.code == kop.afzender) \
            or not (len(kop.ontvanger) == 4 and kop.ontvanger.isdigit()) \
            or len(kop.afzender) > 8 or len(kop.identificatie) > 12:
        return None
    inhoud_hash = "sha256:" + hashlib.sha256(data).hexdigest()
    earlier = by_key(session, m.BerichtSleutel(kop.type, kop.afzender, kop.identificatie),
                     principal.label)
    if earlier is not None:
        retour = session.scalar(select(IjwBericht).where(
            IjwBericht.antwoord_op_id == earlier.id, IjwBericht.retour.is_not(None)))
        if earlier.inhoud_hash != inhoud_hash or earlier.status != AFGEKEURD or retour is None:
            raise Conflict(f"BerichtIdentificatie {kop.identificatie} is al ontvangen met een "
                           "andere inhoud (TR056); stuur een verbeterd bericht met een nieuwe "
                           "identificatie.")
        return Registratie.HERHAALD, earlier, retour
    bsns = [b for b in (_bsns(validatie.bericht) if validatie.bericht else [])
            if len(b) == 9 and b.isdigit()]
    row = IjwBericht(
        berichttype=kop.type.value, afzender=kop.afzender, identificatie=kop.identificatie,
        inhoud_hash=inhoud_hash, ontvangen_op=utc_naive(ctx.now()), bron="ingediend",
        gemeente=kop.ontvanger, aanbieder=kop.afzender, bsn=bsns[0] if len(bsns) == 1 else None,
        dagtekening=kop.dagtekening, ontvangstdatum=ctx.today(), xml=data.decode("utf-8"),
        xsd_gecontroleerd=validatie.xsd_gecontroleerd, organisatie=principal.label,
        gebruiker_id=principal.gebruiker_id, status=AFGEKEURD, versie=1,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # the same message at the same moment: the first one counts
        raise Conflict("Dit bericht wordt op dit moment al ontvangen; probeer het opnieuw.") from None
    try:
        retour = retouren.make_retour(session, ctx, row, data, validatie)
    except RetourOnmogelijk:
        return None  # the caller refuses; the transaction keeps nothing
    if retour is None:
        return None
    audit.record_many(
        session, principal,
        [audit.AuditEvent("bericht.afgekeurd", None, b,
                          {"bericht": row.publiek_id, "berichttype": row.berichttype,
                           "retourbericht": retour.publiek_id}) for b in bsns or [None]],
        now=ctx.now(),
    )
    return Registratie.NIEUW, row, retour


def max_bericht_bytes(ctx: Context) -> int:
    """The service's upload limit, and never more than OP179's 25 MB."""
    return min(ctx.settings.max_upload_bytes, safe_xml.MAX_BYTES)


def _ontvang(session: Session, principal: Principal, ctx: Context, data: bytes) -> _Ontvangen:
    now = ctx.now()
    try:
        validatie = valideer(
            data, register=ctx.register, xsd_dir=ctx.settings.ijw_xsd_dir, vandaag=ctx.today(),
            max_bytes=max_bericht_bytes(ctx),
        )
    except XsdUnavailable as exc:
        raise NotConfigured(f"De XSD-controle is ingesteld maar niet bruikbaar: {exc}") from None
    bericht = validatie.bericht
    if validatie.geldig and validatie.retour is not None:
        registratie, bericht_id = retouren.receive_retour(
            session, principal, ctx, data, validatie.retour, validatie.xsd_gecontroleerd)
        return _Ontvangen(registratie, bericht_id, False)
    if bericht is not None and not may_submit(principal, bericht):
        raise Forbidden(
            "U mag alleen berichten indienen waarvan uw organisatie de afzender is "
            "(een aanbieder met de eigen AGB-code, een gemeente met de eigen gemeentecode)."
        )
    if not validatie.geldig or bericht is None:
        soort = validatie.type.value if validatie.type else "Het document"
        problem = ongeldig_problem(
            validatie.problems,
            f"{soort} is ongeldig: {len(validatie.problems)} probleem/problemen; "
            "zie invalidParams (element en regel).",
        )
        refused = _keep_refused(session, principal, ctx, data, validatie)
        if refused is None:
            raise problem
        registratie, row, retour = refused
        problem.extra.update({"bericht": row.publiek_id, "retourbericht": retour.publiek_id})
        problem.detail += (f" Het bericht is afgekeurd; het retourbericht {retour.berichttype} "
                           f"staat klaar als bericht {retour.publiek_id}.")
        return _Ontvangen(registratie, row.id, False, refused=problem)
    gemeente, aanbieder = partijen_of(bericht)
    bsns = _bsns(bericht)
    is_vot = isinstance(bericht, m.JW315)
    ontvangstdatum = ctx.today()
    velden = {
        "bron": "ingediend",
        "gemeente": gemeente,
        "aanbieder": aanbieder,
        "bsn": bsns[0] if len(bsns) == 1 else None,
        "dagtekening": bericht.header.dagtekening,
        "ontvangstdatum": ontvangstdatum,
        "xml": data.decode("utf-8"),
        "xsd_gecontroleerd": validatie.xsd_gecontroleerd,
        "organisatie": principal.label,
        "gebruiker_id": principal.gebruiker_id,
        "status": ONTVANGEN,
        "versie": 1,
    }
    store = DbBerichtStore(session, velden)
    uniek = rules.registreer(bericht, store, now)
    if uniek.registratie is Registratie.CONFLICT:
        assert uniek.problem is not None
        raise Conflict(uniek.problem.probleem, extra={"invalidParams": invalid_params([uniek.problem])})
    if uniek.registratie is Registratie.HERHAALD:
        row = by_key(session, m.sleutel(bericht), principal.label)
        assert row is not None
        audit.record_many(
            session, principal,
            [audit.AuditEvent("bericht.herhaald", None, b, {"bericht": row.publiek_id}) for b in bsns]
            or [audit.AuditEvent("bericht.herhaald", None, None, {"bericht": row.publiek_id})],
            now=now,
        )
        return _Ontvangen(Registratie.HERHAALD, row.id, False)

    row = store.row
    assert row is not None
    audit.record_many(
        session, principal,
        [audit.AuditEvent("bericht.ontvangen", None, b,
                          {"bericht": row.publiek_id, "berichttype": bericht.type.value}) for b in bsns]
        or [audit.AuditEvent("bericht.ontvangen", None, None,
                             {"bericht": row.publiek_id, "berichttype": bericht.type.value})],
        now=now,
    )
    # OP090: the retourbericht on what the gemeente receives, due within 3 werkdagen.
    retouren.make_retour(session, ctx, row, data, validatie)
    if isinstance(bericht, m.JW317):
        row.uiterlijk = termijn_regels.antwoord_vow(ontvangstdatum).uiterlijk
    if not is_vot:
        session.flush()
        return _Ontvangen(Registratie.NIEUW, row.id, False)
    assert isinstance(bericht, m.JW315)
    # S1: only the BRP data of the receiving gemeente itself, never another tenant's.
    found = brp_van_gemeente(session, gemeente, bericht.client.bsn, peildatum_of(bericht))
    if found is not None:
        doc, bron = found
        propose_antwoord(session, row, bericht, ctx, doc, bron)
        return _Ontvangen(Registratie.NIEUW, row.id, False)
    if ctx.settings.brp_configured:
        row.status = BRP_OPVRAGEN
        row.uiterlijk = termijn_regels.antwoord_vot(ontvangstdatum).uiterlijk
        session.flush()
        return _Ontvangen(Registratie.NIEUW, row.id, True)
    propose_antwoord(session, row, bericht, ctx, None, None)
    return _Ontvangen(Registratie.NIEUW, row.id, False)


def receive_and_process(
    factory: sessionmaker[Session], principal: Principal, ctx: Context, data: bytes
) -> Ontvangstresultaat:
    """Receive one message and, for a new JW315, propose the woonplaats answer.

    Up to three transactions: receive and keep the message (and propose, when the BRP data
    is in the database); fetch the BRP data from the BRP API with no transaction open;
    propose with it. Raises the service's problems for invalid (400), foreign (403) and
    conflicting (409) messages; nothing is kept then, except that an invalid message the
    gemeente receives with a readable header is kept as ``afgekeurd`` with its retourbericht
    (the 400 names both: ``bericht`` and ``retourbericht``).
    """
    with transaction(factory) as session:
        ontvangen = _ontvang(session, principal, ctx, data)
    if ontvangen.refused is not None:
        raise ontvangen.refused  # kept (afgekeurd, with its retourbericht) and still a 400
    if ontvangen.brp_opvragen:
        voorstel_met_brp_api(factory, ctx, ontvangen.bericht_id)
    with transaction(factory) as session:
        row = session.get(IjwBericht, ontvangen.bericht_id)
        assert row is not None
        view = bericht_view(session, row, principal, ctx, detail=True)
    return Ontvangstresultaat(ontvangen.registratie, row.publiek_id, view)
