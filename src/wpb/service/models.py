"""The tables of the transfer service (SQLAlchemy 2 declarative models).

Municipalities and providers appear in transfers by their codes (gemeentecode, AGB code),
not as foreign keys to organisations: a transfer may name a municipality that has no
account on this service yet. Tenancy compares the acting organisation's code with them.

The migrations in ``wpb/service/migrations`` create exactly these tables; a test checks
that the migrated schema and these models agree.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
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
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Statuses in which a transfer is still being handled; at most one such transfer per
# youth per latende gemeente (a partial unique index enforces it in the database).
OPEN_STATUSES = ("aangeleverd", "geaccepteerd", "afgewezen")
_OPEN_SQL = "status IN ('aangeleverd', 'geaccepteerd', 'afgewezen')"
# The law a transfer falls under (issue 8): the Jeugdwet, or the Wmo 2015 for a client in
# beschermd wonen. It decides which woonplaats engine the check runs.
WET_JEUGDWET = "jeugdwet"
WET_WMO_BW = "wmo-bw"
WETTEN = (WET_JEUGDWET, WET_WMO_BW)


class Base(DeclarativeBase):
    pass


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


class Aanlevering(Base):
    """One stored upload of a latende gemeente: counts only, no personal data."""

    __tablename__ = "aanleveringen"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gemeente: Mapped[str] = mapped_column(String(4), index=True)
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruikers.id"), nullable=True)
    tijdstip: Mapped[datetime] = mapped_column(DateTime)
    datum: Mapped[date] = mapped_column(Date)
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

    regels: Mapped[list[OverdrachtRegel]] = relationship(
        back_populates="overdracht", order_by="OverdrachtRegel.id", cascade="all, delete-orphan"
    )
    gebeurtenissen: Mapped[list[Gebeurtenis]] = relationship(
        back_populates="overdracht", order_by="Gebeurtenis.id", cascade="all, delete-orphan"
    )

    @property
    def brp_aanwezig(self) -> bool:
        """Whether BRP data is attached (as :class:`~wpb.service.transfer_snapshot.TransferSnapshot` says it)."""
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
    overdracht_id: Mapped[int] = mapped_column(
        ForeignKey("overdrachten.id", ondelete="CASCADE"), index=True
    )
    aanbieder_agb: Mapped[str] = mapped_column(String(8), index=True)
    product: Mapped[str] = mapped_column(String(100))
    toewijzing_einddatum: Mapped[date] = mapped_column(Date)
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


# --- iJw messages (issue 5) -----------------------------------------------------------------


class IjwBericht(Base):
    """One iJw message the service received or produced.

    The unique constraint on (berichttype, afzender, identificatie) is TR056's "processed
    once": two requests with the same message race for it, and exactly one insert wins.
    ``gemeente`` and ``aanbieder`` are the two parties whichever way the message goes.
    A JW315 carries the proposed woonplaats answer (``voorstel``, JSON) and the BRP data
    it was made with; an answer produced by the service points back with ``antwoord_op_id``.
    """

    __tablename__ = "ijw_berichten"
    __table_args__ = (
        UniqueConstraint(
            "berichttype", "afzender", "identificatie", name="uq_ijw_berichten_sleutel"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
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


class IjwNummering(Base):
    """Counters for the numbers the service hands out: BerichtIdentificatie and
    ToewijzingNummer (one row each; incremented with one atomic UPDATE ... RETURNING)."""

    __tablename__ = "ijw_nummering"

    soort: Mapped[str] = mapped_column(String(32), primary_key=True)
    laatste: Mapped[int] = mapped_column(Integer)


# --- verrekening (issue 6) ------------------------------------------------------------------


class VerrekeningImport(Base):
    """One import of paid invoices: counts and the file's hash, no personal data."""

    __tablename__ = "verrekening_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
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
