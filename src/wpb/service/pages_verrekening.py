"""Web pages for the settlement between municipalities (issue 6).

Built on :class:`wpb.service.pages.Pages` (same login, CSRF, 404 and error handling) and on
the service layer :mod:`wpb.service.verrekening`, which decides who sees and does what;
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

Youths appear by pseudonym only. The BSN behind one is shown on one page, to a party to a
claim or dispute about that youth, after the user confirmed, and the look-up is audited; it
travels in a POST body and a response, never in a URL. A provider may see the disputes it
is party to and nothing else here; everything else it asks for is a 404, as is anything of
another gemeente. Without ``WPB_PSEUDONIEM_SLEUTEL`` every page says, in Dutch, that the
settlement is not configured.
"""


from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select, union
from starlette.datastructures import UploadFile

from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE
from wpb.law.verrekening.pseudoniem import is_pseudoniem
from wpb.service import verrekening as v
from wpb.service.errors import InvalidRequest, NotFound, PayloadTooLarge, Problem
from wpb.service.models import VerrekeningClaim
from wpb.service.pages import (
    Acting,
    FieldError,
    PageRoute,
    Pages,
    Viewer,
    _text,
    _versie,
    errors_of,
)

ClaimId = Annotated[str, PathParam(max_length=40, pattern=r"^V[CK]-[0-9A-F]{16}(-[0-9]+)?$")]
Nummer = Annotated[int, PathParam(ge=1, le=2_147_483_647)]
PAGE_SIZE = 50

MELDINGEN = {
    "claim-erkend": "De claim is erkend.",
    "claim-betwist": "De claim is betwist; zij blijft buiten de saldering tot het geschil is "
    "opgelost.",
    "claim-ingetrokken": "De claim is ingetrokken.",
    "claim-betaald": "De betaling van de claim is bevestigd.",
    "saldering-gemaakt": "De saldering is gemaakt. Elke gemeente met een saldo moet haar "
    "accepteren.",
    "saldering-geaccepteerd": "U heeft de saldering geaccepteerd.",
    "saldering-betaald": "De betalingen van de saldering zijn bevestigd; de claims zijn betaald.",
    "geschil-geregistreerd": "Het geschil is geregistreerd.",
    "geschil-geescaleerd": "Het geschil is geëscaleerd.",
    "geschil-opgelost": "De uitkomst van het geschil is vastgelegd.",
    "geschil-ingetrokken": "Het geschil is ingetrokken.",
}

CLAIM_STATUS_LABELS = {
    "open": "Open",
    "erkend": "Erkend",
    "betaald": "Betaald",
    "betwist": "Betwist",
    "ingetrokken": "Ingetrokken",
}
CLAIM_STATUS_TAGS = {
    "open": "tag-aangeleverd",
    "erkend": "tag-geaccepteerd",
    "betaald": "tag-afgerond",
    "betwist": "tag-afgewezen",
    "ingetrokken": "tag-doorgestuurd",
}
# The button that moves a claim to each status, and the message after it.
CLAIM_ACTIES = {
    "erkend": "Erkennen",
    "betwist": "Betwisten",
    "ingetrokken": "Intrekken",
    "betaald": "Betaald melden",
}
SALDERING_LABELS = {
    "voorstel": "Voorstel",
    "geaccepteerd": "Geaccepteerd",
    "betaald": "Betaald",
    "vervallen": "Vervallen",
}
SALDERING_TAGS = {
    "voorstel": "tag-aangeleverd",
    "geaccepteerd": "tag-geaccepteerd",
    "betaald": "tag-afgerond",
    "vervallen": "tag-doorgestuurd",
}
NIVEAU_LABELS = {
    "regioadviseur": "Regioadviseur",
    "geschillencommissie_sociaal_domein": "Geschillencommissie Sociaal Domein",
    "jeugdautoriteit": "Jeugdautoriteit",
    "rechter": "Rechter",
}
GESCHIL_STATUS_LABELS = {"open": "Open", "opgelost": "Opgelost", "ingetrokken": "Ingetrokken"}
GESCHIL_STATUS_TAGS = {"open": "tag-afgewezen", "opgelost": "tag-afgerond",
                       "ingetrokken": "tag-doorgestuurd"}
GEBEURTENIS_LABELS = {"registratie": "Geregistreerd", "escalatie": "Geëscaleerd",
                      "oplossing": "Opgelost", "intrekking": "Ingetrokken"}
VANGNET_REDENEN = {"betwist": "Betwist", "te_lang_open": "Te lang open"}
COMPENSATIE_GRONDEN = {
    "onderdeel_3_werkelijk_verblijf": "Onderdeel 3, eindigend in het werkelijke verblijf",
    "onderdeel_4": "Onderdeel 4 (geen woonplaats te herleiden)",
}
GRONDSLAG_LABELS = {"overdracht": "Overdracht", "woonplaatsbeslissing": "Woonplaatsbeslissing"}

FIELD_LABELS = {
    "toelichting": "Toelichting",
    "omschrijving": "Omschrijving",
    "onderwerp": "Onderwerp",
    "claimId": "Claim",
    "bsn": "BSN",
    "partijen": "Andere partij",
    "partijen[0]": "Andere partij",
    "niveau": "Niveau",
    "naar": "Escaleren naar",
    "uitkomst": "Uitkomst",
    "claim": "Wat er met de claim gebeurt",
    "bestand": "Bestand",
    "versie": "Versie",
    "gemeente": "Gemeente",
    "jeugdige": "Pseudoniem",
}
REQUIRED = {
    "omschrijving": "Beschrijf waar het geschil over gaat",
    "uitkomst": "Beschrijf de uitkomst van het geschil",
    "claimId": "Vul het nummer van de claim in",
    "bestand": "Kies een CSV- of XLSX-bestand",
}


def euro(cents: Any) -> str:
    """Euro cents as Dutch money: ``123456`` → ``€ 1.234,56``, ``-5`` → ``€ -0,05``."""
    if cents is None or cents == "":
        return ""
    value = int(cents)
    sign = "-" if value < 0 else ""
    whole, rest = divmod(abs(value), 100)
    return f"€ {sign}{whole:,}".replace(",", ".") + f",{rest:02d}"


def message(name: str, reason: str) -> str:
    if name in REQUIRED and reason.startswith("verplicht"):
        return REQUIRED[name]
    return f"{FIELD_LABELS.get(name, name)}: {reason}"


def problem_errors(problem: Problem, anchors: dict[str, str]) -> list[FieldError]:
    """The problem's fields in Dutch, each linking to its field (or to the form)."""
    if not problem.invalid_params:
        return errors_of(problem, anchors)
    return [
        FieldError(name, anchors.get(name, anchors.get("", "")), message(name, reason))
        for name, reason in problem.invalid_params
    ]


class VerrekeningPages:
    def __init__(self, pages: Pages):
        self.pages = pages
        self.state = pages.state
        self.ctx = pages.ctx
        pages.env.filters.update(
            euro=euro,
            claim_status=lambda s: CLAIM_STATUS_LABELS.get(s, s),
            claim_tag=lambda s: CLAIM_STATUS_TAGS.get(s, "tag-aangeleverd"),
            claim_actie=lambda s: CLAIM_ACTIES.get(s, s),
            saldering_status=lambda s: SALDERING_LABELS.get(s, s),
            saldering_tag=lambda s: SALDERING_TAGS.get(s, "tag-aangeleverd"),
            niveau=lambda s: NIVEAU_LABELS.get(s, s),
            geschil_status=lambda s: GESCHIL_STATUS_LABELS.get(s, s),
            geschil_tag=lambda s: GESCHIL_STATUS_TAGS.get(s, "tag-aangeleverd"),
            gebeurtenis=lambda s: GEBEURTENIS_LABELS.get(s, s),
            vangnet_reden=lambda s: VANGNET_REDENEN.get(s, s),
            compensatie_grond=lambda s: COMPENSATIE_GRONDEN.get(s, s),
            grondslag_soort=lambda s: GRONDSLAG_LABELS.get(s, s),
        )
        self.router = APIRouter(route_class=PageRoute, include_in_schema=False)
        self._routes()

    # --- helpers ----------------------------------------------------------------------------

    def render(self, request: Request, template: str, **context: Any) -> Response:
        code = request.query_params.get("melding", "")
        if code in MELDINGEN and "melding" not in context:
            context["melding"] = MELDINGEN[code]
        return self.pages.render(request, template, **context)

    def guard(self, request: Request, viewer: Viewer, *, aanbieder: bool = False) -> Response | None:
        """404 for who has no settlement; the Dutch "not configured" page without the key."""
        p = viewer.principal
        if not (p.is_gemeente or p.is_coordinator or (aanbieder and p.is_aanbieder)):
            raise NotFound("Deze pagina bestaat niet.")
        if not self.state.settings.pseudoniem_sleutel:
            return self.pages.render(
                request, "verrekening/niet_ingesteld.html", viewer=viewer, status=503
            )
        return None

    def transaction(self):
        return self.pages.transaction()

    @staticmethod
    def page_number(request: Request, name: str) -> int:
        raw = request.query_params.get(name, "1")
        return int(raw) if raw.isdigit() and 1 <= int(raw) <= 100_000 else 1

    def gemeenten_met_claims(self) -> list[tuple[str, str]]:
        """The gemeenten the coordinator can choose a statement for: those in a claim."""
        codes = union(select(VerrekeningClaim.schuldeiser), select(VerrekeningClaim.schuldenaar))
        with self.transaction() as db:
            found = sorted(db.scalars(select(codes.subquery().c[0])).all())
        return [(c, self.pages.gemeente_label(c)) for c in found if c]

    # --- routes -----------------------------------------------------------------------------

    def _routes(self) -> None:
        r = self.router
        ctx = self.ctx
        Who = Annotated[Viewer, Depends(self.pages.viewer_dependency())]
        Act = Annotated[Acting, Depends(self.pages.acting_dependency())]

        # --- claims -------------------------------------------------------------------------

        @r.get("/verrekening")
        def claims(request: Request, viewer: Who) -> Response:
            return self.guard(request, viewer) or self.claims_page(request, viewer)

        @r.post("/verrekening/herberekenen")
        def recompute(request: Request, act: Act) -> Response:
            if (stop := self.guard(request, act)) is not None:
                return stop
            with self.transaction() as db:
                result = v.herbereken_claims(db, act.principal, ctx)
            return self.render(request, "verrekening/herberekend.html", viewer=act, r=result)

        @r.get("/verrekening/claims/{claim_id}")
        def claim(request: Request, claim_id: ClaimId, viewer: Who) -> Response:
            return self.guard(request, viewer) or self.claim_page(request, viewer, claim_id)

        @r.post("/verrekening/claims/{claim_id}/status")
        def claim_status(request: Request, claim_id: ClaimId, act: Act) -> Response:
            if (stop := self.guard(request, act)) is not None:
                return stop
            problems: list[tuple[str, str]] = []
            versie = _versie(act.form, problems)
            naar = _text(act.form, "naar")
            toelichting = _text(act.form, "toelichting").strip()
            terug = _text(act.form, "terug")
            try:
                if naar not in CLAIM_ACTIES:
                    problems.append(("naar", "kies erkennen, betwisten, intrekken of betaald"))
                if len(toelichting) > v.MAX_TEKST:
                    problems.append(("toelichting", f"hoogstens {v.MAX_TEKST} tekens"))
                if problems:
                    raise InvalidRequest("De invoer is niet juist.", problems)
                with self.transaction() as db:
                    v.wijzig_claimstatus(db, act.principal, ctx, claim_id, naar,
                                         toelichting=toelichting, versie=versie)
            except NotFound:
                raise
            except Problem as exc:
                return self.claim_page(request, act, claim_id, problem=exc, form=act.form)
            melding = f"claim-{naar}"
            if terug == "lijst":
                return RedirectResponse(f"/verrekening?melding={melding}#claim-{claim_id}",
                                        status_code=303)
            return RedirectResponse(f"/verrekening/claims/{claim_id}?melding={melding}",
                                    status_code=303)

        @r.post("/verrekening/herleiden")
        def resolve_pseudonym(request: Request, act: Act) -> Response:
            if (stop := self.guard(request, act)) is not None:
                return stop
            jeugdige = _text(act.form, "jeugdige").strip()
            if not is_pseudoniem(jeugdige):
                raise NotFound("Dit pseudoniem bestaat niet.")
            if _text(act.form, "bevestigd") != "ja":
                return self.render(request, "verrekening/herleiden.html", viewer=act,
                                   jeugdige=jeugdige, bsn=None)
            with self.transaction() as db:
                found = v.herleid_jeugdige(db, act.principal, ctx, jeugdige)
            response = self.render(request, "verrekening/herleiden.html", viewer=act,
                                   jeugdige=jeugdige, bsn=found["bsn"])
            response.headers["Cache-Control"] = "no-store"
            return response

        # --- netting ------------------------------------------------------------------------

        @r.get("/verrekening/salderingen")
        def nettings(request: Request, viewer: Who) -> Response:
            if (stop := self.guard(request, viewer)) is not None:
                return stop
            with self.transaction() as db:
                runs = v.list_salderingen(db, viewer.principal, ctx)
            return self.render(request, "verrekening/salderingen.html", viewer=viewer, runs=runs)

        @r.post("/verrekening/salderingen")
        def make_netting(request: Request, act: Act) -> Response:
            if (stop := self.guard(request, act)) is not None:
                return stop
            try:
                with self.transaction() as db:
                    run = v.maak_saldering(db, act.principal, ctx)
            except NotFound:
                raise
            except Problem as exc:
                with self.transaction() as db:
                    runs = v.list_salderingen(db, act.principal, ctx)
                return self.render(request, "verrekening/salderingen.html", viewer=act, runs=runs,
                                   status=exc.status, errors=errors_of(exc, {"": "maken"}))
            return RedirectResponse(
                f"/verrekening/salderingen/{run['id']}?melding=saldering-gemaakt", status_code=303
            )

        @r.get("/verrekening/salderingen/{saldering_id}")
        def netting(request: Request, saldering_id: Nummer, viewer: Who) -> Response:
            return self.guard(request, viewer) or self.netting_page(request, viewer, saldering_id)

        def netting_action(request: Request, act: Acting, saldering_id: int, fn, melding: str):
            if (stop := self.guard(request, act)) is not None:
                return stop
            problems: list[tuple[str, str]] = []
            versie = _versie(act.form, problems)
            try:
                if problems:
                    raise InvalidRequest("De invoer is niet juist.", problems)
                with self.transaction() as db:
                    fn(db, act.principal, ctx, saldering_id, versie=versie)
            except NotFound:
                raise
            except Problem as exc:
                return self.netting_page(request, act, saldering_id, problem=exc)
            return RedirectResponse(
                f"/verrekening/salderingen/{saldering_id}?melding={melding}", status_code=303
            )

        @r.post("/verrekening/salderingen/{saldering_id}/accepteren")
        def accept_netting(request: Request, saldering_id: Nummer, act: Act) -> Response:
            return netting_action(request, act, saldering_id, v.accepteer_saldering,
                                  "saldering-geaccepteerd")

        @r.post("/verrekening/salderingen/{saldering_id}/betaald")
        def pay_netting(request: Request, saldering_id: Nummer, act: Act) -> Response:
            return netting_action(request, act, saldering_id, v.bevestig_betalingen,
                                  "saldering-betaald")

        # --- statements, vangnet, compensatie -----------------------------------------------

        @r.get("/verrekening/overzicht")
        def statement(request: Request, viewer: Who) -> Response:
            if (stop := self.guard(request, viewer)) is not None:
                return stop
            p = viewer.principal
            keuzes = [] if p.is_gemeente else self.gemeenten_met_claims()
            gemeente = p.code if p.is_gemeente else request.query_params.get("gemeente", "")
            data = None
            if gemeente:
                with self.transaction() as db:
                    data = v.overzicht(db, p, ctx, gemeente)
            return self.render(request, "verrekening/overzicht.html", viewer=viewer, o=data,
                               keuzes=keuzes, gekozen=gemeente)

        @r.get("/verrekening/overzicht/download")
        def statement_download(request: Request, viewer: Who) -> Response:
            if (stop := self.guard(request, viewer)) is not None:
                return stop
            p = viewer.principal
            formaat = request.query_params.get("formaat", "")
            if formaat not in ("xlsx", "pdf"):
                raise NotFound("Dit formaat bestaat niet.")
            gemeente = p.code if p.is_gemeente else request.query_params.get("gemeente", "")
            with self.transaction() as db:
                download = v.overzicht(db, p, ctx, gemeente, formaat)
            assert isinstance(download, v.Download)
            return Response(
                download.content, media_type=download.media_type,
                headers={"Content-Disposition": f'attachment; filename="{download.bestandsnaam}"'},
            )

        @r.get("/verrekening/vangnet")
        def safety_net(request: Request, viewer: Who) -> Response:
            if (stop := self.guard(request, viewer)) is not None:
                return stop
            with self.transaction() as db:
                lijst = v.vangnet_lijst(db, viewer.principal, ctx)
            return self.render(request, "verrekening/vangnet.html", viewer=viewer, vn=lijst)

        @r.get("/verrekening/compensatie")
        def compensation(request: Request, viewer: Who) -> Response:
            if (stop := self.guard(request, viewer)) is not None:
                return stop
            with self.transaction() as db:
                lijst = v.compensatie(db, viewer.principal, ctx)
            return self.render(request, "verrekening/compensatie.html", viewer=viewer, c=lijst)

        # --- disputes -----------------------------------------------------------------------

        @r.get("/verrekening/geschillen")
        def disputes(request: Request, viewer: Who) -> Response:
            return (self.guard(request, viewer, aanbieder=True)
                    or self.disputes_page(request, viewer))

        @r.post("/verrekening/geschillen")
        def register_dispute(request: Request, act: Act) -> Response:
            if (stop := self.guard(request, act, aanbieder=True)) is not None:
                return stop
            form = act.form
            onderwerp = _text(form, "onderwerp")
            andere = _text(form, "partij").strip()
            partijen = []
            if andere:
                soort = "aanbieder" if len(andere) == 8 else "gemeente"
                partijen.append({"soort": soort, "code": andere})
            claim_id = _text(form, "claimId").strip() or None
            bsn = _text(form, "bsn").strip().replace(" ", "") or None
            try:
                if onderwerp == "claim" and claim_id is None:
                    raise InvalidRequest("Het geschil is niet compleet.", [("claimId", "verplicht")])
                with self.transaction() as db:
                    geschil = v.registreer_geschil(
                        db, act.principal, ctx, onderwerp=onderwerp,
                        omschrijving=_text(form, "omschrijving"), partijen=partijen,
                        claim_id=claim_id if onderwerp == "claim" else None,
                        bsn=bsn if onderwerp == "jeugdige" else None,
                        niveau=_text(form, "niveau") or v.Niveau.REGIOADVISEUR.value,
                    )
            except Problem as exc:
                if _text(form, "terug") == "claim" and claim_id and not isinstance(exc, NotFound):
                    return self.claim_page(request, act, claim_id, problem=exc, form=form,
                                           open_form="geschil")
                if isinstance(exc, NotFound) and onderwerp == "claim":
                    # A claim that does not exist or is not visible: said beside the field,
                    # in the same words either way.
                    exc = InvalidRequest("Het geschil is niet compleet.",
                                         [("claimId", "bestaat niet of is niet zichtbaar voor u")])
                return self.disputes_page(request, act, problem=exc, form=form)
            return RedirectResponse(
                f"/verrekening/geschillen/{geschil['id']}?melding=geschil-geregistreerd",
                status_code=303,
            )

        @r.get("/verrekening/geschillen/{geschil_id}")
        def dispute(request: Request, geschil_id: Nummer, viewer: Who) -> Response:
            return (self.guard(request, viewer, aanbieder=True)
                    or self.dispute_page(request, viewer, geschil_id))

        def dispute_action(request: Request, act: Acting, geschil_id: int, run, melding: str,
                           form_name: str):
            if (stop := self.guard(request, act, aanbieder=True)) is not None:
                return stop
            problems: list[tuple[str, str]] = []
            versie = _versie(act.form, problems)
            try:
                if problems:
                    raise InvalidRequest("De invoer is niet juist.", problems)
                with self.transaction() as db:
                    run(db, versie)
            except NotFound:
                raise
            except Problem as exc:
                return self.dispute_page(request, act, geschil_id, problem=exc, form=act.form,
                                         open_form=form_name)
            return RedirectResponse(
                f"/verrekening/geschillen/{geschil_id}?melding={melding}", status_code=303
            )

        @r.post("/verrekening/geschillen/{geschil_id}/escaleren")
        def escalate(request: Request, geschil_id: Nummer, act: Act) -> Response:
            return dispute_action(
                request, act, geschil_id,
                lambda db, versie: v.escaleer_geschil(
                    db, act.principal, ctx, geschil_id, _text(act.form, "naar"),
                    toelichting=_text(act.form, "toelichting").strip(), versie=versie),
                "geschil-geescaleerd", "escaleren",
            )

        @r.post("/verrekening/geschillen/{geschil_id}/oplossen")
        def resolve(request: Request, geschil_id: Nummer, act: Act) -> Response:
            return dispute_action(
                request, act, geschil_id,
                lambda db, versie: v.los_geschil_op(
                    db, act.principal, ctx, geschil_id, uitkomst=_text(act.form, "uitkomst"),
                    claim=_text(act.form, "claim") or None, versie=versie),
                "geschil-opgelost", "oplossen",
            )

        @r.post("/verrekening/geschillen/{geschil_id}/intrekken")
        def withdraw(request: Request, geschil_id: Nummer, act: Act) -> Response:
            return dispute_action(
                request, act, geschil_id,
                lambda db, versie: v.trek_geschil_in(
                    db, act.principal, ctx, geschil_id,
                    toelichting=_text(act.form, "toelichting").strip(), versie=versie),
                "geschil-ingetrokken", "intrekken",
            )

        # --- invoices -----------------------------------------------------------------------

        @r.get("/verrekening/declaraties")
        def invoices(request: Request, viewer: Who) -> Response:
            return self.guard(request, viewer) or self.invoices_page(request, viewer)

        @r.post("/verrekening/declaraties")
        def import_invoices(request: Request, act: Act) -> Response:
            if (stop := self.guard(request, act)) is not None:
                return stop
            bestand = act.form.get("bestand")
            try:
                if not isinstance(bestand, UploadFile) or not bestand.filename:
                    raise InvalidRequest("Er is geen bestand gekozen.", [("bestand", "verplicht")])
                limit = self.state.settings.max_upload_bytes
                content = bestand.file.read(limit + 1)
                if len(content) > limit:
                    raise PayloadTooLarge(f"Het bestand is groter dan {limit} bytes.")
                with self.transaction() as db:
                    stored = v.importeer_facturen(db, act.principal, ctx, content, bestand.filename)
            except NotFound:
                raise
            except Problem as exc:
                errors = [FieldError("bestand", "bestand",
                                     REQUIRED["bestand"] if name == "bestand" and
                                     reason.startswith("verplicht") else f"{name}: {reason}")
                          for name, reason in exc.invalid_params]
                return self.invoices_page(
                    request, act, status=exc.status,
                    errors=errors or [FieldError("bestand", "bestand", exc.detail)],
                    probleem=exc.detail if exc.invalid_params else "",
                )
            return self.invoices_page(request, act, ingelezen=stored)

    # --- page builders ------------------------------------------------------------------------

    def claims_page(self, request: Request, viewer: Viewer) -> Response:
        p = viewer.principal
        statussen = [s for s in request.query_params.getlist("status") if s in CLAIM_STATUS_LABELS]
        lijsten = []
        with self.transaction() as db:
            if p.is_gemeente:
                for rol, titel, param in (("schuldenaar", "Te betalen", "pb"),
                                          ("schuldeiser", "Te ontvangen", "po")):
                    pagina = self.page_number(request, param)
                    data = v.list_claims(db, p, self.ctx, status=statussen, rol=rol,
                                         pagina=pagina, pagina_grootte=PAGE_SIZE)
                    lijsten.append({"rol": rol, "titel": titel, "param": param, "data": data,
                                    "paginas": max(1, -(-data["totaal"] // PAGE_SIZE))})
            else:
                pagina = self.page_number(request, "pagina")
                data = v.list_claims(db, p, self.ctx, status=statussen, pagina=pagina,
                                     pagina_grootte=PAGE_SIZE)
                lijsten.append({"rol": None, "titel": "Alle claims", "param": "pagina",
                                "data": data, "paginas": max(1, -(-data["totaal"] // PAGE_SIZE))})
        return self.render(
            request, "verrekening/claims.html", viewer=viewer, lijsten=lijsten,
            gekozen=set(statussen), CLAIM_STATUS_LABELS=CLAIM_STATUS_LABELS,
            query=[(k, val) for k, val in request.query_params.multi_items() if k != "melding"],
        )

    def claim_page(
        self, request: Request, viewer: Viewer, claim_id: str, *, problem: Problem | None = None,
        form: Any = None, open_form: str = "status",
    ) -> Response:
        with self.transaction() as db:
            c = v.read_claim(db, viewer.principal, self.ctx, claim_id)
        anchors = {"": "acties" if open_form == "status" else "geschil",
                   "toelichting": "toelichting", "naar": "acties", "versie": "acties",
                   "omschrijving": "geschil-omschrijving", "claimId": "geschil"}
        values = {k: val for k, val in (form or {}).items() if isinstance(val, str)}
        return self.render(
            request, "verrekening/claim.html", viewer=viewer, c=c,
            status=problem.status if problem else 200,
            errors=problem_errors(problem, anchors) if problem else [],
            waarden=values, open_form=open_form,
            kan_geschil=viewer.principal.is_gemeente and c["status"] in ("open", "betwist")
            and viewer.principal.code in (c["schuldenaar"]["code"], c["schuldeiser"]["code"]),
        )

    def netting_page(self, request: Request, viewer: Viewer, saldering_id: int, *,
                     problem: Problem | None = None) -> Response:
        with self.transaction() as db:
            run = v.read_saldering(db, viewer.principal, self.ctx, saldering_id)
        p = viewer.principal
        kan_accepteren = run["status"] == "voorstel" and (
            p.is_coordinator or (p.is_gemeente and p.code not in run["akkoord"])
        )
        return self.render(
            request, "verrekening/saldering.html", viewer=viewer, s=run,
            status=problem.status if problem else 200,
            errors=errors_of(problem, {"": "acties"}) if problem else [],
            kan_accepteren=kan_accepteren,
            kan_betalen=p.is_coordinator and run["status"] == "geaccepteerd",
        )

    def disputes_page(self, request: Request, viewer: Viewer, *, problem: Problem | None = None,
                      form: Any = None) -> Response:
        with self.transaction() as db:
            items = v.list_geschillen(db, viewer.principal, self.ctx)
        today = self.ctx.today()
        gemeenten = [(g.code, g.naam) for g in self.ctx.register.on(today)
                     if not (viewer.principal.is_gemeente and g.code == viewer.principal.code)
                     and g.code not in (RNI_CODE, UNKNOWN_CODE)]
        anchors = {"": "registreren", "onderwerp": "onderwerp-claim", "claimId": "claimId",
                   "bsn": "bsn", "partijen": "partij", "partijen[0]": "partij",
                   "omschrijving": "omschrijving", "niveau": "niveau"}
        values = {k: val for k, val in (form or {}).items()
                  if isinstance(val, str) and k != "bsn"}  # a BSN is not echoed back
        return self.render(
            request, "verrekening/geschillen.html", viewer=viewer, geschillen=items,
            status=problem.status if problem else 200,
            errors=problem_errors(problem, anchors) if problem else [],
            waarden=values, gemeenten=gemeenten, niveaus=list(NIVEAU_LABELS.items()),
        )

    def dispute_page(self, request: Request, viewer: Viewer, geschil_id: int, *,
                     problem: Problem | None = None, form: Any = None,
                     open_form: str = "escaleren") -> Response:
        with self.transaction() as db:
            g = v.read_geschil(db, viewer.principal, self.ctx, geschil_id)
        levels = [n.value for n in v.NIVEAUS]
        hoger = levels[levels.index(g["niveau"]) + 1:] if g["niveau"] in levels else []
        anchors = {"": open_form, "naar": "naar", "uitkomst": "uitkomst", "claim": "claim-uitkomst",
                   "versie": open_form, "toelichting": f"{open_form}-toelichting"}
        values = {k: val for k, val in (form or {}).items() if isinstance(val, str)}
        p = viewer.principal
        return self.render(
            request, "verrekening/geschil.html", viewer=viewer, g=g,
            status=problem.status if problem else 200,
            errors=problem_errors(problem, anchors) if problem else [],
            waarden=values, open_form=open_form, hoger=hoger, is_open=g["status"] == "open",
            kan_oplossen=p.is_coordinator, kan_intrekken=g["ingediendDoor"] == p.label,
        )

    def invoices_page(self, request: Request, viewer: Viewer, *, status: int = 200,
                      errors: list[FieldError] | None = None, probleem: str = "",
                      ingelezen: dict | None = None) -> Response:
        pagina = self.page_number(request, "pagina")
        with self.transaction() as db:
            data = v.list_facturen(db, viewer.principal, self.ctx, pagina=pagina,
                                   pagina_grootte=PAGE_SIZE)
        return self.render(
            request, "verrekening/declaraties.html", viewer=viewer, status=status,
            errors=errors or [], probleem=probleem, f=data, ingelezen=ingelezen,
            paginas=max(1, -(-data["totaal"] // PAGE_SIZE)), pagina=pagina,
        )


def router(pages: Pages) -> APIRouter:
    """The settlement pages' router, built on the transfer pages (:func:`wpb.service.pages.install`)."""
    return VerrekeningPages(pages).router


__all__ = ["VerrekeningPages", "euro", "router"]
