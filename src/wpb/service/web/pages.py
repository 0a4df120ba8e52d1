"""The base of the web pages: Dutch, server-rendered with Jinja2, no JavaScript needed.

This module holds what every page shares (templates, rendering, error pages, who is looking,
the session codec); each component keeps its own pages in ``components/<name>/pages.py``
and the login pages are :mod:`wpb.service.auth.pages`.

``create_app`` (wpb.service.app) calls :func:`install` with the application and its
:class:`~wpb.service.state.ServiceState`; the pages then use the same database, rule context
and login throttle as the REST API, and every page calls the same service functions
of the components, so tenancy, the state machines and the audit log hold whichever way a user comes in. The pages add no rules of their own.

The pages of the transfers are listed in :mod:`wpb.service.components.overdrachten.pages`.

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

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException

from wpb.service import text_guard
from wpb.service.auth import sessions, web_session
from wpb.service.auth.principal import Principal, load_principal
from wpb.service.auth.web_session import CSRF_FIELD, SessionCodec, WebSession
from wpb.service.errors import (
    NotFound,
    Problem,
)
from wpb.service.problems import problem_response
from wpb.service.state import ServiceState
from wpb.service.web.dutch import count, dutch_date, dutch_moment, dutch_month, yes_no
from wpb.service.web.forms import FieldError, first_per_field, safe_next
from wpb.service.web.labels import (
    DECISION_STATUS_LABELS,
    EVENT_LABELS,
    MELDINGEN,
    PARTIJ_LABELS,
    STATUS_LABELS,
    TAAK_STATUS_LABELS,
    WET_LABELS,
)

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
PAGE_SIZE = 50

log = logging.getLogger("wpb.service.pages")  # the name log configurations know


# --- errors and their display ---------------------------------------------------------------


class LoginRequired(Exception):
    """No valid session: a GET goes to the login page and comes back afterwards."""

    def __init__(self, volgende: str | None):
        super().__init__("login required")
        self.volgende = volgende


class CsrfRejected(Exception):
    """A form without the session's CSRF token."""




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




# --- the pages ------------------------------------------------------------------------------


class Pages:
    def __init__(self, state: ServiceState):
        self.state = state
        self.ctx = state.ctx
        self.codec = SessionCodec(state.settings.resolved_secret_key())
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
            ja_nee=yes_no,
            maand=dutch_month,
            aantal=count,
            gebeurtenis_label=lambda s: EVENT_LABELS.get(s, s.capitalize()),
            wet_label=lambda w: WET_LABELS.get(w, w),
        )
        self.env.globals.update(STATUS_LABELS=STATUS_LABELS)


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
                ("Cliëntenbestand", "/clientenbestand"),
                ("Signalen", "/signalen"),
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
            "field_errors": first_per_field(errors),
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
            # The server-side session must still exist: logging out ends every copy (S7).
            if not sessions.active(db, session.sessie, session.gebruiker_id):
                return None
            principal = load_principal(db, session.gebruiker_id)
        return Viewer(principal, session) if principal else None

    def transaction(self):
        return self.state.transaction()

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


    # --- page builders --------------------------------------------------------------------

    def home_of(self, principal: Principal) -> str:
        return "/overdrachten/inkomend" if principal.is_gemeente else "/overdrachten"

    def require_gemeente(self, viewer: Viewer) -> None:
        if not viewer.principal.is_gemeente:
            raise NotFound("Deze pagina bestaat niet.")



# --- dependencies: the pages, the viewer and the acting user ---------------------------------


def get_pages(request: Request) -> Pages:
    return request.app.state.wpb_pages


Web = Annotated[Pages, Depends(get_pages)]


def current_viewer(request: Request, pages: Web) -> Viewer:
    """The logged-in user looking at a page; otherwise to the login page and back."""
    viewer = pages._viewer(request)
    if viewer is None:
        query = f"?{request.url.query}" if request.url.query else ""
        raise LoginRequired(safe_next(request.url.path + query))
    return viewer


async def acting_user(request: Request, pages: Web) -> Acting:
    """The logged-in user posting a form with the session's CSRF token."""
    session = pages.codec.read(request)
    if session is None or session.gebruiker_id is None:
        raise LoginRequired(None)
    form = await request.form()
    if not web_session.csrf_matches(session, form.get(CSRF_FIELD)):
        raise CsrfRejected()
    viewer = await run_in_threadpool(pages._viewer, request)
    if viewer is None:
        raise LoginRequired(None)
    text_guard.refuse(text_guard.fields_problems(form.multi_items()))  # S5: 400 naming the field
    return Acting(viewer.principal, viewer.session, form)


Who = Annotated[Viewer, Depends(current_viewer)]
Act = Annotated[Acting, Depends(acting_user)]


def install(app: FastAPI, state: ServiceState) -> Pages:
    """Put the pages' shared parts (templates, session codec) on ``app`` with the static files.

    The app factory then includes the pages' routers and, last, :meth:`Pages.install_handlers`.
    """
    pages = Pages(state)
    app.state.wpb_pages = pages
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        # Browsers ask for /favicon.ico before reading the page's <link rel="icon">.
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml",
                            headers={"Cache-Control": "public, max-age=86400"})

    return pages


__all__ = ["Act", "Pages", "Web", "Who", "install"]
