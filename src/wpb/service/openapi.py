"""The OpenAPI document of the REST API, adjusted to the NL GOV API Design Rules: API-Version
headers, 400 instead of 422, Dutch descriptions of success responses, no generated titles
or code names of schemas, and the installation's contact.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from wpb.service.api_base import API_PREFIX, API_VERSION
from wpb.service.problems import PROBLEM_JSON
from wpb.service.schemas import ProblemDetails
from wpb.service.settings import Settings


def contact_of(settings: Settings) -> dict[str, str]:
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
    "Body_decide_file": "Besluitenbestand",
    "Body_check_caseload": "Clientenbestandcontrole",
    "Body_store_caseload": "Clientenbestandinlezing",
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


def openapi_document(api: FastAPI) -> dict:
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
        schemas_["ProblemDetails"] = ProblemDetails.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
    api.openapi_schema = doc
    return doc


