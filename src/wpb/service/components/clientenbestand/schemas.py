"""Request and response bodies of the caseload, its BRP fetch, the woonplaatscheck and the
signalen."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import ConfigDict, Field

from wpb.service.components.overdrachten.schemas import Aanlevering, Woonplaatsbeslissing
from wpb.service.schemas import Day, Moment, RequestBody, ResponseBody

SoortLiteral = Literal["andere_gemeente", "review", "einde_jeugdige", "wijziging_gepland"]
AfhandelingLiteral = Literal["overdracht", "gecontroleerd", "afgewezen"]


class Rijfout(ResponseBody):
    regel: int | None = Field(description="Regelnummer in het bestand; leeg: het bestand als geheel.")
    kolom: str | None = Field(description="De kolom, of het bericht (JW301) waar het om gaat.")
    reden: str = Field(description="Waarom; een BSN alleen met de laatste 3 cijfers.")


class Verschiltelling(ResponseBody):
    nieuw: int
    beeindigd: int
    gewijzigd: int
    ongewijzigd: int


class Controle(ResponseBody):
    regels: int
    geldig: int
    ongeldig: int
    onleesbaar: bool = Field(description="Het bestand als geheel is onbruikbaar: er kan niets bewaard worden.")
    fouten: list[Rijfout]
    controle: str = Field(description="Stuur deze code mee bij het opslaan om te bevestigen.")
    verschil: Verschiltelling | None = Field(
        description="Wat opslaan zou veranderen ten opzichte van het huidige cliëntenbestand.")


class Inlezing(ResponseBody):
    id: str = Field(description="De publieke id (UUID) van de inlezing.")
    regels: int
    bewaard: int
    nieuw: int
    beeindigd: int
    gewijzigd: int
    ongewijzigd: int
    beeindigdeClienten: list[str] = Field(description="Gemaskeerde BSN's van cliënten die uit het bestand zijn verdwenen (hoogstens 50).")


class Toewijzing(ResponseBody):
    bsn: str
    geboortedatum: Day
    aanbiederAgb: str
    productcategorie: str | None
    productcode: str | None
    begindatum: Day
    einddatum: Day | None
    verblijf: bool
    wet: str
    toewijzingnummer: str | None
    brpAanwezig: bool = Field(description="Of uw organisatie BRP-gegevens van deze cliënt heeft.")


class ClientenbestandPagina(ResponseBody):
    totaal: int
    clienten: int
    metBrp: int
    laatsteInlezing: Moment | None
    pagina: int
    toewijzingen: list[Toewijzing]


class Mislukking(ResponseBody):
    bsn: str
    reden: str


class BrpOphaling(ResponseBody):
    gevraagd: int
    opgeslagen: int
    zonderMoeder: int
    mislukt: list[Mislukking]


class WoonplaatscheckVerzoek(RequestBody):
    peildatum: date | None = Field(default=None, ge=date(2015, 1, 1), le=date(9999, 12, 30),
                                   description="Standaard vandaag.")


class WoonplaatscheckRun(ResponseBody):
    peildatum: Day
    beslist: int
    nietOpgehaald: int
    zonderLopendeZorg: int
    nieuw: int
    bijgewerkt: int
    alAfgehandeld: int
    vervallen: int
    perSoort: dict[str, int]


class Signaal(ResponseBody):
    id: str = Field(description="De publieke id (UUID) van het signaal.")
    bsn: str
    soort: SoortLiteral
    verantwoordelijkeGemeente: str | None
    vanaf: Day | None
    status: str
    reden: str
    vingerafdruk: str
    peildatum: Day
    afhandeling: AfhandelingLiteral | None
    afhandelingToelichting: str | None
    afgehandeldOp: Moment | None
    overdrachtId: str | None = Field(description="De publieke id van de overdracht die uit dit signaal is gemaakt (of aangevuld).")


# No docstring: it would become the schema's description in the Dutch OpenAPI document.
class SignaalBeslissing(Woonplaatsbeslissing):
    model_config = ConfigDict(extra="allow", json_schema_extra={"description": (
        "De woonplaatsbeslissing van de woonplaatscheck: wet, uitkomst, grondslag, gebruikte "
        "en ontbrekende gegevens en het ontvangstbewijs, met bsn, vanaf en de herkomst van "
        "de BRP-gegevens (brp)."
    )})


class SignaalDetail(Signaal):
    beslissing: SignaalBeslissing | None = Field(description="De beslissing achter het signaal, met bsn, vanaf en de herkomst van de BRP-gegevens.")
    aanlevering: list[dict[str, str]] = Field(description="Regels voor de aanlevering van een overdracht, met vanaf.")


class SignalenPagina(ResponseBody):
    totaal: int
    pagina: int
    openPerSoort: dict[str, int]
    signalen: list[Signaal]


class SignaalOverdrachtVerzoek(RequestBody):
    controle: str = Field(min_length=1, max_length=64, description="De controlecode uit _controleer.")


class SignaalOverdracht(ResponseBody):
    overdrachtId: str
    signaal: SignaalDetail
    aanlevering: Aanlevering


class Afhandeling(RequestBody):
    afhandeling: AfhandelingLiteral
    toelichting: str = Field(default="", max_length=2000)
