"""Reading transfers: the pages of a list, one transfer, a search by BSN and the export rows.

Every read of a youth's data is written to the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from wpb.domain.overdracht import Status
from wpb.law.bsn import bsn_problem
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.components.overdrachten import queries
from wpb.service.components.overdrachten.access import read_visible, visible_clause
from wpb.service.components.overdrachten.models import (
    Overdracht,
)
from wpb.service.components.overdrachten.views import (
    detail_view,
    summaries_of,
    summary_of_counted,
)
from wpb.service.context import Context
from wpb.service.errors import InvalidRequest

MAX_PAGE_SIZE = 200


# --- reading ------------------------------------------------------------------------------


class Richting(str, Enum):
    INKOMEND = "inkomend"
    UITGAAND = "uitgaand"


def richting_column(principal: Principal, richting: Richting | None) -> str | None:
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
    column = richting_column(principal, richting)
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
    sort: str = queries.DEFAULT_SORT,
    descending: bool = False,
) -> Page:
    """A page of the transfers the caller sees, in direction and status; the other filters
    are :func:`filters.list_filtered`."""
    statuses = [Status(s).value for s in (status or [])]
    kind = queries.kind_of(principal)
    if kind is None:
        _check_page(pagina, pagina_grootte)
        return Page([], 0, pagina, pagina_grootte)
    shape = queries.ListShape(kind, richting_column(principal, richting), bool(statuses),
                              sort=sort, descending=descending)
    return run_list(session, principal, ctx, shape, {"statuses": statuses} if statuses else {},
                    pagina, pagina_grootte)


def run_list(
    session: Session, principal: Principal, ctx: Context, shape: queries.ListShape,
    params: dict[str, Any], pagina: int, pagina_grootte: int,
) -> Page:
    """One page of the list statement of ``shape`` with the filter values ``params``: one
    statement for the page (a second only for a page past the end), every transfer on it
    audited as seen in a list."""
    _check_page(pagina, pagina_grootte)
    count, page = queries.page_statements(shape)
    params = {
        **params, **queries.rule_parameters(ctx.today(), ctx.termijnen),
        "code": principal.code, "offset": (pagina - 1) * pagina_grootte, "limit": pagina_grootte,
    }
    connection = session.connection()
    rows = connection.execute(page, params).all()
    total = rows[0].totaal if rows else connection.execute(count, params).scalar_one()
    items = [summary_of_counted(row, ctx) for row in rows]
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
    """One page (newest first) of the transfers ``query`` (a ``select(Overdracht)``) finds,
    their deadline and responsibility by the rules themselves (:func:`views.summary_view`):
    the reference the list statements are tested against. Every one on it is audited."""
    _check_page(pagina, pagina_grootte)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.options(selectinload(Overdracht.regels))
        .order_by(Overdracht.id.desc()).offset((pagina - 1) * pagina_grootte).limit(pagina_grootte)
    ).all()
    items = summaries_of(session, principal, ctx, list(rows))
    return _audited_page(session, principal, ctx, items, list(rows), total, pagina, pagina_grootte)


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
    rows = [] if kind is None else _bsn_rows(session, principal, ctx, kind, bsn)
    items = [summary_of_counted(row, ctx) for row in rows]
    audit.record_many(
        session, principal,
        [audit.AuditEvent("overdracht.zoeken", None, bsn, {"gevonden": len(rows)})]
        + [audit.AuditEvent("overdracht.lijst", o.id, o.bsn) for o in rows],
        now=ctx.now(),
    )
    return items


def _bsn_rows(session: Session, principal: Principal, ctx: Context, kind: str, bsn: str) -> list:
    """Every transfer of youth ``bsn`` the caller sees, newest first (the list statement)."""
    _, page = queries.page_statements(
        queries.ListShape(kind, with_bsn=True, sort="id", descending=True))
    return list(session.connection().execute(page, {
        **queries.rule_parameters(ctx.today(), ctx.termijnen),
        "code": principal.code, "bsn": bsn, "offset": 0, "limit": 10_000,
    }).all())


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
    "vanaf",
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


def export_of(session: Session, principal: Principal, ctx: Context, query,
              params: dict[str, Any] | None = None) -> list[dict]:
    """The download rows (:data:`EXPORT_COLUMNS`) of the transfers ``query`` (with its
    parameters ``params``) finds, by id; a provider gets only its own lines. Every transfer
    in it is audited as downloaded."""
    rows = session.scalars(
        query.options(selectinload(Overdracht.regels)).order_by(Overdracht.id), params or {}).all()
    result: list[dict] = []
    for o in rows:
        for r in o.regels:
            if principal.is_aanbieder and r.aanbieder_agb != principal.code:
                continue
            result.append(
                {
                    "overdracht_id": o.publiek_id,
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
                    "vanaf": o.vanaf,
                }
            )
    audit.record_many(
        session, principal,
        [audit.AuditEvent("overdracht.download", o.id, o.bsn) for o in rows],
        now=ctx.now(),
    )
    return result
