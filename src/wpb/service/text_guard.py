"""Control characters are refused in every text the service takes (issue 19, finding S5).

A NUL character in a text field made PostgreSQL fail (500) while SQLite stored it; other
C0 control characters (and DEL) have no place in names, reasons or descriptions either,
and can hide text from a person reading it. Tab, line feed and carriage return stay
allowed: they are ordinary in multi-line text (a toelichting, an omschrijving), and a
single-line field's own pattern refuses them where they do not belong.

One check, used in three places so that every entry point gives the same 400 naming the
field: the API's route class (:mod:`wpb.service.api_base`) checks the query string and
the JSON or form body of every operation before anything else, also without login (as
``POST /tokens``); the request models' base (:class:`wpb.service.schemas.RequestBody`)
checks every string field it validates; the web pages check every submitted form field.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable
from typing import Any

from starlette.requests import Request

from wpb.service.errors import InvalidRequest

# C0 controls except tab (09), line feed (0A) and carriage return (0D), and DEL (7F).
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAX_DEPTH = 64  # the JSON reader refuses deeper documents anyway


def problem(value: str) -> str | None:
    """Why ``value`` is refused, or None: the first control character and its place."""
    found = _FORBIDDEN.search(value)
    if found is None:
        return None
    return (f"bevat een stuurteken (U+{ord(found.group()):04X}) op positie {found.start() + 1}; "
            "alleen tab en regelovergangen zijn toegestaan")


def problems_in(value: Any, name: str, depth: int = 0) -> list[tuple[str, str]]:
    """Every refused text in a decoded JSON value, named by its path (``partijen.0.code``);
    a key with a control character is named as the key itself."""
    if isinstance(value, str):
        reason = problem(value)
        return [(name or "body", reason)] if reason else []
    if depth > _MAX_DEPTH:
        return []
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{name}.{key}" if name else str(key)
            reason = problem(str(key))
            if reason:
                found.append((f"{name + '.' if name else ''}(sleutel)", reason))
                continue
            found += problems_in(item, path, depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += problems_in(item, f"{name}.{i}" if name else str(i), depth + 1)
    return found


def fields_problems(items: Iterable[tuple[str, Any]]) -> list[tuple[str, str]]:
    """Every refused text among named values (query parameters, form fields); an uploaded
    file is no text and is checked by its own reader."""
    found = []
    for name, value in items:
        if isinstance(value, str):
            reason = problem(name) or problem(value)
            if reason:
                found.append((name if not problem(name) else "(veldnaam)", reason))
    return found


def refuse(found: list[tuple[str, str]]) -> None:
    if found:
        names = ", ".join(sorted({n for n, _ in found}))
        raise InvalidRequest(f"Ongeldige tekens in: {names}. Er is niets gewijzigd.", found)


async def check_request(request: Request) -> None:
    """Raise :class:`InvalidRequest` naming every query parameter or body field that holds
    a control character. A body that is no valid JSON is left to the route's own reader."""
    found = fields_problems(request.query_params.multi_items())
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json" or content_type.endswith("+json"):
        raw = await request.body()
        with contextlib.suppress(ValueError, RecursionError):  # the route's reader answers
            found += problems_in(json.loads(raw), "") if raw else []
    elif content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form()
        found += fields_problems(form.multi_items())
    refuse(found)


def validate_text(value: Any) -> Any:
    """For a request model's string fields (pydantic ``before`` validator): a ValueError,
    which the model names by its field, when the text holds a control character."""
    found = problems_in(value, "")
    if found:
        where, reason = found[0]
        raise ValueError(reason if where == "body" else f"{where}: {reason}")
    return value
