"""Security headers and request framing rules for every response of the transfer service.

One ASGI middleware, :class:`SecurityMiddleware`, wrapped around the whole application by
:func:`install` (``create_app`` calls it last, so it is the outermost layer and sees every
response: API, pages, static files, error pages and the answers other middleware gives
before a route runs). It *sets* its headers, replacing whatever an inner layer put there,
so the policy lives in one place:

| header | value | why |
|---|---|---|
| ``Content-Security-Policy`` | API: ``default-src 'none'``; pages: only this origin's own script, style and images, no inline code, forms only to this origin | a JSON answer never needs to load anything; the pages load ``/static/wpb.css`` and ``/static/wpb.js`` and nothing else, so an injected ``<script>`` or inline handler does not run |
| ``frame-ancestors 'none'`` (in the CSP) and ``X-Frame-Options: DENY`` | | no page may be framed (clickjacking); the old header for old browsers |
| ``X-Content-Type-Options: nosniff`` | | a download (CSV/XLSX/XML) is never sniffed into HTML or script |
| ``Referrer-Policy: no-referrer`` | | URLs hold transfer numbers; they do not travel to other sites |
| ``Permissions-Policy`` | camera, microphone, geolocation, payment, USB off | the service uses none of them |
| ``Cross-Origin-Opener-Policy: same-origin`` | | another site that opens a page gets no window handle to it |
| ``Cross-Origin-Resource-Policy`` | ``same-origin``; ``cross-origin`` for the OpenAPI document | only the public OpenAPI document may be read from other origins |
| ``X-Permitted-Cross-Domain-Policies: none`` | | no Flash/PDF cross-domain policy files |
| ``Cache-Control: no-store`` (+ ``Pragma: no-cache``) | everything except ``/static/`` | personal data (BSNs, addresses, claims) stays out of browser and proxy caches; the static files only need revalidation (``no-cache``) |
| ``Strict-Transport-Security`` | only on a request that came in over TLS | a browser must not be told to insist on HTTPS for a host it reached over plain HTTP (a local ``wpb serve``); behind a TLS-terminating proxy uvicorn's proxy headers (``X-Forwarded-Proto`` from a trusted address) make the scheme ``https`` |

Request framing: a request body sent without ``Content-Length`` (``Transfer-Encoding:
chunked``) is refused with 411 on the pages too (the API already refuses it itself). The size limit
of the service is checked on ``Content-Length`` before a byte of the body is read; a body
without a length could only be measured by reading it all, and a browser always sends
the length of a form.

Logging: SQLAlchemy logs every statement's result rows at DEBUG level — rows hold BSNs
(``hide_parameters`` only hides the parameters). A deployment that turns on DEBUG logging
for everything (``logging.basicConfig(level=logging.DEBUG)``) would write them to its log,
so :func:`install` pins SQLAlchemy's loggers to WARNING. An engine made with ``echo=True``
still logs its statements: that is asked for explicitly, for a development database.

The values follow the OWASP Secure Headers Project and the NL GOV API Design Rules
(API-Version and security headers on every response; the ADR's "transport security"
module).
"""

from __future__ import annotations

import logging

API_PREFIX = "/api/"
STATIC_PREFIX = "/static/"
OPENAPI_PATH = "/api/v1/openapi.json"
DOCS_PATH = "/api/v1/docs"  # an HTML page: the pages' policy (its own stylesheet)
HSTS = "max-age=31536000; includeSubDomains"

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


def headers_for(path: str, *, tls: bool) -> dict[str, str]:
    """The security headers of a response to ``path`` (lower-case names)."""
    is_api = (path.startswith(API_PREFIX) or path == API_PREFIX.rstrip("/")) and path != DOCS_PATH
    static = path.startswith(STATIC_PREFIX)
    headers = {
        "content-security-policy": API_CSP if is_api else PAGE_CSP,
        "x-frame-options": "DENY",
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "permissions-policy": PERMISSIONS,
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-resource-policy": "cross-origin" if path == OPENAPI_PATH else "same-origin",
        "x-permitted-cross-domain-policies": "none",
        "cache-control": "no-cache" if static else "no-store",
    }
    if not static:
        headers["pragma"] = "no-cache"
    if tls:
        headers["strict-transport-security"] = HSTS
    return headers


_REPLACED = frozenset(
    {
        "content-security-policy",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
        "permissions-policy",
        "cross-origin-opener-policy",
        "cross-origin-resource-policy",
        "x-permitted-cross-domain-policies",
        "cache-control",
        "pragma",
        "strict-transport-security",
    }
)


class SecurityMiddleware:
    """Sets the security headers on every HTTP response and refuses unframed bodies."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        tls = scope.get("scheme") == "https"
        wanted = headers_for(path, tls=tls)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                kept = [
                    (k, v) for k, v in message.get("headers", [])
                    if k.decode("latin-1").lower() not in _REPLACED
                ]
                kept += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in wanted.items()]
                message = {**message, "headers": kept}
            await send(message)

        if _unframed_body(scope) and not path.startswith(API_PREFIX):
            # The API answers this itself (411 as problem+json with its API-Version).
            await _length_required(send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def _unframed_body(scope) -> bool:
    has_length = False
    chunked = False
    for key, value in scope.get("headers") or ():
        name = key.lower()
        if name == b"content-length":
            has_length = True
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    return chunked and not has_length


async def _length_required(send) -> None:
    body = (
        b"<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Lengte vereist"
        b"</title></head><body><h1>Lengte vereist</h1><p>Stuur de lengte van het verzoek mee "
        b"(Content-Length).</p></body></html>"
    )
    await send({
        "type": "http.response.start",
        "status": 411,
        "headers": [(b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(body)).encode())],
    })
    await send({"type": "http.response.body", "body": body})


# Loggers that would write personal data (result rows, pooled connection details) at DEBUG.
QUIET_LOGGERS = ("sqlalchemy.engine", "sqlalchemy.pool", "sqlalchemy.orm")


def quiet_personal_data_loggers() -> None:
    """Keep the loggers of :data:`QUIET_LOGGERS` at WARNING or above, whatever root says."""
    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:  # NOTSET (0) inherits root's level
            logger.setLevel(logging.WARNING)


def install(app) -> None:
    """Wrap ``app`` (a FastAPI/Starlette application) in the security middleware and keep
    personal data out of the library loggers.

    Call it after every other ``add_middleware``: the last one added is the outermost.
    """
    quiet_personal_data_loggers()
    app.add_middleware(SecurityMiddleware)


__all__ = ["HSTS", "QUIET_LOGGERS", "SecurityMiddleware", "headers_for", "install",
           "quiet_personal_data_loggers"]
