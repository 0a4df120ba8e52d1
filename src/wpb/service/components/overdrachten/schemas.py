"""Request and response bodies of transfers, tasks, the woonplaats check and uploads.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from wpb.service.schemas import Day, Moment, RequestBody, ResponseBody

StatusLiteral = Literal["aangeleverd", "geaccepteerd", "afgewezen", "afgerond", "doorgestuurd",
                        "ingetrokken", "teruggenomen"]
# The law of a transfer (issue 8); the values of wpb.service.components.overdrachten.models.WETTEN.
WetLiteral = Literal["jeugdwet", "wmo-bw"]
# The regimes of wpb.law.overgang.Regime.
RegimeLiteral = Literal["jeugdwet", "1-november-maatregel"]
# The sort keys of a transfer list (queries.SORT_KEYS; a test holds them equal).
SorteerLiteral = Literal["termijn", "verantwoordelijk", "aanbieder", "regels", "id", "status",
                         "wet", "bsn", "geboortedatum", "latende", "ontvangende",
                         "aanleverdatum", "vanaf", "gewijzigd"]


# --- transfers ------------------------------------------------------------------------------


class Gemeente(BaseModel):
    code: str
    naam: str | None


class Aanbieder(BaseModel):
    agb: str
    naam: str | None = Field(description="De naam zoals de aanbieder is geregistreerd; leeg als die niet bekend is.")
    aantal: int = Field(description="Het aantal verschillende aanbieders van de overdracht.")


class OverdrachtSamenvatting(ResponseBody):
    id: str = Field(description="De publieke id (UUID) van de overdracht.")
    status: StatusLiteral
    versie: int
    wet: WetLiteral = Field(
        description="De wet van de overdracht: jeugdwet, of wmo-bw voor een cliënt in beschermd wonen."
    )
    bsn: str
    geboortedatum: date
    latendeGemeente: Gemeente
    ontvangendeGemeente: Gemeente
    aanleverdatum: date = Field(description="De dag waarop de gegevens van de jeugdige voor het eerst zijn aangeleverd.")
    aantalRegels: int
    pgb: bool
    vanaf: date | None = Field(
        description="De dag vanaf wanneer de ontvangende gemeente volgens de wet verantwoordelijk "
        "is; leeg bij een overdracht van de migratiegroep 2021/22.")
    regime: RegimeLiteral = Field(
        description="De regel die de overdracht beheerst: jeugdwet (woonplaatsbeginsel, vanaf "
        "'vanaf') of 1-november-maatregel (migratiegroep).")
    gewijzigdOp: Moment
    termijn: date | None = Field(
        description="De laatste dag voor het antwoord (accepteren of afwijzen) van de ontvangende "
        "gemeente, zolang de overdracht daarop wacht (status aangeleverd); anders leeg.")
    verantwoordelijkNu: Gemeente = Field(
        description="De gemeente die vandaag volgens de regels van de overdracht verantwoordelijk is.")
    aanbieder: Aanbieder | None = Field(
        description="De eerste aanbieder (laagste AGB-code) van de regels die u ziet; leeg zonder regels.")


class OverdrachtenPagina(ResponseBody):
    overdrachten: list[OverdrachtSamenvatting]
    totaal: int
    pagina: int
    paginaGrootte: int


class Regel(BaseModel):
    id: str = Field(description="De publieke id (UUID) van de regel.")
    aanbiederAgb: str
    product: str
    toewijzingEinddatum: date | None = Field(description="Leeg: de toewijzing loopt door.")
    pgb: bool
    aanleverdatum: date


class Gebeurtenis(BaseModel):
    tijdstip: Moment
    datum: date
    soort: str
    vanStatus: str | None
    naarStatus: str | None
    organisatie: str
    toelichting: str


class Afwijzing(BaseModel):
    datum: date | None
    onderbouwing: str | None
    beslissing: dict[str, Any] | None


class Afronding(BaseModel):
    datum: date | None
    toewijzingIngangsdatum: date | None
    toewijzingReferentie: str | None


class BrpStatus(ResponseBody):
    aanwezig: bool
    bron: str | None
    ontvangenOp: Moment | None


class Taak(ResponseBody):
    code: str
    partij: str
    gemeente: Gemeente | None
    titel: str
    toelichting: str
    voor: date | None
    nietVoor: date | None
    kanStarten: bool
    gedaan: bool
    gedaanDoor: str | None
    uiterlijk: date | None = Field(default=None, description="De laatste dag die op tijd is.")
    termijnbron: str | None = Field(default=None, description="De regel die de termijn stelt.")
    status: str
    teLaat: bool


class TaakInLijst(Taak):
    overdrachtId: str
    bsn: str


class CodeOmschrijving(BaseModel):
    code: str
    omschrijving: str


class Bron(BaseModel):
    titel: str
    uitgever: str
    datum: date
    onderdeel: str | None
    citeertitel: str
    regel: str
    zieOok: str | None


class Periode(BaseModel):
    van: date
    tot: date | None = Field(description="Tot (niet tot en met); leeg: doorlopend.")
    totEnMet: date | None
    gemeente: Gemeente
    rol: str
    tak: str
    regime: RegimeLiteral
    bron: str = Field(description="De bron van de regel, als citeertitel.")
    reden: str


class Verantwoordelijkheid(ResponseBody):
    peildatum: date
    gemeente: Gemeente
    gemeenteOpPeildatum: list[str]
    rol: str
    tak: CodeOmschrijving
    regime: CodeOmschrijving = Field(
        description="De regel die geldt: het woonplaatsbeginsel van de Jeugdwet vanaf 'vanaf', "
        "of de 1-november-maatregel voor de migratiegroep.")
    vanaf: date | None
    binnenMaatregel: bool
    reden: str
    bron: Bron
    gebruikteDatums: dict[str, date | None]
    tijdlijn: list[Periode]


class OverdrachtDetail(OverdrachtSamenvatting):
    geaccepteerdOp: date | None
    afwijzing: Afwijzing | None
    afronding: Afronding | None
    doorgestuurdOp: date | None
    vorigeOverdrachtId: str | None
    volgendeOverdrachtId: str | None
    regels: list[Regel]
    gebeurtenissen: list[Gebeurtenis]
    rollen: list[str]
    mogelijkeActies: list[str]
    brp: BrpStatus | None
    woonplaatsbeslissing: dict[str, Any] | None
    verantwoordelijkheid: Verantwoordelijkheid
    taken: list[Taak]


class Zoekvraag(RequestBody):
    bsn: str = Field(description="Burgerservicenummer (9 cijfers, 11-proef).", max_length=20)


class Zoekresultaat(ResponseBody):
    overdrachten: list[OverdrachtSamenvatting]


class _Versie(RequestBody):
    versie: int | None = Field(
        default=None, ge=1,
        description="De versie die u zag; is de overdracht sindsdien gewijzigd, dan volgt 409.",
    )


class Acceptatie(_Versie):
    pass


class Afwijzingsverzoek(_Versie):
    onderbouwing: str | None = Field(default=None, max_length=10_000)
    gebruikWoonplaatsbeslissing: bool = Field(
        default=False,
        description="Neem de vastgelegde woonplaatsbeslissing op als onderbouwing.",
    )


class Afrondingsverzoek(_Versie):
    toewijzingIngangsdatum: date | None = None
    toewijzingReferentie: str | None = Field(default=None, max_length=100)


class Doorzending(_Versie):
    gemeente: str | None = Field(default=None, max_length=4, description="Gemeentecode (4 cijfers).")


class Correctie(_Versie):
    regelId: str = Field(max_length=64, description="De regel (aanbieder/product) die u corrigeert.")
    toewijzingEinddatum: date | None = Field(
        default=None, description="Nieuwe einddatum; weglaten laat hem staan.")
    toewijzingLooptDoor: bool = Field(
        default=False, description="Maak de einddatum leeg: de toewijzing loopt door.")
    product: str | None = Field(default=None, max_length=100)
    aanbiederAgb: str | None = Field(default=None, max_length=8)


class Overdrachtintrekking(_Versie):
    reden: str = Field(max_length=10_000, description="Waarom de overdracht wordt ingetrokken.")


class Heroverweging(_Versie):
    toelichting: str | None = Field(default=None, max_length=10_000)


class Terugname(_Versie):
    toelichting: str | None = Field(default=None, max_length=10_000)


class Selectiefilter(RequestBody):
    richting: Literal["inkomend", "uitgaand"] | None = None
    status: list[StatusLiteral] | None = None


class Bulkbesluit(RequestBody):
    besluit: Literal["accepteren", "afwijzen"]
    onderbouwing: str | None = Field(
        default=None, max_length=10_000, description="Verplicht bij afwijzen; geldt voor elke overdracht.")
    overdrachtIds: list[Annotated[str, Field(max_length=64)]] | None = Field(
        default=None, max_length=5_000, description="De gekozen overdrachten; of gebruik filter.")
    filter: Selectiefilter | None = Field(
        default=None, description="Alle overdrachten die u ziet en die aan dit filter voldoen.")


class Bulkuitkomst(BaseModel):
    overdrachtId: str | None
    regel: int | None = Field(description="De regel in het bestand met besluiten, als die er is.")
    uitkomst: Literal["gedaan", "conflict", "niet_toegestaan", "niet_gevonden", "ongeldig"]
    reden: str


class Bulkresultaat(ResponseBody):
    aantallen: dict[str, int]
    resultaten: list[Bulkuitkomst]


class BrpBevraging(RequestBody):
    # The BRP is asked for the period up to the day after the peildatum, so 9999-12-31 is out.
    peildatum: date | None = Field(
        default=None, le=date(9999, 12, 30), description="Tot en met deze dag; standaard vandaag."
    )


# The BRP data come from the transfer; the rest per law: for a Jeugdwet transfer the care
# episodes, for a wmo-bw transfer the Wmo case JSON without its BRP part (client). (No
# docstring: it would become the schema's description in the Dutch OpenAPI document.)
class Woonplaatsbeslissingsverzoek(RequestBody):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"description": (
            "Peildatum en, per wet van de overdracht, de gegevens naast de BRP: jeugdhulp bij "
            "de Jeugdwet; bij wmo-bw de Wmo-casus zonder het BRP-deel (client)."
        )},
    )

    peildatum: date | None = Field(default=None, description="Standaard vandaag.")
    jeugdhulp: list[dict[str, Any]] | None = Field(
        default=None, max_length=100,
        description="Alleen Jeugdwet: jeugdhulp-episodes in het casusformaat (begin, einde, "
        "verblijf, vorm).",
    )
    aanmelding: dict[str, Any] | None = Field(
        default=None,
        description="Alleen wmo-bw, verplicht: {gemeente, datum, regio: {naam, gemeenten}}; de "
        "gemeente tot wie de cliënt zich wendde en de dag van de melding.",
    )
    eerderBeschermdWonen: list[dict[str, Any]] | None = Field(
        default=None, max_length=100,
        description="Alleen wmo-bw, verplicht ([] als er geen waren): eerdere plaatsingen "
        "beschermd wonen {gemeente, locatie, begin, einde}.",
    )
    eerdereAanvragen: list[dict[str, Any]] | None = Field(
        default=None, max_length=100,
        description="Alleen wmo-bw: eerdere aanvragen {gemeente, datum}; weggelaten is onbekend.",
    )
    indicatie: dict[str, Any] | None = Field(
        default=None,
        description="Alleen wmo-bw: lopende indicatie {centrumgemeente, begin, einde}.",
    )
    uitzonderingen: dict[str, Any] | None = Field(
        default=None,
        description="Alleen wmo-bw: bevindingen over art. 1.2.1a lid 1 onder b, c en d "
        "({b, c, d}: true, false of null).",
    )
    beoogdeGemeente: str | None = Field(
        default=None, max_length=4,
        description="Alleen wmo-bw: de gemeente waar de cliënt beschermd gaat wonen (4 cijfers).",
    )


class BrpKoppeling(ResponseBody):
    aanwezig: bool
    bron: str | None
    ontvangenOp: Moment | None
    aantalVerblijfplaatsen: int


class TaakWijziging(RequestBody):
    gedaan: bool


class TakenVanOverdracht(ResponseBody):
    overdrachtId: str
    taken: list[Taak]


class Takenlijst(ResponseBody):
    taken: list[TaakInLijst]


class Overzicht(ResponseBody):
    peildatum: date
    gemeenten: list[dict[str, Any]]


# --- uploads --------------------------------------------------------------------------------


class Afkeuring(BaseModel):
    regel: int
    kolom: str | None
    reden: str
    waarde: str | None = Field(
        default=None,
        description="De afgekeurde waarde zoals in het bestand; een BSN alleen met de laatste "
        "3 cijfers (******019); leeg bij een ontbrekende waarde of een stuurteken.")


class GeldigeRegel(BaseModel):
    regel: int
    bsn: str
    geboortedatum: date
    ontvangendeGemeente: str
    aanbiederAgb: str
    product: str
    toewijzingEinddatum: date | None = Field(description="Leeg: de toewijzing loopt door.")
    pgb: bool
    wet: WetLiteral
    vanaf: date | None = Field(
        description="De dag vanaf wanneer de ontvangende gemeente volgens de wet verantwoordelijk "
        "is; leeg bij een overdracht van de migratiegroep 2021/22.")
    bestaandeOverdrachtId: str | None


class Controleresultaat(ResponseBody):
    bestandsnaam: str
    aanleverdatum: date
    regelsTotaal: int
    regelsGeldig: int
    regelsAfgewezen: int
    controle: str = Field(description="Stuur deze code mee bij het opslaan om te bevestigen.")
    geldig: list[GeldigeRegel]
    afgewezen: list[Afkeuring]
    genegeerdeKolommen: list[str]


class Aanlevering(ResponseBody):
    aanleveringId: str
    regelsOpgeslagen: int
    regelsAfgewezen: int
    nieuweOverdrachten: list[str]
    aangevuldeOverdrachten: list[str]
    afgewezen: list[Afkeuring]


# The engine's decision as JSON: the law, the outcome, the clause applied (grondslag), the
# facts used and missing, and the receipt. Fields of one law only (the Wmo's centrumgemeente,
# a Jeugdwet decision's onderdeel) are there when that law is applied; every field is
# answered as the engine wrote it. (No docstring: it would become the schema's description
# in the Dutch OpenAPI document.)
class Woonplaatsbeslissing(ResponseBody):
    model_config = ConfigDict(extra="allow", json_schema_extra={"description": (
        "De beslissing van de woonplaatsengine: de wet, de uitkomst, het toegepaste artikel "
        "(grondslag), de gebruikte en ontbrekende gegevens en het ontvangstbewijs."
    )})

    wet: str | None = None
    peildatum: Day | None = None
    status: str | None = None
    gemeente: dict[str, Any] | None = None
    grondslag: dict[str, Any] | None = None
    reden: Any = None
    toelichting: str | None = None
    gebruikteGegevens: list[Any] | None = None
    ontbrekend: list[Any] | None = None
    kandidaten: list[Any] | None = None
    receipt: dict[str, Any] | None = None
