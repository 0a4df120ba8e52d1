"""The audit log: who read or changed which youth's data, when, and what they did.

Entries are append-only (the database refuses UPDATE and DELETE on the table) and form a
hash chain: each entry's hash covers its own fields and the previous entry's hash, and the
head row ``audit_kop`` holds the newest number and hash. Removing, changing or reordering
an entry, or cutting entries off the end, breaks the chain, which :func:`verify_chain`
reports by entry number.

Appending locks the head row (``SELECT ... FOR UPDATE``; on SQLite every write
transaction is already exclusive), so concurrent requests chain one after the other.
The log holds BSNs by design and is therefore never passed to the application's logger.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wpb.service.clock import system_clock, utc_naive
from wpb.service.models import AuditKop, AuditRegel
from wpb.service.tenancy import Principal

GENESIS_HASH = "0" * 64
SYSTEM_ACTOR = "systeem"


@dataclass(frozen=True)
class AuditEvent:
    actie: str  # e.g. "overdracht.lezen", "overdracht.accepteren", "aanlevering.opslaan"
    overdracht_id: int | None = None
    bsn: str | None = None
    details: dict = field(default_factory=dict)


def canonical_details(details: dict) -> str:
    return json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(
    vorige_hash: str,
    volgnummer: int,
    tijdstip: datetime,
    gebruiker_id: int | None,
    gebruikersnaam: str,
    organisatie: str,
    actie: str,
    overdracht_id: int | None,
    bsn: str | None,
    details: str,
) -> str:
    payload = json.dumps(
        [
            vorige_hash,
            volgnummer,
            tijdstip.isoformat(timespec="microseconds"),
            gebruiker_id,
            gebruikersnaam,
            organisatie,
            actie,
            overdracht_id,
            bsn,
            details,
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    session: Session,
    actor: Principal | None,
    actie: str,
    *,
    overdracht_id: int | None = None,
    bsn: str | None = None,
    details: dict | None = None,
    now: datetime | None = None,
) -> None:
    record_many(session, actor, [AuditEvent(actie, overdracht_id, bsn, details or {})], now=now)


def record_many(
    session: Session, actor: Principal | None, events: Iterable[AuditEvent], *, now: datetime | None = None
) -> None:
    """Append the events to the chain, in order, inside the caller's transaction."""
    events = list(events)
    if not events:
        return
    tijdstip = utc_naive(now or system_clock())
    head = session.execute(
        select(AuditKop)
        .where(AuditKop.id == 1)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    volgnummer, vorige = head.volgnummer, head.hash
    gebruiker_id = actor.gebruiker_id if actor else None
    gebruikersnaam = actor.gebruikersnaam if actor else SYSTEM_ACTOR
    organisatie = actor.label if actor else SYSTEM_ACTOR
    for event in events:
        volgnummer += 1
        details = canonical_details(event.details)
        digest = entry_hash(
            vorige, volgnummer, tijdstip, gebruiker_id, gebruikersnaam, organisatie,
            event.actie, event.overdracht_id, event.bsn, details,
        )
        session.add(
            AuditRegel(
                volgnummer=volgnummer,
                tijdstip=tijdstip,
                gebruiker_id=gebruiker_id,
                gebruikersnaam=gebruikersnaam,
                organisatie=organisatie,
                actie=event.actie,
                overdracht_id=event.overdracht_id,
                bsn=event.bsn,
                details=details,
                vorige_hash=vorige,
                hash=digest,
            )
        )
        vorige = digest
    head.volgnummer, head.hash = volgnummer, vorige
    session.flush()


@dataclass(frozen=True)
class ChainReport:
    entries: int
    problems: tuple[str, ...]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_chain(session: Session) -> ChainReport:
    """Recompute the whole chain; every break is named by entry number (never by content)."""
    problems: list[str] = []
    expected_number = 0
    vorige = GENESIS_HASH
    count = 0
    rows = session.execute(
        select(AuditRegel).order_by(AuditRegel.volgnummer).execution_options(yield_per=1000)
    ).scalars()
    for row in rows:
        count += 1
        expected_number += 1
        if row.volgnummer != expected_number:
            problems.append(
                f"regel {row.volgnummer}: volgnummer verwacht {expected_number} "
                "(regels ontbreken of zijn ingevoegd)"
            )
            expected_number = row.volgnummer
        if row.vorige_hash != vorige:
            problems.append(f"regel {row.volgnummer}: verwijst niet naar de hash van de vorige regel")
        digest = entry_hash(
            row.vorige_hash, row.volgnummer, row.tijdstip, row.gebruiker_id, row.gebruikersnaam,
            row.organisatie, row.actie, row.overdracht_id, row.bsn, row.details,
        )
        if digest != row.hash:
            problems.append(f"regel {row.volgnummer}: inhoud past niet bij de opgeslagen hash")
        vorige = row.hash
    head = session.get(AuditKop, 1)
    if head is None:
        problems.append("de kop van de auditketen ontbreekt")
    else:
        if head.volgnummer != expected_number:
            problems.append(
                f"kop: laatste volgnummer {head.volgnummer}, maar de log eindigt bij {expected_number}"
            )
        if head.hash != vorige:
            problems.append("kop: hash past niet bij de laatste regel (regels afgeknipt of vervangen)")
    return ChainReport(count, tuple(problems))
