"""Problems the service reports to its callers, one exception per HTTP meaning.

The service layer raises these; the REST API turns them into ``application/problem+json``
(RFC 9457) with every invalid field listed in ``invalidParams``, and the web pages show
the same title, detail and fields in Dutch. Messages never contain a BSN.
"""

from __future__ import annotations

from collections.abc import Iterable


class Problem(Exception):
    status = 400
    title = "Ongeldig verzoek"
    code = "ongeldig"

    def __init__(
        self,
        detail: str,
        invalid_params: Iterable[tuple[str, str]] = (),
        *,
        extra: dict | None = None,
    ):
        super().__init__(detail)
        self.detail = detail
        self.invalid_params = [(name, reason) for name, reason in invalid_params]
        self.extra = dict(extra or {})

    def to_json(self) -> dict:
        body = {
            "type": f"urn:wpb:probleem:{self.code}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
        }
        if self.invalid_params:
            body["invalidParams"] = [
                {"name": name, "code": self.code, "reason": reason}
                for name, reason in self.invalid_params
            ]
        body.update(self.extra)
        return body


class InvalidRequest(Problem):
    status = 400
    title = "Ongeldig verzoek"
    code = "ongeldig"


class Unauthorized(Problem):
    status = 401
    title = "Niet ingelogd"
    code = "nietIngelogd"


class Forbidden(Problem):
    status = 403
    title = "Geen toestemming"
    code = "geenToestemming"


class NotFound(Problem):
    status = 404
    title = "Niet gevonden"
    code = "nietGevonden"


class Conflict(Problem):
    status = 409
    title = "Conflict"
    code = "conflict"


class PayloadTooLarge(Problem):
    status = 413
    title = "Te groot"
    code = "teGroot"


class UpstreamError(Problem):
    """A system the service depends on (the BRP API) failed or answered unusably."""

    status = 502
    title = "Externe bron niet beschikbaar"
    code = "externeBron"


class NotConfigured(Problem):
    status = 503
    title = "Niet ingesteld"
    code = "nietIngesteld"


class TooManyRequests(Problem):
    status = 429
    title = "Te veel verzoeken"
    code = "teVeelVerzoeken"

    def __init__(self, detail: str, retry_after: int):
        super().__init__(detail)
        self.retry_after = retry_after
