"""Errors as RFC 9457 problem details (``application/problem+json``), in plain French."""
from __future__ import annotations

import json

from flask import Response

TITLES = {400: "Requête invalide", 401: "Authentification requise", 403: "Permission manquante",
          404: "Introuvable", 405: "Méthode non permise", 409: "Requête en cours", 413: "Contenu trop volumineux",
          415: "Type de contenu non pris en charge", 422: "Données invalides", 429: "Trop de requêtes",
          500: "Erreur interne"}


class ApiProblem(Exception):
    def __init__(self, status: int, detail: str, *, errors: list[dict] | None = None, headers: dict | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors, self.headers = status, detail, errors or [], headers or {}


def field_error(field: str, detail: str) -> ApiProblem:
    return ApiProblem(422, f"Le champ « {field} » est invalide : {detail}", errors=[{"field": field, "detail": detail}])


def problem_response(status: int, detail: str, *, errors: list[dict] | None = None,
                     headers: dict | None = None) -> Response:
    body = {"type": "about:blank", "title": TITLES.get(status, "Erreur"), "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body, ensure_ascii=False), status=status, content_type="application/problem+json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
