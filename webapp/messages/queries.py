"""Counts of unread messages, for the victim's page and the agents' dashboard."""
from __future__ import annotations

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Complaint, Message


def unread_for_victim(complaint: Complaint) -> int:
    return db.session.scalar(select(func.count(Message.id)).where(
        Message.complaint_id == complaint.id, Message.author_kind == "agent", Message.read_at.is_(None)))


def unread_for_service(complaint: Complaint) -> int:
    return db.session.scalar(select(func.count(Message.id)).where(
        Message.complaint_id == complaint.id, Message.author_kind == "victim", Message.read_at.is_(None)))
