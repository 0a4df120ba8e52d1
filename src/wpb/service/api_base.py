"""What every operation of the REST API shares: its base path and version, the route class that
turns unexpected errors into plain problems, the error handlers, the headers on every
response, and reading an uploaded file within the size limit.

Errors are ``application/problem+json`` with ``status``, ``title``, ``detail``, a ``code``
and, for invalid input, ``invalidParams`` listing every invalid field at once; FastAPI's
own validation errors are turned into the same shape with status 400. Unexpected errors
answer 500 without details, and are logged without their message (which could hold
personal data).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from fastapi import FastAPI, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from wpb.service import text_guard
from wpb.service.errors import InvalidRequest, PayloadTooLarge, Problem
from wpb.service.problems import dutch_reason, problem_response

API_VERSION = "1.0.0"
API_PREFIX = "/api/v1"

log = logging.getLogger("wpb.service")


class _InternalError(Problem):
    status = 500
    title = "Interne fout"
    code = "interneFout"


class _Unavailable(Problem):
    status = 503
    title = "Tijdelijk niet beschikbaar"
    code = "nietBeschikbaar"


HTTP_TITLES = {
    404: ("Niet gevonden", "nietGevonden", "Deze URL bestaat niet."),
    405: ("Methode niet toegestaan", "methodeNietToegestaan", "Deze methode kan hier niet."),
    413: ("Te groot", "teGroot", "Het verzoek is te groot."),
}


def _validation_problem(exc: RequestValidationError) -> InvalidRequest:
    params = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ()) if part not in ("body",)]
        name = ".".join(location) or "body"
        # A Dutch reason by the error's type, never pydantic's "input" (personal data).
        params.append((name, dutch_reason(error)))
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
                await text_guard.check_request(request)  # S5: before login and parsing
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


def install_error_handlers(api: FastAPI) -> None:
    @api.exception_handler(Problem)
    async def _problem(_request: Request, exc: Problem):
        return problem_response(exc)

    @api.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError):
        return problem_response(_validation_problem(exc))

    @api.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException):
        title, code, detail = HTTP_TITLES.get(
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


class HeadersMiddleware:
    """Adds API-Version to every response; refuses oversized bodies (by their
    Content-Length) and API bodies sent without a length. The security headers are
    :mod:`wpb.service.security`'s."""

    def __init__(self, app, max_body: int, larger: tuple[tuple[str, int], ...] = ()):
        self.app = app
        self.max_body = max_body
        # (path prefix, bound): routes that take bigger files (a city's caseload) get their
        # own bound here; every other route keeps the small one.
        self.larger = larger

    def _bound(self, path: str) -> int:
        for prefix, bound in self.larger:
            if path.startswith(prefix):
                return bound
        return self.max_body

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
            bound = self._bound(path)
            try:
                too_big = int(length) > bound
            except ValueError:
                too_big = False
            if too_big:
                response = problem_response(
                    PayloadTooLarge(f"Het verzoek is groter dan {bound} bytes.")
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




def read_upload(bestand: UploadFile, limit: int) -> bytes:
    """The uploaded file's content, refused when it is larger than ``limit`` bytes."""
    content = bestand.file.read(limit + 1)
    if len(content) > limit:
        raise PayloadTooLarge(f"Het bestand is groter dan {limit} bytes.")
    return content
