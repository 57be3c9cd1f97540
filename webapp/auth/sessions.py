"""Server-side sessions: the session cookie holds a random token; the database knows if it still counts."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from webapp.extensions import db
from webapp.models import Agent, AuthSession, VictimAccount, utcnow

LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(principal: Agent | VictimAccount, user_agent: str = "") -> str:
    """Open a session for a signed-in agent or victim and return its token (for the cookie)."""
    token = secrets.token_urlsafe(32)
    row = AuthSession(token_hash=_digest(token), user_agent=user_agent[:200])
    if isinstance(principal, Agent):
        row.agent_id = principal.id
    else:
        row.victim_id = principal.id
    db.session.add(row)
    return token


def find_session(token: str) -> AuthSession | None:
    """The open session for a cookie token, or None once it has ended or timed out."""
    row = db.session.scalar(select(AuthSession).where(AuthSession.token_hash == _digest(token)))
    if row is None or row.ended_at is not None:
        return None
    now = utcnow()
    if _timed_out(row, now):
        row.ended_at = now
        db.session.commit()
        return None
    if now - row.last_seen_at > LAST_SEEN_RESOLUTION:
        db.session.execute(update(AuthSession).where(AuthSession.id == row.id).values(last_seen_at=now))
        db.session.commit()
    return row


def _timed_out(row: AuthSession, now) -> bool:
    config = current_app.config
    if row.agent_id is not None:
        return (now - row.last_seen_at > config["AGENT_SESSION_IDLE"]
                or now - row.created_at > config["AGENT_SESSION_MAX"])
    return now - row.last_seen_at > config["VICTIM_SESSION_IDLE"]


def end_session(token: str) -> AuthSession | None:
    """End the session of this token (sign-out)."""
    row = db.session.scalar(select(AuthSession).where(AuthSession.token_hash == _digest(token)))
    if row is not None and row.ended_at is None:
        row.ended_at = utcnow()
    return row


def end_all_sessions(*, victim: VictimAccount | None = None, agent: Agent | None = None) -> None:
    """End every session of an account (disabled account, password changed)."""
    query = update(AuthSession).where(AuthSession.ended_at.is_(None))
    if victim is not None:
        query = query.where(AuthSession.victim_id == victim.id)
    elif agent is not None:
        query = query.where(AuthSession.agent_id == agent.id)
    else:
        raise ValueError("end_all_sessions needs a victim or an agent")
    db.session.execute(query.values(ended_at=utcnow()))
