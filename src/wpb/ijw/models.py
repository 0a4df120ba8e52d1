"""Typed models of the iJw 3.2 messages wpb reads and writes.

One frozen dataclass per message class of the iStandaarden iJw release 3.2 (the XSD's
complex types), with the element names turned into snake_case fields. Repeating
elements are tuples; an optional element is ``None`` (or an empty tuple). Values keep
the standard's codes as strings (``"04"`` is Eenheid uur, not the number 4); numbers
the XSD types as integers (ToewijzingNummer, Volume, Budget, amounts in eurocent) are
``int``, dates are :class:`datetime.date`.

The models hold what the message says; whether it is allowed is for
:mod:`wpb.ijw.schema` (datatypes, codes, 11-proef) and :mod:`wpb.ijw.rules` (the
iStandaarden rules) to say, so that a rejected message can still be shown as received.

Direction: the gemeente sends JW301 (toewijzing) and JW319 (antwoord); the aanbieder
sends JW305/JW307 (start/stop), JW315 (verzoek om toewijzing), JW317 (verzoek om
wijziging) and JW323 (declaratie). A gemeente is named by its CBS gemeentecode (4
digits), an aanbieder by its AGB code (8 digits).

BSNs are kept out of ``repr`` so that a logged model never carries one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from enum import Enum
from typing import ClassVar

BASIS_NAMESPACE = "http://www.istandaarden.nl/ijw/3_2/basisschema/schema"
BERICHT_VERSIE = 3  # iJw release 3.2: major version
BERICHT_SUBVERSIE = 2  # minor version
XSD_VERSIE = "1.0.0"  # BasisschemaXsdVersie/BerichtXsdVersie written by default (see docs/ijw.md)


class IjwNamespace:
    """What every iJw 3.2 message type has: its namespace and prefix, and lookup by namespace."""

    value: str

    @property
    def namespace(self) -> str:
        return f"http://www.istandaarden.nl/ijw/3_2/{self.value.lower()}/schema"

    @property
    def prefix(self) -> str:
        return self.value.lower()

    @classmethod
    def from_namespace(cls, namespace: str | None):
        for t in cls:  # type: ignore[attr-defined]
            if t.namespace == namespace:
                return t
        return None


class BerichtType(IjwNamespace, str, Enum):
    """The iJw message types wpb knows, with their COD002 berichtcode."""

    JW301 = "JW301"
    JW305 = "JW305"
    JW307 = "JW307"
    JW315 = "JW315"
    JW317 = "JW317"
    JW319 = "JW319"
    JW323 = "JW323"

    @property
    def berichtcode(self) -> str:
        return _BERICHTCODES[self]

    @property
    def afzender_is_gemeente(self) -> bool:
        """True for messages a gemeente sends (Afzender gemeentecode, Ontvanger AGB code)."""
        return self in (BerichtType.JW301, BerichtType.JW319)

    @property
    def omschrijving(self) -> str:
        return _OMSCHRIJVING[self]


_BERICHTCODES = {
    BerichtType.JW301: "436",
    BerichtType.JW305: "438",
    BerichtType.JW307: "440",
    BerichtType.JW315: "446",
    BerichtType.JW317: "486",
    BerichtType.JW319: "488",
    BerichtType.JW323: "490",
}
_OMSCHRIJVING = {
    BerichtType.JW301: "toewijzing",
    BerichtType.JW305: "startbericht",
    BerichtType.JW307: "stopbericht",
    BerichtType.JW315: "verzoek om toewijzing",
    BerichtType.JW317: "verzoek om wijziging",
    BerichtType.JW319: "antwoordbericht",
    BerichtType.JW323: "declaratie",
}


# --- basisschema complex types (CDT_*) --------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class XsdVersie:
    basisschema: str = XSD_VERSIE
    bericht: str = XSD_VERSIE


@dataclass(frozen=True, kw_only=True)
class BerichtIdentificatie:
    identificatie: str  # unique per berichtsoort for the sender (TR056)
    dagtekening: date


@dataclass(frozen=True, kw_only=True)
class Header:
    berichtcode: str
    afzender: str  # gemeentecode or AGB code, by direction (BerichtType.afzender_is_gemeente)
    ontvanger: str
    bericht_identificatie: BerichtIdentificatie
    berichtversie: int = BERICHT_VERSIE
    berichtsubversie: int = BERICHT_SUBVERSIE
    xsd_versie: XsdVersie = field(default_factory=XsdVersie)

    @classmethod
    def nieuw(cls, type: BerichtType, *, afzender: str, ontvanger: str, identificatie: str,
              dagtekening: date) -> Header:
        return cls(
            berichtcode=type.berichtcode,
            afzender=afzender,
            ontvanger=ontvanger,
            bericht_identificatie=BerichtIdentificatie(
                identificatie=identificatie, dagtekening=dagtekening
            ),
        )

    @property
    def identificatie(self) -> str:
        return self.bericht_identificatie.identificatie

    @property
    def dagtekening(self) -> date:
        return self.bericht_identificatie.dagtekening


@dataclass(frozen=True, kw_only=True)
class Geboortedatum:
    datum: date
    datum_gebruik: str | None = None  # 1 dag onbekend, 2 dag en maand onbekend, 3 onbekend


@dataclass(frozen=True, kw_only=True)
class Achternaam:
    achternaam: str
    voorvoegsel: str | None = None


@dataclass(frozen=True, kw_only=True)
class VerkorteNaam:
    geslachtsnaam: Achternaam
    voornamen: str | None = None
    voorletters: str | None = None


@dataclass(frozen=True, kw_only=True)
class VolledigeNaam:
    geslachtsnaam: Achternaam
    naamgebruik: str  # NaamGebruik code
    partnernaam: Achternaam | None = None
    voornamen: str | None = None
    voorletters: str | None = None


@dataclass(frozen=True, kw_only=True)
class Product:
    categorie: str  # JZ020
    code: str | None = None  # from the product code list the contract names


@dataclass(frozen=True, kw_only=True)
class Omvang:
    volume: int
    eenheid: str  # WJ756
    frequentie: str  # WMO757


@dataclass(frozen=True, kw_only=True)
class Verwijzer:
    type: str  # TypeVerwijzer
    naam: str | None = None
    zorgverlener_code: str | None = None  # AGB code of the referring professional


@dataclass(frozen=True, kw_only=True)
class Huis:
    huisnummer: int
    huisletter: str | None = None
    huisnummer_toevoeging: str | None = None
    aanduiding_woonadres: str | None = None


@dataclass(frozen=True, kw_only=True)
class Adres:
    huis: Huis | None = None
    postcode: str | None = None
    straatnaam: str | None = None
    plaatsnaam: str | None = None
    landcode: str | None = None


@dataclass(frozen=True, kw_only=True)
class Telefoon:
    telefoonnummer: str
    landnummer: str


@dataclass(frozen=True, kw_only=True)
class Telefoonnummers:
    telefoon01: Telefoon
    telefoon02: Telefoon | None = None


@dataclass(frozen=True, kw_only=True)
class Communicatie:
    vorm: str
    taal: str | None = None


@dataclass(frozen=True, kw_only=True)
class OpenPeriode:
    begindatum: date | None = None
    einddatum: date | None = None


@dataclass(frozen=True, kw_only=True)
class GeslotenPeriode:
    begindatum: date
    einddatum: date


# --- JW301 toewijzing -----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Contact:
    soort: str  # AdresSoort: 01 BRP, 02 correspondentie, 03 verblijf, 04 tijdelijk
    adres: Adres | None = None
    organisatie: str | None = None
    telefoon: Telefoonnummers | None = None
    emailadres: str | None = None
    periode: OpenPeriode | None = None


@dataclass(frozen=True, kw_only=True)
class Relatie:
    nummer: str
    soort: str  # SoortRelatie
    naam: VolledigeNaam
    contact: Contact
    volgorde: int | None = None
    geboortedatum: Geboortedatum | None = None
    geslacht: str | None = None


@dataclass(frozen=True, kw_only=True)
class ToegewezenProduct:
    """One toewijzing: Omvang or Budget, never both (CD077/CD078); Budget needs an Einddatum."""

    toewijzing_nummer: int
    toewijzingsdatum: date
    toewijzingstijd: time
    ingangsdatum: date
    referentie_aanbieder: str | None = None  # only when it answers a VOT/VOW (TR379)
    product: Product | None = None
    einddatum: date | None = None  # the last day of the toewijzing
    reden_wijziging: str | None = None  # JZ002; empty on an initial toewijzing (IV066)
    omvang: Omvang | None = None
    budget: int | None = None  # eurocent
    commentaar: str | None = None


@dataclass(frozen=True, kw_only=True)
class ClientToewijzing:
    bsn: str = field(repr=False)
    geboortedatum: Geboortedatum
    geslacht: str
    naam: VolledigeNaam
    contactgegevens: tuple[Contact, ...]
    toegewezen_producten: tuple[ToegewezenProduct, ...]
    communicatie: Communicatie | None = None
    juridische_status: str | None = None
    wettelijke_vertegenwoordiging: str | None = None
    commentaar: str | None = None
    relaties: tuple[Relatie, ...] = ()


@dataclass(frozen=True, kw_only=True)
class JW301:
    type: ClassVar[BerichtType] = BerichtType.JW301
    header: Header
    client: ClientToewijzing


# --- JW305 / JW307 start and stop -----------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class StartProduct:
    begindatum: date
    status_aanlevering: str
    toewijzing_nummer: int | None = None
    product: Product | None = None
    toewijzing_ingangsdatum: date | None = None


@dataclass(frozen=True, kw_only=True)
class StopProduct:
    begindatum: date
    reden_beeindiging: str
    einddatum: date
    status_aanlevering: str
    toewijzing_nummer: int | None = None
    product: Product | None = None
    toewijzing_ingangsdatum: date | None = None


@dataclass(frozen=True, kw_only=True)
class ClientStart:
    bsn: str = field(repr=False)
    geboortedatum: Geboortedatum
    geslacht: str
    naam: VerkorteNaam
    start_producten: tuple[StartProduct, ...]


@dataclass(frozen=True, kw_only=True)
class ClientStop:
    bsn: str = field(repr=False)
    geboortedatum: Geboortedatum
    geslacht: str
    naam: VerkorteNaam
    stop_producten: tuple[StopProduct, ...]


@dataclass(frozen=True, kw_only=True)
class JW305:
    type: ClassVar[BerichtType] = BerichtType.JW305
    header: Header
    client: ClientStart


@dataclass(frozen=True, kw_only=True)
class JW307:
    type: ClassVar[BerichtType] = BerichtType.JW307
    header: Header
    client: ClientStop


# --- JW315 verzoek om toewijzing ------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AangevraagdProduct:
    referentie_aanbieder: str  # unique per aanbieder (TR347), per product in the message (TR383)
    toewijzing_ingangsdatum: date
    verwijzer: Verwijzer
    beschikking_nummer: int | None = None
    product: Product | None = None
    beschikking_ingangsdatum: date | None = None
    toewijzing_einddatum: date | None = None
    omvang: Omvang | None = None
    budget: int | None = None
    raamcontract: str | None = None  # JaNee
    commentaar: str | None = None


@dataclass(frozen=True, kw_only=True)
class ClientVerzoek:
    bsn: str = field(repr=False)
    geboortedatum: Geboortedatum
    geslacht: str
    naam: VerkorteNaam
    aangevraagde_producten: tuple[AangevraagdProduct, ...]
    gezagsdrager_bekend: str | None = None  # JaNee
    commentaar: str | None = None


@dataclass(frozen=True, kw_only=True)
class JW315:
    type: ClassVar[BerichtType] = BerichtType.JW315
    header: Header
    client: ClientVerzoek


# --- JW317 verzoek om wijziging -------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class OngewijzigdProduct:
    toewijzing_nummer: int


@dataclass(frozen=True, kw_only=True)
class TeWijzigenProduct:
    toewijzing_nummer: int
    gewenste_ingangsdatum: date
    einddatum: date | None = None
    omvang: Omvang | None = None
    budget: int | None = None


@dataclass(frozen=True, kw_only=True)
class NieuwProduct:
    gewenste_ingangsdatum: date
    product: Product | None = None
    einddatum: date | None = None
    omvang: Omvang | None = None
    budget: int | None = None


@dataclass(frozen=True, kw_only=True)
class Verzoek:
    referentie_aanbieder: str
    reden_verzoek: str  # WJ758
    ongewijzigde_producten: tuple[OngewijzigdProduct, ...] = ()
    te_wijzigen_producten: tuple[TeWijzigenProduct, ...] = ()
    nieuwe_producten: tuple[NieuwProduct, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ClientWijziging:
    bsn: str = field(repr=False)
    verzoek: Verzoek


@dataclass(frozen=True, kw_only=True)
class JW317:
    type: ClassVar[BerichtType] = BerichtType.JW317
    header: Header
    client: ClientWijziging


# --- JW319 antwoord -------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Antwoord:
    """The gemeente's answer to a VOT or VOW.

    ``woonplaatsbeginsel_gemeente`` is the element ``Woonplaatsbeginsel/Gemeente``: the
    gemeente responsible according to the sender, present exactly when
    ``reden_afwijzing_verzoek`` is 8 (TR377, TR409).
    """

    referentie_aanbieder: str
    verzoek_antwoord: str  # WJ760: 1 afgewezen, 2 in onderzoek
    reden_afwijzing_verzoek: str | None = None  # WJ759
    woonplaatsbeginsel_gemeente: str | None = None


@dataclass(frozen=True, kw_only=True)
class JW319:
    type: ClassVar[BerichtType] = BerichtType.JW319
    header: Header
    antwoord: Antwoord


# --- JW323 declaratie -----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Prestatie:
    referentie_nummer: str
    toewijzing_nummer: int
    product_categorie: str
    product_code: str
    product_periode: GeslotenPeriode
    geleverd_volume: int
    eenheid: str
    ingediend_bedrag: int  # eurocent
    debet_credit: str  # D or C
    vorig_referentie_nummer: str | None = None  # required on a credit (CD060)
    product_tarief: int | None = None  # eurocent per eenheid; required unless Eenheid 83 (CD087)


@dataclass(frozen=True, kw_only=True)
class ClientDeclaratie:
    bsn: str = field(repr=False)
    prestaties: tuple[Prestatie, ...]


@dataclass(frozen=True, kw_only=True)
class Declaratie:
    declaratie_nummer: str
    declaratie_periode: GeslotenPeriode
    declaratie_dagtekening: date
    totaal_ingediend_bedrag: int  # eurocent, debet minus credit (TR358)
    totaal_debet_credit: str
    clienten: tuple[ClientDeclaratie, ...]


@dataclass(frozen=True, kw_only=True)
class JW323:
    type: ClassVar[BerichtType] = BerichtType.JW323
    header: Header
    declaratie: Declaratie


Bericht = JW301 | JW305 | JW307 | JW315 | JW317 | JW319 | JW323

MODEL_CLASSES: dict[BerichtType, type] = {
    BerichtType.JW301: JW301,
    BerichtType.JW305: JW305,
    BerichtType.JW307: JW307,
    BerichtType.JW315: JW315,
    BerichtType.JW317: JW317,
    BerichtType.JW319: JW319,
    BerichtType.JW323: JW323,
}


@dataclass(frozen=True)
class BerichtSleutel:
    """What makes a message unique: its type, its sender and its Identificatie (TR056)."""

    type: BerichtType
    afzender: str
    identificatie: str

    def __str__(self) -> str:
        return f"{self.type.value}/{self.afzender}/{self.identificatie}"


def sleutel(bericht: Bericht) -> BerichtSleutel:
    return BerichtSleutel(bericht.type, bericht.header.afzender, bericht.header.identificatie)
