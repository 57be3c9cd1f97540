"""Victims' accounts: a person who follows one or more complaints."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.base import UTCDateTime, new_public_id, utcnow


class VictimAccount(UserMixin, db.Model):
    """The account a victim creates when she activates her first complaint."""

    __tablename__ = "victim_accounts"
    __table_args__ = (UniqueConstraint("fc_issuer", "fc_sub"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    push_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    email_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    notification_email: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # FranceConnect identity linked to the account: the key is (issuer, sub), never the email.
    fc_issuer: Mapped[str | None] = mapped_column(String(200))
    fc_sub: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session_token = None  # set when loaded from a session cookie

    def get_id(self) -> str | None:
        """Flask-Login keeps the session token, never the account id, in the cookie."""
        return self.session_token

    kind = "victim"
    auth_session_id = None  # set when loaded from a session cookie

    @property
    def alert_email(self) -> str:
        """Where email alerts go: the address she chose for them, else her sign-in address."""
        return self.notification_email or self.email
