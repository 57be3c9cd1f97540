"""Factories: each test creates exactly the rows that matter to it."""
from __future__ import annotations

import io
from datetime import date, timedelta
from itertools import count

from webapp.audit import Actor
from webapp.auth.passwords import hash_password
from webapp.complaints.service import ComplaintDetails, create_complaint as _create_complaint, post_event
from webapp.documents.service import add_document
from webapp.enrolment.service import issue_activation_code
from webapp.extensions import db
from webapp.models import Agent, AgentRole, Complaint, Service, VictimAccount

PASSWORD = "une phrase de passe solide"
BIRTH_DATE = date(1990, 7, 14)
_sequence = count(1)

# A tiny but real PDF (one empty page), and a 1x1 PNG.
PDF_BYTES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
             b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
             b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
             b"trailer<</Root 1 0 R>>\n%%EOF\n")


def png_bytes() -> bytes:
    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def create_service(name: str | None = None, **fields) -> Service:
    service = Service(name=name or f"Commissariat n° {next(_sequence)}", address="1 place de la Mairie, 75001 Paris",
                      phone="01 23 45 67 89", email="commissariat@example.org",
                      opening_hours="Du lundi au vendredi, 9 h – 18 h", **fields)
    db.session.add(service)
    db.session.commit()
    return service


def create_agent(service: Service, role: AgentRole = AgentRole.INVESTIGATOR, email: str | None = None,
                 full_name: str = "Alex Dupont", grade: str = "Lieutenant", active: bool = True) -> Agent:
    agent = Agent(service_id=service.id, email=email or f"agent{next(_sequence)}@police.example",
                  full_name=full_name, grade=grade, role=role, password_hash=hash_password(PASSWORD),
                  active=active)
    db.session.add(agent)
    db.session.commit()
    return agent


def complaint_details(**overrides) -> ComplaintDetails:
    fields = dict(
        procedure_number=f"2026/{next(_sequence):06d}", offence_code="vol", facts_date=date.today() - timedelta(days=3),
        facts_place="Gare de Lyon, Paris", against_named_person=False, suspect_name="",
        investigator_public_id=None, victim_family_name="Durand", victim_given_names="Léa Marie",
        victim_birth_date=BIRTH_DATE, victim_birth_place="Nantes (44)", victim_email="lea.durand@example.org",
        victim_phone="")
    fields.update(overrides)
    return ComplaintDetails(**fields)


def create_complaint(service: Service, agent: Agent | None = None, victim: VictimAccount | None = None,
                     **overrides) -> Complaint:
    agent = agent or create_agent(service)
    complaint = _create_complaint(service, complaint_details(**overrides), Actor.for_agent(agent))
    if victim is not None:
        complaint.victim_account_id = victim.id
        db.session.commit()
    return complaint


def create_victim(email: str | None = None) -> VictimAccount:
    victim = VictimAccount(email=email or f"victime{next(_sequence)}@example.org",
                           password_hash=hash_password(PASSWORD))
    db.session.add(victim)
    db.session.commit()
    return victim


def issue_code(complaint: Complaint) -> str:
    agent = db.session.get(Agent, complaint.created_by_id)
    return issue_activation_code(complaint, Actor.for_agent(agent)).code


def create_event(complaint: Complaint, code: str = "enquete_en_cours", visible: bool = True, note: str = ""):
    return post_event(complaint, code, note=note, visible_to_victim=visible, by=Actor.system("tests"))


def create_document(complaint: Complaint, content: bytes = PDF_BYTES, kind: str = "recepisse",
                    visible: bool = True):
    return add_document(complaint, io.BytesIO(content), kind=kind, original_filename="scan.pdf",
                        visible_to_victim=visible, by=Actor.system("tests"))


def sign_in_victim(client, victim: VictimAccount, password: str = PASSWORD):
    response = client.submit("/connexion", data={"email": victim.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def sign_in_agent(client, agent: Agent, password: str = PASSWORD):
    response = client.submit("/agents/connexion", data={"email": agent.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response
