"""The table of BRP documents, each owned by one organisation.

One row per organisation and BSN: the newest document that organisation fetched or
attached. Another organisation's row for the same youth is a different row that this one
never reads (see docs/architecture.md, "Storage decisions").
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wpb.service.base import Base

BRONNEN = ("haal-centraal", "upload", "gba-v", "map")


class BrpDocument(Base):
    __tablename__ = "brp_documenten"
    __table_args__ = (UniqueConstraint("eigenaar_id", "bsn", name="uq_brp_document_eigenaar_bsn"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    eigenaar_id: Mapped[int] = mapped_column(ForeignKey("organisaties.id"), index=True)
    bsn: Mapped[str] = mapped_column(String(9))
    document: Mapped[str] = mapped_column(Text)  # canonical JSON: jeugdige (and moeder)
    bron: Mapped[str] = mapped_column(String(16))  # one of BRONNEN
    bron_detail: Mapped[str] = mapped_column(String(300), default="")  # endpoint or file, no BSN
    herkomst: Mapped[str] = mapped_column(Text, default="[]")  # JSON: the source's own receipts
    opgehaald_op: Mapped[datetime] = mapped_column(DateTime)
    sha256: Mapped[str] = mapped_column(String(71))  # of ``document``
    opgehaald_door: Mapped[int | None] = mapped_column(ForeignKey("gebruikers.id"), nullable=True)
