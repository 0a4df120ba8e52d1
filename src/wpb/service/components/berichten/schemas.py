"""Response bodies of the iJw message API (Pydantic), as published in the OpenAPI document.

Every field is optional in the model and answered only when the service set it
(``response_model_exclude_unset``), so the documented model never adds or drops a field of
what the service functions return; unknown extra fields pass through.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from wpb.service.components.overdrachten.schemas import Gemeente
from wpb.service.schemas import Day, Moment, ResponseBody


class Termijn(ResponseBody):
    regel: str | None = None
    omschrijving: str | None = None
    start: Day | None = None
    uiterlijk: Day | None = None
    bron: str | None = None
    status: str | None = None
    werkdagenOver: int | None = None


class Instemming(ResponseBody):
    """Een verzoek om instemming vóór een JW319 met reden 8 (issue 18 item 12)."""

    id: str | None = Field(None, description="De publieke id (UUID) van de vraag.")
    bericht: str | None = Field(None, description="De publieke id (UUID) van het verzoek (JW315).")
    gemeente: Gemeente | None = None
    gevraagdDoor: Gemeente | None = None
    aanbieder: str | None = None
    bsn: str | None = None
    status: str | None = None
    reden: str | None = None
    toelichting: str | None = None
    versie: int | None = None
    gevraagdOp: Moment | None = None
    beslistOp: Moment | None = None
    geschil: str | None = Field(None, description="De publieke id (UUID) van het geschil dat een bezwaar opende.")


class Instemmingen(ResponseBody):
    instemmingen: list[Instemming] | None = None


class Bericht(ResponseBody):
    id: str | None = Field(None, description="De publieke id (UUID) van het bericht.")
    berichttype: str | None = None
    omschrijving: str | None = None
    afzender: str | None = None
    ontvanger: str | None = None
    identificatie: str | None = None
    dagtekening: Day | None = None
    ontvangenOp: Moment | None = None
    gemeente: Gemeente | None = None
    aanbieder: str | None = None
    bron: str | None = None
    status: str | None = None
    versie: int | None = None
    xsdGecontroleerd: bool | None = None
    antwoordOpBericht: str | None = Field(None, description="De publieke id van het bericht waarop dit antwoordt.")
    uiterlijk: Day | None = None
    termijnen: list[Termijn] | None = None
    voorstel: dict[str, Any] | None = None
    voorstelOp: Moment | None = None
    antwoorden: list[dict[str, Any]] | None = None
    beantwoordOp: Moment | None = None
    retour: dict[str, Any] | None = None
    instemmingen: list[Instemming] | None = None


class Ontvangstbewijs(Bericht):
    registratie: str | None = None


class Berichtenpagina(ResponseBody):
    berichten: list[Bericht] | None = None
    totaal: int | None = None
    pagina: int | None = None
    paginaGrootte: int | None = None


class VerzondenBericht(ResponseBody):
    id: str | None = Field(None, description="De publieke id (UUID) van het verzonden bericht.")
    berichttype: str | None = None
    identificatie: str | None = None
    xml: str | None = None


class Antwoord(ResponseBody):
    verzoek: Bericht | None = None
    berichten: list[VerzondenBericht] | None = None
