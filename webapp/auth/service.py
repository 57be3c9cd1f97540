"""Signing agents and victims in and out."""
from __future__ import annotations

from sqlalchemy import func, select

from webapp import audit
from webapp.audit import Actor
from webapp.auth.passwords import verify_password
from webapp.auth.sessions import end_session, start_session
from webapp.extensions import db
from webapp.models import Agent, VictimAccount
from webapp.notifications import subscriptions


class SignInRefused(Exception):
    message = "L'adresse e-mail ou le mot de passe est incorrect."


def sign_in_agent(email: str, password: str, by: Actor, user_agent: str = "") -> tuple[Agent, str]:
    """Check an agent's credentials; return the agent and a new session token."""
    return _sign_in(agent_by_email(email), password, by, user_agent, "agent")


def agent_by_email(email: str) -> Agent | None:
    return db.session.scalar(select(Agent).where(func.lower(Agent.email) == email.strip().lower()))


def check_agent_password(email: str, password: str, by: Actor) -> Agent:
    """First factor only (the second one follows): the agent, or SignInRefused."""
    agent = agent_by_email(email)
    if not verify_password(agent.password_hash if agent else None, password) or not agent.active:
        _record_failure(agent, by, "agent")
        raise SignInRefused()
    return agent


def open_session(principal, by: Actor, user_agent: str, method: str) -> str:
    """A signed-in session for someone who proved who they are (password, second factor, provider)."""
    kind = principal.kind
    token = start_session(principal, user_agent)
    actor = Actor.for_agent(principal, by.ip) if kind == "agent" else Actor.for_victim(principal, by.ip)
    audit.record(f"{kind}.signed_in", actor, subject=f"{kind}:{principal.public_id}", details={"method": method})
    db.session.commit()
    return token


def sign_in_victim(email: str, password: str, by: Actor, user_agent: str = ""):
    """Check a victim's credentials; return her account and a new session token."""
    victim = db.session.scalar(select(VictimAccount).where(VictimAccount.email == email.strip().lower()))
    return _sign_in(victim, password, by, user_agent, "victim")


def _sign_in(principal, password: str, by: Actor, user_agent: str, kind: str):
    hashed = principal.password_hash if principal is not None else None
    if not verify_password(hashed, password) or not principal.active:
        _record_failure(principal, by, kind)
        raise SignInRefused()
    return principal, open_session(principal, by, user_agent, "password")


def _record_failure(principal, by: Actor, kind: str, reason: str | None = None) -> None:
    audit.record(f"{kind}.sign_in_failed", by, service_id=getattr(principal, "service_id", None),
                 subject=f"{kind}:{principal.public_id}" if principal else "",
                 details={"reason": reason or ("wrong_password" if principal else "unknown_email")})
    db.session.commit()


def sign_out(token: str, by: Actor) -> None:
    """End this device's session; its push subscription goes with it."""
    ended = end_session(token)
    if ended is not None:
        subscriptions.remove_for_session(ended.id)
        audit.record("signed_out", by, subject=f"{by.kind}:{by.id}")
    db.session.commit()


def start_session_for(principal, by: Actor, user_agent: str = "") -> str:
    """A session for an account that just proved who it is another way (activation)."""
    token = start_session(principal, user_agent)
    db.session.commit()
    return token
