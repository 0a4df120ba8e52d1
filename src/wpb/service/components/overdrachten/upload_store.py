"""Storing the valid rows of a checked upload: all or nothing, confirmed with the check's code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wpb.law.gemeenten import GemeenteRegister
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.clock import system_clock, utc_naive
from wpb.service.components.overdrachten.models import (
    Aanlevering,
    Gebeurtenis,
    Overdracht,
    OverdrachtRegel,
)
from wpb.service.components.overdrachten.upload_check import UploadCheck, check_upload
from wpb.service.components.overdrachten.upload_file import Limits
from wpb.service.errors import Conflict, InvalidRequest
from wpb.service.web.dutch import dutch_date


@dataclass(frozen=True)
class StoredUpload:
    """What an upload stored, by public ids (:mod:`wpb.service.public_ids`, S10)."""

    aanlevering_id: str
    check: UploadCheck
    nieuwe_overdrachten: tuple[str, ...]
    aangevulde_overdrachten: tuple[str, ...]

    def to_json(self) -> dict:
        return {
            "aanleveringId": self.aanlevering_id,
            "regelsOpgeslagen": len(self.check.geldig),
            "regelsAfgewezen": len(self.check.afgewezen_regels),
            "nieuweOverdrachten": list(self.nieuwe_overdrachten),
            "aangevuldeOverdrachten": list(self.aangevulde_overdrachten),
            "afgewezen": [e.to_json() for e in self.check.afgewezen],
        }


# --- storing -------------------------------------------------------------------------------


def store_upload(
    session: Session,
    principal: Principal,
    content: bytes,
    bestandsnaam: str,
    controle: str,
    *,
    register: GemeenteRegister,
    limits: Limits,
    now: datetime | None = None,
) -> StoredUpload:
    """Store the valid rows of a checked file, all or nothing, after the user confirmed.

    ``controle`` is the code the check returned. When the file or the stored data changed
    since (so other rows would be stored than the user saw), nothing is stored and
    :class:`Conflict` is raised.
    """
    moment = now or system_clock()
    result = check_upload(
        session, principal, content, bestandsnaam,
        register=register, limits=limits, now=moment, record_audit=False,
    )
    if not controle or controle != result.controle:
        raise Conflict(
            "De controle hoort niet bij dit bestand of de gegevens zijn intussen gewijzigd; "
            "controleer het bestand opnieuw en bevestig daarna.",
            extra={"controle": result.controle},
        )
    if not result.geldig:
        raise InvalidRequest(
            "Het bestand heeft geen geldige regels; er is niets opgeslagen.",
            [(f"regel {e.regel}" + (f", kolom {e.kolom}" if e.kolom else ""), e.reden)
             for e in result.afgewezen],
        )
    try:
        (upload_id, upload_public), created, extended, public = _insert(
            session, principal, result, utc_naive(moment))
    except IntegrityError:
        # Another upload stored the same youth between our check and our insert.
        raise Conflict(
            "Een gelijktijdige aanlevering heeft dezelfde jeugdige opgeslagen; "
            "controleer het bestand opnieuw."
        ) from None
    events = [
        audit.AuditEvent(
            "aanlevering.opslaan", overdracht_id=oid, bsn=bsn,
            details={"aanleveringId": upload_id, "nieuw": nieuw},
        )
        for (bsn, oid), nieuw in [*((item, True) for item in created.items()),
                                  *((item, False) for item in extended.items())]
    ]
    audit.record_many(session, principal, events, now=moment)
    return StoredUpload(
        aanlevering_id=upload_public,
        check=result,
        nieuwe_overdrachten=tuple(public[oid] for oid in created.values()),
        aangevulde_overdrachten=tuple(public[oid] for oid in extended.values()),
    )


# Stored with SQLAlchemy Core, a few statements for the whole file: through the ORM's unit of
# work an upload cost several times the CPU (the service's costliest request under load).
_T, _R, _G, _A = (model.__table__ for model in (Overdracht, OverdrachtRegel, Gebeurtenis, Aanlevering))
_ADD_UPLOAD = insert(_A).returning(_A.c.id, _A.c.publiek_id)
_ADD_TRANSFERS = insert(_T).returning(_T.c.id, _T.c.publiek_id, sort_by_parameter_order=True)
_ADD_LINES = insert(_R)
_ADD_EVENTS = insert(_G)
_TOUCH = update(_T).where(_T.c.id == bindparam("w_id")).values(gewijzigd_op=bindparam("v_stamp"))
_EXTENDED = select(_T.c.id, _T.c.publiek_id, _T.c.bsn, _T.c.status, _T.c.aanleverdatum).where(
    _T.c.id.in_(bindparam("ids", expanding=True)))


def _insert(
    session: Session, principal: Principal, result: UploadCheck, stamp: datetime
) -> tuple[tuple[int, str], dict[str, int], dict[str, int], dict[int, str]]:
    """Store the upload, its new transfers, lines and events; ((upload id, its public id),
    new transfer id per BSN, extended transfer id per BSN, in the order of the file; and the
    public id of each of these transfers)."""
    connection = session.connection()
    datum = result.aanleverdatum
    upload_id, upload_public = connection.execute(_ADD_UPLOAD, {
        "gemeente": principal.code, "gebruiker_id": principal.gebruiker_id, "tijdstip": stamp,
        "datum": datum, "bestandsnaam": result.label, "sha256": result.sha256,
        "regels_totaal": result.regels_totaal, "regels_opgeslagen": len(result.geldig),
        "regels_afgewezen": len(result.afgewezen_regels),
    }).one()
    public: dict[int, str] = {}
    new_rows = {row.bsn: row for row in result.geldig if row.bestaande_overdracht_id is None}
    created: dict[str, int] = {}
    if new_rows:
        ids = connection.execute(_ADD_TRANSFERS, [
            {"latende_gemeente": principal.code, "ontvangende_gemeente": row.ontvangende_gemeente,
             "bsn": row.bsn, "geboortedatum": row.geboortedatum, "status": "aangeleverd", "versie": 1,
             "wet": row.wet, "vanaf": row.vanaf, "aanleverdatum": datum, "aanlevering_id": upload_id,
             "aangemaakt_op": stamp, "gewijzigd_op": stamp}
            for row in new_rows.values()
        ]).all()
        created = dict(zip(new_rows, (oid for oid, _ in ids), strict=True))
        public.update(dict(ids))
    extended_ids = list(dict.fromkeys(
        row.bestaande_overdracht_id for row in result.geldig if row.bestaande_overdracht_id is not None))
    extended = [o for start in range(0, len(extended_ids), 500)
                for o in connection.execute(_EXTENDED, {"ids": extended_ids[start : start + 500]})]
    position = {oid: n for n, oid in enumerate(extended_ids)}
    extended.sort(key=lambda o: position[o.id])
    public.update({o.id: o.publiek_id for o in extended})
    transfer_of = {**created, **{o.bsn: o.id for o in extended}}
    connection.execute(_ADD_LINES, [
        {"overdracht_id": transfer_of[row.bsn], "aanbieder_agb": row.aanbieder_agb,
         "product": row.product, "toewijzing_einddatum": row.toewijzing_einddatum, "pgb": row.pgb,
         "aanleverdatum": datum, "aanlevering_id": upload_id}
        for row in result.geldig
    ])
    who = {"tijdstip": stamp, "datum": datum, "organisatie": principal.label,
           "gebruiker_id": principal.gebruiker_id}
    events = [
        {**who, "overdracht_id": oid, "soort": "aangeleverd", "van_status": None,
         "naar_status": "aangeleverd", "toelichting": f"aangeleverd in {result.label}"}
        for oid in created.values()
    ] + [
        {**who, "overdracht_id": o.id, "soort": "aangevuld", "van_status": o.status,
         "naar_status": o.status,
         "toelichting": f"regels toegevoegd uit {result.label}; aanleverdatum blijft "
                        f"{dutch_date(o.aanleverdatum)}"}
        for o in extended
    ]
    if events:
        connection.execute(_ADD_EVENTS, events)
    if extended:
        connection.execute(_TOUCH, [{"w_id": o.id, "v_stamp": stamp} for o in extended])
    return (upload_id, upload_public), created, {o.bsn: o.id for o in extended}, public
