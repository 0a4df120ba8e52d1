"""Errors as ``application/problem+json`` (RFC 9457, ADR /core/error-handling/problem-details).

The one place that turns a :class:`~wpb.service.errors.Problem` into a response and that
documents the problem responses of an operation in the OpenAPI document. A component may
word a status in its own terms (``descriptions``); the shape is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi.responses import JSONResponse

from wpb.service.errors import Problem, TooManyRequests
from wpb.service.schemas import ProblemDetails

PROBLEM_JSON = "application/problem+json"

DESCRIPTIONS: Mapping[int, str] = {
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


def problem_response(problem: Problem) -> JSONResponse:
    headers = {}
    if problem.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="wpb"'
    if isinstance(problem, TooManyRequests):
        headers["Retry-After"] = str(problem.retry_after)
    return JSONResponse(
        problem.to_json(), status_code=problem.status, media_type=PROBLEM_JSON, headers=headers
    )


def problem_responses(
    *statuses: int, descriptions: Mapping[int, str] | None = None
) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of an operation for these error statuses, all problem+json."""
    words = {**DESCRIPTIONS, **(descriptions or {})}
    return {
        s: {"description": words[s], "model": ProblemDetails, "content": {PROBLEM_JSON: {}}}
        for s in statuses
    }
