"""Web pages of a gemeente's caseload, its BRP data, the woonplaatscheck and the signalen.

| path | what |
|---|---|
| ``/clientenbestand`` | counts, the last import, upload, BRP fetch and check buttons, the first rows |
| ``POST /clientenbestand/controleren`` | check a file: every bad row named; nothing stored |
| ``POST /clientenbestand/opslaan`` | confirm: replace the caseload with the valid rows |
| ``/clientenbestand/brp-ophalen`` | start (POST) and follow (GET) the bulk BRP fetch |
| ``POST /clientenbestand/woonplaatscheck`` | run the check on a peildatum |
| ``/signalen`` | signalen with filters (soort, open/afgehandeld) and counts |
| ``/signalen/{id}`` | one signal, its decision, and handling it once |
| ``/signalen/{id}/aanlevering.csv`` | the transfer upload rows (with ``vanaf``) of a signal |
| ``/signalen/{id}/overdracht`` | the prefilled transfer of a signal (GET), confirmed (POST) |

Only a gemeente has these pages (others get 404). No BSN in any URL.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select
from starlette.datastructures import UploadFile

from wpb.service.components.brp.store import with_documents
from wpb.service.components.clientenbestand import bestand, invoer, omzetting, signalen, views
from wpb.service.components.clientenbestand.models import ClientenbestandImport, ClientToewijzing
from wpb.service.components.clientenbestand.ophaaltaken import Ophaaltaken
from wpb.service.components.overdrachten.pending_uploads import PendingUploads
from wpb.service.errors import InvalidRequest, NotFound, PayloadTooLarge, Problem
from wpb.service.exports import CSV_MEDIA_TYPE, to_csv
from wpb.service.public_ids import path_id
from wpb.service.state import Ctx
from wpb.service.web.forms import errors_of
from wpb.service.web.pages import Act, PageRoute, Pages, Viewer, Who
from wpb.woonplaatscheck.uitvoer import AANLEVERING_KOLOMMEN

SignaalId = Annotated[str, path_id("het signaal")]
ROWS_SHOWN = 100
PAGE_SIZE = 50
SOORT_LABELS = {
    "andere_gemeente": "Andere gemeente verantwoordelijk",
    "review": "Beoordeling nodig",
    "einde_jeugdige": "Einde jeugdige (18/23 jaar)",
    "wijziging_gepland": "Wijziging gepland",
}
AFHANDELING_LABELS = {"overdracht": "Overdracht gemaakt", "gecontroleerd": "Gecontroleerd",
                      "afgewezen": "Afgewezen"}


class CaseloadPages:
    def __init__(self, pages: Pages):
        self.pages = pages
        self.state = pages.state
        self.pending = PendingUploads()
        self.taken = Ophaaltaken()
        pages.env.filters.update(
            signaal_soort=lambda s: SOORT_LABELS.get(s, s),
            afhandeling_label=lambda s: AFHANDELING_LABELS.get(s, s),
        )

    def render(self, request: Request, template: str, **context: Any) -> Response:
        return self.pages.render(request, template, **context)

    @staticmethod
    def require_gemeente(viewer: Viewer) -> None:
        if not viewer.principal.is_gemeente:
            raise NotFound("Deze pagina bestaat niet.")

    def overview(self, request: Request, viewer: Viewer, *, problem: Problem | None = None,
                 status: int = 200) -> Response:
        p = viewer.principal
        with self.pages.transaction() as db:
            owner = ClientToewijzing.eigenaar_id == p.organisatie_id
            total = db.scalar(select(func.count()).where(owner)) or 0
            bsns = db.scalars(select(ClientToewijzing.bsn).where(owner).distinct()).all()
            met_brp = with_documents(db, p, bsns)
            rows = db.scalars(select(ClientToewijzing).where(owner)
                              .order_by(ClientToewijzing.id).limit(ROWS_SHOWN)).all()
            laatste = db.scalar(select(ClientenbestandImport).where(
                ClientenbestandImport.eigenaar_id == p.organisatie_id)
                .order_by(ClientenbestandImport.id.desc()).limit(1))
            _, _, open_per_soort = signalen.list_signals(db, p, limit=0)
        return self.render(
            request, "clientenbestand/overzicht.html", viewer=viewer, status=status,
            errors=errors_of(problem, {"": "bestand"}) if problem else [],
            totaal=total, clienten=len(bsns), met_brp=len(met_brp),
            rijen=[views.toewijzing(r, r.bsn in met_brp) for r in rows], laatste=laatste,
            open_per_soort=open_per_soort, brp_ingesteld=self.state.settings.brp_configured,
            taak=self.taken.get(p.organisatie_id),
        )


def get_caseload_ui(request: Request) -> CaseloadPages:
    return request.app.state.wpb_caseload_ui


CaseloadUI = Annotated[CaseloadPages, Depends(get_caseload_ui)]
router = APIRouter(route_class=PageRoute, include_in_schema=False)


def install(app, pages: Pages) -> CaseloadPages:
    ui = CaseloadPages(pages)
    app.state.wpb_caseload_ui = ui
    return ui


@router.get("/clientenbestand")
def overview(ui: CaseloadUI, request: Request, viewer: Who) -> Response:
    ui.require_gemeente(viewer)
    return ui.overview(request, viewer)


@router.post("/clientenbestand/controleren")
def check(ui: CaseloadUI, ctx: Ctx, request: Request, act: Act) -> Response:
    ui.require_gemeente(act)
    upload = act.form.get("bestand")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidRequest("Er is geen bestand gekozen.", [("bestand", "verplicht")])
        content = upload.file.read(bestand.MAX_BYTES + 1)
        if len(content) > bestand.MAX_BYTES:
            raise PayloadTooLarge(f"Het bestand is groter dan {bestand.MAX_BYTES} bytes.")
        with ui.pages.transaction() as db:
            result = invoer.check_import(db, act.principal, content, upload.filename, ctx.register)
    except Problem as exc:
        return ui.overview(request, act, problem=exc, status=exc.status)
    sleutel = ui.pending.put(act.principal.gebruiker_id, upload.filename, content, result.controle)
    return ui.render(request, "clientenbestand/controle.html", viewer=act,
                     check=result.to_json(), sleutel=sleutel)


@router.post("/clientenbestand/opslaan")
def confirm(ui: CaseloadUI, ctx: Ctx, request: Request, act: Act) -> Response:
    ui.require_gemeente(act)
    sleutel = str(act.form.get("sleutel") or "")
    pending = ui.pending.get(sleutel, act.principal.gebruiker_id)
    try:
        if pending is None:
            raise InvalidRequest("De controle is verlopen; kies het bestand opnieuw.",
                                 [("bestand", "opnieuw kiezen")])
        with ui.pages.transaction() as db:
            invoer.store_import(db, act.principal, pending.content, pending.bestandsnaam,
                                str(act.form.get("controle") or ""), ctx.register, ctx.now())
    except Problem as exc:
        return ui.overview(request, act, problem=exc, status=exc.status)
    ui.pending.discard(sleutel)
    return RedirectResponse("/clientenbestand#laatste-inlezing", status_code=303)


@router.post("/clientenbestand/brp-ophalen")
def start_fetch(ui: CaseloadUI, ctx: Ctx, request: Request, act: Act) -> Response:
    ui.require_gemeente(act)
    if not ui.state.settings.brp_configured:
        return ui.overview(request, act, problem=InvalidRequest(
            "Er is geen BRP-koppeling ingesteld (WPB_BRP_BASE_URL).", [("brp", "niet ingesteld")]),
            status=400)
    with ui.pages.transaction() as db:
        bsns = views.running_clients(db, act.principal, ctx.today())
    ui.taken.start(ui.state, act.principal, bsns, ctx.today())
    return RedirectResponse("/clientenbestand/brp-ophalen", status_code=303)


@router.get("/clientenbestand/brp-ophalen")
def follow_fetch(ui: CaseloadUI, request: Request, viewer: Who) -> Response:
    ui.require_gemeente(viewer)
    taak = ui.taken.get(viewer.principal.organisatie_id)
    if taak is None:
        return RedirectResponse("/clientenbestand", status_code=303)
    return ui.render(request, "clientenbestand/ophalen.html", viewer=viewer, taak=taak,
                     verslag=views.fetch_report(taak.verslag) if taak.verslag else None)


@router.post("/clientenbestand/woonplaatscheck")
def run_check(ui: CaseloadUI, ctx: Ctx, request: Request, act: Act) -> Response:
    ui.require_gemeente(act)
    raw = str(act.form.get("peildatum") or "").strip()
    try:
        try:
            peildatum = date.fromisoformat(raw) if raw else None
        except ValueError:
            raise InvalidRequest("De peildatum is geen datum.", [("peildatum", "JJJJ-MM-DD")]) from None
        with ui.pages.transaction() as db:
            signalen.run_check(db, act.principal, ctx, peildatum)
    except Problem as exc:
        return ui.overview(request, act, problem=exc, status=exc.status)
    return RedirectResponse("/signalen?open=ja", status_code=303)


@router.get("/signalen")
def list_signals(ui: CaseloadUI, request: Request, viewer: Who) -> Response:
    ui.require_gemeente(viewer)
    soort = request.query_params.get("soort") or None
    if soort not in (None, *signalen.SOORTEN):
        soort = None
    welke = request.query_params.get("open", "ja")
    open_ = {"ja": True, "nee": False}.get(welke)
    raw_page = request.query_params.get("pagina", "1")
    pagina = int(raw_page) if raw_page.isdigit() and 1 <= int(raw_page) <= 100_000 else 1
    with ui.pages.transaction() as db:
        rows, total, per_soort = signalen.list_signals(
            db, viewer.principal, soort=soort, open_=open_, offset=(pagina - 1) * PAGE_SIZE,
            limit=PAGE_SIZE)
        items = [views.signaal(r) for r in rows]
    return ui.render(request, "clientenbestand/signalen.html", viewer=viewer, signalen=items,
                     totaal=total, per_soort=per_soort, soort=soort, welke=welke,
                     pagina=pagina, paginas=max(1, -(-total // PAGE_SIZE)),
                     soorten=signalen.SOORTEN)


def _detail(ui: CaseloadPages, request: Request, viewer: Viewer, signaal_id: str, *,
            problem: Problem | None = None, status: int = 200) -> Response:
    with ui.pages.transaction() as db:
        item = views.signaal_detail(signalen.get_signal(db, viewer.principal, signaal_id))
    return ui.render(request, "clientenbestand/signaal.html", viewer=viewer, s=item,
                     status=status, errors=errors_of(problem, {"": "afhandeling"}) if problem else [])


@router.get("/signalen/{signaal_id}")
def detail(ui: CaseloadUI, request: Request, signaal_id: SignaalId, viewer: Who) -> Response:
    ui.require_gemeente(viewer)
    return _detail(ui, request, viewer, signaal_id)


@router.post("/signalen/{signaal_id}/afhandeling")
def handle(ui: CaseloadUI, ctx: Ctx, request: Request, signaal_id: SignaalId, act: Act) -> Response:
    ui.require_gemeente(act)
    try:
        with ui.pages.transaction() as db:
            signalen.handle_signal(db, act.principal, signaal_id,
                                   str(act.form.get("afhandeling") or ""),
                                   str(act.form.get("toelichting") or ""), ctx.now())
    except NotFound:
        raise
    except Problem as exc:
        return _detail(ui, request, act, signaal_id, problem=exc, status=exc.status)
    return RedirectResponse(f"/signalen/{signaal_id}", status_code=303)


@router.get("/signalen/{signaal_id}/aanlevering.csv")
def upload_rows(ui: CaseloadUI, request: Request, signaal_id: SignaalId, viewer: Who) -> Response:
    ui.require_gemeente(viewer)
    with ui.pages.transaction() as db:
        rows = signalen.transfer_rows(signalen.get_signal(db, viewer.principal, signaal_id))
    content = to_csv(AANLEVERING_KOLOMMEN, rows)
    return Response(content, media_type=CSV_MEDIA_TYPE + "; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="aanlevering-signaal-{signaal_id}.csv"'})


def _concept(ui: CaseloadPages, ctx, request: Request, viewer: Viewer, signaal_id: str, *,
             problem: Problem | None = None, status: int = 200) -> Response:
    try:
        with ui.pages.transaction() as db:
            concept = omzetting.prepare(db, viewer.principal, ctx, signaal_id)
            item = views.signaal_detail(concept.signaal)
    except NotFound:
        raise
    except Problem as exc:
        return _detail(ui, request, viewer, signaal_id, problem=exc, status=exc.status)
    return ui.render(request, "clientenbestand/signaal_overdracht.html", viewer=viewer, s=item,
                     check=concept.controle, latende=viewer.principal.code, status=status,
                     errors=errors_of(problem, {"": "controle"}) if problem else [])


@router.get("/signalen/{signaal_id}/overdracht")
def transfer_draft(ui: CaseloadUI, ctx: Ctx, request: Request, signaal_id: SignaalId,
                   viewer: Who) -> Response:
    ui.require_gemeente(viewer)
    return _concept(ui, ctx, request, viewer, signaal_id)


@router.post("/signalen/{signaal_id}/overdracht")
def transfer_create(ui: CaseloadUI, ctx: Ctx, request: Request, signaal_id: SignaalId,
                    act: Act) -> Response:
    ui.require_gemeente(act)
    try:
        with ui.pages.transaction() as db:
            made = omzetting.create(db, act.principal, ctx, signaal_id,
                                    str(act.form.get("controle") or ""))
    except NotFound:
        raise
    except Problem as exc:
        return _concept(ui, ctx, request, act, signaal_id, problem=exc, status=exc.status)
    return RedirectResponse(f"/overdrachten/{made.overdracht_id}", status_code=303)


__all__ = ["CaseloadPages", "install", "router"]
