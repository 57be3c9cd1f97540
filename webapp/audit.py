"""The audit trail: one function to record, one query to read.

Entries are added in the same transaction as the change they describe, so a change without its
audit entry cannot be committed.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Agent, AuditEntry, Complaint, VictimAccount

ACTION_LABELS = {
    "agent.signed_in": "Connexion d'un agent",
    "agent.sign_in_failed": "Échec de connexion d'un agent",
    "victim.signed_in": "Connexion d'une victime",
    "victim.sign_in_failed": "Échec de connexion d'une victime",
    "signed_out": "Déconnexion",
    "complaint.created": "Plainte créée",
    "complaint.viewed": "Plainte consultée",
    "activation_code.issued": "Code d'activation émis",
    "activation.failed": "Échec d'activation",
    "activation.verified": "Code d'activation vérifié",
    "activation.locked": "Code d'activation bloqué",
    "activation.identity_mismatch": "Identité FranceConnect différente de celle de la plainte",
    "activation.succeeded": "Espace victime activé",
    "event.posted": "Étape ajoutée",
    "document.uploaded": "Document déposé",
    "document.downloaded": "Document téléchargé",
    "document.rejected": "Document refusé",
    "message.sent": "Message envoyé",
    "attachment.downloaded": "Pièce jointe téléchargée",
    "withdrawal.requested": "Demande de retrait de plainte",
    "withdrawal.cancelled": "Demande de retrait annulée",
    "withdrawal.acknowledged": "Demande de retrait prise en compte",
    "complaint.reassigned": "Enquêteur changé",
    "api.call": "Appel de l'API",
}


@dataclass(frozen=True)
class Actor:
    """Who acts: an agent, a victim, someone not signed in, or the system itself."""

    kind: str
    id: str = ""
    label: str = ""
    ip: str = ""
    service_id: int | None = None
    agent: Agent | None = None
    victim: VictimAccount | None = None

    @classmethod
    def for_agent(cls, agent: Agent, ip: str = "") -> "Actor":
        return cls("agent", agent.public_id, agent.email, ip, agent.service_id, agent=agent)

    @classmethod
    def for_victim(cls, victim: VictimAccount, ip: str = "") -> "Actor":
        return cls("victim", victim.public_id, victim.email, ip, victim=victim)

    @classmethod
    def anonymous(cls, ip: str = "") -> "Actor":
        return cls("anonymous", ip=ip)

    @classmethod
    def system(cls, label: str) -> "Actor":
        return cls("system", label=label)


def record(action: str, actor: Actor, *, complaint: Complaint | None = None, service_id: int | None = None,
           subject: str = "", details: dict | None = None) -> AuditEntry:
    """Add an audit entry to the current transaction."""
    if complaint is not None:
        service_id = complaint.service_id
    entry = AuditEntry(
        actor_type=actor.kind, actor_id=actor.id, actor_label=actor.label[:200],
        action=action, service_id=service_id if service_id is not None else actor.service_id,
        complaint_id=complaint.id if complaint is not None else None,
        subject=subject[:120], ip_address=actor.ip[:64],
        details=json.dumps(details, ensure_ascii=False, sort_keys=True) if details else "",
    )
    db.session.add(entry)
    return entry


def complaint_excerpt(complaint: Complaint, limit: int = 10) -> list[AuditEntry]:
    """The latest entries about one complaint, for its page in the back-office."""
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.complaint_id == complaint.id)
                                   .order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc()).limit(limit)))


def service_trail(service_id: int, *, action: str | None = None):
    """The audit entries about a service, newest first (a select to paginate)."""
    query = select(AuditEntry).where(AuditEntry.service_id == service_id)
    if action:
        query = query.where(AuditEntry.action == action)
    return query.order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc())
