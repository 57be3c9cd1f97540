"""The audit trail: append-only, and what the service admin reads."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from tests.factories import create_agent, create_complaint, create_service, sign_in_agent
from webapp.extensions import db
from webapp.models import AgentRole, AuditEntry


def test_audit_entries_cannot_be_changed(app):
    create_complaint(create_service())
    entry = db.session.scalar(select(AuditEntry))
    with pytest.raises(sa.exc.DatabaseError):
        db.session.execute(sa.update(AuditEntry).where(AuditEntry.id == entry.id).values(actor_label="quelqu'un d'autre"))
        db.session.flush()
    db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        with pytest.raises(sa.exc.DatabaseError):
            db.session.execute(sa.delete(AuditEntry))
            db.session.flush()
        db.session.rollback()
    assert db.session.scalar(select(AuditEntry.actor_label).where(AuditEntry.id == entry.id)) == entry.actor_label


def test_service_admin_reads_only_the_trail_of_the_service(app, client):
    service, other = create_service(), create_service()
    admin = create_agent(service, AgentRole.SERVICE_ADMIN)
    create_complaint(service, procedure_number="2026/000111")
    foreign = create_complaint(other, procedure_number="2026/000222")
    sign_in_agent(client, admin)
    page = client.text("/agents/journal")
    assert "Plainte créée" in page and "Connexion d&#39;un agent" in page
    assert foreign.public_id not in page
    filtered = client.text("/agents/journal?action=complaint.created")
    assert "Connexion d&#39;un agent</td>" not in filtered and "Plainte créée" in filtered
