"""How a transfer is shown: its summary, its detail with the timeline and the actions open to
the reader, and the responsibility and tasks on a date.

Responsibility and tasks come from the pure rule modules :mod:`wpb.law.overgang` and
:mod:`wpb.law.taken`, which choose the regime by the transfer's ``vanaf``: the law
(Jeugdwet art. 1.1) for today's transfers, the 1-november-maatregel for the migratiegroep
of 2022-01-01 (no ``vanaf``). Tasks a party marks done are stored per party. The measure's
tasks are given for transfers of the migratiegroep delivered before its ingangsdatum
(2022-01-01) only; a Wmo (beschermd wonen) transfer gets none.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wpb.domain.overdracht import TRANSITIONS, Rol, Status, allowed_actions
from wpb.law import overgang
from wpb.law import taken as taken_rules
from wpb.service.auth.principal import Principal
from wpb.service.components.beheer.models import Organisatie
from wpb.service.components.overdrachten import queries
from wpb.service.components.overdrachten.access import roles_of
from wpb.service.components.overdrachten.models import (
    WET_JEUGDWET,
    Overdracht,
    TaakStatus,
)
from wpb.service.context import Context
from wpb.service.public_ids import public_ids

_GEMEENTE_ONLY_EVENTS = frozenset({"brp", "woonplaats", "taak"})


# --- views --------------------------------------------------------------------------------


def iso(d: date | datetime | None) -> str | None:
    if d is None:
        return None
    if isinstance(d, datetime):
        return d.replace(microsecond=0).isoformat() + "Z"
    return d.isoformat()


def gemeente_view(ctx: Context, code: str) -> dict:
    naam = ctx.register.naam(code) if code in ctx.register else None
    return {"code": code, "naam": naam}


def facts_for_rules(o: Overdracht) -> overgang.Overdracht:
    """The transfer as the rules of :mod:`wpb.law.overgang` see it.

    A rejection counts while it stands (afgewezen, doorgestuurd) and, when the same gemeente
    reconsidered and the transfer was afgerond after all, as the rejection before that.
    """
    afgerond = o.status == Status.AFGEROND.value
    rejected = o.status in (Status.AFGEWEZEN.value, Status.DOORGESTUURD.value) or (
        afgerond and o.afgewezen_op is not None)
    return overgang.Overdracht(
        id=o.publiek_id,
        latende_gemeente=o.latende_gemeente,
        ontvangende_gemeente=o.ontvangende_gemeente,
        aanleverdatum=o.aanleverdatum,
        afwijzingsdatum=o.afgewezen_op if rejected else None,
        afgerond_datum=o.afgerond_op if afgerond else None,
        pgb=any(r.pgb for r in o.regels),
        # The acceptance shows the ontvangende's acceptance task done (wpb.law.taken).
        geaccepteerd_datum=o.geaccepteerd_op,
        vanaf=o.vanaf,
    )


def responsibility(o: Overdracht, ctx: Context, peildatum: date) -> dict:
    facts = facts_for_rules(o)
    result = overgang.verantwoordelijke(facts, peildatum, ctx.termijnen, ctx.register).to_json()
    result["gemeente"] = gemeente_view(ctx, result["gemeente"])
    result["vanaf"] = iso(o.vanaf)
    result["tijdlijn"] = [
        {**p.to_json(), "gemeente": gemeente_view(ctx, p.gemeente)}
        for p in overgang.tijdlijn(facts, ctx.termijnen)
    ]
    return result


def _party_label(o: Overdracht, taak: taken_rules.Taak, aanbieder: str | None) -> str | None:
    if taak.partij is taken_rules.Partij.AANBIEDER:
        return f"aanbieder:{aanbieder}" if aanbieder else None
    return f"gemeente:{taak.gemeente}"


def stored_marks(session: Session, overdracht_ids: Iterable[int]) -> dict[int, set[tuple[str, str]]]:
    ids = list(overdracht_ids)
    marks: dict[int, set[tuple[str, str]]] = {i: set() for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in session.scalars(
            select(TaakStatus).where(TaakStatus.overdracht_id.in_(chunk), TaakStatus.gedaan)
        ):
            marks.setdefault(row.overdracht_id, set()).add((row.partij_code, row.taak))
    return marks


def regime_of(o: Overdracht, ctx: Context) -> overgang.Regime:
    """The law for a transfer with ``vanaf`` (other than the ingangsdatum), else the measure."""
    return overgang.regime(overgang_facts_vanaf(o), ctx.termijnen)


def overgang_facts_vanaf(o: Overdracht) -> overgang.Overdracht:
    """Only what :func:`wpb.law.overgang.regime` reads, without checking the other facts."""
    return overgang.Overdracht(id=o.publiek_id, latende_gemeente=o.latende_gemeente,
                               ontvangende_gemeente=o.ontvangende_gemeente,
                               aanleverdatum=o.aanleverdatum, vanaf=o.vanaf)


def has_measure_tasks(o: Overdracht, ctx: Context) -> bool:
    """Whether the rules give this transfer tasks at all.

    A Jeugdwet transfer with ``vanaf`` gets the tasks of an ordinary change of woonplaats
    (the law regime). The measure's tasks belong to the transition to the 2022 Jeugdwet:
    a transfer of the migratiegroep delivered on or after its ingangsdatum has none. A Wmo
    (beschermd wonen) transfer falls under neither.
    """
    if o.wet != WET_JEUGDWET:
        return False
    if regime_of(o, ctx) is overgang.Regime.WET:
        return True
    return o.aanleverdatum < ctx.termijnen.ingang


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


def task_json(taak: taken_rules.Taak, ctx: Context, today: date) -> dict:
    data = taak.to_json(today)
    data["gemeente"] = gemeente_view(ctx, taak.gemeente) if taak.gemeente else None
    return data


def summary_view(
    o: Overdracht, principal: Principal, ctx: Context, lines: Iterable | None = None,
    names: dict[str, str] | None = None,
) -> dict:
    """A transfer as it appears in a list, its deadline and who is responsible now by the
    rules themselves (:func:`answer_deadline`, :func:`responsible_now`).

    ``lines``: rows with ``aanbieder_agb`` and ``pgb``, by default its own lines; ``names``:
    the registered names of providers by AGB code (see :func:`provider_names`).
    """
    regels = [r for r in (o.regels if lines is None else lines)
              if not principal.is_aanbieder or r.aanbieder_agb == principal.code]
    agbs = sorted({r.aanbieder_agb for r in regels})
    view = _summary(o, ctx, len(regels), any(r.pgb for r in regels))
    view.update(
        termijn=iso(answer_deadline(o, ctx)),
        verantwoordelijkNu=gemeente_view(ctx, responsible_now(o, ctx)),
        aanbieder=(
            {"agb": agbs[0], "naam": (names or {}).get(agbs[0]), "aantal": len(agbs)}
            if agbs else None
        ),
    )
    return view


ANSWER_TASKS = ("ontvangende.beoordelen", "ontvangende.accepteren")


def answer_deadline(o: Overdracht, ctx: Context) -> date | None:
    """The last day of the ontvangende gemeente's answer while the transfer awaits it: the
    ``uiterlijk`` of its task to accept or reject (:mod:`wpb.law.taken`), whether or not a
    user marked that task; None for a transfer that does not await the answer."""
    if o.status != Status.AANGELEVERD.value or not has_measure_tasks(o, ctx):
        return None
    for taak in taken_rules.taken(facts_for_rules(o), (), ctx.termijnen):
        if taak.code in ANSWER_TASKS:
            return taak.uiterlijk
    return None


def responsible_now(o: Overdracht, ctx: Context) -> str:
    """The gemeentecode of who is responsible today (from the ingangsdatum on), by
    :func:`wpb.law.overgang.verantwoordelijke`, not following a herindeling."""
    peildatum = max(ctx.today(), ctx.termijnen.ingang)
    return overgang.verantwoordelijke(facts_for_rules(o), peildatum, ctx.termijnen).gemeente


def provider_names(session: Session, agbs: Iterable[str]) -> dict[str, str]:
    """The registered names (organisaties, soort aanbieder) of the providers ``agbs``."""
    codes = sorted(set(agbs))
    if not codes:
        return {}
    return dict(session.execute(
        select(Organisatie.code, Organisatie.naam)
        .where(Organisatie.soort == "aanbieder", Organisatie.code.in_(codes))
    ).all())


def _summary(o, ctx: Context, aantal_regels: int, pgb: bool) -> dict:
    return {
        "id": o.publiek_id,
        "status": o.status,
        "versie": o.versie,
        "wet": o.wet,
        "bsn": o.bsn,
        "geboortedatum": o.geboortedatum.isoformat(),
        "latendeGemeente": gemeente_view(ctx, o.latende_gemeente),
        "ontvangendeGemeente": gemeente_view(ctx, o.ontvangende_gemeente),
        "aanleverdatum": o.aanleverdatum.isoformat(),
        "aantalRegels": aantal_regels,
        "pgb": bool(pgb),
        "vanaf": iso(o.vanaf),
        "regime": regime_of(o, ctx).value,
        "gewijzigdOp": iso(o.gewijzigd_op),
    }


def summary_of_counted(row, ctx: Context) -> dict:
    """The list view of a row of :func:`queries.page_statements`, which carries its line
    counts, provider, deadline and who is responsible now."""
    view = _summary(row, ctx, row.aantal_regels, row.pgb)
    view.update(
        termijn=iso(row.termijn),
        verantwoordelijkNu=gemeente_view(ctx, row.verantwoordelijk_nu),
        aanbieder=(
            {"agb": row.aanbieder_agb, "naam": row.aanbieder_naam, "aantal": row.aantal_aanbieders}
            if row.aanbieder_agb is not None else None
        ),
    )
    return view


SUMMARY_COLUMNS = queries.SUMMARY_COLUMNS


def summaries_of(session: Session, principal: Principal, ctx: Context, rows: list) -> list[dict]:
    """The list views of ``rows`` (transfers with their lines), by the rules themselves."""
    names = provider_names(session, (r.aanbieder_agb for o in rows for r in o.regels))
    return [summary_view(o, principal, ctx, names=names) for o in rows]


def detail_view(
    session: Session, o: Overdracht, principal: Principal, ctx: Context
) -> dict:
    today = ctx.today()
    roles = roles_of(principal, o)
    is_gemeente_party = bool(roles & {Rol.LATENDE, Rol.ONTVANGENDE, Rol.COORDINATOR})
    regels = [r for r in o.regels if not principal.is_aanbieder or r.aanbieder_agb == principal.code]
    # No query for task marks when the measure gives the transfer no tasks.
    marks = stored_marks(session, [o.id])[o.id] if has_measure_tasks(o, ctx) else set()
    tasks = tasks_for(o, principal, ctx, marks)
    linked = public_ids(session, Overdracht, (o.vorige_id, o.volgende_id))
    view = summary_view(o, principal, ctx, names=provider_names(session, (r.aanbieder_agb for r in regels)))
    view.update(
        {
            "geaccepteerdOp": iso(o.geaccepteerd_op),
            "afwijzing": (
                {
                    "datum": iso(o.afgewezen_op),
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
                    "datum": iso(o.afgerond_op),
                    "toewijzingIngangsdatum": iso(o.toewijzing_ingangsdatum),
                    "toewijzingReferentie": o.toewijzing_referentie,
                }
                if o.afgerond_op
                else None
            ),
            "doorgestuurdOp": iso(o.doorgestuurd_op),
            "vorigeOverdrachtId": linked.get(o.vorige_id),
            "volgendeOverdrachtId": linked.get(o.volgende_id),
            "regels": [
                {
                    "id": r.publiek_id,
                    "aanbiederAgb": r.aanbieder_agb,
                    "product": r.product,
                    "toewijzingEinddatum": iso(r.toewijzing_einddatum),
                    "pgb": r.pgb,
                    "aanleverdatum": r.aanleverdatum.isoformat(),
                }
                for r in regels
            ],
            "gebeurtenissen": [
                {
                    "tijdstip": iso(g.tijdstip),
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
                    "ontvangenOp": iso(o.brp_ontvangen_op),
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
            "taken": [task_json(t, ctx, today) for t in tasks],
        }
    )
    return view
