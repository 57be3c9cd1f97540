"""Messages between a victim and the service in charge, their attachments, withdrawal requests."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.base import UTCDateTime, new_public_id, utcnow
from webapp.models.complaints import Complaint
from webapp.models.services import Agent


class Message(db.Model):
    """One message of a complaint's thread, written by the victim or by an agent of the service."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    author_kind: Mapped[str] = mapped_column(String(10))  # "victim" or "agent"
    author_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # by the other side
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    complaint: Mapped[Complaint] = relationship()
    author_agent: Mapped[Agent | None] = relationship()
    attachments: Mapped[list["MessageAttachment"]] = relationship(back_populates="message",
                                                                   order_by="MessageAttachment.id")

    @property
    def from_victim(self) -> bool:
        return self.author_kind == "victim"


class MessageAttachment(db.Model):
    """A file joined to a message (photo, invoice, screenshot); bytes in the document storage."""

    __tablename__ = "message_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(60))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)
    original_filename: Mapped[str] = mapped_column(String(255), default="")

    message: Mapped[Message] = relationship(back_populates="attachments")


class WithdrawalStatus:
    PENDING = "pending"
    CANCELLED = "cancelled"
    ACKNOWLEDGED = "acknowledged"


class WithdrawalRequest(db.Model):
    """The victim asks to withdraw her complaint; the service acknowledges it (or answers by message)."""

    __tablename__ = "withdrawal_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default=WithdrawalStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))

    complaint: Mapped[Complaint] = relationship()
    decided_by: Mapped[Agent | None] = relationship()
