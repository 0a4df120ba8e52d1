"""The audit log: who read or changed which youth's data, when, and what they did.

Entries are append-only and form a hash chain: each entry's hash covers its own fields
and the previous entry's hash, and the head row ``audit_kop`` holds the newest number and
hash (its number may only grow). Removing, changing or reordering an entry, or cutting
entries off the end, breaks the chain, which :func:`verify_chain` reports by entry number.

Two steps, so that audited requests do not queue behind one lock (finding F4 in
docs/reliability.md):

1. **Recording.** A unit of work collects its events and inserts them when it commits
   (a ``before_commit`` hook), in the same transaction as the work: they stand or fall
   together. The entries have no place in the chain yet; nothing is locked.
2. **Sealing.** :func:`seal` locks the head, gives the waiting entries their
   ``volgnummer`` in order of insertion, chains their hashes and moves the head. The
   service runs an :class:`AuditSealer` thread that seals every half second (and once
   more when it stops); ``wpb audit seal`` does it by hand. The database lets an entry
   be changed once, from unsealed to sealed, and only in those columns.

With an audit key (setting ``WPB_AUDIT_SLEUTEL``, kept outside the database) the hash is
an HMAC-SHA-256 under that key, and each entry names the key by its fingerprint. Someone
who can write the database but does not hold the key can then not rewrite the chain from
some entry onward: the recomputed hashes would not verify. Entries sealed before a key
was configured stay unkeyed; an unkeyed entry after a keyed one is a break.
:func:`head_anchor` gives "number:hash" of the newest entry to keep outside the database;
``verify_chain(anchors=...)`` checks the chain still holds them.

What this leaves open: an entry is protected from the moment it is sealed, normally
within a second; before that, someone with write access could remove it unseen. The log
holds BSNs by design and is therefore never passed to the application's logger.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, event, func, select, update
from sqlalchemy.orm import Session

from wpb.service.audit.models import AuditKop, AuditRegel
from wpb.service.auth.principal import Principal
from wpb.service.clock import system_clock, utc_naive

log = logging.getLogger("wpb.service.audit")

GENESIS_HASH = "0" * 64
SYSTEM_ACTOR = "systeem"

# The database's own guards of the log and its head (migration 0004), as (trigger, table):
# besides the chain, they are what stops a change through SQL.
GUARD_TRIGGERS = {
    "sqlite": (("audit_log_no_update", "audit_log"), ("audit_log_no_delete", "audit_log"),
               ("audit_kop_no_delete", "audit_kop"), ("audit_kop_only_forward", "audit_kop")),
    "postgresql": (("audit_log_guard", "audit_log"), ("audit_log_no_truncate", "audit_log"),
                   ("audit_kop_guard", "audit_kop"), ("audit_kop_no_truncate", "audit_kop")),
}
MIN_KEY_LENGTH = 32
# Where a session keeps the events it will insert when it commits.
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


@dataclass(frozen=True)
class AuditEvent:
    actie: str  # e.g. "overdracht.lezen", "overdracht.accepteren", "aanlevering.opslaan"
    overdracht_id: int | None = None
    bsn: str | None = None
    details: dict = field(default_factory=dict)


def canonical_details(details: dict) -> str:
    if not details:
        return "{}"  # most entries: a list's views
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


_CONTENT = ("tijdstip", "gebruiker_id", "gebruikersnaam", "organisatie", "actie", "overdracht_id",
            "bsn", "details")


def record_many(
    session: Session, actor: Principal | None, events: Iterable[AuditEvent], *, now: datetime | None = None
) -> None:
    """Queue the events; they are inserted, in order, when the session commits."""
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


_INSERT_CHUNK = 500  # rows per INSERT: 8 parameters each stays far below every driver's limit


def append_pending(session: Session) -> int:
    """Insert the queued events now (the commit hook calls this); returns how many."""
    pending = session.info.pop(_PENDING_INFO, None)
    if not pending:
        return 0
    connection = session.connection()
    # Plain driver SQL: this runs on every audited request, and SQLAlchemy's statement
    # compilation would cost more than the insert itself.
    if connection.dialect.name == "postgresql":
        # A constant statement (prepared by psycopg after a few uses) with one parameter,
        # however many entries: the entries as one JSON text, which the C encoder writes
        # several times faster than the driver packs eight arrays.
        connection.exec_driver_sql(_PG_INSERT, (_as_json(pending),))
        return len(pending)
    one = "(" + ", ".join(["?"] * len(_CONTENT)) + ")"
    for start in range(0, len(pending), _INSERT_CHUNK):
        chunk = pending[start : start + _INSERT_CHUNK]
        # One multi-row INSERT: one round trip for a page of 20 entries, not 20.
        connection.exec_driver_sql(
            f"INSERT INTO audit_log ({', '.join(_CONTENT)}) VALUES " + ", ".join([one] * len(chunk)),
            tuple(entry[name] for entry in chunk for name in _CONTENT),
        )
    return len(pending)


def _as_json(rows: list[dict]) -> str:
    # Timestamps as ISO text with microseconds: PostgreSQL reads them back exactly.
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"),
                      default=lambda v: v.isoformat(timespec="microseconds"))


_PG_TYPES = ("timestamp", "integer", "text", "text", "text", "integer", "text", "text")
_PG_INSERT = (
    f"INSERT INTO audit_log ({', '.join(_CONTENT)}) SELECT {', '.join(_CONTENT)} FROM "
    "json_to_recordset(%s::json) AS e("
    + ", ".join(f"{name} {t}" for name, t in zip(_CONTENT, _PG_TYPES, strict=True)) + ")"
)
_PG_SEAL = (
    "UPDATE audit_log AS a SET volgnummer = v.volgnummer, vorige_hash = v.vorige_hash, "
    "hash = v.hash, sleutel = v.sleutel "
    "FROM json_to_recordset(%s::json) "
    "AS v(id bigint, volgnummer integer, vorige_hash text, hash text, sleutel text) "
    "WHERE a.id = v.id AND a.volgnummer IS NULL"
)


@event.listens_for(Session, "before_commit")
def _append_on_commit(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint's commit is not the end of the work
        append_pending(session)


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop(_PENDING_INFO, None)


# Built once: the sealer runs twice a second in every service process.
_LOG = AuditRegel.__table__
_WAITING = (
    select(_LOG.c.id, *(_LOG.c[name] for name in _CONTENT))
    .where(_LOG.c.volgnummer.is_(None)).order_by(_LOG.c.id).limit(bindparam("limit"))
)


def seal(session: Session, key: AuditKey | None = None, *, limit: int = 5000) -> int:
    """Chain the waiting entries (at most ``limit``, oldest first); returns how many.

    Takes the head's lock; on PostgreSQL a sealer that finds it taken returns 0 at once
    (another process is sealing), so sealers never queue behind each other.
    """
    head_query = select(AuditKop.volgnummer, AuditKop.hash).where(AuditKop.id == 1)
    is_pg = session.get_bind().dialect.name == "postgresql"
    head = session.execute(
        head_query.with_for_update(skip_locked=True) if is_pg else head_query
    ).one_or_none()
    if head is None:  # PostgreSQL: another sealer holds it (or it is gone: verify says so)
        if not is_pg:
            raise LookupError("de kop van de auditketen ontbreekt")
        return 0
    waiting = session.connection().execute(_WAITING, {"limit": limit}).all()
    if not waiting:
        return 0
    volgnummer, vorige = head.volgnummer, head.hash
    label = key.fingerprint if key else None
    sealed = []
    for row in waiting:
        volgnummer += 1
        digest = entry_hash(
            vorige, volgnummer, row.tijdstip, row.gebruiker_id, row.gebruikersnaam, row.organisatie,
            row.actie, row.overdracht_id, row.bsn, row.details, key,
        )
        sealed.append({"id": row.id, "volgnummer": volgnummer, "vorige_hash": vorige, "hash": digest,
                       "sleutel": label})
        vorige = digest
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # One constant statement for the whole batch, the entries as one JSON text.
        connection.exec_driver_sql(_PG_SEAL, (_as_json(sealed),))
    else:
        connection.exec_driver_sql(
            "UPDATE audit_log SET volgnummer = :volgnummer, vorige_hash = :vorige_hash, hash = :hash, "
            "sleutel = :sleutel WHERE id = :id AND volgnummer IS NULL",
            sealed,
        )
    session.execute(
        update(AuditKop.__table__).where(AuditKop.id == 1).values(volgnummer=volgnummer, hash=vorige)
    )
    return len(sealed)


def seal_all(factory, key: AuditKey | None = None, *, limit: int = 5000) -> int:
    """Seal until nothing waits (one transaction per ``limit`` entries); returns how many."""
    total = 0
    while True:
        with factory() as session, session.begin():
            done = seal(session, key, limit=limit)
        total += done
        if done < limit:
            return total


class AuditSealer:
    """A thread that seals waiting entries every ``interval`` seconds while the service runs."""

    def __init__(self, factory, key: AuditKey | None, interval: float = 0.5):
        self.factory, self.key, self.interval = factory, key, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="wpb-auditzegel", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop, and seal what is still waiting, so a stopped service leaves nothing open."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self._seal_quietly()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._seal_quietly()

    def _seal_quietly(self) -> None:
        try:
            seal_all(self.factory, self.key)
        except Exception as exc:  # the database may be away; the next round tries again
            # The type only: a message could quote an entry (and with it a BSN).
            log.warning("auditregels verzegelen mislukt (%s); volgende poging over %.1f s",
                        type(exc).__name__, self.interval)


@dataclass(frozen=True)
class ChainReport:
    entries: int  # sealed entries
    problems: tuple[str, ...]
    keyed: int = 0  # entries protected by a key (HMAC)
    waiting: int = 0  # entries not yet sealed (not a break: the sealer has not come by yet)
    oldest_waiting: datetime | None = None

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
    """Recompute the whole sealed chain; every break is named by entry number (never by content).

    Entries not yet sealed are counted in ``waiting``, not checked.

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
        select(AuditRegel)
        .where(AuditRegel.volgnummer.is_not(None))
        .order_by(AuditRegel.volgnummer)
        .execution_options(yield_per=1000)
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
    waiting, oldest = session.execute(
        select(func.count(), func.min(AuditRegel.tijdstip)).where(AuditRegel.volgnummer.is_(None))
    ).one()
    return ChainReport(count, tuple(problems), keyed, waiting, oldest)
