"""Reading a posted form and showing its errors: field messages in Dutch, the error summary,
dates and versions typed by a person, and a safe target to return to after login."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from starlette.datastructures import FormData

from wpb.service import dates
from wpb.service.errors import (
    InvalidRequest,
    Problem,
)
from wpb.service.web.labels import FIELD_LABELS, REQUIRED_MESSAGES


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


def first_per_field(errors: Iterable[FieldError]) -> dict[str, str]:
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
        parsed = dates.parse_date(text)  # also DD-MM-JJJJ, as people type it
        if parsed is None:
            problems.append((name, "geen geldige datum (JJJJ-MM-DD of DD-MM-JJJJ)"))
        return parsed


def text_of(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def versie_of(form: FormData, problems: list[tuple[str, str]]) -> int | None:
    raw = text_of(form, "versie").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        problems.append(("versie", "ongeldig; laad de pagina opnieuw"))
        return None
    return int(raw)




def safe_next(raw: str | None) -> str | None:
    """A local path to return to after logging in (never another site)."""
    if not raw or not raw.startswith("/") or raw.startswith("//") or "\\" in raw:
        return None
    if raw.startswith(("/inloggen", "/uitloggen", "/uitgelogd", "/static", "/api")):
        return None
    return raw[:500]


