"""Transfers (overdrachten): who may see them, their state machine, BRP check, rules, tasks.

Every function takes the database session, the acting :class:`~wpb.service.tenancy.Principal`
and the :class:`~wpb.service.context.Context`; the REST API and the web pages both call
these, so the rules below hold whichever way a user comes in.

**Who sees what.** A gemeente sees the transfers it is party to (as latende or
ontvangende gemeente), a provider those with at least one line for its AGB code (and only
its own lines), the coordinator all. Anything else is answered as if it did not exist
(:class:`NotFound`), so nobody learns which transfers exist elsewhere.

**State machine.**

| action | from | to | by | needs |
|---|---|---|---|---|
| accepteren | aangeleverd | geaccepteerd | ontvangende gemeente | |
| afwijzen | aangeleverd | afgewezen | ontvangende gemeente | an onderbouwing (text and/or the stored woonplaats decision) |
| afronden | geaccepteerd | afgerond | ontvangende gemeente | the toewijzing's start date and reference |
| doorsturen | afgewezen | doorgestuurd | latende gemeente or coordinator | another municipality; creates a new transfer to it |

Any other action in any state is refused with :class:`Conflict`; an action by a party
not named is :class:`Forbidden`. A transition is one conditional ``UPDATE ... WHERE
id = :id AND versie = :read AND status IN (:from)``: when two users act at once, exactly
one update matches and the other gets :class:`Conflict` naming the state the transfer is
now in. A caller may also pass the ``versie`` it saw, to refuse acting on a stale page.

**Responsibility and tasks** come from the pure rule modules :mod:`wpb.law.overgang`
(1-november-maatregel) and :mod:`wpb.law.taken`; tasks a party marks done are stored
per party. The measure's tasks are given for transfers delivered before its ingangsdatum
(2022-01-01) only: later transfers follow the ordinary procedure.

The **woonplaats check** runs the engine of the transfer's law (``wet``) on the BRP
data attached to the transfer (an uploaded Haal Centraal document or one fetched from the
configured BRP API): :func:`wpb.law.engine.decide` for a Jeugdwet transfer (with the
youth's care episodes), :func:`wpb.law.wmo.decide_wmo_bw` for a client in beschermd wonen
(``wmo-bw``, with the Wmo facts the BRP does not hold: the aanmelding and earlier
placements, as in the Wmo case JSON). Its decision JSON can then serve as the onderbouwing
of a rejection. The 1-november-maatregel and its tasks belong to the Jeugdwet: a ``wmo-bw``
transfer has no tasks.

Every read or change of a youth's data is written to the audit log.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, false, func, select, true, update
from sqlalchemy.orm import Session, joinedload, selectinload

from wpb.brp.haal_centraal import parse_case
from wpb.brp.wmo_case import parse_wmo_case
from wpb.errors import InvalidInput
from wpb.law import overgang
from wpb.law import taken as taken_rules
from wpb.law.bsn import bsn_problem
from wpb.law.engine import decide
from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE
from wpb.law.wmo import decide_wmo_bw
from wpb.service import audit
from wpb.service import transfer_queries as queries
from wpb.service import transfer_snapshot as snapshots
from wpb.service.brp_client import query_until
from wpb.service.clock import dutch_date, utc_naive
from wpb.service.context import Context
from wpb.service.errors import Conflict, Forbidden, InvalidRequest, NotFound
from wpb.service.models import (
    OPEN_STATUSES,
    WET_JEUGDWET,
    WET_WMO_BW,
    Gebeurtenis,
    Overdracht,
    OverdrachtRegel,
    TaakStatus,
)
from wpb.service.tenancy import Principal
from wpb.service.transfer_snapshot import TransferSnapshot

MAX_ONDERBOUWING = 10_000
MAX_REFERENTIE = 100
MAX_PAGE_SIZE = 200
_GEMEENTE_ONLY_EVENTS = frozenset({"brp", "woonplaats", "taak"})


class Status(str, Enum):
    AANGELEVERD = "aangeleverd"
    GEACCEPTEERD = "geaccepteerd"
    AFGEWEZEN = "afgewezen"
    AFGEROND = "afgerond"
    DOORGESTUURD = "doorgestuurd"


class Rol(str, Enum):
    """The part a principal plays in one transfer."""

    LATENDE = "latende_gemeente"
    ONTVANGENDE = "ontvangende_gemeente"
    AANBIEDER = "aanbieder"
    COORDINATOR = "coordinator"


class Actie(str, Enum):
    ACCEPTEREN = "accepteren"
    AFWIJZEN = "afwijzen"
    AFRONDEN = "afronden"
    DOORSTUREN = "doorsturen"


@dataclass(frozen=True)
class Transition:
    actie: Actie
    van: frozenset[Status]
    naar: Status
    door: frozenset[Rol]


TRANSITIONS: dict[Actie, Transition] = {
    Actie.ACCEPTEREN: Transition(
        Actie.ACCEPTEREN, frozenset({Status.AANGELEVERD}), Status.GEACCEPTEERD,
        frozenset({Rol.ONTVANGENDE}),
    ),
    Actie.AFWIJZEN: Transition(
        Actie.AFWIJZEN, frozenset({Status.AANGELEVERD}), Status.AFGEWEZEN,
        frozenset({Rol.ONTVANGENDE}),
    ),
    Actie.AFRONDEN: Transition(
        Actie.AFRONDEN, frozenset({Status.GEACCEPTEERD}), Status.AFGEROND,
        frozenset({Rol.ONTVANGENDE}),
    ),
    Actie.DOORSTUREN: Transition(
        Actie.DOORSTUREN, frozenset({Status.AFGEWEZEN}), Status.DOORGESTUURD,
        frozenset({Rol.LATENDE, Rol.COORDINATOR}),
    ),
}

_ACTIE_LABEL = {
    Actie.ACCEPTEREN: "accepteren",
    Actie.AFWIJZEN: "afwijzen",
    Actie.AFRONDEN: "afronden",
    Actie.DOORSTUREN: "doorsturen",
}


def allowed_actions(status: Status | str) -> tuple[Actie, ...]:
    status = Status(status)
    return tuple(a for a, t in TRANSITIONS.items() if status in t.van)


# --- visibility ---------------------------------------------------------------------------


def visible_clause(principal: Principal) -> ColumnElement[bool]:
    """SQL condition: the transfers ``principal`` may see (the rule of
    :func:`wpb.service.transfer_queries.visible`, with the caller's code filled in)."""
    kind = queries.kind_of(principal)
    if kind is None:
        return false()
    clause = queries.visible(kind, principal.code)
    return true() if clause is None else clause


def roles_of(principal: Principal, o: Overdracht) -> frozenset[Rol]:
    roles: set[Rol] = set()
    if principal.is_coordinator:
        roles.add(Rol.COORDINATOR)
    elif principal.is_gemeente:
        if o.latende_gemeente == principal.code:
            roles.add(Rol.LATENDE)
        if o.ontvangende_gemeente == principal.code:
            roles.add(Rol.ONTVANGENDE)
    elif principal.is_aanbieder and any(r.aanbieder_agb == principal.code for r in o.regels):
        roles.add(Rol.AANBIEDER)
    return frozenset(roles)


def _not_found(overdracht_id: int) -> NotFound:
    return NotFound(f"Overdracht {overdracht_id} bestaat niet of is niet zichtbaar voor u.")


def read_visible(session: Session, principal: Principal, overdracht_id: int) -> TransferSnapshot:
    """The transfer as plain rows (no BRP document) if ``principal`` may see it; for
    showing it and for transitions. Otherwise :class:`NotFound` (never 403)."""
    o = snapshots.load_visible(session, principal, overdracht_id)
    if o is None:
        raise _not_found(overdracht_id)
    return o


def get_visible(session: Session, principal: Principal, overdracht_id: int) -> Overdracht:
    """The transfer if ``principal`` may see it; otherwise :class:`NotFound` (never 403)."""
    # The lines come in the same query (a join); the timeline in a second one.
    o = session.execute(
        select(Overdracht)
        .where(Overdracht.id == overdracht_id, visible_clause(principal))
        .options(joinedload(Overdracht.regels), selectinload(Overdracht.gebeurtenissen))
        .execution_options(populate_existing=True)
    ).unique().scalar_one_or_none()
    if o is None:
        raise _not_found(overdracht_id)
    return o


# --- views --------------------------------------------------------------------------------


def _iso(d: date | datetime | None) -> str | None:
    if d is None:
        return None
    if isinstance(d, datetime):
        return d.replace(microsecond=0).isoformat() + "Z"
    return d.isoformat()


def _gemeente(ctx: Context, code: str) -> dict:
    naam = ctx.register.naam(code) if code in ctx.register else None
    return {"code": code, "naam": naam}


def facts_for_rules(o: Overdracht) -> overgang.Overdracht:
    """The transfer as the 1-november-maatregel sees it."""
    rejected = o.status in (Status.AFGEWEZEN.value, Status.DOORGESTUURD.value)
    return overgang.Overdracht(
        id=str(o.id),
        latende_gemeente=o.latende_gemeente,
        ontvangende_gemeente=o.ontvangende_gemeente,
        aanleverdatum=o.aanleverdatum,
        afwijzingsdatum=o.afgewezen_op if rejected else None,
        afgerond_datum=o.afgerond_op if o.status == Status.AFGEROND.value else None,
        pgb=any(r.pgb for r in o.regels),
        # The acceptance shows the ontvangende's acceptance task done (wpb.law.taken).
        geaccepteerd_datum=o.geaccepteerd_op,
    )


def responsibility(o: Overdracht, ctx: Context, peildatum: date) -> dict:
    facts = facts_for_rules(o)
    result = overgang.verantwoordelijke(facts, peildatum, ctx.termijnen, ctx.register).to_json()
    result["gemeente"] = _gemeente(ctx, result["gemeente"])
    result["tijdlijn"] = [
        {**p.to_json(), "gemeente": _gemeente(ctx, p.gemeente)}
        for p in overgang.tijdlijn(facts, ctx.termijnen)
    ]
    return result


def _party_label(o: Overdracht, taak: taken_rules.Taak, aanbieder: str | None) -> str | None:
    if taak.partij is taken_rules.Partij.AANBIEDER:
        return f"aanbieder:{aanbieder}" if aanbieder else None
    return f"gemeente:{taak.gemeente}"


def _stored_marks(session: Session, overdracht_ids: Iterable[int]) -> dict[int, set[tuple[str, str]]]:
    ids = list(overdracht_ids)
    marks: dict[int, set[tuple[str, str]]] = {i: set() for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in session.scalars(
            select(TaakStatus).where(TaakStatus.overdracht_id.in_(chunk), TaakStatus.gedaan)
        ):
            marks.setdefault(row.overdracht_id, set()).add((row.partij_code, row.taak))
    return marks


def has_measure_tasks(o: Overdracht, ctx: Context) -> bool:
    """Whether the 1-november-maatregel gives this transfer tasks at all.

    The measure's tasks belong to the transition to the 2022 Jeugdwet: a transfer
    delivered on or after its ingangsdatum follows the ordinary procedure and has none,
    and a Wmo (beschermd wonen) transfer never falls under it.
    """
    return o.aanleverdatum < ctx.termijnen.ingang and o.wet == WET_JEUGDWET


def tasks_for(
    o: Overdracht, principal: Principal, ctx: Context, marks: set[tuple[str, str]]
) -> list[taken_rules.Taak]:
    """The tasks of a transfer as ``principal`` sees them.

    A provider sees the provider tasks with its own marks. Municipalities and the
    coordinator see every task; a provider task counts as done there when every provider
    of the transfer marked it.
    """
    if not has_measure_tasks(o, ctx):
        return []
    facts = facts_for_rules(o)
    known = set(taken_rules.TAAKCODES)
    base = taken_rules.taken(facts, (), ctx.termijnen)
    providers = sorted({r.aanbieder_agb for r in o.regels})
    done: set[str] = set()
    for taak in base:
        if taak.code not in known:
            continue
        if taak.partij is taken_rules.Partij.AANBIEDER:
            if principal.is_aanbieder:
                if (f"aanbieder:{principal.code}", taak.code) in marks:
                    done.add(taak.code)
            elif providers and all((f"aanbieder:{p}", taak.code) in marks for p in providers):
                done.add(taak.code)
        elif (_party_label(o, taak, None), taak.code) in marks:
            done.add(taak.code)
    result = list(taken_rules.taken(facts, done, ctx.termijnen))
    if principal.is_aanbieder:
        result = [t for t in result if t.partij is taken_rules.Partij.AANBIEDER]
    return result


def _task_json(taak: taken_rules.Taak, ctx: Context, today: date) -> dict:
    data = taak.to_json(today)
    data["gemeente"] = _gemeente(ctx, taak.gemeente) if taak.gemeente else None
    return data


def summary_view(o: Overdracht, principal: Principal, ctx: Context, lines: Iterable | None = None) -> dict:
    """A transfer as it appears in a list.

    ``o`` may also be a row of :data:`SUMMARY_COLUMNS` and ``lines`` rows with
    ``aanbieder_agb`` and ``pgb`` (see :func:`summaries_of`); by default its own lines.
    """
    regels = [r for r in (o.regels if lines is None else lines)
              if not principal.is_aanbieder or r.aanbieder_agb == principal.code]
    return _summary(o, ctx, len(regels), any(r.pgb for r in regels))


def _summary(o, ctx: Context, aantal_regels: int, pgb: bool) -> dict:
    return {
        "id": o.id,
        "status": o.status,
        "versie": o.versie,
        "wet": o.wet,
        "bsn": o.bsn,
        "geboortedatum": o.geboortedatum.isoformat(),
        "latendeGemeente": _gemeente(ctx, o.latende_gemeente),
        "ontvangendeGemeente": _gemeente(ctx, o.ontvangende_gemeente),
        "aanleverdatum": o.aanleverdatum.isoformat(),
        "aantalRegels": aantal_regels,
        "pgb": bool(pgb),
        "gewijzigdOp": _iso(o.gewijzigd_op),
    }


def _summary_of_counted(row, ctx: Context) -> dict:
    """The list view of a row of :mod:`transfer_queries` that carries its line counts."""
    return _summary(row, ctx, row.aantal_regels, row.pgb)


SUMMARY_COLUMNS = queries.SUMMARY_COLUMNS


def summaries_of(session: Session, principal: Principal, ctx: Context, rows: list) -> list[dict]:
    """The list views of ``rows`` (of :data:`SUMMARY_COLUMNS`), with their lines."""
    lines: dict[int, list] = {row.id: [] for row in rows}
    ids = list(lines)
    connection = session.connection()
    for start in range(0, len(ids), 500):
        for line in connection.execute(queries.LINES_OF, {"ids": ids[start : start + 500]}):
            lines[line.overdracht_id].append(line)
    return [summary_view(row, principal, ctx, lines[row.id]) for row in rows]


def detail_view(
    session: Session, o: Overdracht, principal: Principal, ctx: Context
) -> dict:
    today = ctx.today()
    roles = roles_of(principal, o)
    is_gemeente_party = bool(roles & {Rol.LATENDE, Rol.ONTVANGENDE, Rol.COORDINATOR})
    regels = [r for r in o.regels if not principal.is_aanbieder or r.aanbieder_agb == principal.code]
    # No query for task marks when the measure gives the transfer no tasks.
    marks = _stored_marks(session, [o.id])[o.id] if has_measure_tasks(o, ctx) else set()
    tasks = tasks_for(o, principal, ctx, marks)
    view = summary_view(o, principal, ctx)
    view.update(
        {
            "geaccepteerdOp": _iso(o.geaccepteerd_op),
            "afwijzing": (
                {
                    "datum": _iso(o.afgewezen_op),
                    "onderbouwing": o.onderbouwing if is_gemeente_party else None,
                    "beslissing": (
                        json.loads(o.onderbouwing_beslissing)
                        if is_gemeente_party and o.onderbouwing_beslissing
                        else None
                    ),
                }
                if o.afgewezen_op
                else None
            ),
            "afronding": (
                {
                    "datum": _iso(o.afgerond_op),
                    "toewijzingIngangsdatum": _iso(o.toewijzing_ingangsdatum),
                    "toewijzingReferentie": o.toewijzing_referentie,
                }
                if o.afgerond_op
                else None
            ),
            "doorgestuurdOp": _iso(o.doorgestuurd_op),
            "vorigeOverdrachtId": o.vorige_id,
            "volgendeOverdrachtId": o.volgende_id,
            "regels": [
                {
                    "id": r.id,
                    "aanbiederAgb": r.aanbieder_agb,
                    "product": r.product,
                    "toewijzingEinddatum": r.toewijzing_einddatum.isoformat(),
                    "pgb": r.pgb,
                    "aanleverdatum": r.aanleverdatum.isoformat(),
                }
                for r in regels
            ],
            "gebeurtenissen": [
                {
                    "tijdstip": _iso(g.tijdstip),
                    "datum": g.datum.isoformat(),
                    "soort": g.soort,
                    "vanStatus": g.van_status,
                    "naarStatus": g.naar_status,
                    "organisatie": g.organisatie,
                    "toelichting": g.toelichting,
                }
                for g in o.gebeurtenissen
                # BRP data, the woonplaats check and task marks are the municipalities' own.
                if is_gemeente_party or g.soort not in _GEMEENTE_ONLY_EVENTS
            ],
            "rollen": sorted(r.value for r in roles),
            "mogelijkeActies": [
                a.value for a in allowed_actions(o.status) if TRANSITIONS[a].door & roles
            ],
            "brp": (
                {
                    "aanwezig": o.brp_aanwezig,
                    "bron": o.brp_bron,
                    "ontvangenOp": _iso(o.brp_ontvangen_op),
                }
                if is_gemeente_party
                else None
            ),
            "woonplaatsbeslissing": (
                json.loads(o.woonplaats_beslissing)
                if is_gemeente_party and o.woonplaats_beslissing
                else None
            ),
            "verantwoordelijkheid": responsibility(o, ctx, max(today, ctx.termijnen.ingang)),
            "taken": [_task_json(t, ctx, today) for t in tasks],
        }
    )
    return view


# --- reading ------------------------------------------------------------------------------


class Richting(str, Enum):
    INKOMEND = "inkomend"
    UITGAAND = "uitgaand"


def _richting_column(principal: Principal, richting: Richting | None) -> str | None:
    """The gemeente column that must be the caller's for ``richting`` (None: both)."""
    if richting is None:
        return None
    if not principal.is_gemeente:
        raise InvalidRequest(
            "Alleen een gemeente heeft inkomende en uitgaande overdrachten.",
            [("richting", "alleen voor gemeenten")],
        )
    return "ontvangende_gemeente" if richting is Richting.INKOMEND else "latende_gemeente"


def visible_query(
    principal: Principal,
    richting: Richting | None,
    status: Iterable[Status] | None = None,
):
    """``select(Overdracht)`` of what ``principal`` sees, in ``richting`` and ``status``."""
    query = select(Overdracht).where(visible_clause(principal))
    column = _richting_column(principal, richting)
    if column is not None:
        query = query.where(getattr(Overdracht, column) == principal.code)
    statuses = [Status(s).value for s in (status or [])]
    if statuses:
        query = query.where(Overdracht.status.in_(statuses))
    return query


@dataclass(frozen=True)
class Page:
    items: list[dict]
    totaal: int
    pagina: int
    pagina_grootte: int

    def to_json(self) -> dict:
        return {
            "overdrachten": self.items,
            "totaal": self.totaal,
            "pagina": self.pagina,
            "paginaGrootte": self.pagina_grootte,
        }


def list_transfers(
    session: Session,
    principal: Principal,
    ctx: Context,
    *,
    richting: Richting | None = None,
    status: Iterable[Status] | None = None,
    pagina: int = 1,
    pagina_grootte: int = 50,
) -> Page:
    """A page of the transfers the caller sees; the statements of :mod:`transfer_queries`."""
    column = _richting_column(principal, richting)
    statuses = [Status(s).value for s in (status or [])]
    _check_page(pagina, pagina_grootte)
    kind = queries.kind_of(principal)
    if kind is None:
        return Page([], 0, pagina, pagina_grootte)
    count, page = queries.page_statements(kind, column, bool(statuses))
    params: dict[str, Any] = {
        "code": principal.code, "offset": (pagina - 1) * pagina_grootte, "limit": pagina_grootte,
    }
    if statuses:
        params["statuses"] = statuses
    connection = session.connection()
    rows = connection.execute(page, params).all()
    total = rows[0].totaal if rows else connection.execute(count, params).scalar_one()
    items = [_summary_of_counted(row, ctx) for row in rows]
    return _audited_page(session, principal, ctx, items, rows, total, pagina, pagina_grootte)


def _check_page(pagina: int, pagina_grootte: int) -> None:
    if pagina < 1:
        raise InvalidRequest("Ongeldige pagina.", [("pagina", "moet 1 of hoger zijn")])
    if not 1 <= pagina_grootte <= MAX_PAGE_SIZE:
        raise InvalidRequest(
            "Ongeldige paginagrootte.", [("paginaGrootte", f"moet tussen 1 en {MAX_PAGE_SIZE} liggen")]
        )


def _audited_page(
    session: Session, principal: Principal, ctx: Context, items: list[dict], rows: list,
    total: int, pagina: int, pagina_grootte: int,
) -> Page:
    """The page of ``items`` (the views of ``rows``); every transfer on it is audited as
    seen in a list."""
    audit.record_many(
        session, principal,
        [audit.AuditEvent("overdracht.lijst", o.id, o.bsn) for o in rows],
        now=ctx.now(),
    )
    return Page(items, total, pagina, pagina_grootte)


def page_of(
    session: Session, principal: Principal, ctx: Context, query, pagina: int, pagina_grootte: int
) -> Page:
    """One page (newest first) of the transfers ``query`` (a ``select(Overdracht)``) finds;
    every one on it is audited as seen in a list."""
    _check_page(pagina, pagina_grootte)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.with_only_columns(*SUMMARY_COLUMNS)
        .order_by(Overdracht.id.desc()).offset((pagina - 1) * pagina_grootte).limit(pagina_grootte)
    ).all()
    items = summaries_of(session, principal, ctx, rows)
    return _audited_page(session, principal, ctx, items, rows, total, pagina, pagina_grootte)


def read_transfer(session: Session, principal: Principal, ctx: Context, overdracht_id: int) -> dict:
    o = read_visible(session, principal, overdracht_id)
    view = detail_view(session, o, principal, ctx)
    audit.record(session, principal, "overdracht.lezen", overdracht_id=o.id, bsn=o.bsn, now=ctx.now())
    return view


def search_by_bsn(session: Session, principal: Principal, ctx: Context, bsn: str) -> list[dict]:
    problem = bsn_problem(bsn)
    if problem:
        raise InvalidRequest("Het BSN is ongeldig.", [("bsn", problem)])
    kind = queries.kind_of(principal)
    rows = [] if kind is None else session.connection().execute(
        queries.search_statement(kind), {"code": principal.code, "bsn": bsn}
    ).all()
    items = [_summary_of_counted(row, ctx) for row in rows]
    audit.record_many(
        session, principal,
        [audit.AuditEvent("overdracht.zoeken", None, bsn, {"gevonden": len(rows)})]
        + [audit.AuditEvent("overdracht.lijst", o.id, o.bsn) for o in rows],
        now=ctx.now(),
    )
    return items


EXPORT_COLUMNS = (
    "overdracht_id",
    "status",
    "aanleverdatum",
    "latende_gemeente",
    "ontvangende_gemeente",
    "bsn",
    "geboortedatum",
    "aanbieder_agb",
    "product",
    "toewijzing_einddatum",
    "pgb",
    "wet",
)


def export_rows(
    session: Session,
    principal: Principal,
    ctx: Context,
    *,
    richting: Richting | None = None,
    status: Iterable[Status] | None = None,
) -> list[dict]:
    """One row per transfer line, with the transfer's aanleverdatum, for download."""
    return export_of(session, principal, ctx, visible_query(principal, richting, status))


def export_of(session: Session, principal: Principal, ctx: Context, query) -> list[dict]:
    """The download rows (:data:`EXPORT_COLUMNS`) of the transfers ``query`` finds, by id;
    a provider gets only its own lines. Every transfer in it is audited as downloaded."""
    rows = session.scalars(query.options(selectinload(Overdracht.regels)).order_by(Overdracht.id)).all()
    result: list[dict] = []
    for o in rows:
        for r in o.regels:
            if principal.is_aanbieder and r.aanbieder_agb != principal.code:
                continue
            result.append(
                {
                    "overdracht_id": o.id,
                    "status": o.status,
                    "aanleverdatum": o.aanleverdatum,
                    "latende_gemeente": o.latende_gemeente,
                    "ontvangende_gemeente": o.ontvangende_gemeente,
                    "bsn": o.bsn,
                    "geboortedatum": o.geboortedatum,
                    "aanbieder_agb": r.aanbieder_agb,
                    "product": r.product,
                    "toewijzing_einddatum": r.toewijzing_einddatum,
                    "pgb": "ja" if r.pgb else "nee",
                    "wet": o.wet,
                }
            )
    audit.record_many(
        session, principal,
        [audit.AuditEvent("overdracht.download", o.id, o.bsn) for o in rows],
        now=ctx.now(),
    )
    return result


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


def _event(
    o: Overdracht, principal: Principal | None, ctx: Context, soort: str,
    van: str | None, naar: str | None, toelichting: str,
) -> Gebeurtenis:
    return Gebeurtenis(overdracht_id=o.id, **_event_values(principal, ctx, soort, van, naar, toelichting))


def _transition(
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
        raise Forbidden(f"Alleen de {wie} kan deze overdracht {_ACTIE_LABEL[actie]}.")
    if versie is not None and versie != o.versie:
        raise Conflict(
            f"Overdracht {o.id} is gewijzigd sinds u hem bekeek (versie {o.versie}, status "
            f"{o.status}); bekijk hem opnieuw.",
            extra={"huidigeStatus": o.status, "huidigeVersie": o.versie},
        )
    if Status(o.status) not in t.van:
        raise Conflict(
            f"Overdracht {o.id} kan niet {_ACTIE_LABEL[actie]} worden: de status is {o.status}.",
            extra={"huidigeStatus": o.status, "huidigeVersie": o.versie},
        )
    van = o.status
    changed = {"status": t.naar.value, "gewijzigd_op": utc_naive(ctx.now()), **values}
    if not snapshots.update_if_unchanged(session, o, [s.value for s in t.van], changed):
        current = session.execute(
            select(Overdracht.status, Overdracht.versie).where(Overdracht.id == o.id)
        ).one()
        raise Conflict(
            f"Overdracht {o.id} is zojuist door iemand anders gewijzigd (status nu {current.status}); "
            "uw actie is niet uitgevoerd.",
            extra={"huidigeStatus": current.status, "huidigeVersie": current.versie},
        )
    snapshots.add_event(session, o, _event_values(principal, ctx, actie.value, van, t.naar.value, toelichting))
    return o


def accept(
    session: Session, principal: Principal, ctx: Context, overdracht_id: int,
    *, versie: int | None = None,
) -> dict:
    o = _transition(
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
    o = _transition(
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
    o = _transition(
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
        problem = f"gemeente {code} bestaat niet op {today.isoformat()}"
    elif code == o.latende_gemeente:
        problem = "is de latende gemeente zelf"
    elif code == o.ontvangende_gemeente:
        problem = "is de gemeente die de overdracht afwees"
    if problem and roles_of(principal, o) & TRANSITIONS[Actie.DOORSTUREN].door:
        raise InvalidRequest("Doorsturen vraagt een andere gemeente.", [("gemeente", problem)])
    old = _transition(
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
        _event(new, principal, ctx, "aangeleverd", None, Status.AANGELEVERD.value,
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


# --- rules: responsibility and tasks -----------------------------------------------------


def read_responsibility(
    session: Session, principal: Principal, ctx: Context, overdracht_id: int, peildatum: date
) -> dict:
    o = get_visible(session, principal, overdracht_id)
    result = responsibility(o, ctx, peildatum)
    audit.record(
        session, principal, "overdracht.verantwoordelijkheid", overdracht_id=o.id, bsn=o.bsn,
        details={"peildatum": peildatum.isoformat()}, now=ctx.now(),
    )
    return result


def read_tasks(session: Session, principal: Principal, ctx: Context, overdracht_id: int) -> list[dict]:
    o = get_visible(session, principal, overdracht_id)
    today = ctx.today()
    marks = _stored_marks(session, [o.id])[o.id]
    result = [_task_json(t, ctx, today) for t in tasks_for(o, principal, ctx, marks)]
    audit.record(session, principal, "taken.lezen", overdracht_id=o.id, bsn=o.bsn, now=ctx.now())
    return result


def mark_task(
    session: Session,
    principal: Principal,
    ctx: Context,
    overdracht_id: int,
    code: str,
    gedaan: bool,
) -> dict:
    """Mark one of the principal's own tasks done (or not done again)."""
    o = get_visible(session, principal, overdracht_id)
    today = ctx.today()
    marks = _stored_marks(session, [o.id])[o.id]
    taak = next((t for t in tasks_for(o, principal, ctx, marks) if t.code == code), None)
    if taak is None:
        raise NotFound(f"Taak {code!r} bestaat niet voor overdracht {o.id}.")
    if taak.partij is taken_rules.Partij.AANBIEDER:
        owner = f"aanbieder:{principal.code}" if principal.is_aanbieder else None
    else:
        owner = f"gemeente:{taak.gemeente}"
        if not (principal.is_gemeente and principal.code == taak.gemeente):
            owner = None
    if owner is None:
        raise Forbidden("Alleen de partij van deze taak kan hem afvinken.")
    row = session.scalar(
        select(TaakStatus).where(
            TaakStatus.overdracht_id == o.id, TaakStatus.partij_code == owner, TaakStatus.taak == code
        )
    )
    stamp = utc_naive(ctx.now())
    if row is None:
        row = TaakStatus(overdracht_id=o.id, partij_code=owner, taak=code)
        session.add(row)
    row.gedaan = gedaan
    row.gewijzigd_op = stamp
    row.gebruiker_id = principal.gebruiker_id
    session.add(
        _event(o, principal, ctx, "taak", None, None,
               f"taak '{taak.titel}' {'gedaan' if gedaan else 'weer open'}")
    )
    session.flush()
    audit.record(
        session, principal, "taak.wijzigen", overdracht_id=o.id, bsn=o.bsn,
        details={"taak": code, "gedaan": gedaan}, now=ctx.now(),
    )
    marks = _stored_marks(session, [o.id])[o.id]
    updated = next(t for t in tasks_for(o, principal, ctx, marks) if t.code == code)
    return _task_json(updated, ctx, today)


def task_list(
    session: Session,
    principal: Principal,
    ctx: Context,
    *,
    alleen_open: bool = False,
    alleen_te_laat: bool = False,
) -> list[dict]:
    """The principal's own tasks over all transfers it sees, earliest deadline first."""
    rows = session.scalars(
        select(Overdracht)
        .where(visible_clause(principal), Overdracht.status != Status.DOORGESTUURD.value)
        .options(selectinload(Overdracht.regels))
        .order_by(Overdracht.id)
    ).all()
    today = ctx.today()
    marks = _stored_marks(session, [o.id for o in rows])
    result: list[dict] = []
    for o in rows:
        for taak in tasks_for(o, principal, ctx, marks.get(o.id, set())):
            if principal.is_gemeente and taak.gemeente != principal.code:
                continue
            if alleen_open and taak.gedaan:
                continue
            if alleen_te_laat and not taak.overdue(today):
                continue
            result.append(
                {"overdrachtId": o.id, "bsn": o.bsn, **_task_json(taak, ctx, today)}
            )
    result.sort(key=lambda t: (t["voor"] or "9999-12-31", t["overdrachtId"], t["code"]))
    audit.record_many(
        session, principal,
        [audit.AuditEvent("taken.lijst", o.id, o.bsn) for o in rows
         if any(t["overdrachtId"] == o.id for t in result)],
        now=ctx.now(),
    )
    return result


def overview(session: Session, principal: Principal, ctx: Context) -> dict:
    """Counts by status and overdue tasks, per municipality the principal may see.

    Counts only: no personal data, so this read is not audited per youth.
    """
    rows = session.scalars(
        select(Overdracht).where(visible_clause(principal)).options(selectinload(Overdracht.regels))
    ).all()
    today = ctx.today()
    marks = _stored_marks(session, [o.id for o in rows])
    per: dict[str, dict] = {}

    def entry(code: str) -> dict:
        if code not in per:
            per[code] = {
                "gemeente": _gemeente(ctx, code),
                "inkomend": Counter(),
                "uitgaand": Counter(),
                "takenTeLaat": 0,
            }
        return per[code]

    for o in rows:
        for code, kant in ((o.ontvangende_gemeente, "inkomend"), (o.latende_gemeente, "uitgaand")):
            if principal.is_gemeente and code != principal.code:
                continue
            entry(code)[kant][o.status] += 1
        if o.status == Status.DOORGESTUURD.value:
            continue
        for taak in tasks_for(o, principal, ctx, marks.get(o.id, set())):
            if taak.gemeente is None or not taak.overdue(today):
                continue
            if principal.is_gemeente and taak.gemeente != principal.code:
                continue
            entry(taak.gemeente)["takenTeLaat"] += 1
    statuses = [s.value for s in Status]
    return {
        "peildatum": today.isoformat(),
        "gemeenten": [
            {
                "gemeente": e["gemeente"],
                "inkomend": {s: e["inkomend"].get(s, 0) for s in statuses},
                "uitgaand": {s: e["uitgaand"].get(s, 0) for s in statuses},
                "takenTeLaat": e["takenTeLaat"],
            }
            for _, e in sorted(per.items())
        ],
    }


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


def attach_brp_document(
    session: Session,
    principal: Principal,
    ctx: Context,
    overdracht_id: int,
    document: Any,
    *,
    bron: str = "upload",
) -> dict:
    """Keep a Haal Centraal document (case JSON or historie answer) with the transfer.

    The document must belong to this youth (when it names a BSN) and be readable as a
    case; otherwise nothing is kept and every problem is reported.
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
    session.add(_event(o, principal, ctx, "brp", None, None, f"BRP-gegevens gekoppeld ({bron})"))
    session.flush()
    audit.record(
        session, principal, "brp.koppelen", overdracht_id=o.id, bsn=o.bsn,
        details={"bron": bron}, now=moment,
    )
    return {
        "aanwezig": True,
        "bron": o.brp_bron,
        "ontvangenOp": _iso(o.brp_ontvangen_op),
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


def fetch_brp(factory, principal: Principal, ctx: Context, overdracht_id: int, peildatum: date) -> dict:
    """Fetch the youth's verblijfplaatshistorie from the BRP API and attach it.

    Three steps with their own transactions: authorise and audit the lookup, call the BRP
    (no transaction open), store the answer.
    """
    from wpb.service.db import transaction

    with transaction(factory) as session:
        client, query = prepare_brp_request(session, principal, ctx, overdracht_id, peildatum)
    answer = client.verblijfplaatshistorie(query)
    with transaction(factory) as session:
        return attach_brp_document(session, principal, ctx, overdracht_id, answer, bron="haal-centraal")


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
    return decide_wmo_bw(case, ctx.register).to_json()


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
        _event(
            o, principal, ctx, "woonplaats", None, None,
            f"woonplaatstoets op {peildatum.isoformat()}: "
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


__all__ = [
    "OPEN_STATUSES",
    "TRANSITIONS",
    "Actie",
    "Page",
    "Richting",
    "Rol",
    "Status",
    "accept",
    "allowed_actions",
    "attach_brp_document",
    "complete",
    "decide_woonplaats",
    "detail_view",
    "export_rows",
    "fetch_brp",
    "get_visible",
    "list_transfers",
    "mark_task",
    "overview",
    "read_responsibility",
    "read_tasks",
    "read_transfer",
    "redirect",
    "reject",
    "search_by_bsn",
    "task_list",
    "visible_clause",
    "visible_query",
]
