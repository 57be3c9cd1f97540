"""Push subscriptions and the notification outbox."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.base import UTCDateTime, new_public_id, utcnow
from webapp.models.complaints import Complaint
from webapp.models.victims import VictimAccount


class PushSubscription(db.Model):
    """One browser of a victim that receives web-push alerts."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    victim_id: Mapped[int] = mapped_column(ForeignKey("victim_accounts.id"), index=True)
    auth_session_id: Mapped[int | None] = mapped_column(ForeignKey("auth_sessions.id"), index=True)
    endpoint: Mapped[str] = mapped_column(Text)
    endpoint_hash: Mapped[str] = mapped_column(String(64), unique=True)
    p256dh: Mapped[str] = mapped_column(String(100))
    auth: Mapped[str] = mapped_column(String(40))
    device_label: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    victim: Mapped[VictimAccount] = relationship()


class NotificationStatus:
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Notification(db.Model):
    """An alert to deliver on one channel (one push subscription, or email): the outbox row.

    Written in the same transaction as the event it announces; a dispatcher sends it and records
    every attempt. ``lease_until`` marks a row being sent, so that a crashed sender's rows come back.
    """

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    victim_id: Mapped[int] = mapped_column(ForeignKey("victim_accounts.id"), index=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("push_subscriptions.id"), index=True)
    email_address: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12), default=NotificationStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(300), default="")

    complaint: Mapped[Complaint] = relationship()
    victim: Mapped[VictimAccount] = relationship()
    subscription: Mapped[PushSubscription | None] = relationship()


class NotificationAttempt(db.Model):
    """One try at delivering a notification, whatever happened."""

    __tablename__ = "notification_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(String(300), default="")
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
