"""The tables of organisations, their users and their API tokens.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wpb.service.base import Base


class Organisatie(Base):
    __tablename__ = "organisaties"
    __table_args__ = (UniqueConstraint("soort", "code", name="uq_organisaties_soort_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    soort: Mapped[str] = mapped_column(String(16))  # gemeente | aanbieder | coordinator
    code: Mapped[str] = mapped_column(String(16))  # gemeentecode | AGB-code | vrije code
    naam: Mapped[str] = mapped_column(String(200))

    gebruikers: Mapped[list[Gebruiker]] = relationship(back_populates="organisatie")


class Gebruiker(Base):
    __tablename__ = "gebruikers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisatie_id: Mapped[int] = mapped_column(ForeignKey("organisaties.id"), index=True)
    gebruikersnaam: Mapped[str] = mapped_column(String(100), unique=True)
    naam: Mapped[str] = mapped_column(String(200))
    wachtwoord_hash: Mapped[str] = mapped_column(String(255))
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime)

    organisatie: Mapped[Organisatie] = relationship(back_populates="gebruikers")


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gebruiker_id: Mapped[int] = mapped_column(ForeignKey("gebruikers.id"), index=True)
    omschrijving: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime)
    verloopt_op: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    ingetrokken_op: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    gebruiker: Mapped[Gebruiker] = relationship()


