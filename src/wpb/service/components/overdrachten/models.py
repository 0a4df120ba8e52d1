"""The tables of transfers: uploads, transfers, their lines, their timeline and task marks.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wpb.service.base import Base
from wpb.service.public_ids import public_id_column

# Statuses in which a transfer is still being handled; at most one such transfer per
# youth per latende gemeente (a partial unique index enforces it in the database).
OPEN_STATUSES = ("aangeleverd", "geaccepteerd", "afgewezen")
_OPEN_SQL = "status IN ('aangeleverd', 'geaccepteerd', 'afgewezen')"
# The law a transfer falls under (issue 8): the Jeugdwet, or the Wmo 2015 for a client in
# beschermd wonen. It decides which woonplaats engine the check runs.
WET_JEUGDWET = "jeugdwet"
WET_WMO_BW = "wmo-bw"
WETTEN = (WET_JEUGDWET, WET_WMO_BW)


class Aanlevering(Base):
    """One stored upload of a latende gemeente: counts only, no personal data."""

    __tablename__ = "aanleveringen"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publiek_id: Mapped[str] = public_id_column()
    gemeente: Mapped[str] = mapped_column(String(4), index=True)
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruikers.id"), nullable=True)
    tijdstip: Mapped[datetime] = mapped_column(DateTime)
    datum: Mapped[date] = mapped_column(Date)
    # A neutral label ("bestand <start of the sha256>"), not the name the user gave the file:
    # that may hold a BSN (issue 19, S9).
    bestandsnaam: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    regels_totaal: Mapped[int] = mapped_column(Integer)
    regels_opgeslagen: Mapped[int] = mapped_column(Integer)
    regels_afgewezen: Mapped[int] = mapped_column(Integer)


class Overdracht(Base):
    """A youth handed over from the latende to the ontvangende gemeente."""

    __tablename__ = "overdrachten"
    __table_args__ = (
        Index(
            "uq_overdrachten_open_jeugdige",
            "latende_gemeente",
            "bsn",
            unique=True,
            sqlite_where=text(_OPEN_SQL),
            postgresql_where=text(_OPEN_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publiek_id: Mapped[str] = public_id_column()
    latende_gemeente: Mapped[str] = mapped_column(String(4), index=True)
    ontvangende_gemeente: Mapped[str] = mapped_column(String(4), index=True)
    bsn: Mapped[str] = mapped_column(String(9), index=True)
    geboortedatum: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)
    # Optimistic concurrency: every transition is an UPDATE ... WHERE versie = :gelezen.
    versie: Mapped[int] = mapped_column(Integer, default=1)
    aanleverdatum: Mapped[date] = mapped_column(Date)
    aanlevering_id: Mapped[int | None] = mapped_column(ForeignKey("aanleveringen.id"), nullable=True)
    geaccepteerd_op: Mapped[date | None] = mapped_column(Date, nullable=True)
    afgewezen_op: Mapped[date | None] = mapped_column(Date, nullable=True)
    onderbouwing: Mapped[str | None] = mapped_column(Text, nullable=True)
    onderbouwing_beslissing: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON
    afgerond_op: Mapped[date | None] = mapped_column(Date, nullable=True)
    toewijzing_ingangsdatum: Mapped[date | None] = mapped_column(Date, nullable=True)
    toewijzing_referentie: Mapped[str | None] = mapped_column(String(100), nullable=True)
    doorgestuurd_op: Mapped[date | None] = mapped_column(Date, nullable=True)
    vorige_id: Mapped[int | None] = mapped_column(ForeignKey("overdrachten.id"), nullable=True)
    volgende_id: Mapped[int | None] = mapped_column(ForeignKey("overdrachten.id"), nullable=True)
    brp_document: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON
    brp_bron: Mapped[str | None] = mapped_column(String(32), nullable=True)
    brp_ontvangen_op: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    woonplaats_beslissing: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime)
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime)
    wet: Mapped[str] = mapped_column(String(16), default=WET_JEUGDWET, server_default=WET_JEUGDWET)
    # The day from which the ontvangende gemeente is responsible under the law (issue 16);
    # None for a transfer of the 2021/22 migratiegroep (wpb.law.overgang chooses the regime).
    vanaf: Mapped[date | None] = mapped_column(Date, nullable=True)

    regels: Mapped[list[OverdrachtRegel]] = relationship(
        back_populates="overdracht", order_by="OverdrachtRegel.id", cascade="all, delete-orphan"
    )
    gebeurtenissen: Mapped[list[Gebeurtenis]] = relationship(
        back_populates="overdracht", order_by="Gebeurtenis.id", cascade="all, delete-orphan"
    )

    @property
    def brp_aanwezig(self) -> bool:
        """Whether BRP data is attached (as :class:`~wpb.service.components.overdrachten.snapshot.TransferSnapshot` says it)."""
        return self.brp_document is not None


class OverdrachtRegel(Base):
    """One provider/product line of a transfer (one upload row)."""

    __tablename__ = "overdracht_regels"
    __table_args__ = (
        UniqueConstraint(
            "overdracht_id", "aanbieder_agb", "product", name="uq_overdracht_regels_product"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publiek_id: Mapped[str] = public_id_column()
    overdracht_id: Mapped[int] = mapped_column(
        ForeignKey("overdrachten.id", ondelete="CASCADE"), index=True
    )
    aanbieder_agb: Mapped[str] = mapped_column(String(8), index=True)
    product: Mapped[str] = mapped_column(String(100))
    toewijzing_einddatum: Mapped[date | None] = mapped_column(Date, nullable=True)  # None: runs on
    pgb: Mapped[bool] = mapped_column(Boolean)
    aanleverdatum: Mapped[date] = mapped_column(Date)
    aanlevering_id: Mapped[int | None] = mapped_column(ForeignKey("aanleveringen.id"), nullable=True)

    overdracht: Mapped[Overdracht] = relationship(back_populates="regels")


class Gebeurtenis(Base):
    """The timeline of a transfer: what happened, when, by which organisation."""

    __tablename__ = "overdracht_gebeurtenissen"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    overdracht_id: Mapped[int] = mapped_column(
        ForeignKey("overdrachten.id", ondelete="CASCADE"), index=True
    )
    tijdstip: Mapped[datetime] = mapped_column(DateTime)
    datum: Mapped[date] = mapped_column(Date)
    soort: Mapped[str] = mapped_column(String(32))
    van_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    naar_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    organisatie: Mapped[str] = mapped_column(String(40))  # "gemeente:0344"
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruikers.id"), nullable=True)
    toelichting: Mapped[str] = mapped_column(Text, default="")

    overdracht: Mapped[Overdracht] = relationship(back_populates="gebeurtenissen")


class TaakStatus(Base):
    """A task marked done (or undone) by a party; tasks themselves are derived by rule."""

    __tablename__ = "taak_statussen"
    __table_args__ = (
        UniqueConstraint(
            "overdracht_id", "partij_code", "taak", name="uq_taak_statussen_taak"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    overdracht_id: Mapped[int] = mapped_column(
        ForeignKey("overdrachten.id", ondelete="CASCADE"), index=True
    )
    partij_code: Mapped[str] = mapped_column(String(40))  # "gemeente:0344" / "aanbieder:12345678"
    taak: Mapped[str] = mapped_column(String(64))
    gedaan: Mapped[bool] = mapped_column(Boolean)
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime)
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruikers.id"), nullable=True)


