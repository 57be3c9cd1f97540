"""Who is signed in, and the decorators that keep victims and agents on their own pages."""
from __future__ import annotations

from functools import wraps

from flask import abort, g, request, session, url_for
from flask_login import current_user

from webapp.audit import Actor
from webapp.extensions import db, login_manager
from webapp.models import Agent, AgentRole, VictimAccount
from webapp.auth.sessions import find_session
from webapp.http import htmx_redirect


@login_manager.user_loader
def load_principal(token: str):
    session_row = find_session(token)
    if session_row is None:
        _forget_lost_session()
        return None
    if session_row.agent_id is not None:
        principal = db.session.get(Agent, session_row.agent_id)
    else:
        principal = db.session.get(VictimAccount, session_row.victim_id)
    if principal is None or not principal.active:
        _forget_lost_session()
        return None
    principal.session_token = token
    principal.auth_session_id = session_row.id
    return principal


def _forget_lost_session() -> None:
    """The cookie names a session that has ended (timed out, account disabled): drop it, and have the
    browser wipe what it kept of that person (pages and documents in the service worker's caches)."""
    session.pop("_user_id", None)
    session.pop("_fresh", None)
    g.clear_site_data = True


def install_clear_site_data(app) -> None:
    @app.after_request
    def clear_site_data(response):
        if g.get("clear_site_data"):
            response.headers["Clear-Site-Data"] = '"cache", "storage"'
        return response


def signed_in_victim() -> VictimAccount | None:
    user = current_user._get_current_object()
    return user if isinstance(user, VictimAccount) else None


def signed_in_agent() -> Agent | None:
    user = current_user._get_current_object()
    return user if isinstance(user, Agent) else None


def current_actor() -> Actor:
    """The audit actor for the current request."""
    ip = request.remote_addr or ""
    if (agent := signed_in_agent()) is not None:
        return Actor.for_agent(agent, ip)
    if (victim := signed_in_victim()) is not None:
        return Actor.for_victim(victim, ip)
    return Actor.anonymous(ip)


def _require(kind: str, sign_in_endpoint: str, roles: tuple[AgentRole, ...] = ()):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return htmx_redirect(url_for(sign_in_endpoint, next=request.full_path.rstrip("?")))
            if current_user.kind != kind:
                abort(403)
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def victim_required(view):
    """Only a signed-in victim may see this page; agents get 403, others the sign-in page."""
    return _require("victim", "auth.victim_sign_in")(view)


def agent_required(view=None, *, roles: tuple[AgentRole, ...] = ()):
    """Only a signed-in agent (optionally of given roles) may see this page."""
    decorator = _require("agent", "auth.agent_sign_in", roles)
    return decorator(view) if view is not None else decorator
