"""Administration commands and the demonstration data."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.factories import create_service
from tests.webclient import Client
from webapp.extensions import db
from webapp.models import Agent, AgentRole, Complaint, Document, Message, Service, WithdrawalRequest


def test_create_service_and_agent(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-service", "--name", "Commissariat de Brest", "--phone", "02 98 00 00 00"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["create-agent", "--service", "Commissariat de Brest", "--email", "Lea@Police.example",
                                 "--name", "Léa Kerouac", "--role", "service_admin", "--password", "une longue phrase"])
    assert result.exit_code == 0, result.output
    agent = db.session.scalar(select(Agent))
    assert agent.email == "lea@police.example" and agent.role == AgentRole.SERVICE_ADMIN
    assert agent.password_hash.startswith("$argon2id$")


def test_create_agent_refuses_unknown_service_and_weak_password(app):
    create_service("Commissariat de Quimper")
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["create-agent", "--service", "Nulle part", "--email", "a@b.c", "--name", "A",
                                  "--password", "une longue phrase"])
    weak = runner.invoke(args=["create-agent", "--service", "Commissariat de Quimper", "--email", "a@b.c",
                               "--name", "A", "--password", "123456"])
    assert unknown.exit_code != 0 and "Aucun service" in unknown.output
    assert weak.exit_code != 0
    assert db.session.scalar(select(func.count(Agent.id))) == 0


def test_demo_seeds_once_and_prints_working_logins_and_codes(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["demo"])
    assert db.session.scalar(select(func.count(Service.id))) == 1
    assert db.session.scalar(select(func.count(Agent.id))) == 3
    assert db.session.scalar(select(func.count(Complaint.id))) == 3
    documents = db.session.scalars(select(Document)).all()
    assert documents and all(d.content_type == "application/pdf" for d in documents)
    assert db.session.scalar(select(func.count(Message.id))) == 2
    assert db.session.scalar(select(WithdrawalRequest.status)) == "pending"

    # The printed logins and codes work.
    email, password = re.search(r"(enqueteur@\S+)\s+mot de passe : (\S+)", second.output).groups()
    client = Client(app)
    assert client.submit("/agents/connexion", data={"email": email, "password": password}).status_code == 302
    codes = re.findall(r"code\s+([A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})\s+date de naissance : (\d\d)/(\d\d)/(\d{4})",
                       second.output)
    assert len(codes) == 1
    code, day, month, year = codes[0]
    # The enrolled demo victim signs in and finds her thread and her pending withdrawal request.
    victim_email, victim_password = re.search(r"(camille\.martin@\S+)\s+mot de passe : (\S+)", second.output).groups()
    camille = Client(app)
    assert camille.submit("/connexion", data={"email": victim_email, "password": victim_password}).status_code == 302
    listing = camille.text("/mes-plaintes")
    assert listing.count('href="/plaintes/') == 2
    victim = Client(app)
    response = victim.submit("/activation", data={"code": code, "birth_day": day, "birth_month": month,
                                                  "birth_year": year})
    assert response.status_code == 302
    response = victim.submit("/activation/compte", data={"email": "camille@example.org", "password": "une phrase solide",
                                                         "password_confirmation": "une phrase solide"})
    listing = victim.text(response.headers["Location"])
    page = victim.text(re.search(r'href="(/plaintes/[^"]+)"', listing).group(1))
    assert "Récépissé de dépôt de plainte" in page and "Plainte enregistrée" in page
