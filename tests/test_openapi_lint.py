"""The key NL GOV API Design Rules (ADR 2.1.0) checked on the published OpenAPI document.

The full lint runs with Spectral in ``scripts/lint-openapi.sh`` (needs npm); these checks
run in every test run without it. Each check is a small function returning its findings,
tested twice: the service's document has none, and ``lint/testcases/violations.json`` (the
document the Spectral ruleset's self-test uses) has some, so no check can pass vacuously.

Rules (https://logius-standaarden.github.io/API-Design-Rules/):
- /core/version-header: every response carries API-Version, the full version number.
- /core/uri-version: the base path holds the major version; here it is /api/v1.
- /core/transport/no-sensitive-uris: no BSN in path segments or path/query parameters
  (search by BSN is a POST with the BSN in the body).
- /core/error-handling/problem-details: 4xx/5xx are application/problem+json with status,
  title and detail; /core/error-handling/invalid-input: 400, not 422.
- /core/no-trailing-slash, /core/path-segments-kebab-case, /core/query-keys-camel-case.
- /core/publish-openapi: readable without login, from any origin (checked by the export).
- /core/doc-openapi-contact, and operationIds for every operation.
- /core/doc-openapi: every success response documents its body; a JSON body has a real
  response model (a schema with properties), never a free-form ``object``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from wpb.service.openapi_export import export_openapi

ROOT = Path(__file__).resolve().parents[1]
RULESET = ROOT / "lint" / "adr-ruleset.yaml"
VIOLATIONS = ROOT / "lint" / "testcases" / "violations.json"

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
PROBLEM_TYPES = {"application/problem+json", "application/problem+xml"}

# Rule identifiers of ADR 2.1.0 (facts from the published standard) that the ruleset may
# name its rules after.
ADR_RULES = {
    "/core/naming-resources", "/core/naming-collections", "/core/interface-language",
    "/core/no-trailing-slash", "/core/path-segments-kebab-case", "/core/query-keys-camel-case",
    "/core/hide-implementation", "/core/lang-code", "/core/date-time/format",
    "/core/date-time/timezone", "/core/date-time/date-omit-time-portion", "/core/http-methods",
    "/core/http-safety", "/core/stateless", "/core/nested-child", "/core/resource-operations",
    "/core/error-handling/problem-details", "/core/error-handling/invalid-input",
    "/core/error-handling/all-errors", "/core/doc-openapi", "/core/doc-openapi-contact",
    "/core/doc-language", "/core/publish-openapi", "/core/deprecation-schedule",
    "/core/transition-period", "/core/uri-version", "/core/changelog", "/core/semver",
    "/core/version-header", "/core/transport/tls", "/core/transport/no-sensitive-uris",
    "/core/transport/security-headers", "/core/transport/cors",
}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    # Raises PublishError when /core/publish-openapi is not met (login needed, no CORS *).
    return export_openapi()


@pytest.fixture(scope="module")
def violations() -> dict[str, Any]:
    return json.loads(VIOLATIONS.read_text(encoding="utf-8"))


# --- helpers ---------------------------------------------------------------------------------


def resolve(doc: dict[str, Any], node: Any) -> Any:
    """Follow local ``$ref``s (``#/a/b``) until a plain object."""
    seen = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#/"):
            break
        seen.add(ref)
        node = doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def operations(doc: dict[str, Any]):
    for path, item in doc.get("paths", {}).items():
        for method in METHODS:
            if isinstance(item.get(method), dict):
                yield path, method, item[method], item


def responses(doc: dict[str, Any]):
    for path, method, operation, _item in operations(doc):
        for status, response in (operation.get("responses") or {}).items():
            yield f"{method.upper()} {path} {status}", status, resolve(doc, response)


def query_parameters(doc: dict[str, Any]):
    for path, method, operation, item in operations(doc):
        for parameter in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
            parameter = resolve(doc, parameter)
            yield f"{method.upper()} {path}", parameter


def words(name: str) -> list[str]:
    """camelCase, snake_case and kebab-case names as lower-case words."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name).lower()
    return [w for w in re.split(r"[^a-z0-9]+", spaced) if w]


def is_bsn(name: str) -> bool:
    parts = words(name)
    return "bsn" in parts or "bsns" in parts or "burgerservicenummer" in "".join(parts)


# --- the checks ------------------------------------------------------------------------------


def version_header_findings(doc: dict[str, Any]) -> list[str]:
    """/core/version-header: API-Version on every response; its example is info.version."""
    found = []
    version = str(doc["info"]["version"])
    for where, _status, response in responses(doc):
        headers = {k.lower(): resolve(doc, v) for k, v in (response.get("headers") or {}).items()}
        header = headers.get("api-version")
        if header is None:
            found.append(f"{where}: geen API-Version")
            continue
        schema = header.get("schema") or {}
        example = header.get("example", schema.get("example"))
        if example is not None and str(example) != version:
            found.append(f"{where}: voorbeeld {example} is niet {version}")
    return found


def base_path_findings(doc: dict[str, Any]) -> list[str]:
    """/core/uri-version: servers end in /v<major of info.version>; the service's is /api/v1."""
    servers = doc.get("servers") or []
    if not servers:
        return ["geen servers"]
    major = str(doc["info"]["version"]).split(".")[0]
    found = []
    for server in servers:
        url = str(server.get("url", "")).rstrip("/")
        if not url.endswith("/api/v1"):
            found.append(f"{url}: niet /api/v1")
        if not url.endswith(f"/v{major}"):
            found.append(f"{url}: hoofdversie is niet v{major}")
    return found


def bsn_in_uri_findings(doc: dict[str, Any]) -> list[str]:
    """/core/transport/no-sensitive-uris: no BSN in a path segment or path/query parameter."""
    found = []
    for path in doc.get("paths", {}):
        if any(is_bsn(segment.strip("{}")) for segment in path.split("/")):
            found.append(f"pad {path}")
    for where, parameter in query_parameters(doc):
        if parameter.get("in") in ("path", "query") and is_bsn(str(parameter.get("name", ""))):
            found.append(f"{where}: parameter {parameter['name']}")
    return found


def problem_json_findings(doc: dict[str, Any]) -> list[str]:
    """/core/error-handling/problem-details: 4xx/5xx only as problem+json with the members."""
    found = []
    for where, status, response in responses(doc):
        if not re.fullmatch(r"[45](\d\d|XX)", status):
            continue
        content = response.get("content") or {}
        if not content or set(content) - PROBLEM_TYPES:
            found.append(f"{where}: {sorted(content) or 'geen content'}")
            continue
        for media in content.values():
            schema = resolve(doc, media.get("schema") or {})
            missing = {"status", "title", "detail"} - set(schema.get("required") or [])
            missing |= {"status", "title", "detail"} - set(schema.get("properties") or {})
            if missing:
                found.append(f"{where}: schema mist {sorted(missing)}")
    return found


def invalid_input_findings(doc: dict[str, Any]) -> list[str]:
    """/core/error-handling/invalid-input: 400 (never 422) where input can be invalid."""
    found = []
    for path, method, operation, item in operations(doc):
        codes = set(operation.get("responses") or {})
        if "422" in codes:
            found.append(f"{method.upper()} {path}: 422")
        takes_query = any(
            resolve(doc, p).get("in") == "query"
            for p in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]
        )
        if (operation.get("requestBody") or takes_query) and "400" not in codes:
            found.append(f"{method.upper()} {path}: geen 400")
    return found


def trailing_slash_findings(doc: dict[str, Any]) -> list[str]:
    """/core/no-trailing-slash (the root "/" is exempt)."""
    return [path for path in doc.get("paths", {}) if path != "/" and path.endswith("/")]


_SEGMENT = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*|\{[^{}/]+\}")
_OPERATION = re.compile(r"_[a-z0-9]+(-[a-z0-9]+)*")


def path_case_findings(doc: dict[str, Any]) -> list[str]:
    """/core/path-segments-kebab-case: lower case kebab segments; the last may start with _."""
    found = []
    for path in doc.get("paths", {}):
        if path == "/":
            continue
        segments = path.split("/")[1:]
        last = len(segments) - 1
        for i, segment in enumerate(segments):
            if _SEGMENT.fullmatch(segment) or (i == last and _OPERATION.fullmatch(segment)):
                continue
            found.append(f"{path}: {segment!r}")
    return found


def query_key_findings(doc: dict[str, Any]) -> list[str]:
    """/core/query-keys-camel-case."""
    return [
        f"{where}: {p.get('name')}"
        for where, p in query_parameters(doc)
        if p.get("in") == "query" and not re.fullmatch(r"[a-z][A-Za-z0-9]*", str(p.get("name")))
    ]


def documentation_findings(doc: dict[str, Any]) -> list[str]:
    """/core/doc-openapi, /core/doc-openapi-contact, /core/semver and unique operationIds."""
    found = []
    if not re.fullmatch(r"3\.\d+\.\d+", str(doc.get("openapi", ""))):
        found.append(f"openapi {doc.get('openapi')!r} is geen OpenAPI 3")
    if not re.fullmatch(r"\d+\.\d+\.\d+([-+].+)?", str(doc.get("info", {}).get("version", ""))):
        found.append("info.version is geen semver")
    contact = doc.get("info", {}).get("contact") or {}
    if not contact.get("name") or not (contact.get("url") or contact.get("email")):
        found.append("info.contact mist naam of url/e-mail")
    ids = [op.get("operationId") for _p, _m, op, _i in operations(doc)]
    found += [f"operationId ontbreekt ({n}x)" for n in [ids.count(None)] if n]
    found += [f"operationId {i} dubbel" for i in sorted({i for i in ids if i and ids.count(i) > 1})]
    return found


def _free_form(doc: dict[str, Any], schema: Any) -> bool:
    """A schema that says nothing about its content: ``{}`` or an object without properties."""
    schema = resolve(doc, schema)
    if not isinstance(schema, dict) or not schema:
        return True
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            kept = [s for s in schema[key] if resolve(doc, s).get("type") != "null"]
            return any(_free_form(doc, s) for s in kept)
    if schema.get("type") == "array":
        return _free_form(doc, schema.get("items"))
    if schema.get("type", "object") == "object":
        return not schema.get("properties")
    return False


def response_model_findings(doc: dict[str, Any]) -> list[str]:
    """Every success response with a body documents that body: a JSON body has a schema with
    properties (a response model), never a free-form object."""
    findings = []
    for path, method, operation, _item in operations(doc):
        if method == "head":
            continue
        for status, response in (operation.get("responses") or {}).items():
            if not str(status).startswith("2") or str(status) == "204":
                continue
            content = resolve(doc, response).get("content") or {}
            if not content:
                findings.append(f"{method.upper()} {path} {status}: geen inhoud beschreven")
            json_body = content.get("application/json")
            if json_body is not None and _free_form(doc, json_body.get("schema")):
                findings.append(f"{method.upper()} {path} {status}: vrij object zonder model")
    return findings


CHECKS = [
    version_header_findings,
    base_path_findings,
    bsn_in_uri_findings,
    problem_json_findings,
    invalid_input_findings,
    trailing_slash_findings,
    path_case_findings,
    query_key_findings,
    documentation_findings,
    response_model_findings,
]


# --- tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_published_document_follows_the_rule(check, document):
    assert check(document) == []


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_check_finds_the_violation_in_the_bad_document(check, violations):
    assert check(violations) != []


def test_the_document_covers_the_whole_api(document):
    # The checks above would pass on an empty document: make sure it is the real one.
    assert document["servers"][0]["url"] == "/api/v1"
    assert len(document["paths"]) >= 10
    assert {"/overdrachten", "/overdrachten/_zoek", "/aanleveringen"} <= set(document["paths"])


def test_search_by_bsn_is_a_post_with_the_bsn_in_the_body(document):
    item = document["paths"]["/overdrachten/_zoek"]
    assert set(item) == {"post"}
    body = resolve(document, item["post"]["requestBody"]["content"]["application/json"]["schema"])
    assert "bsn" in body["properties"]


def test_bsn_check_reads_words_not_substrings():
    doc = {
        "info": {"version": "1.0.0"},
        "paths": {
            "/personen/{jeugdigeBsn}": {"get": {"responses": {}}},
            "/overdrachten": {"get": {"parameters": [
                {"name": "paginanummer", "in": "query"},
                {"name": "burger_service_nummer_x", "in": "query"},
                {"name": "bsn", "in": "header"},
                {"name": "BSN", "in": "query"},
            ], "responses": {}}},
        },
    }
    assert bsn_in_uri_findings(doc) == [
        "pad /personen/{jeugdigeBsn}",
        "GET /overdrachten: parameter burger_service_nummer_x",
        "GET /overdrachten: parameter BSN",
    ]


def test_path_case_allows_parameters_and_a_final_operation_segment_only():
    doc = {"paths": {p: {} for p in (
        "/", "/brp-gegevens", "/overdrachten/{overdracht_id}/_zoek", "/_zoek/overdrachten",
        "/Overdrachten", "/brp_gegevens", "/brp--gegevens", "/-brp",
    )}}
    assert path_case_findings(doc) == [
        "/_zoek/overdrachten: '_zoek'",
        "/Overdrachten: 'Overdrachten'",
        "/brp_gegevens: 'brp_gegevens'",
        "/brp--gegevens: 'brp--gegevens'",
        "/-brp: '-brp'",
    ]


def test_ruleset_names_its_rules_after_adr_rules():
    text = RULESET.read_text(encoding="utf-8")
    assert "2.1.0" in text.split("\n\n")[0], "the header cites the ADR version"
    assert "not Logius'" in text.split("\n\n")[0]
    rules = yaml.safe_load(text)["rules"]
    own = [name for name in rules if name.startswith("/")]
    assert own, "the ruleset has own ADR rules"
    unknown = [name for name in own if name.split("#")[0] not in ADR_RULES]
    assert unknown == []
    # The rules the issue asks for by name.
    for wanted in (
        "/core/version-header", "/core/uri-version", "/core/no-trailing-slash",
        "/core/naming-resources", "/core/http-methods", "/core/doc-openapi",
        "/core/doc-language", "/core/interface-language", "/core/path-segments-kebab-case",
        "/core/transport/no-sensitive-uris", "/core/error-handling/problem-details#media-type",
    ):
        assert wanted in rules
    assert rules["operation-operationId"] == "error"
    assert rules["info-contact"] == "error"


def test_wpb_openapi_command_writes_the_published_document(tmp_path, document):
    import typer
    from typer.testing import CliRunner

    from wpb.service.openapi_export import openapi_command

    app = typer.Typer()
    app.command("openapi")(openapi_command)
    app.command("andere")(lambda: None)  # two commands, so "openapi" is a real sub-command
    out = tmp_path / "docs" / "openapi.json"
    result = CliRunner().invoke(app, ["openapi", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8")) == document


def test_free_form_check_reads_schemas():
    doc = {"components": {"schemas": {"Claim": {"type": "object", "properties": {"id": {"type": "string"}}}}}}
    ref = {"$ref": "#/components/schemas/Claim"}
    assert not _free_form(doc, ref)
    assert not _free_form(doc, {"type": "array", "items": ref})
    assert not _free_form(doc, {"anyOf": [ref, {"type": "null"}]})
    assert _free_form(doc, {})
    assert _free_form(doc, {"type": "object", "additionalProperties": True})
    assert _free_form(doc, {"type": "array", "items": {}})
