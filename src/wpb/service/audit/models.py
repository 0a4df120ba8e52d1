"""The tables of the audit log: the entries and the head of their hash chain.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from wpb.service.base import Base


class AuditRegel(Base):
    """One append-only audit entry. A request inserts it (``id`` in order of insertion);
    the sealer gives it its place in the chain (``volgnummer``) and its hash, which chains
    it to the previous entry. Until then those three are empty."""

    __tablename__ = "audit_log"
    __table_args__ = (
        UniqueConstraint("volgnummer", name="uq_audit_log_volgnummer"),
        Index("ix_audit_log_onverzegeld", "id", postgresql_where=text("volgnummer IS NULL"),
              sqlite_where=text("volgnummer IS NULL")),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    volgnummer: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tijdstip: Mapped[datetime] = mapped_column(DateTime)
    gebruiker_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    gebruikersnaam: Mapped[str] = mapped_column(String(100))
    organisatie: Mapped[str] = mapped_column(String(40))
    actie: Mapped[str] = mapped_column(String(64))
    overdracht_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    bsn: Mapped[str | None] = mapped_column(String(9), nullable=True, index=True)
    details: Mapped[str] = mapped_column(Text, default="{}")
    vorige_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Fingerprint of the audit key the hash was made with (HMAC); None for an unkeyed hash.
    sleutel: Mapped[str | None] = mapped_column(String(16), nullable=True)


class AuditKop(Base):
    """The head of the audit chain (one row): the newest sealed entry's number and hash;
    locked while sealing, so the sealers of several processes chain one after the other."""

    __tablename__ = "audit_kop"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    volgnummer: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


