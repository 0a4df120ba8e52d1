"""Request and response bodies of the REST API (Pydantic), as published in the OpenAPI document.

Field names are Dutch and camelCase, as the NL GOV API Design Rules ask. Request bodies
refuse unknown fields, so a typo is an error instead of being silently ignored. Dates are
``format: date``; moments are UTC ``date-time``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

# A moment in UTC as the service writes it (ISO 8601 with "Z"): ``format: date-time`` in
# the document, as ADR /core/date-time/format asks for every moment field (...Op, tijdstip).
Moment = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]

StatusLiteral = Literal["aangeleverd", "geaccepteerd", "afgewezen", "afgerond", "doorgestuurd"]
# The law of a transfer (issue 8); the values of wpb.service.models.WETTEN.
WetLiteral = Literal["jeugdwet", "wmo-bw"]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Response(BaseModel):
    model_config = ConfigDict(extra="allow")


# --- errors ---------------------------------------------------------------------------------


class InvalidParam(BaseModel):
    name: str = Field(description="Het veld of de plaats van de fout, bijv. 'onderbouwing' of 'regel 4, kolom bsn'.")
    code: str
    reason: str


class ProblemDetails(_Response):
    type: str = Field(description="URI die het soort probleem aanduidt.")
    title: str
    status: int
    detail: str
    code: str
    invalidParams: list[InvalidParam] | None = None


# --- authentication -----------------------------------------------------------------------


class TokenAanvraag(_Request):
    gebruikersnaam: str = Field(min_length=1, max_length=100)
    wachtwoord: str = Field(min_length=1, max_length=1000)
    omschrijving: str = Field(default="", max_length=200, description="Waarvoor het token dient.")


class Token(_Response):
    token: str = Field(description="Het API-token; alleen nu zichtbaar, bewaar het veilig.")
    tokenType: Literal["Bearer"] = "Bearer"
    verlooptOp: Moment | None = Field(description="UTC-moment waarop het token verloopt.")


class Gebruikersprofiel(_Response):
    gebruikersnaam: str
    naam: str
    organisatie: dict[str, Any]


# --- transfers ------------------------------------------------------------------------------


class Gemeente(BaseModel):
    code: str
    naam: str | None


class OverdrachtSamenvatting(_Response):
    id: int
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
    gewijzigdOp: Moment


class OverdrachtenPagina(_Response):
    overdrachten: list[OverdrachtSamenvatting]
    totaal: int
    pagina: int
    paginaGrootte: int


class Regel(BaseModel):
    id: int
    aanbiederAgb: str
    product: str
    toewijzingEinddatum: date
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


class BrpStatus(_Response):
    aanwezig: bool
    bron: str | None
    ontvangenOp: Moment | None


class Taak(_Response):
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
    status: str
    teLaat: bool


class TaakInLijst(Taak):
    overdrachtId: int
    bsn: str


class Verantwoordelijkheid(_Response):
    peildatum: date
    gemeente: Gemeente
    gemeenteOpPeildatum: list[str]
    rol: str
    tak: dict[str, Any]
    binnenMaatregel: bool
    reden: str
    bron: dict[str, Any]
    tijdlijn: list[dict[str, Any]]


class OverdrachtDetail(OverdrachtSamenvatting):
    geaccepteerdOp: date | None
    afwijzing: Afwijzing | None
    afronding: Afronding | None
    doorgestuurdOp: date | None
    vorigeOverdrachtId: int | None
    volgendeOverdrachtId: int | None
    regels: list[Regel]
    gebeurtenissen: list[Gebeurtenis]
    rollen: list[str]
    mogelijkeActies: list[str]
    brp: BrpStatus | None
    woonplaatsbeslissing: dict[str, Any] | None
    verantwoordelijkheid: Verantwoordelijkheid
    taken: list[Taak]


class Zoekvraag(_Request):
    bsn: str = Field(description="Burgerservicenummer (9 cijfers, 11-proef).", max_length=20)


class Zoekresultaat(_Response):
    overdrachten: list[OverdrachtSamenvatting]


class _Versie(_Request):
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


class BrpBevraging(_Request):
    # The BRP is asked for the period up to the day after the peildatum, so 9999-12-31 is out.
    peildatum: date | None = Field(
        default=None, le=date(9999, 12, 30), description="Tot en met deze dag; standaard vandaag."
    )


# The BRP data come from the transfer; the rest per law: for a Jeugdwet transfer the care
# episodes, for a wmo-bw transfer the Wmo case JSON without its BRP part (client). (No
# docstring: it would become the schema's description in the Dutch OpenAPI document.)
class Woonplaatsbeslissingsverzoek(_Request):
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


class BrpKoppeling(_Response):
    aanwezig: bool
    bron: str | None
    ontvangenOp: Moment | None
    aantalVerblijfplaatsen: int


class TaakWijziging(_Request):
    gedaan: bool


class TakenVanOverdracht(_Response):
    overdrachtId: int
    taken: list[Taak]


class Takenlijst(_Response):
    taken: list[TaakInLijst]


class Overzicht(_Response):
    peildatum: date
    gemeenten: list[dict[str, Any]]


# --- uploads --------------------------------------------------------------------------------


class Afkeuring(BaseModel):
    regel: int
    kolom: str | None
    reden: str


class GeldigeRegel(BaseModel):
    regel: int
    bsn: str
    geboortedatum: date
    ontvangendeGemeente: str
    aanbiederAgb: str
    product: str
    toewijzingEinddatum: date
    pgb: bool
    wet: WetLiteral
    bestaandeOverdrachtId: int | None


class Controleresultaat(_Response):
    bestandsnaam: str
    aanleverdatum: date
    regelsTotaal: int
    regelsGeldig: int
    regelsAfgewezen: int
    controle: str = Field(description="Stuur deze code mee bij het opslaan om te bevestigen.")
    geldig: list[GeldigeRegel]
    afgewezen: list[Afkeuring]
    genegeerdeKolommen: list[str]


class Aanlevering(_Response):
    aanleveringId: int
    regelsOpgeslagen: int
    regelsAfgewezen: int
    nieuweOverdrachten: list[int]
    aangevuldeOverdrachten: list[int]
    afgewezen: list[Afkeuring]
