"""The service dashboard: filters that tell agents where they are needed, and their counts."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import exists, func, or_, select

from webapp.catalogue import MILESTONES
from webapp.extensions import db
from webapp.models import Agent, Complaint, Message, TimelineEvent, WithdrawalRequest, WithdrawalStatus, utcnow

CLOSING = [code for code, milestone in MILESTONES.items() if milestone.closes_case]
SORTS = {"recentes": "Les plus récentes d'abord", "anciennes": "Les plus anciennes d'abord"}


def filter_labels() -> dict[str, str]:
    days = current_app.config["STALE_AFTER_DAYS"]
    return {"toutes": "Toutes les plaintes", "non-lus": "Messages non lus",
            "retraits": "Demandes de retrait en attente", "miennes": "Mes dossiers",
            "sans-nouvelles": f"Sans nouvelles pour la victime depuis plus de {days} jours"}


def _unread():
    return exists().where(Message.complaint_id == Complaint.id, Message.author_kind == "victim",
                          Message.read_at.is_(None))


def _pending_withdrawal():
    return exists().where(WithdrawalRequest.complaint_id == Complaint.id,
                          WithdrawalRequest.status == WithdrawalStatus.PENDING)


def _stale():
    cutoff = utcnow() - timedelta(days=current_app.config["STALE_AFTER_DAYS"])
    recent_news = exists().where(TimelineEvent.complaint_id == Complaint.id, TimelineEvent.visible_to_victim.is_(True),
                                 TimelineEvent.occurred_at >= cutoff)
    closed = exists().where(TimelineEvent.complaint_id == Complaint.id, TimelineEvent.event_code.in_(CLOSING))
    return ~recent_news & ~closed


def _condition(name: str, agent: Agent):
    return {"non-lus": _unread(), "retraits": _pending_withdrawal(), "miennes": Complaint.investigator_id == agent.id,
            "sans-nouvelles": _stale()}.get(name)


def service_complaints(agent: Agent, *, name: str = "toutes", search: str = "", sort: str = "recentes"):
    """The service's complaints under one filter, as a select to paginate."""
    query = select(Complaint).where(Complaint.service_id == agent.service_id)
    if (condition := _condition(name, agent)) is not None:
        query = query.where(condition)
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(or_(func.lower(Complaint.procedure_number).like(pattern),
                                func.lower(Complaint.victim_family_name).like(pattern)))
    order = Complaint.filed_at.asc() if sort == "anciennes" else Complaint.filed_at.desc()
    return query.order_by(order, Complaint.id.desc())


def flags(complaints: list[Complaint]) -> dict[int, dict[str, bool]]:
    """What needs doing on each listed complaint: an unread message, a pending withdrawal request."""
    ids = [c.id for c in complaints]
    rows = db.session.execute(select(Complaint.id, _unread(), _pending_withdrawal()).where(Complaint.id.in_(ids)))
    return {row[0]: {"unread": bool(row[1]), "withdrawal": bool(row[2])} for row in rows}


def counts(agent: Agent) -> dict[str, int]:
    """How many complaints under each filter, in one query."""
    base = Complaint.service_id == agent.service_id
    columns = [func.count(Complaint.id)] + [func.count(Complaint.id).filter(_condition(name, agent))
                                            for name in ("non-lus", "retraits", "miennes", "sans-nouvelles")]
    row = db.session.execute(select(*columns).where(base)).one()
    return dict(zip(["toutes", "non-lus", "retraits", "miennes", "sans-nouvelles"], row))
