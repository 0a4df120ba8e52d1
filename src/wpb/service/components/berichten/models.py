"""The tables of iJw messages (issue 5): the messages and the counters of their numbers.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from wpb.service.base import Base
from wpb.service.public_ids import public_id_column


class IjwBericht(Base):
    """One iJw message the service received or produced.

    The unique constraint on (berichttype, afzender, identificatie, organisatie) is TR056's
    "processed once": two requests with the same message race for it, and exactly one insert
    wins. ``organisatie`` is the submitting party (S2): its identification is its own.
    ``gemeente`` and ``aanbieder`` are the two parties whichever way the message goes.
    A JW315 carries the proposed woonplaats answer (``voorstel``, JSON) and the BRP data
    it was made with; an answer produced by the service points back with ``antwoord_op_id``.
    """

    __tablename__ = "ijw_berichten"
    __table_args__ = (
        UniqueConstraint(
            "berichttype", "afzender", "identificatie", "organisatie",
            name="uq_ijw_berichten_sleutel_indiener",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publiek_id: Mapped[str] = public_id_column()
    berichttype: Mapped[str] = mapped_column(String(5))
    afzender: Mapped[str] = mapped_column(String(8))
    identificatie: Mapped[str] = mapped_column(String(12))
    inhoud_hash: Mapped[str] = mapped_column(String(80))
    ontvangen_op: Mapped[datetime] = mapped_column(DateTime)
    bron: Mapped[str] = mapped_column(String(16), default="ingediend")  # ingediend | wpb
    gemeente: Mapped[str | None] = mapped_column(String(4), nullable=True, index=True)
    aanbieder: Mapped[str | None] = mapped_column(String(8), nullable=True, index=True)
    bsn: Mapped[str | None] = mapped_column(String(9), nullable=True, index=True)
    dagtekening: Mapped[date | None] = mapped_column(Date, nullable=True)
    ontvangstdatum: Mapped[date | None] = mapped_column(Date, nullable=True)
    xml: Mapped[str | None] = mapped_column(Text, nullable=True)
    xsd_gecontroleerd: Mapped[bool] = mapped_column(Boolean, default=False)
    organisatie: Mapped[str] = mapped_column(String(40), default="")
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruikers.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="ontvangen", index=True)
    versie: Mapped[int] = mapped_column(Integer, default=1)
    voorstel: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON
    voorstel_op: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    uiterlijk: Mapped[date | None] = mapped_column(Date, nullable=True)
    brp_document: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON (case)
    brp_bron: Mapped[str | None] = mapped_column(String(40), nullable=True)
    beantwoord_op: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    antwoord_op_id: Mapped[int | None] = mapped_column(
        ForeignKey("ijw_berichten.id"), nullable=True, index=True
    )
    # A retourbericht (JW302/JW320 received, JW306... made): what it says, as JSON.
    retour: Mapped[str | None] = mapped_column(Text, nullable=True)


class IjwNummering(Base):
    """Counters for the numbers the service hands out: BerichtIdentificatie and
    ToewijzingNummer (one row each; incremented with one atomic UPDATE ... RETURNING)."""

    __tablename__ = "ijw_nummering"

    soort: Mapped[str] = mapped_column(String(32), primary_key=True)
    laatste: Mapped[int] = mapped_column(Integer)


class IjwInstemming(Base):
    """Issue 18 item 12: a JW319 with reden 8 names the gemeente the addressed gemeente holds
    responsible; before it goes out, that gemeente is asked and agrees or objects.

    One row per request (the JW315) and named gemeente. ``status``: gevraagd, akkoord or
    bezwaar; an objection opens a geschil (``geschil_id``, in the settlement's geschillen).
    """

    __tablename__ = "ijw_instemmingen"
    __table_args__ = (
        UniqueConstraint("bericht_id", "gemeente", name="uq_ijw_instemmingen_bericht_gemeente"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publiek_id: Mapped[str] = public_id_column()
    bericht_id: Mapped[int] = mapped_column(ForeignKey("ijw_berichten.id"), index=True)
    gemeente: Mapped[str] = mapped_column(String(4), index=True)  # the gemeente named
    gevraagd_door: Mapped[str] = mapped_column(String(4), index=True)  # the addressed gemeente
    status: Mapped[str] = mapped_column(String(16), default="gevraagd")
    reden: Mapped[str] = mapped_column(Text, default="")  # why the proposal names it
    toelichting: Mapped[str] = mapped_column(Text, default="")  # its answer
    versie: Mapped[int] = mapped_column(Integer, default=1)
    gevraagd_op: Mapped[datetime] = mapped_column(DateTime)
    beslist_op: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruikers.id"), nullable=True)
    geschil_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
