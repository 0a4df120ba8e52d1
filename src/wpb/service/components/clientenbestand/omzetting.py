"""An ``andere_gemeente`` signal made into a transfer (overdracht), prefilled.

The signal holds its rows for the transfer upload (:func:`signalen.transfer_rows`: one per
running toewijzing, with ``ontvangende_gemeente`` the gemeente the decision names and
``vanaf`` the day it is responsible from, docs/interpretations.md). :func:`prepare` checks
them as the upload does and returns the draft with its ``controle`` code, storing nothing;
the user sees it and confirms. :func:`create` stores the same rows when the code still
matches (the latende gemeente is the caller), marks the signal handled as ``overdracht``
with a link to the transfer, and audits both, in one transaction.

Only the caller's own open ``andere_gemeente`` signal can be used: another organisation's
answers 404 like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from wpb.law.signalen import SignaalSoort
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.clock import utc_naive
from wpb.service.components.clientenbestand.models import Signaal
from wpb.service.components.clientenbestand.signalen import get_signal, transfer_rows
from wpb.service.components.overdrachten.from_rows import check_rows, store_rows
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.components.overdrachten.upload_check import UploadCheck
from wpb.service.components.overdrachten.upload_store import StoredUpload
from wpb.service.context import Context
from wpb.service.errors import Conflict, InvalidRequest
from wpb.service.public_ids import internal_id

AFHANDELING = "overdracht"


@dataclass(frozen=True)
class Concept:
    signaal: Signaal
    controle: UploadCheck


@dataclass(frozen=True)
class Gemaakt:
    signaal: Signaal
    aanlevering: StoredUpload
    overdracht_id: str  # the transfer's public id (S10)


def _usable(session: Session, principal: Principal, signaal_id: str) -> tuple[Signaal, list[dict]]:
    row = get_signal(session, principal, signaal_id)
    if row.soort != SignaalSoort.ANDERE_GEMEENTE.value:
        raise InvalidRequest("Alleen een signaal andere_gemeente wordt een overdracht.",
                             [("soort", f"dit signaal is {row.soort}")])
    if row.afhandeling is not None:
        raise Conflict("Dit signaal is al afgehandeld.")
    rows = transfer_rows(row)
    if not rows:
        raise InvalidRequest("Dit signaal heeft geen lopende toewijzing om over te dragen.",
                             [("aanlevering", "geen regels")])
    return row, rows


def _naam(row: Signaal) -> str:
    return f"signaal-{row.publiek_id}"


def prepare(session: Session, principal: Principal, ctx: Context, signaal_id: str) -> Concept:
    """The prefilled transfer of the signal, checked as an upload; nothing is stored."""
    row, rows = _usable(session, principal, signaal_id)
    check = check_rows(session, principal, rows, _naam(row), register=ctx.register,
                       limits=ctx.limits, now=ctx.now())
    return Concept(row, check)


def create(session: Session, principal: Principal, ctx: Context, signaal_id: str,
           controle: str) -> Gemaakt:
    """Store the prefilled transfer the user confirmed, and mark the signal handled."""
    row, rows = _usable(session, principal, signaal_id)
    now = ctx.now()
    stored = store_rows(session, principal, rows, _naam(row), controle, register=ctx.register,
                        limits=ctx.limits, now=now)
    (overdracht_id, *_) = (*stored.nieuwe_overdrachten, *stored.aangevulde_overdrachten)
    internal = internal_id(session, Overdracht, overdracht_id)
    row.afhandeling = AFHANDELING
    row.overdracht_id = internal
    row.afhandeling_toelichting = (
        f"overdracht {overdracht_id} "
        f"{'aangemaakt' if stored.nieuwe_overdrachten else 'aangevuld'} "
        f"({len(stored.check.geldig)} regel(s))")
    row.afgehandeld_op = utc_naive(now)
    row.afgehandeld_door = principal.gebruiker_id
    session.flush()
    audit.record(session, principal, "signaal.afhandelen", bsn=row.bsn,
                 overdracht_id=internal, details={
                     "signaal": row.publiek_id, "soort": row.soort, "afhandeling": AFHANDELING,
                     "vingerafdruk": row.vingerafdruk, "aanleveringId": stored.aanlevering_id,
                 }, now=now)
    return Gemaakt(row, stored, overdracht_id)


__all__ = ["AFHANDELING", "Concept", "Gemaakt", "create", "prepare"]
