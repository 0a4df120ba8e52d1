"""Keep and read BRP documents per organisation; every query is scoped to the caller.

Other components call :func:`brp_document_for` (one youth) or :func:`documents_for` (a
caseload). A read is audited (``brp.lezen``), a write too (``brp.opslaan``); the audit
details never hold the BSN (it has its own column there).

A document is the BRP part of the case JSON: ``jeugdige`` and, when known, ``moeder``, in
Haal Centraal field names (:func:`wpb.brp.bronnen.read_document` reads it). Data fetched
from the Haal Centraal APIs is written back in that shape (:func:`document_from_gegevens`),
with the API's own receipts (endpoint, fetch time, SHA-256 of the answer) kept beside it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from wpb.brp.bronnen import BrpGegevens, Herkomst, read_document
from wpb.brp.haal_centraal_json import datum as datum_json
from wpb.brp.haal_centraal_json import verblijfplaats as verblijfplaats_json
from wpb.errors import FieldError, InvalidInput
from wpb.law.facts import Persoon
from wpb.law.gemeenten import GemeenteRegister
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.clock import utc_naive
from wpb.service.components.beheer.models import Organisatie
from wpb.service.components.brp.models import BRONNEN, BrpDocument

# Reads of a whole caseload are chunked: a database limits the parameters of one query.
_CHUNK = 500


@dataclass(frozen=True)
class Provenance:
    """Where a stored document came from: enough to trace a decision to its data."""

    bron: str  # haal-centraal | upload | gba-v | map
    bron_detail: str
    opgehaald_op: datetime
    sha256: str  # of the stored document
    opgehaald_door: int | None
    herkomst: tuple[dict, ...]  # the source's own receipts

    def to_json(self) -> dict:
        return {
            "bron": self.bron, "bronDetail": self.bron_detail,
            "opgehaaldOp": self.opgehaald_op.isoformat(), "sha256": self.sha256,
            "herkomst": list(self.herkomst),
        }


def canonical(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def checksum(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _provenance(row: BrpDocument) -> Provenance:
    return Provenance(row.bron, row.bron_detail, row.opgehaald_op, row.sha256,
                      row.opgehaald_door, tuple(json.loads(row.herkomst or "[]")))


def save_document(
    session: Session, principal: Principal, register: GemeenteRegister, bsn: str,
    document: Any, *, bron: str, bron_detail: str = "",
    herkomst: Iterable[Herkomst] = (), now: datetime,
) -> Provenance:
    """Keep ``document`` as the caller's organisation's BRP data of ``bsn`` (replacing its
    earlier one). Raises :class:`InvalidInput` when it cannot be read as a case's BRP part
    or names another youth; nothing is kept then."""
    if bron not in BRONNEN:
        raise ValueError(f"onbekende bron {bron!r}")
    jeugdige, _ = read_document(document, register, "BRP-document")
    if jeugdige.burgerservicenummer not in (None, bsn):
        raise InvalidInput([FieldError("jeugdige.burgerservicenummer",
                                       "hoort bij een andere jeugdige")], bron="BRP-document")
    text = canonical(document)
    row = session.scalar(select(BrpDocument).where(
        BrpDocument.eigenaar_id == principal.organisatie_id, BrpDocument.bsn == bsn))
    if row is None:
        row = BrpDocument(eigenaar_id=principal.organisatie_id, bsn=bsn)
        session.add(row)
    row.document = text
    row.bron = bron
    row.bron_detail = bron_detail[:300]
    row.herkomst = json.dumps([h.to_json() for h in herkomst], sort_keys=True)
    row.opgehaald_op = utc_naive(now)
    row.sha256 = checksum(text)
    row.opgehaald_door = principal.gebruiker_id
    session.flush()
    audit.record(session, principal, "brp.opslaan", bsn=bsn,
                 details={"bron": bron, "sha256": row.sha256}, now=now)
    return _provenance(row)


def keep_historie_answer(
    session: Session, principal: Principal, register: GemeenteRegister, bsn: str,
    geboortedatum: date, answer: dict, *, url: str, now: datetime,
) -> Provenance:
    """Keep one youth's verblijfplaatshistorie answer, fetched from the Haal Centraal API for
    the woonplaatstoets of a transfer, in the caller's store, so the next check of this
    youth (another transfer, the woonplaatscheck of the caseload) reads it there instead of
    asking the BRP again. The answer carries no birth date; the transfer's is used, as the
    woonplaatstoets does. The receipt holds the endpoint, the fetch time and the SHA-256 of
    the answer; the stored document gets its own SHA-256 and fetch time."""
    history = answer.get("verblijfplaatsen", answer.get("verblijfplaatshistorie", []))
    document = {"jeugdige": {
        "burgerservicenummer": bsn,
        "geboorte": {"datum": {"type": "Datum", "datum": geboortedatum.isoformat()}},
        "verblijfplaatshistorie": history,
    }}
    receipt = Herkomst(f"{url} (verblijfplaatshistorie)", now, checksum(canonical(answer)))
    return save_document(session, principal, register, bsn, document, bron="haal-centraal",
                         bron_detail=url, herkomst=(receipt,), now=now)


def brp_document_for(
    session: Session, organisation: Principal, bsn: str, *, now: datetime | None = None,
) -> tuple[dict, Provenance] | None:
    """The document the caller's organisation keeps for ``bsn``, or None. Never another
    organisation's document, even for the same youth. The read is audited."""
    row = session.scalar(select(BrpDocument).where(
        BrpDocument.eigenaar_id == organisation.organisatie_id, BrpDocument.bsn == bsn))
    if row is None:
        return None
    audit.record(session, organisation, "brp.lezen", bsn=bsn,
                 details={"sha256": row.sha256}, now=now)
    return json.loads(row.document), _provenance(row)


def gemeente_document_for(
    session: Session, gemeente: str, bsn: str, *, doel: str, now: datetime | None = None,
) -> tuple[dict, Provenance] | None:
    """The document the gemeente with code ``gemeente`` keeps for ``bsn``, or None: for work
    the service does on that gemeente's behalf without one of its users acting (a JW315
    addressed to it). The same scope as :func:`brp_document_for`: only that gemeente's own
    row, never another organisation's. The read is audited as the service's, for the
    gemeente and ``doel``."""
    row = session.scalar(
        select(BrpDocument)
        .join(Organisatie, Organisatie.id == BrpDocument.eigenaar_id)
        .where(Organisatie.soort == "gemeente", Organisatie.code == gemeente, BrpDocument.bsn == bsn))
    if row is None:
        return None
    audit.record(session, None, "brp.lezen", bsn=bsn,
                 details={"sha256": row.sha256, "voor": f"gemeente:{gemeente}", "doel": doel}, now=now)
    return json.loads(row.document), _provenance(row)


def documents_for(
    session: Session, organisation: Principal, bsns: Iterable[str], *, doel: str,
    now: datetime | None = None,
) -> dict[str, tuple[dict, Provenance]]:
    """The caller's documents for many youths at once (a caseload); one audit entry says
    how many were read and for what (``doel``)."""
    wanted = list(dict.fromkeys(bsns))
    found: dict[str, tuple[dict, Provenance]] = {}
    for i in range(0, len(wanted), _CHUNK):
        rows = session.scalars(select(BrpDocument).where(
            BrpDocument.eigenaar_id == organisation.organisatie_id,
            BrpDocument.bsn.in_(wanted[i:i + _CHUNK])))
        for row in rows:
            found[row.bsn] = (json.loads(row.document), _provenance(row))
    audit.record(session, organisation, "brp.lezen",
                 details={"doel": doel, "gevraagd": len(wanted), "gevonden": len(found)}, now=now)
    return found


def with_documents(session: Session, organisation: Principal, bsns: Iterable[str]) -> set[str]:
    """Which of ``bsns`` have a document of the caller (no content read, so not audited)."""
    wanted = list(dict.fromkeys(bsns))
    found: set[str] = set()
    for i in range(0, len(wanted), _CHUNK):
        found.update(session.scalars(select(BrpDocument.bsn).where(
            BrpDocument.eigenaar_id == organisation.organisatie_id,
            BrpDocument.bsn.in_(wanted[i:i + _CHUNK]))))
    return found


def remove_documents(session: Session, organisation: Principal, bsns: Iterable[str], *,
                     now: datetime | None = None) -> int:
    """Delete the caller's documents of ``bsns`` (retention: clients who left the caseload)."""
    wanted = list(dict.fromkeys(bsns))
    removed = 0
    for i in range(0, len(wanted), _CHUNK):
        result = session.execute(delete(BrpDocument).where(
            BrpDocument.eigenaar_id == organisation.organisatie_id,
            BrpDocument.bsn.in_(wanted[i:i + _CHUNK])))
        removed += result.rowcount or 0
    if removed:
        audit.record(session, organisation, "brp.verwijderen",
                     details={"aantal": removed}, now=now)
    return removed


def _persoon_json(p: Persoon) -> dict:
    out: dict = {"verblijfplaatshistorie": [verblijfplaats_json(v) for v in p.historie]}
    if p.burgerservicenummer:
        out["burgerservicenummer"] = p.burgerservicenummer
    if p.geboortedatum is not None:
        out["geboorte"] = {"datum": datum_json(p.geboortedatum)}
    return out


def document_from_gegevens(g: BrpGegevens) -> dict:
    """A fetched youth (and mother) as a stored document, in Haal Centraal field names."""
    doc = {"jeugdige": _persoon_json(g.jeugdige)}
    if not g.jeugdige.burgerservicenummer:
        doc["jeugdige"]["burgerservicenummer"] = g.bsn
    if g.moeder is not None:
        doc["moeder"] = _persoon_json(g.moeder)
    return doc
