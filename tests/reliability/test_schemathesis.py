"""schemathesis against the service's own OpenAPI document, in-process.

Every operation of ``/api/v1/openapi.json`` gets generated requests: schema-valid ones
with random values, schema-valid ones aimed at the resources of the seeded scenario
(:mod:`.support`), and schema-violating ones (schemathesis' negative mode), each sent
with the token of a random role. Every answer must

- not be a server error (no 5xx),
- have a status code the document lists for the operation,
- have a content type and headers the document declares, and a body matching its schema,
- be ``application/problem+json`` with ``status``/``title``/``detail`` when it is an error,
- not be reachable without the token (schemathesis' ``ignored_auth``: the same request
  without authentication must be refused).

Schema-violating requests that the service accepts (an unknown query parameter is ignored,
not refused) are not counted as failures: the NL GOV API Design Rules do not require
refusing unknown query parameters, and every other violation was answered 400.

``WPB_SCHEMATHESIS_EXAMPLES`` sets the examples per operation (default 8, about 15 s on the
2-core machine; 150 in the long run of docs/reliability.md).
"""

from __future__ import annotations

import os
import re
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    ignored_auth,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from wpb.service.components.beheer.models import Gebruiker  # noqa: E402
from wpb.service.components.beheer.tokens import issue_token  # noqa: E402
from wpb.service.db import make_engine, make_sessionmaker, transaction  # noqa: E402

EXAMPLES = int(os.environ.get("WPB_SCHEMATHESIS_EXAMPLES", "8"))
ROLES = ["latend", "ontvangend", "buitenstaander", "aanbieder", "coordinator"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, ignored_auth]


def _first(headers, name: str) -> str:
    value = headers.get(name) or headers.get(name.lower()) or [""]
    return value[0] if isinstance(value, list) else value


@pytest.fixture
def api_schema(scenario):
    app = scenario.app(pages=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    return scenario, schema


def _known(scenario) -> dict:
    return {
        "overdracht_id": scenario.ids["overdracht_brp"], "bericht_id": scenario.ids["bericht_jw315"],
        "claim_id": scenario.ids["claim_open"], "saldering_id": scenario.ids["saldering"],
        "geschil_id": scenario.ids["geschil"], "gemeentecode": "0307",
        "taakcode": "ontvangende_gemeente.toewijzing",
        # No invoice, signal or agreement request in the scenario has a known id: an unknown
        # one checks the 404 (a public id is a UUID, an invoice's still an integer).
        "factuur_id": 999_999, "signaal_id": "0e5a1c4e-7b0f-4a8e-9c1d-3f2b6a7d8e90",
        "instemming_id": scenario.ids.get("instemming", "5d3c2b1a-0f9e-4d8c-8b7a-6e5f4d3c2b1a"),
    }


def test_every_operation_answers_within_its_schema(api_schema):
    scenario, schema = api_schema
    known = _known(scenario)
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 45, "the OpenAPI document lost operations"
    tried = 0
    for op in operations:
        if op.label == "DELETE /tokens/huidig":
            continue  # it revokes the caller's token: below, with a token of its own
        names = re.findall(r"\{([^}]+)\}", op.path)
        strategies = [op.as_strategy(), op.as_strategy(GenerationMode.NEGATIVE)]
        if names:
            strategies.append(op.as_strategy(path_parameters={n: known[n] for n in names}))

        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(st.one_of(strategies), st.sampled_from(ROLES))
        def run(case, role):
            auth = scenario.headers(role)
            response = case.call(headers=auth)
            case.validate_response(response, checks=CHECKS, headers=auth,
                                   transport_kwargs={"headers": auth})
            if response.status_code >= 400:
                assert _first(response.headers, "content-type").startswith(
                    "application/problem+json"), (response.status_code, response.text[:300])
            assert _first(response.headers, "api-version"), "API-Version header missing"

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures[op.label] = str(exc)[:2000]
        tried += 1
    assert tried >= 45
    assert not failures, "\n\n".join(f"== {k}\n{v}" for k, v in failures.items())


def test_token_revocation_operation(api_schema):
    scenario, schema = api_schema
    op = schema["/tokens/huidig"]["DELETE"]
    engine = make_engine(scenario.url)
    factory = make_sessionmaker(engine)

    @settings(max_examples=max(3, EXAMPLES // 3), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(op.as_strategy())
    def run(case):
        with transaction(factory) as session:
            user = session.query(Gebruiker).filter_by(gebruikersnaam="rel-latend").one()
            auth = {"Authorization": f"Bearer {issue_token(session, user.id)}"}
        response = case.call(headers=auth)
        case.validate_response(response, checks=CHECKS[:-1], headers=auth)
        assert response.status_code == 204
        again = case.call(headers=auth)
        assert again.status_code == 401

    run()
    engine.dispose()


# --- regression tests of what schemathesis found ----------------------------------------------


def test_brp_lookup_with_the_last_possible_peildatum(scenario):
    with scenario.client(pages=False) as c:
        response = c.post(f"/api/v1/overdrachten/{scenario.ids['overdracht_brp']}/brp-bevragingen",
                          json={"peildatum": "9999-12-31"}, headers=scenario.headers("ontvangend"))
    assert response.status_code in (200, 400), response.text


@pytest.mark.parametrize(("path", "body"), [
    ("/declaraties/_overnemen", {"berichten": [2**70], "betaaldatum": "2026-05-20"}),
    ("/woonplaatsbeslissingen", {"overdrachtId": 2**70}),
], ids=["declaraties-overnemen", "woonplaatsbeslissingen"])
def test_a_huge_number_in_a_body_is_a_400(scenario, path, body):
    with scenario.client(pages=False) as c:
        response = c.post(f"/api/v1{path}", json=body, headers=scenario.headers("ontvangend"))
    assert response.status_code in (400, 404), response.text
