"""Police services and their agents."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.base import UTCDateTime, new_public_id, utcnow


class Service(db.Model):
    """A police station or unit that takes complaints and runs investigations."""

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    opening_hours: Mapped[str] = mapped_column(Text, default="")
    show_investigator: Mapped[bool] = mapped_column(Boolean, default=True)
    procedure_number_hint: Mapped[str] = mapped_column(String(60), default="AAAA/NNNNNN")
    siret: Mapped[str] = mapped_column(String(14), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agents: Mapped[list["Agent"]] = relationship(back_populates="service", order_by="Agent.full_name")


class AgentRole(str, enum.Enum):
    AGENT = "agent"
    INVESTIGATOR = "investigator"
    SERVICE_ADMIN = "service_admin"

    @property
    def label(self) -> str:
        return {"agent": "Agent d'accueil", "investigator": "Enquêteur",
                "service_admin": "Administrateur du service"}[self.value]


class Agent(UserMixin, db.Model):
    """A member of a police service who uses the back-office."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    grade: Mapped[str] = mapped_column(String(80), default="")
    role: Mapped[AgentRole] = mapped_column(
        Enum(AgentRole, name="agent_role", native_enum=False, length=20,
             values_callable=lambda roles: [r.value for r in roles]))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_counter: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    service: Mapped[Service] = relationship(back_populates="agents")

    session_token = None  # set when loaded from a session cookie

    def get_id(self) -> str | None:
        """Flask-Login keeps the session token, never the account id, in the cookie."""
        return self.session_token

    kind = "agent"

    @property
    def is_service_admin(self) -> bool:
        return self.role == AgentRole.SERVICE_ADMIN

    @property
    def display_name(self) -> str:
        return f"{self.grade} {self.full_name}".strip()
