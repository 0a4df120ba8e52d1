"""The transfer pages (Dutch, server-rendered): lists, search, upload, one transfer with its
actions, tasks and the overview. Their helpers are in :mod:`.ui`.

Pages (all behind a login except the login page itself):

| path | what |
|---|---|
| ``/inloggen``, ``/uitloggen`` | log in and out (signed session cookie, see :mod:`wpb.service.auth.web_session`; routes in :mod:`wpb.service.auth.pages`) |
| ``/overdrachten/inkomend``, ``/overdrachten/uitgaand`` | a municipality's transfers: filters, sort, page size and numbers (:mod:`.list_page`); POST: the BSN filter, held on the server |
| ``/overdrachten`` | everything the user may see (a provider: its own clients) |
| ``/overdrachten/download`` | the filtered list as CSV or XLSX (with the aanleverdatum) |
| ``/zoeken`` | search by BSN; the BSN goes in a POST body, never in a URL |
| ``/overdrachten/{id}`` | one transfer: data, actions, woonplaatstoets, responsibility over time, tasks, timeline |
| ``/aanleveren`` | upload a CSV/XLSX, see the check row by row, confirm storing the valid rows |
| ``/taken`` | the user's own tasks per party, overdue ones marked |
| ``/aanleveren/sjabloon.csv``, ``.xlsx`` | the upload format as an empty template |
| ``/aanleveren/afgewezen`` | (POST) the rejected rows of one's last check as CSV |
| ``/overzicht`` | counts, charts and downloads (routes in :mod:`.overview_pages`) |
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from wpb.domain.overdracht import Status
from wpb.service.components.overdrachten import (
    access,
    bulk,
    changes,
    confirm,
    downloads,
    listing,
    tasks,
    transitions,
    upload_check,
    upload_file,
    upload_store,
    woonplaats,
)
from wpb.service.components.overdrachten.filters import (
    export_filtered,
)
from wpb.service.components.overdrachten.listing import Richting
from wpb.service.components.overdrachten.models import WET_WMO_BW
from wpb.service.components.overdrachten.ui import TransferUI
from wpb.service.components.overdrachten.wmo_form import (
    WMO_FORM_FIELDS,
    decide_wmo_from_form,
    wmo_facts_of,
)
from wpb.service.errors import (
    InvalidRequest,
    NotFound,
    PayloadTooLarge,
    Problem,
)
from wpb.service.exports import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from wpb.service.public_ids import path_id
from wpb.service.state import Ctx
from wpb.service.web.forms import (
    errors_of,
    parse_date,
    text_of,
    versie_of,
)
from wpb.service.web.labels import (
    PARTIJ_LABELS,
)
from wpb.service.web.pages import (
    Act,
    PageRoute,
    Web,
    Who,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)

OverdrachtId = Annotated[str, path_id("de overdracht")]


@router.get("/overdrachten/inkomend")
def incoming(ui: TransferUI, request: Request, viewer: Who) -> Response:
    return ui.list_page(request, viewer, Richting.INKOMEND)


@router.get("/overdrachten/uitgaand")
def outgoing(ui: TransferUI, request: Request, viewer: Who) -> Response:
    return ui.list_page(request, viewer, Richting.UITGAAND)


@router.get("/overdrachten")
def all_visible(ui: TransferUI, request: Request, viewer: Who) -> Response:
    return ui.list_page(request, viewer, None)


@router.post("/overdrachten/inkomend")
def incoming_by_bsn(ui: TransferUI, request: Request, act: Act) -> Response:
    return ui.lists.post_bsn(request, act, Richting.INKOMEND)


@router.post("/overdrachten/uitgaand")
def outgoing_by_bsn(ui: TransferUI, request: Request, act: Act) -> Response:
    return ui.lists.post_bsn(request, act, Richting.UITGAAND)


@router.post("/overdrachten")
def all_by_bsn(ui: TransferUI, request: Request, act: Act) -> Response:
    return ui.lists.post_bsn(request, act, None)


@router.get("/overdrachten/download")
def download(ui: TransferUI, pages: Web, ctx: Ctx, request: Request, viewer: Who) -> Response:
    params = request.query_params
    lijst = params.get("lijst", "alle")
    richting = {"inkomend": Richting.INKOMEND, "uitgaand": Richting.UITGAAND}.get(lijst)
    if (lijst not in ("inkomend", "uitgaand", "alle")) or (
        richting is not None and not viewer.principal.is_gemeente
    ):
        raise NotFound("Deze lijst bestaat niet.")
    formaat = params.get("formaat", "csv")
    if formaat not in ("csv", "xlsx"):
        raise NotFound("Dit formaat bestaat niet.")
    bsn, expired = ui.lists.held_bsn(request, viewer)
    if expired:  # never the whole list for a download meant to hold one youth's transfers
        return ui.list_page(request, viewer, richting, problem=InvalidRequest(
            "Het BSN-filter is verlopen.", [("bsn", "vul het BSN opnieuw in en download dan")]))
    f = ui.parse_filter(request, richting, bsn, paged=False)
    try:
        with pages.transaction() as db:
            rows = export_filtered(db, viewer.principal, ctx, f)
    except InvalidRequest as exc:
        return ui.list_page(request, viewer, richting, problem=exc)
    name = f"overdrachten-{lijst}-{ctx.today().isoformat()}.{formaat}"
    content, media = downloads.list_file(listing.EXPORT_COLUMNS, rows, formaat, ctx.register)
    return Response(
        content, media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/zoeken")
def search_form(pages: Web, request: Request, viewer: Who) -> Response:
    return pages.render(request, "zoeken.html", viewer=viewer, resultaten=None, bsn="")


@router.post("/zoeken")
def search(pages: Web, ctx: Ctx, request: Request, act: Act) -> Response:
    bsn = text_of(act.form, "bsn").strip().replace(" ", "").replace(".", "")[:20]
    try:
        if not bsn:
            raise InvalidRequest("Vul een BSN in.", [("bsn", "verplicht")])
        with pages.transaction() as db:
            found = listing.search_by_bsn(db, act.principal, ctx, bsn)
    except InvalidRequest as exc:
        return pages.render(
            request, "zoeken.html", viewer=act, status=400,
            errors=errors_of(exc, {"bsn": "bsn"}), resultaten=None, bsn=bsn,
        )
    return pages.render(request, "zoeken.html", viewer=act, resultaten=found, bsn=bsn)


@router.get("/aanleveren")
def upload_form(pages: Web, request: Request, viewer: Who) -> Response:
    pages.require_gemeente(viewer)
    return pages.render(request, "aanleveren.html", viewer=viewer)


@router.post("/overdrachten/besluiten")
def decide_many(ui: TransferUI, pages: Web, ctx: Ctx, request: Request, act: Act) -> Response:
    """The selection of the incoming list (or every incoming transfer still aangeleverd)
    accepted or rejected with one onderbouwing; the answer lists each transfer's outcome."""
    pages.require_gemeente(act)
    besluit = (act.form.get("besluit") or "").strip() if isinstance(act.form.get("besluit"), str) else ""
    onderbouwing = act.form.get("onderbouwing")
    onderbouwing = onderbouwing if isinstance(onderbouwing, str) else ""
    problem = bulk.check_onderbouwing(besluit, onderbouwing)
    with pages.transaction() as db:
        if act.form.get("alle") == "ja":
            ids = bulk.ids_of_filter(db, listing.visible_query(
                act.principal, Richting.INKOMEND, [Status.AANGELEVERD]))
        else:
            ids = [v for v in act.form.getlist("overdracht") if isinstance(v, str) and 0 < len(v) <= 64]
        if problem or not ids:
            results = []
        elif text_of(act.form, confirm.CONFIRMED) != "ja":
            return ui.render_confirmation(request, act, confirm.describe_many(besluit, ids, onderbouwing),
                                          "/overdrachten/inkomend")
        else:
            results = bulk.decide_all(db, act.principal, ctx,
                                      [bulk.Besluit(i, besluit, onderbouwing) for i in ids])
    fout = problem or (None if ids else "kies ten minste één overdracht")
    return pages.render(request, "besluiten_resultaat.html", viewer=act,
                        status=400 if fout else 200, fout=fout, besluit=besluit,
                        resultaten=results, aantallen=bulk.summary(results)["aantallen"])


@router.post("/aanleveren")
def upload(ui: TransferUI, pages: Web, ctx: Ctx, request: Request, act: Act) -> Response:
    pages.require_gemeente(act)
    bestand = act.form.get("bestand")
    try:
        if not isinstance(bestand, UploadFile) or not bestand.filename:
            raise InvalidRequest("Er is geen bestand gekozen.", [("bestand", "verplicht")])
        limit = pages.state.settings.max_upload_bytes
        content = bestand.file.read(limit + 1)
        if len(content) > limit:
            raise PayloadTooLarge(
                f"Het bestand is groter dan {limit} bytes; splits het in kleinere bestanden."
            )
        with pages.transaction() as db:
            check = upload_check.check_upload(
                db, act.principal, content, bestand.filename,
                register=ctx.register, limits=ctx.limits, now=ctx.now(),
            )
    except (InvalidRequest, PayloadTooLarge) as exc:
        return ui.upload_error(request, act, exc)
    key = (
        ui.pending.put(act.principal.gebruiker_id, check.bestandsnaam, content, check.controle)
        if check.geldig
        else ""
    )
    rejected_key = (
        ui.pending.put(
            act.principal.gebruiker_id, _rejected_name(check.bestandsnaam),
            downloads.rejected_csv(upload_file.ALL_COLUMNS, check.afgewezen_rijen), "",
            soort="afgewezen",
        )
        if check.afgewezen_rijen
        else ""
    )
    return pages.render(
        request, "aanleveren_controle.html", viewer=act, check=check, sleutel=key,
        afgewezen_regels=len(check.afgewezen_regels), afgewezen_sleutel=rejected_key,
        samenvatting=upload_check.summarise(check.afgewezen),
        max_fouten=MAX_SHOWN_ERRORS, max_geldig=MAX_SHOWN_VALID,
    )


# A big file's check page shows this many rejections and valid rows; the rest are counted
# (and the rejected rows are in their download).
MAX_SHOWN_ERRORS = 100
MAX_SHOWN_VALID = 50


def _rejected_name(bestandsnaam: str) -> str:
    stem = bestandsnaam.rsplit(".", 1)[0] or "bestand"
    return f"afgewezen-regels-{stem}.csv"


def _attachment(content: bytes, media: str, name: str) -> Response:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:120]
    return Response(content, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{safe}"'})


@router.get("/aanleveren/sjabloon.{formaat}")
def upload_template(pages: Web, request: Request, viewer: Who, formaat: str) -> Response:
    """The upload format as an empty file: every column in order (CSV or XLSX)."""
    pages.require_gemeente(viewer)
    if formaat == "csv":
        return _attachment(downloads.template_csv(), CSV_MEDIA_TYPE + "; charset=utf-8",
                           "sjabloon-aanlevering.csv")
    if formaat == "xlsx":
        return _attachment(downloads.template_xlsx(), XLSX_MEDIA_TYPE, "sjabloon-aanlevering.xlsx")
    raise NotFound("Dit formaat bestaat niet.")


@router.post("/aanleveren/afgewezen")
def rejected_rows(ui: TransferUI, pages: Web, request: Request, act: Act) -> Response:
    """The rejected rows of the user's last check as CSV (a POST: the key is no URL)."""
    pages.require_gemeente(act)
    key = text_of(act.form, "afgewezen")
    entry = ui.pending.get(key, act.principal.gebruiker_id, soort="afgewezen") if key else None
    if entry is None:
        raise NotFound("De afgewezen regels zijn niet meer beschikbaar; controleer het bestand opnieuw.")
    return _attachment(entry.content, CSV_MEDIA_TYPE + "; charset=utf-8", entry.bestandsnaam)


@router.post("/aanleveren/bevestigen")
def confirm_upload(ui: TransferUI, pages: Web, ctx: Ctx, request: Request, act: Act) -> Response:
    pages.require_gemeente(act)
    key = text_of(act.form, "aanlevering")
    pending = ui.pending.get(key, act.principal.gebruiker_id) if key else None
    if pending is None or text_of(act.form, "controle") != pending.controle:
        return ui.upload_error(
            request, act,
            InvalidRequest(
                "De controle van het bestand is verlopen of al gebruikt. Er is niets "
                "opgeslagen. Kies het bestand opnieuw; het wordt dan opnieuw gecontroleerd."
            ),
            status=409,
        )
    try:
        with pages.transaction() as db:
            stored = upload_store.store_upload(
                db, act.principal, pending.content, pending.bestandsnaam, pending.controle,
                register=ctx.register, limits=ctx.limits, now=ctx.now(),
            )
    except Problem as exc:
        if exc.status == 404:
            raise
        ui.pending.discard(key)
        return ui.upload_error(request, act, exc)
    ui.pending.discard(key)
    return pages.render(request, "aanleveren_opgeslagen.html", viewer=act, stored=stored)


@router.get("/overdrachten/{overdracht_id}")
def detail(ui: TransferUI, request: Request, overdracht_id: OverdrachtId, viewer: Who) -> Response:
    problems: list[tuple[str, str]] = []
    peildatum = parse_date(
        request.query_params.get("peildatum"), "verantwoordelijkPeildatum", problems
    )
    problem = (
        InvalidRequest("De peildatum is ongeldig.", problems) if problems else None
    )
    return ui.detail_page(
        request, viewer, overdracht_id, problem=problem, peildatum=peildatum,
        status=400 if problem else 200,
    )


@router.post("/overdrachten/{overdracht_id}/accepteren")
def accept(ui: TransferUI, ctx: Ctx, request: Request, overdracht_id: OverdrachtId, act: Act) -> Response:
    problems: list[tuple[str, str]] = []
    versie = versie_of(act.form, problems)
    return ui.act(
        request, act, overdracht_id, "accepteren", problems,
        lambda db: transitions.accept(db, act.principal, ctx, overdracht_id, versie=versie),
        "geaccepteerd",
    )


@router.post("/overdrachten/{overdracht_id}/afwijzen")
def reject(ui: TransferUI, ctx: Ctx, request: Request, overdracht_id: OverdrachtId, act: Act) -> Response:
    problems: list[tuple[str, str]] = []
    versie = versie_of(act.form, problems)
    return ui.act(
        request, act, overdracht_id, "afwijzen", problems,
        lambda db: transitions.reject(
            db, act.principal, ctx, overdracht_id,
            onderbouwing=text_of(act.form, "onderbouwing"),
            gebruik_woonplaatsbeslissing=text_of(act.form, "gebruikWoonplaatsbeslissing") == "ja",
            versie=versie,
        ),
        "afgewezen",
    )


@router.post("/overdrachten/{overdracht_id}/afronden")
def complete(ui: TransferUI, ctx: Ctx, request: Request, overdracht_id: OverdrachtId, act: Act) -> Response:
    problems: list[tuple[str, str]] = []
    versie = versie_of(act.form, problems)
    ingang = parse_date(
        text_of(act.form, "toewijzingIngangsdatum"), "toewijzingIngangsdatum", problems
    )
    return ui.act(
        request, act, overdracht_id, "afronden", problems,
        lambda db: transitions.complete(
            db, act.principal, ctx, overdracht_id,
            toewijzing_ingangsdatum=ingang,
            toewijzing_referentie=text_of(act.form, "toewijzingReferentie"),
            versie=versie,
        ),
        "afgerond",
    )


@router.post("/overdrachten/{overdracht_id}/doorsturen")
def redirect(ui: TransferUI, ctx: Ctx, request: Request, overdracht_id: OverdrachtId, act: Act) -> Response:
    problems: list[tuple[str, str]] = []
    versie = versie_of(act.form, problems)
    return ui.act(
        request, act, overdracht_id, "doorsturen", problems,
        lambda db: transitions.redirect(
            db, act.principal, ctx, overdracht_id,
            gemeente=text_of(act.form, "gemeente"), versie=versie,
        ),
        "doorgestuurd",
        goto=lambda result: result["id"],
    )


@router.post("/overdrachten/{overdracht_id}/corrigeren")
def correct(ui: TransferUI, ctx: Ctx, request: Request, overdracht_id: OverdrachtId, act: Act) -> Response:
    problems: list[tuple[str, str]] = []
    versie = versie_of(act.form, problems)
    regel = text_of(act.form, "regelId").strip()
    if not regel or len(regel) > 64:
        problems.append(("regelId", "kies een regel"))
    einde = parse_date(text_of(act.form, "toewijzingEinddatum"), "toewijzingEinddatum", problems)
    product = text_of(act.form, "product").strip() or None
    agb = text_of(act.form, "aanbiederAgb").strip() or None
    return ui.act(
        request, act, overdracht_id, "corrigeren", problems,
        lambda db: changes.correct(
            db, act.principal, ctx, overdracht_id, regel_id=regel,
            einddatum=einde, loopt_door=text_of(act.form, "looptDoor") == "ja",
            product=product, aanbieder_agb=agb, versie=versie,
        ),
        "gecorrigeerd",
    )


def _change(ui: TransferUI, ctx: Ctx, request: Request, overdracht_id: str, act: Act,
            form_name: str, melding: str, run, **fields: str) -> Response:
    """One action of :mod:`changes` with text fields of the form (name: the service's keyword)."""
    problems: list[tuple[str, str]] = []
    versie = versie_of(act.form, problems)
    values = {keyword: text_of(act.form, name) for name, keyword in fields.items()}
    return ui.act(request, act, overdracht_id, form_name, problems,
                  lambda db: run(db, act.principal, ctx, overdracht_id, versie=versie, **values),
                  melding)


@router.post("/overdrachten/{overdracht_id}/intrekken")
def withdraw(ui: TransferUI, ctx: Ctx, request: Request, overdracht_id: OverdrachtId, act: Act) -> Response:
    return _change(ui, ctx, request, overdracht_id, act, "intrekken", "ingetrokken",
                   changes.withdraw, reden="reden")


@router.post("/overdrachten/{overdracht_id}/heroverwegen")
def reconsider(ui: TransferUI, ctx: Ctx, request: Request, overdracht_id: OverdrachtId, act: Act) -> Response:
    return _change(ui, ctx, request, overdracht_id, act, "heroverwegen", "heroverwogen",
                   changes.reconsider, toelichting="toelichting")


@router.post("/overdrachten/{overdracht_id}/terugnemen")
def take_back(ui: TransferUI, ctx: Ctx, request: Request, overdracht_id: OverdrachtId, act: Act) -> Response:
    return _change(ui, ctx, request, overdracht_id, act, "terugnemen", "teruggenomen",
                   changes.take_back, toelichting="toelichting")


@router.post("/overdrachten/{overdracht_id}/brp-document")
def attach_brp(ui: TransferUI, pages: Web, ctx: Ctx, request: Request, overdracht_id: OverdrachtId, act: Act) -> Response:
    problems: list[tuple[str, str]] = []
    document: Any = None
    upload = act.form.get("document")
    if not isinstance(upload, UploadFile) or not upload.filename:
        problems.append(("document", "verplicht"))
    else:
        limit = pages.state.settings.max_upload_bytes
        raw = upload.file.read(limit + 1)
        if len(raw) > limit:
            problems.append(("document", f"groter dan {limit} bytes"))
        else:
            try:
                document = json.loads(raw.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                problems.append(("document", "geen geldig JSON-document"))
    return ui.act(
        request, act, overdracht_id, "brp", problems,
        lambda db: woonplaats.attach_brp_document(
            db, act.principal, ctx, overdracht_id, document
        ),
        "brp-gekoppeld",
    )


@router.post("/overdrachten/{overdracht_id}/brp-ophalen")
def fetch_brp(ui: TransferUI, pages: Web, ctx: Ctx, request: Request, overdracht_id: OverdrachtId, act: Act) -> Response:
    problems: list[tuple[str, str]] = []
    peildatum = parse_date(text_of(act.form, "peildatum"), "peildatum", problems)
    return ui.act(
        request, act, overdracht_id, "brp", problems,
        None,
        "brp-gekoppeld",
        outside=lambda: woonplaats.fetch_brp(
            pages.state.factory, act.principal, ctx, overdracht_id, peildatum or ctx.today()
        ),
    )


@router.post("/overdrachten/{overdracht_id}/woonplaatstoets")
def decide(ui: TransferUI, pages: Web, ctx: Ctx, request: Request, overdracht_id: OverdrachtId, act: Act) -> Response:
    problems: list[tuple[str, str]] = []
    peildatum = parse_date(text_of(act.form, "peildatum"), "peildatum", problems)
    with pages.transaction() as db:  # a transfer the user may not see is a 404 here
        wet = access.get_visible(db, act.principal, overdracht_id).wet
    if wet == WET_WMO_BW:
        wmo = wmo_facts_of(act.form, problems)
        return ui.act(
            request, act, overdracht_id, "woonplaats", problems,
            lambda db: decide_wmo_from_form(lambda: woonplaats.decide_woonplaats(
                db, act.principal, ctx, overdracht_id, peildatum=peildatum, wmo=wmo
            )),
            "woonplaats-bepaald",
        )
    # A Jeugdwet transfer: Wmo facts posted anyway are refused, not ignored.
    problems += [
        (name, "alleen voor een overdracht beschermd wonen (wet wmo-bw); dit is een "
         "overdracht onder de Jeugdwet")
        for name in WMO_FORM_FIELDS if text_of(act.form, name).strip()
    ]
    return ui.act(
        request, act, overdracht_id, "woonplaats", problems,
        lambda db: woonplaats.decide_woonplaats(
            db, act.principal, ctx, overdracht_id, peildatum=peildatum
        ),
        "woonplaats-bepaald",
    )


@router.post("/overdrachten/{overdracht_id}/taken/{taakcode}")
def mark(
    ui: TransferUI, pages: Web, ctx: Ctx,
    request: Request,
    overdracht_id: OverdrachtId,
    taakcode: Annotated[str, PathParam(max_length=64, pattern=r"^[a-z_.]+$")],
    act: Act,
) -> Response:
    gedaan = text_of(act.form, "gedaan") == "ja"
    terug = text_of(act.form, "terug")
    melding = "taak-gedaan" if gedaan else "taak-open"
    if terug == "taken":
        with pages.transaction() as db:
            tasks.mark_task(db, act.principal, ctx, overdracht_id, taakcode, gedaan)
        return RedirectResponse(f"/taken?melding={melding}", status_code=303)
    return ui.act(
        request, act, overdracht_id, "taken", [],
        lambda db: tasks.mark_task(
            db, act.principal, ctx, overdracht_id, taakcode, gedaan
        ),
        melding,
    )


@router.get("/taken")
def task_list(ui: TransferUI, pages: Web, ctx: Ctx, request: Request, viewer: Who) -> Response:
    welke = request.query_params.get("welke", "open")
    if welke not in ("alle", "open", "te_laat"):
        welke = "open"
    gemeente = request.query_params.get("gemeente", "")  # the overview's drill-down
    with pages.transaction() as db:
        items = tasks.task_list(
            db, viewer.principal, ctx,
            alleen_open=welke == "open", alleen_te_laat=welke == "te_laat",
        )
    if gemeente:
        items = [t for t in items if (t.get("gemeente") or {}).get("code") == gemeente]
    groups: dict[str, list[dict]] = {}
    for item in items:
        groups.setdefault(item["partij"], []).append(item)
    ordered = [(p, groups[p]) for p in PARTIJ_LABELS if p in groups]
    return pages.render(
        request, "taken.html", viewer=viewer, groepen=ordered, welke=welke, gemeente=gemeente,
        aantal=len(items), te_laat=sum(1 for t in items if t.get("teLaat")),
        kan_afvinken=lambda taak: ui.can_mark(viewer.principal, taak),
    )
