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


# --- FastAPI's (pydantic's) validation errors in Dutch -------------------------------------

# Per pydantic error type: the Dutch reason; ``{name}`` is filled from the error's context.
_REASONS: Mapping[str, str] = {
    "missing": "verplicht",
    "extra_forbidden": "onbekend veld",
    "json_invalid": "geen geldig JSON",
    "json_type": "geen geldig JSON",
    "string_type": "moet tekst zijn",
    "string_too_short": "moet minstens {min_length} teken(s) hebben",
    "string_too_long": "mag hoogstens {max_length} tekens hebben",
    "string_pattern_mismatch": "heeft niet de verwachte vorm",
    "int_type": "moet een geheel getal zijn",
    "int_parsing": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "float_type": "moet een getal zijn",
    "float_parsing": "moet een getal zijn",
    "decimal_type": "moet een getal zijn",
    "decimal_parsing": "moet een getal zijn",
    "bool_type": "moet true of false zijn",
    "bool_parsing": "moet true of false zijn",
    "date_type": "moet een datum zijn (JJJJ-MM-DD)",
    "date_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "date_from_datetime_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "date_from_datetime_inexact": "moet een datum zijn zonder tijd (JJJJ-MM-DD)",
    "datetime_type": "moet een tijdstip zijn (ISO 8601)",
    "datetime_parsing": "moet een tijdstip zijn (ISO 8601)",
    "datetime_from_date_parsing": "moet een tijdstip zijn (ISO 8601)",
    "greater_than": "moet groter zijn dan {gt}",
    "greater_than_equal": "moet {ge} of groter zijn",
    "less_than": "moet kleiner zijn dan {lt}",
    "less_than_equal": "moet {le} of kleiner zijn",
    "multiple_of": "moet een veelvoud zijn van {multiple_of}",
    "literal_error": "moet een van deze waarden zijn: {expected}",
    "enum": "moet een van deze waarden zijn: {expected}",
    "list_type": "moet een lijst zijn",
    "too_short": "moet minstens {min_length} element(en) hebben",
    "too_long": "mag hoogstens {max_length} elementen hebben",
    "dict_type": "moet een object zijn",
    "model_type": "moet een object zijn",
    "model_attributes_type": "moet een object zijn",
    "dataclass_type": "moet een object zijn",
    "uuid_type": "moet een UUID zijn",
    "uuid_parsing": "moet een UUID zijn",
    "url_parsing": "moet een URL zijn",
    "url_type": "moet een URL zijn",
    "bytes_type": "moet een bestand of bytes zijn",
    "none_required": "moet leeg zijn",
    "union_tag_invalid": "onbekende soort: verwacht {expected_tags}",
    "union_tag_not_found": "de soort ontbreekt ({discriminator})",
}
# pydantic's English words inside the context of a literal/enum error.
_OR = (" or ", " of ")


def dutch_reason(error: Mapping[str, Any]) -> str:
    """The Dutch reason for one of FastAPI's validation errors (never its input, which may
    hold personal data). A ``value_error`` of our own validators is already Dutch and keeps
    its message without pydantic's "Value error, " prefix."""
    kind = str(error.get("type", ""))
    context = dict(error.get("ctx") or {})
    if kind in ("value_error", "assertion_error"):
        message = str(context.get("error") or error.get("msg") or "")
        for prefix in ("Value error, ", "Assertion failed, "):
            if message.startswith(prefix):
                message = message[len(prefix):]
        return message or "ongeldige waarde"
    template = _REASONS.get(kind)
    if template is None:
        return "ongeldige waarde"
    words = {k: str(v).replace(*_OR) for k, v in context.items()}
    try:
        return template.format(**words)
    except (KeyError, IndexError):
        return template.split(":")[0].split("{")[0].strip() or "ongeldige waarde"
