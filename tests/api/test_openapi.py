"""The OpenAPI document: valid 3.1, complete, and the API fuzzed from it (schemathesis)."""
from __future__ import annotations

import re

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.factories import create_agent, create_complaint, create_service
from webapp.api.clients import SCOPES, create_client
from webapp.api.openapi import openapi_document


def test_document_is_valid_openapi_3_1(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_api_route_is_described(app):
    documented = {(path, method.upper()) for path, item in openapi_document()["paths"].items() for method in item}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi":
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, f"{method} {path} is missing from the OpenAPI document"


# Business rules go beyond what a schema can say (a date of facts in the past, an investigator who
# exists in the service): a schema-valid body may still be refused, with a 422 that names the field.
BUSINESS_RULES = [positive_data_acceptance]


def test_fuzzing_the_api_from_its_document_finds_no_error(app_factory):
    """Generated requests, valid and invalid: never a 500, and every answer conforms to the document."""
    app = app_factory()
    with app.app_context():
        service = create_service()
        create_agent(service)
        complaint = create_complaint(service)
        _, token = create_client(service, "Fuzzer", list(SCOPES))
        known_id = complaint.public_id
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    exercised = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=30, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}  # WSGI: no decoding
            case.validate_response(case.call(headers=headers), headers=headers, excluded_checks=BUSINESS_RULES)

        check()
        exercised += 1
        # And once more on a complaint that exists, so the happy paths are fuzzed too.
        if "{public_id}" in operation.path:
            @settings(max_examples=15, deadline=None, database=None, derandomize=True,
                      phases=[Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy())
            def check_known(case):
                case.path_parameters["public_id"] = known_id
                headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}  # WSGI: no decoding
                case.validate_response(case.call(headers=headers), headers=headers, excluded_checks=BUSINESS_RULES)

            check_known()
    assert exercised == len([1 for item in openapi_document()["paths"].values() for _ in item])
