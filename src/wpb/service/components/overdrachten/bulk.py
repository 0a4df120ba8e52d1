"""Deciding many transfers at once (issue 16 item 3): accept or reject a selection with one
onderbouwing, or a file of decisions (``overdracht_id`` or ``bsn``, ``besluit``,
``onderbouwing``).

Each transfer is still its own guarded transition (:func:`transitions.transition`): one that
changed meanwhile is a conflict, one the caller may not decide is "niet toegestaan", and
neither stops the others. The answer lists per transfer what happened. Every transfer
decided is audited as if decided alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from wpb import tabular
from wpb.domain.overdracht import Actie, Status
from wpb.law.bsn import bsn_problem
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.components.overdrachten.access import read_visible
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.components.overdrachten.transitions import MAX_ONDERBOUWING, transition
from wpb.service.components.overdrachten.upload_file import normalise_header, text_problem
from wpb.service.context import Context
from wpb.service.errors import Conflict, Forbidden, InvalidRequest, NotFound, PayloadTooLarge

BESLUITEN = {"accepteren": Actie.ACCEPTEREN, "afwijzen": Actie.AFWIJZEN}
MAX_TRANSFERS = 5_000
FILE_COLUMNS = {"overdrachtid": "overdracht_id", "id": "overdracht_id", "bsn": "bsn",
                "burgerservicenummer": "bsn", "besluit": "besluit", "onderbouwing": "onderbouwing"}


@dataclass(frozen=True)
class Besluit:
    overdracht_id: str | None  # the public id
    besluit: str
    onderbouwing: str
    regel: int | None = None  # the line in a file of decisions
    fout: str | None = None  # why the row names no transfer


@dataclass(frozen=True)
class Uitkomst:
    overdracht_id: str | None  # the public id
    uitkomst: str  # gedaan, conflict, niet_toegestaan, niet_gevonden, ongeldig
    reden: str
    regel: int | None = None

    def to_json(self) -> dict:
        return {"overdrachtId": self.overdracht_id, "regel": self.regel,
                "uitkomst": self.uitkomst, "reden": self.reden}


def summary(results: list[Uitkomst]) -> dict:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.uitkomst] = counts.get(r.uitkomst, 0) + 1
    return {"aantallen": counts, "resultaten": [r.to_json() for r in results]}


def check_onderbouwing(besluit: str, onderbouwing: str | None) -> str | None:
    """Why a decision's onderbouwing is refused (None: fine). Rejecting needs one."""
    text = (onderbouwing or "").strip()
    if besluit not in BESLUITEN:
        return "besluit is 'accepteren' of 'afwijzen'"
    if besluit == "afwijzen" and not text:
        return "een afwijzing heeft een onderbouwing nodig"
    if len(text) > MAX_ONDERBOUWING:
        return f"onderbouwing langer dan {MAX_ONDERBOUWING} tekens"
    return text_problem(text)


def decide_all(
    session: Session, principal: Principal, ctx: Context, besluiten: list[Besluit]
) -> list[Uitkomst]:
    """Carry out every decision on its own; the others go on whatever one of them meets."""
    if len(besluiten) > MAX_TRANSFERS:
        raise PayloadTooLarge(f"Hoogstens {MAX_TRANSFERS} overdrachten in één keer.")
    today = ctx.today()
    results: list[Uitkomst] = []
    events: list[audit.AuditEvent] = []
    for b in besluiten:
        problem = b.fout or check_onderbouwing(b.besluit, b.onderbouwing)
        if problem or b.overdracht_id is None:
            results.append(Uitkomst(b.overdracht_id, "ongeldig", problem or "geen overdracht", b.regel))
            continue
        actie = BESLUITEN[b.besluit]
        text = b.onderbouwing.strip()
        values = ({"geaccepteerd_op": today} if actie is Actie.ACCEPTEREN else
                  {"afgewezen_op": today, "onderbouwing": text, "onderbouwing_beslissing": None})
        said = ("overdracht geaccepteerd" if actie is Actie.ACCEPTEREN
                else "overdracht afgewezen met onderbouwing") + " (in een bulkbesluit)"
        try:
            o = read_visible(session, principal, b.overdracht_id)
            o = transition(session, principal, ctx, b.overdracht_id, actie, None, values, said, loaded=o)
        except NotFound:
            results.append(Uitkomst(b.overdracht_id, "niet_gevonden", "overdracht niet gevonden", b.regel))
            continue
        except Forbidden as exc:
            results.append(Uitkomst(b.overdracht_id, "niet_toegestaan", exc.detail, b.regel))
            continue
        except Conflict as exc:
            results.append(Uitkomst(b.overdracht_id, "conflict", exc.detail, b.regel))
            continue
        details = {"bulk": True, **({"onderbouwing": "tekst"} if text else {})}
        events.append(audit.AuditEvent(f"overdracht.{actie.value}", o.id, o.bsn, details))
        results.append(Uitkomst(o.publiek_id, "gedaan", said, b.regel))
    audit.record_many(session, principal, events, now=ctx.now())
    return results


def ids_of_filter(session: Session, query) -> list[str]:
    """The public ids a visible-transfers query finds (a filter chosen on the list), in the
    order they were made."""
    ids = list(session.scalars(query.with_only_columns(Overdracht.publiek_id).order_by(Overdracht.id)
                               .limit(MAX_TRANSFERS + 1)))
    if len(ids) > MAX_TRANSFERS:
        raise PayloadTooLarge(f"Het filter vindt meer dan {MAX_TRANSFERS} overdrachten; verfijn het.")
    return ids


def read_decisions(
    session: Session, principal: Principal, ctx: Context, content: bytes, bestandsnaam: str
) -> list[Besluit]:
    """The decisions of a CSV/XLSX file; a row naming a BSN decides the principal's incoming
    transfer of that youth still aangeleverd. Bad rows become decisions marked invalid."""
    try:
        table = tabular.read_table(
            content, bestandsnaam, normalise=lambda h: FILE_COLUMNS.get(normalise_header(h)),
            max_bytes=ctx.settings.max_upload_bytes, max_rows=MAX_TRANSFERS,
        )
    except tabular.TabelTeGroot as exc:
        raise PayloadTooLarge(f"Het bestand is te groot: {exc.reden}.") from None
    except tabular.TabelFout as exc:
        raise InvalidRequest("Het bestand kan niet gelezen worden.",
                             [(f"regel {exc.regel}" if exc.regel else "bestand", exc.reden)]) from None
    missing = [k for k in ("besluit",) if k not in table.kolommen]
    if "overdracht_id" not in table.kolommen and "bsn" not in table.kolommen:
        missing.append("overdracht_id of bsn")
    if missing:
        raise InvalidRequest("De kopregel mist kolommen.",
                             [(k, "kolom ontbreekt in de kopregel") for k in missing])
    by_bsn = _incoming_by_bsn(session, principal, table)
    result = []
    for row in table.rijen:
        w = row.waarden
        besluit = str(w.get("besluit") or "").strip().lower()
        onderbouwing = str(w.get("onderbouwing") or "")
        raw_id = str(w.get("overdracht_id") or "").strip().removesuffix(".0")
        bsn = str(w.get("bsn") or "").strip().removesuffix(".0").zfill(9) if w.get("bsn") else ""
        oid = raw_id or (by_bsn.get(bsn) if bsn else None)
        if oid is None:
            reden = ("geen geldig BSN" if bsn and bsn_problem(bsn) else
                     "geen lopende inkomende overdracht voor dit BSN" if bsn else
                     "overdracht_id of bsn ontbreekt")
            result.append(Besluit(None, besluit, onderbouwing, row.regel, fout=reden))
            continue
        result.append(Besluit(oid, besluit, onderbouwing, row.regel))
    return result


def _incoming_by_bsn(session: Session, principal: Principal, table: tabular.Table) -> dict[str, str]:
    bsns = sorted({str(r.waarden.get("bsn")).strip().removesuffix(".0").zfill(9)
                   for r in table.rijen if r.waarden.get("bsn")})
    found: dict[str, str] = {}
    if not principal.is_gemeente:
        return found
    for start in range(0, len(bsns), 500):
        for oid, bsn in session.execute(
            select(Overdracht.publiek_id, Overdracht.bsn).where(
                Overdracht.ontvangende_gemeente == principal.code,
                Overdracht.status == Status.AANGELEVERD.value,
                Overdracht.bsn.in_(bsns[start : start + 500]))
        ):
            found[bsn] = oid
    return found
