"""The application factory: the REST API (FastAPI, NL GOV API Design Rules) and the web pages.

- Base path ``/api/v1`` (a mounted sub-application, so the OpenAPI document's server is
  ``/api/v1``); the document itself is at ``/api/v1/openapi.json``, readable without
  login and from any origin (:mod:`wpb.service.openapi`), and as a page at
  ``/api/v1/docs`` (:mod:`wpb.service.api_docs`, rendered on the server, no CDN).
- Every response carries ``API-Version`` (and the security headers of the ADR,
  :mod:`wpb.service.security`); errors are problem+json (:mod:`wpb.service.api_base`).
- Authentication: ``Authorization: Bearer <token>``; tokens come from ``POST /tokens``
  (:mod:`wpb.service.auth.bearer`).
- Each component brings its own module-level router (``components/<name>/api.py``); the
  routes get the shared :class:`~wpb.service.state.ServiceState` through dependencies.

``create_app(settings)`` builds the whole web application; the web pages
(:mod:`wpb.service.web.pages`) use the same state (session factory, context, login
throttle).
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from wpb.refdata import gemeente_register
from wpb.service import api_docs, security
from wpb.service.api_base import (
    API_PREFIX,
    API_VERSION,
    HTTP_TITLES,
    HeadersMiddleware,
    ProblemRoute,
    install_error_handlers,
)
from wpb.service.audit import trail as audit
from wpb.service.auth import pages as auth_pages
from wpb.service.auth.token_cache import TokenCache
from wpb.service.clock import Clock, system_clock
from wpb.service.components.beheer.api import router as beheer_api
from wpb.service.components.berichten import pages as berichten_pages
from wpb.service.components.berichten import pages_instemming
from wpb.service.components.berichten import ports as berichten_ports
from wpb.service.components.berichten.api import router as berichten_api
from wpb.service.components.clientenbestand import bestand as caseload_file
from wpb.service.components.clientenbestand import pages as clientenbestand_pages
from wpb.service.components.clientenbestand.api import router as clientenbestand_api
from wpb.service.components.clientenbestand.register import huidige_toewijzingen
from wpb.service.components.overdrachten import overview_pages
from wpb.service.components.overdrachten import pages as overdracht_pages
from wpb.service.components.overdrachten import ui as transfer_ui
from wpb.service.components.overdrachten.api import router as overdrachten_api
from wpb.service.components.verrekening import pages as verrekening_pages
from wpb.service.components.verrekening import ui as verrekening_ui
from wpb.service.components.verrekening.api import router as verrekening_api
from wpb.service.components.verrekening.geschillen import open_geschil_for_bezwaar, public_id_of
from wpb.service.context import Context
from wpb.service.db import make_engine, make_sessionmaker
from wpb.service.errors import Problem
from wpb.service.openapi import contact_of, openapi_document
from wpb.service.problems import problem_response
from wpb.service.settings import Settings
from wpb.service.state import ServiceState
from wpb.service.web import pages as web_pages

# Room for multipart framing on top of the largest accepted file.
_BODY_OVERHEAD = 64 * 1024


def wire_ports() -> None:
    """Plug the components into each other's ports: berichten reads the caseload of
    clientenbestand as its register of current toewijzingen, and an objection to a reden-8
    answer opens a geschil of verrekening (docs/architecture.md: only the assembly brings
    components together)."""
    berichten_ports.wire(toewijzingen=huidige_toewijzingen, geschil=open_geschil_for_bezwaar,
                         geschil_naam=public_id_of)


def build_api(state: ServiceState) -> FastAPI:
    """The REST API as an application of its own (mounted under /api/v1)."""
    api = FastAPI(
        title="wpb overdrachten-API",
        version=API_VERSION,
        description=(
            "Overdracht van jeugdigen tussen gemeenten onder het woonplaatsbeginsel van de "
            "Jeugdwet: aanleveren, accepteren, afwijzen met onderbouwing, afronden en "
            "doorsturen; de 1-november-maatregel en de taken per partij; iJw-berichten en de "
            "verrekening tussen gemeenten."
        ),
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        contact=contact_of(state.settings),
        license_info={"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"},
        openapi_tags=[
            {"name": "toegang", "description": "API-tokens en het eigen profiel."},
            {"name": "overdrachten", "description": "Overdrachten zien, zoeken, downloaden en behandelen."},
            {"name": "aanleveringen", "description": "Jeugdigen aanleveren met een CSV- of XLSX-bestand."},
            {"name": "woonplaatstoets", "description": "BRP-gegevens koppelen en de woonplaats bepalen."},
            {"name": "1-november-maatregel", "description": "Verantwoordelijkheid en taken per partij."},
            {"name": "berichten", "description": "iJw 3.2-berichten indienen, lezen en beantwoorden."},
            {"name": "clientenbestand", "description": (
                "Het cliëntenbestand van een gemeente, de BRP-gegevens daarvan, de "
                "woonplaatscheck en de signalen."
            )},
            {"name": "verrekening", "description": (
                "Betaalde facturen, claims tussen gemeenten, salderingen, overzichten, "
                "vangnet, compensatieregeling en geschillen."
            )},
        ],
        generate_unique_id_function=lambda route: route.name,
    )
    api.state.wpb = state
    api.router.route_class = ProblemRoute
    api.router.redirect_slashes = False
    install_error_handlers(api)
    # In the order of the published document: tokens, transfers, iJw messages, settlement.
    for router in (beheer_api, overdrachten_api, berichten_api, verrekening_api, clientenbestand_api):
        api.include_router(router)
    api.openapi = lambda: openapi_document(api)  # type: ignore[method-assign]
    api_docs.install(api, API_PREFIX)
    return api


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    engine: Engine | None = None,
    brp_transport=None,
    pages: bool = True,
    seal_audit: bool = True,
) -> FastAPI:
    """The web application: the REST API under /api/v1 and the web pages.

    The database must already be migrated (``wpb db upgrade``; ``wpb serve`` does it).
    ``pages=False`` leaves the pages out (API-only deployments and the API's own tests).
    ``seal_audit=False`` runs no audit sealer (tests that count every statement; entries
    then wait for ``wpb audit seal`` or another process's sealer).
    """
    settings = settings or Settings.from_env()
    wire_ports()
    engine = engine or make_engine(settings.database_url)
    state = ServiceState(
        settings=settings,
        engine=engine,
        factory=make_sessionmaker(engine),
        tokens=TokenCache(settings.token_cache_seconds),
        ctx=Context(
            settings=settings,
            register=gemeente_register(),
            clock=clock or system_clock,
            brp_transport=brp_transport,
        ),
    )

    sealer = audit.AuditSealer(state.factory, audit.current_key(settings))

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        if seal_audit:
            sealer.start()
        yield
        if seal_audit:
            sealer.stop()  # seals what is still waiting
        engine.dispose()

    app = FastAPI(
        title="wpb", version=API_VERSION, docs_url=None, redoc_url=None, openapi_url=None,
        lifespan=lifespan,
    )
    app.state.wpb = state
    app.router.redirect_slashes = False
    app.mount(API_PREFIX, build_api(state))
    # The caseload upload (API and page) has its own, larger bound (a large city's 100,000
    # rows); every other route keeps the upload limit, and each route checks its own file too.
    caseload_bound = caseload_file.MAX_BYTES + _BODY_OVERHEAD
    app.add_middleware(
        HeadersMiddleware, max_body=settings.max_upload_bytes + _BODY_OVERHEAD,
        larger=((f"{API_PREFIX}/clientenbestand", caseload_bound), ("/clientenbestand", caseload_bound)),
    )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException):
        title, code, detail = HTTP_TITLES.get(exc.status_code, ("Fout", "fout", "Fout"))
        problem = Problem(detail)
        problem.status, problem.title, problem.code = exc.status_code, title, code
        return problem_response(problem)

    # The web pages build on the same state. They are
    # added last so that they may override the handlers above for their own routes.
    if pages:
        shared = web_pages.install(app, state)
        for component in (transfer_ui, berichten_pages, verrekening_ui, clientenbestand_pages):
            component.install(app, shared)
        for router in (
            auth_pages.router, overdracht_pages.router, overview_pages.router, berichten_pages.router,
            pages_instemming.router,
            verrekening_pages.router, clientenbestand_pages.router,
        ):
            app.include_router(router)
        shared.install_handlers(app)
    else:

        @app.get("/", include_in_schema=False)
        def root() -> dict:
            return {"api": f"{API_PREFIX}/openapi.json"}

    # The security headers of every response (wpb.service.security).
    security.install(app)
    if settings.trusted_proxies:
        # Outermost: X-Forwarded-For and -Proto are believed only from the configured proxies
        # (WPB_TRUSTED_PROXIES), so the login delays see the real client address behind a
        # municipal proxy and nobody else can choose the address they are counted under.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))
    return app



__all__ = ["API_PREFIX", "API_VERSION", "build_api", "create_app"]
