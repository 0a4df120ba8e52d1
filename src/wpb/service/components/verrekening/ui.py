"""The settlement pages' own helpers: labels, amounts, error display and the page builders
(claims, nettings, disputes, invoices). The routes are in :mod:`.pages`."""



from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from sqlalchemy import select, union

from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE
from wpb.service.components.verrekening import claims as claim_rules
from wpb.service.components.verrekening import (
    facturen,
    geschillen,
    saldering,
)
from wpb.service.components.verrekening.models import VerrekeningClaim
from wpb.service.errors import NotFound, Problem
from wpb.service.public_ids import path_id
from wpb.service.web.forms import FieldError, errors_of
from wpb.service.web.pages import (
    Pages,
    Viewer,
)

ClaimId = Annotated[str, PathParam(max_length=40, pattern=r"^V[CK]-[0-9A-F]{16}(-[0-9]+)?$")]
Nummer = Annotated[int, PathParam(ge=1, le=2_147_483_647)]
GeschilId = Annotated[str, path_id("het geschil")]
SalderingId = Annotated[str, path_id("de saldering")]
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
    "rekening-vastgelegd": "De bankrekening van uw gemeente is vastgelegd.",
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
                    data = claim_rules.list_claims(db, p, self.ctx, status=statussen, rol=rol,
                                         pagina=pagina, pagina_grootte=PAGE_SIZE)
                    lijsten.append({"rol": rol, "titel": titel, "param": param, "data": data,
                                    "paginas": max(1, -(-data["totaal"] // PAGE_SIZE))})
            else:
                pagina = self.page_number(request, "pagina")
                data = claim_rules.list_claims(db, p, self.ctx, status=statussen, pagina=pagina,
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
            c = claim_rules.read_claim(db, viewer.principal, self.ctx, claim_id)
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

    def netting_page(self, request: Request, viewer: Viewer, saldering_id: str, *,
                     problem: Problem | None = None) -> Response:
        with self.transaction() as db:
            run = saldering.read_saldering(db, viewer.principal, self.ctx, saldering_id)
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
            items = geschillen.list_geschillen(db, viewer.principal, self.ctx)
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

    def dispute_page(self, request: Request, viewer: Viewer, geschil_id: str, *,
                     problem: Problem | None = None, form: Any = None,
                     open_form: str = "escaleren") -> Response:
        with self.transaction() as db:
            g = geschillen.read_geschil(db, viewer.principal, self.ctx, geschil_id)
        levels = [n.value for n in geschillen.NIVEAUS]
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
            data = facturen.list_facturen(db, viewer.principal, self.ctx, pagina=pagina,
                                   pagina_grootte=PAGE_SIZE)
        return self.render(
            request, "verrekening/declaraties.html", viewer=viewer, status=status,
            errors=errors or [], probleem=probleem, f=data, ingelezen=ingelezen,
            paginas=max(1, -(-data["totaal"] // PAGE_SIZE)), pagina=pagina,
        )





def get_verrekening_ui(request: Request) -> VerrekeningPages:
    return request.app.state.wpb_verrekening_ui


VerrekeningUI = Annotated[VerrekeningPages, Depends(get_verrekening_ui)]


def install(app, pages: Pages) -> VerrekeningPages:
    """Put this component's page helpers on ``app`` (their filters go on the shared templates)."""
    ui = VerrekeningPages(pages)
    app.state.wpb_verrekening_ui = ui
    return ui
