"""The transfer service's frequent queries, each built once with bind parameters.

Building a SELECT with SQLAlchemy and computing its cache key costs more CPU than
PostgreSQL spends answering a transfer list. The statements here are made once per
shape (kind of caller, direction, whether a status filter is given) and then only
executed with new parameters, so SQLAlchemy finds them compiled in its cache.

Who sees what is :func:`wpb.service.components.overdrachten.access.visible_clause`, written here per kind of
caller with the caller's code as the parameter ``code``: a gemeente its own transfers
(latende or ontvangende), a provider those with a line of its AGB code, the coordinator
all. A caller of any other kind sees nothing (:func:`kind_of` gives None).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    Date,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from wpb.domain.overdracht import Status
from wpb.law import termijnen
from wpb.law.dates import day_before
from wpb.law.overgang import Termijnen
from wpb.service.auth.principal import Principal
from wpb.service.components.beheer.models import Organisatie
from wpb.service.components.overdrachten.models import WET_JEUGDWET, Overdracht, OverdrachtRegel

T = Overdracht.__table__
R = OverdrachtRegel.__table__
ORG = Organisatie.__table__
CODE = bindparam("code")

COORDINATOR, GEMEENTE, AANBIEDER = "coordinator", "gemeente", "aanbieder"


def kind_of(principal: Principal) -> str | None:
    if principal.is_coordinator:
        return COORDINATOR
    if principal.is_gemeente:
        return GEMEENTE
    if principal.is_aanbieder:
        return AANBIEDER
    return None


def visible(kind: str, code: Any = CODE):
    """The condition for the transfers a caller of ``kind`` with ``code`` (by default the
    parameter ``:code``) may see; None for the coordinator, who sees all."""
    if kind == GEMEENTE:
        return or_(T.c.latende_gemeente == code, T.c.ontvangende_gemeente == code)
    if kind == AANBIEDER:
        return T.c.id.in_(select(R.c.overdracht_id).where(R.c.aanbieder_agb == code).scalar_subquery())
    if kind == COORDINATOR:
        return None
    raise ValueError(kind)


def where_visible(query, kind: str):
    """``query`` limited to what a caller of ``kind`` with code ``:code`` may see."""
    clause = visible(kind)
    return query.where(clause) if clause is not None else query


# What a list shows of a transfer: a list reads these columns, not whole transfers (whose
# BRP document and decisions can be large).
SUMMARY_COLUMNS = (
    T.c.id, T.c.publiek_id, T.c.status, T.c.versie, T.c.wet, T.c.bsn, T.c.geboortedatum, T.c.latende_gemeente,
    T.c.ontvangende_gemeente, T.c.aanleverdatum, T.c.gewijzigd_op, T.c.vanaf,
)

def _line_counts(kind: str) -> tuple:
    """``aantal_regels`` and ``pgb`` of each transfer, from the lines the caller sees (a
    provider only its own), as subqueries of the list's one statement."""
    own = R.c.overdracht_id == T.c.id
    if kind == AANBIEDER:
        own = and_(own, R.c.aanbieder_agb == CODE)
    return (
        select(func.count()).where(own).scalar_subquery().label("aantal_regels"),
        exists().where(own, R.c.pgb).label("pgb"),
    )


@cache
def page_statements(shape: ListShape) -> tuple[Any, Any]:
    """(count, page) of a transfer list of ``shape``. Parameters: ``code``, ``offset``,
    ``limit``, the :func:`rule_parameters` (``today`` and the measure's dates) and those of
    the filters ``shape`` has (``statuses``, ``gemeente``, ``latende``, ``ontvangende``,
    ``van``, ``tot``, ``bsn``, ``tekst``, ``tekst_codes``, ``tekst_id``).

    The page is one statement: the summary columns, the line counts, the provider, the
    deadline, who is responsible now and the total (``totaal``, a window count over every
    match). The count statement is only needed for a page past the end, which has no row
    to carry the total. The order is :data:`SORT_KEYS` [``shape.sort``], ascending or
    descending, NULLs last both ways, then the internal key (ascending: the order the
    transfers were made) so that it is stable. The key ``id`` is that order too: the public
    id is random, sorting by it would say nothing, and the internal key never leaves."""
    query = _filtered(where_visible(select(*SUMMARY_COLUMNS), shape.kind), shape)
    count = select(func.count()).select_from(query.subquery())
    termijn, vanaf_ontvangende, nu = derived_columns()
    agb, naam, aanbieders = _provider_columns(shape.kind)
    counts = _line_counts(shape.kind)
    key = {
        "termijn": termijn, "verantwoordelijk": nu, "aanbieder": agb,
        "regels": counts[0], **{name: T.c[column] for name, column in _PLAIN_SORT.items()},
    }[shape.sort]
    order = key.desc() if shape.descending else key.asc()
    page = (
        query.add_columns(
            *counts, termijn.label("termijn"), nu.label("verantwoordelijk_nu"),
            vanaf_ontvangende.label("ontvangende_vanaf"),
            agb.label("aanbieder_agb"), naam.label("aanbieder_naam"),
            aanbieders.label("aantal_aanbieders"), func.count().over().label("totaal"),
        )
        .order_by(order.nulls_last(), T.c.id.asc())
        .offset(bindparam("offset")).limit(bindparam("limit"))
    )
    return count, page


@cache
def id_statement(shape: ListShape) -> Any:
    """The ids of every transfer of a list of ``shape`` (all pages, no order): what a
    download of the list holds. Parameters: ``code`` and those of the filters."""
    return _filtered(where_visible(select(T.c.id), shape.kind), shape)


# --- the shape of a list: which filters and which order ----------------------------------

# Sort keys that are a column of the transfer as it is; the others are derived (above).
_PLAIN_SORT = {
    "id": "id", "status": "status", "wet": "wet", "bsn": "bsn",
    "geboortedatum": "geboortedatum", "latende": "latende_gemeente",
    "ontvangende": "ontvangende_gemeente", "aanleverdatum": "aanleverdatum",
    "vanaf": "vanaf", "gewijzigd": "gewijzigd_op",
}
SORT_KEYS: tuple[str, ...] = (
    "termijn", "verantwoordelijk", "aanbieder", "regels", *_PLAIN_SORT,
)
DEFAULT_SORT = "termijn"  # the nearest deadline first

# How the ``gemeente`` filter applies: the other party of an incoming or outgoing list,
# either party of a list of both directions.
GEMEENTE_FILTERS = ("latende_gemeente", "ontvangende_gemeente", "beide")


@dataclass(frozen=True)
class ListShape:
    """Which statement a list needs: the caller's kind and which filters are given (their
    values are parameters), and the order. One statement is built per shape."""

    kind: str
    richting_column: str | None = None  # the gemeente column that must be the caller
    with_status: bool = False
    gemeente: str | None = None  # one of GEMEENTE_FILTERS
    with_latende: bool = False  # the exact latende gemeente (``:latende``)
    with_ontvangende: bool = False  # the exact ontvangende gemeente (``:ontvangende``)
    with_van: bool = False
    with_tot: bool = False
    with_tekst: bool = False
    with_bsn: bool = False
    sort: str = DEFAULT_SORT
    descending: bool = False

    def __post_init__(self) -> None:
        if self.sort not in SORT_KEYS:
            raise ValueError(f"unknown sort key {self.sort!r}")
        if self.gemeente is not None and self.gemeente not in GEMEENTE_FILTERS:
            raise ValueError(self.gemeente)


def _filtered(query, shape: ListShape):
    if shape.richting_column is not None:
        query = query.where(T.c[shape.richting_column] == CODE)
    if shape.with_status:
        query = query.where(T.c.status.in_(bindparam("statuses", expanding=True)))
    if shape.gemeente == "beide":
        query = query.where(or_(T.c.latende_gemeente == bindparam("gemeente"),
                                T.c.ontvangende_gemeente == bindparam("gemeente")))
    elif shape.gemeente is not None:
        query = query.where(T.c[shape.gemeente] == bindparam("gemeente"))
    if shape.with_latende:
        query = query.where(T.c.latende_gemeente == bindparam("latende"))
    if shape.with_ontvangende:
        query = query.where(T.c.ontvangende_gemeente == bindparam("ontvangende"))
    if shape.with_van:
        query = query.where(T.c.aanleverdatum >= bindparam("van", type_=Date))
    if shape.with_tot:
        query = query.where(T.c.aanleverdatum <= bindparam("tot", type_=Date))
    if shape.with_bsn:
        query = query.where(T.c.bsn == bindparam("bsn"))
    if shape.with_tekst:
        query = query.where(_text_match(shape.kind))
    return query


def _text_match(kind: str):
    """The free-text filter: the transfer's public id (``:tekst_id``), a gemeente whose code or
    name matches (``:tekst_codes``, resolved by the caller from the register), or one of
    the caller's lines whose AGB code, product or provider name contains ``:tekst`` (a
    lower-case LIKE pattern)."""
    pattern = bindparam("tekst")
    codes = bindparam("tekst_codes", expanding=True)
    own = R.c.overdracht_id == T.c.id
    if kind == AANBIEDER:
        own = and_(own, R.c.aanbieder_agb == CODE)
    provider_named = select(ORG.c.code).where(
        ORG.c.soort == "aanbieder", func.lower(ORG.c.naam).like(pattern, escape="\\")).scalar_subquery()
    line = exists().where(own, or_(
        func.lower(R.c.aanbieder_agb).like(pattern, escape="\\"),
        func.lower(R.c.product).like(pattern, escape="\\"),
        R.c.aanbieder_agb.in_(provider_named),
    ))
    return or_(T.c.publiek_id == bindparam("tekst_id"), T.c.latende_gemeente.in_(codes),
               T.c.ontvangende_gemeente.in_(codes), line)


def _provider_columns(kind: str) -> tuple:
    """The first provider (lowest AGB code) among the caller's lines, its name as
    registered (``organisaties``, soort aanbieder; None when not registered) and how many
    providers the transfer has for the caller."""
    own = R.c.overdracht_id == T.c.id
    if kind == AANBIEDER:
        own = and_(own, R.c.aanbieder_agb == CODE)
    agb = select(func.min(R.c.aanbieder_agb)).where(own).correlate(T).scalar_subquery()
    naam = (
        select(ORG.c.naam).where(ORG.c.soort == "aanbieder", ORG.c.code == agb)
        .correlate(T).limit(1).scalar_subquery()
    )
    aantal = select(func.count(R.c.aanbieder_agb.distinct())).where(own).scalar_subquery()
    return agb, naam, aantal


# --- what the rules derive, as SQL -------------------------------------------------------


class plus_days(FunctionElement):
    """``date + n days`` on SQLite and PostgreSQL (``n`` a literal integer)."""

    type = Date()
    inherit_cache = True


@compiles(plus_days, "sqlite")
def _plus_days_sqlite(element, compiler, **kw):
    day, n = list(element.clauses)
    return f"date({compiler.process(day, **kw)}, '+' || {compiler.process(n, **kw)} || ' days')"


@compiles(plus_days)
def _plus_days_default(element, compiler, **kw):
    day, n = list(element.clauses)
    return f"({compiler.process(day, **kw)} + {compiler.process(n, **kw)})"


ANSWER_DAYS = termijnen.WOONPLAATS_WEKEN * 7


def derived_columns() -> tuple:
    """(termijn, ontvangende_vanaf, verantwoordelijk_nu) of a transfer, as SQL.

    They restate rules of :mod:`wpb.law` so that a list can sort and page by them; the
    tests hold them against those rules for every state (``tests/service/overdrachten/
    test_list_order.py``).

    - ``termijn``: the last day for the ontvangende gemeente's answer while the transfer
      awaits it (status aangeleverd), the ``uiterlijk`` of its task
      (:mod:`wpb.law.taken`): under the law two weeks after the aanlevering (Regeling
      Jeugdwet art. 1a.1; OP359 without moving to a working day), under the measure,
      onderdeel A (delivered vóór the aanlever_grens), the day before the ingangsdatum
      (``:accept_uiterlijk``). None otherwise (a Wmo transfer has no tasks).
    - ``ontvangende_vanaf``: the first day of the ontvangende gemeente's period in
      :func:`wpb.law.overgang.tijdlijn`; None while the latende stays responsible.
    - ``verantwoordelijk_nu``: the ontvangende gemeente from that day (``:today``) on,
      otherwise the latende.
    """
    status = T.c.status
    law = and_(T.c.vanaf.is_not(None), T.c.vanaf != bindparam("ingang", type_=Date))
    jeugdwet = T.c.wet == WET_JEUGDWET
    waiting = status == Status.AANGELEVERD.value
    termijn = case(
        (and_(jeugdwet, waiting, law), plus_days(T.c.aanleverdatum, literal(ANSWER_DAYS))),
        (and_(jeugdwet, waiting, T.c.aanleverdatum < bindparam("aanlever_grens", type_=Date)),
         bindparam("accept_uiterlijk", type_=Date)),
        else_=null(),
    )
    afgerond = status == Status.AFGEROND.value
    rejection_stands = status.in_([Status.AFGEWEZEN.value, Status.DOORGESTUURD.value])
    # A rejection counts under the measure while it stands and, when reconsidered and
    # afgerond after all, as the rejection before that (views.facts_for_rules).
    rejected_in_time = and_(or_(rejection_stands, afgerond), T.c.afgewezen_op.is_not(None),
                            T.c.afgewezen_op < bindparam("afwijs_grens", type_=Date))
    ingang = bindparam("ingang", type_=Date)
    vanaf_ontvangende = case(
        (and_(law, rejection_stands), null()),
        (law, T.c.vanaf),
        (and_(afgerond, T.c.afgerond_op < ingang), ingang),  # outside the measure
        (and_(T.c.aanleverdatum < bindparam("aanlever_grens", type_=Date),
              ~rejected_in_time), ingang),  # onderdeel A
        (afgerond, T.c.afgerond_op),  # onderdeel B, afgerond on or after the ingangsdatum
        else_=null(),
    )
    nu = case(
        (vanaf_ontvangende <= bindparam("today", type_=Date), T.c.ontvangende_gemeente),
        else_=T.c.latende_gemeente,
    )
    return type_coerce(termijn, Date), type_coerce(vanaf_ontvangende, Date), nu


def rule_parameters(today: date, t: Termijnen) -> dict[str, date]:
    """The parameters of :func:`derived_columns`: today (the ingangsdatum at the earliest,
    as on the transfer page) and the measure's dates."""
    return {
        "today": max(today, t.ingang), "ingang": t.ingang, "aanlever_grens": t.aanlever_grens,
        "afwijs_grens": t.afwijs_grens, "accept_uiterlijk": day_before(t.ingang),
    }
