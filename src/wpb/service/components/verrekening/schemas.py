"""Response bodies of the settlement API (Pydantic), as published in the OpenAPI document.

Every field is optional in the model and answered only when the service set it
(``response_model_exclude_unset``), so the documented model never adds or drops a field of
what the service functions return; unknown extra fields pass through.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from wpb.service.components.overdrachten.schemas import Gemeente
from wpb.service.schemas import Day, Moment, ResponseBody


class Pagina(ResponseBody):
    totaal: int | None = None
    pagina: int | None = None
    paginaGrootte: int | None = None


class Factuur(ResponseBody):
    id: str | None = Field(None, description="De publieke id (UUID) van de factuur.")
    sleutel: str | None = None
    referentie: str | None = None
    jeugdige: str | None = None
    betaler: Gemeente | None = None
    aanbieder: str | None = None
    product: str | None = None
    begin: Day | None = None
    einde: Day | None = None
    bedrag: int | None = None
    betaaldatum: Day | None = None
    bron: str | None = None
    importId: str | None = Field(None, description="De publieke id (UUID) van de inlezing.")


class Factuurimport(ResponseBody):
    importId: str | None = Field(None, description="De publieke id (UUID) van de inlezing.")
    bron: str | None = None
    aantal: int | None = None
    totaal: int | None = None
    facturen: list[str] | None = None  # the keys of the imported invoices


class Facturenpagina(Pagina):
    facturen: list[Factuur] | None = None


class Beslissing(ResponseBody):
    id: str | None = None
    jeugdige: str | None = None
    gemeente: Gemeente | None = None
    ingang: Day | None = None
    tot: Day | None = None
    vastgesteldOp: Day | None = None
    invoerHash: str | None = None
    overdrachtId: str | None = None
    geregistreerdDoor: str | None = None
    geregistreerdOp: Moment | None = None


class Beslissingenlijst(ResponseBody):
    beslissingen: list[Beslissing] | None = None


class Claim(ResponseBody):
    id: str | None = None
    soort: str | None = None
    factuur: str | None = None
    aanbieder: str | None = None
    product: str | None = None
    jeugdige: str | None = None
    schuldeiser: Gemeente | str | None = None  # a code where a list names it briefly
    schuldenaar: Gemeente | str | None = None
    van: Day | None = None
    totEnMet: Day | None = None
    bedrag: int | None = None
    grondslagen: list[dict[str, Any]] | None = None
    ontstaan: str | None = None
    status: str | None = None
    statusSinds: str | None = None
    corrigeert: list[str] | None = None
    toelichting: str | None = None
    versie: int | None = None
    mogelijkeStatussen: list[str] | None = None


class ClaimMetGebeurtenissen(Claim):
    gebeurtenissen: list[dict[str, Any]] | None = None


class Claimspagina(Pagina):
    claims: list[Claim] | None = None


class Claimlijst(ResponseBody):
    claims: list[Claim] | None = None


class Bedragtelling(ResponseBody):
    aantal: int | None = None
    bedrag: int | None = None


class Rekening(ResponseBody):
    gemeente: Gemeente
    iban: str
    bic: str | None = None
    rekeninghouder: str
    gewijzigdOp: Moment


class Rekeningenlijst(ResponseBody):
    rekeningen: list[Rekening]


class Factuurintrekking(ResponseBody):
    factuur: str = Field(description="De sleutel van de ingetrokken factuur.")
    ingetrokkenClaims: list[str] = Field(description="De open claims die met haar vervielen.")


# An invoice set aside whole: a value outside the sane bounds (issue 19, S4/S6).
class Geweigerd(ResponseBody):

    factuur: str
    betaler: str
    aanbieder: str
    jeugdige: str = Field(description="Pseudoniem van de jeugdige.")
    begin: Day
    einde: Day
    bedrag: int
    reden: str


class Herberekening(ResponseBody):
    datum: Day | None = None
    facturen: int | None = None
    nieuw: list[Claim] | None = None
    correcties: list[Claim] | None = None
    ingetrokken: list[Any] | None = None
    ongewijzigd: int | None = None
    eigen: Bedragtelling | None = None
    onbepaald: list[Any] | None = None
    geweigerd: list[Geweigerd] | None = None
    overgeslagen: list[Any] | None = None


class HerleideJeugdige(ResponseBody):
    jeugdige: str | None = None
    bsn: str | None = None


class Saldo(ResponseBody):
    gemeente: Gemeente | None = None
    saldo: int | None = None


class Betaling(ResponseBody):
    van: Gemeente | None = None
    aan: Gemeente | None = None
    bedrag: int | None = None
    betaaldOp: Day | None = None


class Saldering(ResponseBody):
    id: str | None = Field(None, description="De publieke id (UUID) van de saldering.")
    datum: Day | None = None
    status: str | None = None
    versie: int | None = None
    saldi: list[Saldo] | None = None
    betalingen: list[Betaling] | None = None
    aantalBetalingen: int | None = None
    claims: list[Any] | None = None
    akkoord: list[Any] | None = None
    intern: list[Any] | None = None


class Salderingenlijst(ResponseBody):
    salderingen: list[Saldering] | None = None


class Tegenpartij(ResponseBody):
    gemeente: Gemeente | None = None
    teOntvangen: int | None = None
    teBetalen: int | None = None
    netto: int | None = None
    claimsTeOntvangen: list[Any] | None = None
    claimsTeBetalen: list[Any] | None = None


class Verrekenoverzicht(ResponseBody):
    gemeente: Gemeente | None = None
    datum: Day | None = None
    teOntvangen: int | None = None
    teBetalen: int | None = None
    netto: int | None = None
    tegenpartijen: list[Tegenpartij] | None = None


class Vangnetclaim(ResponseBody):
    reden: str | None = None
    sinds: str | None = None
    claim: Claim | None = None


class Vangnet(ResponseBody):
    peildatum: Day | None = None
    termijnMaanden: int | None = None
    totaal: int | None = None
    aantal: int | None = None
    perGemeente: dict[str, Any] | None = None
    perAanbieder: dict[str, Any] | None = None
    claims: list[Vangnetclaim] | None = None


class Compensatie(ResponseBody):
    van: Day | None = None
    tot: Day | None = None
    gemeenten: list[dict[str, Any]] | None = None
    teBeoordelen: list[dict[str, Any]] | None = None


class Geschilpartij(ResponseBody):
    soort: str | None = None
    code: str | None = None
    naam: str | None = None


class Geschilgebeurtenis(ResponseBody):
    soort: str | None = None
    vanNiveau: str | None = None
    naarNiveau: str | None = None
    datum: Day | None = None
    organisatie: str | None = None
    toelichting: str | None = None


class Geschil(ResponseBody):
    id: str | None = Field(None, description="De publieke id (UUID) van het geschil.")
    onderwerp: str | None = None
    claimId: str | None = None
    jeugdige: str | None = None
    omschrijving: str | None = None
    status: str | None = None
    niveau: str | None = None
    uitkomst: str | None = None
    versie: int | None = None
    ingediendDoor: str | None = None
    ingediendOp: Day | None = None
    opgelostOp: Day | None = None
    partijen: list[Geschilpartij] | None = None
    gebeurtenissen: list[Geschilgebeurtenis] | None = None


class Geschillenlijst(ResponseBody):
    geschillen: list[Geschil] | None = None
