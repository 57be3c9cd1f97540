"""Back-office: recording complaints with clear refusals, the service list, the audit trail."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import create_agent, create_complaint, create_service, sign_in_agent
from tests.test_core_path import new_complaint_form
from webapp.extensions import db
from webapp.models import AgentRole, AuditEntry, Complaint, TimelineEvent


@pytest.fixture
def desk(app, client):
    service = create_service()
    agent = create_agent(service, AgentRole.AGENT)
    investigator = create_agent(service, AgentRole.INVESTIGATOR)
    sign_in_agent(client, agent)
    return service, investigator


def complaint_count() -> int:
    return db.session.scalar(select(func.count(Complaint.id)))


@pytest.mark.parametrize("overrides, message", [
    ({"procedure_number": "2026/0<script>"}, "ne peut contenir que"),
    ({"offence_code": "meurtre"}, "pas un choix valide"),
    ({"facts_date": (date.today() + timedelta(days=2)).isoformat()}, "dans le futur"),
    ({"facts_date": "32/13/2026"}, "Indiquez une date valide"),
    ({"victim_email": "", "victim_phone": ""}, "au moins une adresse e-mail ou un téléphone"),
    ({"victim_email": "pas-une-adresse"}, "adresse e-mail n&#39;est pas valide"),
    ({"victim_family_name": ""}, "Ce champ est obligatoire"),
])
def test_invalid_complaint_is_refused_with_a_clear_message(client, desk, overrides, message):
    _, investigator = desk
    response = client.submit("/agents/plaintes/nouvelle", data=new_complaint_form(investigator.public_id, **overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert complaint_count() == 0


def test_procedure_number_is_unique_within_the_service(client, desk):
    service, investigator = desk
    create_complaint(service, procedure_number="2026/012345")
    response = client.submit("/agents/plaintes/nouvelle", data=new_complaint_form(investigator.public_id))
    assert response.status_code == 422
    assert "existe déjà" in response.get_data(as_text=True)
    assert complaint_count() == 1
    # Another service may use the same number.
    create_complaint(create_service(), procedure_number="2026/012345")
    assert complaint_count() == 2


def test_investigator_must_belong_to_the_service(client, desk):
    outsider = create_agent(create_service(), AgentRole.INVESTIGATOR)
    response = client.submit("/agents/plaintes/nouvelle", data=new_complaint_form(outsider.public_id))
    assert response.status_code == 422
    assert complaint_count() == 0


def test_new_complaint_starts_with_a_registered_event(client, desk):
    _, investigator = desk
    client.submit("/agents/plaintes/nouvelle", data=new_complaint_form(investigator.public_id, against="named",
                                                                        suspect_name="Jean Voisin"))
    complaint = db.session.scalar(select(Complaint))
    assert complaint.against_named_person and complaint.suspect_name == "Jean Voisin"
    assert complaint.investigator_id == investigator.id
    assert [e.event_code for e in db.session.scalars(select(TimelineEvent))] == ["plainte_enregistree"]


def test_event_form_sent_twice_adds_one_event(client, desk):
    service, _ = desk
    complaint = create_complaint(service)
    url = f"/agents/plaintes/{complaint.public_id}"
    for _ in range(2):
        response = client.submit(url, action=f"{url}/etapes", data={"event_code": "enquete_en_cours",
                                                                     "submission_key": "same-form"})
        assert response.status_code == 302
    assert db.session.scalar(select(func.count(TimelineEvent.id)).where(
        TimelineEvent.event_code == "enquete_en_cours")) == 1


def test_unknown_event_code_changes_nothing(client, desk):
    service, _ = desk
    complaint = create_complaint(service)
    url = f"/agents/plaintes/{complaint.public_id}"
    response = client.submit(url, action=f"{url}/etapes", data={"event_code": "pirate"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(TimelineEvent.id))) == 1


def test_dashboard_lists_and_searches_the_services_complaints(client, desk):
    service, _ = desk
    create_complaint(service, procedure_number="2026/111111", victim_family_name="Garnier")
    create_complaint(service, procedure_number="2026/222222", victim_family_name="Roux")
    create_complaint(create_service(), procedure_number="2026/333333")
    page = client.text("/agents/")
    assert "2026/111111" in page and "2026/222222" in page and "2026/333333" not in page
    found = client.text("/agents/?q=garn")
    assert "2026/111111" in found and "2026/222222" not in found


def test_agent_views_are_in_the_audit_trail(client, desk):
    service, _ = desk
    complaint = create_complaint(service)
    client.get(f"/agents/plaintes/{complaint.public_id}")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "complaint.viewed"))
    assert entry.actor_type == "agent" and entry.complaint_id == complaint.id and entry.service_id == service.id


def test_letter_shows_the_code_once(client, desk):
    service, _ = desk
    complaint = create_complaint(service)
    url = f"/agents/plaintes/{complaint.public_id}"
    letter = client.submit(url, action=f"{url}/lettre-activation")
    html = letter.get_data(as_text=True)
    assert letter.status_code == 200 and letter.headers["Cache-Control"] == "no-store"
    assert "<svg" in html and complaint.procedure_number in html
    assert "Voyez où en est l&#39;enquête" in html or "Voyez où en est l'enquête" in html
    # The plain code is nowhere in the database, and the agent page does not show it again.
    import re
    code = re.search(r'class="code"[^>]*>([A-Z0-9-]+)<', html).group(1)
    assert code not in client.text(url)
