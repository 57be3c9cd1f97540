"""Complaints, their timeline, documents and activation codes."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.base import UTCDateTime, new_public_id, utcnow
from webapp.models.services import Agent, Service
from webapp.models.victims import VictimAccount


class Complaint(db.Model):
    """A complaint filed at a service, with the victim's civil identity and contact."""

    __tablename__ = "complaints"
    __table_args__ = (UniqueConstraint("service_id", "procedure_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    procedure_number: Mapped[str] = mapped_column(String(40))
    offence_code: Mapped[str] = mapped_column(String(40))
    facts_date: Mapped[date] = mapped_column(Date)
    facts_place: Mapped[str] = mapped_column(String(300))
    against_named_person: Mapped[bool] = mapped_column(Boolean, default=False)
    suspect_name: Mapped[str] = mapped_column(String(200), default="")
    investigator_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), index=True)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))

    victim_family_name: Mapped[str] = mapped_column(String(200))
    victim_given_names: Mapped[str] = mapped_column(String(200))
    victim_birth_date: Mapped[date] = mapped_column(Date)
    victim_birth_place: Mapped[str] = mapped_column(String(200))
    # INSEE code of the birth commune, or of the country for someone born abroad (checked against
    # FranceConnect's birthplace / birthcountry); empty when not recorded.
    victim_birth_place_code: Mapped[str] = mapped_column(String(5), default="", server_default="")
    victim_email: Mapped[str] = mapped_column(String(200), default="")
    victim_phone: Mapped[str] = mapped_column(String(40), default="")
    victim_account_id: Mapped[int | None] = mapped_column(ForeignKey("victim_accounts.id"), index=True)

    service: Mapped[Service] = relationship()
    investigator: Mapped[Agent | None] = relationship(foreign_keys=[investigator_id])
    created_by: Mapped[Agent | None] = relationship(foreign_keys=[created_by_id])
    victim_account: Mapped[VictimAccount | None] = relationship()
    events: Mapped[list["TimelineEvent"]] = relationship(
        back_populates="complaint", order_by="desc(TimelineEvent.occurred_at), desc(TimelineEvent.id)")
    documents: Mapped[list["Document"]] = relationship(
        back_populates="complaint", order_by="desc(Document.uploaded_at), desc(Document.id)")

    @property
    def victim_full_name(self) -> str:
        return f"{self.victim_given_names} {self.victim_family_name.upper()}"


class TimelineEvent(db.Model):
    """A milestone of the investigation, from the catalogue, visible to the victim or internal."""

    __tablename__ = "timeline_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    event_code: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    visible_to_victim: Mapped[bool] = mapped_column(Boolean, default=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    complaint: Mapped[Complaint] = relationship(back_populates="events")
    author: Mapped[Agent | None] = relationship()


class Document(db.Model):
    """A file attached to a complaint; the bytes live in the document storage under ``storage_key``."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    content_type: Mapped[str] = mapped_column(String(60))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)
    original_filename: Mapped[str] = mapped_column(String(255), default="")
    visible_to_victim: Mapped[bool] = mapped_column(Boolean, default=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    complaint: Mapped[Complaint] = relationship(back_populates="documents")
    uploaded_by: Mapped[Agent | None] = relationship()


class ActivationCode(db.Model):
    """A single-use code printed on the activation letter; only its hash is stored."""

    __tablename__ = "activation_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))

    complaint: Mapped[Complaint] = relationship()
