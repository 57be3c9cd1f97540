"""API test helpers: a client of a service with a token, and JSON calls."""
from __future__ import annotations

import json

import pytest

from tests.factories import create_agent, create_service
from webapp.api.clients import SCOPES, create_client
from webapp.models import AgentRole


class Api:
    def __init__(self, client, token: str):
        self.client, self.token = client, token

    def headers(self, extra=None, token=None) -> dict:
        return {"Authorization": f"Bearer {token or self.token}", **(extra or {})}

    def get(self, path, **kwargs):
        return self.client.get(f"/api/v1{path}", headers=self.headers(kwargs.pop("headers", None),
                                                                       kwargs.pop("token", None)), **kwargs)

    def post(self, path, body=None, *, key=None, token=None, headers=None, **kwargs):
        extra = dict(headers or {})
        if key:
            extra["Idempotency-Key"] = key
        if body is not None:
            kwargs.setdefault("data", json.dumps(body))
            extra.setdefault("Content-Type", "application/json")
        return self.client.post(f"/api/v1{path}", headers=self.headers(extra, token), **kwargs)


@pytest.fixture
def api_service(app):
    service = create_service("Commissariat de Nantes")
    create_agent(service, AgentRole.INVESTIGATOR, email="enqueteur@nantes.example")
    return service


@pytest.fixture
def api(app, client, api_service) -> Api:
    _, token = create_client(api_service, "LRP Nantes", list(SCOPES))
    return Api(client, token)


def complaint_body(**overrides) -> dict:
    body = {"procedure_number": "2026/055501", "offence_code": "vol", "facts_date": "2026-10-02",
            "facts_place": "Tramway ligne 1, Nantes", "investigator_email": "enqueteur@nantes.example",
            "victim": {"family_name": "Nguyen", "given_names": "Mai Anh", "birth_date": "1992-04-18",
                       "birth_place": "Rennes (35)", "email": "mai.nguyen@example.org"}}
    body.update(overrides)
    return body
