"""The REST API of transfers: lists, search, actions, tasks, the woonplaats check and uploads.

No BSN or other personal data in any URL: search by BSN is ``POST .../_zoek``. Operations on
a transfer are sub-resources (``acceptatie``, ``afwijzing``, ``afronding``, ``doorzending``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, File, Form, Path, Query, Request, Response, UploadFile

from wpb.domain import overdracht
from wpb.service.api_base import API_PREFIX, ProblemRoute, read_upload
from wpb.service.auth.bearer import Who
from wpb.service.components.overdrachten import (
    bulk,
    changes,
    downloads,
    filters,
    listing,
    schemas,
    transitions,
    upload_check,
    upload_store,
    woonplaats,
)
from wpb.service.components.overdrachten import tasks as task_rules
from wpb.service.errors import InvalidRequest
from wpb.service.exports import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from wpb.service.problems import problem_responses
from wpb.service.public_ids import path_id
from wpb.service.state import Ctx, Db, State

router = APIRouter(route_class=ProblemRoute)

OverdrachtId = Annotated[str, path_id("de overdracht")]


@router.get(
    "/overdrachten", response_model=schemas.OverdrachtenPagina, tags=["overdrachten"],
    summary="Overdrachten die u mag zien, of een download daarvan (CSV/XLSX)",
    description=(
        "Een gemeente ziet de overdrachten waarbij zij latende of ontvangende gemeente is, "
        "een aanbieder die met een regel voor haar AGB-code, de coördinator alle. Met "
        "`formaat=csv` of `formaat=xlsx` (of de Accept-header `text/csv` of de XLSX-mediatype) "
        "volgt een download met één regel per aanbieder/product, inclusief de aanleverdatum, "
        "van alle overdrachten die aan dezelfde filters voldoen (alle pagina's)."
    ),
    responses={
        200: {"content": {CSV_MEDIA_TYPE: {}, XLSX_MEDIA_TYPE: {}}},
        **problem_responses(400, 401),
    },
)
def list_transfers(
    state: State, ctx: Ctx,
    who: Who,
    request: Request,
    richting: Annotated[
        Literal["inkomend", "uitgaand"] | None,
        Query(description="Alleen voor gemeenten: inkomend of uitgaand."),
    ] = None,
    status: Annotated[list[schemas.StatusLiteral] | None, Query()] = None,
    pagina: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    pagina_grootte: Annotated[int, Query(alias="paginaGrootte", ge=1, le=listing.MAX_PAGE_SIZE)] = 50,
    formaat: Annotated[Literal["json", "csv", "xlsx"] | None, Query()] = None,
    gemeente: Annotated[str | None, Query(
        description="De andere gemeente (code): bij inkomend de latende, bij uitgaand de "
        "ontvangende, anders een van beide.", max_length=4)] = None,
    latende_gemeente: Annotated[str | None, Query(
        alias="latendeGemeente", max_length=4,
        description="Alleen overdrachten van deze latende gemeente (code); met "
        "ontvangendeGemeente precies één stroom van gemeente naar gemeente.")] = None,
    ontvangende_gemeente: Annotated[str | None, Query(
        alias="ontvangendeGemeente", max_length=4,
        description="Alleen overdrachten naar deze ontvangende gemeente (code).")] = None,
    aanleverdatum_van: Annotated[date | None, Query(alias="aanleverdatumVan")] = None,
    aanleverdatum_tot: Annotated[date | None, Query(alias="aanleverdatumTot",
                                                    description="Tot en met.")] = None,
    tekst: Annotated[str | None, Query(
        description="Vrije tekst: id van de overdracht (UUID), gemeente (code of naam), AGB-code, "
        "naam van de aanbieder of product. Geen BSN: zoek daarop met POST .../_zoek.",
        max_length=100)] = None,
    sorteer: Annotated[schemas.SorteerLiteral, Query(
        description="De kolom om op te sorteren; standaard de dichtstbijzijnde termijn eerst. "
        "Lege waarden komen altijd achteraan; bij gelijke waarden beslist de volgorde van "
        "aanmaken, en `id` sorteert ook op die volgorde.")] = "termijn",
    volgorde: Annotated[Literal["oplopend", "aflopend"], Query()] = "oplopend",
):
    direction = listing.Richting(richting) if richting else None
    statuses = [overdracht.Status(s) for s in status or []]
    f = filters.TransferFilter(
        richting=direction, statussen=tuple(statuses), gemeente=gemeente,
        latende=latende_gemeente, ontvangende=ontvangende_gemeente,
        aanleverdatum_van=aanleverdatum_van, aanleverdatum_tot=aanleverdatum_tot,
        pagina=pagina, pagina_grootte=pagina_grootte, tekst=tekst or None, sorteer=sorteer,
        aflopend=volgorde == "aflopend",
    )
    wanted = formaat or _negotiate(request.headers.get("accept", ""))
    if wanted in ("csv", "xlsx"):
        with state.transaction() as session:
            rows = filters.export_filtered(session, who, ctx, f)
        name = f"overdrachten-{richting or 'alle'}-{ctx.today().isoformat()}.{wanted}"
        content, media = downloads.list_file(listing.EXPORT_COLUMNS, rows, wanted, ctx.register)
        return Response(
            content, media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    with state.transaction() as session:
        page = filters.list_filtered(session, who, ctx, f)
    return page.to_json()


@router.post(
    "/overdrachten/_zoek", response_model=schemas.Zoekresultaat, tags=["overdrachten"],
    summary="Zoek overdrachten op BSN (het BSN staat in de body, nooit in de URL)",
    responses=problem_responses(400, 401),
)
def search(ctx: Ctx, session: Db, who: Who, body: schemas.Zoekvraag) -> dict:
    """Zoekt op burgerservicenummer binnen de overdrachten die u mag zien. Elke zoekvraag komt in het auditlog, ook zonder resultaat."""
    return {"overdrachten": listing.search_by_bsn(session, who, ctx, body.bsn)}


@router.post(
    "/overdrachten/_besluit", response_model=schemas.Bulkresultaat, tags=["overdrachten"],
    summary="Accepteer of wijs veel overdrachten tegelijk af met één onderbouwing",
    responses=problem_responses(400, 401, 413),
)
def decide_many(ctx: Ctx, session: Db, who: Who, body: schemas.Bulkbesluit) -> dict:
    """Kies overdrachten met overdrachtIds of met een filter (niet beide). Elke overdracht is een eigen bewaakte overgang: het antwoord noemt per overdracht gedaan, conflict (intussen gewijzigd), niet_toegestaan of niet_gevonden; de andere gaan door."""
    if (body.overdrachtIds is None) == (body.filter is None):
        raise InvalidRequest("Kies overdrachten met overdrachtIds of met een filter.",
                             [("overdrachtIds", "geef overdrachtIds of filter, niet beide of geen")])
    problem = bulk.check_onderbouwing(body.besluit, body.onderbouwing)
    if problem:
        raise InvalidRequest("Het besluit is niet bruikbaar.", [("onderbouwing", problem)])
    if body.filter is not None:
        richting = listing.Richting(body.filter.richting) if body.filter.richting else None
        query = listing.visible_query(who, richting, [overdracht.Status(s) for s in body.filter.status or []])
        ids = bulk.ids_of_filter(session, query)
    else:
        ids = list(dict.fromkeys(body.overdrachtIds or []))
    besluiten = [bulk.Besluit(i, body.besluit, body.onderbouwing or "") for i in ids]
    return bulk.summary(bulk.decide_all(session, who, ctx, besluiten))


@router.post(
    "/overdrachten/_besluitenbestand", response_model=schemas.Bulkresultaat,
    tags=["overdrachten"],
    summary="Voer een CSV/XLSX-bestand met besluiten uit (overdracht_id of bsn, besluit, onderbouwing)",
    responses=problem_responses(400, 401, 413),
)
def decide_file(state: State, ctx: Ctx, who: Who, bestand: Annotated[UploadFile, File()]) -> dict:
    """Eén regel per overdracht met de kolommen overdracht_id (of bsn: uw lopende inkomende overdracht van die jeugdige), besluit (accepteren of afwijzen) en onderbouwing (verplicht bij afwijzen). Het antwoord noemt per regel wat er gebeurde."""
    content = read_upload(bestand, state.settings.max_upload_bytes)
    with state.transaction() as session:
        besluiten = bulk.read_decisions(session, who, ctx, content, bestand.filename or "besluiten.csv")
        return bulk.summary(bulk.decide_all(session, who, ctx, besluiten))


@router.get(
    "/overdrachten/{overdracht_id}", response_model=schemas.OverdrachtDetail,
    tags=["overdrachten"], summary="Eén overdracht met regels, tijdlijn, verantwoordelijkheid en taken",
    responses=problem_responses(400, 401, 404),
)
def read(ctx: Ctx, session: Db, who: Who, overdracht_id: OverdrachtId) -> dict:
    """Een aanbieder ziet alleen de eigen regels; onderbouwing, BRP-gegevens en woonplaatsbeslissing zijn alleen voor de gemeenten. Het lezen komt in het auditlog."""
    return listing.read_transfer(session, who, ctx, overdracht_id)


@router.post(
    "/overdrachten/{overdracht_id}/acceptatie", response_model=schemas.OverdrachtDetail,
    tags=["overdrachten"], summary="Accepteer de overdracht (ontvangende gemeente)",
    responses=problem_responses(400, 401, 403, 404, 409),
)
def accept(ctx: Ctx, session: Db, who: Who, overdracht_id: OverdrachtId, body: schemas.Acceptatie | None = None) -> dict:
    """Van aangeleverd naar geaccepteerd. Met `versie` weigert de dienst (409) als de overdracht intussen gewijzigd is."""
    return transitions.accept(session, who, ctx, overdracht_id, versie=body.versie if body else None)


@router.post(
    "/overdrachten/{overdracht_id}/afwijzing", response_model=schemas.OverdrachtDetail,
    tags=["overdrachten"], summary="Wijs de overdracht af met onderbouwing (ontvangende gemeente)",
    responses=problem_responses(400, 401, 403, 404, 409),
)
def reject(ctx: Ctx, session: Db, who: Who, overdracht_id: OverdrachtId, body: schemas.Afwijzingsverzoek) -> dict:
    """Van aangeleverd naar afgewezen; een onderbouwing (tekst en/of de vastgelegde woonplaatsbeslissing) is verplicht."""
    return transitions.reject(
        session, who, ctx, overdracht_id, onderbouwing=body.onderbouwing,
        gebruik_woonplaatsbeslissing=body.gebruikWoonplaatsbeslissing, versie=body.versie,
    )


@router.post(
    "/overdrachten/{overdracht_id}/afronding", response_model=schemas.OverdrachtDetail,
    tags=["overdrachten"],
    summary="Rond de overdracht af: de nieuwe toewijzing is verstuurd (ontvangende gemeente)",
    responses=problem_responses(400, 401, 403, 404, 409),
)
def complete(ctx: Ctx, session: Db, who: Who, overdracht_id: OverdrachtId, body: schemas.Afrondingsverzoek) -> dict:
    """Van geaccepteerd naar afgerond, met de ingangsdatum en het kenmerk van de verstuurde toewijzing."""
    return transitions.complete(
        session, who, ctx, overdracht_id,
        toewijzing_ingangsdatum=body.toewijzingIngangsdatum,
        toewijzing_referentie=body.toewijzingReferentie, versie=body.versie,
    )


@router.post(
    "/overdrachten/{overdracht_id}/doorzending", status_code=201,
    response_model=schemas.OverdrachtDetail, tags=["overdrachten"],
    summary="Stuur een afgewezen overdracht door naar een andere gemeente (nieuwe overdracht)",
    responses=problem_responses(400, 401, 403, 404, 409),
)
def redirect(
    state: State, ctx: Ctx,
    who: Who, overdracht_id: OverdrachtId, body: schemas.Doorzending, response: Response
) -> dict:
    """Van afgewezen naar doorgestuurd; er ontstaat een nieuwe overdracht naar de opgegeven gemeente met de aanleverdatum van vandaag."""
    with state.transaction() as session:
        new = transitions.redirect(
            session, who, ctx, overdracht_id, gemeente=body.gemeente, versie=body.versie
        )
    response.headers["Location"] = f"{API_PREFIX}/overdrachten/{new['id']}"
    return new


@router.post(
    "/overdrachten/{overdracht_id}/correctie", response_model=schemas.OverdrachtDetail,
    tags=["overdrachten"],
    summary="Corrigeer een regel: einddatum, product of aanbieder (latende gemeente)",
    responses=problem_responses(400, 401, 403, 404, 409),
)
def correct(ctx: Ctx, session: Db, who: Who, overdracht_id: OverdrachtId, body: schemas.Correctie) -> dict:
    """Een nieuwe versie van de overdracht; de oude waarden blijven in de tijdlijn en het auditlog, de aanleverdatum blijft staan. Kan zolang de overdracht loopt (aangeleverd, geaccepteerd of afgewezen)."""
    return changes.correct(
        session, who, ctx, overdracht_id, regel_id=body.regelId,
        einddatum=body.toewijzingEinddatum, loopt_door=body.toewijzingLooptDoor,
        product=body.product, aanbieder_agb=body.aanbiederAgb, versie=body.versie,
    )


@router.post(
    "/overdrachten/{overdracht_id}/intrekking", response_model=schemas.OverdrachtDetail,
    tags=["overdrachten"], summary="Trek de overdracht in met een reden (latende gemeente)",
    responses=problem_responses(400, 401, 403, 404, 409),
)
def withdraw(ctx: Ctx, session: Db, who: Who, overdracht_id: OverdrachtId, body: schemas.Overdrachtintrekking) -> dict:
    """Van aangeleverd, geaccepteerd of afgewezen naar ingetrokken; een reden is verplicht."""
    return changes.withdraw(session, who, ctx, overdracht_id, reden=body.reden, versie=body.versie)


@router.post(
    "/overdrachten/{overdracht_id}/heroverweging", response_model=schemas.OverdrachtDetail,
    tags=["overdrachten"],
    summary="Heroverweeg een afwijzing en accepteer alsnog (ontvangende gemeente)",
    responses=problem_responses(400, 401, 403, 404, 409),
)
def reconsider(ctx: Ctx, session: Db, who: Who, overdracht_id: OverdrachtId,
               body: schemas.Heroverweging | None = None) -> dict:
    """Van afgewezen naar geaccepteerd; de afwijzing blijft vastgelegd. Wordt de overdracht later afgerond, dan is de latende gemeente tot die dag verantwoordelijk (factsheet onderdeel B)."""
    body = body or schemas.Heroverweging()
    return changes.reconsider(session, who, ctx, overdracht_id, toelichting=body.toelichting,
                              versie=body.versie)


@router.post(
    "/overdrachten/{overdracht_id}/terugname", response_model=schemas.OverdrachtDetail,
    tags=["overdrachten"],
    summary="Neem een afgewezen jeugdige terug (latende gemeente)",
    responses=problem_responses(400, 401, 403, 404, 409),
)
def take_back(ctx: Ctx, session: Db, who: Who, overdracht_id: OverdrachtId,
              body: schemas.Terugname | None = None) -> dict:
    """Van afgewezen naar teruggenomen: de latende gemeente blijft verantwoordelijk."""
    body = body or schemas.Terugname()
    return changes.take_back(session, who, ctx, overdracht_id, toelichting=body.toelichting,
                             versie=body.versie)


@router.get(
    "/overdrachten/{overdracht_id}/verantwoordelijkheid",
    response_model=schemas.Verantwoordelijkheid, tags=["1-november-maatregel"],
    summary="Welke gemeente op een peildatum verantwoordelijk is, en de tijdlijn",
    responses=problem_responses(400, 401, 404),
)
def responsibility(
    ctx: Ctx, session: Db,
    who: Who, overdracht_id: OverdrachtId,
    peildatum: Annotated[date | None, Query(description="Standaard vandaag.")] = None,
) -> dict:
    """Volgens de 1-november-maatregel (factsheet van 2021-11-02): welke gemeente op de peildatum verantwoordelijk is, waarom, en de tijdlijn vanaf 2022-01-01."""
    return task_rules.read_responsibility(
        session, who, ctx, overdracht_id, peildatum or ctx.today()
    )


@router.get(
    "/overdrachten/{overdracht_id}/taken", response_model=schemas.TakenVanOverdracht,
    tags=["1-november-maatregel"], summary="De taken per partij voor deze overdracht",
    responses=problem_responses(400, 401, 404),
)
def tasks(state: State, ctx: Ctx, who: Who, overdracht_id: OverdrachtId) -> dict:
    """De taken die uit de maatregel volgen, met termijn en of ze gedaan zijn. Een aanbieder ziet alleen de eigen taken."""
    with state.transaction() as session:
        items = task_rules.read_tasks(session, who, ctx, overdracht_id)
    return {"overdrachtId": overdracht_id, "taken": items}


@router.put(
    "/overdrachten/{overdracht_id}/taken/{taakcode}", response_model=schemas.Taak,
    tags=["1-november-maatregel"], summary="Vink een eigen taak af (of weer aan)",
    responses=problem_responses(400, 401, 403, 404),
)
def mark(
    ctx: Ctx, session: Db,
    who: Who, overdracht_id: OverdrachtId,
    taakcode: Annotated[str, Path(max_length=64, pattern=r"^[a-z_.]+$")],
    body: schemas.TaakWijziging,
) -> dict:
    """Alleen de partij van de taak kan die afvinken."""
    return task_rules.mark_task(session, who, ctx, overdracht_id, taakcode, body.gedaan)


@router.get(
    "/taken", response_model=schemas.Takenlijst, tags=["1-november-maatregel"],
    summary="Uw eigen taken over alle overdrachten, vroegste termijn eerst",
    responses=problem_responses(400, 401),
)
def task_list(
    ctx: Ctx, session: Db,
    who: Who,
    alleen_open: Annotated[bool, Query(alias="alleenOpen")] = False,
    alleen_te_laat: Annotated[bool, Query(alias="alleenTeLaat")] = False,
) -> dict:
    """Uw taken over alle overdrachten die u ziet, vroegste termijn eerst."""
    return {
        "taken": task_rules.task_list(
            session, who, ctx, alleen_open=alleen_open, alleen_te_laat=alleen_te_laat
        )
    }


@router.get(
    "/overzicht", response_model=schemas.Overzicht, tags=["overdrachten"],
    summary="Aantallen per status en taken over tijd, per gemeente", responses=problem_responses(401),
)
def overview(ctx: Ctx, session: Db, who: Who) -> dict:
    """Per gemeente het aantal inkomende en uitgaande overdrachten per status en het aantal taken over tijd."""
    return task_rules.overview(session, who, ctx)


@router.put(
    "/overdrachten/{overdracht_id}/brp-gegevens", response_model=schemas.BrpKoppeling,
    tags=["woonplaatstoets"],
    summary="Koppel BRP-gegevens (Haal Centraal JSON: casus of verblijfplaatshistorie)",
    responses=problem_responses(400, 401, 403, 404, 413),
)
def put_brp(
    ctx: Ctx, session: Db,
    who: Who, overdracht_id: OverdrachtId,
    document: Annotated[dict[str, Any], Body(description="Haal Centraal JSON-document.")],
) -> dict:
    """Een casusdocument met `jeugdige` of een antwoord van de BRP historie API met `verblijfplaatsen`. Het document moet bij deze jeugdige horen en leesbaar zijn; anders worden alle problemen genoemd."""
    return woonplaats.attach_brp_document(session, who, ctx, overdracht_id, document)


@router.post(
    "/overdrachten/{overdracht_id}/brp-bevragingen", response_model=schemas.BrpKoppeling,
    tags=["woonplaatstoets"],
    summary="Haal de verblijfplaatshistorie op bij de ingestelde BRP en koppel die",
    responses=problem_responses(400, 401, 403, 404, 502, 503),
)
def fetch_brp(
    state: State, ctx: Ctx,
    who: Who, overdracht_id: OverdrachtId, body: schemas.BrpBevraging | None = None
) -> dict:
    """Vraagt bij de ingestelde Haal Centraal BRP de verblijfplaatshistorie op van de geboortedatum tot en met de peildatum."""
    peildatum = (body.peildatum if body else None) or ctx.today()
    return woonplaats.fetch_brp(state.factory, who, ctx, overdracht_id, peildatum)


@router.post(
    "/overdrachten/{overdracht_id}/woonplaatsbeslissingen", status_code=201,
    tags=["woonplaatstoets"],
    summary="Bepaal de woonplaats met de gekoppelde BRP-gegevens en leg de beslissing vast",
    response_model=schemas.Woonplaatsbeslissing, response_model_exclude_unset=True,
    responses={201: {"description": "De beslissing (JSON van de engine)."},
               **problem_responses(400, 401, 403, 404)},
)
def decide(
    state: State, ctx: Ctx,
    who: Who, overdracht_id: OverdrachtId,
    body: schemas.Woonplaatsbeslissingsverzoek | None = None,
) -> dict[str, Any]:
    """Draait de woonplaatsengine van de wet van de overdracht op de gekoppelde BRP-gegevens: bij de Jeugdwet (art. 1.1) met eventuele jeugdhulp, bij wmo-bw (Wmo 2015 art. 1.2.1 en 1.2.1a, beschermd wonen) met de Wmo-gegevens uit de body (aanmelding en eerderBeschermdWonen verplicht). Gegevens van de andere wet geven 400. De beslissing kan daarna als onderbouwing van een afwijzing dienen."""
    given = body.model_fields_set if body else set()
    wmo = {key: getattr(body, key) for key in woonplaats.WMO_FACTS if key in given}
    with state.transaction() as session:
        return woonplaats.decide_woonplaats(
            session, who, ctx, overdracht_id,
            peildatum=body.peildatum if body else None,
            jeugdhulp=body.jeugdhulp if body else None,
            wmo=wmo or None,
        )


@router.post(
    "/aanleveringen/_controleer", response_model=schemas.Controleresultaat,
    tags=["aanleveringen"],
    summary="Controleer een CSV/XLSX-bestand met jeugdigen; er wordt niets opgeslagen",
    responses=problem_responses(400, 401, 403, 413),
)
def check_upload(state: State, ctx: Ctx, who: Who, bestand: Annotated[UploadFile, File()]) -> dict:
    """Eén regel per jeugdige per aanbieder/product met bsn, geboortedatum, ontvangende_gemeente, aanbieder_agb, product en toewijzing_einddatum (leeg: de toewijzing loopt door); optioneel pgb (standaard nee), wet (standaard jeugdwet) en vanaf (de dag vanaf wanneer de ontvangende gemeente volgens de wet verantwoordelijk is). CSV (UTF-8, Windows-1252 of Unicode-tekst/UTF-16) of XLSX. Elke afgekeurde regel staat in het antwoord met regel, kolom en reden."""
    content = read_upload(bestand, state.settings.max_upload_bytes)
    with state.transaction() as session:
        result = upload_check.check_upload(
            session, who, content, bestand.filename or "upload",
            register=ctx.register, limits=ctx.limits, now=ctx.now(),
        )
    return result.to_json()


@router.post(
    "/aanleveringen", status_code=201, response_model=schemas.Aanlevering,
    tags=["aanleveringen"],
    summary="Sla de geldige regels van een gecontroleerd bestand op (bevestiging met de controlecode)",
    responses=problem_responses(400, 401, 403, 409, 413),
)
def store_upload(
    state: State, ctx: Ctx,
    who: Who,
    bestand: Annotated[UploadFile, File()],
    controle: Annotated[str, Form(max_length=64, description="De controlecode uit _controleer.")],
) -> dict:
    """Bevestig met de `controle` uit de controle: alleen dan, en alleen als nog precies dezelfde regels geldig zijn, worden de geldige regels opgeslagen (alles of niets)."""
    content = read_upload(bestand, state.settings.max_upload_bytes)
    with state.transaction() as session:
        stored = upload_store.store_upload(
            session, who, content, bestand.filename or "upload", controle,
            register=ctx.register, limits=ctx.limits, now=ctx.now(),
        )
    return stored.to_json()


def _negotiate(accept: str) -> str:
    accept = accept.lower()
    if XLSX_MEDIA_TYPE in accept:
        return "xlsx"
    if CSV_MEDIA_TYPE in accept and "application/json" not in accept:
        return "csv"
    return "json"
