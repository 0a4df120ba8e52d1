"""iJw 3.2 messages in the service: receive, keep once, propose the woonplaats answer, send it.

Every function takes the database session (or the session factory, where a BRP lookup
must happen outside any transaction), the acting
:class:`~wpb.service.tenancy.Principal` and the :class:`~wpb.service.context.Context`;
the REST API (:mod:`wpb.service.berichten_api`) and the web pages both call these.

**Receiving** (:func:`ontvang_en_verwerk`). A message is checked on every layer of
:func:`wpb.ijw.ontvangst.valideer` (safe XML, the XSDs when ``WPB_IJW_XSD_DIR`` is set,
structure and datatypes, the iStandaarden rules, TR378 against the municipality table).
Only the sender or the receiver may submit it. TR056, "processed once", rests on the
unique constraint on (berichttype, afzender, identificatie) of ``ijw_berichten``
(:class:`DbBerichtStore`): of two requests with the same message exactly one insert
wins; the other finds the first receipt and answers with it, not processing again. The
same key with other content is refused (TR056, 409).

**The woonplaats answer on a VOT (OP359).** For a JW315 the service runs
:func:`wpb.ijw.woonplaats_antwoord.stel_antwoord_voor` with the BRP data it has for the
youth: the newest BRP document attached to one of the youth's transfers, else (when
``WPB_BRP_BASE_URL`` is set) the verblijfplaatshistorie fetched from the Haal Centraal
BRP API, without a database transaction open during the call. Without BRP data the
proposal is "aanvraag in onderzoek" and waits for a person. The proposal keeps the
decision's explanation and the deadlines (OP274 5 werkdagen, OP359 2 weeks; Dutch
feestdagen counted by :mod:`wpb.law.termijnen`). A JW317 gets its OP346 deadline.

**Sending the answer** (:func:`keur_antwoord_goed`). The addressed gemeente approves
the proposal; the service then makes the JW301 toewijzing and/or JW319 antwoordberichten
with fresh numbers (BerichtIdentificatie ``WPB`` + 9 digits, ToewijzingNummer from a
counter; unique over this service, so unique per gemeente as TR056/OP275 ask), checks
them against the datatypes (and the XSDs when configured) and keeps them as sent
messages the provider can fetch. Numbers are handed out at approval, not at proposal:
the proposal shows none. An "in onderzoek" answer is sent once per product (CD086);
products already answered definitively are not answered again.

**Who sees what.** The gemeente that is party to a message (the addressee of a request,
the sender of an answer) and the provider that is party to it; nobody else, not the
coordinator either: messages hold a youth's personal data and are exchanged between these
two parties only. The proposal (with the BRP-based explanation) is the gemeente's own
until it sends the answer. Anything not visible is answered as if it did not exist. Every
read or change of a youth's message is written to the audit log. No BSN is ever put in
an error message.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, false, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from wpb.brp.haal_centraal import parse_case
from wpb.errors import InvalidInput
from wpb.ijw import models as m
from wpb.ijw import rules, safe_xml
from wpb.ijw.ontvangst import valideer
from wpb.ijw.problems import Problem as IjwProblem
from wpb.ijw.rules import Ontvangst, Registratie
from wpb.ijw.schema import XsdUnavailable
from wpb.ijw.woonplaats_antwoord import (
    AntwoordSoort,
    ClientGegevens,
    Nummering,
    contact_uit_brp,
    stel_antwoord_voor,
)
from wpb.ijw.xml_read import read_bericht
from wpb.ijw.xml_write import write_bericht
from wpb.law import termijnen as termijn_regels
from wpb.service import audit
from wpb.service.brp_client import query_until
from wpb.service.clock import AMSTERDAM, utc_naive
from wpb.service.context import Context
from wpb.service.db import transaction
from wpb.service.errors import (
    Conflict,
    Forbidden,
    InvalidRequest,
    NotConfigured,
    NotFound,
    UpstreamError,
)
from wpb.service.models import IjwBericht, IjwNummering, Overdracht
from wpb.service.tenancy import Principal

MAX_PAGE_SIZE = 200
IDENTIFICATIE_PREFIX = "WPB"  # + 9 digits: LDT_IdentificatieBericht allows 12 characters

# Statuses of a stored message.
ONTVANGEN = "ontvangen"  # any message without a proposal
BRP_OPVRAGEN = "brp_opvragen"  # a JW315 whose BRP data is being fetched
VOORSTEL = "voorstel"  # a JW315 with a proposed answer, not yet sent
IN_ONDERZOEK = "in_onderzoek"  # "aanvraag in onderzoek" sent; the final answer is still due
BEANTWOORD = "beantwoord"  # every product answered definitively
VERZONDEN = "verzonden"  # a message the service produced and sent
OPEN_STATUSSEN = (BRP_OPVRAGEN, VOORSTEL, IN_ONDERZOEK)


# --- the TR056 store on the database ----------------------------------------------------------


class DbBerichtStore:
    """:class:`wpb.ijw.rules.BerichtStore` on the table ``ijw_berichten``.

    :meth:`claim` inserts the row inside a savepoint; the unique constraint decides which
    of two simultaneous claims wins (on PostgreSQL the second insert waits for the first
    transaction and then fails; on SQLite write transactions queue). The loser gets the
    first receipt back. ``velden`` are the other columns of the new row.
    """

    def __init__(self, session: Session, velden: dict[str, Any]):
        self.session = session
        self.velden = velden
        self.row: IjwBericht | None = None

    def claim(self, ontvangst: Ontvangst) -> Ontvangst | None:
        row = IjwBericht(
            berichttype=ontvangst.sleutel.type.value,
            afzender=ontvangst.sleutel.afzender,
            identificatie=ontvangst.sleutel.identificatie,
            inhoud_hash=ontvangst.inhoud_hash,
            ontvangen_op=utc_naive(ontvangst.ontvangen_op),
            **self.velden,
        )
        try:
            with self.session.begin_nested():
                self.session.add(row)
                self.session.flush()
        except IntegrityError:
            earlier = self.get(ontvangst.sleutel)
            if earlier is None:  # the constraint fired for another reason
                raise
            return earlier
        self.row = row
        return None

    def get(self, sleutel: m.BerichtSleutel) -> Ontvangst | None:
        row = _by_key(self.session, sleutel)
        if row is None:
            return None
        return Ontvangst(sleutel, row.inhoud_hash, row.ontvangen_op)


def _by_key(session: Session, sleutel: m.BerichtSleutel) -> IjwBericht | None:
    return session.scalar(
        select(IjwBericht)
        .where(
            IjwBericht.berichttype == sleutel.type.value,
            IjwBericht.afzender == sleutel.afzender,
            IjwBericht.identificatie == sleutel.identificatie,
        )
        .execution_options(populate_existing=True)
    )


# --- who sees what --------------------------------------------------------------------------


def _partijen(bericht: m.Bericht) -> tuple[str, str]:
    """(gemeentecode, AGB code) of a message, whichever way it goes."""
    h = bericht.header
    return (h.afzender, h.ontvanger) if bericht.type.afzender_is_gemeente else (h.ontvanger, h.afzender)


def mag_indienen(principal: Principal, bericht: m.Bericht) -> bool:
    """The sender or the receiver of the message: its gemeente or its aanbieder."""
    gemeente, aanbieder = _partijen(bericht)
    if principal.is_gemeente:
        return principal.code == gemeente
    if principal.is_aanbieder:
        return principal.code == aanbieder
    return False


def visible_clause(principal: Principal) -> ColumnElement[bool]:
    if principal.is_gemeente:
        return IjwBericht.gemeente == principal.code
    if principal.is_aanbieder:
        return IjwBericht.aanbieder == principal.code
    return false()


def _not_found(bericht_id: int) -> NotFound:
    return NotFound(f"Bericht {bericht_id} bestaat niet of is niet zichtbaar voor u.")


def get_visible(session: Session, principal: Principal, bericht_id: int) -> IjwBericht:
    row = session.scalar(
        select(IjwBericht)
        .where(IjwBericht.id == bericht_id, visible_clause(principal))
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise _not_found(bericht_id)
    return row


def _require_gemeente(principal: Principal, row: IjwBericht) -> None:
    if not (principal.is_gemeente and principal.code == row.gemeente):
        raise Forbidden("Alleen de gemeente van dit bericht kan het antwoord voorstellen of versturen.")


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
    return row.aanbieder if m.BerichtType(row.berichttype).afzender_is_gemeente else row.gemeente


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
    type_ = m.BerichtType(row.berichttype)
    today = ctx.today()
    view: dict[str, Any] = {
        "id": row.id,
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
        "antwoordOp": row.antwoord_op_id,
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
            {"id": a.id, "berichttype": a.berichttype, "identificatie": a.identificatie,
             "dagtekening": _iso(a.dagtekening), "status": a.status}
            for a in antwoorden
        ]
        view["beantwoordOp"] = _iso(row.beantwoord_op)
    return view


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


def _ongeldig(problems: list[IjwProblem], detail: str) -> InvalidRequest:
    # ``extra`` replaces the generic invalidParams with the element/rule ones.
    return InvalidRequest(detail, extra={"invalidParams": invalid_params(problems)})


@dataclass(frozen=True)
class Ontvangstresultaat:
    """What became of a submitted message: new (201) or received before (200)."""

    registratie: Registratie
    bericht_id: int
    view: dict

    @property
    def nieuw(self) -> bool:
        return self.registratie is Registratie.NIEUW


@dataclass(frozen=True)
class _Ontvangen:
    registratie: Registratie
    bericht_id: int
    brp_opvragen: bool


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
    if bericht is not None and not mag_indienen(principal, bericht):
        raise Forbidden(
            "U mag alleen berichten indienen waarvan uw organisatie afzender of ontvanger is."
        )
    if not validatie.geldig or bericht is None:
        soort = validatie.type.value if validatie.type else "Het document"
        raise _ongeldig(
            validatie.problems,
            f"{soort} is ongeldig: {len(validatie.problems)} probleem/problemen; "
            "zie invalidParams (element en regel).",
        )
    gemeente, aanbieder = _partijen(bericht)
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
        row = _by_key(session, m.sleutel(bericht))
        assert row is not None
        audit.record_many(
            session, principal,
            [audit.AuditEvent("bericht.herhaald", None, b, {"bericht": row.id}) for b in bsns]
            or [audit.AuditEvent("bericht.herhaald", None, None, {"bericht": row.id})],
            now=now,
        )
        return _Ontvangen(Registratie.HERHAALD, row.id, False)

    row = store.row
    assert row is not None
    audit.record_many(
        session, principal,
        [audit.AuditEvent("bericht.ontvangen", None, b,
                          {"bericht": row.id, "berichttype": bericht.type.value}) for b in bsns]
        or [audit.AuditEvent("bericht.ontvangen", None, None,
                             {"bericht": row.id, "berichttype": bericht.type.value})],
        now=now,
    )
    if isinstance(bericht, m.JW317):
        row.uiterlijk = termijn_regels.antwoord_vow(ontvangstdatum).uiterlijk
    if not is_vot:
        session.flush()
        return _Ontvangen(Registratie.NIEUW, row.id, False)
    assert isinstance(bericht, m.JW315)
    found = _brp_uit_overdrachten(session, bericht.client.bsn, _peildatum(bericht))
    if found is not None:
        doc, bron = found
        _stel_voor(session, row, bericht, ctx, doc, bron)
        return _Ontvangen(Registratie.NIEUW, row.id, False)
    if ctx.settings.brp_configured:
        row.status = BRP_OPVRAGEN
        row.uiterlijk = termijn_regels.antwoord_vot(ontvangstdatum).uiterlijk
        session.flush()
        return _Ontvangen(Registratie.NIEUW, row.id, True)
    _stel_voor(session, row, bericht, ctx, None, None)
    return _Ontvangen(Registratie.NIEUW, row.id, False)


def ontvang_en_verwerk(
    factory: sessionmaker[Session], principal: Principal, ctx: Context, data: bytes
) -> Ontvangstresultaat:
    """Receive one message and, for a new JW315, propose the woonplaats answer.

    Up to three transactions: receive and keep the message (and propose, when the BRP data
    is in the database); fetch the BRP data from the BRP API with no transaction open;
    propose with it. Raises the service's problems for invalid (400), foreign (403) and
    conflicting (409) messages; nothing is kept then.
    """
    with transaction(factory) as session:
        ontvangen = _ontvang(session, principal, ctx, data)
    if ontvangen.brp_opvragen:
        _voorstel_met_brp_api(factory, ctx, ontvangen.bericht_id)
    with transaction(factory) as session:
        row = session.get(IjwBericht, ontvangen.bericht_id)
        assert row is not None
        view = bericht_view(session, row, principal, ctx, detail=True)
    return Ontvangstresultaat(ontvangen.registratie, ontvangen.bericht_id, view)


# --- the proposal ----------------------------------------------------------------------------


def _peildatum(verzoek: m.JW315) -> date:
    """The BRP history must reach the latest ToewijzingIngangsdatum the decisions look at."""
    return max(p.toewijzing_ingangsdatum for p in verzoek.client.aangevraagde_producten)


def _brp_uit_overdrachten(session: Session, bsn: str, peildatum: date) -> tuple[dict, str] | None:
    """The newest BRP document attached to a transfer of this youth, as a case document.

    Every gemeente may consult the BRP for its tasks (Wet BRP), so a document the service
    holds for the youth serves the addressed gemeente's woonplaats check as well.
    """
    from wpb.service.transfers import case_document

    o = session.scalars(
        select(Overdracht)
        .where(Overdracht.bsn == bsn, Overdracht.brp_document.is_not(None))
        .order_by(Overdracht.brp_ontvangen_op.desc(), Overdracht.id.desc())
        .limit(1)
    ).first()
    if o is None:
        return None
    return case_document(o, peildatum), f"overdracht:{o.id}"


def _geboorte(g: m.Geboortedatum) -> dict:
    """A JW315 Geboortedatum as a Haal Centraal date (DatumGebruik says what is unknown)."""
    d = g.datum
    if g.datum_gebruik == "1":
        return {"type": "JaarMaandDatum", "jaar": d.year, "maand": d.month}
    if g.datum_gebruik == "2":
        return {"type": "JaarDatum", "jaar": d.year}
    if g.datum_gebruik == "3":
        return {"type": "DatumOnbekend"}
    return {"type": "Datum", "datum": d.isoformat()}


def _geboorte_vroegst(g: m.Geboortedatum) -> date:
    """The earliest day the birth date may be: the BRP history is asked from then on."""
    if g.datum_gebruik == "1":
        return g.datum.replace(day=1)
    if g.datum_gebruik == "2":
        return g.datum.replace(month=1, day=1)
    if g.datum_gebruik == "3":
        return date(1900, 1, 1)
    return g.datum


def case_uit_historie(historie: dict, verzoek: m.JW315) -> dict:
    """A case document from a BRP historie answer, completed with the VOT's youth."""
    if "jeugdige" in historie:
        return dict(historie)
    records = historie.get("verblijfplaatsen", historie.get("verblijfplaatshistorie", []))
    return {
        "peildatum": _peildatum(verzoek).isoformat(),
        "jeugdige": {
            "burgerservicenummer": verzoek.client.bsn,
            "geboorte": {"datum": _geboorte(verzoek.client.geboortedatum)},
            "verblijfplaatshistorie": records,
        },
    }


def _local_now(ctx: Context) -> datetime:
    """Toewijzingsdatum/-tijd and dagtekening are Dutch local time."""
    moment = ctx.now()
    if moment.tzinfo is not None:
        moment = moment.astimezone(AMSTERDAM).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _maak_voorstel(
    verzoek: m.JW315, doc: dict | None, ctx: Context, ontvangen_op: date, *,
    identificatie: Callable[[], str], toewijzingnummer: Callable[[], int],
):
    """The proposal and the problem with the BRP data (None when it was usable)."""
    case = None
    probleem = None
    gegevens = ClientGegevens()
    if doc is not None:
        try:
            case = parse_case(doc, ctx.register, peildatum=_peildatum(verzoek), bron="BRP-gegevens")
            if case.jeugdige.burgerservicenummer not in (None, verzoek.client.bsn):
                case, probleem = None, "de BRP-gegevens gaan over een andere jeugdige"
        except InvalidInput as exc:
            case = None
            probleem = "; ".join(f"{e.pad}: {e.probleem}" for e in exc.errors)
        contact = contact_uit_brp(doc) if case is not None else None
        if contact is not None:
            gegevens = ClientGegevens(contactgegevens=(contact,))
    voorstel = stel_antwoord_voor(
        verzoek, case, ctx.register, ontvangen_op=ontvangen_op, nu=_local_now(ctx),
        identificatie=identificatie, toewijzingnummer=toewijzingnummer, client_gegevens=gegevens,
    )
    return voorstel, probleem


def _stel_voor(
    session: Session, row: IjwBericht, verzoek: m.JW315, ctx: Context,
    doc: dict | None, bron: str | None, *, brp_probleem: str | None = None,
) -> None:
    """Compute and keep the proposal for the JW315 in ``row``."""
    concept = Nummering(prefix="CONCEPT")
    voorstel, probleem = _maak_voorstel(
        verzoek, doc, ctx, row.ontvangstdatum or ctx.today(),
        identificatie=concept.identificatie, toewijzingnummer=concept.toewijzingnummer,
    )
    earlier = json.loads(row.voorstel) if row.voorstel else {}
    data = voorstel.to_json()
    # Numbers are handed out when the answer is sent; a concept number would mislead.
    for p in data["producten"]:
        p["toewijzingNummer"] = None
    for b in data["berichten"]:
        b["identificatie"] = None
    data["brp"] = {
        "bron": bron,
        "probleem": brp_probleem or (f"BRP-gegevens niet bruikbaar: {probleem}" if probleem else None),
    }
    data["verzonden"] = earlier.get("verzonden", {})
    row.voorstel = json.dumps(data, ensure_ascii=False)
    row.voorstel_op = utc_naive(ctx.now())
    row.brp_document = json.dumps(doc, ensure_ascii=False) if doc is not None else None
    row.brp_bron = bron
    open_products = [p for p in voorstel.producten if p.referentie_aanbieder not in data["verzonden"]
                     or data["verzonden"][p.referentie_aanbieder] == AntwoordSoort.IN_ONDERZOEK.value]
    if row.status == IN_ONDERZOEK:
        # "In onderzoek" was sent: the final answer is due 8 weeks after the dagtekening.
        row.uiterlijk = termijn_regels.na_onderzoek(verzoek.header.dagtekening).uiterlijk
    else:
        row.uiterlijk = min((p.uiterlijk for p in open_products or voorstel.producten),
                            default=None)
        row.status = VOORSTEL
    session.flush()


def _voorstel_met_brp_api(factory: sessionmaker[Session], ctx: Context, bericht_id: int) -> None:
    """Fetch the youth's history from the BRP API (no transaction open) and propose."""
    with transaction(factory) as session:
        row = session.get(IjwBericht, bericht_id)
        assert row is not None and row.xml is not None
        verzoek = _verzoek(row)
        query = query_until(verzoek.client.bsn, _geboorte_vroegst(verzoek.client.geboortedatum),
                            _peildatum(verzoek))
        # The service asks on behalf of the addressed gemeente, not of the submitting provider.
        audit.record(
            session, None, "brp.opvragen", bsn=verzoek.client.bsn,
            details={"bericht": row.id, "voor": f"gemeente:{row.gemeente}",
                     "datumVan": query.datum_van.isoformat(), "datumTot": query.datum_tot.isoformat()},
            now=ctx.now(),
        )
    doc = None
    probleem = None
    try:
        doc = case_uit_historie(ctx.brp_client().verblijfplaatshistorie(query), verzoek)
    except (UpstreamError, NotConfigured) as exc:
        probleem = f"BRP-bevraging mislukt: {exc.detail}"
    with transaction(factory) as session:
        row = session.get(IjwBericht, bericht_id)
        assert row is not None
        _stel_voor(session, row, _verzoek(row), ctx, doc, "haal-centraal" if doc else None,
                   brp_probleem=probleem)


def _verzoek(row: IjwBericht) -> m.JW315:
    assert row.xml is not None
    bericht = read_bericht(row.xml.encode("utf-8"), bron=f"bericht {row.id}")
    assert isinstance(bericht, m.JW315)
    return bericht


def herbereken_voorstel(
    factory: sessionmaker[Session], principal: Principal, ctx: Context, bericht_id: int,
    *, brp_gegevens: dict | None = None,
) -> dict:
    """Propose the answer anew: with a BRP document given here, else with the BRP data the
    service has now (a transfer's document, else the BRP API). Only the addressed gemeente,
    and only while the answer is not definitively sent."""
    with transaction(factory) as session:
        row = get_visible(session, principal, bericht_id)
        _require_gemeente(principal, row)
        if row.berichttype != m.BerichtType.JW315.value:
            raise Conflict("Alleen op een verzoek om toewijzing (JW315) stelt wpb een antwoord voor.")
        if row.status == BEANTWOORD:
            raise Conflict("Dit verzoek is al beantwoord.", extra={"huidigeStatus": row.status})
        verzoek = _verzoek(row)
        if brp_gegevens is not None:
            doc = _check_brp_document(brp_gegevens, verzoek, ctx)
            _stel_voor(session, row, verzoek, ctx, doc, "upload")
            fetch = False
        else:
            found = _brp_uit_overdrachten(session, verzoek.client.bsn, _peildatum(verzoek))
            fetch = found is None and ctx.settings.brp_configured
            if not fetch:
                _stel_voor(session, row, verzoek, ctx, *(found or (None, None)))
        audit.record(session, principal, "bericht.voorstel", bsn=row.bsn,
                     details={"bericht": row.id}, now=ctx.now())
    if fetch:
        _voorstel_met_brp_api(factory, ctx, bericht_id)
    with transaction(factory) as session:
        row = get_visible(session, principal, bericht_id)
        return bericht_view(session, row, principal, ctx, detail=True)


def _check_brp_document(doc: Any, verzoek: m.JW315, ctx: Context) -> dict:
    if not isinstance(doc, dict) or not (
        "jeugdige" in doc or "verblijfplaatsen" in doc or "verblijfplaatshistorie" in doc
    ):
        raise InvalidRequest(
            "Het BRP-document is onbruikbaar.",
            [("brpGegevens", "verwacht een casus met 'jeugdige' of een antwoord van de BRP "
                             "historie API met 'verblijfplaatsen'")],
        )
    case_doc = case_uit_historie(doc, verzoek)
    try:
        case = parse_case(case_doc, ctx.register, peildatum=_peildatum(verzoek), bron="brpGegevens")
    except InvalidInput as exc:
        raise InvalidRequest(
            "Het BRP-document is onbruikbaar.", [(e.pad, e.probleem) for e in exc.errors]
        ) from None
    if case.jeugdige.burgerservicenummer not in (None, verzoek.client.bsn):
        raise InvalidRequest(
            "Het BRP-document past niet bij dit verzoek.",
            [("brpGegevens.jeugdige.burgerservicenummer", "hoort bij een andere jeugdige")],
        )
    return case_doc


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
        query = query.where(IjwBericht.berichttype == m.BerichtType(berichttype).value)
    if alleen_open:
        query = query.where(IjwBericht.status.in_(OPEN_STATUSSEN))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(IjwBericht.uiterlijk.is_(None), IjwBericht.uiterlijk, IjwBericht.id.desc())
        .offset((pagina - 1) * pagina_grootte).limit(pagina_grootte)
    ).all()
    items = [bericht_view(session, r, principal, ctx) for r in rows]
    audit.record_many(
        session, principal,
        [audit.AuditEvent("bericht.lijst", None, r.bsn, {"bericht": r.id}) for r in rows],
        now=ctx.now(),
    )
    return Page(items, total, pagina, pagina_grootte)


def read_bericht_view(session: Session, principal: Principal, ctx: Context, bericht_id: int) -> dict:
    row = get_visible(session, principal, bericht_id)
    view = bericht_view(session, row, principal, ctx, detail=True)
    audit.record(session, principal, "bericht.lezen", bsn=row.bsn, details={"bericht": row.id},
                 now=ctx.now())
    return view


def read_xml(session: Session, principal: Principal, ctx: Context, bericht_id: int) -> bytes:
    row = get_visible(session, principal, bericht_id)
    assert row.xml is not None
    audit.record(session, principal, "bericht.xml", bsn=row.bsn, details={"bericht": row.id},
                 now=ctx.now())
    return row.xml.encode("utf-8")


# --- sending the answer ----------------------------------------------------------------------


def _volgnummer(session: Session, soort: str) -> int:
    """The next number of a counter: one atomic UPDATE ... RETURNING (SQLite and PostgreSQL)."""
    return session.execute(
        update(IjwNummering)
        .where(IjwNummering.soort == soort)
        .values(laatste=IjwNummering.laatste + 1)
        .returning(IjwNummering.laatste)
    ).scalar_one()


def _te_versturen(voorstel, verzonden: dict[str, str]) -> list[m.Bericht]:
    """The messages of ``voorstel`` that still have to go: no product is answered twice
    definitively, and "in onderzoek" goes once per product (CD086)."""
    def open_(ref: str, soort: AntwoordSoort) -> bool:
        earlier = verzonden.get(ref)
        if earlier is None:
            return True
        if earlier != AntwoordSoort.IN_ONDERZOEK.value:
            return False
        return soort is not AntwoordSoort.IN_ONDERZOEK

    out: list[m.Bericht] = []
    if voorstel.toewijzing is not None:
        keep = {p.referentie_aanbieder for p in voorstel.producten
                if p.soort is AntwoordSoort.TOEWIJZING and open_(p.referentie_aanbieder, p.soort)}
        producten = tuple(tp for tp in voorstel.toewijzing.client.toegewezen_producten
                          if tp.referentie_aanbieder in keep)
        if producten:
            client = dataclasses.replace(voorstel.toewijzing.client, toegewezen_producten=producten)
            out.append(dataclasses.replace(voorstel.toewijzing, client=client))
    for p in voorstel.producten:
        if p.antwoord is not None and open_(p.referentie_aanbieder, p.soort):
            out.append(p.antwoord)
    return out


def keur_antwoord_goed(
    session: Session, principal: Principal, ctx: Context, bericht_id: int, *,
    versie: int | None = None,
) -> dict:
    """Approve the proposed answer of a JW315 and send it: the JW301 and/or JW319 messages.

    Only the addressed gemeente. The proposal is made again with the same BRP data and
    today's date; when it no longer says the same (another answer or gemeente for a
    product), nothing is sent (409: ask for a new proposal). A toewijzing that lacks the
    client's address (TR061) cannot be sent (409, naming what is missing).
    """
    row = get_visible(session, principal, bericht_id)
    _require_gemeente(principal, row)
    if row.berichttype != m.BerichtType.JW315.value:
        raise Conflict("Alleen een verzoek om toewijzing (JW315) heeft een voorgesteld antwoord.")
    if row.status not in (VOORSTEL, IN_ONDERZOEK) or row.voorstel is None:
        raise Conflict(f"Er is geen voorstel om te versturen (status {row.status}).",
                       extra={"huidigeStatus": row.status})
    if versie is not None and versie != row.versie:
        raise Conflict("Het verzoek is intussen gewijzigd; bekijk het opnieuw.",
                       extra={"huidigeStatus": row.status, "huidigeVersie": row.versie})
    stored = json.loads(row.voorstel)
    verzoek = _verzoek(row)
    doc = json.loads(row.brp_document) if row.brp_document else None
    read_versie = row.versie

    # Claim the request first: of two approvals at once only one passes this update.
    claimed = session.execute(
        update(IjwBericht)
        .where(IjwBericht.id == row.id, IjwBericht.versie == read_versie,
               IjwBericht.status.in_((VOORSTEL, IN_ONDERZOEK)))
        .values(versie=read_versie + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise Conflict("Het verzoek is zojuist door iemand anders behandeld.")
    session.refresh(row)

    voorstel, _ = _maak_voorstel(
        verzoek, doc, ctx, row.ontvangstdatum or ctx.today(),
        identificatie=lambda: f"{IDENTIFICATIE_PREFIX}{_volgnummer(session, 'identificatie'):09d}",
        toewijzingnummer=lambda: _volgnummer(session, "toewijzingnummer"),
    )
    was = [(p["referentieAanbieder"], p["soort"], p["verantwoordelijkeGemeente"])
           for p in stored["producten"]]
    now_ = [(p.referentie_aanbieder, p.soort.value, p.verantwoordelijke_gemeente)
            for p in voorstel.producten]
    if was != now_:
        raise Conflict("Het voorstel is verouderd; vraag een nieuw voorstel aan.")
    if any(p.soort is AntwoordSoort.TOEWIJZING for p in voorstel.producten) and voorstel.ontbrekend:
        raise Conflict(
            "De toewijzing kan nog niet worden verstuurd.",
            [("voorstel.ontbrekend", item) for item in voorstel.ontbrekend],
        )
    verzonden: dict[str, str] = dict(stored.get("verzonden", {}))
    berichten = _te_versturen(voorstel, verzonden)
    if not berichten:
        raise Conflict("Er is niets nieuws te versturen: elk product is al beantwoord of al als "
                       "'in onderzoek' gemeld (CD086); vraag eerst een nieuw voorstel aan.")

    now = ctx.now()
    sent: list[dict] = []
    for bericht in berichten:
        data = write_bericht(bericht)  # refuses a message that breaks a datatype
        if ctx.settings.ijw_xsd_dir is not None:
            try:
                check = valideer(data, register=ctx.register, xsd_dir=ctx.settings.ijw_xsd_dir,
                                 vandaag=ctx.today())
            except XsdUnavailable as exc:
                raise NotConfigured(f"De XSD-controle is ingesteld maar niet bruikbaar: {exc}") from None
            if not check.geldig:
                raise _ongeldig(check.problems, f"Het voorgestelde {bericht.type.value} is ongeldig.")
        gemeente, aanbieder = _partijen(bericht)
        out = IjwBericht(
            berichttype=bericht.type.value, afzender=bericht.header.afzender,
            identificatie=bericht.header.identificatie, inhoud_hash=rules.inhoud_hash(bericht),
            ontvangen_op=utc_naive(now), bron="wpb", gemeente=gemeente, aanbieder=aanbieder,
            bsn=row.bsn, dagtekening=bericht.header.dagtekening, ontvangstdatum=ctx.today(),
            xml=data.decode("utf-8"), xsd_gecontroleerd=ctx.settings.ijw_xsd_dir is not None,
            organisatie=principal.label, gebruiker_id=principal.gebruiker_id, status=VERZONDEN,
            versie=1, antwoord_op_id=row.id,
        )
        session.add(out)
        session.flush()
        sent.append({"id": out.id, "berichttype": out.berichttype,
                     "identificatie": out.identificatie, "xml": out.xml})
    for p in voorstel.producten:
        if p.referentie_aanbieder not in verzonden or \
                verzonden[p.referentie_aanbieder] == AntwoordSoort.IN_ONDERZOEK.value:
            verzonden[p.referentie_aanbieder] = p.soort.value
    stored["verzonden"] = verzonden
    row.voorstel = json.dumps(stored, ensure_ascii=False)
    pending = any(v == AntwoordSoort.IN_ONDERZOEK.value for v in verzonden.values())
    row.status = IN_ONDERZOEK if pending else BEANTWOORD
    row.beantwoord_op = utc_naive(now)
    if pending:
        # The final answer is due within 8 weeks of the verzoek's dagtekening (OP274).
        row.uiterlijk = termijn_regels.na_onderzoek(verzoek.header.dagtekening).uiterlijk
    session.flush()
    audit.record(
        session, principal, "bericht.antwoord", bsn=row.bsn,
        details={"bericht": row.id, "verzonden": [f"{s['berichttype']}/{s['identificatie']}" for s in sent]},
        now=now,
    )
    return {"verzoek": bericht_view(session, row, principal, ctx, detail=True), "berichten": sent}


__all__ = [
    "BEANTWOORD",
    "invalid_params",
    "IN_ONDERZOEK",
    "VOORSTEL",
    "DbBerichtStore",
    "Ontvangstresultaat",
    "bericht_view",
    "case_uit_historie",
    "herbereken_voorstel",
    "keur_antwoord_goed",
    "list_berichten",
    "mag_indienen",
    "max_bericht_bytes",
    "ontvang_en_verwerk",
    "read_bericht_view",
    "read_xml",
    "visible_clause",
]
