"""Web pages for iJw messages (issue 5): incoming requests, proposed answers, deadlines.

Built on :class:`wpb.service.web.pages.Pages` (same login, CSRF, 404 and error handling) and on
the service layer :mod:`wpb.service.components.berichten.receive`, which decides who sees what, proposes the
woonplaats answer on a VOT (OP359) and sends it. The pages add no rules of their own.

| path | what |
|---|---|
| ``/berichten`` | a gemeente: open JW315 requests with the proposed answer and deadline, JW317 requests; ``?welke=alle``: every message. A provider: its own messages and the answers it received |
| ``/berichten/indienen`` | upload one iJw XML message; problems named by element and rule |
| ``/berichten/{id}`` | one message: content, deadlines, the proposed answer with the woonplaats decision, answers sent |
| ``/berichten/{id}/xml`` | the message as XML (download) |
| ``POST /berichten/{id}/antwoord`` | approve the proposal and send the JW301/JW319 |
| ``POST /berichten/{id}/voorstel`` | propose again (optionally with a BRP document) |
| ``/instemmingen`` and the reden-8 request | :mod:`.pages_instemming` |

The coordinator exchanges no messages: these pages are a 404 for it. Messages carry a
youth's BSN; no URL does: links carry message numbers only.
"""


import json
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.datastructures import UploadFile

from wpb.errors import InvalidInput
from wpb.ijw import models as m
from wpb.ijw.codelists import codelijst
from wpb.ijw.xml_read import read_bericht
from wpb.service.components.beheer.models import Organisatie
from wpb.service.components.berichten import access, antwoord, receive, voorstel
from wpb.service.components.berichten import views as bericht_views
from wpb.service.components.berichten.instemming import reden8_gemeenten
from wpb.service.errors import InvalidRequest, NotFound, PayloadTooLarge, Problem
from wpb.service.public_ids import path_id
from wpb.service.state import Ctx
from wpb.service.web.forms import FieldError, errors_of, versie_of
from wpb.service.web.labels import dutch_date
from wpb.service.web.pages import (
    Act,
    Acting,
    PageRoute,
    Pages,
    Viewer,
    Who,
)

BerichtId = Annotated[str, path_id("het bericht")]
PAGE_SIZE = 50

MELDINGEN = {
    "bericht-ontvangen": "Het bericht is ontvangen en verwerkt.",
    "bericht-herhaald": "Dit bericht was al eerder ontvangen (zelfde identificatie en inhoud); "
    "het is niet opnieuw verwerkt (TR056).",
    "antwoord-verzonden": "Het antwoord is goedgekeurd en verstuurd naar de aanbieder.",
    "voorstel-herberekend": "Het antwoord is opnieuw voorgesteld met de BRP-gegevens die nu "
    "beschikbaar zijn.",
    "instemming-gevraagd": "De genoemde gemeente is om instemming gevraagd; de afwijzing met "
    "reden 8 gaat pas weg als zij heeft ingestemd.",
}

BERICHT_STATUS_LABELS = {
    "ontvangen": "Ontvangen",
    "brp_opvragen": "BRP wordt opgevraagd",
    "voorstel": "Voorstel",
    "in_onderzoek": "In onderzoek",
    "beantwoord": "Beantwoord",
    "verzonden": "Verzonden",
    "afgekeurd": "Afgekeurd",
}
# Existing tag colours of wpb.css: the text says it, the colour only helps.
BERICHT_STATUS_TAGS = {
    "ontvangen": "tag-aangeleverd",
    "brp_opvragen": "tag-aangeleverd",
    "voorstel": "tag-geaccepteerd",
    "in_onderzoek": "tag-doorgestuurd",
    "beantwoord": "tag-afgerond",
    "verzonden": "tag-afgerond",
    "afgekeurd": "tag-afgewezen",
}
ANTWOORD_LABELS = {
    "toewijzing": "Toewijzing (JW301)",
    "afwijzing_woonplaatsbeginsel": "Afwijzing: woonplaatsbeginsel (JW319, reden 8)",
    "in_onderzoek": "Aanvraag in onderzoek (JW319)",
}
ANTWOORD_TAGS = {
    "toewijzing": "tag-afgerond",
    "afwijzing_woonplaatsbeginsel": "tag-afgewezen",
    "in_onderzoek": "tag-doorgestuurd",
}
TERMIJN_LABELS = {"lopend": "Loopt", "laatste_dag": "Laatste dag", "verlopen": "Te laat"}
BESLISSING_LABELS = {"bepaald": "Bepaald", "review": "Beoordeling door een medewerker nodig"}
OPEN_OF_ONBEANTWOORD = (*access.OPEN_STATUSSEN, "ontvangen")

FORM_ANCHORS = {"antwoord": "antwoorden", "voorstel": "voorstel-opnieuw"}


def termijn_tekst(termijn: dict) -> str:
    """``nog 3 werkdagen`` / ``laatste dag`` / ``2 werkdagen te laat``."""
    over = termijn.get("werkdagenOver")
    status = termijn.get("status")
    if status == "laatste_dag":
        return "vandaag is de laatste dag"
    if over is None:
        return ""
    if status == "verlopen":
        late = max(1, -over)
        return f"{late} werkdag{'en' if late != 1 else ''} te laat"
    return f"nog {over} werkdag{'en' if over != 1 else ''}"


def eerste_termijn(view: dict) -> dict | None:
    """The deadline that matters first: the earliest last day."""
    termijnen = view.get("termijnen") or []
    return min(termijnen, key=lambda t: t["uiterlijk"]) if termijnen else None


def is_open(view: dict) -> bool:
    return view["status"] in OPEN_OF_ONBEANTWOORD


class BerichtenPages:
    def __init__(self, pages: Pages):
        self.pages = pages
        self.state = pages.state
        self.ctx = pages.ctx
        pages.env.filters.update(
            bericht_status=lambda s: BERICHT_STATUS_LABELS.get(s, s),
            bericht_tag=lambda s: BERICHT_STATUS_TAGS.get(s, "tag-aangeleverd"),
            antwoord_label=lambda s: ANTWOORD_LABELS.get(s, s),
            antwoord_tag=lambda s: ANTWOORD_TAGS.get(s, "tag-aangeleverd"),
            termijn_label=lambda s: TERMIJN_LABELS.get(s, s),
            termijn_tekst=termijn_tekst,
        )

    # --- helpers ----------------------------------------------------------------------------

    def render(self, request: Request, template: str, **context: Any) -> Response:
        code = request.query_params.get("melding", "")
        if code in MELDINGEN and "melding" not in context:
            context["melding"] = MELDINGEN[code]
        return self.pages.render(request, template, **context)

    @staticmethod
    def require_party(viewer: Viewer) -> None:
        """Messages are exchanged between a gemeente and a provider; nobody else has them."""
        if not (viewer.principal.is_gemeente or viewer.principal.is_aanbieder):
            raise NotFound("Deze pagina bestaat niet.")

    def aanbieder_namen(self, views: Iterable[dict]) -> dict[str, str]:
        codes = {v["aanbieder"] for v in views if v.get("aanbieder")}
        if not codes:
            return {}
        with self.pages.transaction() as db:
            rows = db.execute(
                select(Organisatie.code, Organisatie.naam)
                .where(Organisatie.soort == "aanbieder", Organisatie.code.in_(codes))
            ).all()
        return {code: naam for code, naam in rows}


    # --- page builders ------------------------------------------------------------------------

    def brp_document(self, act: Acting) -> dict | None:
        """The optional BRP document (Haal Centraal JSON) sent with a new proposal."""
        upload = act.form.get("document")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return None
        limit = self.state.settings.max_upload_bytes
        raw = upload.file.read(limit + 1)
        if len(raw) > limit:
            raise InvalidRequest("Het BRP-document is te groot.",
                                 [("document", f"groter dan {limit} bytes")])
        try:
            document = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise InvalidRequest("Het BRP-document is onleesbaar.",
                                 [("document", "geen geldig JSON-document")]) from None
        if not isinstance(document, dict):
            raise InvalidRequest("Het BRP-document is onbruikbaar.",
                                 [("document", "verwacht een JSON-object")])
        return document

    def detail_page(
        self, request: Request, viewer: Viewer, bericht_id: str, *,
        problem: Problem | None = None, form: str | None = None,
    ) -> Response:
        p = viewer.principal
        with self.pages.transaction() as db:
            view = bericht_views.read_bericht_view(db, p, self.ctx, bericht_id)
            xml = bericht_views.read_xml(db, p, self.ctx, bericht_id)
            # A retourbericht's content is its retourcodes, shown from the view.
            inhoud = ({"jeugdige": [], "producten": []} if view.get("retour")
                      else inhoud_van(xml, self.ctx))
        anchors = {"": FORM_ANCHORS.get(form or "", "antwoorden"), "document": "brp-document",
                   "versie": "antwoorden"}
        errors = errors_of(problem, anchors) if problem else []
        voorstel = view.get("voorstel")
        is_gemeente = p.is_gemeente and (view.get("gemeente") or {}).get("code") == p.code
        kan_versturen = bool(
            is_gemeente and voorstel is not None
            and view["status"] in (access.VOORSTEL, access.IN_ONDERZOEK)
        )
        kan_herberekenen = bool(
            is_gemeente and view["berichttype"] == "JW315" and view["status"] != access.BEANTWOORD
        )
        gevraagd = {i["gemeente"]["code"] for i in view.get("instemmingen", [])}
        te_vragen = [g for g in reden8_gemeenten(voorstel) if g not in gevraagd] \
            if kan_versturen and voorstel else []
        return self.render(
            request, "berichten/bericht.html", viewer=viewer,
            status=problem.status if problem else 200, errors=errors,
            b=view, inhoud=inhoud, voorstel=voorstel, te_vragen=te_vragen,
            kan_versturen=kan_versturen, kan_herberekenen=kan_herberekenen,
            aanbieders=self.aanbieder_namen([view]), eerste_termijn=eerste_termijn(view),
            is_open=is_open(view),
        )

    def upload_error(self, request: Request, viewer: Viewer, exc: Problem) -> Response:
        """Every problem of an upload is about the file: each one links to the file field."""
        messages = xml_messages(exc)
        errors = [FieldError("bestand", "bestand", text) for text in messages]
        retour = exc.extra.get("retourbericht")
        if isinstance(exc.extra.get("invalidParams"), list):
            n = len(messages)
            probleem = (f"Het bericht is niet ontvangen: {n} fout{'en' if n != 1 else ''}, "
                        "hieronder per element. Er is niets opgeslagen.")
            if retour is not None:
                probleem = (f"Het bericht is afgekeurd: {n} fout{'en' if n != 1 else ''}, "
                            "hieronder per element. Het retourbericht met de retourcodes staat "
                            "klaar.")
        else:
            probleem = exc.detail if len(messages) > 1 else ""
        return self.render(
            request, "berichten/indienen.html", viewer=viewer, status=exc.status,
            errors=errors or [FieldError("bestand", "bestand", exc.detail)], probleem=probleem,
            retourbericht=retour,
        )


def xml_messages(exc: Problem) -> list[str]:
    """The problems of a message in Dutch, each naming the element and the rule."""
    params = exc.extra.get("invalidParams")
    if not isinstance(params, list):
        if exc.invalid_params:
            return [f"{name}: {reason}" if name != "bestand" else _bestand(reason)
                    for name, reason in exc.invalid_params]
        return [exc.detail]
    out = []
    for param in params:
        element = param.get("name") or "bericht"
        line = param.get("regel")
        where = f"Element {element}" + (f" (regel {line} van het bestand)" if line else "")
        reason = str(param.get("reason", ""))
        waarde = param.get("waarde")
        if waarde is not None and str(waarde) not in reason:
            reason += f" (waarde '{waarde}')"
        code = param.get("code")
        out.append(f"{where}: {reason}" + (f" – controle {code}" if code else ""))
    return out


def _bestand(reason: str) -> str:
    return "Kies een XML-bestand met één iJw-bericht" if reason.startswith("verplicht") else reason


# --- what a message says, for the page --------------------------------------------------------


def _code(lijst: str, code: str | None) -> str:
    if code is None:
        return ""
    try:
        return f"{codelijst(lijst).omschrijving(code)} ({code})"
    except KeyError:
        return code


def _omvang(omvang: m.Omvang | None, budget: int | None) -> str:
    if omvang is not None:
        return (f"{omvang.volume} × {_code('WJ756', omvang.eenheid)}, "
                f"{_code('WMO757', omvang.frequentie)}")
    if budget is not None:
        return f"budget € {budget / 100:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return ""


def _product(product: m.Product | None) -> str:
    if product is None:
        return "(geen product: categorie volgt uit het contract)"
    categorie = _code("JZ020", product.categorie)
    return f"{product.code} – {categorie}" if product.code else categorie


def _periode(van: date | None, tot: date | None) -> str:
    if van is None:
        return ""
    return f"{dutch_date(van)} tot en met {dutch_date(tot)}" if tot else f"vanaf {dutch_date(van)}"


def inhoud_van(xml: bytes, ctx) -> dict:
    """The message's content in Dutch: the youth and one block of fields per product."""
    try:
        bericht = read_bericht(xml, bron="bericht")
    except InvalidInput:  # a stored message always reads; be safe regardless
        return {"jeugdige": [], "producten": []}
    jeugdige: list[tuple[str, str]] = []
    producten: list[dict] = []
    client = getattr(bericht, "client", None)
    if client is not None and getattr(client, "bsn", None):
        jeugdige.append(("BSN", client.bsn))
        geboorte = getattr(client, "geboortedatum", None)
        if geboorte is not None:
            jeugdige.append(("Geboortedatum", dutch_date(geboorte.datum)))
        naam = getattr(client, "naam", None)
        if naam is not None:
            achternaam = naam.geslachtsnaam
            volledig = " ".join(x for x in (naam.voorletters or naam.voornamen,
                                            achternaam.voorvoegsel, achternaam.achternaam) if x)
            jeugdige.append(("Naam", volledig))
    if isinstance(bericht, m.JW315):
        for a in bericht.client.aangevraagde_producten:
            producten.append({"titel": f"Aangevraagd product {a.referentie_aanbieder}", "velden": [
                ("Product", _product(a.product)),
                ("Gewenste periode", _periode(a.toewijzing_ingangsdatum, a.toewijzing_einddatum)),
                ("Omvang", _omvang(a.omvang, a.budget)),
                ("Verwijzer", a.verwijzer.naam or a.verwijzer.type),
            ]})
    elif isinstance(bericht, m.JW317):
        v = bericht.client.verzoek
        velden = [("Reden", _code("WJ758", v.reden_verzoek))]
        velden += [("Ongewijzigd", f"toewijzing {o.toewijzing_nummer}")
                   for o in v.ongewijzigde_producten]
        velden += [("Te wijzigen", f"toewijzing {t.toewijzing_nummer} per "
                                   f"{dutch_date(t.gewenste_ingangsdatum)}; "
                                   f"{_omvang(t.omvang, t.budget)}")
                   for t in v.te_wijzigen_producten]
        velden += [("Nieuw product", f"{_product(n.product)}, "
                                     f"{_periode(n.gewenste_ingangsdatum, n.einddatum)}; "
                                     f"{_omvang(n.omvang, n.budget)}")
                   for n in v.nieuwe_producten]
        producten.append({"titel": f"Verzoek {v.referentie_aanbieder}", "velden": velden})
    elif isinstance(bericht, m.JW319):
        a = bericht.antwoord
        velden = [("Antwoord", _code("WJ760", a.verzoek_antwoord))]
        if a.reden_afwijzing_verzoek:
            velden.append(("Reden afwijzing", _code("WJ759", a.reden_afwijzing_verzoek)))
        if a.woonplaatsbeginsel_gemeente:
            code = a.woonplaatsbeginsel_gemeente
            naam = ctx.register.naam(code) if code in ctx.register else code
            velden.append(("Verantwoordelijke gemeente (woonplaatsbeginsel)", f"{naam} ({code})"))
        producten.append({"titel": f"Antwoord op product {a.referentie_aanbieder}",
                          "velden": velden})
    elif isinstance(bericht, m.JW301):
        for t in bericht.client.toegewezen_producten:
            producten.append({"titel": f"Toewijzing {t.toewijzing_nummer}", "velden": [
                ("Referentie aanbieder", t.referentie_aanbieder or ""),
                ("Product", _product(t.product)),
                ("Periode", _periode(t.ingangsdatum, t.einddatum)),
                ("Omvang", _omvang(t.omvang, t.budget)),
            ]})
    return {"jeugdige": jeugdige, "producten": producten}





def get_berichten_ui(request: Request) -> BerichtenPages:
    return request.app.state.wpb_berichten_ui


BerichtenUI = Annotated[BerichtenPages, Depends(get_berichten_ui)]

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def install(app, pages: Pages) -> BerichtenPages:
    """Put this component's page helpers on ``app`` (their filters go on the shared templates)."""
    ui = BerichtenPages(pages)
    app.state.wpb_berichten_ui = ui
    return ui


@router.get("/berichten")
def overview(ui: BerichtenUI, ctx: Ctx, request: Request, viewer: Who) -> Response:
    ui.require_party(viewer)
    p = viewer.principal
    welke = request.query_params.get("welke", "open" if p.is_gemeente else "alle")
    if welke not in ("open", "alle") or (welke == "open" and not p.is_gemeente):
        welke = "alle"
    raw_page = request.query_params.get("pagina", "1")
    pagina = int(raw_page) if raw_page.isdigit() and 1 <= int(raw_page) <= 100_000 else 1
    with ui.pages.transaction() as db:
        if welke == "open":
            vot = bericht_views.list_berichten(
                db, p, ctx, berichttype="JW315", alleen_open=True,
                pagina_grootte=access.MAX_PAGE_SIZE,
            )
            vow = bericht_views.list_berichten(
                db, p, ctx, berichttype="JW317", pagina_grootte=access.MAX_PAGE_SIZE,
            )
            alle = None
        else:
            vot = vow = None
            alle = bericht_views.list_berichten(db, p, ctx, pagina=pagina,
                                            pagina_grootte=PAGE_SIZE)
    views = [*(vot.items if vot else []), *(vow.items if vow else []),
             *(alle.items if alle else [])]
    paginas = max(1, -(-alle.totaal // PAGE_SIZE)) if alle else 1
    return ui.render(
        request, "berichten/lijst.html", viewer=viewer, welke=welke,
        verzoeken=vot.items if vot else [],
        wijzigingen=[v for v in (vow.items if vow else []) if is_open(v)],
        alle=alle, paginas=paginas, pagina=pagina,
        aanbieders=ui.aanbieder_namen(views),
        eerste_termijn=eerste_termijn, is_open=is_open,
    )


# Before /berichten/{bericht_id}: "indienen" is no number.
@router.get("/berichten/indienen")
def upload_form(ui: BerichtenUI, request: Request, viewer: Who) -> Response:
    ui.require_party(viewer)
    return ui.render(request, "berichten/indienen.html", viewer=viewer)


@router.post("/berichten/indienen")
def upload(ui: BerichtenUI, ctx: Ctx, request: Request, act: Act) -> Response:
    ui.require_party(act)
    bestand = act.form.get("bestand")
    try:
        if not isinstance(bestand, UploadFile) or not bestand.filename:
            raise InvalidRequest("Er is geen bestand gekozen.", [("bestand", "verplicht")])
        limit = receive.max_bericht_bytes(ctx)
        content = bestand.file.read(limit + 1)
        if len(content) > limit:
            raise PayloadTooLarge(
                f"Het bericht is groter dan {limit} bytes (OP179); er is niets ontvangen."
            )
        result = receive.receive_and_process(ui.state.factory, act.principal, ctx, content)
    except NotFound:
        raise
    except Problem as exc:
        return ui.upload_error(request, act, exc)
    melding = "bericht-ontvangen" if result.nieuw else "bericht-herhaald"
    return RedirectResponse(f"/berichten/{result.bericht_id}?melding={melding}",
                            status_code=303)


@router.get("/berichten/{bericht_id}")
def detail(ui: BerichtenUI, request: Request, bericht_id: BerichtId, viewer: Who) -> Response:
    ui.require_party(viewer)
    return ui.detail_page(request, viewer, bericht_id)


@router.get("/berichten/{bericht_id}/xml")
def download_xml(ui: BerichtenUI, ctx: Ctx, request: Request, bericht_id: BerichtId, viewer: Who) -> Response:
    ui.require_party(viewer)
    with ui.pages.transaction() as db:
        data = bericht_views.read_xml(db, viewer.principal, ctx, bericht_id)
    return Response(
        data, media_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="bericht-{bericht_id}.xml"'},
    )


@router.post("/berichten/{bericht_id}/antwoord")
def approve(ui: BerichtenUI, ctx: Ctx, request: Request, bericht_id: BerichtId, act: Act) -> Response:
    ui.require_party(act)
    problems: list[tuple[str, str]] = []
    versie = versie_of(act.form, problems)
    try:
        if problems:
            raise InvalidRequest("De invoer is niet juist.", problems)
        with ui.pages.transaction() as db:
            antwoord.approve_antwoord(db, act.principal, ctx, bericht_id, versie=versie)
    except NotFound:
        raise
    except Problem as exc:
        return ui.detail_page(request, act, bericht_id, problem=exc, form="antwoord")
    return RedirectResponse(f"/berichten/{bericht_id}?melding=antwoord-verzonden",
                            status_code=303)


@router.post("/berichten/{bericht_id}/voorstel")
def propose(ui: BerichtenUI, ctx: Ctx, request: Request, bericht_id: BerichtId, act: Act) -> Response:
    ui.require_party(act)
    try:
        document = ui.brp_document(act)
        voorstel.recompute_voorstel(
            ui.state.factory, act.principal, ctx, bericht_id, brp_gegevens=document
        )
    except NotFound:
        raise
    except Problem as exc:
        return ui.detail_page(request, act, bericht_id, problem=exc, form="voorstel")
    return RedirectResponse(f"/berichten/{bericht_id}?melding=voorstel-herberekend",
                            status_code=303)


__all__ = ["BerichtenPages", "install", "router"]
