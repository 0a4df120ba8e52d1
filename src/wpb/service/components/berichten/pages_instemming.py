"""Web pages for agreeing before reden 8 (issue 18 item 12); the rules are in :mod:`.instemming`.

| path | what |
|---|---|
| ``POST /berichten/{id}/instemming`` | the addressed gemeente asks the gemeente(n) its proposal names with reden 8 |
| ``/instemmingen`` | a gemeente: the requests asked of it (to agree or object) and asked by it |
| ``POST /instemmingen/{id}`` | the named gemeente agrees or objects (an objection opens a geschil) |

Only the two gemeenten of a request see it; for everyone else these pages are a 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from wpb.service.components.berichten import instemming
from wpb.service.components.berichten.pages import BerichtenPages, get_berichten_ui
from wpb.service.errors import InvalidRequest, NotFound, Problem
from wpb.service.public_ids import path_id
from wpb.service.state import Ctx
from wpb.service.web.forms import errors_of, versie_of
from wpb.service.web.pages import Act, PageRoute, Viewer, Who

BerichtId = Annotated[str, path_id("het bericht")]
InstemmingId = Annotated[str, path_id("de vraag om instemming")]
BerichtenUI = Annotated[BerichtenPages, Depends(get_berichten_ui)]

STATUS_LABELS = {"gevraagd": "Gevraagd", "akkoord": "Ingestemd", "bezwaar": "Bezwaar (geschil)"}
MELDINGEN = {
    "akkoord": "U heeft ingestemd; de gemeente kan de afwijzing met reden 8 nu versturen.",
    "bezwaar": "Uw bezwaar is vastgelegd en er is een geschil geopend.",
}

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _require_gemeente(viewer: Viewer) -> None:
    if not viewer.principal.is_gemeente:
        raise NotFound("Deze pagina bestaat niet.")


def _page(ui: BerichtenPages, ctx, request: Request, viewer: Viewer, *,
          problem: Problem | None = None) -> Response:
    with ui.pages.transaction() as db:
        rows = instemming.list_instemmingen(db, viewer.principal, ctx)
    code = request.query_params.get("melding", "")
    return ui.render(
        request, "berichten/instemmingen.html", viewer=viewer,
        status=problem.status if problem else 200,
        errors=errors_of(problem, {"": "instemmingen"}) if problem else [],
        aan_mij=[r for r in rows if r["gemeente"]["code"] == viewer.principal.code],
        door_mij=[r for r in rows if r["gevraagdDoor"]["code"] == viewer.principal.code],
        labels=STATUS_LABELS, melding=MELDINGEN.get(code),
    )


@router.get("/instemmingen")
def overview(ui: BerichtenUI, ctx: Ctx, request: Request, viewer: Who) -> Response:
    _require_gemeente(viewer)
    return _page(ui, ctx, request, viewer)


@router.post("/instemmingen/{instemming_id}")
def decide(ui: BerichtenUI, ctx: Ctx, request: Request, instemming_id: InstemmingId, act: Act) -> Response:
    _require_gemeente(act)
    problems: list[tuple[str, str]] = []
    versie = versie_of(act.form, problems)
    besluit = str(act.form.get("besluit", ""))
    try:
        if problems:
            raise InvalidRequest("De invoer is niet juist.", problems)
        with ui.pages.transaction() as db:
            instemming.decide_instemming(db, act.principal, ctx, instemming_id, besluit=besluit,
                                         toelichting=str(act.form.get("toelichting", "")),
                                         versie=versie)
    except NotFound:
        raise
    except Problem as exc:
        return _page(ui, ctx, request, act, problem=exc)
    return RedirectResponse(f"/instemmingen?melding={besluit}", status_code=303)


@router.post("/berichten/{bericht_id}/instemming")
def ask(ui: BerichtenUI, ctx: Ctx, request: Request, bericht_id: BerichtId, act: Act) -> Response:
    ui.require_party(act)
    try:
        with ui.pages.transaction() as db:
            instemming.ask_instemming(db, act.principal, ctx, bericht_id)
    except NotFound:
        raise
    except Problem as exc:
        return ui.detail_page(request, act, bericht_id, problem=exc, form="antwoord")
    return RedirectResponse(f"/berichten/{bericht_id}?melding=instemming-gevraagd",
                            status_code=303)


__all__ = ["router"]
