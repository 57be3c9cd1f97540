"""All models, importable from one place."""
from webapp.models.api import ApiClient, IdempotencyRecord
from webapp.models.audit import AuditEntry
from webapp.models.base import new_public_id, utcnow
from webapp.models.complaints import ActivationCode, Complaint, Document, TimelineEvent
from webapp.models.messages import Message, MessageAttachment, WithdrawalRequest, WithdrawalStatus
from webapp.models.notifications import Notification, NotificationAttempt, NotificationStatus, PushSubscription
from webapp.models.services import Agent, AgentRole, Service
from webapp.models.sessions import AuthSession
from webapp.models.victims import VictimAccount

__all__ = [
    "ActivationCode", "ApiClient", "IdempotencyRecord", "Agent", "AgentRole", "AuditEntry", "AuthSession", "Complaint", "Document",
    "Message", "MessageAttachment", "WithdrawalRequest", "WithdrawalStatus", "Notification", "NotificationAttempt", "NotificationStatus", "PushSubscription", "Service",
    "TimelineEvent", "VictimAccount", "new_public_id", "utcnow",
]
