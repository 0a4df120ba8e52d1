"""The compensatieregeling for youths whose woonplaats is unknown.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from wpb.law.verrekening.compensatie import (
    INGANG_2022,
    Woonplaatsuitkomst,
    compensatielijst,
    selecteer,
)
from wpb.law.verrekening.factuur import Factuur
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.components.overdrachten.models import WET_JEUGDWET, Overdracht
from wpb.service.components.verrekening.common import (
    chunks,
    gemeente_view,
    only_gemeenten,
    pseudonimiseerder,
)
from wpb.service.components.verrekening.facturen import factuur_of
from wpb.service.components.verrekening.models import (
    VerrekeningBeslissing,
    VerrekeningFactuur,
)
from wpb.service.context import Context
from wpb.service.errors import (
    InvalidRequest,
)

# --- compensatieregeling woonplaats onbekend -----------------------------------------------------


def uitkomst_uit_json(bsn: str, doc: dict) -> Woonplaatsuitkomst | None:
    """What the compensation rule reads from a decision as the engine writes it (to_json)."""
    try:
        peildatum = date.fromisoformat(doc["peildatum"])
    except (KeyError, TypeError, ValueError):
        return None
    grondslag = doc.get("grondslag") or {}
    if grondslag.get("wet") not in (None, "Jeugdwet"):
        return None
    if grondslag.get("begrip") not in (None, "woonplaats"):
        # A review geen_jeugdige cites the definition "jeugdige": no clause of woonplaats.
        grondslag = {}
    vanaf = grondslag.get("geldigVanaf")
    used = doc.get("gebruikteGegevens") or []
    stays = [u.get("begin") for u in used if isinstance(u, dict) and u.get("rol") == "verblijf"]
    begins = sorted(date.fromisoformat(b) for b in stays if isinstance(b, str))
    reden = (doc.get("reden") or {}).get("code")
    return Woonplaatsuitkomst(
        bsn=bsn,
        peildatum=peildatum,
        regel_vanaf=date.fromisoformat(vanaf) if isinstance(vanaf, str) else None,
        onderdeel=grondslag.get("onderdeel"),
        gemeente=(doc.get("gemeente") or {}).get("code") if doc.get("status") == "bepaald" else None,
        werkelijke_verblijfplaats=any(
            isinstance(u, dict) and u.get("rol") == "werkelijke verblijfplaats bij de hulpvraag"
            for u in used
        ),
        verblijf_sinds=begins[0] if begins else None,
        ontbreekt_verblijf=doc.get("status") == "review"
        and reden == "werkelijke_verblijfplaats_ontbreekt",
    )


def compensatie(session: Session, principal: Principal, ctx: Context, *,
                van: date = INGANG_2022, tot: date | None = None) -> dict:
    """The compensatieregeling list: per gemeente the youths without a traceable woonplaats
    under the 2022 rule that were in care with stay before 2022, with their care costs.

    Decisions come from the transfers (their woonplaats check) and from the decisions
    registered for the settlement; per youth the most recent counts. A gemeente sees its
    own list; youths whose gemeente a person must still decide are for the coordinator.
    """
    only_gemeenten(principal, "Compensatielijsten")
    pseudo = pseudonimiseerder(ctx)
    if tot is not None and tot <= van:
        raise InvalidRequest("Ongeldige periode.", [("tot", f"ligt niet na van ({van})")])
    uitkomsten: list[Woonplaatsuitkomst] = []
    for bsn, text in session.execute(
        select(Overdracht.bsn, Overdracht.woonplaats_beslissing)
        .where(Overdracht.woonplaats_beslissing.is_not(None), Overdracht.wet == WET_JEUGDWET)
    ):
        u = uitkomst_uit_json(bsn, json.loads(text))
        if u is not None:
            uitkomsten.append(u)
    for bsn, text in session.execute(
        select(VerrekeningBeslissing.bsn, VerrekeningBeslissing.beslissing)
        .where(VerrekeningBeslissing.beslissing.is_not(None))
    ):
        u = uitkomst_uit_json(bsn, json.loads(text))
        if u is not None:
            uitkomsten.append(u)
    kandidaten = selecteer(uitkomsten)
    if principal.is_gemeente:
        kandidaten = tuple(k for k in kandidaten if k.gemeente == principal.code)
    bsns = sorted({k.bsn for k in kandidaten})
    facturen: list[Factuur] = []
    for chunk in chunks(bsns):
        facturen += [factuur_of(r) for r in session.scalars(
            select(VerrekeningFactuur).where(VerrekeningFactuur.bsn.in_(chunk))
        )]
    lijst = compensatielijst(kandidaten, facturen, pseudoniem=pseudo, van=van, tot=tot)
    audit.record_many(
        session, principal,
        [audit.AuditEvent("compensatie.lezen", None, k.bsn, {"grond": k.grond.value})
         for k in kandidaten],
        now=ctx.now(),
    )
    out = lijst.to_json()
    for g in out["gemeenten"]:
        g["gemeente"] = gemeente_view(ctx, g["gemeente"])
    return out
