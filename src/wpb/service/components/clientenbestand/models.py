"""The tables of a gemeente's caseload, its imports and the signalen of the woonplaatscheck.

Every row carries the owning organisation (``eigenaar_id``); every query filters on it.
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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wpb.service.base import Base
from wpb.service.public_ids import public_id_column


class ClientToewijzing(Base):
    """One toewijzing of the caseload (the fields of :class:`wpb.caseload.model.Toewijzing`)."""

    __tablename__ = "clientenbestand_toewijzingen"
    __table_args__ = (Index("ix_clientenbestand_eigenaar_bsn", "eigenaar_id", "bsn"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    eigenaar_id: Mapped[int] = mapped_column(ForeignKey("organisaties.id"))
    regel: Mapped[str] = mapped_column(String(120))  # where it came from in the import
    bsn: Mapped[str] = mapped_column(String(9))
    geboortedatum: Mapped[date] = mapped_column(Date)
    aanbieder_agb: Mapped[str] = mapped_column(String(8))
    productcategorie: Mapped[str | None] = mapped_column(String(8), nullable=True)
    productcode: Mapped[str | None] = mapped_column(String(40), nullable=True)
    begindatum: Mapped[date] = mapped_column(Date)
    einddatum: Mapped[date | None] = mapped_column(Date, nullable=True)
    verblijf: Mapped[bool] = mapped_column(Boolean)
    verblijf_uit_categorie: Mapped[bool] = mapped_column(Boolean)
    wet: Mapped[str] = mapped_column(String(16))
    vorm: Mapped[str | None] = mapped_column(String(32), nullable=True)
    verblijf_sinds: Mapped[date | None] = mapped_column(Date, nullable=True)
    aanmeldgemeente: Mapped[str | None] = mapped_column(String(4), nullable=True)
    aanmelddatum: Mapped[date | None] = mapped_column(Date, nullable=True)
    indicatie_begin: Mapped[date | None] = mapped_column(Date, nullable=True)
    toewijzingnummer: Mapped[str | None] = mapped_column(String(40), nullable=True)


class ClientenbestandImport(Base):
    """One confirmed import: when, by whom, and what it changed. No file name is kept (a
    file name may hold a BSN)."""

    __tablename__ = "clientenbestand_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publiek_id: Mapped[str] = public_id_column()
    eigenaar_id: Mapped[int] = mapped_column(ForeignKey("organisaties.id"), index=True)
    ingelezen_op: Mapped[datetime] = mapped_column(DateTime)
    ingelezen_door: Mapped[int | None] = mapped_column(ForeignKey("gebruikers.id"), nullable=True)
    sha256: Mapped[str] = mapped_column(String(71))  # of the file
    regels: Mapped[int] = mapped_column(Integer)
    bewaard: Mapped[int] = mapped_column(Integer)
    nieuw: Mapped[int] = mapped_column(Integer)
    beeindigd: Mapped[int] = mapped_column(Integer)
    gewijzigd: Mapped[int] = mapped_column(Integer)
    ongewijzigd: Mapped[int] = mapped_column(Integer)


class Signaal(Base):
    """A signal of the woonplaatscheck, kept until it is handled once.

    The same fingerprint (``vingerafdruk``: the facts behind it) is one signal: a later run
    updates its decision but does not raise it again; a handled one stays handled.
    """

    __tablename__ = "signalen"
    __table_args__ = (UniqueConstraint("eigenaar_id", "vingerafdruk", name="uq_signaal_eigenaar_vingerafdruk"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publiek_id: Mapped[str] = public_id_column()
    eigenaar_id: Mapped[int] = mapped_column(ForeignKey("organisaties.id"), index=True)
    bsn: Mapped[str] = mapped_column(String(9))
    soort: Mapped[str] = mapped_column(String(24))
    verantwoordelijke_gemeente: Mapped[str | None] = mapped_column(String(4), nullable=True)
    vanaf: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    reden: Mapped[str] = mapped_column(Text)
    vingerafdruk: Mapped[str] = mapped_column(String(71))
    # JSON: {"beslissing": the decision behind it, "aanlevering": its transfer upload rows}
    beslissing: Mapped[str] = mapped_column(Text)
    peildatum: Mapped[date] = mapped_column(Date)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime)
    afhandeling: Mapped[str | None] = mapped_column(String(16), nullable=True)
    afhandeling_toelichting: Mapped[str | None] = mapped_column(Text, nullable=True)
    afgehandeld_op: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    afgehandeld_door: Mapped[int | None] = mapped_column(ForeignKey("gebruikers.id"), nullable=True)
    # handled as a transfer: the transfer made from it (new, or extended with its rows)
    overdracht_id: Mapped[int | None] = mapped_column(ForeignKey("overdrachten.id"), nullable=True)
    # read-only, for the transfer's public id in views (S10: internal keys never leave)
    overdracht = relationship("Overdracht", viewonly=True, lazy="select")
