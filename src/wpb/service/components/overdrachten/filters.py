"""Transfer lists with the filters of the web pages: status, gemeente and aanleverdatum.

:func:`wpb.service.components.overdrachten.listing.list_transfers` filters by direction and status; the pages
also filter by the other municipality and by a range of aanleverdatums. This module adds
those filters on top of the same visibility rule (:func:`access.visible_clause`), the
same list view (:func:`views.summary_view`) and the same audit entries, so a list
shows exactly what the REST API would and every youth shown is written to the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, or_, select, union
from sqlalchemy.orm import Session

from wpb.domain.overdracht import Status
from wpb.service.auth.principal import Principal
from wpb.service.components.overdrachten import listing
from wpb.service.components.overdrachten.listing import Richting
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.context import Context
from wpb.service.errors import InvalidRequest


@dataclass(frozen=True)
class TransferFilter:
    """What a list shows. ``gemeente`` is the other party: for incoming transfers the
    latende gemeente, for outgoing the ontvangende, otherwise either of them."""

    richting: Richting | None = None
    statussen: tuple[Status, ...] = ()
    gemeente: str | None = None
    aanleverdatum_van: date | None = None  # inclusive
    aanleverdatum_tot: date | None = None  # inclusive ("tot en met")
    pagina: int = 1
    pagina_grootte: int = 50
    problems: tuple[tuple[str, str], ...] = field(default=(), compare=False)


def filtered_query(principal: Principal, f: TransferFilter) -> Select:
    problems = list(f.problems)
    if (
        f.aanleverdatum_van is not None
        and f.aanleverdatum_tot is not None
        and f.aanleverdatum_van > f.aanleverdatum_tot
    ):
        problems.append(("aanleverdatumTot", "ligt vóór de datum 'aanleverdatum vanaf'"))
    if f.gemeente is not None and not (len(f.gemeente) == 4 and f.gemeente.isdigit()):
        problems.append(("gemeente", "geen gemeentecode van 4 cijfers"))
    if problems:
        raise InvalidRequest("De filters zijn niet bruikbaar.", problems)
    query = listing.visible_query(principal, f.richting)
    if f.statussen:
        query = query.where(Overdracht.status.in_([Status(s).value for s in f.statussen]))
    if f.gemeente is not None:
        if f.richting is Richting.INKOMEND:
            query = query.where(Overdracht.latende_gemeente == f.gemeente)
        elif f.richting is Richting.UITGAAND:
            query = query.where(Overdracht.ontvangende_gemeente == f.gemeente)
        else:
            query = query.where(
                or_(
                    Overdracht.latende_gemeente == f.gemeente,
                    Overdracht.ontvangende_gemeente == f.gemeente,
                )
            )
    if f.aanleverdatum_van is not None:
        query = query.where(Overdracht.aanleverdatum >= f.aanleverdatum_van)
    if f.aanleverdatum_tot is not None:
        query = query.where(Overdracht.aanleverdatum <= f.aanleverdatum_tot)
    return query


def list_filtered(
    session: Session, principal: Principal, ctx: Context, f: TransferFilter
) -> listing.Page:
    """One page of the transfers ``principal`` may see that pass the filter, newest first."""
    return listing.page_of(session, principal, ctx, filtered_query(principal, f), f.pagina,
                             f.pagina_grootte)


def export_filtered(
    session: Session, principal: Principal, ctx: Context, f: TransferFilter
) -> list[dict]:
    """The download of a filtered list: one row per transfer line, columns as
    :data:`listing.EXPORT_COLUMNS` (with the aanleverdatum), a provider only its lines."""
    return listing.export_of(session, principal, ctx, filtered_query(principal, f))


def other_gemeenten(
    session: Session, principal: Principal, richting: Richting | None
) -> list[str]:
    """The codes a list can be filtered on: the other parties of the visible transfers.

    Codes only (no personal data), so this read is not audited.
    """
    visible = listing.visible_query(principal, richting).subquery()
    if richting is Richting.INKOMEND:
        query: Select = select(visible.c.latende_gemeente)
    elif richting is Richting.UITGAAND:
        query = select(visible.c.ontvangende_gemeente)
    else:
        query = union(
            select(visible.c.latende_gemeente), select(visible.c.ontvangende_gemeente)
        )  # type: ignore[assignment]
    codes: Iterable[str] = session.scalars(query)
    return sorted(set(codes))


__all__ = ["TransferFilter", "export_filtered", "filtered_query", "list_filtered", "other_gemeenten"]
