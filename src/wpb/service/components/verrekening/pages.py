"""Web pages for the settlement between municipalities (issue 6).

Built on :class:`wpb.service.web.pages.Pages` (same login, CSRF, 404 and error handling) and on
the service layer :mod:`wpb.service.components.verrekening.claims`, which decides who sees and does what;
the pages add no rules of their own.

| path | what |
|---|---|
| ``/verrekening`` | claims to pay and to receive (a gemeente) or all claims (the coordinator); acknowledge, confirm payment; recompute |
| ``/verrekening/claims/{id}`` | one claim: grounds, history, every status change with an explanation, a dispute |
| ``POST /verrekening/herleiden`` | the BSN behind a pseudonym, after confirmation; audited |
| ``/verrekening/salderingen`` (``/{id}``) | netting runs: create (coordinator), accept, confirm payments; the payments |
| ``/verrekening/overzicht`` | the statement per counterparty; download as XLSX or PDF |
| ``/verrekening/vangnet`` | claims open too long or disputed, with totals |
| ``/verrekening/compensatie`` | compensatieregeling woonplaats onbekend |
| ``/verrekening/geschillen`` (``/{id}``) | disputes: register, escalate (regioadviseur → Geschillencommissie Sociaal Domein → Jeugdautoriteit → rechter), resolve, withdraw |
| ``/verrekening/declaraties`` | paid invoices: the list and a CSV/XLSX import (all or nothing) |
| ``/verrekening/rekening``, ``.../betaalbestand`` | bank account, payment files (:mod:`.pages_betalingen`) |

Youths appear by pseudonym only. The BSN behind one is shown on one page, to a party to a
claim or dispute about that youth, after the user confirmed, and the look-up is audited; it
travels in a POST body and a response, never in a URL. A provider may see the disputes it
is party to and nothing else here; everything else it asks for is a 404, as is anything of
another gemeente. Without ``WPB_PSEUDONIEM_SLEUTEL`` every page says, in Dutch, that the
settlement is not configured.
"""




from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from wpb.law.verrekening.pseudoniem import is_pseudoniem
from wpb.service.components.verrekening import claims as claim_rules
from wpb.service.components.verrekening import (
    compensatie,
    facturen,
    geschillen,
    overzichten,
    pages_betalingen,
    saldering,
)
from wpb.service.components.verrekening.ui import (
    CLAIM_ACTIES,
    REQUIRED,
    ClaimId,
    GeschilId,
    SalderingId,
    VerrekeningUI,
)
from wpb.service.errors import InvalidRequest, NotFound, PayloadTooLarge, Problem
from wpb.service.state import Ctx
from wpb.service.web.forms import FieldError, errors_of, text_of, versie_of
from wpb.service.web.pages import (
    Act,
    Acting,
    PageRoute,
    Who,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)



@router.get("/verrekening")
def claims(ui: VerrekeningUI, request: Request, viewer: Who) -> Response:
    return ui.guard(request, viewer) or ui.claims_page(request, viewer)


@router.post("/verrekening/herberekenen")
def recompute(ui: VerrekeningUI, ctx: Ctx, request: Request, act: Act) -> Response:
    if (stop := ui.guard(request, act)) is not None:
        return stop
    with ui.transaction() as db:
        result = claim_rules.recompute_claims(db, act.principal, ctx)
    return ui.render(request, "verrekening/herberekend.html", viewer=act, r=result)


@router.get("/verrekening/claims/{claim_id}")
def claim(ui: VerrekeningUI, request: Request, claim_id: ClaimId, viewer: Who) -> Response:
    return ui.guard(request, viewer) or ui.claim_page(request, viewer, claim_id)


@router.post("/verrekening/claims/{claim_id}/status")
def claim_status(ui: VerrekeningUI, ctx: Ctx, request: Request, claim_id: ClaimId, act: Act) -> Response:
    if (stop := ui.guard(request, act)) is not None:
        return stop
    problems: list[tuple[str, str]] = []
    versie = versie_of(act.form, problems)
    naar = text_of(act.form, "naar")
    toelichting = text_of(act.form, "toelichting").strip()
    terug = text_of(act.form, "terug")
    try:
        if naar not in CLAIM_ACTIES:
            problems.append(("naar", "kies erkennen, betwisten, intrekken of betaald"))
        if len(toelichting) > geschillen.MAX_TEKST:
            problems.append(("toelichting", f"hoogstens {geschillen.MAX_TEKST} tekens"))
        if problems:
            raise InvalidRequest("De invoer is niet juist.", problems)
        with ui.transaction() as db:
            claim_rules.change_claim_status(db, act.principal, ctx, claim_id, naar,
                                 toelichting=toelichting, versie=versie)
    except NotFound:
        raise
    except Problem as exc:
        return ui.claim_page(request, act, claim_id, problem=exc, form=act.form)
    melding = f"claim-{naar}"
    if terug == "lijst":
        return RedirectResponse(f"/verrekening?melding={melding}#claim-{claim_id}",
                                status_code=303)
    return RedirectResponse(f"/verrekening/claims/{claim_id}?melding={melding}",
                            status_code=303)


@router.post("/verrekening/herleiden")
def resolve_pseudonym(ui: VerrekeningUI, ctx: Ctx, request: Request, act: Act) -> Response:
    if (stop := ui.guard(request, act)) is not None:
        return stop
    jeugdige = text_of(act.form, "jeugdige").strip()
    if not is_pseudoniem(jeugdige):
        raise NotFound("Dit pseudoniem bestaat niet.")
    if text_of(act.form, "bevestigd") != "ja":
        return ui.render(request, "verrekening/herleiden.html", viewer=act,
                           jeugdige=jeugdige, bsn=None)
    with ui.transaction() as db:
        found = claim_rules.resolve_pseudoniem(db, act.principal, ctx, jeugdige)
    response = ui.render(request, "verrekening/herleiden.html", viewer=act,
                           jeugdige=jeugdige, bsn=found["bsn"])
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/verrekening/salderingen")
def nettings(ui: VerrekeningUI, ctx: Ctx, request: Request, viewer: Who) -> Response:
    if (stop := ui.guard(request, viewer)) is not None:
        return stop
    with ui.transaction() as db:
        runs = saldering.list_salderingen(db, viewer.principal, ctx)
    return ui.render(request, "verrekening/salderingen.html", viewer=viewer, runs=runs)


@router.post("/verrekening/salderingen")
def make_netting(ui: VerrekeningUI, ctx: Ctx, request: Request, act: Act) -> Response:
    if (stop := ui.guard(request, act)) is not None:
        return stop
    try:
        with ui.transaction() as db:
            run = saldering.create_saldering(db, act.principal, ctx)
    except NotFound:
        raise
    except Problem as exc:
        with ui.transaction() as db:
            runs = saldering.list_salderingen(db, act.principal, ctx)
        return ui.render(request, "verrekening/salderingen.html", viewer=act, runs=runs,
                           status=exc.status, errors=errors_of(exc, {"": "maken"}))
    return RedirectResponse(
        f"/verrekening/salderingen/{run['id']}?melding=saldering-gemaakt", status_code=303
    )


@router.get("/verrekening/salderingen/{saldering_id}")
def netting(ui: VerrekeningUI, request: Request, saldering_id: SalderingId, viewer: Who) -> Response:
    return ui.guard(request, viewer) or ui.netting_page(request, viewer, saldering_id)


def netting_action(ui: VerrekeningUI, request: Request, act: Acting, saldering_id: str, fn, melding: str):
    if (stop := ui.guard(request, act)) is not None:
        return stop
    problems: list[tuple[str, str]] = []
    versie = versie_of(act.form, problems)
    try:
        if problems:
            raise InvalidRequest("De invoer is niet juist.", problems)
        with ui.transaction() as db:
            fn(db, act.principal, ui.ctx, saldering_id, versie=versie)
    except NotFound:
        raise
    except Problem as exc:
        return ui.netting_page(request, act, saldering_id, problem=exc)
    return RedirectResponse(
        f"/verrekening/salderingen/{saldering_id}?melding={melding}", status_code=303
    )


@router.post("/verrekening/salderingen/{saldering_id}/accepteren")
def accept_netting(ui: VerrekeningUI, request: Request, saldering_id: SalderingId, act: Act) -> Response:
    return netting_action(ui, request, act, saldering_id, saldering.accept_saldering,
                          "saldering-geaccepteerd")


@router.post("/verrekening/salderingen/{saldering_id}/betaald")
def pay_netting(ui: VerrekeningUI, request: Request, saldering_id: SalderingId, act: Act) -> Response:
    return netting_action(ui, request, act, saldering_id, saldering.confirm_betalingen,
                          "saldering-betaald")


@router.get("/verrekening/overzicht")
def statement(ui: VerrekeningUI, ctx: Ctx, request: Request, viewer: Who) -> Response:
    if (stop := ui.guard(request, viewer)) is not None:
        return stop
    p = viewer.principal
    keuzes = [] if p.is_gemeente else ui.gemeenten_met_claims()
    gemeente = p.code if p.is_gemeente else request.query_params.get("gemeente", "")
    data = None
    if gemeente:
        with ui.transaction() as db:
            data = overzichten.overzicht(db, p, ctx, gemeente)
    return ui.render(request, "verrekening/overzicht.html", viewer=viewer, o=data,
                       keuzes=keuzes, gekozen=gemeente)


@router.get("/verrekening/overzicht/download")
def statement_download(ui: VerrekeningUI, ctx: Ctx, request: Request, viewer: Who) -> Response:
    if (stop := ui.guard(request, viewer)) is not None:
        return stop
    p = viewer.principal
    formaat = request.query_params.get("formaat", "")
    if formaat not in ("xlsx", "pdf"):
        raise NotFound("Dit formaat bestaat niet.")
    gemeente = p.code if p.is_gemeente else request.query_params.get("gemeente", "")
    with ui.transaction() as db:
        download = overzichten.overzicht(db, p, ctx, gemeente, formaat)
    assert isinstance(download, overzichten.Download)
    return Response(
        download.content, media_type=download.media_type,
        headers={"Content-Disposition": f'attachment; filename="{download.bestandsnaam}"'},
    )


@router.get("/verrekening/vangnet")
def safety_net(ui: VerrekeningUI, ctx: Ctx, request: Request, viewer: Who) -> Response:
    if (stop := ui.guard(request, viewer)) is not None:
        return stop
    with ui.transaction() as db:
        lijst = overzichten.list_vangnet(db, viewer.principal, ctx)
    return ui.render(request, "verrekening/vangnet.html", viewer=viewer, vn=lijst)


@router.get("/verrekening/compensatie")
def compensation(ui: VerrekeningUI, ctx: Ctx, request: Request, viewer: Who) -> Response:
    if (stop := ui.guard(request, viewer)) is not None:
        return stop
    with ui.transaction() as db:
        lijst = compensatie.compensatie(db, viewer.principal, ctx)
    return ui.render(request, "verrekening/compensatie.html", viewer=viewer, c=lijst)


@router.get("/verrekening/geschillen")
def disputes(ui: VerrekeningUI, request: Request, viewer: Who) -> Response:
    return (ui.guard(request, viewer, aanbieder=True)
            or ui.disputes_page(request, viewer))


@router.post("/verrekening/geschillen")
def register_dispute(ui: VerrekeningUI, ctx: Ctx, request: Request, act: Act) -> Response:
    if (stop := ui.guard(request, act, aanbieder=True)) is not None:
        return stop
    form = act.form
    onderwerp = text_of(form, "onderwerp")
    andere = text_of(form, "partij").strip()
    partijen = []
    if andere:
        soort = "aanbieder" if len(andere) == 8 else "gemeente"
        partijen.append({"soort": soort, "code": andere})
    claim_id = text_of(form, "claimId").strip() or None
    bsn = text_of(form, "bsn").strip().replace(" ", "") or None
    try:
        if onderwerp == "claim" and claim_id is None:
            raise InvalidRequest("Het geschil is niet compleet.", [("claimId", "verplicht")])
        with ui.transaction() as db:
            geschil = geschillen.register_geschil(
                db, act.principal, ctx, onderwerp=onderwerp,
                omschrijving=text_of(form, "omschrijving"), partijen=partijen,
                claim_id=claim_id if onderwerp == "claim" else None,
                bsn=bsn if onderwerp == "jeugdige" else None,
                niveau=text_of(form, "niveau") or geschillen.Niveau.REGIOADVISEUR.value,
            )
    except Problem as exc:
        if text_of(form, "terug") == "claim" and claim_id and not isinstance(exc, NotFound):
            return ui.claim_page(request, act, claim_id, problem=exc, form=form,
                                   open_form="geschil")
        if isinstance(exc, NotFound) and onderwerp == "claim":
            # A claim that does not exist or is not visible: said beside the field,
            # in the same words either way.
            exc = InvalidRequest("Het geschil is niet compleet.",
                                 [("claimId", "bestaat niet of is niet zichtbaar voor u")])
        return ui.disputes_page(request, act, problem=exc, form=form)
    return RedirectResponse(
        f"/verrekening/geschillen/{geschil['id']}?melding=geschil-geregistreerd",
        status_code=303,
    )


@router.get("/verrekening/geschillen/{geschil_id}")
def dispute(ui: VerrekeningUI, request: Request, geschil_id: GeschilId, viewer: Who) -> Response:
    return (ui.guard(request, viewer, aanbieder=True)
            or ui.dispute_page(request, viewer, geschil_id))


def dispute_action(ui: VerrekeningUI, request: Request, act: Acting, geschil_id: str, run, melding: str,
                   form_name: str):
    if (stop := ui.guard(request, act, aanbieder=True)) is not None:
        return stop
    problems: list[tuple[str, str]] = []
    versie = versie_of(act.form, problems)
    try:
        if problems:
            raise InvalidRequest("De invoer is niet juist.", problems)
        with ui.transaction() as db:
            run(db, versie)
    except NotFound:
        raise
    except Problem as exc:
        return ui.dispute_page(request, act, geschil_id, problem=exc, form=act.form,
                                 open_form=form_name)
    return RedirectResponse(
        f"/verrekening/geschillen/{geschil_id}?melding={melding}", status_code=303
    )


@router.post("/verrekening/geschillen/{geschil_id}/escaleren")
def escalate(ui: VerrekeningUI, ctx: Ctx, request: Request, geschil_id: GeschilId, act: Act) -> Response:
    return dispute_action(
        ui, request, act, geschil_id,
        lambda db, versie: geschillen.escalate_geschil(
            db, act.principal, ctx, geschil_id, text_of(act.form, "naar"),
            toelichting=text_of(act.form, "toelichting").strip(), versie=versie),
        "geschil-geescaleerd", "escaleren",
    )


@router.post("/verrekening/geschillen/{geschil_id}/oplossen")
def resolve(ui: VerrekeningUI, ctx: Ctx, request: Request, geschil_id: GeschilId, act: Act) -> Response:
    return dispute_action(
        ui, request, act, geschil_id,
        lambda db, versie: geschillen.resolve_geschil(
            db, act.principal, ctx, geschil_id, uitkomst=text_of(act.form, "uitkomst"),
            claim=text_of(act.form, "claim") or None, versie=versie),
        "geschil-opgelost", "oplossen",
    )


@router.post("/verrekening/geschillen/{geschil_id}/intrekken")
def withdraw(ui: VerrekeningUI, ctx: Ctx, request: Request, geschil_id: GeschilId, act: Act) -> Response:
    return dispute_action(
        ui, request, act, geschil_id,
        lambda db, versie: geschillen.withdraw_geschil(
            db, act.principal, ctx, geschil_id,
            toelichting=text_of(act.form, "toelichting").strip(), versie=versie),
        "geschil-ingetrokken", "intrekken",
    )


@router.get("/verrekening/declaraties")
def invoices(ui: VerrekeningUI, request: Request, viewer: Who) -> Response:
    return ui.guard(request, viewer) or ui.invoices_page(request, viewer)


@router.post("/verrekening/declaraties")
def import_invoices(ui: VerrekeningUI, ctx: Ctx, request: Request, act: Act) -> Response:
    if (stop := ui.guard(request, act)) is not None:
        return stop
    bestand = act.form.get("bestand")
    try:
        if not isinstance(bestand, UploadFile) or not bestand.filename:
            raise InvalidRequest("Er is geen bestand gekozen.", [("bestand", "verplicht")])
        limit = ui.state.settings.max_upload_bytes
        content = bestand.file.read(limit + 1)
        if len(content) > limit:
            raise PayloadTooLarge(f"Het bestand is groter dan {limit} bytes.")
        with ui.transaction() as db:
            stored = facturen.import_facturen(db, act.principal, ctx, content, bestand.filename)
    except NotFound:
        raise
    except Problem as exc:
        errors = [FieldError("bestand", "bestand",
                             REQUIRED["bestand"] if name == "bestand" and
                             reason.startswith("verplicht") else f"{name}: {reason}")
                  for name, reason in exc.invalid_params]
        return ui.invoices_page(
            request, act, status=exc.status,
            errors=errors or [FieldError("bestand", "bestand", exc.detail)],
            probleem=exc.detail if exc.invalid_params else "",
        )
    return ui.invoices_page(request, act, ingelezen=stored)


__all__ = ["router"]


# Payments out (accounts, payment files) live in their own module; same pages, same rules.
router.include_router(pages_betalingen.router)
