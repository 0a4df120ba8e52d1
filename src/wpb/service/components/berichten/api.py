"""The iJw message endpoints under ``/api/v1`` (a router for the API application).

``wpb.service.app`` includes its module-level ``router``; the caller comes from
:mod:`wpb.service.auth.bearer`.

- ``POST /berichten``: the message itself as body, ``Content-Type: application/xml`` (or
  ``text/xml``; any other type is 415), read up to the service's upload limit and never
  beyond OP179's 25 MB (413). Every layer of :func:`wpb.ijw.ontvangst.valideer` runs;
  an invalid message is 400 ``application/problem+json`` whose ``invalidParams`` name
  each element (``name``), rule (``code``), reason, the value when not personal, the
  retourcode and the line. A refused message the gemeente receives is kept (status
  ``afgekeurd``) with its retourbericht when its header is readable: the 400 then names
  ``bericht`` and ``retourbericht``, fetched as ``/berichten/{id}/xml``.
  Only the sender itself may submit (403; S2). TR056: a
  new message answers 201 (with ``Location``) and is processed (a JW315 gets its proposed
  woonplaats answer); the same message again answers 200 with the first receipt and is
  not processed again; the same identification with other content is 409. An unusable
  ``WPB_IJW_XSD_DIR`` is 503.
- ``GET /berichten`` and ``GET /berichten/{id}``: the messages of the caller's
  organisation, open requests with the earliest deadline first; the addressed gemeente
  sees the proposed answer with its explanation and deadlines.
- ``GET /berichten/{id}/xml``: the message as XML (e.g. an answer for the provider).
- ``POST /berichten/{id}/voorstel``: propose the answer anew (optionally with a BRP
  document in the body).
- ``POST /berichten/{id}/antwoord``: approve the proposal and send the JW301/JW319; a
  JW319 with reden 8 only once the gemeente it names agreed (409 until then).
- ``POST /berichten/{id}/instemming``: ask the gemeente the proposal names with reden 8;
  ``GET /instemmingen`` (and ``/{id}``): the requests asked of or by the caller;
  ``POST /instemmingen/{id}``: the named gemeente agrees or objects (an objection opens a
  geschil). Only those two gemeenten see a request.

No BSN in any URL; messages never echo a BSN.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from wpb.service.api_base import ProblemRoute
from wpb.service.auth.bearer import Who
from wpb.service.components.berichten import (
    access,
    antwoord,
    instemming,
    receive,
    views,
    voorstel,
)
from wpb.service.components.berichten import schemas as bodies
from wpb.service.errors import PayloadTooLarge, Problem
from wpb.service.problems import problem_responses
from wpb.service.public_ids import path_id
from wpb.service.state import Ctx, Db, State

XML_MEDIA_TYPES = ("application/xml", "text/xml")

BerichtId = Annotated[str, path_id("het bericht")]
Berichttype = Literal["JW301", "JW305", "JW307", "JW315", "JW317", "JW319", "JW323",
                      "JW302", "JW306", "JW308", "JW316", "JW318", "JW320", "JW325"]


class UnsupportedMediaType(Problem):
    status = 415
    title = "Verkeerd mediatype"
    code = "verkeerdMediatype"


class Antwoordgoedkeuring(BaseModel):
    model_config = ConfigDict(extra="forbid")

    versie: int | None = Field(
        default=None, ge=1, description="De versie die u zag; 409 als het verzoek intussen wijzigde."
    )


class Voorstelverzoek(BaseModel):
    model_config = ConfigDict(extra="forbid")

    brpGegevens: dict[str, Any] | None = Field(
        default=None,
        description="Haal Centraal JSON (casus met 'jeugdige' of historie met 'verblijfplaatsen'); "
        "zonder dit document gebruikt wpb de BRP-gegevens die de dienst heeft.",
    )


async def _read_body(request: Request, max_bytes: int) -> bytes:
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type not in XML_MEDIA_TYPES:
        raise UnsupportedMediaType(
            f"Stuur het bericht als XML (Content-Type {' of '.join(XML_MEDIA_TYPES)}), "
            f"niet als {content_type or 'onbekend type'}."
        )
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLarge(f"Het bericht is groter dan {max_bytes} bytes (OP179).")
        chunks.append(chunk)
    return b"".join(chunks)


# This component's words for its problem responses (the shape is wpb.service.problems').
_WORDS = {
    400: "Ongeldig; invalidParams noemt element en regel (of het veld).",
    401: "Niet ingelogd of token ongeldig.",
    403: "Geen toestemming voor deze actie.",
    404: "Bestaat niet of is niet zichtbaar voor u.",
    409: "Conflict: TR056, de status of de versie.",
    413: "Bericht te groot (OP179).",
    415: "Geen XML.",
    503: "XSD-controle ingesteld maar niet bruikbaar.",
}


def _problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return problem_responses(*statuses, descriptions=_WORDS)


router = APIRouter(tags=["berichten"], route_class=ProblemRoute)


@router.post(
    "/berichten",
    status_code=201,
    summary="Dien een iJw 3.2-bericht in (XML)",
    description=(
        "Het bericht zelf als body (application/xml). Ongeldig: 400 met per element de "
        "geschonden regel in invalidParams; een afgekeurd bericht aan een gemeente krijgt "
        "toch zijn retourbericht (bericht en retourbericht in de 400). Hetzelfde bericht opnieuw: 200, niet opnieuw "
        "verwerkt (TR056). Dezelfde identificatie met andere inhoud: 409. Op een verzoek "
        "om toewijzing (JW315) stelt wpb het antwoord voor (woonplaatsbeginsel, OP359)."
    ),
    responses={
        200: {"description": "Dit bericht was al ontvangen; het is niet opnieuw verwerkt.",
              "model": bodies.Ontvangstbewijs},
        201: {"description": "Ontvangen en verwerkt.", "model": bodies.Ontvangstbewijs},
        **_problems(400, 401, 403, 409, 413, 415, 503),
    },
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/xml": {"schema": {"type": "string", "format": "binary"}}}}},
)
async def submit(state: State, ctx: Ctx, request: Request, who: Who) -> JSONResponse:
    data = await _read_body(request, receive.max_bericht_bytes(ctx))
    # The database work is synchronous; run it off the event loop.
    result = await run_in_threadpool(
        receive.receive_and_process, state.factory, who, ctx, data
    )
    body = {"registratie": result.registratie.value, **result.view}
    if not result.nieuw:
        return JSONResponse(body, status_code=200)
    return JSONResponse(
        body, status_code=201,
        headers={"Location": f"/api/v1/berichten/{result.bericht_id}"},
    )


@router.get(
    "/berichten",
    response_model=bodies.Berichtenpagina, response_model_exclude_unset=True,
    summary="Berichten van uw organisatie; open verzoeken met voorgesteld antwoord en termijnen",
    description=(
        "Een gemeente ziet de berichten waarvan zij de gemeente is (de geadresseerde van "
        "een verzoek, de afzender van een antwoord), een aanbieder de eigen berichten. Open "
        "verzoeken staan vooraan, vroegste termijn eerst; de gemeente ziet het voorgestelde "
        "antwoord."
    ),
    responses=_problems(400, 401),
)
def list_messages(
    ctx: Ctx, session: Db,
    who: Who,
    berichttype: Annotated[Berichttype | None, Query()] = None,
    alleen_open: Annotated[bool, Query(alias="alleenOpen")] = False,
    pagina: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    pagina_grootte: Annotated[
        int, Query(alias="paginaGrootte", ge=1, le=access.MAX_PAGE_SIZE)
    ] = 50,
) -> dict:
    return views.list_berichten(
        session, who, ctx, berichttype=berichttype, alleen_open=alleen_open,
        pagina=pagina, pagina_grootte=pagina_grootte,
    ).to_json()


@router.get(
    "/berichten/{bericht_id}",
    response_model=bodies.Bericht, response_model_exclude_unset=True,
    summary="Eén bericht: status, termijnen, voorgesteld antwoord met toelichting, antwoorden",
    description=(
        "Alleen voor de gemeente of de aanbieder van het bericht. Bij een verzoek om "
        "toewijzing ziet de gemeente het voorgestelde antwoord met de toelichting van de "
        "woonplaatsbepaling en de termijnen."
    ),
    responses=_problems(400, 401, 404),
)
def read_message(ctx: Ctx, session: Db, who: Who, bericht_id: BerichtId) -> dict:
    return views.read_bericht_view(session, who, ctx, bericht_id)


@router.get(
    "/berichten/{bericht_id}/xml",
    summary="Het bericht als XML",
    description=(
        "Het bericht zoals ontvangen of verstuurd (application/xml), bijvoorbeeld een "
        "goedgekeurd antwoord om aan de aanbieder te sturen."
    ),
    response_class=Response,
    responses={200: {"content": {"application/xml": {}}}, **_problems(400, 401, 404)},
)
def read_message_xml(state: State, ctx: Ctx, who: Who, bericht_id: BerichtId) -> Response:
    with state.transaction() as session:
        data = views.read_xml(session, who, ctx, bericht_id)
    return Response(data, media_type="application/xml")


@router.post(
    "/berichten/{bericht_id}/voorstel",
    response_model=bodies.Bericht, response_model_exclude_unset=True,
    summary="Stel het antwoord op een verzoek om toewijzing opnieuw voor (gemeente)",
    description=(
        "Met de BRP-gegevens in de body, of anders met wat de dienst nu heeft (een "
        "overdracht van de jeugdige, of de ingestelde BRP)."
    ),
    responses=_problems(400, 401, 403, 404, 409),
)
def propose(
    state: State, ctx: Ctx,
    who: Who, bericht_id: BerichtId,
    body: Annotated[Voorstelverzoek | None, Body()] = None,
) -> dict:
    return voorstel.recompute_voorstel(
        state.factory, who, ctx, bericht_id,
        brp_gegevens=body.brpGegevens if body else None,
    )


@router.post(
    "/berichten/{bericht_id}/antwoord",
    response_model=bodies.Antwoord, response_model_exclude_unset=True,
    status_code=201,
    summary="Keur het voorgestelde antwoord goed en verstuur het (JW301/JW319)",
    description=(
        "Alleen de geadresseerde gemeente. Het antwoord wordt opnieuw opgesteld met "
        "dezelfde BRP-gegevens; wijkt het af van het voorstel, dan volgt 409."
    ),
    responses=_problems(400, 401, 403, 404, 409),
)
def approve(
    ctx: Ctx, session: Db,
    who: Who, bericht_id: BerichtId,
    body: Annotated[Antwoordgoedkeuring | None, Body()] = None,
) -> dict:
    return antwoord.approve_antwoord(
        session, who, ctx, bericht_id, versie=body.versie if body else None
    )


class Instemmingsbesluit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    besluit: Literal["akkoord", "bezwaar"] = Field(
        description="akkoord: de gemeente erkent dat zij verantwoordelijk is; bezwaar: zij "
        "betwist het, en er wordt een geschil geopend.")
    toelichting: str = Field(default="", max_length=instemming.MAX_TEKST,
                             description="Verplicht bij bezwaar.")
    versie: int | None = Field(default=None, ge=1, description="De versie die u zag.")


InstemmingId = Annotated[str, path_id("de vraag om instemming")]


@router.post(
    "/berichten/{bericht_id}/instemming",
    response_model=bodies.Instemmingen, response_model_exclude_unset=True,
    summary="Vraag de gemeente die het voorstel met reden 8 noemt om instemming",
    description=(
        "Alleen de geadresseerde gemeente. Een JW319 met reden 8 (woonplaatsbeginsel) gaat "
        "pas weg als de genoemde gemeente heeft ingestemd; een bezwaar opent een geschil."
    ),
    responses=_problems(400, 401, 403, 404, 409),
)
def ask_agreement(ctx: Ctx, session: Db, who: Who, bericht_id: BerichtId) -> dict:
    return {"instemmingen": instemming.ask_instemming(session, who, ctx, bericht_id)}


@router.get(
    "/instemmingen",
    response_model=bodies.Instemmingen, response_model_exclude_unset=True,
    summary="Vragen om instemming met een afwijzing met reden 8: aan u of door u gesteld",
    description="Alleen de twee gemeenten van een vraag zien haar.",
    responses=_problems(400, 401),
)
def list_agreements(
    ctx: Ctx, session: Db, who: Who,
    status: Annotated[Literal["gevraagd", "akkoord", "bezwaar"] | None, Query()] = None,
) -> dict:
    return {"instemmingen": instemming.list_instemmingen(session, who, ctx, status=status)}


@router.get(
    "/instemmingen/{instemming_id}",
    response_model=bodies.Instemming, response_model_exclude_unset=True,
    summary="Eén vraag om instemming",
    description=(
        "De vraag, het voorstel waar zij over gaat en, als er al besloten is, het besluit met "
        "de toelichting. Alleen de twee gemeenten van de vraag zien haar; anders 404."
    ),
    responses=_problems(400, 401, 404),
)
def read_agreement(ctx: Ctx, session: Db, who: Who, instemming_id: InstemmingId) -> dict:
    return instemming.read_instemming(session, who, ctx, instemming_id)


@router.post(
    "/instemmingen/{instemming_id}",
    response_model=bodies.Instemming, response_model_exclude_unset=True,
    summary="Stem in met of maak bezwaar tegen een afwijzing met reden 8 (genoemde gemeente)",
    description="Een bezwaar opent een geschil tussen beide gemeenten over de jeugdige.",
    responses=_problems(400, 401, 403, 404, 409),
)
def decide_agreement(ctx: Ctx, session: Db, who: Who, instemming_id: InstemmingId,
                     body: Instemmingsbesluit) -> dict:
    return instemming.decide_instemming(session, who, ctx, instemming_id, besluit=body.besluit,
                                        toelichting=body.toelichting, versie=body.versie)


__all__ = ["router"]
