"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

A test fails if a route of the blueprint is missing here, and the test suite fuzzes the API from this
document (schemathesis): keep them together.
"""
from __future__ import annotations

from webapp.api.clients import SCOPES
from webapp.catalogue import DOCUMENT_KINDS, MILESTONES, OFFENCES
from webapp.complaints.service import PROCEDURE_NUMBER as PROCEDURE_NUMBER_PATTERN

PROCEDURE_NUMBER = PROCEDURE_NUMBER_PATTERN.pattern


def _problem_responses(*statuses: int) -> dict:
    descriptions = {400: "Requête invalide", 401: "Jeton absent, invalide ou révoqué",
                    403: "Permission manquante", 404: "Plainte introuvable dans votre service",
                    409: "Requête avec la même clé encore en cours", 413: "Fichier trop volumineux",
                    415: "Corps JSON attendu", 422: "Données invalides (le champ est nommé)",
                    429: "Trop de requêtes (voir Retry-After)"}
    return {str(code): {"description": descriptions[code],
                        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            for code in statuses}


def _ok(status: int, schema_ref: str, description: str) -> dict:
    return {str(status): {"description": description,
                          "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}}}


COMPLAINT_ID = {"name": "public_id", "in": "path", "required": True, "description": "Identifiant de la plainte",
                "schema": {"type": "string", "maxLength": 64}}
IDEMPOTENCY_KEY = {"name": "Idempotency-Key", "in": "header", "required": False,
                   "description": "Une valeur unique par opération : un nouvel essai avec la même clé renvoie la "
                                  "première réponse sans rien créer de plus.",
                   "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[A-Za-z0-9._:-]+$"}}
COMMON_ERRORS = (401, 403, 429)


def openapi_document() -> dict:
    schemas = {
        "Problem": {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {"type": "array", "items": {"type": "object", "required": ["field", "detail"], "properties": {
                "field": {"type": "string"}, "detail": {"type": "string"}}}}}},
        "Event": {"type": "object", "required": ["id", "code", "title", "note", "visible_to_victim", "occurred_at"],
                  "properties": {"id": {"type": "string"}, "code": {"type": "string", "enum": list(MILESTONES)},
                                 "title": {"type": "string"}, "note": {"type": "string"},
                                 "visible_to_victim": {"type": "boolean"},
                                 "occurred_at": {"type": "string", "format": "date-time"}}},
        "Document": {"type": "object", "required": ["id", "kind", "content_type", "size_bytes", "sha256",
                                                    "visible_to_victim", "uploaded_at"],
                     "properties": {"id": {"type": "string"}, "kind": {"type": "string", "enum": list(DOCUMENT_KINDS)},
                                    "content_type": {"type": "string",
                                                     "enum": ["application/pdf", "image/jpeg", "image/png"]},
                                    "size_bytes": {"type": "integer"}, "sha256": {"type": "string"},
                                    "visible_to_victim": {"type": "boolean"},
                                    "uploaded_at": {"type": "string", "format": "date-time"}}},
        "Activation": {"type": "object", "required": ["code", "expires_at", "activation_url", "letter_url"],
                       "description": "Le code n'est donné qu'une fois : il n'est conservé que sous forme d'empreinte.",
                       "properties": {"code": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time"},
                                      "activation_url": {"type": "string"}, "letter_url": {"type": "string"}}},
        "Complaint": {"type": "object", "required": [
            "id", "procedure_number", "offence", "facts_date", "facts_place", "against_named_person", "filed_at",
            "investigator_email", "victim_space_activated", "status"], "properties": {
            "id": {"type": "string"}, "procedure_number": {"type": "string"},
            "offence": {"type": "object", "required": ["code", "label"],
                        "properties": {"code": {"type": "string"}, "label": {"type": "string"}}},
            "facts_date": {"type": "string", "format": "date"}, "facts_place": {"type": "string"},
            "against_named_person": {"type": "boolean"}, "filed_at": {"type": "string", "format": "date-time"},
            "investigator_email": {"type": ["string", "null"]}, "victim_space_activated": {"type": "boolean"},
            "status": {"oneOf": [{"$ref": "#/components/schemas/Event"}, {"type": "null"}]},
            "timeline": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
            "documents": {"type": "array", "items": {"$ref": "#/components/schemas/Document"}},
            "withdrawal_request": {"oneOf": [{"type": "null"}, {
                "type": "object", "required": ["status", "created_at"],
                "properties": {"status": {"type": "string", "enum": ["pending", "cancelled", "acknowledged"]},
                               "created_at": {"type": "string", "format": "date-time"}}}]},
            "activation": {"$ref": "#/components/schemas/Activation"}}},
        "NewComplaint": {"type": "object", "required": ["procedure_number", "offence_code", "facts_date",
                                                        "facts_place", "victim"], "properties": {
            "procedure_number": {"type": "string", "pattern": PROCEDURE_NUMBER, "examples": ["2026/012345"]},
            "offence_code": {"type": "string", "enum": list(OFFENCES)},
            "facts_date": {"type": "string", "format": "date"}, "facts_place": {"type": "string", "minLength": 1, "maxLength": 300},
            "against_named_person": {"type": "boolean", "default": False},
            "suspect_name": {"type": "string", "maxLength": 200},
            "investigator_email": {"type": "string", "maxLength": 200},
            "victim": {"type": "object", "required": ["family_name", "given_names", "birth_date", "birth_place"],
                       "properties": {"family_name": {"type": "string", "minLength": 1, "maxLength": 200},
                                      "given_names": {"type": "string", "minLength": 1, "maxLength": 200},
                                      "birth_date": {"type": "string", "format": "date"},
                                      "birth_place": {"type": "string", "minLength": 1, "maxLength": 200},
                                      "birth_place_code": {"type": "string", "pattern": "^[0-9][0-9AB][0-9]{3}$",
                                                           "description": "Code INSEE de la commune, ou du pays "
                                                                          "pour une naissance à l'étranger"},
                                      "email": {"type": "string", "maxLength": 200},
                                      "phone": {"type": "string", "maxLength": 40}}}}},
        "NewEvent": {"type": "object", "required": ["code"], "properties": {
            "code": {"type": "string", "enum": list(MILESTONES)}, "note": {"type": "string", "maxLength": 2000},
            "visible_to_victim": {"type": "boolean", "default": True},
            "occurred_at": {"type": "string", "format": "date-time"}}},
    }
    paths = {
        "/api/v1/whoami": {"get": {
            "operationId": "whoami", "summary": "Le client authentifié, son service et ses permissions",
            "responses": {"200": {"description": "Le client", "content": {"application/json": {"schema": {
                "type": "object", "required": ["client", "service", "scopes"], "properties": {
                    "client": {"type": "string"}, "scopes": {"type": "array", "items": {"type": "string"}},
                    "service": {"type": "object", "required": ["id", "name"], "properties": {
                        "id": {"type": "string"}, "name": {"type": "string"}}}}}}}},
                **_problem_responses(401, 429)}}},
        "/api/v1/complaints": {
            "post": {"operationId": "createComplaint", "summary": "Créer une plainte et inscrire la victime",
                     "description": "Renvoie aussi le code d'activation à remettre à la victime (une seule fois). "
                                    "Permission : complaints:write.",
                     "parameters": [IDEMPOTENCY_KEY],
                     "requestBody": {"required": True, "content": {"application/json": {
                         "schema": {"$ref": "#/components/schemas/NewComplaint"}}}},
                     "responses": {**_ok(201, "Complaint", "Plainte créée"),
                                   **_problem_responses(400, 409, 415, 422, *COMMON_ERRORS)}},
            "get": {"operationId": "findComplaint", "summary": "Trouver une plainte par numéro de procédure",
                    "description": "Permission : complaints:read.",
                    "parameters": [{"name": "procedure_number", "in": "query", "required": True,
                                    "schema": {"type": "string", "minLength": 1, "maxLength": 40}}],
                    "responses": {"200": {"description": "0 ou 1 plainte", "content": {"application/json": {
                        "schema": {"type": "object", "required": ["items"], "properties": {
                            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Complaint"}}}}}}},
                        **_problem_responses(422, *COMMON_ERRORS)}}},
        "/api/v1/complaints/{public_id}": {"get": {
            "operationId": "getComplaint", "summary": "État, chronologie et documents d'une plainte",
            "description": "Permission : complaints:read.", "parameters": [COMPLAINT_ID],
            "responses": {**_ok(200, "Complaint", "La plainte"), **_problem_responses(404, *COMMON_ERRORS)}}},
        "/api/v1/complaints/{public_id}/events": {"post": {
            "operationId": "postEvent", "summary": "Ajouter une étape de l'enquête",
            "description": "La victime est prévenue si l'étape lui est visible. Permission : events:write.",
            "parameters": [COMPLAINT_ID, IDEMPOTENCY_KEY],
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/NewEvent"}}}},
            "responses": {**_ok(201, "Event", "Étape ajoutée"),
                          **_problem_responses(400, 404, 409, 415, 422, *COMMON_ERRORS)}}},
        "/api/v1/complaints/{public_id}/documents": {"post": {
            "operationId": "uploadDocument", "summary": "Déposer un document (PDF, JPEG, PNG)",
            "description": "Le type est vérifié sur le contenu. Permission : documents:write.",
            "parameters": [COMPLAINT_ID, IDEMPOTENCY_KEY],
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["file", "kind"], "properties": {
                    "file": {"type": "string", "contentMediaType": "application/octet-stream"},
                    "kind": {"type": "string", "enum": list(DOCUMENT_KINDS)},
                    "visible_to_victim": {"type": "string", "enum": ["true", "false"]}}}}}},
            "responses": {**_ok(201, "Document", "Document déposé"),
                          **_problem_responses(400, 404, 409, 413, 422, *COMMON_ERRORS)}}},
        "/api/v1/complaints/{public_id}/activation-codes": {"post": {
            "operationId": "newActivationCode", "summary": "Remettre un nouveau code d'activation",
            "description": "Les codes précédents non utilisés cessent de fonctionner. Permission : complaints:write.",
            "parameters": [COMPLAINT_ID, IDEMPOTENCY_KEY],
            "responses": {**_ok(201, "Activation", "Nouveau code"),
                          **_problem_responses(400, 404, 409, *COMMON_ERRORS)}}},
        "/api/v1/complaints/{public_id}/activation-letter": {"post": {
            "operationId": "activationLetter", "summary": "La lettre d'activation imprimable d'un code",
            "description": "Le code voyage dans le corps de la requête, jamais dans une adresse. "
                           "Permission : complaints:write.",
            "parameters": [COMPLAINT_ID],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["code"], "properties": {"code": {"type": "string", "minLength": 1, "maxLength": 40}}}}}},
            "responses": {"200": {"description": "Lettre HTML à imprimer", "content": {"text/html": {
                "schema": {"type": "string"}}}}, **_problem_responses(400, 404, 415, 422, *COMMON_ERRORS)}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Suivi Plainte – API des logiciels de procédure", "version": "1.0.0",
                 "description": "Créer les plaintes, inscrire les victimes, publier les étapes et les documents "
                                "sans double saisie. Jeton : `Authorization: Bearer sp_…` ; permissions : "
                                + ", ".join(SCOPES) + "."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
