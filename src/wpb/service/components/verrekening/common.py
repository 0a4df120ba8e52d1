"""What the settlement's modules share: pseudonyms, municipality names, chunks and the audit
of reads per youth.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from wpb.law.gemeenten import GemeenteRegister
from wpb.law.verrekening.pseudoniem import pseudoniem
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.context import Context
from wpb.service.errors import (
    NotConfigured,
    NotFound,
)
from wpb.service.problems import problem_responses

MAX_PAGE_SIZE = 200

# This component's words for its API problem responses (the shape is wpb.service.problems').
API_WORDS = {
    400: "Ongeldige invoer; invalidParams noemt elke regel of elk veld.",
    401: "Niet ingelogd of token ongeldig.",
    403: "Geen toestemming voor deze actie.",
    404: "Bestaat niet of is niet zichtbaar voor u.",
    409: "Conflict met de huidige status of versie.",
    413: "Bestand te groot.",
    503: "De verrekening is niet ingesteld (WPB_PSEUDONIEM_SLEUTEL).",
}


def api_problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The documented problem responses of an operation, in this component's words."""
    return problem_responses(*statuses, descriptions=API_WORDS)
_CHUNK = 500


# --- common ---------------------------------------------------------------------------------


def pseudonimiseerder(ctx: Context) -> Callable[[str], str]:
    """BSN → the youth's reference under ``WPB_PSEUDONIEM_SLEUTEL`` (memoised per call)."""
    raw = ctx.settings.pseudoniem_sleutel
    if not raw:
        raise NotConfigured(
            "De verrekening is niet ingesteld: WPB_PSEUDONIEM_SLEUTEL ontbreekt (de sleutel "
            "achter de pseudoniemen van de jeugdigen)."
        )
    key = raw.encode("utf-8")
    cache: dict[str, str] = {}

    def apply(bsn: str) -> str:
        if bsn not in cache:
            cache[bsn] = pseudoniem(bsn, key)
        return cache[bsn]

    return apply


def iso(d: date | datetime | None) -> str | None:
    if d is None:
        return None
    if isinstance(d, datetime):
        return d.replace(microsecond=0).isoformat() + "Z"
    return d.isoformat()


def gemeente_view(ctx: Context, code: str) -> dict:
    return {"code": code, "naam": ctx.register.naam(code) if code in ctx.register else None}


def namer(register: GemeenteRegister) -> Callable[[str], str]:
    return lambda code: register.naam(code) if code in register else code


def only_gemeenten(principal: Principal, wat: str) -> None:
    """Settlement between municipalities is theirs and the coordinator's; others see nothing."""
    if not (principal.is_gemeente or principal.is_coordinator):
        raise NotFound(f"{wat} bestaan niet of zijn niet zichtbaar voor u.")


def chunks(items: Sequence, size: int = _CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def audit_per_youth(session: Session, principal: Principal | None, ctx: Context, actie: str,
                     rows: Iterable[Any], key: str = "claims") -> None:
    """One audit entry per youth, listing the records of that youth that were touched (by
    their public id where they have one, S10: a claim's id is its own key)."""
    per: dict[str | None, list[Any]] = {}
    for r in rows:
        per.setdefault(getattr(r, "bsn", None), []).append(getattr(r, "publiek_id", None) or getattr(r, "id", None))
    audit.record_many(
        session, principal,
        [audit.AuditEvent(actie, None, bsn, {key: ids}) for bsn, ids in per.items()],
        now=ctx.now(),
    )
