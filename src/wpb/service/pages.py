"""The web pages of the transfer service: Dutch, server-rendered with Jinja2, no JavaScript needed.

``create_app`` (wpb.service.api) calls :func:`install` with the application and its
:class:`~wpb.service.api.ServiceState`; the pages then use the same database, rule context
and login throttle as the REST API, and every page calls the same service functions
(:mod:`wpb.service.transfers`, :mod:`wpb.service.uploads`), so tenancy, the state machine
and the audit log hold whichever way a user comes in. The pages add no rules of their own.

Pages (all behind a login except the login page itself):

| path | what |
|---|---|
| ``/inloggen``, ``/uitloggen`` | log in and out (signed session cookie, see :mod:`web_session`) |
| ``/overdrachten/inkomend``, ``/overdrachten/uitgaand`` | a municipality's transfers, filtered by status, gemeente and aanleverdatum |
| ``/overdrachten`` | everything the user may see (a provider: its own clients) |
| ``/overdrachten/download`` | the filtered list as CSV or XLSX (with the aanleverdatum) |
| ``/zoeken`` | search by BSN; the BSN goes in a POST body, never in a URL |
| ``/overdrachten/{id}`` | one transfer: data, actions, woonplaatstoets, responsibility over time, tasks, timeline |
| ``/aanleveren`` | upload a CSV/XLSX, see the check row by row, confirm storing the valid rows |
| ``/taken`` | the user's own tasks per party, overdue ones marked |
| ``/overzicht`` | counts by status and overdue tasks per municipality |

Rules the pages keep:

- Every form carries the session's CSRF token; a POST without the right token is refused
  (403) before anything happens.
- Something the user may not see is answered with the same 404 page as something that
  does not exist. A list for a role that has no such list (a provider asking for
  incoming transfers) is a 404 as well.
- No BSN or other personal data in any URL: links and redirects carry transfer numbers,
  filters and message codes only.
- Validation errors are shown in Dutch above the form (an error summary linking to each
  field) and beside each field; what the user typed is kept.
- Unexpected errors are logged by exception type and code location only (a message could
  hold personal data) and shown as a plain error page.
"""


import json
import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE
from wpb.service import transfers, uploads, web_session
from wpb.service.api import ServiceState, problem_response
from wpb.service.clock import AMSTERDAM
from wpb.service.errors import (
    InvalidRequest,
    NotFound,
    PayloadTooLarge,
    Problem,
)
from wpb.service.exports import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, to_csv, to_xlsx
from wpb.service.models import WET_WMO_BW
from wpb.service.pending_uploads import PendingUploads
from wpb.service.tenancy import Principal, authenticate_password, load_principal
from wpb.service.transfer_filters import (
    TransferFilter,
    export_filtered,
    list_filtered,
    other_gemeenten,
)
from wpb.service.transfers import Richting, Status
from wpb.service.web_session import CSRF_FIELD, SessionCodec, WebSession

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
PAGE_SIZE = 50

log = logging.getLogger("wpb.service.pages")

# --- Dutch words for codes ------------------------------------------------------------------

STATUS_LABELS = {
    "aangeleverd": "Aangeleverd",
    "geaccepteerd": "Geaccepteerd",
    "afgewezen": "Afgewezen",
    "afgerond": "Afgerond",
    "doorgestuurd": "Doorgestuurd",
}

PARTIJ_LABELS = {
    "latende_gemeente": "Latende gemeente",
    "ontvangende_gemeente": "Ontvangende gemeente",
    "aanbieder": "Aanbieder",
}

TAAK_STATUS_LABELS = {
    "gedaan": "Gedaan",
    "te_laat": "Te laat",
    "nog_niet_mogelijk": "Nog niet mogelijk",
    "open": "Open",
}

DECISION_STATUS_LABELS = {
    "bepaald": "Bepaald",
    "review": "Beoordeling door een medewerker nodig",
}

# Messages after a successful action: the redirect carries only the code.
MELDINGEN = {
    "geaccepteerd": "De overdracht is geaccepteerd.",
    "afgewezen": "De overdracht is afgewezen; de onderbouwing is vastgelegd.",
    "afgerond": "De overdracht is afgerond gemeld.",
    "doorgestuurd": "De afgewezen overdracht is doorgestuurd. Dit is de nieuwe overdracht.",
    "brp-gekoppeld": "De BRP-gegevens zijn aan de overdracht gekoppeld.",
    "woonplaats-bepaald": "De woonplaatstoets is uitgevoerd en de beslissing is vastgelegd.",
    "taak-gedaan": "De taak is als gedaan gemarkeerd.",
    "taak-open": "De taak staat weer open.",
    "sessie-verlopen": "Uw sessie is verlopen of u bent niet ingelogd. Log (opnieuw) in.",
}

FIELD_LABELS = {
    "gebruikersnaam": "Gebruikersnaam",
    "wachtwoord": "Wachtwoord",
    "onderbouwing": "Onderbouwing",
    "gebruikWoonplaatsbeslissing": "Woonplaatsbeslissing als onderbouwing",
    "toewijzingIngangsdatum": "Ingangsdatum nieuwe toewijzing",
    "toewijzingReferentie": "Referentie nieuwe toewijzing",
    "gemeente": "Gemeente",
    "bsn": "BSN",
    "bestand": "Bestand",
    "document": "BRP-document",
    "brp": "BRP-gegevens",
    "peildatum": "Peildatum",
    "verantwoordelijkPeildatum": "Peildatum verantwoordelijkheid",
    "versie": "Versie",
    "status": "Status",
    "aanleverdatumVan": "Aanleverdatum vanaf",
    "aanleverdatumTot": "Aanleverdatum tot en met",
    "pagina": "Pagina",
    "richting": "Richting",
    "formaat": "Formaat",
    "gedaan": "Taak",
    "taak": "Taak",
    # The Wmo facts of a woonplaatstoets beschermd wonen (wmo-bw).
    "aanmeldingGemeente": "Aanmelding, gemeente",
    "aanmeldingDatum": "Aanmelding, datum",
    "eerderBeschermdWonen": "Eerder beschermd wonen",
    "eerdereAanvragen": "Eerdere aanvragen",
    "indicatieCentrumgemeente": "Lopende indicatie, centrumgemeente",
    "indicatieBegin": "Lopende indicatie, begin",
    "indicatieEinde": "Lopende indicatie, einde",
    "uitzonderingB": "Uitzondering onder b",
    "uitzonderingC": "Uitzondering onder c",
    "uitzonderingD": "Uitzondering onder d",
    "beoogdeGemeente": "Beoogde gemeente",
}

# Clearer wording for a required field that was left empty.
REQUIRED_MESSAGES = {
    "gebruikersnaam": "Vul uw gebruikersnaam in",
    "wachtwoord": "Vul uw wachtwoord in",
    "onderbouwing": "Geef een onderbouwing van de afwijzing, of gebruik de vastgelegde "
    "woonplaatsbeslissing",
    "toewijzingIngangsdatum": "Vul de ingangsdatum van de nieuwe toewijzing in",
    "toewijzingReferentie": "Vul de referentie van de nieuwe toewijzing in",
    "gemeente": "Kies de gemeente waarnaar u de overdracht doorstuurt",
    "bestand": "Kies een CSV- of XLSX-bestand",
    "document": "Kies een BRP-document (JSON)",
    "bsn": "Vul een BSN in",
    "aanmeldingGemeente": "Vul de gemeente van de aanmelding in (4 cijfers)",
    "eerderBeschermdWonen": "Vul de eerdere plaatsingen beschermd wonen in als JSON-lijst, "
    "of [] als er geen waren",
    "indicatieCentrumgemeente": "Vul de centrumgemeente van de lopende indicatie in",
    "indicatieBegin": "Vul de begindatum van de lopende indicatie in",
}

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def dutch_date(value: date | str | None) -> str:
    """``2021-10-04`` → ``4 oktober 2021`` (empty for nothing)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def dutch_moment(value: str | datetime | None) -> str:
    """A UTC moment (``2021-10-04T10:00:00Z``) as Dutch local time: ``4 oktober 2021, 12:00``."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(AMSTERDAM)
    return f"{dutch_date(local.date())}, {local:%H:%M}"


# --- errors and their display ---------------------------------------------------------------


class LoginRequired(Exception):
    """No valid session: a GET goes to the login page and comes back afterwards."""

    def __init__(self, volgende: str | None):
        super().__init__("login required")
        self.volgende = volgende


class CsrfRejected(Exception):
    """A form without the session's CSRF token."""


@dataclass(frozen=True)
class FieldError:
    field: str  # the form field's name
    anchor: str  # the id the error summary links to
    message: str


def field_message(name: str, reason: str) -> str:
    if reason.startswith("verplicht") and name in REQUIRED_MESSAGES:
        return REQUIRED_MESSAGES[name]
    label = FIELD_LABELS.get(name, name)
    return f"{label}: {reason}"


def errors_of(problem: Problem, anchors: dict[str, str] | None = None) -> list[FieldError]:
    """The problem's invalid fields as messages; a problem without fields gives its detail."""
    anchors = anchors or {}
    if not problem.invalid_params:
        return [FieldError("", anchors.get("", ""), problem.detail)]
    return [
        FieldError(name, anchors.get(name, anchors.get("", name)), field_message(name, reason))
        for name, reason in problem.invalid_params
    ]


def _first_per_field(errors: Iterable[FieldError]) -> dict[str, str]:
    """The message shown beside each field: the first one for that field."""
    result: dict[str, str] = {}
    for e in errors:
        if e.field:
            result.setdefault(e.field, e.message)
    return result


def merge_errors(own: list[tuple[str, str]], problem: Problem | None) -> Problem | None:
    """The page's own parse errors replace the service's message for the same field."""
    if not own:
        return problem
    names = {name for name, _ in own}
    rest = [(n, r) for n, r in (problem.invalid_params if problem else []) if n not in names]
    return InvalidRequest("De invoer is niet volledig of niet juist.", [*own, *rest])


def parse_date(raw: str | None, name: str, problems: list[tuple[str, str]]) -> date | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        parsed = uploads.parse_date(text)  # also DD-MM-JJJJ, as people type it
        if parsed is None:
            problems.append((name, "geen geldige datum (JJJJ-MM-DD of DD-MM-JJJJ)"))
        return parsed


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _versie(form: FormData, problems: list[tuple[str, str]]) -> int | None:
    raw = _text(form, "versie").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        problems.append(("versie", "ongeldig; laad de pagina opnieuw"))
        return None
    return int(raw)


# --- the Wmo facts of the woonplaatstoets form -----------------------------------------------
#
# A wmo-bw transfer's woonplaatstoets needs the facts the BRP does not hold (the Wmo case JSON
# without its client part, see wpb.brp.wmo_case). The form asks for them field by field, the
# lists as JSON; the page turns them into the same dict the REST API passes to
# transfers.decide_woonplaats, and turns the service's field paths back into form fields.

WMO_FORM_FIELDS = (
    "aanmeldingGemeente", "aanmeldingDatum", "eerderBeschermdWonen", "eerdereAanvragen",
    "indicatieCentrumgemeente", "indicatieBegin", "indicatieEinde",
    "uitzonderingB", "uitzonderingC", "uitzonderingD", "beoogdeGemeente",
)
# Lists of at most this many items, as the REST API's request schema allows.
WMO_MAX_ITEMS = 100
WMO_MAX_CHARS = 100_000
_JA_NEE = {"ja": True, "nee": False, "": None}

# Service path prefix → (form field, noun of one list item). Longest prefixes first.
_WMO_PATHS = (
    ("aanmelding.gemeente", "aanmeldingGemeente", ""),
    ("aanmelding.datum", "aanmeldingDatum", ""),
    ("aanmelding", "aanmeldingGemeente", ""),
    ("eerderBeschermdWonen", "eerderBeschermdWonen", "plaatsing"),
    ("eerdereAanvragen", "eerdereAanvragen", "aanvraag"),
    ("indicatie.centrumgemeente", "indicatieCentrumgemeente", ""),
    ("indicatie.begin", "indicatieBegin", ""),
    ("indicatie.einde", "indicatieEinde", ""),
    ("indicatie", "indicatieCentrumgemeente", ""),
    ("uitzonderingen.b", "uitzonderingB", ""),
    ("uitzonderingen.c", "uitzonderingC", ""),
    ("uitzonderingen.d", "uitzonderingD", ""),
    ("uitzonderingen", "uitzonderingB", ""),
    ("beoogdeGemeente", "beoogdeGemeente", ""),
)


def _json_list(
    form: FormData, name: str, noun: str, problems: list[tuple[str, str]], *, required: bool
) -> list | None:
    text = _text(form, name).strip()
    if not text:
        if required:
            problems.append((name, "verplicht"))
        return None
    if len(text) > WMO_MAX_CHARS:
        problems.append((name, f"te lang (ten hoogste {WMO_MAX_CHARS} tekens)"))
        return None
    try:
        value = json.loads(text)
    except ValueError:
        problems.append((name, "geen geldige JSON; verwacht een lijst tussen [ en ]"))
        return None
    if not isinstance(value, list):
        problems.append((name, "verwacht een JSON-lijst tussen [ en ]"))
        return None
    if len(value) > WMO_MAX_ITEMS:
        problems.append((name, f"ten hoogste {WMO_MAX_ITEMS} {noun}en"))
        return None
    return value


def wmo_facts_of(form: FormData, problems: list[tuple[str, str]]) -> dict[str, Any]:
    """The Wmo facts of the form (keys of transfers.WMO_FACTS); what the page itself can tell
    is wrong (a date, JSON, a required field left empty) goes into ``problems``."""
    facts: dict[str, Any] = {}
    gemeente = _text(form, "aanmeldingGemeente").strip()
    if not gemeente:
        problems.append(("aanmeldingGemeente", "verplicht"))
    datum = parse_date(_text(form, "aanmeldingDatum"), "aanmeldingDatum", problems)
    facts["aanmelding"] = {
        **({"gemeente": gemeente} if gemeente else {}),
        **({"datum": datum.isoformat()} if datum else {}),
    }
    eerder = _json_list(form, "eerderBeschermdWonen", "plaatsing", problems, required=True)
    if eerder is not None:
        facts["eerderBeschermdWonen"] = eerder
    aanvragen = _json_list(form, "eerdereAanvragen", "aanvraag", problems, required=False)
    if aanvragen is not None:  # left empty: unknown, which is not the same as none
        facts["eerdereAanvragen"] = aanvragen
    centrum = _text(form, "indicatieCentrumgemeente").strip()
    begin = parse_date(_text(form, "indicatieBegin"), "indicatieBegin", problems)
    einde = parse_date(_text(form, "indicatieEinde"), "indicatieEinde", problems)
    raw_dates = [_text(form, n).strip() for n in ("indicatieBegin", "indicatieEinde")]
    if centrum or any(raw_dates):
        if not centrum:
            problems.append(("indicatieCentrumgemeente", "verplicht"))
        if not raw_dates[0]:
            problems.append(("indicatieBegin", "verplicht"))
        facts["indicatie"] = {
            **({"centrumgemeente": centrum} if centrum else {}),
            **({"begin": begin.isoformat()} if begin else {}),
            "einde": einde.isoformat() if einde else None,
        }
    uitzonderingen: dict[str, bool | None] = {}
    for letter in ("b", "c", "d"):
        name = f"uitzondering{letter.upper()}"
        raw = _text(form, name).strip()
        if raw not in _JA_NEE:
            problems.append((name, "kies ja, nee of onbekend"))
        elif raw:
            uitzonderingen[letter] = _JA_NEE[raw]
    if uitzonderingen:  # none answered: every exception unknown, as when left out
        facts["uitzonderingen"] = uitzonderingen
    beoogd = _text(form, "beoogdeGemeente").strip()
    if beoogd:
        facts["beoogdeGemeente"] = beoogd
    return facts


def wmo_form_params(params: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The service's field paths (``eerderBeschermdWonen[0].begin``) as form fields, with the
    item and sub-field in the reason (``plaatsing 1, begin: ...``); the BRP part is ``brp``."""
    result = []
    for name, reason in params:
        if name == "client" or name.startswith(("client.", "client[")):
            result.append(("brp", f"{name}: {reason}"))
            continue
        for prefix, field, noun in _WMO_PATHS:
            if name == prefix or name.startswith((prefix + ".", prefix + "[")):
                rest = name[len(prefix):]
                where = rest.lstrip(".")
                if noun and rest.startswith("["):
                    index, _, sub = rest[1:].partition("]")
                    number = int(index) + 1 if index.isdigit() else index
                    sub = sub.lstrip(".")
                    where = f"{noun} {number}" + (f", {sub}" if sub else "")
                elif where == "code":  # aanmelding.gemeente.code: the gemeente field itself
                    where = ""
                result.append((field, f"{where}: {reason}" if where else reason))
                break
        else:
            result.append((name, reason))
    return result


def decide_wmo_from_form(run: Callable[[], dict]) -> dict:
    """Run the woonplaatstoets; a refusal names the form's fields rather than JSON paths."""
    try:
        return run()
    except InvalidRequest as exc:
        raise InvalidRequest(exc.detail, wmo_form_params(exc.invalid_params)) from None


def safe_next(raw: str | None) -> str | None:
    """A local path to return to after logging in (never another site)."""
    if not raw or not raw.startswith("/") or raw.startswith("//") or "\\" in raw:
        return None
    if raw.startswith(("/inloggen", "/uitloggen", "/uitgelogd", "/static", "/api")):
        return None
    return raw[:500]


# --- who is looking -------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    principal: Principal
    session: WebSession

    @property
    def csrf(self) -> str:
        return self.session.csrf


@dataclass(frozen=True)
class Acting(Viewer):
    form: FormData


class PageRoute(APIRoute):
    """Unexpected exceptions of a page become a plain error page, logged without message."""

    def get_route_handler(self) -> Callable:
        original = super().get_route_handler()
        path = self.path

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except (
                Problem, StarletteHTTPException, RequestValidationError, LoginRequired, CsrfRejected
            ):
                raise
            except (OperationalError, DBAPIError) as exc:
                pages: Pages = request.app.state.wpb_pages
                if isinstance(exc, OperationalError) or exc.connection_invalidated:
                    log.warning("database niet beschikbaar bij %s %s", request.method, path)
                    return pages.error_page(
                        request, 503, "Tijdelijk niet beschikbaar",
                        "De database is tijdelijk niet bereikbaar. Probeer het zo opnieuw.",
                    )
                _log_unexpected(exc, request.method, path)
                return pages.error_page(
                    request, 500, "Er ging iets mis", "Er ging iets mis; het is gelogd."
                )
            except Exception as exc:
                _log_unexpected(exc, request.method, path)
                pages = request.app.state.wpb_pages
                return pages.error_page(
                    request, 500, "Er ging iets mis", "Er ging iets mis; het is gelogd."
                )

        return handler


def _log_unexpected(exc: BaseException, method: str, path: str) -> None:
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("onverwachte fout %s bij %s %s\n%s", type(exc).__name__, method, path, frames)


OverdrachtId = Annotated[int, PathParam(ge=1, le=2_147_483_647)]


# --- the pages ------------------------------------------------------------------------------


class Pages:
    def __init__(self, state: ServiceState):
        self.state = state
        self.ctx = state.ctx
        self.codec = SessionCodec(state.settings.resolved_secret_key())
        self.pending = PendingUploads()
        self.env = Environment(
            loader=FileSystemLoader(str(TEMPLATES_DIR)),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(
            datum=dutch_date,
            moment=dutch_moment,
            status_label=lambda s: STATUS_LABELS.get(s, s),
            partij_label=lambda p: PARTIJ_LABELS.get(p, p),
            taakstatus_label=lambda s: TAAK_STATUS_LABELS.get(s, s),
            beslissing_label=lambda s: DECISION_STATUS_LABELS.get(s, s),
            gemeente=self.gemeente_label,
            organisatie=self.organisatie_label,
            ja_nee=lambda v: "ja" if v else "nee",
        )
        self.env.globals.update(STATUS_LABELS=STATUS_LABELS)
        self.router = APIRouter(route_class=PageRoute, include_in_schema=False)
        self._routes()

    # --- helpers --------------------------------------------------------------------------

    def gemeente_label(self, value: Any) -> str:
        if isinstance(value, dict):
            code, naam = value.get("code"), value.get("naam")
        else:
            code = value
            naam = self.ctx.register.naam(code) if code in self.ctx.register else None
        return f"{naam} ({code})" if naam else str(code)

    def organisatie_label(self, label: str) -> str:
        soort, _, code = label.partition(":")
        if soort == "gemeente":
            return self.gemeente_label(code)
        if soort == "aanbieder":
            return f"aanbieder {code}"
        if soort == "coordinator":
            return "coördinator"
        return label

    def nav(self, viewer: Viewer | None) -> list[tuple[str, str]]:
        if viewer is None:
            return []
        p = viewer.principal
        if p.is_gemeente:
            items = [
                ("Inkomend", "/overdrachten/inkomend"),
                ("Uitgaand", "/overdrachten/uitgaand"),
                ("Aanleveren", "/aanleveren"),
            ]
        elif p.is_aanbieder:
            items = [("Mijn cliënten", "/overdrachten")]
        else:
            items = [("Alle overdrachten", "/overdrachten")]
        # iJw messages (pages_berichten) and the settlement (pages_verrekening).
        if not p.is_coordinator:
            items.append(("Berichten", "/berichten"))
        if not p.is_aanbieder:
            items.append(("Verrekening", "/verrekening"))
        return [*items, ("Taken", "/taken"), ("Overzicht", "/overzicht"), ("Zoeken op BSN", "/zoeken")]

    def render(
        self,
        request: Request,
        template: str,
        *,
        viewer: Viewer | None = None,
        session: WebSession | None = None,
        status: int = 200,
        errors: Iterable[FieldError] = (),
        **context: Any,
    ) -> HTMLResponse:
        errors = list(errors)
        code = request.query_params.get("melding", "")
        base = {
            "viewer": viewer,
            "principal": viewer.principal if viewer else None,
            "csrf": viewer.csrf if viewer else (session.csrf if session else ""),
            "csrf_field": CSRF_FIELD,
            "nav": self.nav(viewer),
            "path": request.url.path,
            "melding": MELDINGEN.get(code) if code != "sessie-verlopen" else None,
            "waarschuwing": MELDINGEN[code] if code == "sessie-verlopen" else None,
            "errors": errors,
            "field_errors": _first_per_field(errors),
            "vandaag": self.ctx.today(),
        }
        base.update(context)
        html = self.env.get_template(template).render(base)
        return HTMLResponse(html, status_code=status)

    def error_page(
        self, request: Request, status: int, title: str, detail: str, viewer: Viewer | None = None
    ) -> HTMLResponse:
        if viewer is None:
            viewer = self._try_viewer(request)
        return self.render(
            request, "fout.html", viewer=viewer, status=status, titel=title, detail=detail
        )

    def _try_viewer(self, request: Request) -> Viewer | None:
        try:
            return self._viewer(request)
        except Exception:  # an error page must render even when the session or database fails
            return None

    def _viewer(self, request: Request) -> Viewer | None:
        session = self.codec.read(request)
        if session is None or session.gebruiker_id is None:
            return None
        with self.state.transaction() as db:
            principal = load_principal(db, session.gebruiker_id)
        return Viewer(principal, session) if principal else None

    def transaction(self):
        return self.state.transaction()

    # --- dependencies ---------------------------------------------------------------------

    def viewer_dependency(self):
        def current(request: Request) -> Viewer:
            viewer = self._viewer(request)
            if viewer is None:
                query = f"?{request.url.query}" if request.url.query else ""
                raise LoginRequired(safe_next(request.url.path + query))
            return viewer

        return current

    def acting_dependency(self):
        async def acting(request: Request) -> Acting:
            session = self.codec.read(request)
            if session is None or session.gebruiker_id is None:
                raise LoginRequired(None)
            form = await request.form()
            if not web_session.csrf_matches(session, form.get(CSRF_FIELD)):
                raise CsrfRejected()
            viewer = await run_in_threadpool(self._viewer, request)
            if viewer is None:
                raise LoginRequired(None)
            return Acting(viewer.principal, viewer.session, form)

        return acting

    # --- exception handlers ---------------------------------------------------------------

    def install_handlers(self, app: FastAPI) -> None:
        async def login_required(request: Request, exc: LoginRequired):
            target = "/inloggen?" + urlencode(
                {"melding": "sessie-verlopen", **({"volgende": exc.volgende} if exc.volgende else {})}
            )
            return RedirectResponse(target, status_code=303)

        async def csrf_rejected(request: Request, exc: CsrfRejected):
            return await run_in_threadpool(
                self.error_page, request, 403, "Formulier niet geaccepteerd",
                "De beveiligingscode van het formulier ontbreekt of klopt niet, bijvoorbeeld "
                "omdat de pagina te lang open stond. Er is niets gewijzigd. Laad de pagina "
                "opnieuw en probeer het nog eens.",
            )

        async def problem(request: Request, exc: Problem):
            return await run_in_threadpool(self.problem_page, request, exc)

        async def invalid_path(request: Request, exc: RequestValidationError):
            return await run_in_threadpool(self.problem_page, request, NotFound("Deze pagina bestaat niet."))

        async def http_error(request: Request, exc: StarletteHTTPException):
            if "text/html" not in request.headers.get("accept", ""):
                # Not a browser: answer as the API does.
                p = Problem(str(exc.detail) if exc.detail else "Fout")
                p.status = exc.status_code
                p.title = {404: "Niet gevonden", 405: "Methode niet toegestaan"}.get(
                    exc.status_code, "Fout"
                )
                p.code = {404: "nietGevonden", 405: "methodeNietToegestaan"}.get(
                    exc.status_code, "fout"
                )
                return problem_response(p)
            if exc.status_code == 404:
                return await run_in_threadpool(
                    self.problem_page, request, NotFound("Deze pagina bestaat niet.")
                )
            return await run_in_threadpool(
                self.error_page, request, exc.status_code, "Dit kan zo niet",
                "Deze pagina kan niet op deze manier worden geopend. Gebruik de knoppen en "
                "links in de pagina's.",
            )

        app.add_exception_handler(LoginRequired, login_required)
        app.add_exception_handler(CsrfRejected, csrf_rejected)
        app.add_exception_handler(Problem, problem)
        app.add_exception_handler(RequestValidationError, invalid_path)
        app.add_exception_handler(StarletteHTTPException, http_error)

    def problem_page(self, request: Request, exc: Problem) -> HTMLResponse:
        titles = {
            404: "Niet gevonden",
            403: "Geen toestemming",
            409: "Dat kan nu niet",
            413: "Te groot",
            429: "Te veel pogingen",
        }
        detail = exc.detail
        if exc.status == 404:
            # The same words whether it does not exist or may not be seen.
            detail = (
                "Deze pagina of overdracht bestaat niet, of u heeft er geen toegang toe. "
                "Controleer het adres of ga terug naar uw overzicht."
            )
        return self.error_page(request, exc.status, titles.get(exc.status, exc.title), detail)

    # --- the routes -----------------------------------------------------------------------

    def _routes(self) -> None:
        r = self.router
        ctx = self.ctx
        Who = Annotated[Viewer, Depends(self.viewer_dependency())]
        Act = Annotated[Acting, Depends(self.acting_dependency())]

        @r.get("/")
        def home(request: Request) -> Response:
            viewer = self._viewer(request)
            if viewer is None:
                return RedirectResponse("/inloggen", status_code=303)
            return RedirectResponse(self.home_of(viewer.principal), status_code=303)

        # --- login and logout -----------------------------------------------------------

        @r.get("/inloggen")
        def login_form(request: Request) -> Response:
            viewer = self._viewer(request)
            if viewer is not None:
                return RedirectResponse(self.home_of(viewer.principal), status_code=303)
            session = self.codec.read(request) or web_session.anonymous()
            if session.logged_in:  # a user who no longer exists or was deactivated
                session = web_session.anonymous()
            response = self.render(
                request, "inloggen.html", session=session,
                volgende=safe_next(request.query_params.get("volgende")) or "",
                waarden={"gebruikersnaam": ""},
            )
            self.codec.write(response, request, session)
            return response

        async def login_post_form(request: Request) -> tuple[WebSession, FormData]:
            session = self.codec.read(request)
            form = await request.form()
            if not web_session.csrf_matches(session, form.get(CSRF_FIELD)):
                raise CsrfRejected()
            assert session is not None
            return session, form

        @r.post("/inloggen")
        def login(
            request: Request,
            posted: Annotated[tuple[WebSession, FormData], Depends(login_post_form)],
        ) -> Response:
            session, form = posted
            naam = _text(form, "gebruikersnaam").strip()[:100]
            wachtwoord = _text(form, "wachtwoord")[:1000]
            volgende = safe_next(_text(form, "volgende"))
            problems = []
            if not naam:
                problems.append(("gebruikersnaam", "verplicht"))
            if not wachtwoord:
                problems.append(("wachtwoord", "verplicht"))
            status = 400
            principal = None
            if not problems:
                address = request.client.host if request.client else None
                wait = self.state.throttle.retry_after(naam, address)
                if wait:
                    minutes = max(1, (wait + 59) // 60)
                    problems.append(
                        ("", f"Te veel mislukte pogingen. Probeer het over {minutes} "
                             f"minuut/minuten opnieuw.")
                    )
                    status = 429
                else:
                    with self.transaction() as db:
                        principal = authenticate_password(db, naam, wachtwoord)
                    if principal is None:
                        self.state.throttle.failed(naam, address)
                        problems.append(("", "De gebruikersnaam of het wachtwoord klopt niet."))
                        status = 401
                    else:
                        self.state.throttle.succeeded(naam)
            if principal is None:
                errors = [
                    FieldError(
                        name, name or "gebruikersnaam",
                        field_message(name, reason) if name else reason,
                    )
                    for name, reason in problems
                ]
                return self.render(
                    request, "inloggen.html", session=session, status=status, errors=errors,
                    volgende=volgende or "", waarden={"gebruikersnaam": naam},
                )
            new = session.logged_in_as(principal.gebruiker_id)
            response = RedirectResponse(volgende or self.home_of(principal), status_code=303)
            self.codec.write(response, request, new)
            return response

        @r.get("/uitloggen")
        def logout_form(request: Request, viewer: Who) -> Response:
            return self.render(request, "uitloggen.html", viewer=viewer)

        @r.post("/uitloggen")
        def logout(request: Request, act: Act) -> Response:
            response = RedirectResponse("/uitgelogd", status_code=303)
            web_session.clear(response, request)
            return response

        @r.get("/uitgelogd")
        def logged_out(request: Request) -> Response:
            return self.render(request, "uitgelogd.html")

        # --- lists ----------------------------------------------------------------------

        @r.get("/overdrachten/inkomend")
        def incoming(request: Request, viewer: Who) -> Response:
            return self.list_page(request, viewer, Richting.INKOMEND)

        @r.get("/overdrachten/uitgaand")
        def outgoing(request: Request, viewer: Who) -> Response:
            return self.list_page(request, viewer, Richting.UITGAAND)

        @r.get("/overdrachten")
        def all_visible(request: Request, viewer: Who) -> Response:
            return self.list_page(request, viewer, None)

        @r.get("/overdrachten/download")
        def download(request: Request, viewer: Who) -> Response:
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
            f = self.parse_filter(request, richting, paged=False)
            try:
                with self.transaction() as db:
                    rows = export_filtered(db, viewer.principal, ctx, f)
            except InvalidRequest as exc:
                return self.list_page(request, viewer, richting, problem=exc)
            name = f"overdrachten-{lijst}-{ctx.today().isoformat()}.{formaat}"
            if formaat == "csv":
                content = to_csv(transfers.EXPORT_COLUMNS, rows)
                media = CSV_MEDIA_TYPE + "; charset=utf-8"
            else:
                content, media = to_xlsx(transfers.EXPORT_COLUMNS, rows), XLSX_MEDIA_TYPE
            return Response(
                content, media_type=media,
                headers={"Content-Disposition": f'attachment; filename="{name}"'},
            )

        # --- search by BSN (POST only) ----------------------------------------------------

        @r.get("/zoeken")
        def search_form(request: Request, viewer: Who) -> Response:
            return self.render(request, "zoeken.html", viewer=viewer, resultaten=None, bsn="")

        @r.post("/zoeken")
        def search(request: Request, act: Act) -> Response:
            bsn = _text(act.form, "bsn").strip().replace(" ", "").replace(".", "")[:20]
            try:
                if not bsn:
                    raise InvalidRequest("Vul een BSN in.", [("bsn", "verplicht")])
                with self.transaction() as db:
                    found = transfers.search_by_bsn(db, act.principal, ctx, bsn)
            except InvalidRequest as exc:
                return self.render(
                    request, "zoeken.html", viewer=act, status=400,
                    errors=errors_of(exc, {"bsn": "bsn"}), resultaten=None, bsn=bsn,
                )
            return self.render(request, "zoeken.html", viewer=act, resultaten=found, bsn=bsn)

        # --- upload ---------------------------------------------------------------------

        @r.get("/aanleveren")
        def upload_form(request: Request, viewer: Who) -> Response:
            self.require_gemeente(viewer)
            return self.render(request, "aanleveren.html", viewer=viewer)

        @r.post("/aanleveren")
        def upload(request: Request, act: Act) -> Response:
            self.require_gemeente(act)
            bestand = act.form.get("bestand")
            try:
                if not isinstance(bestand, UploadFile) or not bestand.filename:
                    raise InvalidRequest("Er is geen bestand gekozen.", [("bestand", "verplicht")])
                limit = self.state.settings.max_upload_bytes
                content = bestand.file.read(limit + 1)
                if len(content) > limit:
                    raise PayloadTooLarge(
                        f"Het bestand is groter dan {limit} bytes; splits het in kleinere bestanden."
                    )
                with self.transaction() as db:
                    check = uploads.check_upload(
                        db, act.principal, content, bestand.filename,
                        register=ctx.register, limits=ctx.limits, now=ctx.now(),
                    )
            except (InvalidRequest, PayloadTooLarge) as exc:
                return self.upload_error(request, act, exc)
            key = (
                self.pending.put(act.principal.gebruiker_id, check.bestandsnaam, content, check.controle)
                if check.geldig
                else ""
            )
            return self.render(
                request, "aanleveren_controle.html", viewer=act, check=check, sleutel=key,
                afgewezen_regels=len(check.afgewezen_regels),
            )

        @r.post("/aanleveren/bevestigen")
        def confirm_upload(request: Request, act: Act) -> Response:
            self.require_gemeente(act)
            key = _text(act.form, "aanlevering")
            pending = self.pending.get(key, act.principal.gebruiker_id) if key else None
            if pending is None or _text(act.form, "controle") != pending.controle:
                return self.upload_error(
                    request, act,
                    InvalidRequest(
                        "De controle van het bestand is verlopen of al gebruikt. Er is niets "
                        "opgeslagen. Kies het bestand opnieuw; het wordt dan opnieuw gecontroleerd."
                    ),
                    status=409,
                )
            try:
                with self.transaction() as db:
                    stored = uploads.store_upload(
                        db, act.principal, pending.content, pending.bestandsnaam, pending.controle,
                        register=ctx.register, limits=ctx.limits, now=ctx.now(),
                    )
            except Problem as exc:
                if exc.status == 404:
                    raise
                self.pending.discard(key)
                return self.upload_error(request, act, exc)
            self.pending.discard(key)
            return self.render(request, "aanleveren_opgeslagen.html", viewer=act, stored=stored)

        # --- one transfer ---------------------------------------------------------------

        @r.get("/overdrachten/{overdracht_id}")
        def detail(request: Request, overdracht_id: OverdrachtId, viewer: Who) -> Response:
            problems: list[tuple[str, str]] = []
            peildatum = parse_date(
                request.query_params.get("peildatum"), "verantwoordelijkPeildatum", problems
            )
            problem = (
                InvalidRequest("De peildatum is ongeldig.", problems) if problems else None
            )
            return self.detail_page(
                request, viewer, overdracht_id, problem=problem, peildatum=peildatum,
                status=400 if problem else 200,
            )

        @r.post("/overdrachten/{overdracht_id}/accepteren")
        def accept(request: Request, overdracht_id: OverdrachtId, act: Act) -> Response:
            problems: list[tuple[str, str]] = []
            versie = _versie(act.form, problems)
            return self.act(
                request, act, overdracht_id, "accepteren", problems,
                lambda db: transfers.accept(db, act.principal, ctx, overdracht_id, versie=versie),
                "geaccepteerd",
            )

        @r.post("/overdrachten/{overdracht_id}/afwijzen")
        def reject(request: Request, overdracht_id: OverdrachtId, act: Act) -> Response:
            problems: list[tuple[str, str]] = []
            versie = _versie(act.form, problems)
            return self.act(
                request, act, overdracht_id, "afwijzen", problems,
                lambda db: transfers.reject(
                    db, act.principal, ctx, overdracht_id,
                    onderbouwing=_text(act.form, "onderbouwing"),
                    gebruik_woonplaatsbeslissing=_text(act.form, "gebruikWoonplaatsbeslissing") == "ja",
                    versie=versie,
                ),
                "afgewezen",
            )

        @r.post("/overdrachten/{overdracht_id}/afronden")
        def complete(request: Request, overdracht_id: OverdrachtId, act: Act) -> Response:
            problems: list[tuple[str, str]] = []
            versie = _versie(act.form, problems)
            ingang = parse_date(
                _text(act.form, "toewijzingIngangsdatum"), "toewijzingIngangsdatum", problems
            )
            return self.act(
                request, act, overdracht_id, "afronden", problems,
                lambda db: transfers.complete(
                    db, act.principal, ctx, overdracht_id,
                    toewijzing_ingangsdatum=ingang,
                    toewijzing_referentie=_text(act.form, "toewijzingReferentie"),
                    versie=versie,
                ),
                "afgerond",
            )

        @r.post("/overdrachten/{overdracht_id}/doorsturen")
        def redirect(request: Request, overdracht_id: OverdrachtId, act: Act) -> Response:
            problems: list[tuple[str, str]] = []
            versie = _versie(act.form, problems)
            return self.act(
                request, act, overdracht_id, "doorsturen", problems,
                lambda db: transfers.redirect(
                    db, act.principal, ctx, overdracht_id,
                    gemeente=_text(act.form, "gemeente"), versie=versie,
                ),
                "doorgestuurd",
                goto=lambda result: result["id"],
            )

        @r.post("/overdrachten/{overdracht_id}/brp-document")
        def attach_brp(request: Request, overdracht_id: OverdrachtId, act: Act) -> Response:
            problems: list[tuple[str, str]] = []
            document: Any = None
            upload = act.form.get("document")
            if not isinstance(upload, UploadFile) or not upload.filename:
                problems.append(("document", "verplicht"))
            else:
                limit = self.state.settings.max_upload_bytes
                raw = upload.file.read(limit + 1)
                if len(raw) > limit:
                    problems.append(("document", f"groter dan {limit} bytes"))
                else:
                    try:
                        document = json.loads(raw.decode("utf-8-sig"))
                    except (UnicodeDecodeError, json.JSONDecodeError):
                        problems.append(("document", "geen geldig JSON-document"))
            return self.act(
                request, act, overdracht_id, "brp", problems,
                lambda db: transfers.attach_brp_document(
                    db, act.principal, ctx, overdracht_id, document
                ),
                "brp-gekoppeld",
            )

        @r.post("/overdrachten/{overdracht_id}/brp-ophalen")
        def fetch_brp(request: Request, overdracht_id: OverdrachtId, act: Act) -> Response:
            problems: list[tuple[str, str]] = []
            peildatum = parse_date(_text(act.form, "peildatum"), "peildatum", problems)
            return self.act(
                request, act, overdracht_id, "brp", problems,
                None,
                "brp-gekoppeld",
                outside=lambda: transfers.fetch_brp(
                    self.state.factory, act.principal, ctx, overdracht_id, peildatum or ctx.today()
                ),
            )

        @r.post("/overdrachten/{overdracht_id}/woonplaatstoets")
        def decide(request: Request, overdracht_id: OverdrachtId, act: Act) -> Response:
            problems: list[tuple[str, str]] = []
            peildatum = parse_date(_text(act.form, "peildatum"), "peildatum", problems)
            with self.transaction() as db:  # a transfer the user may not see is a 404 here
                wet = transfers.get_visible(db, act.principal, overdracht_id).wet
            if wet == WET_WMO_BW:
                wmo = wmo_facts_of(act.form, problems)
                return self.act(
                    request, act, overdracht_id, "woonplaats", problems,
                    lambda db: decide_wmo_from_form(lambda: transfers.decide_woonplaats(
                        db, act.principal, ctx, overdracht_id, peildatum=peildatum, wmo=wmo
                    )),
                    "woonplaats-bepaald",
                )
            # A Jeugdwet transfer: Wmo facts posted anyway are refused, not ignored.
            problems += [
                (name, "alleen voor een overdracht beschermd wonen (wet wmo-bw); dit is een "
                 "overdracht onder de Jeugdwet")
                for name in WMO_FORM_FIELDS if _text(act.form, name).strip()
            ]
            return self.act(
                request, act, overdracht_id, "woonplaats", problems,
                lambda db: transfers.decide_woonplaats(
                    db, act.principal, ctx, overdracht_id, peildatum=peildatum
                ),
                "woonplaats-bepaald",
            )

        @r.post("/overdrachten/{overdracht_id}/taken/{taakcode}")
        def mark(
            request: Request,
            overdracht_id: OverdrachtId,
            taakcode: Annotated[str, PathParam(max_length=64, pattern=r"^[a-z_.]+$")],
            act: Act,
        ) -> Response:
            gedaan = _text(act.form, "gedaan") == "ja"
            terug = _text(act.form, "terug")
            melding = "taak-gedaan" if gedaan else "taak-open"
            if terug == "taken":
                with self.transaction() as db:
                    transfers.mark_task(db, act.principal, ctx, overdracht_id, taakcode, gedaan)
                return RedirectResponse(f"/taken?melding={melding}", status_code=303)
            return self.act(
                request, act, overdracht_id, "taken", [],
                lambda db: transfers.mark_task(
                    db, act.principal, ctx, overdracht_id, taakcode, gedaan
                ),
                melding,
            )

        # --- tasks and overview ---------------------------------------------------------

        @r.get("/taken")
        def task_list(request: Request, viewer: Who) -> Response:
            welke = request.query_params.get("welke", "open")
            if welke not in ("alle", "open", "te_laat"):
                welke = "open"
            with self.transaction() as db:
                items = transfers.task_list(
                    db, viewer.principal, ctx,
                    alleen_open=welke == "open", alleen_te_laat=welke == "te_laat",
                )
            groups: dict[str, list[dict]] = {}
            for item in items:
                groups.setdefault(item["partij"], []).append(item)
            ordered = [(p, groups[p]) for p in PARTIJ_LABELS if p in groups]
            return self.render(
                request, "taken.html", viewer=viewer, groepen=ordered, welke=welke,
                aantal=len(items), te_laat=sum(1 for t in items if t.get("teLaat")),
                kan_afvinken=lambda taak: self.can_mark(viewer.principal, taak),
            )

        @r.get("/overzicht")
        def overview(request: Request, viewer: Who) -> Response:
            with self.transaction() as db:
                data = transfers.overview(db, viewer.principal, ctx)
            statuses = [s.value for s in Status]
            return self.render(
                request, "overzicht.html", viewer=viewer, overzicht=data, statussen=statuses
            )

    # --- page builders --------------------------------------------------------------------

    def home_of(self, principal: Principal) -> str:
        return "/overdrachten/inkomend" if principal.is_gemeente else "/overdrachten"

    def require_gemeente(self, viewer: Viewer) -> None:
        if not viewer.principal.is_gemeente:
            raise NotFound("Deze pagina bestaat niet.")

    @staticmethod
    def can_mark(principal: Principal, taak: dict) -> bool:
        if taak.get("partij") == "aanbieder":
            return principal.is_aanbieder
        gemeente = (taak.get("gemeente") or {}).get("code")
        return principal.is_gemeente and gemeente == principal.code

    def parse_filter(self, request: Request, richting: Richting | None, *, paged: bool = True) -> TransferFilter:
        params = request.query_params
        problems: list[tuple[str, str]] = []
        statuses: list[Status] = []
        for raw in params.getlist("status"):
            try:
                statuses.append(Status(raw))
            except ValueError:
                problems.append(("status", "onbekende status"))
        gemeente = (params.get("gemeente") or "").strip() or None
        van = parse_date(params.get("van"), "aanleverdatumVan", problems)
        tot = parse_date(params.get("tot"), "aanleverdatumTot", problems)
        pagina = 1
        if paged:
            raw_page = params.get("pagina", "1")
            if raw_page.isdigit() and 1 <= int(raw_page) <= 1_000_000:
                pagina = int(raw_page)
            else:
                problems.append(("pagina", "moet een getal van 1 of hoger zijn"))
        return TransferFilter(
            richting=richting,
            statussen=tuple(statuses),
            gemeente=gemeente,
            aanleverdatum_van=van,
            aanleverdatum_tot=tot,
            pagina=pagina,
            pagina_grootte=PAGE_SIZE,
            problems=tuple(problems),
        )

    def list_page(
        self,
        request: Request,
        viewer: Viewer,
        richting: Richting | None,
        problem: Problem | None = None,
    ) -> Response:
        if richting is not None and not viewer.principal.is_gemeente:
            raise NotFound("Deze lijst bestaat niet.")
        f = self.parse_filter(request, richting)
        page = None
        try:
            if problem is not None:
                raise problem
            with self.transaction() as db:
                page = list_filtered(db, viewer.principal, self.ctx, f)
        except InvalidRequest as exc:
            problem = exc
        with self.transaction() as db:
            codes = other_gemeenten(db, viewer.principal, richting)
        lijst = richting.value if richting else "alle"
        params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("pagina", "melding")]
        titles = {
            "inkomend": "Inkomende overdrachten",
            "uitgaand": "Uitgaande overdrachten",
            "alle": "Mijn cliënten" if viewer.principal.is_aanbieder else "Overdrachten",
        }
        gemeente_labels = {
            "inkomend": "Latende gemeente",
            "uitgaand": "Ontvangende gemeente",
            "alle": "Gemeente (latend of ontvangend)",
        }
        anchors = {
            "status": "status-aangeleverd",
            "gemeente": "gemeente",
            "aanleverdatumVan": "van",
            "aanleverdatumTot": "tot",
            "pagina": "resultaten",
        }
        pages = 0
        if page is not None:
            pages = max(1, -(-page.totaal // page.pagina_grootte))
        return self.render(
            request, "overdrachten.html", viewer=viewer,
            status=problem.status if problem else 200,
            errors=errors_of(problem, anchors) if problem else (),
            titel=titles[lijst], lijst=lijst, pagina=page, paginas=pages, filter=f,
            gemeente_label=gemeente_labels[lijst],
            gemeenten=[(c, self.gemeente_label(c)) for c in codes],
            gekozen_statussen={s.value for s in f.statussen},
            waarden={
                "gemeente": request.query_params.get("gemeente", ""),
                "van": request.query_params.get("van", ""),
                "tot": request.query_params.get("tot", ""),
            },
            query_zonder_pagina=urlencode(params),
            download_query=urlencode([("lijst", lijst), *[(k, v) for k, v in params if k != "formaat"]]),
        )

    DETAIL_ANCHORS = {
        "onderbouwing": "onderbouwing",
        "gebruikWoonplaatsbeslissing": "gebruikWoonplaatsbeslissing",
        "toewijzingIngangsdatum": "toewijzingIngangsdatum",
        "toewijzingReferentie": "toewijzingReferentie",
        "gemeente": "doorsturen-gemeente",
        "document": "brp-document",
        "brp": "brp-document",
        "jeugdige.burgerservicenummer": "brp-document",
        "peildatum": "woonplaats-peildatum",
        "verantwoordelijkPeildatum": "verantwoordelijk-peildatum",
        "versie": "acties",
        **{name: f"wmo-{name}" for name in WMO_FORM_FIELDS},
    }
    FORM_ANCHORS = {
        "accepteren": "acties",
        "afwijzen": "afwijzen",
        "afronden": "afronden",
        "doorsturen": "doorsturen",
        "brp": "woonplaatstoets",
        "woonplaats": "woonplaatstoets",
        "taken": "taken",
    }

    def act(
        self,
        request: Request,
        act: Acting,
        overdracht_id: int,
        form_name: str,
        own_problems: list[tuple[str, str]],
        run: Callable[[Any], Any] | None,
        melding: str,
        *,
        goto: Callable[[Any], int] | None = None,
        outside: Callable[[], Any] | None = None,
    ) -> Response:
        """Carry out one action on a transfer through the service, then show the result.

        Success: redirect (303) to the transfer with a message code. A refusal the user can
        act on (invalid input, a conflict with the current state, not this party's action,
        BRP unavailable): the transfer page again with the errors and the values typed.
        Not visible: the 404 page, as for any transfer the user may not see.
        """
        problem: Problem | None = None
        result: Any = None
        try:
            if own_problems:
                # Run the service anyway (it may know more errors), but never let it act.
                problem = merge_errors(own_problems, self._dry_problem(act, overdracht_id, run))
            elif outside is not None:
                result = outside()
            else:
                assert run is not None
                with self.transaction() as db:
                    result = run(db)
        except NotFound:
            raise
        except Problem as exc:
            problem = exc
        if problem is not None:
            return self.detail_page(
                request, act, overdracht_id, problem=problem, form=act.form, open_form=form_name,
                status=problem.status,
            )
        target = goto(result) if goto else overdracht_id
        return RedirectResponse(f"/overdrachten/{target}?melding={melding}", status_code=303)

    def _dry_problem(self, act: Acting, overdracht_id: int, run) -> Problem | None:
        """What the service says about the input, in a transaction that is always rolled back."""
        if run is None:
            return None
        with self.state.factory() as db:
            try:
                run(db)
            except Problem as exc:
                if isinstance(exc, NotFound):
                    raise
                return exc
            finally:
                db.rollback()
        return None

    def detail_page(
        self,
        request: Request,
        viewer: Viewer,
        overdracht_id: int,
        *,
        problem: Problem | None = None,
        form: FormData | None = None,
        open_form: str | None = None,
        peildatum: date | None = None,
        status: int = 200,
    ) -> Response:
        with self.transaction() as db:
            view = transfers.read_transfer(db, viewer.principal, self.ctx, overdracht_id)
            op_peildatum = (
                transfers.read_responsibility(db, viewer.principal, self.ctx, overdracht_id, peildatum)
                if peildatum
                else None
            )
        anchors = dict(self.DETAIL_ANCHORS)
        anchors[""] = self.FORM_ANCHORS.get(open_form or "", "acties")
        values = {k: v for k, v in (form or FormData()).items() if isinstance(v, str) and k != CSRF_FIELD}
        today = self.ctx.today()
        gemeenten = []
        if "doorsturen" in view["mogelijkeActies"]:
            skip = {RNI_CODE, UNKNOWN_CODE, view["latendeGemeente"]["code"],
                    view["ontvangendeGemeente"]["code"]}
            gemeenten = [(g.code, g.naam) for g in self.ctx.register.on(today) if g.code not in skip]
        taken_groepen: dict[str, list[dict]] = {}
        for taak in view["taken"]:
            taken_groepen.setdefault(taak["partij"], []).append(taak)
        return self.render(
            request, "overdracht.html", viewer=viewer, status=status,
            errors=errors_of(problem, anchors) if problem else (),
            probleem=problem, o=view, waarden=values, open_form=open_form or "",
            op_peildatum=op_peildatum,
            peildatum_waarde=request.query_params.get("peildatum", ""),
            doorstuur_gemeenten=gemeenten,
            brp_ophalen=self.state.settings.brp_configured,
            taken_groepen=[(p, taken_groepen[p]) for p in PARTIJ_LABELS if p in taken_groepen],
            kan_afvinken=lambda taak: self.can_mark(viewer.principal, taak),
        )

    def upload_error(
        self, request: Request, viewer: Viewer, exc: Problem, status: int | None = None
    ) -> Response:
        # Every problem of an upload (a missing column, an unreadable file) is about the
        # file, so each one links to the file field.
        def message(name: str, reason: str) -> str:
            if name in uploads.COLUMNS:
                return f"Kolom {name}: {reason}"
            return field_message(name, reason) if name in FIELD_LABELS else f"{name}: {reason}"

        errors = [
            FieldError("bestand", "bestand", message(name, reason))
            for name, reason in exc.invalid_params
        ] or [FieldError("bestand", "bestand", exc.detail)]
        return self.render(
            request, "aanleveren.html", viewer=viewer, status=status or exc.status,
            errors=errors, probleem=exc.detail if exc.invalid_params else "",
        )


def install(app: FastAPI, state: ServiceState) -> Pages:
    """Add the web pages, their static files and their error pages to ``app``."""
    pages = Pages(state)
    app.state.wpb_pages = pages
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.include_router(pages.router)
    from wpb.service import pages_berichten, pages_verrekening  # they build on Pages

    app.include_router(pages_berichten.router(pages))
    app.include_router(pages_verrekening.router(pages))
    pages.install_handlers(app)
    return pages


__all__ = ["Pages", "install"]
