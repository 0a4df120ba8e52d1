"""The API's documentation page ``/api/v1/docs``: the OpenAPI document rendered on the server
as plain HTML, from this installation's own document and nothing else.

No Swagger UI or ReDoc: their scripts would come from a CDN (or must be vendored), and the
pages' Content-Security-Policy allows only this origin. The page lists per tag every
operation with its parameters, request body, responses and security, then every schema
with its fields, and links to the machine-readable document (``openapi.json``).
"""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

DOCS_PATH = "/docs"
_METHODS = ("get", "post", "put", "patch", "delete")


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


def _type_of(schema: dict[str, Any]) -> str:
    """A schema's type in a few words: ``Overdracht``, ``lijst van Taak``, ``string (date)``."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f'<a href="#schema-{_e(name)}">{_e(name)}</a>'
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            parts = [_type_of(s) for s in schema[key] if s.get("type") != "null"]
            nullable = any(s.get("type") == "null" for s in schema[key])
            return " of ".join(parts) + (" (of leeg)" if nullable else "")
    kind = schema.get("type", "")
    if kind == "array":
        return "lijst van " + _type_of(schema.get("items", {}))
    words = _e(kind or "waarde")
    if "format" in schema:
        words += f" ({_e(schema['format'])})"
    if "enum" in schema:
        words += ": " + ", ".join(f"<code>{_e(v)}</code>" for v in schema["enum"])
    return words


def _parameters(op: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td><code>{_e(p.get('name'))}</code></td><td>{_e(p.get('in'))}</td>"
        f"<td>{'ja' if p.get('required') else 'nee'}</td><td>{_type_of(p.get('schema', {}))}</td>"
        f"<td>{_e(p.get('description', ''))}</td></tr>"
        for p in op.get("parameters", [])
    )
    if not rows:
        return ""
    return (
        '<table class="tabel"><caption>Parameters</caption><thead><tr><th scope="col">Naam</th>'
        '<th scope="col">In</th><th scope="col">Verplicht</th><th scope="col">Type</th>'
        f'<th scope="col">Omschrijving</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def _body(op: dict[str, Any]) -> str:
    body = op.get("requestBody")
    if not body:
        return ""
    items = "".join(
        f"<li><code>{_e(media)}</code>: {_type_of(content.get('schema', {}))}</li>"
        for media, content in body.get("content", {}).items()
    )
    required = " (verplicht)" if body.get("required") else ""
    return f"<p><strong>Verzoek{required}</strong></p><ul>{items}</ul>"


def _responses(op: dict[str, Any]) -> str:
    rows = []
    for status, response in op.get("responses", {}).items():
        kinds = ", ".join(
            f"<code>{_e(media)}</code>" + (f" {_type_of(c['schema'])}" if c.get("schema") else "")
            for media, c in response.get("content", {}).items()
        )
        rows.append(
            f"<tr><td>{_e(status)}</td><td>{_e(response.get('description', ''))}</td><td>{kinds}</td></tr>"
        )
    return (
        '<table class="tabel"><caption>Antwoorden</caption><thead><tr><th scope="col">Status</th>'
        '<th scope="col">Betekenis</th><th scope="col">Inhoud</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _operation(path: str, method: str, op: dict[str, Any]) -> str:
    anchor = _e(op.get("operationId", f"{method}-{path}"))
    secured = "met token" if op.get("security", True) != [] else "zonder login"
    return (
        f'<section class="blok" id="op-{anchor}" aria-labelledby="op-{anchor}-titel">'
        f'<h3 id="op-{anchor}-titel"><code>{_e(method.upper())} {_e(path)}</code></h3>'
        f"<p><strong>{_e(op.get('summary', ''))}</strong> ({secured})</p>"
        f"<p>{_e(op.get('description', ''))}</p>"
        f"{_parameters(op)}{_body(op)}{_responses(op)}</section>"
    )


def _schemas(document: dict[str, Any]) -> str:
    parts = []
    for name, schema in sorted(document.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        rows = "".join(
            f"<tr><td><code>{_e(field)}</code></td><td>{'ja' if field in required else 'nee'}</td>"
            f"<td>{_type_of(spec)}</td><td>{_e(spec.get('description', ''))}</td></tr>"
            for field, spec in schema.get("properties", {}).items()
        )
        table = (
            f'<table class="tabel"><caption>Velden van {_e(name)}</caption><thead><tr>'
            '<th scope="col">Veld</th><th scope="col">Verplicht</th><th scope="col">Type</th>'
            f'<th scope="col">Omschrijving</th></tr></thead><tbody>{rows}</tbody></table>'
            if rows else f"<p>{_type_of(schema)}</p>"
        )
        parts.append(
            f'<section id="schema-{_e(name)}" aria-labelledby="schema-{_e(name)}-titel">'
            f'<h3 id="schema-{_e(name)}-titel">{_e(name)}</h3>'
            f"<p>{_e(schema.get('description', ''))}</p>{table}</section>"
        )
    return "".join(parts)


def render_docs(document: dict[str, Any], openapi_url: str) -> str:
    """The whole documentation page of ``document`` as HTML."""
    info = document.get("info", {})
    by_tag: dict[str, list[str]] = {}
    for path, item in document.get("paths", {}).items():
        for method in _METHODS:
            if method in item:
                op = item[method]
                tag = (op.get("tags") or ["overig"])[0]
                by_tag.setdefault(tag, []).append(_operation(path, method, op))
    tags = [t["name"] for t in document.get("tags", [])]
    tags += [t for t in by_tag if t not in tags]
    descriptions = {t["name"]: t.get("description", "") for t in document.get("tags", [])}
    toc = "".join(f'<li><a href="#tag-{_e(t)}">{_e(t)}</a></li>' for t in tags if t in by_tag)
    sections = "".join(
        f'<section id="tag-{_e(t)}" aria-labelledby="tag-{_e(t)}-titel">'
        f'<h2 id="tag-{_e(t)}-titel">{_e(t)}</h2><p>{_e(descriptions.get(t, ""))}</p>'
        f"{''.join(by_tag[t])}</section>"
        for t in tags if t in by_tag
    )
    servers = ", ".join(f"<code>{_e(s.get('url'))}</code>" for s in document.get("servers", []))
    return (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>API-documentatie – {_e(info.get('title'))}</title>"
        '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
        '<link rel="stylesheet" href="/static/wpb.css"></head><body>'
        '<main id="inhoud" class="breedte">'
        f"<h1>{_e(info.get('title'))} <span class=\"klein\">versie {_e(info.get('version'))}</span></h1>"
        f"<p>{_e(info.get('description', ''))}</p>"
        f"<p>Basispad: {servers}. Het OpenAPI-document zelf: "
        f'<a href="{_e(openapi_url)}">{_e(openapi_url)}</a>. Inloggen: <code>POST /tokens</code>, '
        "daarna <code>Authorization: Bearer &lt;token&gt;</code>.</p>"
        f'<nav aria-label="Onderdelen"><ul>{toc}<li><a href="#schemas">Schema\'s</a></li></ul></nav>'
        f'{sections}<section id="schemas" aria-labelledby="schemas-titel">'
        f"<h2 id=\"schemas-titel\">Schema's</h2>{_schemas(document)}</section>"
        "</main></body></html>"
    )


def install(api: FastAPI, prefix: str) -> None:
    """``GET {prefix}/docs`` on the API application (not in its own document)."""

    @api.get(DOCS_PATH, include_in_schema=False, response_class=HTMLResponse)
    def api_docs(request: Request) -> HTMLResponse:
        return HTMLResponse(render_docs(api.openapi(), f"{prefix}/openapi.json"))


__all__ = ["DOCS_PATH", "install", "render_docs"]
