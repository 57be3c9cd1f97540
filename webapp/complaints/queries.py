"""Queries that return complaints, always scoped to who asks in the query itself."""
from __future__ import annotations

from flask import abort
from sqlalchemy import func, or_, select

from webapp.extensions import db
from webapp.models import Agent, Complaint, Document, TimelineEvent, VictimAccount


def complaints_of(victim: VictimAccount) -> list[Complaint]:
    """The victim's complaints, most recent first."""
    return list(db.session.scalars(
        select(Complaint).where(Complaint.victim_account_id == victim.id).order_by(Complaint.filed_at.desc())))


def victim_complaint_or_404(victim: VictimAccount, public_id: str) -> Complaint:
    """The victim's own complaint; someone else's answers exactly like a missing one."""
    complaint = db.session.scalar(select(Complaint).where(
        Complaint.public_id == public_id, Complaint.victim_account_id == victim.id))
    if complaint is None:
        abort(404)
    return complaint


def visible_timeline(complaint: Complaint) -> list[TimelineEvent]:
    """Events the victim may see, newest first."""
    return list(db.session.scalars(select(TimelineEvent).where(
        TimelineEvent.complaint_id == complaint.id, TimelineEvent.visible_to_victim.is_(True))
        .order_by(TimelineEvent.occurred_at.desc(), TimelineEvent.id.desc())))


def full_timeline(complaint: Complaint) -> list[TimelineEvent]:
    """Every event, internal ones included, newest first (agents only)."""
    return list(db.session.scalars(select(TimelineEvent).where(TimelineEvent.complaint_id == complaint.id)
                                   .order_by(TimelineEvent.occurred_at.desc(), TimelineEvent.id.desc())))


def visible_documents(complaint: Complaint) -> list[Document]:
    return list(db.session.scalars(select(Document).where(
        Document.complaint_id == complaint.id, Document.visible_to_victim.is_(True))
        .order_by(Document.uploaded_at.desc(), Document.id.desc())))


def all_documents(complaint: Complaint) -> list[Document]:
    return list(db.session.scalars(select(Document).where(Document.complaint_id == complaint.id)
                                   .order_by(Document.uploaded_at.desc(), Document.id.desc())))


def victim_document_or_404(victim: VictimAccount, complaint_public_id: str, document_public_id: str) -> Document:
    """A visible document of one of the victim's complaints; anything else is a 404."""
    document = db.session.scalar(
        select(Document).join(Complaint, Document.complaint_id == Complaint.id).where(
            Document.public_id == document_public_id, Document.visible_to_victim.is_(True),
            Complaint.public_id == complaint_public_id, Complaint.victim_account_id == victim.id))
    if document is None:
        abort(404)
    return document


def service_complaint_or_404(agent: Agent, public_id: str) -> Complaint:
    """A complaint of the agent's own service; another service's answers 404."""
    complaint = db.session.scalar(select(Complaint).where(
        Complaint.public_id == public_id, Complaint.service_id == agent.service_id))
    if complaint is None:
        abort(404)
    return complaint


def service_document_or_404(agent: Agent, complaint_public_id: str, document_public_id: str) -> Document:
    document = db.session.scalar(
        select(Document).join(Complaint, Document.complaint_id == Complaint.id).where(
            Document.public_id == document_public_id, Complaint.public_id == complaint_public_id,
            Complaint.service_id == agent.service_id))
    if document is None:
        abort(404)
    return document


def service_complaints(agent: Agent, *, search: str = ""):
    """A select of the service's complaints, newest first, optionally by procedure number or name."""
    query = select(Complaint).where(Complaint.service_id == agent.service_id)
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(or_(func.lower(Complaint.procedure_number).like(pattern),
                                func.lower(Complaint.victim_family_name).like(pattern)))
    return query.order_by(Complaint.filed_at.desc(), Complaint.id.desc())
