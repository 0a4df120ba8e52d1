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

from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, exists, func, or_, select

from wpb.service.auth.principal import Principal
from wpb.service.components.overdrachten.models import Overdracht, OverdrachtRegel

T = Overdracht.__table__
R = OverdrachtRegel.__table__
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

# The lines a list needs to count them and show pgb, for the transfers ``:ids``.
LINES_OF = select(R.c.overdracht_id, R.c.aanbieder_agb, R.c.pgb).where(
    R.c.overdracht_id.in_(bindparam("ids", expanding=True))
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
def page_statements(kind: str, richting_column: str | None, with_status: bool) -> tuple[Any, Any]:
    """(count, page) of a transfer list, newest first. Parameters: ``code``, ``statuses``
    (when ``with_status``), ``offset`` and ``limit``. ``richting_column``: the gemeente
    column (``latende_gemeente`` or ``ontvangende_gemeente``) that must be the caller.

    The page is one statement: the summary columns, the line counts and the total
    (``totaal``, a window count over every match). The count statement is only needed for
    a page past the end, which has no row to carry the total."""
    query = where_visible(select(*SUMMARY_COLUMNS), kind)
    if richting_column is not None:
        query = query.where(T.c[richting_column] == CODE)
    if with_status:
        query = query.where(T.c.status.in_(bindparam("statuses", expanding=True)))
    count = select(func.count()).select_from(query.subquery())
    page = (
        query.add_columns(*_line_counts(kind), func.count().over().label("totaal"))
        .order_by(T.c.id.desc()).offset(bindparam("offset")).limit(bindparam("limit"))
    )
    return count, page


@cache
def search_statement(kind: str):
    """The transfers of youth ``:bsn`` a caller of ``kind`` may see, newest first, with
    their line counts."""
    return (
        where_visible(select(*SUMMARY_COLUMNS, *_line_counts(kind)), kind)
        .where(T.c.bsn == bindparam("bsn")).order_by(T.c.id.desc())
    )
