"""The tables of the settlement (issue 6): invoices, decisions, claims, nettings, payments
and disputes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wpb.service.base import Base
from wpb.service.public_ids import public_id_column


class VerrekeningImport(Base):
    """One import of paid invoices: counts and the file's hash, no personal data."""

    __tablename__ = "verrekening_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publiek_id: Mapped[str] = public_id_column()
    bron: Mapped[str] = mapped_column(String(8))  # csv | xlsx | jw323
    bestandsnaam: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    aantal: Mapped[int] = mapped_column(Integer)
    totaal: Mapped[int] = mapped_column(BigInteger)
    organisatie: Mapped[str] = mapped_column(String(40))
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruikers.id"), nullable=True)
    tijdstip: Mapped[datetime] = mapped_column(DateTime)


class VerrekeningFactuur(Base):
    """A paid invoice (declaratie); ``sleutel`` is betaler/aanbieder/referentie."""

    __tablename__ = "verrekening_facturen"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publiek_id: Mapped[str] = public_id_column()
    sleutel: Mapped[str] = mapped_column(String(200), unique=True)
    referentie: Mapped[str] = mapped_column(String(180))
    bsn: Mapped[str] = mapped_column(String(9), index=True)
    betaler: Mapped[str] = mapped_column(String(4), index=True)
    aanbieder: Mapped[str] = mapped_column(String(8), index=True)
    product: Mapped[str] = mapped_column(String(100))
    begin: Mapped[date] = mapped_column(Date)
    einde: Mapped[date] = mapped_column(Date)  # inclusive, as a declaratie's ProductPeriode
    bedrag: Mapped[int] = mapped_column(BigInteger)  # eurocent
    betaaldatum: Mapped[date] = mapped_column(Date)
    bron: Mapped[str] = mapped_column(String(8))
    import_id: Mapped[int] = mapped_column(ForeignKey("verrekening_imports.id"), index=True)
    geimporteerd_op: Mapped[datetime] = mapped_column(DateTime)


class VerrekeningBeslissing(Base):
    """A woonplaats decision registered as binding for the settlement timeline."""

    __tablename__ = "verrekening_beslissingen"
    __table_args__ = (
        UniqueConstraint("bsn", "invoer_hash", "ingang", name="uq_verrekening_beslissingen"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publiek_id: Mapped[str] = public_id_column()
    bsn: Mapped[str] = mapped_column(String(9), index=True)
    gemeente: Mapped[str] = mapped_column(String(4), index=True)
    ingang: Mapped[date] = mapped_column(Date)
    tot: Mapped[date | None] = mapped_column(Date, nullable=True)
    vastgesteld_op: Mapped[date] = mapped_column(Date)
    invoer_hash: Mapped[str] = mapped_column(String(100))
    overdracht_id: Mapped[int | None] = mapped_column(ForeignKey("overdrachten.id"), nullable=True)
    beslissing: Mapped[str | None] = mapped_column(Text, nullable=True)  # the engine's JSON
    organisatie: Mapped[str] = mapped_column(String(40))
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruikers.id"), nullable=True)
    geregistreerd_op: Mapped[datetime] = mapped_column(DateTime)


class VerrekeningClaim(Base):
    """A claim of the schuldeiser on the schuldenaar (wpb.law.verrekening.claims.Claim).

    ``jeugdige`` is the pseudonym; ``bsn`` is kept for authorised look-up only and never
    shown. Every status change is an UPDATE ... WHERE versie = :gelezen.
    """

    __tablename__ = "verrekening_claims"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    soort: Mapped[str] = mapped_column(String(16))
    factuur: Mapped[str] = mapped_column(String(200), index=True)
    aanbieder: Mapped[str] = mapped_column(String(8), index=True)
    product: Mapped[str] = mapped_column(String(100))
    jeugdige: Mapped[str] = mapped_column(String(24), index=True)
    bsn: Mapped[str | None] = mapped_column(String(9), nullable=True, index=True)
    schuldeiser: Mapped[str] = mapped_column(String(4), index=True)
    schuldenaar: Mapped[str] = mapped_column(String(4), index=True)
    van: Mapped[date] = mapped_column(Date)
    tot: Mapped[date] = mapped_column(Date)  # exclusive
    bedrag: Mapped[int] = mapped_column(BigInteger)
    grondslagen: Mapped[str] = mapped_column(Text)  # JSON
    ontstaan: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)
    status_sinds: Mapped[date] = mapped_column(Date)
    corrigeert: Mapped[str] = mapped_column(Text, default="[]")  # JSON
    toelichting: Mapped[str] = mapped_column(Text, default="")
    versie: Mapped[int] = mapped_column(Integer, default=1)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime)
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime)


class VerrekeningClaimGebeurtenis(Base):
    __tablename__ = "verrekening_claim_gebeurtenissen"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[str] = mapped_column(ForeignKey("verrekening_claims.id"), index=True)
    van_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    naar_status: Mapped[str] = mapped_column(String(16))
    datum: Mapped[date] = mapped_column(Date)
    tijdstip: Mapped[datetime] = mapped_column(DateTime)
    organisatie: Mapped[str] = mapped_column(String(40))
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruikers.id"), nullable=True)
    toelichting: Mapped[str] = mapped_column(Text, default="")


class VerrekeningSaldering(Base):
    """A netting run: a proposal until every party accepted, then paid."""

    __tablename__ = "verrekening_salderingen"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publiek_id: Mapped[str] = public_id_column()
    datum: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)
    saldi: Mapped[str] = mapped_column(Text)  # JSON {gemeentecode: eurocent}
    akkoord: Mapped[str] = mapped_column(Text, default="[]")  # JSON: gemeentecodes that accepted
    intern: Mapped[str] = mapped_column(Text, default="[]")  # JSON: claim ids
    versie: Mapped[int] = mapped_column(Integer, default=1)
    organisatie: Mapped[str] = mapped_column(String(40))
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruikers.id"), nullable=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime)
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime)


class VerrekeningBetaling(Base):
    __tablename__ = "verrekening_betalingen"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    saldering_id: Mapped[int] = mapped_column(ForeignKey("verrekening_salderingen.id"), index=True)
    van: Mapped[str] = mapped_column(String(4))
    aan: Mapped[str] = mapped_column(String(4))
    bedrag: Mapped[int] = mapped_column(BigInteger)
    betaald_op: Mapped[date | None] = mapped_column(Date, nullable=True)


class VerrekeningSalderingClaim(Base):
    """A claim covered by a netting run, with the version it had then (to notice changes)."""

    __tablename__ = "verrekening_saldering_claims"

    saldering_id: Mapped[int] = mapped_column(
        ForeignKey("verrekening_salderingen.id"), primary_key=True
    )
    claim_id: Mapped[str] = mapped_column(ForeignKey("verrekening_claims.id"), primary_key=True)
    claim_versie: Mapped[int] = mapped_column(Integer)


class Geschil(Base):
    """A dispute between municipalities (or with a provider) about a youth or a claim."""

    __tablename__ = "verrekening_geschillen"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publiek_id: Mapped[str] = public_id_column()
    onderwerp: Mapped[str] = mapped_column(String(16))  # jeugdige | claim
    claim_id: Mapped[str | None] = mapped_column(
        ForeignKey("verrekening_claims.id"), nullable=True, index=True
    )
    jeugdige: Mapped[str | None] = mapped_column(String(24), nullable=True)  # pseudonym
    bsn: Mapped[str | None] = mapped_column(String(9), nullable=True, index=True)
    omschrijving: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)  # open | opgelost | ingetrokken
    niveau: Mapped[str] = mapped_column(String(32))
    uitkomst: Mapped[str | None] = mapped_column(Text, nullable=True)
    versie: Mapped[int] = mapped_column(Integer, default=1)
    ingediend_door: Mapped[str] = mapped_column(String(40))  # "gemeente:0344"
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruikers.id"), nullable=True)
    ingediend_op: Mapped[date] = mapped_column(Date)
    opgelost_op: Mapped[date | None] = mapped_column(Date, nullable=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime)
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime)

    partijen: Mapped[list[GeschilPartij]] = relationship(
        order_by="GeschilPartij.id", cascade="all, delete-orphan"
    )
    gebeurtenissen: Mapped[list[GeschilGebeurtenis]] = relationship(
        order_by="GeschilGebeurtenis.id", cascade="all, delete-orphan"
    )


class GeschilPartij(Base):
    __tablename__ = "verrekening_geschil_partijen"
    __table_args__ = (
        UniqueConstraint("geschil_id", "soort", "code", name="uq_verrekening_geschil_partij"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    geschil_id: Mapped[int] = mapped_column(
        ForeignKey("verrekening_geschillen.id", ondelete="CASCADE"), index=True
    )
    soort: Mapped[str] = mapped_column(String(16))  # gemeente | aanbieder
    code: Mapped[str] = mapped_column(String(8), index=True)


class GeschilGebeurtenis(Base):
    __tablename__ = "verrekening_geschil_gebeurtenissen"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    geschil_id: Mapped[int] = mapped_column(
        ForeignKey("verrekening_geschillen.id", ondelete="CASCADE"), index=True
    )
    soort: Mapped[str] = mapped_column(String(16))  # registratie | escalatie | oplossing | intrekking
    van_niveau: Mapped[str | None] = mapped_column(String(32), nullable=True)
    naar_niveau: Mapped[str | None] = mapped_column(String(32), nullable=True)
    datum: Mapped[date] = mapped_column(Date)
    tijdstip: Mapped[datetime] = mapped_column(DateTime)
    organisatie: Mapped[str] = mapped_column(String(40))
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruikers.id"), nullable=True)
    toelichting: Mapped[str] = mapped_column(Text, default="")


class VerrekeningRekening(Base):
    """The bank account of a gemeente for the payments of a netting run (pain.001): set by
    the gemeente itself (or the coordinator), the IBAN checked with ISO 13616 mod 97."""

    __tablename__ = "verrekening_rekeningen"

    gemeente: Mapped[str] = mapped_column(String(4), primary_key=True)
    iban: Mapped[str] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11), nullable=True)
    rekeninghouder: Mapped[str] = mapped_column(String(70))
    organisatie: Mapped[str] = mapped_column(String(40))
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruikers.id"), nullable=True)
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime)
