"""The audit log: who read or changed which youth's data, when, and what they did.

Entries are append-only (the database refuses UPDATE, DELETE and TRUNCATE on the table)
and form a hash chain: each entry's hash covers its own fields and the previous entry's
hash, and the head row ``audit_kop`` holds the newest number and hash (its number may only
grow). Removing, changing or reordering an entry, or cutting entries off the end, breaks
the chain, which :func:`verify_chain` reports by entry number.

With an audit key (setting ``WPB_AUDIT_SLEUTEL``, kept outside the database) the hash is
an HMAC-SHA-256 under that key, and each entry names the key by its fingerprint. Someone
who can write the database but does not hold the key can then not rewrite the chain from
some entry onward: the recomputed hashes would not verify. Entries written before a key
was configured stay unkeyed; an unkeyed entry after a keyed one is a break.
:func:`head_anchor` gives "number:hash" of the newest entry to keep outside the database;
``verify_chain(anchors=...)`` checks the chain still holds them.

Events are collected on the session and appended when it commits (a ``before_commit``
hook): the head row is locked (``SELECT ... FOR UPDATE``; on SQLite every write
transaction is already exclusive) only for the last insert and the commit, so concurrent
requests chain one after the other without holding the lock while they work. A rolled
back transaction leaves no entry. The log holds BSNs by design and is therefore never
passed to the application's logger.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from wpb.service.clock import system_clock, utc_naive
from wpb.service.models import AuditKop, AuditRegel
from wpb.service.tenancy import Principal

GENESIS_HASH = "0" * 64
SYSTEM_ACTOR = "systeem"
MIN_KEY_LENGTH = 32
# Where a session keeps its audit key (set by the session factory) and its pending events.
KEY_INFO = "wpb_audit_sleutel"
_PENDING_INFO = "wpb_audit_wachtend"


class AuditKeyError(ValueError):
    """An audit key that is too short to protect the chain."""


@dataclass(frozen=True)
class AuditKey:
    """The secret behind the keyed chain; only its fingerprint is stored with the entries."""

    secret: bytes = field(repr=False)

    @classmethod
    def from_text(cls, text: str) -> AuditKey:
        if len(text) < MIN_KEY_LENGTH:
            raise AuditKeyError(f"de auditsleutel moet minstens {MIN_KEY_LENGTH} tekens hebben")
        return cls(text.encode("utf-8"))

    @property
    def fingerprint(self) -> str:
        # A one-way label: tells which key made an entry without revealing it.
        return hmac.new(self.secret, b"wpb-auditsleutel", hashlib.sha256).hexdigest()[:16]


def current_key(settings) -> AuditKey | None:
    """The key new entries are made with (``WPB_AUDIT_SLEUTEL``), if one is set."""
    return AuditKey.from_text(settings.audit_sleutel) if settings.audit_sleutel else None


def verification_keys(settings) -> list[AuditKey]:
    """Every key entries may have been made with: the current one and the earlier ones."""
    texts = [settings.audit_sleutel, *settings.audit_oude_sleutels]
    return [AuditKey.from_text(t) for t in texts if t]


def session_info(settings) -> dict:
    """What a session factory gives each session so its audit entries get the current key."""
    key = current_key(settings)
    return {KEY_INFO: key} if key else {}


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
    key: AuditKey | None = None,
) -> str:
    fields = [
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
    ]
    if key is not None:
        fields.append(key.fingerprint)  # so an entry cannot be relabelled to another key
    payload = json.dumps(fields, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if key is None:
        return hashlib.sha256(payload).hexdigest()
    return hmac.new(key.secret, payload, hashlib.sha256).hexdigest()


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
    """Queue the events; they are appended to the chain, in order, when the session commits."""
    events = list(events)
    if not events:
        return
    tijdstip = utc_naive(now or system_clock())
    gebruiker_id = actor.gebruiker_id if actor else None
    gebruikersnaam = actor.gebruikersnaam if actor else SYSTEM_ACTOR
    organisatie = actor.label if actor else SYSTEM_ACTOR
    pending = session.info.setdefault(_PENDING_INFO, [])
    for e in events:
        pending.append(
            {
                "tijdstip": tijdstip,
                "gebruiker_id": gebruiker_id,
                "gebruikersnaam": gebruikersnaam,
                "organisatie": organisatie,
                "actie": e.actie,
                "overdracht_id": e.overdracht_id,
                "bsn": e.bsn,
                "details": canonical_details(e.details),
            }
        )


def append_pending(session: Session) -> int:
    """Append the queued events to the chain now (the commit hook calls this); returns how many."""
    pending = session.info.pop(_PENDING_INFO, None)
    if not pending:
        return 0
    key: AuditKey | None = session.info.get(KEY_INFO)
    head = session.execute(
        select(AuditKop.volgnummer, AuditKop.hash).where(AuditKop.id == 1).with_for_update()
    ).one()
    volgnummer, vorige = head.volgnummer, head.hash
    rows = []
    for entry in pending:
        volgnummer += 1
        digest = entry_hash(
            vorige, volgnummer, entry["tijdstip"], entry["gebruiker_id"], entry["gebruikersnaam"],
            entry["organisatie"], entry["actie"], entry["overdracht_id"], entry["bsn"],
            entry["details"], key,
        )
        rows.append(
            {**entry, "volgnummer": volgnummer, "vorige_hash": vorige, "hash": digest,
             "sleutel": key.fingerprint if key else None}
        )
        vorige = digest
    # Core statements: one multi-row insert instead of an ORM object per entry.
    session.execute(insert(AuditRegel.__table__), rows)
    session.execute(
        update(AuditKop.__table__).where(AuditKop.id == 1).values(volgnummer=volgnummer, hash=vorige)
    )
    return len(rows)


@event.listens_for(Session, "before_commit")
def _append_on_commit(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint's commit is not the end of the work
        append_pending(session)


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop(_PENDING_INFO, None)


@dataclass(frozen=True)
class ChainReport:
    entries: int
    problems: tuple[str, ...]
    keyed: int = 0  # entries protected by a key (HMAC)

    @property
    def intact(self) -> bool:
        return not self.problems


def parse_anchor(text: str) -> tuple[int, str]:
    """ "number:hash" as :func:`head_anchor` prints it."""
    number, sep, digest = text.strip().partition(":")
    if not sep or not number.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"anker {text!r}: verwacht VOLGNUMMER:HASH (64 hexadecimale tekens)")
    return int(number), digest


def head_anchor(session: Session) -> str:
    """The newest entry as "number:hash", to keep outside the database (write-once storage)."""
    head = session.get(AuditKop, 1)
    if head is None:
        raise LookupError("de kop van de auditketen ontbreekt")
    return f"{head.volgnummer}:{head.hash}"


def verify_chain(
    session: Session,
    keys: Iterable[AuditKey] = (),
    anchors: Iterable[tuple[int, str]] = (),
) -> ChainReport:
    """Recompute the whole chain; every break is named by entry number (never by content).

    ``keys`` are the audit keys (current and earlier ones) the entries may have been made
    with; with any key given, the newest entry must be keyed. ``anchors`` are
    (number, hash) pairs kept outside the database; each must still be in the chain.
    """
    by_fingerprint: Mapping[str, AuditKey] = {k.fingerprint: k for k in keys}
    wanted = dict(anchors)
    problems: list[str] = []
    expected_number = 0
    vorige = GENESIS_HASH
    count = keyed = 0
    seen_keyed = last_keyed = False
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
        key = None
        if row.sleutel is not None:
            keyed += 1
            seen_keyed = last_keyed = True
            key = by_fingerprint.get(row.sleutel)
            if key is None:
                problems.append(
                    f"regel {row.volgnummer}: gemaakt met sleutel {row.sleutel}, die niet is opgegeven"
                )
        else:
            last_keyed = False
            if seen_keyed:
                problems.append(f"regel {row.volgnummer}: zonder sleutel na regels met sleutel")
        if row.sleutel is None or key is not None:
            digest = entry_hash(
                row.vorige_hash, row.volgnummer, row.tijdstip, row.gebruiker_id, row.gebruikersnaam,
                row.organisatie, row.actie, row.overdracht_id, row.bsn, row.details, key,
            )
            if digest != row.hash:
                problems.append(f"regel {row.volgnummer}: inhoud past niet bij de opgeslagen hash")
        if row.volgnummer in wanted and wanted.pop(row.volgnummer) != row.hash:
            problems.append(f"regel {row.volgnummer}: hash wijkt af van het bewaarde anker")
        vorige = row.hash
    for number in sorted(wanted):
        problems.append(f"anker {number}: die regel staat niet (meer) in de log")
    if by_fingerprint and count and not last_keyed:
        problems.append(
            "de nieuwste regel is niet met een sleutel beveiligd, terwijl er een sleutel is opgegeven"
        )
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
    return ChainReport(count, tuple(problems), keyed)
