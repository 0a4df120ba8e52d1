"""Web pages of payments out (issue 18, item 3): the gemeente's bank account and the
payment files of an accepted netting run. The rules are those of
:mod:`wpb.service.components.verrekening.betaalbestanden`; the pages add none.

| path | what |
|---|---|
| ``/verrekening/rekening`` | your account (gemeente) or every account (coordinator); set it |
| ``/verrekening/salderingen/{id}/betaalbestand`` | download pain.001 (your payments) or CSV |
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from wpb.service.components.verrekening import betaalbestanden
from wpb.service.components.verrekening.ui import SalderingId, VerrekeningUI
from wpb.service.errors import InvalidRequest, NotFound
from wpb.service.state import Ctx
from wpb.service.web.forms import errors_of, text_of
from wpb.service.web.pages import Act, PageRoute, Who

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _account_page(ui, request: Request, viewer, *, errors=(), waarden=None, status: int = 200):
    with ui.transaction() as db:
        rekeningen = betaalbestanden.list_rekeningen(db, viewer.principal, ui.ctx)
    eigen = rekeningen[0] if viewer.principal.is_gemeente and rekeningen else None
    waarden = waarden or {"iban": eigen["iban"] if eigen else "", "bic": (eigen or {}).get("bic") or "",
                          "rekeninghouder": eigen["rekeninghouder"] if eigen else ""}
    return ui.render(request, "verrekening/rekening.html", viewer=viewer, rekeningen=rekeningen,
                     eigen=eigen, waarden=waarden, errors=list(errors), status=status)


@router.get("/verrekening/rekening")
def account(ui: VerrekeningUI, request: Request, viewer: Who) -> Response:
    return ui.guard(request, viewer) or _account_page(ui, request, viewer)


@router.post("/verrekening/rekening")
def set_account(ui: VerrekeningUI, ctx: Ctx, request: Request, act: Act) -> Response:
    if (stop := ui.guard(request, act)) is not None:
        return stop
    p = act.principal
    if not p.is_gemeente:
        raise NotFound("Deze pagina bestaat niet.")
    waarden = {k: text_of(act.form, k).strip()[:100] for k in ("iban", "bic", "rekeninghouder")}
    try:
        with ui.transaction() as db:
            betaalbestanden.set_rekening(db, p, ctx, p.code, iban=waarden["iban"],
                                         bic=waarden["bic"] or None,
                                         rekeninghouder=waarden["rekeninghouder"] or None)
    except InvalidRequest as exc:
        return _account_page(ui, request, act, errors=errors_of(exc), waarden=waarden, status=400)
    return RedirectResponse("/verrekening/rekening?melding=rekening-vastgelegd", status_code=303)


@router.get("/verrekening/salderingen/{saldering_id}/betaalbestand")
def payment_file(ui: VerrekeningUI, ctx: Ctx, request: Request, saldering_id: SalderingId,
                 viewer: Who) -> Response:
    if (stop := ui.guard(request, viewer)) is not None:
        return stop
    formaat = request.query_params.get("formaat", "")
    if formaat not in ("pain001", "csv"):
        raise NotFound("Dit formaat bestaat niet.")
    gemeente = request.query_params.get("gemeente") or None
    try:
        uitvoerdatum = date.fromisoformat(request.query_params.get("uitvoerdatum", ""))
    except ValueError:
        uitvoerdatum = None
    with ui.transaction() as db:
        bestand = betaalbestanden.betaalbestand(db, viewer.principal, ctx, saldering_id, formaat=formaat,
                                                gemeente=gemeente, uitvoerdatum=uitvoerdatum)
    return Response(bestand.content, media_type=bestand.media_type, headers={
        "Content-Disposition": f'attachment; filename="{bestand.bestandsnaam}"'})
