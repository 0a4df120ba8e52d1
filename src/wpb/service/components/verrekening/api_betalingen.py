"""The API of payments out (issue 18, item 3): the gemeenten's bank accounts and the
payment files of an accepted netting run (rules in
:mod:`wpb.service.components.verrekening.betaalbestanden`).

| path | what |
|---|---|
| ``GET /rekeningen`` | your account (gemeente) or all (coordinator) |
| ``PUT /rekeningen/{gemeentecode}`` | set the IBAN (mod-97 checked), BIC, account holder |
| ``GET /salderingen/{id}/betaalbestand`` | pain.001 XML of one payer, or the CSV |
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import Field

from wpb.service.api_base import ProblemRoute
from wpb.service.auth.bearer import Who
from wpb.service.components.verrekening import betaalbestanden
from wpb.service.components.verrekening import schemas as bodies
from wpb.service.components.verrekening.common import api_problems
from wpb.service.public_ids import path_id
from wpb.service.schemas import RequestBody
from wpb.service.state import Ctx, Db

Gemeentecode = Annotated[str, Path(pattern=r"^[0-9]{4}$")]


class RekeningInvoer(RequestBody):
    iban: str = Field(min_length=15, max_length=42, description="IBAN; spaties mogen.")
    bic: str | None = Field(default=None, max_length=11)
    rekeninghouder: str | None = Field(default=None, max_length=70,
                                       description="Standaard 'Gemeente <naam>'.")


router = APIRouter(route_class=ProblemRoute)


@router.get(
    "/rekeningen", tags=["verrekening"], response_model=bodies.Rekeningenlijst,
    summary="Bankrekeningen voor de betaalbestanden (uw eigen; de coördinator alle)",
    description="De rekeningen waarmee de betalingen van een saldering worden gedaan.",
    responses=api_problems(401, 404),
)
def list_accounts(ctx: Ctx, session: Db, who: Who) -> dict:
    return {"rekeningen": betaalbestanden.list_rekeningen(session, who, ctx)}


@router.put(
    "/rekeningen/{gemeentecode}", tags=["verrekening"], response_model=bodies.Rekening,
    summary="Leg de bankrekening van een gemeente vast (de gemeente zelf of de coördinator)",
    description=(
        "De IBAN wordt gecontroleerd met de modulus-97-proef (ISO 13616); een fout staat in "
        "invalidParams en er wordt niets gewijzigd. Het vastleggen komt in het auditlog."
    ),
    responses=api_problems(400, 401, 403, 404),
)
def set_account(ctx: Ctx, session: Db, who: Who, gemeentecode: Gemeentecode,
                body: RekeningInvoer) -> dict:
    return betaalbestanden.set_rekening(session, who, ctx, gemeentecode, iban=body.iban,
                                        bic=body.bic, rekeninghouder=body.rekeninghouder)


@router.get(
    "/salderingen/{saldering_id}/betaalbestand", tags=["verrekening"],
    response_class=Response,
    summary="Betaalbestand van een geaccepteerde saldering: pain.001 (per betaler) of CSV",
    description=(
        "pain.001: de SEPA-overboekingen van één betalende gemeente, één per betaling, met het "
        "kenmerk van de saldering (een gemeente krijgt alleen de hare). CSV: de betalingen, "
        "voor een gemeente alleen die waarbij zij partij is. Een voorstel of een partij zonder "
        "rekening geeft 409."
    ),
    responses={200: {"content": {betaalbestanden.PAIN001: {"schema": {"type": "string"}},
                                 "text/csv": {"schema": {"type": "string"}}},
                     "description": "Het betaalbestand."},
               **api_problems(400, 401, 404, 409)},
)
def payment_file(
    ctx: Ctx, session: Db, who: Who,
    saldering_id: Annotated[str, path_id("de saldering")],
    formaat: Annotated[Literal["pain001", "csv"], Query()] = "pain001",
    gemeente: Annotated[str | None, Query(pattern=r"^[0-9]{4}$",
                                          description="De betalende gemeente (coördinator).")] = None,
    uitvoerdatum: Annotated[date | None, Query(description="Standaard vandaag.")] = None,
) -> Response:
    bestand = betaalbestanden.betaalbestand(session, who, ctx, saldering_id, formaat=formaat,
                                            gemeente=gemeente, uitvoerdatum=uitvoerdatum)
    return Response(bestand.content, media_type=bestand.media_type, headers={
        "Content-Disposition": f'attachment; filename="{bestand.bestandsnaam}"'})
