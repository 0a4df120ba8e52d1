"""The REST API of a gemeente's caseload: import, BRP fetch, the woonplaatscheck, signalen.

Every operation is the caller's own: a gemeente sees and changes only its caseload, its BRP
documents and its signalen; another tenant's signal answers 404. No BSN in any URL.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, File, Form, Query, UploadFile
from sqlalchemy import func, select

from wpb.service.api_base import ProblemRoute, read_upload
from wpb.service.auth.bearer import Who
from wpb.service.components.brp.bron import fetch_into_store
from wpb.service.components.brp.store import with_documents
from wpb.service.components.clientenbestand import (
    bestand,
    invoer,
    omzetting,
    schemas,
    signalen,
    views,
)
from wpb.service.components.clientenbestand.models import ClientenbestandImport, ClientToewijzing
from wpb.service.components.overdrachten.schemas import Controleresultaat
from wpb.service.components.overdrachten.views import iso
from wpb.service.problems import problem_responses
from wpb.service.public_ids import path_id
from wpb.service.state import Ctx, State

router = APIRouter(route_class=ProblemRoute)
TAG = "clientenbestand"
SignaalId = Annotated[str, path_id("het signaal")]
PAGE = 100


@router.post(
    "/clientenbestand/_controleer", response_model=schemas.Controle, tags=[TAG],
    summary="Controleer een cliëntenbestand (CSV/XLSX-export of JW301-berichten); er wordt niets opgeslagen",
    responses=problem_responses(400, 401, 403, 413),
)
def check_caseload(state: State, ctx: Ctx, who: Who, bestand_: Annotated[UploadFile, File(alias="bestand")]) -> dict:
    """Kolommen bsn, geboortedatum, aanbieder_agb, productcategorie, productcode, begindatum, einddatum (en optioneel verblijf, wet, vorm, verblijf_sinds, aanmeldgemeente, aanmelddatum, indicatie_begin, toewijzingnummer); of een .xml/.zip met JW301-berichten. Tot 100.000 regels. Elke afgekeurde regel staat in het antwoord met regel, kolom en reden."""
    content = read_upload(bestand_, bestand.MAX_BYTES)
    with state.transaction() as session:
        check = invoer.check_import(session, who, content, bestand_.filename or "upload", ctx.register)
    return check.to_json()


@router.post(
    "/clientenbestand", status_code=201, response_model=schemas.Inlezing, tags=[TAG],
    summary="Vervang het cliëntenbestand door de geldige regels van een gecontroleerd bestand",
    responses=problem_responses(400, 401, 403, 409, 413),
)
def store_caseload(
    state: State, ctx: Ctx, who: Who,
    bestand_: Annotated[UploadFile, File(alias="bestand")],
    controle: Annotated[str, Form(max_length=64, description="De controlecode uit _controleer.")],
) -> dict:
    """Alleen met de `controle` uit de controle van hetzelfde bestand. Het hele cliëntenbestand wordt in één keer vervangen; het antwoord zegt wat nieuw, beëindigd en gewijzigd is."""
    content = read_upload(bestand_, bestand.MAX_BYTES)
    with state.transaction() as session:
        result = invoer.store_import(session, who, content, bestand_.filename or "upload",
                                     controle, ctx.register, ctx.now())
    return result.to_json()


@router.get(
    "/clientenbestand", response_model=schemas.ClientenbestandPagina, tags=[TAG],
    summary="Het eigen cliëntenbestand, per pagina",
    responses=problem_responses(400, 401, 403),
)
def read_caseload(
    state: State, who: Who,
    pagina: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> dict:
    """De toewijzingen van uw gemeente (100 per pagina), met het aantal cliënten, hoeveel daarvan BRP-gegevens hebben en wanneer het bestand het laatst is ingelezen."""
    with state.transaction() as session:
        invoer.require_gemeente(who)
        owner = ClientToewijzing.eigenaar_id == who.organisatie_id
        total = session.scalar(select(func.count()).where(owner)) or 0
        clients = session.scalar(select(func.count(func.distinct(ClientToewijzing.bsn))).where(owner)) or 0
        rows = session.scalars(select(ClientToewijzing).where(owner).order_by(ClientToewijzing.id)
                               .offset((pagina - 1) * PAGE).limit(PAGE)).all()
        all_bsns = session.scalars(select(ClientToewijzing.bsn).where(owner).distinct()).all()
        with_brp = with_documents(session, who, all_bsns)
        last = session.scalar(select(func.max(ClientenbestandImport.ingelezen_op))
                              .where(ClientenbestandImport.eigenaar_id == who.organisatie_id))
    return {
        "totaal": total, "clienten": clients, "metBrp": len(with_brp),
        "laatsteInlezing": iso(last), "pagina": pagina,
        "toewijzingen": [views.toewijzing(r, r.bsn in with_brp) for r in rows],
    }


@router.post(
    "/clientenbestand/brp-ophaling", response_model=schemas.BrpOphaling, tags=[TAG],
    summary="Haal de BRP-gegevens van alle lopende cliënten op bij de BRP (Haal Centraal)",
    responses=problem_responses(400, 401, 403, 503),
)
def fetch_caseload_brp(
    state: State, ctx: Ctx, who: Who,
    verzoek: Annotated[schemas.WoonplaatscheckVerzoek | None, Body()] = None,
) -> dict:
    """Per cliënt de personen- en verblijfplaatshistorie-API (en die van de moeder waar de BRP haar noemt), gelijktijdig en met herhaalpogingen. De gegevens blijven bij uw organisatie; wat niet lukte staat per cliënt in het antwoord."""
    peildatum = (verzoek.peildatum if verzoek else None) or ctx.today()
    with state.transaction() as session:
        invoer.require_gemeente(who)
        bsns = views.running_clients(session, who, peildatum)
    report = fetch_into_store(state.factory, who, ctx, bsns, peildatum)
    return views.fetch_report(report)


@router.post(
    "/clientenbestand/woonplaatscheck", response_model=schemas.WoonplaatscheckRun, tags=[TAG],
    summary="Voer de woonplaatscheck uit voor het eigen cliëntenbestand op een peildatum",
    responses=problem_responses(400, 401, 403),
)
def run_woonplaatscheck(
    state: State, ctx: Ctx, who: Who,
    verzoek: Annotated[schemas.WoonplaatscheckVerzoek | None, Body()] = None,
) -> dict:
    """Beslist elke cliënt met lopende zorg op de BRP-gegevens van uw organisatie en bewaart de signalen. Een afgehandeld signaal komt niet terug zolang de feiten erachter gelijk blijven."""
    with state.transaction() as session:
        peildatum = verzoek.peildatum if verzoek else None
        return signalen.run_check(session, who, ctx, peildatum).to_json()


@router.get(
    "/signalen", response_model=schemas.SignalenPagina, tags=[TAG],
    summary="Signalen van de woonplaatscheck, met filters en tellingen",
    responses=problem_responses(400, 401, 403),
)
def list_signalen(
    state: State, who: Who,
    soort: Annotated[schemas.SoortLiteral | None, Query()] = None,
    open_: Annotated[bool | None, Query(alias="open", description="true: nog af te handelen; false: afgehandeld.")] = None,
    pagina: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> dict:
    """De signalen van uw gemeente (100 per pagina), te filteren op soort en op afhandeling, met het aantal open signalen per soort."""
    with state.transaction() as session:
        rows, total, per_soort = signalen.list_signals(
            session, who, soort=soort, open_=open_, offset=(pagina - 1) * PAGE, limit=PAGE)
        return {"totaal": total, "pagina": pagina, "openPerSoort": per_soort,
                "signalen": [views.signaal(r) for r in rows]}


@router.get(
    "/signalen/{signaal_id}", response_model=schemas.SignaalDetail, tags=[TAG],
    summary="Eén signaal met de beslissing erachter",
    responses=problem_responses(401, 403, 404),
)
def read_signaal(state: State, who: Who, signaal_id: SignaalId) -> dict:
    """Het signaal met de beslissing erachter (status, gemeente, grondslag, toelichting, herkomst van de BRP-gegevens) en, bij een andere gemeente, de regels voor de aanlevering van een overdracht. Een signaal van een andere organisatie geeft 404."""
    with state.transaction() as session:
        return views.signaal_detail(signalen.get_signal(session, who, signaal_id))


@router.post(
    "/signalen/{signaal_id}/afhandeling", response_model=schemas.SignaalDetail, tags=[TAG],
    summary="Handel een signaal af: overdracht, gecontroleerd (met notitie) of afgewezen (met reden)",
    responses=problem_responses(400, 401, 403, 404, 409),
)
def handle_signaal(state: State, ctx: Ctx, who: Who, signaal_id: SignaalId,
                   verzoek: schemas.Afhandeling) -> dict:
    """Een signaal wordt één keer afgehandeld; gecontroleerd vraagt een notitie, afgewezen een reden. De afhandeling staat in het auditlog. Nog een keer afhandelen geeft 409."""
    with state.transaction() as session:
        row = signalen.handle_signal(session, who, signaal_id, verzoek.afhandeling,
                                     verzoek.toelichting, ctx.now())
        return views.signaal_detail(row)


@router.post(
    "/signalen/{signaal_id}/overdracht/_controleer", response_model=Controleresultaat, tags=[TAG],
    summary="De overdracht van een signaal andere_gemeente, ingevuld en gecontroleerd; er wordt niets opgeslagen",
    responses=problem_responses(400, 401, 403, 404, 409),
)
def check_signaal_overdracht(state: State, ctx: Ctx, who: Who, signaal_id: SignaalId) -> dict:
    """Vult de aanlevering in uit het signaal en de toewijzingen (latende gemeente: u; ontvangende gemeente: de gemeente uit de beslissing; vanaf: de dag uit de beslissing) en controleert haar zoals een aangeleverd bestand. Bevestig met de controlecode op `/signalen/{id}/overdracht`."""
    with state.transaction() as session:
        return omzetting.prepare(session, who, ctx, signaal_id).controle.to_json()


@router.post(
    "/signalen/{signaal_id}/overdracht", status_code=201, response_model=schemas.SignaalOverdracht,
    tags=[TAG],
    summary="Maak de ingevulde overdracht van een signaal aan (bevestiging met de controlecode)",
    responses=problem_responses(400, 401, 403, 404, 409),
)
def create_signaal_overdracht(state: State, ctx: Ctx, who: Who, signaal_id: SignaalId,
                              verzoek: schemas.SignaalOverdrachtVerzoek) -> dict:
    """Slaat de overdracht op zoals gecontroleerd (alles of niets; een andere controlecode geeft 409), handelt het signaal af als overdracht met een verwijzing naar de overdracht, en legt beide vast in het auditlog."""
    with state.transaction() as session:
        made = omzetting.create(session, who, ctx, signaal_id, verzoek.controle)
        return {"overdrachtId": made.overdracht_id, "signaal": views.signaal_detail(made.signaal),
                "aanlevering": made.aanlevering.to_json()}
