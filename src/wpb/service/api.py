"""The REST API of the transfer service (FastAPI), following the NL GOV API Design Rules.

- Base path ``/api/v1`` (a mounted sub-application, so the OpenAPI document's server is
  ``/api/v1``); the document itself is at ``/api/v1/openapi.json``, readable without
  login and from any origin.
- Every response carries ``API-Version`` (and the security headers of the ADR).
- Errors are ``application/problem+json`` with ``status``, ``title``, ``detail``, a ``code``
  and, for invalid input, ``invalidParams`` listing every invalid field at once; FastAPI's
  own validation errors are turned into the same shape with status 400. Unexpected errors
  answer 500 without details, and are logged without their message (which could hold
  personal data).
- No BSN or other personal data in any URL: search by BSN is ``POST .../_zoek``.
- Authentication: ``Authorization: Bearer <token>``; tokens come from ``POST /tokens``.
- Paths use kebab-case; operations on a transfer are sub-resources (``acceptatie``,
  ``afwijzing``, ``afronding``, ``doorzending``).

``create_app(settings)`` builds the whole web application. When the module
``wpb.service.pages`` exists, its ``install(app, state)`` is called to add the web pages
on top of the same :class:`ServiceState` (session factory, context, login throttle).
"""


import importlib
import importlib.util
import logging
import traceback
from collections.abc import Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import Body, Depends, FastAPI, File, Form, Path, Query, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from wpb.refdata import gemeente_register
from wpb.service import audit, schemas, transfers, uploads
from wpb.service.berichten_api import berichten_router
from wpb.service.clock import Clock, system_clock, utc_naive
from wpb.service.context import Context
from wpb.service.db import make_engine, make_sessionmaker, transaction
from wpb.service.errors import (
    InvalidRequest,
    PayloadTooLarge,
    Problem,
    TooManyRequests,
    Unauthorized,
)
from wpb.service.exports import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, to_csv, to_xlsx
from wpb.service.settings import Settings
from wpb.service.tenancy import (
    Principal,
    authenticate_password,
    check_token,
    issue_token,
    revoke_token,
)
from wpb.service.throttle import LoginThrottle
from wpb.service.token_cache import TokenCache
from wpb.service.verrekening_api import verrekening_router

API_VERSION = "1.0.0"
API_PREFIX = "/api/v1"
PROBLEM_JSON = "application/problem+json"
# Room for multipart framing on top of the largest accepted file.
_BODY_OVERHEAD = 64 * 1024

log = logging.getLogger("wpb.service")


@dataclass
class ServiceState:
    """What the API and the pages share: settings, database, rule context, login throttle."""

    settings: Settings
    engine: Engine
    factory: sessionmaker[Session]
    ctx: Context
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    tokens: TokenCache = field(default_factory=lambda: TokenCache(0))

    def transaction(self):
        return transaction(self.factory)


# --- errors as problem+json -----------------------------------------------------------------


def problem_response(problem: Problem) -> JSONResponse:
    headers = {}
    if problem.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="wpb"'
    if isinstance(problem, TooManyRequests):
        headers["Retry-After"] = str(problem.retry_after)
    return JSONResponse(
        problem.to_json(), status_code=problem.status, media_type=PROBLEM_JSON, headers=headers
    )


class _InternalError(Problem):
    status = 500
    title = "Interne fout"
    code = "interneFout"


class _Unavailable(Problem):
    status = 503
    title = "Tijdelijk niet beschikbaar"
    code = "nietBeschikbaar"


_HTTP_TITLES = {
    404: ("Niet gevonden", "nietGevonden", "Deze URL bestaat niet."),
    405: ("Methode niet toegestaan", "methodeNietToegestaan", "Deze methode kan hier niet."),
    413: ("Te groot", "teGroot", "Het verzoek is te groot."),
}


def _validation_problem(exc: RequestValidationError) -> InvalidRequest:
    params = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ()) if part not in ("body",)]
        name = ".".join(location) or "body"
        # The message only: pydantic's "input" may hold personal data.
        params.append((name, str(error.get("msg", "ongeldig"))))
    return InvalidRequest("De invoer is ongeldig; zie invalidParams voor elk veld.", params)


class ProblemRoute(APIRoute):
    """Turns every unexpected exception of a route into a plain 500/503 problem.

    Starlette's own error handler re-raises the exception so the server logs it with its
    message; messages of database errors can hold personal data, so they stop here and
    only the exception class and the code location are logged.
    """

    def get_route_handler(self) -> Callable:
        original = super().get_route_handler()
        path = self.path

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except (Problem, StarletteHTTPException, RequestValidationError):
                raise
            except (OperationalError, DBAPIError) as exc:
                if isinstance(exc, OperationalError) or exc.connection_invalidated:
                    log.warning("database niet beschikbaar (%s) bij %s %s",
                                type(exc.orig).__name__ if exc.orig else type(exc).__name__,
                                request.method, path)
                    return problem_response(
                        _Unavailable("De database is tijdelijk niet bereikbaar; probeer het zo opnieuw.")
                    )
                _log_unexpected(exc, request.method, path)
                return problem_response(_InternalError("Er ging iets mis; het is gelogd."))
            except Exception as exc:
                _log_unexpected(exc, request.method, path)
                return problem_response(_InternalError("Er ging iets mis; het is gelogd."))

        return handler


def _log_unexpected(exc: BaseException, method: str, path: str) -> None:
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("onverwachte fout %s bij %s %s\n%s", type(exc).__name__, method, path, frames)


def _install_error_handlers(api: FastAPI) -> None:
    @api.exception_handler(Problem)
    async def _problem(_request: Request, exc: Problem):
        return problem_response(exc)

    @api.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError):
        return problem_response(_validation_problem(exc))

    @api.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException):
        title, code, detail = _HTTP_TITLES.get(
            exc.status_code, ("Fout", "fout", str(exc.detail) if exc.detail else "Fout")
        )
        if exc.status_code == 400:
            title, code, detail = "Ongeldig verzoek", "ongeldig", "Het verzoek kan niet gelezen worden."
        problem = Problem(detail)
        problem.status, problem.title, problem.code = exc.status_code, title, code
        response = problem_response(problem)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response


def _problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "Ongeldige invoer; invalidParams noemt elk veld.",
        401: "Niet ingelogd of token ongeldig.",
        403: "Geen toestemming voor deze actie.",
        404: "Bestaat niet of is niet zichtbaar voor u.",
        409: "Conflict met de huidige status of versie.",
        413: "Bestand of verzoek te groot.",
        429: "Te veel mislukte pogingen.",
        502: "De BRP antwoordde niet bruikbaar.",
        503: "Tijdelijk niet beschikbaar of niet ingesteld.",
    }
    return {
        s: {"description": descriptions[s], "model": schemas.ProblemDetails,
            "content": {PROBLEM_JSON: {}}}
        for s in statuses
    }


# --- headers on every response --------------------------------------------------------------


class HeadersMiddleware:
    """Adds API-Version to every response; refuses oversized bodies (by their
    Content-Length) and API bodies sent without a length. The security headers are
    :mod:`wpb.service.security`'s."""

    def __init__(self, app, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        is_api = path.startswith(API_PREFIX)
        request_headers = dict(scope.get("headers") or ())
        length = request_headers.get(b"content-length")
        chunked = b"chunked" in request_headers.get(b"transfer-encoding", b"").lower()
        if is_api and length is None and chunked:
            # Without a length the size limit could only be found out by reading it all.
            problem = Problem("Stuur de lengte van het verzoek mee (Content-Length).")
            problem.status, problem.title, problem.code = 411, "Lengte vereist", "lengteVereist"
            await self._with_headers(problem_response(problem), scope, receive, send, is_api, path)
            return
        if length is not None:
            try:
                too_big = int(length) > self.max_body
            except ValueError:
                too_big = False
            if too_big:
                response = problem_response(
                    PayloadTooLarge(f"Het verzoek is groter dan {self.max_body} bytes.")
                )
                await self._with_headers(response, scope, receive, send, is_api, path)
                return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for key, value in _extra_headers(is_api, path):
                    if key.lower().encode() not in present:
                        headers.append((key.encode(), value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _with_headers(self, response, scope, receive, send, is_api, path):
        for key, value in _extra_headers(is_api, path):
            response.headers.setdefault(key, value)
        await response(scope, receive, send)


def _extra_headers(is_api: bool, path: str) -> list[tuple[str, str]]:
    # The security headers are set once, by the outermost layer (wpb.service.security).
    headers = [("API-Version", API_VERSION)]
    if path == f"{API_PREFIX}/openapi.json":
        headers.append(("Access-Control-Allow-Origin", "*"))
    return headers


# --- the API --------------------------------------------------------------------------------


_bearer = HTTPBearer(auto_error=False, description="API-token uit POST /tokens.")

OverdrachtId = Annotated[int, Path(ge=1, le=2_147_483_647, description="Nummer van de overdracht.")]


def build_api(state: ServiceState) -> FastAPI:
    ctx = state.ctx
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
        contact=_contact(state.settings),
        license_info={"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"},
        openapi_tags=[
            {"name": "toegang", "description": "API-tokens en het eigen profiel."},
            {"name": "overdrachten", "description": "Overdrachten zien, zoeken, downloaden en behandelen."},
            {"name": "aanleveringen", "description": "Jeugdigen aanleveren met een CSV- of XLSX-bestand."},
            {"name": "woonplaatstoets", "description": "BRP-gegevens koppelen en de woonplaats bepalen."},
            {"name": "1-november-maatregel", "description": "Verantwoordelijkheid en taken per partij."},
            {"name": "berichten", "description": "iJw 3.2-berichten indienen, lezen en beantwoorden."},
            {"name": "verrekening", "description": (
                "Betaalde facturen, claims tussen gemeenten, salderingen, overzichten, "
                "vangnet, compensatieregeling en geschillen."
            )},
        ],
        generate_unique_id_function=lambda route: route.name,
    )
    api.router.route_class = ProblemRoute
    api.router.redirect_slashes = False
    _install_error_handlers(api)

    def principal(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Principal:
        if credentials is None:
            raise Unauthorized("Log in met een API-token: Authorization: Bearer <token>.")
        now = utc_naive(ctx.now())
        remembered = state.tokens.get(credentials.credentials, now)
        if remembered is not None:
            return remembered
        with state.transaction() as session:
            found = check_token(session, credentials.credentials, now=now)
        if found is None:
            raise Unauthorized("Het API-token is ongeldig, ingetrokken of verlopen.")
        state.tokens.put(credentials.credentials, found)
        return found.principal

    Who = Annotated[Principal, Depends(principal)]

    # --- tokens and profile ---------------------------------------------------------------

    @api.post(
        "/tokens", status_code=201, response_model=schemas.Token, tags=["toegang"],
        summary="Vraag een API-token aan met gebruikersnaam en wachtwoord",
        responses=_problems(400, 401, 429),
    )
    def create_token(body: schemas.TokenAanvraag, request: Request) -> dict:
        """Geeft een API-token voor de gebruiker; na herhaalde mislukte pogingen volgt een groeiende wachttijd (429 met Retry-After, hoogstens een halve minuut per account)."""
        address = request.client.host if request.client else None
        wait = state.throttle.retry_after(body.gebruikersnaam, address)
        if wait:
            raise TooManyRequests("Te veel mislukte pogingen; probeer het later opnieuw.", wait)
        with state.transaction() as session:
            found = authenticate_password(session, body.gebruikersnaam, body.wachtwoord)
            if found is None:
                state.throttle.failed(body.gebruikersnaam, address)
                raise Unauthorized("Gebruikersnaam of wachtwoord onjuist.")
            geldig = timedelta(days=state.settings.token_days)
            now = utc_naive(ctx.now())
            token = issue_token(
                session, found.gebruiker_id, omschrijving=body.omschrijving, geldig=geldig, now=now
            )
        state.throttle.succeeded(body.gebruikersnaam)
        return {"token": token, "tokenType": "Bearer", "verlooptOp": (now + geldig).isoformat() + "Z"}

    @api.delete(
        "/tokens/huidig", status_code=204, tags=["toegang"],
        summary="Trek het token in waarmee dit verzoek is gedaan",
        responses=_problems(401),
    )
    def delete_token(
        who: Who, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
    ) -> Response:
        """Het token waarmee dit verzoek is gedaan werkt daarna niet meer."""
        assert credentials is not None
        state.tokens.forget(credentials.credentials)
        with state.transaction() as session:
            revoke_token(session, credentials.credentials, now=utc_naive(ctx.now()))
        return Response(status_code=204)

    @api.get(
        "/gebruikersprofiel", response_model=schemas.Gebruikersprofiel, tags=["toegang"],
        summary="Wie bent u: gebruiker en organisatie", responses=_problems(401),
    )
    def profile(who: Who) -> dict:
        """De ingelogde gebruiker en de organisatie (gemeente, aanbieder of coördinator) waarvoor die werkt."""
        return {
            "gebruikersnaam": who.gebruikersnaam,
            "naam": who.naam,
            "organisatie": {"soort": who.soort.value, "code": who.code, "naam": who.organisatie_naam},
        }

    # --- transfers --------------------------------------------------------------------------

    @api.get(
        "/overdrachten", response_model=schemas.OverdrachtenPagina, tags=["overdrachten"],
        summary="Overdrachten die u mag zien, of een download daarvan (CSV/XLSX)",
        description=(
            "Een gemeente ziet de overdrachten waarbij zij latende of ontvangende gemeente is, "
            "een aanbieder die met een regel voor haar AGB-code, de coördinator alle. Met "
            "`formaat=csv` of `formaat=xlsx` (of de Accept-header `text/csv` of de XLSX-mediatype) "
            "volgt een download met één regel per aanbieder/product, inclusief de aanleverdatum."
        ),
        responses={
            200: {"content": {CSV_MEDIA_TYPE: {}, XLSX_MEDIA_TYPE: {}}},
            **_problems(400, 401),
        },
    )
    def list_transfers(
        who: Who,
        request: Request,
        richting: Annotated[
            Literal["inkomend", "uitgaand"] | None,
            Query(description="Alleen voor gemeenten: inkomend of uitgaand."),
        ] = None,
        status: Annotated[list[schemas.StatusLiteral] | None, Query()] = None,
        pagina: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
        pagina_grootte: Annotated[int, Query(alias="paginaGrootte", ge=1, le=transfers.MAX_PAGE_SIZE)] = 50,
        formaat: Annotated[Literal["json", "csv", "xlsx"] | None, Query()] = None,
    ):
        direction = transfers.Richting(richting) if richting else None
        statuses = [transfers.Status(s) for s in status or []]
        wanted = formaat or _negotiate(request.headers.get("accept", ""))
        if wanted in ("csv", "xlsx"):
            with state.transaction() as session:
                rows = transfers.export_rows(session, who, ctx, richting=direction, status=statuses)
            name = f"overdrachten-{richting or 'alle'}-{ctx.today().isoformat()}.{wanted}"
            content, media = (
                (to_csv(transfers.EXPORT_COLUMNS, rows), CSV_MEDIA_TYPE + "; charset=utf-8")
                if wanted == "csv"
                else (to_xlsx(transfers.EXPORT_COLUMNS, rows), XLSX_MEDIA_TYPE)
            )
            return Response(
                content, media_type=media,
                headers={"Content-Disposition": f'attachment; filename="{name}"'},
            )
        with state.transaction() as session:
            page = transfers.list_transfers(
                session, who, ctx, richting=direction, status=statuses,
                pagina=pagina, pagina_grootte=pagina_grootte,
            )
        return page.to_json()

    @api.post(
        "/overdrachten/_zoek", response_model=schemas.Zoekresultaat, tags=["overdrachten"],
        summary="Zoek overdrachten op BSN (het BSN staat in de body, nooit in de URL)",
        responses=_problems(400, 401),
    )
    def search(who: Who, body: schemas.Zoekvraag) -> dict:
        """Zoekt op burgerservicenummer binnen de overdrachten die u mag zien. Elke zoekvraag komt in het auditlog, ook zonder resultaat."""
        with state.transaction() as session:
            return {"overdrachten": transfers.search_by_bsn(session, who, ctx, body.bsn)}

    @api.get(
        "/overdrachten/{overdracht_id}", response_model=schemas.OverdrachtDetail,
        tags=["overdrachten"], summary="Eén overdracht met regels, tijdlijn, verantwoordelijkheid en taken",
        responses=_problems(400, 401, 404),
    )
    def read(who: Who, overdracht_id: OverdrachtId) -> dict:
        """Een aanbieder ziet alleen de eigen regels; onderbouwing, BRP-gegevens en woonplaatsbeslissing zijn alleen voor de gemeenten. Het lezen komt in het auditlog."""
        with state.transaction() as session:
            return transfers.read_transfer(session, who, ctx, overdracht_id)

    @api.post(
        "/overdrachten/{overdracht_id}/acceptatie", response_model=schemas.OverdrachtDetail,
        tags=["overdrachten"], summary="Accepteer de overdracht (ontvangende gemeente)",
        responses=_problems(400, 401, 403, 404, 409),
    )
    def accept(who: Who, overdracht_id: OverdrachtId, body: schemas.Acceptatie | None = None) -> dict:
        """Van aangeleverd naar geaccepteerd. Met `versie` weigert de dienst (409) als de overdracht intussen gewijzigd is."""
        with state.transaction() as session:
            return transfers.accept(session, who, ctx, overdracht_id, versie=body.versie if body else None)

    @api.post(
        "/overdrachten/{overdracht_id}/afwijzing", response_model=schemas.OverdrachtDetail,
        tags=["overdrachten"], summary="Wijs de overdracht af met onderbouwing (ontvangende gemeente)",
        responses=_problems(400, 401, 403, 404, 409),
    )
    def reject(who: Who, overdracht_id: OverdrachtId, body: schemas.Afwijzingsverzoek) -> dict:
        """Van aangeleverd naar afgewezen; een onderbouwing (tekst en/of de vastgelegde woonplaatsbeslissing) is verplicht."""
        with state.transaction() as session:
            return transfers.reject(
                session, who, ctx, overdracht_id, onderbouwing=body.onderbouwing,
                gebruik_woonplaatsbeslissing=body.gebruikWoonplaatsbeslissing, versie=body.versie,
            )

    @api.post(
        "/overdrachten/{overdracht_id}/afronding", response_model=schemas.OverdrachtDetail,
        tags=["overdrachten"],
        summary="Rond de overdracht af: de nieuwe toewijzing is verstuurd (ontvangende gemeente)",
        responses=_problems(400, 401, 403, 404, 409),
    )
    def complete(who: Who, overdracht_id: OverdrachtId, body: schemas.Afrondingsverzoek) -> dict:
        """Van geaccepteerd naar afgerond, met de ingangsdatum en het kenmerk van de verstuurde toewijzing."""
        with state.transaction() as session:
            return transfers.complete(
                session, who, ctx, overdracht_id,
                toewijzing_ingangsdatum=body.toewijzingIngangsdatum,
                toewijzing_referentie=body.toewijzingReferentie, versie=body.versie,
            )

    @api.post(
        "/overdrachten/{overdracht_id}/doorzending", status_code=201,
        response_model=schemas.OverdrachtDetail, tags=["overdrachten"],
        summary="Stuur een afgewezen overdracht door naar een andere gemeente (nieuwe overdracht)",
        responses=_problems(400, 401, 403, 404, 409),
    )
    def redirect(
        who: Who, overdracht_id: OverdrachtId, body: schemas.Doorzending, response: Response
    ) -> dict:
        """Van afgewezen naar doorgestuurd; er ontstaat een nieuwe overdracht naar de opgegeven gemeente met de aanleverdatum van vandaag."""
        with state.transaction() as session:
            new = transfers.redirect(
                session, who, ctx, overdracht_id, gemeente=body.gemeente, versie=body.versie
            )
        response.headers["Location"] = f"{API_PREFIX}/overdrachten/{new['id']}"
        return new

    @api.get(
        "/overdrachten/{overdracht_id}/verantwoordelijkheid",
        response_model=schemas.Verantwoordelijkheid, tags=["1-november-maatregel"],
        summary="Welke gemeente op een peildatum verantwoordelijk is, en de tijdlijn",
        responses=_problems(400, 401, 404),
    )
    def responsibility(
        who: Who, overdracht_id: OverdrachtId,
        peildatum: Annotated[date | None, Query(description="Standaard vandaag.")] = None,
    ) -> dict:
        """Volgens de 1-november-maatregel (factsheet van 2021-11-02): welke gemeente op de peildatum verantwoordelijk is, waarom, en de tijdlijn vanaf 2022-01-01."""
        with state.transaction() as session:
            return transfers.read_responsibility(
                session, who, ctx, overdracht_id, peildatum or ctx.today()
            )

    @api.get(
        "/overdrachten/{overdracht_id}/taken", response_model=schemas.TakenVanOverdracht,
        tags=["1-november-maatregel"], summary="De taken per partij voor deze overdracht",
        responses=_problems(400, 401, 404),
    )
    def tasks(who: Who, overdracht_id: OverdrachtId) -> dict:
        """De taken die uit de maatregel volgen, met termijn en of ze gedaan zijn. Een aanbieder ziet alleen de eigen taken."""
        with state.transaction() as session:
            items = transfers.read_tasks(session, who, ctx, overdracht_id)
        return {"overdrachtId": overdracht_id, "taken": items}

    @api.put(
        "/overdrachten/{overdracht_id}/taken/{taakcode}", response_model=schemas.Taak,
        tags=["1-november-maatregel"], summary="Vink een eigen taak af (of weer aan)",
        responses=_problems(400, 401, 403, 404),
    )
    def mark(
        who: Who, overdracht_id: OverdrachtId,
        taakcode: Annotated[str, Path(max_length=64, pattern=r"^[a-z_.]+$")],
        body: schemas.TaakWijziging,
    ) -> dict:
        """Alleen de partij van de taak kan die afvinken."""
        with state.transaction() as session:
            return transfers.mark_task(session, who, ctx, overdracht_id, taakcode, body.gedaan)

    @api.get(
        "/taken", response_model=schemas.Takenlijst, tags=["1-november-maatregel"],
        summary="Uw eigen taken over alle overdrachten, vroegste termijn eerst",
        responses=_problems(400, 401),
    )
    def task_list(
        who: Who,
        alleen_open: Annotated[bool, Query(alias="alleenOpen")] = False,
        alleen_te_laat: Annotated[bool, Query(alias="alleenTeLaat")] = False,
    ) -> dict:
        """Uw taken over alle overdrachten die u ziet, vroegste termijn eerst."""
        with state.transaction() as session:
            return {
                "taken": transfers.task_list(
                    session, who, ctx, alleen_open=alleen_open, alleen_te_laat=alleen_te_laat
                )
            }

    @api.get(
        "/overzicht", response_model=schemas.Overzicht, tags=["overdrachten"],
        summary="Aantallen per status en taken over tijd, per gemeente", responses=_problems(401),
    )
    def overview(who: Who) -> dict:
        """Per gemeente het aantal inkomende en uitgaande overdrachten per status en het aantal taken over tijd."""
        with state.transaction() as session:
            return transfers.overview(session, who, ctx)

    # --- BRP and the woonplaats check ------------------------------------------------------

    @api.put(
        "/overdrachten/{overdracht_id}/brp-gegevens", response_model=schemas.BrpKoppeling,
        tags=["woonplaatstoets"],
        summary="Koppel BRP-gegevens (Haal Centraal JSON: casus of verblijfplaatshistorie)",
        responses=_problems(400, 401, 403, 404, 413),
    )
    def put_brp(
        who: Who, overdracht_id: OverdrachtId,
        document: Annotated[dict[str, Any], Body(description="Haal Centraal JSON-document.")],
    ) -> dict:
        """Een casusdocument met `jeugdige` of een antwoord van de BRP historie API met `verblijfplaatsen`. Het document moet bij deze jeugdige horen en leesbaar zijn; anders worden alle problemen genoemd."""
        with state.transaction() as session:
            return transfers.attach_brp_document(session, who, ctx, overdracht_id, document)

    @api.post(
        "/overdrachten/{overdracht_id}/brp-bevragingen", response_model=schemas.BrpKoppeling,
        tags=["woonplaatstoets"],
        summary="Haal de verblijfplaatshistorie op bij de ingestelde BRP en koppel die",
        responses=_problems(400, 401, 403, 404, 502, 503),
    )
    def fetch_brp(
        who: Who, overdracht_id: OverdrachtId, body: schemas.BrpBevraging | None = None
    ) -> dict:
        """Vraagt bij de ingestelde Haal Centraal BRP de verblijfplaatshistorie op van de geboortedatum tot en met de peildatum."""
        peildatum = (body.peildatum if body else None) or ctx.today()
        return transfers.fetch_brp(state.factory, who, ctx, overdracht_id, peildatum)

    @api.post(
        "/overdrachten/{overdracht_id}/woonplaatsbeslissingen", status_code=201,
        tags=["woonplaatstoets"],
        summary="Bepaal de woonplaats met de gekoppelde BRP-gegevens en leg de beslissing vast",
        responses={201: {"description": "De beslissing (JSON van de engine)."},
                   **_problems(400, 401, 403, 404)},
    )
    def decide(
        who: Who, overdracht_id: OverdrachtId,
        body: schemas.Woonplaatsbeslissingsverzoek | None = None,
    ) -> dict[str, Any]:
        """Draait de woonplaatsengine van de wet van de overdracht op de gekoppelde BRP-gegevens: bij de Jeugdwet (art. 1.1) met eventuele jeugdhulp, bij wmo-bw (Wmo 2015 art. 1.2.1 en 1.2.1a, beschermd wonen) met de Wmo-gegevens uit de body (aanmelding en eerderBeschermdWonen verplicht). Gegevens van de andere wet geven 400. De beslissing kan daarna als onderbouwing van een afwijzing dienen."""
        given = body.model_fields_set if body else set()
        wmo = {key: getattr(body, key) for key in transfers.WMO_FACTS if key in given}
        with state.transaction() as session:
            return transfers.decide_woonplaats(
                session, who, ctx, overdracht_id,
                peildatum=body.peildatum if body else None,
                jeugdhulp=body.jeugdhulp if body else None,
                wmo=wmo or None,
            )

    # --- uploads ----------------------------------------------------------------------------

    def _read_upload(bestand: UploadFile) -> bytes:
        limit = state.settings.max_upload_bytes
        content = bestand.file.read(limit + 1)
        if len(content) > limit:
            raise PayloadTooLarge(f"Het bestand is groter dan {limit} bytes.")
        return content

    @api.post(
        "/aanleveringen/_controleer", response_model=schemas.Controleresultaat,
        tags=["aanleveringen"],
        summary="Controleer een CSV/XLSX-bestand met jeugdigen; er wordt niets opgeslagen",
        responses=_problems(400, 401, 403, 413),
    )
    def check_upload(who: Who, bestand: Annotated[UploadFile, File()]) -> dict:
        """Eén regel per jeugdige per aanbieder/product met bsn, geboortedatum, ontvangende_gemeente, aanbieder_agb, product, toewijzing_einddatum en pgb. Elke afgekeurde regel staat in het antwoord met regel, kolom en reden."""
        content = _read_upload(bestand)
        with state.transaction() as session:
            result = uploads.check_upload(
                session, who, content, bestand.filename or "upload",
                register=ctx.register, limits=ctx.limits, now=ctx.now(),
            )
        return result.to_json()

    @api.post(
        "/aanleveringen", status_code=201, response_model=schemas.Aanlevering,
        tags=["aanleveringen"],
        summary="Sla de geldige regels van een gecontroleerd bestand op (bevestiging met de controlecode)",
        responses=_problems(400, 401, 403, 409, 413),
    )
    def store_upload(
        who: Who,
        bestand: Annotated[UploadFile, File()],
        controle: Annotated[str, Form(max_length=64, description="De controlecode uit _controleer.")],
    ) -> dict:
        """Bevestig met de `controle` uit de controle: alleen dan, en alleen als nog precies dezelfde regels geldig zijn, worden de geldige regels opgeslagen (alles of niets)."""
        content = _read_upload(bestand)
        with state.transaction() as session:
            stored = uploads.store_upload(
                session, who, content, bestand.filename or "upload", controle,
                register=ctx.register, limits=ctx.limits, now=ctx.now(),
            )
        return stored.to_json()

    # iJw messages (issue 5) and the settlement (issue 6) live in routers of their own.
    api.include_router(berichten_router(state, principal, route_class=ProblemRoute))
    api.include_router(verrekening_router(state, principal, route_class=ProblemRoute))

    api.openapi = lambda: _openapi(api)  # type: ignore[method-assign]
    return api


def _contact(settings: Settings) -> dict[str, str]:
    """info.contact (ADR /core/doc-openapi-contact): who runs this installation."""
    contact = {"name": settings.api_contact_name, "url": settings.api_contact_url}
    if settings.api_contact_email:
        contact["email"] = settings.api_contact_email
    return contact


# Dutch names for the request bodies FastAPI derives from a function with several form
# fields (Body_<operationId>): the ADR (/core/hide-implementation) keeps code names out of
# the contract.
_BODY_SCHEMA_NAMES = {
    "Body_check_upload": "Controleverzoek",
    "Body_store_upload": "Aanleververzoek",
    "Body_import_invoices": "Factuurbestand",
}

# FastAPI's "Successful Response" is English (ADR /core/doc-language); an operation that
# documents its own success response keeps that text.
_SUCCESS_DESCRIPTIONS = {
    "200": "Gelukt.",
    "201": "Aangemaakt of geregistreerd.",
    "204": "Gelukt; het antwoord heeft geen inhoud.",
}


def _rename_schemas(doc: dict, names: dict[str, str]) -> None:
    """Rename component schemas and rewrite every $ref to them."""
    schemas_ = doc.get("components", {}).get("schemas", {})
    for old, new in names.items():
        if old in schemas_:
            schema = schemas_.pop(old)
            schema["title"] = new
            schemas_[new] = schema
    refs = {f"#/components/schemas/{old}": f"#/components/schemas/{new}" for old, new in names.items()}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref in refs:
                node["$ref"] = refs[ref]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)


def _negotiate(accept: str) -> str:
    accept = accept.lower()
    if XLSX_MEDIA_TYPE in accept:
        return "xlsx"
    if CSV_MEDIA_TYPE in accept and "application/json" not in accept:
        return "csv"
    return "json"


def _openapi(api: FastAPI) -> dict:
    """The generated document, adjusted to the ADR: API-Version headers, 400 not 422, Dutch
    descriptions of success responses, no generated titles or code names of schemas."""
    if api.openapi_schema:
        return api.openapi_schema
    doc = get_openapi(
        title=api.title, version=api.version, description=api.description, routes=api.routes,
        contact=api.contact, license_info=api.license_info, tags=api.openapi_tags,
        servers=[{"url": API_PREFIX, "description": "deze installatie"}],
    )
    components = doc.setdefault("components", {})
    components.setdefault("headers", {})["API-Version"] = {
        "description": "De volledige versie van de API (semver).",
        "schema": {"type": "string", "example": API_VERSION},
    }
    for path_item in doc.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if "422" in responses:
                responses.pop("422")
                responses.setdefault(
                    "400",
                    {"description": "Ongeldige invoer; invalidParams noemt elk veld.",
                     "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}},
                )
            for code, response in responses.items():
                response.setdefault("headers", {})["API-Version"] = {
                    "$ref": "#/components/headers/API-Version"
                }
                if response.get("description") == "Successful Response":
                    response["description"] = _SUCCESS_DESCRIPTIONS.get(code, "Gelukt.")
                for media in (response.get("content") or {}).values():
                    # "Response <Function Name>": a title made from the code, in English.
                    schema = media.get("schema") or {}
                    if str(schema.get("title", "")).startswith("Response "):
                        schema.pop("title")
                if code.startswith(("4", "5")):
                    response["content"] = {
                        PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}
                    }
    _rename_schemas(doc, _BODY_SCHEMA_NAMES)
    schemas_ = components.get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas_.pop(unused, None)
    if "ProblemDetails" not in schemas_:
        schemas_["ProblemDetails"] = schemas.ProblemDetails.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
    api.openapi_schema = doc
    return doc


# --- the application ------------------------------------------------------------------------


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    engine: Engine | None = None,
    brp_transport=None,
    pages: bool = True,
    seal_audit: bool = True,
) -> FastAPI:
    """The web application: the REST API under /api/v1 and, when present, the web pages.

    The database must already be migrated (``wpb db upgrade``; ``wpb serve`` does it).
    ``pages=False`` leaves the pages out (API-only deployments and the API's own tests).
    ``seal_audit=False`` runs no audit sealer (tests that count every statement; entries
    then wait for ``wpb audit seal`` or another process's sealer).
    """
    settings = settings or Settings.from_env()
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
    app.add_middleware(HeadersMiddleware, max_body=settings.max_upload_bytes + _BODY_OVERHEAD)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException):
        title, code, detail = _HTTP_TITLES.get(exc.status_code, ("Fout", "fout", "Fout"))
        problem = Problem(detail)
        problem.status, problem.title, problem.code = exc.status_code, title, code
        return problem_response(problem)

    # The web pages, when that module is installed, build on the same state. They are
    # added last so that they may override the handlers above for their own routes.
    if pages and importlib.util.find_spec("wpb.service.pages") is not None:
        importlib.import_module("wpb.service.pages").install(app, state)
    else:

        @app.get("/", include_in_schema=False)
        def root() -> dict:
            return {"api": f"{API_PREFIX}/openapi.json"}

    # Outermost layer: the security headers of every response (wpb.service.security).
    importlib.import_module("wpb.service.security").install(app)
    return app


__all__ = ["API_PREFIX", "API_VERSION", "ServiceState", "build_api", "create_app", "problem_response"]
