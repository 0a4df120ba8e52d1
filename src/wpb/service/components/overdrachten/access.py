"""Who sees which transfer: a gemeente the transfers it is party to (as latende or
ontvangende gemeente), a provider those with at least one line for its AGB code (and only
its own lines), the coordinator all. Anything else is answered as if it did not exist
(:class:`NotFound`), so nobody learns which transfers exist elsewhere.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import Session, joinedload, selectinload

from wpb.domain.overdracht import Rol
from wpb.service.auth.principal import Principal
from wpb.service.components.overdrachten import queries
from wpb.service.components.overdrachten import snapshot as snapshots
from wpb.service.components.overdrachten.models import (
    Overdracht,
)
from wpb.service.components.overdrachten.snapshot import TransferSnapshot
from wpb.service.errors import NotFound

# --- visibility ---------------------------------------------------------------------------


def visible_clause(principal: Principal) -> ColumnElement[bool]:
    """SQL condition: the transfers ``principal`` may see (the rule of
    :func:`wpb.service.components.overdrachten.queries.visible`, with the caller's code filled in)."""
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


def _not_found(overdracht_id: int | str) -> NotFound:
    return NotFound(f"Overdracht {overdracht_id} bestaat niet of is niet zichtbaar voor u.")


def read_visible(session: Session, principal: Principal, overdracht_id: int | str) -> TransferSnapshot:
    """The transfer as plain rows (no BRP document) if ``principal`` may see it; for
    showing it and for transitions. Otherwise :class:`NotFound` (never 403)."""
    o = snapshots.load_visible(session, principal, overdracht_id)
    if o is None:
        raise _not_found(overdracht_id)
    return o


def get_visible(session: Session, principal: Principal, overdracht_id: int | str) -> Overdracht:
    """The transfer if ``principal`` may see it; otherwise :class:`NotFound` (never 403).
    ``overdracht_id``: the public id, or the internal key (:mod:`wpb.service.public_ids`)."""
    # The lines come in the same query (a join); the timeline in a second one.
    key = Overdracht.id if isinstance(overdracht_id, int) else Overdracht.publiek_id
    o = session.execute(
        select(Overdracht)
        .where(key == overdracht_id, visible_clause(principal))
        .options(joinedload(Overdracht.regels), selectinload(Overdracht.gebeurtenissen))
        .execution_options(populate_existing=True)
    ).unique().scalar_one_or_none()
    if o is None:
        raise _not_found(overdracht_id)
    return o
