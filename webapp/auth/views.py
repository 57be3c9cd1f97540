"""Sign-in pages for victims and for agents, and sign-out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from webapp.auth.access import current_actor
from webapp.auth.forms import SignInForm
from webapp.auth.service import SignInRefused, check_agent_password, sign_in_agent, sign_in_victim, sign_out
from webapp.extensions import limiter

bp = Blueprint("auth", __name__)

SIGN_IN_LIMIT = "10 per minute; 60 per hour"


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def begin_session(principal, token: str, *, permanent: bool) -> None:
    """Put a fresh session token in a fresh cookie session (no fixation), keeping a pending activation."""
    pending = session.get("activation")
    session.clear()
    if pending:
        session["activation"] = pending
    session.permanent = permanent
    principal.session_token = token
    login_user(principal)
    session.pop("_id", None)  # Flask-Login's client fingerprint: unused (sessions are server-side), 130 bytes


def _sign_in_page(template: str, sign_in, default_next: str, permanent: bool):
    form = SignInForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        try:
            principal, token = sign_in(form.email.data, form.password.data, current_actor(),
                                       request.user_agent.string)
        except SignInRefused as refused:
            form.password.errors.append(refused.message)
            status = 422
        else:
            begin_session(principal, token, permanent=permanent)
            return redirect(safe_next(form.next.data, default_next))
    elif form.is_submitted():
        status = 422
    return render_template(template, form=form), status


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def victim_sign_in():
    return _sign_in_page("auth/victim_sign_in.html", sign_in_victim, url_for("complaints.index"), True)


@bp.route("/agents/connexion", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def agent_sign_in():
    mode = current_app.config["AGENT_PASSWORD_SIGNIN"]
    if mode == "off":
        if request.method == "POST":
            abort(403)
        return render_template("auth/agent_sign_in.html", form=None)
    if mode == "totp":
        return _agent_password_then_code()
    return _sign_in_page("auth/agent_sign_in.html", sign_in_agent, url_for("agents.dashboard"), False)


def _agent_password_then_code():
    from webapp.auth.federation import ask_second_factor
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        try:
            agent = check_agent_password(form.email.data, form.password.data, current_actor())
        except SignInRefused as refused:
            form.password.errors.append(refused.message)
            status = 422
        else:
            if not agent.totp_secret:
                form.password.errors.append("Le second facteur de votre compte n'est pas configuré : demandez à "
                                            "l'administrateur de votre service de l'activer.")
                return render_template("auth/agent_sign_in.html", form=form), 422
            return ask_second_factor(agent)
    elif form.is_submitted():
        status = 422
    return render_template("auth/agent_sign_in.html", form=form), status


@bp.post("/deconnexion")
def sign_out_view():
    was_agent = current_user.is_authenticated and current_user.kind == "agent"
    if current_user.is_authenticated and current_user.session_token:
        sign_out(current_user.session_token, current_actor())
    idp = session.get("idp")
    logout_user()
    session.clear()
    if idp:  # signed in through FranceConnect or ProConnect: end that session too
        from webapp.auth.federation import provider_logout_redirect
        response = provider_logout_redirect(idp)
        if response is not None:
            response.headers["Clear-Site-Data"] = '"cache", "storage"'
            return response
    flash("Vous êtes maintenant hors de votre espace. Les informations de vos plaintes ont été effacées "
          "de cet appareil." if not was_agent else "Déconnexion effectuée.", "success")
    response = redirect(url_for("auth.agent_sign_in" if was_agent else "auth.victim_sign_in"))
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


from webapp.auth import federation  # noqa: E402,F401  (its routes are on this blueprint)
