"""Withdrawal requests: the victim asks, may cancel while pending; the service acknowledges."""
from __future__ import annotations

from sqlalchemy import select

from webapp import audit
from webapp.audit import Actor
from webapp.complaints.service import post_event
from webapp.extensions import db
from webapp.models import Complaint, WithdrawalRequest, WithdrawalStatus, utcnow


class WithdrawalRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def pending_request(complaint: Complaint) -> WithdrawalRequest | None:
    return db.session.scalar(select(WithdrawalRequest).where(
        WithdrawalRequest.complaint_id == complaint.id, WithdrawalRequest.status == WithdrawalStatus.PENDING))


def requests_of(complaint: Complaint) -> list[WithdrawalRequest]:
    return list(db.session.scalars(select(WithdrawalRequest).where(WithdrawalRequest.complaint_id == complaint.id)
                                   .order_by(WithdrawalRequest.created_at.desc())))


def request_withdrawal(complaint: Complaint, reason: str, by: Actor) -> WithdrawalRequest:
    """Record the victim's request; a second one while the first is pending changes nothing."""
    if existing := pending_request(complaint):
        return existing
    request = WithdrawalRequest(complaint_id=complaint.id, reason=(reason or "").strip()[:2000])
    db.session.add(request)
    db.session.flush()
    audit.record("withdrawal.requested", by, complaint=complaint, subject=f"withdrawal:{request.public_id}")
    db.session.commit()
    return request


def cancel_withdrawal(complaint: Complaint, by: Actor) -> WithdrawalRequest:
    request = pending_request(complaint)
    if request is None:
        raise WithdrawalRefused("Il n'y a pas de demande de retrait en attente : rien n'a été changé.")
    request.status, request.decided_at = WithdrawalStatus.CANCELLED, utcnow()
    audit.record("withdrawal.cancelled", by, complaint=complaint, subject=f"withdrawal:{request.public_id}")
    db.session.commit()
    return request


def acknowledge_withdrawal(complaint: Complaint, by: Actor) -> WithdrawalRequest:
    """The service takes the request into account: it shows on the timeline and the victim is alerted."""
    request = pending_request(complaint)
    if request is None:
        raise WithdrawalRefused("Cette demande n'est plus en attente (annulée ou déjà prise en compte).")
    request.status, request.decided_at = WithdrawalStatus.ACKNOWLEDGED, utcnow()
    request.decided_by_id = by.agent.id if by.agent else None
    audit.record("withdrawal.acknowledged", by, complaint=complaint, subject=f"withdrawal:{request.public_id}")
    post_event(complaint, "retrait_pris_en_compte", by=by)  # commits, with the victim's alert
    return request
