"""BRP data and the woonplaats check of a transfer.

The check runs the engine of the transfer's law (``wet``) on the BRP data attached to the
transfer (an uploaded Haal Centraal document or one fetched from the configured BRP API):
:func:`wpb.law.engine.decide` for a Jeugdwet transfer (with the youth's care episodes),
:func:`wpb.law.wmo.decide_wmo_bw` for a client in beschermd wonen (``wmo-bw``, with the
Wmo facts the BRP does not hold: the aanmelding and earlier placements, as in the Wmo case
JSON). Its decision JSON can then serve as the onderbouwing of a rejection. The
1-november-maatregel and its tasks belong to the Jeugdwet: a ``wmo-bw`` transfer has no
tasks.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from wpb.brp.haal_centraal import parse_case
from wpb.brp.wmo_case import parse_wmo_case
from wpb.domain.overdracht import Rol
from wpb.errors import InvalidInput
from wpb.law.engine import decide
from wpb.law.wmo import decide_wmo_bw
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.brp_client import query_until
from wpb.service.clock import utc_naive
from wpb.service.components.brp.models import BRONNEN
from wpb.service.components.brp.store import brp_document_for, keep_historie_answer, save_document
from wpb.service.components.overdrachten.access import get_visible, roles_of
from wpb.service.components.overdrachten.models import (
    WET_WMO_BW,
    Overdracht,
)
from wpb.service.components.overdrachten.transitions import add_event
from wpb.service.components.overdrachten.views import iso
from wpb.service.context import Context
from wpb.service.db import transaction
from wpb.service.errors import Forbidden, InvalidRequest
from wpb.service.web.dutch import dutch_date

# --- BRP data and the woonplaats check ----------------------------------------------------


def _require_gemeente_party(principal: Principal, o: Overdracht) -> None:
    if not roles_of(principal, o) & {Rol.LATENDE, Rol.ONTVANGENDE}:
        raise Forbidden("Alleen de latende en de ontvangende gemeente werken met BRP-gegevens.")


MAX_DOCUMENT_DEPTH = 32


def _depth(value: Any) -> int:
    """Nesting depth of a JSON value, without recursion (a hostile document may be deep)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DOCUMENT_DEPTH:
            break
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, level + 1) for child in children)
    return deepest


def _document_errors(doc: Any, o: Overdracht) -> list[tuple[str, str]]:
    if not isinstance(doc, dict):
        return [("document", "verwacht een JSON-object")]
    if _depth(doc) > MAX_DOCUMENT_DEPTH:
        return [("document", f"dieper genest dan {MAX_DOCUMENT_DEPTH} niveaus")]
    if "jeugdige" in doc:
        jeugdige = doc.get("jeugdige")
        bsn = jeugdige.get("burgerservicenummer") if isinstance(jeugdige, dict) else None
        if bsn is not None and bsn != o.bsn:
            return [("jeugdige.burgerservicenummer", "hoort bij een andere jeugdige dan deze overdracht")]
        return []
    if "verblijfplaatsen" in doc or "verblijfplaatshistorie" in doc:
        return []
    return [
        (
            "document",
            "verwacht een casus met 'jeugdige' of een antwoord van de BRP historie API met "
            "'verblijfplaatsen'",
        )
    ]


def case_document(
    o: Overdracht, peildatum: date, jeugdhulp: list | None = None, stored: Any = None
) -> dict:
    """The case JSON for the engine: the BRP document (``stored``, else the one kept with
    the transfer) completed with the transfer's youth, the peildatum and care episodes."""
    if stored is None and o.brp_document:
        stored = json.loads(o.brp_document)
    if stored is None:
        raise InvalidRequest(
            "Er zijn nog geen BRP-gegevens gekoppeld aan deze overdracht.",
            [("brp", "koppel eerst een BRP-document of haal de gegevens op bij de BRP")],
        )
    if "jeugdige" in stored:
        doc = dict(stored)
        doc["peildatum"] = peildatum.isoformat()
        if jeugdhulp is not None:
            doc["jeugdhulp"] = jeugdhulp
        return doc
    history = stored.get("verblijfplaatsen", stored.get("verblijfplaatshistorie", []))
    return {
        "peildatum": peildatum.isoformat(),
        "jeugdige": {
            "burgerservicenummer": o.bsn,
            "geboorte": {"datum": {"type": "Datum", "datum": o.geboortedatum.isoformat()}},
            "verblijfplaatshistorie": history,
        },
        "jeugdhulp": jeugdhulp or [],
    }


def _check_case(
    o: Overdracht, ctx: Context, peildatum: date, jeugdhulp: list | None = None, stored: Any = None
):
    try:
        return parse_case(
            case_document(o, peildatum, jeugdhulp, stored), ctx.register, bron="BRP-gegevens"
        )
    except InvalidInput as exc:
        raise InvalidRequest(
            "De BRP-gegevens zijn niet bruikbaar voor de woonplaatstoets.",
            [(e.pad, e.probleem) for e in exc.errors],
        ) from None


def _keep_in_store(session: Session, principal: Principal, ctx: Context, o: Overdracht,
                   document: Any, bron: str) -> None:
    """The youth (and mother) of an attached document as the caller's stored document. A
    document the store cannot read as a person's history (a Wmo case) stays with the
    transfer only; it is then not reused for other work on this youth."""
    case = case_document(o, ctx.today(), stored=document)
    part = {k: case[k] for k in ("jeugdige", "moeder") if case.get(k) is not None}
    try:
        save_document(session, principal, ctx.register, o.bsn, part,
                      bron=bron if bron in BRONNEN else "upload", bron_detail="overdracht",
                      now=ctx.now())
    except InvalidInput:
        return


def attach_brp_document(
    session: Session,
    principal: Principal,
    ctx: Context,
    overdracht_id: int,
    document: Any,
    *,
    bron: str = "upload",
    to_store: bool = True,
) -> dict:
    """Keep a Haal Centraal document (case JSON or historie answer) with the transfer.

    The document must belong to this youth (when it names a BSN) and be readable as a
    case; otherwise nothing is kept and every problem is reported. The youth's part is
    also kept as the caller's own document in its per-tenant BRP store (unless it came
    from there): the gemeente's other work on this youth, such as the proposal on a
    JW315 addressed to it, reads it there, and no other tenant ever does.
    """
    o = get_visible(session, principal, overdracht_id)
    _require_gemeente_party(principal, o)
    problems = _document_errors(document, o)
    if problems:
        raise InvalidRequest("Het BRP-document past niet bij deze overdracht.", problems)
    case = _check_case(o, ctx, ctx.today(), stored=document)
    moment = ctx.now()
    o.brp_document = json.dumps(document, ensure_ascii=False, sort_keys=True)
    o.brp_bron = bron
    o.brp_ontvangen_op = utc_naive(moment)
    o.gewijzigd_op = utc_naive(moment)
    if to_store:
        _keep_in_store(session, principal, ctx, o, document, bron)
    session.add(add_event(o, principal, ctx, "brp", None, None, f"BRP-gegevens gekoppeld ({bron})"))
    session.flush()
    audit.record(
        session, principal, "brp.koppelen", overdracht_id=o.id, bsn=o.bsn,
        details={"bron": bron}, now=moment,
    )
    return {
        "aanwezig": True,
        "bron": o.brp_bron,
        "ontvangenOp": iso(o.brp_ontvangen_op),
        "aantalVerblijfplaatsen": len(case.jeugdige.historie),
    }


def prepare_brp_request(
    session: Session, principal: Principal, ctx: Context, overdracht_id: int, peildatum: date
):
    """Authorise and audit a BRP lookup; returns the query (the call itself is made outside
    any database transaction, so a slow BRP does not hold locks)."""
    o = get_visible(session, principal, overdracht_id)
    _require_gemeente_party(principal, o)
    client = ctx.brp_client()  # raises NotConfigured when no BRP is set up
    query = query_until(o.bsn, o.geboortedatum, peildatum)
    audit.record(
        session, principal, "brp.opvragen", overdracht_id=o.id, bsn=o.bsn,
        details={"datumVan": query.datum_van.isoformat(), "datumTot": query.datum_tot.isoformat()},
        now=ctx.now(),
    )
    return client, query


def attach_from_store(session: Session, principal: Principal, ctx: Context, overdracht_id: int) -> dict | None:
    """Attach the caller's own stored BRP document of this youth (the per-tenant store of
    :mod:`wpb.service.components.brp`, filled e.g. for its caseload), if it has one."""
    o = get_visible(session, principal, overdracht_id)
    _require_gemeente_party(principal, o)
    found = brp_document_for(session, principal, o.bsn, now=ctx.now())
    if found is None:
        return None
    return attach_brp_document(session, principal, ctx, overdracht_id, found[0], bron=found[1].bron,
                               to_store=False)


def fetch_brp(factory, principal: Principal, ctx: Context, overdracht_id: int, peildatum: date) -> dict:
    """Fetch the youth's verblijfplaatshistorie from the BRP API and attach it.

    The caller's own BRP store comes first (:func:`attach_from_store`). Otherwise three
    steps with their own transactions: authorise and audit the lookup, call the BRP (no
    transaction open), store the answer: with the transfer, and in the caller's BRP store
    (with its fetch time and SHA-256), so the next check of this youth reads the store.
    """
    with transaction(factory) as session:
        stored = attach_from_store(session, principal, ctx, overdracht_id)
    if stored is not None:
        return stored
    with transaction(factory) as session:
        client, query = prepare_brp_request(session, principal, ctx, overdracht_id, peildatum)
    answer = client.verblijfplaatshistorie(query)
    with transaction(factory) as session:
        attached = attach_brp_document(session, principal, ctx, overdracht_id, answer, bron="haal-centraal")
        o = get_visible(session, principal, overdracht_id)
        keep_historie_answer(session, principal, ctx.register, o.bsn, o.geboortedatum, answer,
                             url=client.base_url, now=ctx.now())
        return attached


# The Wmo facts of a beschermd-wonen check: the Wmo case JSON (wpb.brp.wmo_case) without
# its BRP part ("client") and without the peildatum, which the check takes separately.
WMO_FACTS = (
    "aanmelding",
    "eerderBeschermdWonen",
    "eerdereAanvragen",
    "indicatie",
    "uitzonderingen",
    "beoogdeGemeente",
)


def wmo_case_document(o: Overdracht, peildatum: date, wmo: dict[str, Any]) -> dict:
    """The Wmo case JSON for :func:`wpb.brp.wmo_case.parse_wmo_case`: the attached BRP
    document as the client's part, completed with the Wmo facts and the peildatum."""
    person = case_document(o, peildatum)["jeugdige"]
    doc: dict[str, Any] = {k: v for k, v in wmo.items() if k in WMO_FACTS}
    doc["peildatum"] = peildatum.isoformat()
    doc["client"] = person
    return doc


def _wmo_decision(o: Overdracht, ctx: Context, peildatum: date, wmo: dict[str, Any]) -> dict:
    try:
        case = parse_wmo_case(
            wmo_case_document(o, peildatum, wmo), ctx.register, bron="Wmo-gegevens"
        )
    except InvalidInput as exc:
        raise InvalidRequest(
            "De gegevens zijn niet bruikbaar voor de woonplaatstoets beschermd wonen.",
            [(e.pad, e.probleem) for e in exc.errors],
        ) from None
    if case.client.burgerservicenummer not in (None, o.bsn):
        raise InvalidRequest(
            "De BRP-gegevens passen niet bij deze overdracht.",
            [("client.burgerservicenummer", "hoort bij een andere cliënt dan deze overdracht")],
        )
    return decide_wmo_bw(
        case, ctx.register, inwerkingtreding=ctx.settings.wmo_bw_inwerkingtreding
    ).to_json()


def decide_woonplaats(
    session: Session,
    principal: Principal,
    ctx: Context,
    overdracht_id: int,
    *,
    peildatum: date | None = None,
    jeugdhulp: list | None = None,
    wmo: dict[str, Any] | None = None,
) -> dict:
    """Run the woonplaats engine of the transfer's law on the attached BRP data and keep
    the decision.

    A Jeugdwet transfer takes the youth's care episodes (``jeugdhulp``); a ``wmo-bw``
    transfer takes the Wmo facts (``wmo``: the keys of :data:`WMO_FACTS`, as in the Wmo
    case JSON; ``eerderBeschermdWonen`` and ``aanmelding`` are required there). Facts of
    the other law are refused, naming each field, rather than ignored.
    """
    o = get_visible(session, principal, overdracht_id)
    _require_gemeente_party(principal, o)
    peildatum = peildatum or ctx.today()
    problems: list[tuple[str, str]] = []
    if o.wet == WET_WMO_BW:
        if jeugdhulp is not None:
            problems.append(("jeugdhulp", "alleen voor een overdracht onder de Jeugdwet; dit is "
                             "een overdracht beschermd wonen (wet wmo-bw)"))
    else:
        problems += [
            (key, "alleen voor een overdracht beschermd wonen (wet wmo-bw); dit is een "
             "overdracht onder de Jeugdwet")
            for key in (wmo or {})
        ]
        if jeugdhulp is not None and not isinstance(jeugdhulp, list):
            problems.append(("jeugdhulp", "verwacht een lijst"))
    if problems:
        raise InvalidRequest("Deze gegevens horen niet bij de wet van deze overdracht.", problems)
    if o.wet == WET_WMO_BW:
        decision = _wmo_decision(o, ctx, peildatum, wmo or {})
    else:
        case = _check_case(o, ctx, peildatum, jeugdhulp)
        decision = decide(case, ctx.register).to_json()
    moment = ctx.now()
    o.woonplaats_beslissing = json.dumps(decision, ensure_ascii=False)
    o.gewijzigd_op = utc_naive(moment)
    gemeente = (decision.get("gemeente") or {}).get("code")
    session.add(
        add_event(
            o, principal, ctx, "woonplaats", None, None,
            f"woonplaatstoets op {dutch_date(peildatum)}: "
            + (f"gemeente {gemeente}" if gemeente else f"beoordeling nodig ({decision['status']})"),
        )
    )
    session.flush()
    audit.record(
        session, principal, "woonplaats.bepalen", overdracht_id=o.id, bsn=o.bsn,
        details={"peildatum": peildatum.isoformat(), "status": decision["status"],
                 "gemeente": gemeente, "wet": o.wet},
        now=moment,
    )
    return decision
