"""The settlement endpoints under ``/api/v1`` (issue 6; a router for the API application).

``wpb.service.app`` includes its module-level ``router``; the caller comes from
:mod:`wpb.service.auth.bearer`.

| path | what |
|---|---|
| ``POST /declaraties`` | import paid invoices (CSV/XLSX, all-or-nothing) |
| ``POST /declaraties/_overnemen`` | import received JW323 declaraties as paid invoices |
| ``POST /declaraties/{id}/intrekking`` | withdraw an invoice (who imported it) |
| ``GET /declaraties`` | the invoices the caller paid (gemeente) or sent (provider) |
| ``POST /woonplaatsbeslissingen``, ``GET`` | decisions registered for the settlement |
| ``POST /claims/_herbereken`` | compute/recompute claims; settled claims are never altered |
| ``GET /claims``, ``GET /claims/{id}`` | claims the gemeente is party to |
| ``POST /claims/{id}/statuswijziging`` | erkend, betwist, ingetrokken, betaald |
| ``POST /claims/_zoek``, ``POST /claims/_herleid`` | by BSN (in the body); pseudonym → BSN |
| ``POST /salderingen``, ``GET``, ``.../acceptatie``, ``.../betaling`` | netting runs |
| ``GET /overzichten/{gemeentecode}`` | statement as JSON, XLSX or PDF |
| ``GET /vangnet`` | vangnet claims with totals |
| ``GET /compensatie`` | compensatieregeling woonplaats onbekend |
| ``POST /geschillen``, ``GET``, ``.../escalatie``, ``.../oplossing``, ``.../intrekking`` | disputes |

Tenant rules, rights and auditing are in :mod:`wpb.service.components.verrekening.claims`. No BSN in any URL.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, File, Path, Query, Request, Response, UploadFile
from pydantic import Field

from wpb.service.api_base import ProblemRoute, read_upload
from wpb.service.auth.bearer import Who
from wpb.service.components.verrekening import (
    api_betalingen,
    beslissingen,
    claims,
    common,
    compensatie,
    facturen,
    geschillen,
    overzichten,
    saldering,
)
from wpb.service.components.verrekening import schemas as bodies
from wpb.service.public_ids import path_id
from wpb.service.schemas import RequestBody
from wpb.service.state import Ctx, Db, State

PDF = "application/pdf"

ClaimId = Annotated[str, Path(max_length=40, pattern=r"^V[CK]-[0-9A-F]{16}(-[0-9]+)?$",
                              description="Id van de claim (VC-... of VK-...).")]
Nummer = Annotated[int, Path(ge=1, le=2_147_483_647)]
GeschilId = Annotated[str, path_id("het geschil")]
SalderingId = Annotated[str, path_id("de saldering")]
FactuurId = Annotated[str, path_id("de factuur")]
ClaimStatusLiteral = Literal["open", "erkend", "betaald", "betwist", "ingetrokken"]
NiveauLiteral = Literal["regioadviseur", "geschillencommissie_sociaal_domein", "jeugdautoriteit",
                        "rechter"]


class _Request(RequestBody):
    """Unknown fields refused; no control characters in any text (the shared base)."""


class Jw323Overname(_Request):
    berichten: list[Annotated[str, Field(max_length=64)]] = Field(
        min_length=1, max_length=500, description="De publieke ids (UUID) van de JW323-berichten.")
    betaaldatum: date = Field(description="De dag waarop de gemeente de declaraties betaalde.")


class Beslissingsregistratie(_Request):
    overdrachtId: str | None = Field(
        default=None, max_length=64, description="De publieke id (UUID) van de overdracht met de beslissing."
    )
    ingang: date | None = Field(default=None, description="Standaard de peildatum van de beslissing.")
    tot: date | None = None
    beslissing: dict[str, Any] | None = Field(
        default=None,
        description="Alleen de coördinator, zonder overdracht: {bsn, gemeente, ingang, tot, "
        "vastgesteldOp, invoerHash} of {bsn, vastgesteldOp, beslissing: <engine-JSON>}.",
    )


class Statuswijziging(_Request):
    naar: Literal["erkend", "betwist", "ingetrokken", "betaald"]
    toelichting: str = Field(default="", max_length=10_000)
    versie: int | None = Field(default=None, ge=1)


class Claimzoekvraag(_Request):
    bsn: str = Field(min_length=9, max_length=9, pattern=r"^[0-9]{9}$")


class Herleiding(_Request):
    jeugdige: str = Field(max_length=24, pattern=r"^J-[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$")


class Salderingsverzoek(_Request):
    datum: date | None = Field(default=None, description="Verrekendatum: opvolgers na herindeling.")


class Versie(_Request):
    versie: int | None = Field(default=None, ge=1)


class Partij(_Request):
    soort: Literal["gemeente", "aanbieder"]
    code: str = Field(min_length=4, max_length=8, pattern=r"^[0-9]+$")


class Geschilregistratie(_Request):
    onderwerp: Literal["claim", "jeugdige"]
    omschrijving: str = Field(min_length=1, max_length=10_000)
    partijen: list[Partij] = Field(default_factory=list, max_length=20)
    claimId: str | None = Field(default=None, max_length=40)
    bsn: str | None = Field(default=None, min_length=9, max_length=9, pattern=r"^[0-9]{9}$")
    niveau: NiveauLiteral = "regioadviseur"


class Escalatie(_Request):
    naar: NiveauLiteral
    toelichting: str = Field(default="", max_length=10_000)
    versie: int | None = Field(default=None, ge=1)


class Oplossing(_Request):
    uitkomst: str = Field(min_length=1, max_length=10_000)
    claim: Literal["erkend", "ingetrokken"] | None = None
    versie: int | None = Field(default=None, ge=1)


class Intrekking(_Request):
    toelichting: str = Field(default="", max_length=10_000)
    versie: int | None = Field(default=None, ge=1)


_problems = common.api_problems


def _wanted(formaat: str | None, accept: str) -> str:
    if formaat:
        return formaat
    accept = accept.lower()
    if overzichten.XLSX in accept:
        return "xlsx"
    if PDF in accept:
        return "pdf"
    return "json"


router = APIRouter(route_class=ProblemRoute)


@router.post(
    "/declaraties", status_code=201, tags=["verrekening"],
    response_model=bodies.Factuurimport, response_model_exclude_unset=True,
    summary="Lees betaalde facturen in (CSV of XLSX): alles of niets",
    description=(
        "Kolommen: factuurreferentie, bsn, betalende_gemeente, aanbieder_agb, product, "
        "begindatum, einddatum, bedrag_eurocent, betaaldatum. Elke fout staat in "
        "invalidParams met regel en kolom; bij een fout wordt niets opgeslagen. Een gemeente "
        "leest alleen facturen in die zij zelf betaalde."
    ),
    responses=_problems(400, 401, 403, 409, 413, 503),
)
def import_invoices(state: State, ctx: Ctx, who: Who, bestand: Annotated[UploadFile, File()]) -> dict:
    content = read_upload(bestand, state.settings.max_upload_bytes)
    with state.transaction() as session:
        return facturen.import_facturen(session, who, ctx, content, bestand.filename or "facturen.csv")


@router.post(
    "/declaraties/_overnemen", status_code=201, tags=["verrekening"],
    response_model=bodies.Factuurimport, response_model_exclude_unset=True,
    summary="Neem ontvangen JW323-declaraties over als betaalde facturen",
    description=(
        'Alleen de gemeente die de declaraties in de dienst ontving. Creditregels worden met '
        'hun debetregels verrekend; elk bericht dat niet bestaat of geen JW323 is, staat in '
        'invalidParams en er wordt dan niets ingelezen.'
    ),
    responses=_problems(400, 401, 403, 409, 503),
)
def import_jw323(ctx: Ctx, session: Db, who: Who, body: Jw323Overname) -> dict:
    return facturen.take_over_jw323(session, who, ctx, body.berichten, body.betaaldatum)


@router.get(
    "/declaraties", tags=["verrekening"],
    response_model=bodies.Facturenpagina, response_model_exclude_unset=True,
    summary="Betaalde facturen: die u betaalde (gemeente) of indiende (aanbieder)",
    description=(
        'Per pagina; jeugdigen staan erin met een pseudoniem. De coördinator ziet alle '
        'facturen. Het lezen komt per jeugdige in het auditlog.'
    ),
    responses=_problems(400, 401, 503),
)
def list_invoices(
    ctx: Ctx, session: Db,
    who: Who,
    pagina: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    pagina_grootte: Annotated[int, Query(alias="paginaGrootte", ge=1, le=common.MAX_PAGE_SIZE)] = 50,
) -> dict:
    return facturen.list_facturen(session, who, ctx, pagina=pagina, pagina_grootte=pagina_grootte)


@router.post(
    "/declaraties/{factuur_id}/intrekking", tags=["verrekening"],
    response_model=bodies.Factuurintrekking,
    summary="Trek een ingelezen factuur in (wie haar inlas)",
    description=(
        'Verwijdert de factuur; haar open claims worden ingetrokken. Heeft zij erkende, '
        'betaalde of betwiste claims, dan volgt 409. Zo blokkeert één foute regel nooit de '
        'herberekening. Het intrekken komt in het auditlog.'
    ),
    responses=_problems(400, 401, 403, 404, 409),
)
def withdraw_invoice(ctx: Ctx, session: Db, who: Who, factuur_id: FactuurId,
                     body: Annotated[Intrekking | None, Body()] = None) -> dict:
    return facturen.withdraw_factuur(session, who, ctx, factuur_id,
                                     toelichting=body.toelichting if body else "")


@router.post(
    "/woonplaatsbeslissingen", status_code=201, tags=["verrekening"],
    response_model=bodies.Beslissing, response_model_exclude_unset=True,
    summary="Registreer een woonplaatsbeslissing als bindend voor de verrekening",
    description=(
        'Met overdrachtId: de vastgelegde woonplaatsbeslissing van die overdracht (een gemeente '
        'van de overdracht of de coördinator); ingang is standaard de peildatum. Zonder '
        'overdracht: een beslissing van buiten de dienst in het veld beslissing (alleen de '
        'coördinator). Dezelfde beslissing twee keer: 409.'
    ),
    responses=_problems(400, 401, 403, 404, 409, 503),
)
def register_decision(ctx: Ctx, session: Db, who: Who, body: Beslissingsregistratie) -> dict:
    return beslissingen.register_beslissing(
        session, who, ctx, overdracht_id=body.overdrachtId, ingang=body.ingang,
        tot=body.tot, beslissing=body.beslissing,
    )


@router.get(
    "/woonplaatsbeslissingen", tags=["verrekening"],
    response_model=bodies.Beslissingenlijst, response_model_exclude_unset=True,
    summary="Voor de verrekening geregistreerde woonplaatsbeslissingen",
    description=(
        'Een gemeente ziet de beslissingen die haar noemen, die zij registreerde of die bij een '
        'van haar overdrachten horen; de coördinator alle.'
    ),
    responses=_problems(401, 404, 503),
)
def list_decisions(ctx: Ctx, session: Db, who: Who) -> dict:
    return {"beslissingen": beslissingen.list_beslissingen(session, who, ctx)}


@router.post(
    "/claims/_herbereken", tags=["verrekening"],
    response_model=bodies.Herberekening, response_model_exclude_unset=True,
    summary="Bereken de claims opnieuw; erkende en betaalde claims blijven ongewijzigd",
    description=(
        "De coördinator berekent alle facturen, een gemeente de facturen die zij betaalde. "
        "Nieuwe claims en correcties worden toegevoegd, lopende claims die de tijdlijn niet "
        "meer steunt worden ingetrokken."
    ),
    responses=_problems(401, 403, 409, 503),
)
def recompute(ctx: Ctx, session: Db, who: Who) -> dict:
    return claims.recompute_claims(session, who, ctx)


@router.get(
    "/claims", tags=["verrekening"], summary="Claims waarbij uw gemeente partij is",
    response_model=bodies.Claimspagina, response_model_exclude_unset=True,
    description=(
        'Per pagina, te filteren op status en op uw rol (schuldeiser of schuldenaar). '
        'Jeugdigen staan erin met een pseudoniem, nooit met een BSN.'
    ),
    responses=_problems(400, 401, 404),
)
def list_claims(
    ctx: Ctx, session: Db,
    who: Who,
    status: Annotated[list[ClaimStatusLiteral] | None, Query()] = None,
    rol: Annotated[Literal["schuldeiser", "schuldenaar"] | None, Query()] = None,
    pagina: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    pagina_grootte: Annotated[int, Query(alias="paginaGrootte", ge=1, le=common.MAX_PAGE_SIZE)] = 50,
) -> dict:
    return claims.list_claims(session, who, ctx, status=status or [], rol=rol, pagina=pagina,
                         pagina_grootte=pagina_grootte)


@router.post(
    "/claims/_zoek", tags=["verrekening"],
    response_model=bodies.Claimlijst, response_model_exclude_unset=True,
    summary="Claims over één jeugdige (het BSN staat in de body, nooit in de URL)",
    description=(
        'De claims over deze jeugdige waarbij u partij bent; elke zoekvraag komt in het '
        'auditlog.'
    ),
    responses=_problems(400, 401, 404, 503),
)
def search_claims(ctx: Ctx, session: Db, who: Who, body: Claimzoekvraag) -> dict:
    return {"claims": claims.find_claims(session, who, ctx, body.bsn)}


@router.post(
    "/claims/_herleid", tags=["verrekening"],
    response_model=bodies.HerleideJeugdige, response_model_exclude_unset=True,
    summary="Herleid een pseudoniem (J-...) tot het BSN, als u partij bent",
    description=(
        'Alleen voor een partij bij een claim of geschil over deze jeugdige; het herleiden '
        'komt in het auditlog.'
    ),
    responses=_problems(400, 401, 404),
)
def resolve(ctx: Ctx, session: Db, who: Who, body: Herleiding) -> dict:
    return claims.resolve_pseudoniem(session, who, ctx, body.jeugdige)


@router.get(
    "/claims/{claim_id}", tags=["verrekening"], summary="Eén claim met haar geschiedenis",
    response_model=bodies.ClaimMetGebeurtenissen, response_model_exclude_unset=True,
    description=(
        'Bedrag, periode, partijen, status en elke statuswijziging met wie, wanneer en '
        'waarom.'
    ),
    responses=_problems(400, 401, 404),
)
def read_claim(ctx: Ctx, session: Db, who: Who, claim_id: ClaimId) -> dict:
    return claims.read_claim(session, who, ctx, claim_id)


@router.post(
    "/claims/{claim_id}/statuswijziging", tags=["verrekening"],
    response_model=bodies.Claim, response_model_exclude_unset=True,
    summary="Erken, betwist, trek in of bevestig de betaling van een claim",
    description=(
        "De schuldenaar erkent of betwist, de schuldeiser trekt in of bevestigt de betaling, "
        "de coördinator beslist over een betwiste claim."
    ),
    responses=_problems(400, 401, 403, 404, 409),
)
def change_status(ctx: Ctx, session: Db, who: Who, claim_id: ClaimId, body: Statuswijziging) -> dict:
    return claims.change_claim_status(session, who, ctx, claim_id, body.naar,
                                toelichting=body.toelichting, versie=body.versie)


@router.post(
    "/salderingen", status_code=201, tags=["verrekening"],
    response_model=bodies.Saldering, response_model_exclude_unset=True,
    summary="Maak een saldering van de open en erkende claims (coördinator)",
    description=(
        'Verrekent de open en erkende claims (nooit de betwiste) tot hoogstens n − 1 '
        'betalingen; met datum tellen gemeenten na een herindeling als hun opvolger. Claims in '
        'een geaccepteerde saldering blijven erbuiten; eerdere voorstellen vervallen.'
    ),
    responses=_problems(400, 401, 403, 404),
)
def create_netting(
    ctx: Ctx, session: Db,
    who: Who, body: Annotated[Salderingsverzoek | None, Body()] = None
) -> dict:
    return saldering.create_saldering(session, who, ctx, body.datum if body else None)


@router.get(
    "/salderingen", tags=["verrekening"], summary="Salderingen waarin uw gemeente een saldo heeft",
    response_model=bodies.Salderingenlijst, response_model_exclude_unset=True,
    description=(
        'Met status, saldi en betalingen; de coördinator ziet alle salderingen.'
    ),
    responses=_problems(401, 404),
)
def list_nettings(ctx: Ctx, session: Db, who: Who) -> dict:
    return {"salderingen": saldering.list_salderingen(session, who, ctx)}


@router.get(
    "/salderingen/{saldering_id}", tags=["verrekening"], summary="Eén saldering",
    response_model=bodies.Saldering, response_model_exclude_unset=True,
    description=(
        'Saldi per gemeente, de betalingen, wie akkoord ging en de claims die erin zitten.'
    ),
    responses=_problems(400, 401, 404),
)
def read_netting(ctx: Ctx, session: Db, who: Who, saldering_id: SalderingId) -> dict:
    return saldering.read_saldering(session, who, ctx, saldering_id)


@router.post(
    "/salderingen/{saldering_id}/acceptatie", tags=["verrekening"],
    response_model=bodies.Saldering, response_model_exclude_unset=True,
    summary="Ga akkoord met de saldering (gemeente met saldo; coördinator voor allen)",
    description=(
        'Zijn alle partijen akkoord, dan worden de open claims van de saldering erkend. Is een '
        'claim sinds het maken gewijzigd (betwist, ingetrokken), dan volgt 409.'
    ),
    responses=_problems(400, 401, 404, 409),
)
def accept_netting(ctx: Ctx, session: Db, who: Who, saldering_id: SalderingId,
                   body: Annotated[Versie | None, Body()] = None) -> dict:
    return saldering.accept_saldering(session, who, ctx, saldering_id,
                                 versie=body.versie if body else None)


@router.post(
    "/salderingen/{saldering_id}/betaling", tags=["verrekening"],
    response_model=bodies.Saldering, response_model_exclude_unset=True,
    summary="Bevestig dat de betalingen van de saldering zijn gedaan (coördinator)",
    description=(
        'Alleen voor een geaccepteerde saldering; haar claims worden dan betaald.'
    ),
    responses=_problems(400, 401, 403, 404, 409),
)
def pay_netting(ctx: Ctx, session: Db, who: Who, saldering_id: SalderingId,
                body: Annotated[Versie | None, Body()] = None) -> dict:
    return saldering.confirm_betalingen(session, who, ctx, saldering_id,
                                 versie=body.versie if body else None)


@router.get(
    "/overzichten/{gemeentecode}", tags=["verrekening"],
    response_model=bodies.Verrekenoverzicht, response_model_exclude_unset=True,
    summary="Verrekenoverzicht van een gemeente per tegenpartij (JSON, XLSX of PDF)",
    description="Jeugdigen staan er met een pseudoniem in, nooit met een BSN.",
    responses={200: {"content": {overzichten.XLSX: {}, PDF: {}}}, **_problems(400, 401, 404, 503)},
)
def statement(
    state: State, ctx: Ctx,
    who: Who, request: Request,
    gemeentecode: Annotated[str, Path(pattern=r"^[0-9]{4}$")],
    formaat: Annotated[Literal["json", "xlsx", "pdf"] | None, Query()] = None,
):
    wanted = _wanted(formaat, request.headers.get("accept", ""))
    with state.transaction() as session:
        result = overzichten.overzicht(session, who, ctx, gemeentecode, wanted)
    if isinstance(result, overzichten.Download):
        return Response(result.content, media_type=result.media_type, headers={
            "Content-Disposition": f'attachment; filename="{result.bestandsnaam}"'})
    return result


@router.get(
    "/vangnet", tags=["verrekening"],
    response_model=bodies.Vangnet, response_model_exclude_unset=True,
    summary="Vangnetclaims: te lang open of betwist, met totalen per gemeente en aanbieder",
    description=(
        'Claims die langer open staan dan de termijn (WPB_VANGNET_MAANDEN, standaard 6 '
        'maanden) of betwist zijn, op de peildatum (standaard vandaag). Een gemeente ziet de '
        'claims waarbij zij partij is.'
    ),
    responses=_problems(400, 401, 404),
)
def safety_net(
    ctx: Ctx, session: Db,
    who: Who,
    peildatum: Annotated[date | None, Query()] = None,
    termijn: Annotated[int | None, Query(ge=0, le=120, description="Maanden.")] = None,
) -> dict:
    return overzichten.list_vangnet(session, who, ctx, peildatum=peildatum, termijn=termijn)


@router.get(
    "/compensatie", tags=["verrekening"],
    response_model=bodies.Compensatie, response_model_exclude_unset=True,
    summary="Compensatieregeling woonplaats onbekend: jeugdigen en zorgkosten per gemeente",
    description=(
        'Jeugdigen zonder herleidbare woonplaats onder de regel van 2022 die vóór 2022 '
        'jeugdhulp met verblijf hadden, met hun zorgkosten in de periode [van, tot). Een '
        'gemeente ziet haar eigen lijst; wie een mens nog moet beoordelen, is voor de '
        'coördinator.'
    ),
    responses=_problems(400, 401, 404, 503),
)
def compensation(
    ctx: Ctx, session: Db,
    who: Who,
    van: Annotated[date, Query()] = compensatie.INGANG_2022,
    tot: Annotated[date | None, Query(description="Eerste dag die niet meer telt.")] = None,
) -> dict:
    return compensatie.compensatie(session, who, ctx, van=van, tot=tot)


@router.post(
    "/geschillen", status_code=201, tags=["verrekening"],
    response_model=bodies.Geschil, response_model_exclude_unset=True,
    summary="Registreer een geschil over een claim of een jeugdige",
    description=(
        'Wie registreert is partij (de coördinator mag voor anderen registreren). Een geschil '
        'over een claim heeft de twee gemeenten als partijen en zet een open claim op betwist, '
        'zodat die buiten de saldering blijft.'
    ),
    responses=_problems(400, 401, 403, 404, 409, 503),
)
def register_dispute(ctx: Ctx, session: Db, who: Who, body: Geschilregistratie) -> dict:
    return geschillen.register_geschil(
        session, who, ctx, onderwerp=body.onderwerp, omschrijving=body.omschrijving,
        partijen=[p.model_dump() for p in body.partijen], claim_id=body.claimId,
        bsn=body.bsn, niveau=body.niveau,
    )


@router.get(
    "/geschillen", tags=["verrekening"], summary="Geschillen waarbij u partij bent",
    response_model=bodies.Geschillenlijst, response_model_exclude_unset=True,
    description=(
        'Nieuwste eerst, te filteren op status; de coördinator ziet alle geschillen.'
    ),
    responses=_problems(400, 401),
)
def list_disputes(
    ctx: Ctx, session: Db,
    who: Who,
    status: Annotated[Literal["open", "opgelost", "ingetrokken"] | None, Query()] = None,
) -> dict:
    return {"geschillen": geschillen.list_geschillen(session, who, ctx, status=status)}


@router.get(
    "/geschillen/{geschil_id}", tags=["verrekening"], summary="Eén geschil",
    response_model=bodies.Geschil, response_model_exclude_unset=True,
    description=(
        'Onderwerp, partijen, niveau, status en de gebeurtenissen (escalaties, oplossing, '
        'intrekking).'
    ),
    responses=_problems(400, 401, 404),
)
def read_dispute(ctx: Ctx, session: Db, who: Who, geschil_id: GeschilId) -> dict:
    return geschillen.read_geschil(session, who, ctx, geschil_id)


@router.post(
    "/geschillen/{geschil_id}/escalatie", tags=["verrekening"],
    response_model=bodies.Geschil, response_model_exclude_unset=True,
    summary="Escaleer naar een hoger niveau (regioadviseur → Geschillencommissie Sociaal "
    "Domein → Jeugdautoriteit → rechter)",
    description=(
        'Een partij of de coördinator; escaleren gaat alleen omhoog (anders 409).'
    ),
    responses=_problems(400, 401, 404, 409),
)
def escalate(ctx: Ctx, session: Db, who: Who, geschil_id: GeschilId, body: Escalatie) -> dict:
    return geschillen.escalate_geschil(session, who, ctx, geschil_id, body.naar,
                              toelichting=body.toelichting, versie=body.versie)


@router.post(
    "/geschillen/{geschil_id}/oplossing", tags=["verrekening"],
    response_model=bodies.Geschil, response_model_exclude_unset=True,
    summary="Leg de uitkomst vast (coördinator); bij een claim: erkend of ingetrokken",
    description=(
        'Bij een geschil over een claim beslist de uitkomst over de claim: erkend (de claim '
        'blijft staan) of ingetrokken.'
    ),
    responses=_problems(400, 401, 403, 404, 409),
)
def resolve_dispute(ctx: Ctx, session: Db, who: Who, geschil_id: GeschilId, body: Oplossing) -> dict:
    return geschillen.resolve_geschil(session, who, ctx, geschil_id, uitkomst=body.uitkomst,
                            claim=body.claim, versie=body.versie)


@router.post(
    "/geschillen/{geschil_id}/intrekking", tags=["verrekening"],
    response_model=bodies.Geschil, response_model_exclude_unset=True,
    summary="Trek het geschil in (wie het registreerde)",
    description=(
        'Gaat het over een claim, dan erkent de schuldenaar die zijn geschil intrekt de claim, '
        'en trekt de schuldeiser die het intrekt de claim in.'
    ),
    responses=_problems(400, 401, 403, 404, 409),
)
def withdraw_dispute(ctx: Ctx, session: Db, who: Who, geschil_id: GeschilId,
                     body: Annotated[Intrekking | None, Body()] = None) -> dict:
    return geschillen.withdraw_geschil(session, who, ctx, geschil_id,
                             toelichting=body.toelichting if body else "",
                             versie=body.versie if body else None)


# The payment files and accounts live in their own module (this one is long enough).
router.include_router(api_betalingen.router)

__all__ = ["router"]
