"""Import a gemeente's caseload: check the file, then replace the caseload on confirmation.

The flow is the transfer upload's: :func:`check_import` reads the file and stores nothing;
it answers every bad row (row, column, reason; a BSN only masked) and a ``controle`` code.
:func:`store_import` reads the same file again and stores its valid rows only when the
code still matches (the same file, the same valid rows). It replaces the caseload in one
transaction and reports what is new, ended and changed (:func:`wpb.caseload.diff.verschil`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import Session

from wpb.caseload.diff import Verschil, verschil
from wpb.caseload.model import Toewijzing, mask_bsn
from wpb.caseload.read import Inlezing, bevestig
from wpb.law.gemeenten import GemeenteRegister
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.clock import utc_naive
from wpb.service.components.brp.store import remove_documents
from wpb.service.components.clientenbestand import bestand
from wpb.service.components.clientenbestand.models import ClientenbestandImport, ClientToewijzing
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.errors import Conflict, Forbidden, InvalidRequest

_FIELDS = ("bsn", "geboortedatum", "aanbieder_agb", "productcategorie", "productcode",
           "begindatum", "einddatum", "verblijf", "verblijf_uit_categorie", "wet", "vorm",
           "verblijf_sinds", "aanmeldgemeente", "aanmelddatum", "indicatie_begin",
           "toewijzingnummer")
_INSERT_CHUNK = 5_000


def require_gemeente(principal: Principal) -> None:
    if not principal.is_gemeente:
        raise Forbidden("Alleen een gemeente heeft een cliëntenbestand.")


def to_row(t: Toewijzing, owner: int) -> dict:
    return {"eigenaar_id": owner, "regel": t.bron[:120], **{f: getattr(t, f) for f in _FIELDS}}


def stored_caseload(session: Session, principal: Principal) -> list[Toewijzing]:
    """The caller's caseload (only the caller's), in import order."""
    # Plain rows, not ORM objects: a large city's caseload is 100,000 of them.
    columns = [ClientToewijzing.regel, *(getattr(ClientToewijzing, f) for f in _FIELDS)]
    rows = session.execute(select(*columns).where(
        ClientToewijzing.eigenaar_id == principal.organisatie_id).order_by(ClientToewijzing.id))
    return [Toewijzing(bron=r[0], **dict(zip(_FIELDS, r[1:], strict=True))) for r in rows]


def _controle(content: bytes, inlezing: Inlezing) -> str:
    digest = hashlib.sha256(content)
    digest.update(repr((len(inlezing.toewijzingen), inlezing.foute_regels)).encode())
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class Controle:
    inlezing: Inlezing
    controle: str
    verschil: Verschil | None  # against the stored caseload; None when nothing can be kept

    def to_json(self) -> dict:
        i = self.inlezing
        return {
            "regels": i.regels,
            "geldig": len(i.toewijzingen),
            "ongeldig": i.aantal_fout,
            "onleesbaar": i.onleesbaar,
            "fouten": [f.to_json() for f in i.fouten],
            "controle": self.controle,
            "verschil": self.verschil.counts() if self.verschil else None,
        }


def check_import(session: Session, principal: Principal, content: bytes, naam: str,
                 register: GemeenteRegister) -> Controle:
    """Read the file and compare it with the stored caseload; nothing is stored."""
    require_gemeente(principal)
    inlezing = bestand.read_upload(content, naam, principal.code, register)
    diff = None if inlezing.onleesbaar else verschil(
        stored_caseload(session, principal), inlezing.toewijzingen)
    return Controle(inlezing, _controle(content, inlezing), diff)


@dataclass(frozen=True)
class Import:
    id: str  # the import's public id (S10)
    regels: int
    bewaard: int
    verschil: Verschil

    def to_json(self) -> dict:
        return {
            "id": self.id, "regels": self.regels, "bewaard": self.bewaard,
            **self.verschil.counts(),
            "beeindigdeClienten": sorted({mask_bsn(w.oud.bsn) for w in self.verschil.beeindigd
                                          if w.nieuw is None})[:50],
        }


def store_import(session: Session, principal: Principal, content: bytes, naam: str,
                 controle: str, register: GemeenteRegister, now: datetime) -> Import:
    """Replace the caller's caseload with the file's valid rows, in this one transaction."""
    check = check_import(session, principal, content, naam, register)
    if check.inlezing.onleesbaar:
        raise InvalidRequest("Het bestand is niet te lezen; er is niets bewaard.",
                             [(f.kolom or "bestand", f.reden) for f in check.inlezing.fouten])
    if controle != check.controle:
        raise Conflict("De controlecode past niet bij dit bestand; controleer het bestand opnieuw.")
    kept = bevestig(check.inlezing, alleen_geldige=True)
    assert check.verschil is not None
    owner = principal.organisatie_id
    session.execute(delete(ClientToewijzing).where(ClientToewijzing.eigenaar_id == owner))
    rows = [to_row(t, owner) for t in kept]
    for i in range(0, len(rows), _INSERT_CHUNK):
        session.execute(insert(ClientToewijzing), rows[i:i + _INSERT_CHUNK])
    counts = check.verschil.counts()
    record = ClientenbestandImport(
        eigenaar_id=owner, ingelezen_op=utc_naive(now), ingelezen_door=principal.gebruiker_id,
        sha256="sha256:" + hashlib.sha256(content).hexdigest(), regels=check.inlezing.regels,
        bewaard=len(kept), **counts,
    )
    session.add(record)
    session.flush()
    _remove_brp_of_departed(session, principal, check.verschil, kept, now)
    audit.record(session, principal, "clientenbestand.inlezen", details={
        "import": record.publiek_id, "regels": record.regels, "bewaard": record.bewaard,
        "ongeldig": check.inlezing.aantal_fout, **counts,
    }, now=now)
    return Import(record.publiek_id, check.inlezing.regels, len(kept), check.verschil)


def _remove_brp_of_departed(session: Session, principal: Principal, diff: Verschil,
                            kept: tuple[Toewijzing, ...], now: datetime) -> None:
    """Retention (docs/architecture.md, "Storage decisions"): the tenant's BRP document of a
    client who left the caseload goes, unless the tenant has a transfer of that youth."""
    staying = {t.bsn for t in kept}
    departed = {w.oud.bsn for w in diff.beeindigd if w.nieuw is None} - staying
    if not departed:
        return
    in_transfers = set(session.scalars(select(Overdracht.bsn).where(
        Overdracht.bsn.in_(sorted(departed)),
        or_(Overdracht.latende_gemeente == principal.code,
            Overdracht.ontvangende_gemeente == principal.code))))
    remove_documents(session, principal, departed - in_transfers, now=now)
