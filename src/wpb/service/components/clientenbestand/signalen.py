"""The woonplaatscheck of a gemeente's caseload in the service, and its signalen.

:func:`run_check` decides the caller's caseload on a peildatum with
:func:`wpb.woonplaatscheck.check.woonplaatscheck`, on the BRP documents of the caller's own
store only (:class:`~wpb.service.components.brp.bron.OpslagBron`). Each signal is kept by its
fingerprint (``vingerafdruk``: the facts behind it, not the peildatum):

- a fingerprint seen before and still open is updated (its decision and peildatum);
- a fingerprint already handled is not raised again;
- an open signal the run no longer gives (its facts changed or went away) is removed: it
  was never handled, so nothing of a person's work is lost.

A signal is handled once (:func:`handle_signal`): made into a transfer, checked with a
note, or dismissed with a reason. Every run and every handling is audited.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from wpb.caseload.model import JEUGDWET
from wpb.law.signalen import SignaalSoort
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.clock import utc_naive
from wpb.service.components.brp.bron import OpslagBron
from wpb.service.components.brp.store import documents_for
from wpb.service.components.clientenbestand.invoer import require_gemeente, stored_caseload
from wpb.service.components.clientenbestand.models import Signaal
from wpb.service.context import Context
from wpb.service.errors import Conflict, InvalidRequest, NotFound
from wpb.woonplaatscheck.check import Uitkomst, woonplaatscheck
from wpb.woonplaatscheck.uitvoer import aanlevering_rijen

SOORTEN = tuple(s.value for s in SignaalSoort)
AFHANDELINGEN = ("overdracht", "gecontroleerd", "afgewezen")
MAX_TOELICHTING = 2000


@dataclass(frozen=True)
class Run:
    peildatum: date
    beslist: int
    niet_opgehaald: int
    zonder_lopende_zorg: int
    nieuw: int
    bijgewerkt: int
    al_afgehandeld: int
    vervallen: int
    per_soort: dict[str, int]

    def to_json(self) -> dict:
        return {
            "peildatum": self.peildatum.isoformat(), "beslist": self.beslist,
            "nietOpgehaald": self.niet_opgehaald, "zonderLopendeZorg": self.zonder_lopende_zorg,
            "nieuw": self.nieuw, "bijgewerkt": self.bijgewerkt,
            "alAfgehandeld": self.al_afgehandeld, "vervallen": self.vervallen,
            "perSoort": self.per_soort,
        }


def run_check(session: Session, principal: Principal, ctx: Context,
              peildatum: date | None = None) -> Run:
    require_gemeente(principal)
    peildatum = peildatum or ctx.today()
    now = ctx.now()
    caseload = stored_caseload(session, principal)
    documents = documents_for(session, principal, {t.bsn for t in caseload},
                              doel="woonplaatscheck", now=now)
    result = woonplaatscheck(caseload, OpslagBron(documents, ctx.register), principal.code,
                             peildatum, ctx.register,
                             werkers=ctx.settings.woonplaatscheck_werkers)
    decisions: dict[tuple[str, str], Uitkomst] = {(u.bsn, u.wet): u for u in result.uitkomsten}
    upload_rows: dict[str, list[dict[str, str]]] = {}
    for r in aanlevering_rijen(result):
        upload_rows.setdefault(r["bsn"], []).append(r)
    existing = {s.vingerafdruk: s for s in session.scalars(
        select(Signaal).where(Signaal.eigenaar_id == principal.organisatie_id))}
    raised: set[str] = set()
    counts = Counter()
    for s in result.signalen:
        key = s.vingerafdruk
        if key in raised:
            continue
        raised.add(key)
        u = decisions.get((s.bsn, s.feiten.get("wet", JEUGDWET)))
        beslissing = json.dumps({
            "beslissing": u.to_json() if u else None,
            "aanlevering": [r for r in upload_rows.get(s.bsn, [])
                            if r["ontvangende_gemeente"] == s.verantwoordelijke_gemeente]
            if s.soort is SignaalSoort.ANDERE_GEMEENTE else [],
        }, ensure_ascii=False, default=str)
        row = existing.get(key)
        if row is not None and row.afhandeling is not None:
            counts["al_afgehandeld"] += 1
            continue
        if row is None:
            row = Signaal(eigenaar_id=principal.organisatie_id, bsn=s.bsn, soort=s.soort.value,
                          vingerafdruk=key, aangemaakt_op=utc_naive(now))
            session.add(row)
            counts["nieuw"] += 1
        else:
            counts["bijgewerkt"] += 1
        row.verantwoordelijke_gemeente = s.verantwoordelijke_gemeente
        row.vanaf = s.vanaf
        row.status = s.status
        row.reden = s.reden
        row.beslissing = beslissing
        row.peildatum = peildatum
    stale = [s.id for k, s in existing.items() if k not in raised and s.afhandeling is None]
    for i in range(0, len(stale), 500):
        session.execute(delete(Signaal).where(Signaal.id.in_(stale[i:i + 500])))
    session.flush()
    run = Run(peildatum, len(result.uitkomsten), len(result.niet_opgehaald),
              result.zonder_lopende_zorg, counts["nieuw"], counts["bijgewerkt"],
              counts["al_afgehandeld"], len(stale),
              dict(Counter(s.soort.value for s in result.signalen)))
    audit.record(session, principal, "woonplaatscheck.uitvoeren", details=run.to_json(), now=now)
    return run


def _scoped(session: Session, principal: Principal):
    return select(Signaal).where(Signaal.eigenaar_id == principal.organisatie_id)


def list_signals(session: Session, principal: Principal, *, soort: str | None = None,
                 open_: bool | None = None, offset: int = 0, limit: int = 50
                 ) -> tuple[list[Signaal], int, dict[str, int]]:
    """(a page of signals, how many match, open signals per soort) of the caller only."""
    require_gemeente(principal)
    query = _scoped(session, principal)
    if soort:
        query = query.where(Signaal.soort == soort)
    if open_ is True:
        query = query.where(Signaal.afhandeling.is_(None))
    elif open_ is False:
        query = query.where(Signaal.afhandeling.is_not(None))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Signaal.soort, Signaal.vanaf, Signaal.id)
                           .offset(offset).limit(limit)).all()
    per_soort = dict(session.execute(
        select(Signaal.soort, func.count()).where(
            Signaal.eigenaar_id == principal.organisatie_id, Signaal.afhandeling.is_(None))
        .group_by(Signaal.soort)).all())
    return list(rows), total, {s: per_soort.get(s, 0) for s in SOORTEN}


def get_signal(session: Session, principal: Principal, signaal_id: str) -> Signaal:
    """The caller's signal, by its public id (S10); another tenant's, and an old integer
    id, answer the same 404 as a missing one."""
    require_gemeente(principal)
    row = session.scalar(_scoped(session, principal).where(Signaal.publiek_id == str(signaal_id)))
    if row is None:
        raise NotFound("Dit signaal bestaat niet of is niet van uw organisatie.")
    return row


def handle_signal(session: Session, principal: Principal, signaal_id: str, wijze: str,
                  toelichting: str, now: datetime) -> Signaal:
    row = get_signal(session, principal, signaal_id)
    problems = []
    if wijze not in AFHANDELINGEN:
        problems.append(("afhandeling", f"kies een van {', '.join(AFHANDELINGEN)}"))
    toelichting = (toelichting or "").strip()
    if wijze in ("gecontroleerd", "afgewezen") and not toelichting:
        problems.append(("toelichting", "geef een notitie (gecontroleerd) of een reden (afgewezen)"))
    if len(toelichting) > MAX_TOELICHTING:
        problems.append(("toelichting", f"hoogstens {MAX_TOELICHTING} tekens"))
    if problems:
        raise InvalidRequest("Het signaal is niet afgehandeld.", problems)
    if row.afhandeling is not None:
        raise Conflict("Dit signaal is al afgehandeld.")
    row.afhandeling = wijze
    row.afhandeling_toelichting = toelichting or None
    row.afgehandeld_op = utc_naive(now)
    row.afgehandeld_door = principal.gebruiker_id
    session.flush()
    audit.record(session, principal, "signaal.afhandelen", bsn=row.bsn, details={
        "signaal": row.publiek_id, "soort": row.soort, "afhandeling": wijze,
        "vingerafdruk": row.vingerafdruk,
    }, now=now)
    return row


def decision_of(row: Signaal) -> dict | None:
    """The decision JSON behind a signal (status, gemeente, grondslag, toelichting, receipt)."""
    return json.loads(row.beslissing or "{}").get("beslissing")


def transfer_rows(row: Signaal) -> list[dict[str, str]]:
    """The transfer upload rows of an ``andere_gemeente`` signal, with ``vanaf``: one per
    running toewijzing (:func:`wpb.woonplaatscheck.uitvoer.aanlevering_rijen`)."""
    return json.loads(row.beslissing or "{}").get("aanlevering", [])
