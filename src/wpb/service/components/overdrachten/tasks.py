"""Responsibility and tasks of the 1-november-maatregel per transfer, a party's own task list
over all transfers, and the overview of counts per status and overdue tasks.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wpb.domain.overdracht import Status
from wpb.law import taken as taken_rules
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.clock import utc_naive
from wpb.service.components.overdrachten.access import get_visible, visible_clause
from wpb.service.components.overdrachten.models import (
    Overdracht,
    TaakStatus,
)
from wpb.service.components.overdrachten.transitions import add_event
from wpb.service.components.overdrachten.views import (
    gemeente_view,
    responsibility,
    stored_marks,
    task_json,
    tasks_for,
)
from wpb.service.context import Context
from wpb.service.errors import Forbidden, NotFound

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
    marks = stored_marks(session, [o.id])[o.id]
    result = [task_json(t, ctx, today) for t in tasks_for(o, principal, ctx, marks)]
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
    marks = stored_marks(session, [o.id])[o.id]
    taak = next((t for t in tasks_for(o, principal, ctx, marks) if t.code == code), None)
    if taak is None:
        raise NotFound(f"Taak {code!r} bestaat niet voor overdracht {o.publiek_id}.")
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
        add_event(o, principal, ctx, "taak", None, None,
               f"taak '{taak.titel}' {'gedaan' if gedaan else 'weer open'}")
    )
    session.flush()
    audit.record(
        session, principal, "taak.wijzigen", overdracht_id=o.id, bsn=o.bsn,
        details={"taak": code, "gedaan": gedaan}, now=ctx.now(),
    )
    marks = stored_marks(session, [o.id])[o.id]
    updated = next(t for t in tasks_for(o, principal, ctx, marks) if t.code == code)
    return task_json(updated, ctx, today)


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
    marks = stored_marks(session, [o.id for o in rows])
    found: list[tuple[int, dict]] = []
    for o in rows:
        for taak in tasks_for(o, principal, ctx, marks.get(o.id, set())):
            if principal.is_gemeente and taak.gemeente != principal.code:
                continue
            if alleen_open and taak.gedaan:
                continue
            if alleen_te_laat and not taak.overdue(today):
                continue
            found.append((o.id, {"overdrachtId": o.publiek_id, "bsn": o.bsn,
                                 **task_json(taak, ctx, today)}))
    # Earliest deadline first, then in the order the transfers were made.
    found.sort(key=lambda t: (t[1]["voor"] or "9999-12-31", t[0], t[1]["code"]))
    listed = {internal for internal, _ in found}
    audit.record_many(
        session, principal,
        [audit.AuditEvent("taken.lijst", o.id, o.bsn) for o in rows if o.id in listed],
        now=ctx.now(),
    )
    return [t for _, t in found]


def overview(session: Session, principal: Principal, ctx: Context) -> dict:
    """Counts by status and overdue tasks, per municipality the principal may see.

    Counts only: no personal data, so this read is not audited per youth.
    """
    rows = session.scalars(
        select(Overdracht).where(visible_clause(principal)).options(selectinload(Overdracht.regels))
    ).all()
    today = ctx.today()
    marks = stored_marks(session, [o.id for o in rows])
    per: dict[str, dict] = {}

    def entry(code: str) -> dict:
        if code not in per:
            per[code] = {
                "gemeente": gemeente_view(ctx, code),
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
