"""Each endpoint's happy path and its refusals."""
from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from tests.api.conftest import Api, complaint_body
from tests.factories import PDF_BYTES, create_complaint, create_service, png_bytes
from webapp.api.clients import create_client, revoke
from webapp.extensions import db
from webapp.models import ApiClient, AuditEntry, Complaint, Document, TimelineEvent


def problem(response) -> dict:
    assert response.mimetype == "application/problem+json", response.get_data(as_text=True)
    return response.get_json()


def test_create_complaint_returns_the_activation_code_once(api, app, client):
    response = api.post("/complaints", complaint_body())
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["procedure_number"] == "2026/055501" and body["offence"]["label"] == "Vol"
    assert body["investigator_email"] == "enqueteur@nantes.example" and body["status"]["code"] == "plainte_enregistree"
    code = body["activation"]["code"]
    assert body["activation"]["activation_url"].endswith(f"/activation#code={code}")
    # The code really activates the complaint for the victim.
    response = client.submit("/activation", data={"code": code, "birth_day": "18", "birth_month": "4",
                                                  "birth_year": "1992"})
    assert response.headers["Location"].endswith("/activation/compte")
    # The letter is printable for that code, given in the body.
    letter = api.post(f"/complaints/{body['id']}/activation-letter", {"code": code})
    assert letter.status_code == 200 and letter.mimetype == "text/html" and "<svg" in letter.get_data(as_text=True)
    wrong = api.post(f"/complaints/{body['id']}/activation-letter", {"code": "AAAAA-BBBBB-CCCCC"})
    assert wrong.status_code == 422 and problem(wrong)["errors"][0]["field"] == "code"


def test_get_and_find_a_complaint_with_its_timeline_and_documents(api, api_service):
    complaint = create_complaint(api_service, procedure_number="2026/000777")
    api.post(f"/complaints/{complaint.public_id}/events", {"code": "information", "visible_to_victim": False,
                                                           "note": "vidéo demandée"})
    body = api.get(f"/complaints/{complaint.public_id}").get_json()
    assert [e["code"] for e in body["timeline"]] == ["information", "plainte_enregistree"]
    assert body["timeline"][0]["visible_to_victim"] is False and body["documents"] == []
    found = api.get("/complaints", query_string={"procedure_number": "2026/000777"}).get_json()
    assert [c["id"] for c in found["items"]] == [complaint.public_id]
    assert api.get("/complaints", query_string={"procedure_number": "2026/999999"}).get_json() == {"items": []}


def test_post_event_notifies_like_an_agent(api, api_service):
    from tests.factories import create_victim
    victim = create_victim()
    complaint = create_complaint(api_service, victim=victim)
    response = api.post(f"/complaints/{complaint.public_id}/events",
                        {"code": "transmis_parquet", "note": "Dossier envoyé le 3 mars",
                         "occurred_at": "2026-03-03T10:00:00+01:00"})
    assert response.status_code == 201
    event = response.get_json()
    assert event["occurred_at"].startswith("2026-03-03T09:00:00") and event["visible_to_victim"] is True
    from tests.notifications.helpers import notifications
    assert [n.reason for n in notifications()] == ["event"]  # email to the victim (no push device here)


def test_upload_document_checked_from_content(api, api_service):
    complaint = create_complaint(api_service)
    ok = api.post(f"/complaints/{complaint.public_id}/documents", content_type="multipart/form-data",
                  data={"kind": "recepisse", "file": (io.BytesIO(PDF_BYTES), "recepisse.pdf")})
    assert ok.status_code == 201 and ok.get_json()["content_type"] == "application/pdf"
    fake = api.post(f"/complaints/{complaint.public_id}/documents", content_type="multipart/form-data",
                    data={"kind": "recepisse", "file": (io.BytesIO(b"MZ" + b"\0" * 64), "recepisse.pdf")})
    assert fake.status_code == 422 and problem(fake)["errors"][0]["field"] == "file"
    bad_kind = api.post(f"/complaints/{complaint.public_id}/documents", content_type="multipart/form-data",
                        data={"kind": "facture", "file": (io.BytesIO(png_bytes()), "a.png")})
    assert bad_kind.status_code == 422 and problem(bad_kind)["errors"][0]["field"] == "kind"
    assert db.session.scalar(select(func.count(Document.id))) == 1


def test_oversize_document_is_413(app_factory):
    app = app_factory(MAX_DOCUMENT_SIZE=1000)
    with app.app_context():
        service = create_service()
        _, token = create_client(service, "LRP", ["documents:write"])
        complaint = create_complaint(service)
        from tests.webclient import Client
        api = Api(Client(app), token)
        response = api.post(f"/complaints/{complaint.public_id}/documents", content_type="multipart/form-data",
                            data={"kind": "recepisse", "file": (io.BytesIO(PDF_BYTES + b" " * 3000), "gros.pdf")})
        assert response.status_code == 413 and "taille maximale" in problem(response)["detail"]


@pytest.mark.parametrize("body, field", [
    ({"offence_code": "meurtre"}, "offence_code"),
    ({"facts_date": "02/10/2026"}, "facts_date"),
    ({"facts_date": "2999-01-01"}, "facts_date"),
    ({"procedure_number": ""}, "procedure_number"),
    ({"procedure_number": "2026/<script>"}, "procedure_number"),
    ({"investigator_email": "personne@ailleurs.example"}, "investigator_email"),
    ({"victim": {"family_name": "X", "given_names": "Y", "birth_place": "Z"}}, "victim.birth_date"),
    ({"victim": "Nguyen"}, "victim"),
    ({"against_named_person": "oui"}, "against_named_person"),
    ({"facts_place": "Gare\u0000 de Nantes"}, "facts_place"),
    ({"victim": {"family_name": "\ud800", "given_names": "Y", "birth_date": "1990-01-01", "birth_place": "Z"}},
     "victim.family_name"),
])
def test_invalid_complaint_names_the_field_and_creates_nothing(api, body, field):
    response = api.post("/complaints", complaint_body(**body))
    assert response.status_code == 422
    assert problem(response)["errors"][0]["field"] == field
    assert db.session.scalar(select(func.count(Complaint.id))) == 0


@pytest.mark.parametrize("body, field", [
    ({"code": "arrestation"}, "code"),
    ({"code": "information", "occurred_at": "hier"}, "occurred_at"),
    ({"code": "information", "occurred_at": "2026-03-03T10:00:00"}, "occurred_at"),
    ({"note": "sans code"}, "code"),
    ({"code": "information", "visible_to_victim": "yes"}, "visible_to_victim"),
])
def test_invalid_event_names_the_field(api, api_service, body, field):
    complaint = create_complaint(api_service)
    response = api.post(f"/complaints/{complaint.public_id}/events", body)
    assert response.status_code == 422 and problem(response)["errors"][0]["field"] == field
    assert db.session.scalar(select(func.count(TimelineEvent.id))) == 1


def test_not_json_is_415_and_broken_json_400(api, api_service):
    complaint = create_complaint(api_service)
    url = f"/complaints/{complaint.public_id}/events"
    assert api.post(url, data="code=information", headers={"Content-Type": "text/plain"}).status_code == 415
    assert api.post(url, data="{oops", headers={"Content-Type": "application/json"}).status_code == 400


def test_another_services_complaint_is_404(api):
    foreign = create_complaint(create_service())
    for response in (api.get(f"/complaints/{foreign.public_id}"),
                     api.post(f"/complaints/{foreign.public_id}/events", {"code": "information"})):
        assert response.status_code == 404 and problem(response)["status"] == 404
    assert api.get("/complaints", query_string={"procedure_number": foreign.procedure_number}).get_json() == {"items": []}


def test_missing_invalid_and_revoked_tokens_are_401(api, client):
    assert client.get("/api/v1/whoami").status_code == 401
    assert api.get("/whoami", token="sp_nothing_here").status_code == 401
    assert api.get("/whoami").status_code == 200
    revoke(db.session.scalar(select(ApiClient)))
    response = api.get("/whoami")
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_missing_permission_is_403(app, client, api_service):
    complaint = create_complaint(api_service)
    _, token = create_client(api_service, "Lecture seule", ["complaints:read"])
    api = Api(client, token)
    assert api.get(f"/complaints/{complaint.public_id}").status_code == 200
    response = api.post(f"/complaints/{complaint.public_id}/events", {"code": "information"})
    assert response.status_code == 403 and "events:write" in problem(response)["detail"]


def test_every_call_is_in_the_audit_trail_with_the_client_name(api, api_service):
    complaint = create_complaint(api_service)
    api.get(f"/complaints/{complaint.public_id}")
    api.post(f"/complaints/{complaint.public_id}/events", {"code": "information"})
    calls = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "api.call")).all()
    assert len(calls) == 2 and {c.actor_label for c in calls} == {"LRP Nantes"}
    assert {json.loads(c.details)["path"] for c in calls} == {f"/api/v1/complaints/{complaint.public_id}",
                                                              f"/api/v1/complaints/{complaint.public_id}/events"}
    posted = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.posted"))
    assert posted.actor_type == "api" and posted.actor_label == "LRP Nantes"


def test_unknown_api_path_answers_problem_json(api):
    response = api.get("/nothing-here")
    assert response.status_code == 404 and problem(response)["title"] == "Introuvable"


def test_rate_limit_per_client_gives_429_with_retry_after(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute")
    with app.app_context():
        service = create_service()
        _, first = create_client(service, "A", ["complaints:read"])
        _, second = create_client(service, "B", ["complaints:read"])
        from tests.webclient import Client
        api = Api(Client(app), first)
        statuses = [api.get("/whoami").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = api.get("/whoami")
        assert int(limited.headers["Retry-After"]) > 0 and problem(limited)["status"] == 429
        assert api.get("/whoami", token=second).status_code == 200  # another client has its own budget


def test_api_client_command_creates_and_revokes(app, api_service):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["api-client", "create", "--service", api_service.name, "--name", "LRP test",
                                 "--scope", "events:write"])
    assert result.exit_code == 0, result.output
    token = result.output.split("une seule fois, à conserver dans le logiciel) : ")[1].strip()
    client = db.session.scalar(select(ApiClient).where(ApiClient.name == "LRP test"))
    assert token not in client.token_hash and client.scopes == "events:write"
    assert runner.invoke(args=["api-client", "revoke", f"--client={client.public_id}"]).exit_code == 0
    db.session.refresh(client)
    assert client.revoked_at is not None
