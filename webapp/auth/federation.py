"""Sign-in with FranceConnect (victims, also at activation) and ProConnect (agents); agents' second factor."""
from __future__ import annotations

import logging
import secrets
import time

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from webapp import audit
from webapp.auth import oidc, totp
from webapp.auth.access import current_actor, signed_in_victim
from webapp.auth.forms import CodeForm
from webapp.auth.identity import compare
from webapp.auth.service import open_session
from webapp.auth.views import begin_session, bp
from webapp.enrolment.service import (ActivationError, ActivationCodeLocked, complete_activation, pending_code,
                                      record_identity_mismatch)
from webapp.extensions import db, limiter
from webapp.models import Agent, VictimAccount

log = logging.getLogger(__name__)
SECOND_FACTOR_LIFETIME = 300


def oidc_error_page(error: oidc.OidcError, back: str):
    log.warning("identity provider sign-in refused: %s", error.reason)
    return render_template("auth/oidc_error.html", message=error.message, back=back), 400


# ---- FranceConnect (victims) ----

@bp.post("/franceconnect/connexion")
def franceconnect_start():
    try:
        return redirect(oidc.start(oidc.provider("franceconnect"), "signin"))
    except oidc.OidcError as error:
        return oidc_error_page(error, url_for("auth.victim_sign_in"))


def start_activation_with_franceconnect(code_id: int):
    """Called by the activation page: FranceConnect instead of the birth date."""
    return redirect(oidc.start(oidc.provider("franceconnect"), "activation", code_id=code_id))


@bp.get("/franceconnect/retour")
def franceconnect_callback():
    back = url_for("auth.victim_sign_in")
    try:
        current = oidc.provider("franceconnect")
        claims, flow, id_token = oidc.finish(current, request.args)
    except oidc.OidcError as error:
        return oidc_error_page(error, back)
    issuer = oidc.metadata(current)["issuer"]
    if flow["purpose"] == "activation":
        return _activate_with_identity(flow["code_id"], claims, issuer, id_token)
    victim = db.session.scalar(db.select(VictimAccount).where(VictimAccount.fc_issuer == issuer,
                                                              VictimAccount.fc_sub == claims["sub"]))
    if victim is None or not victim.active:
        return render_template("auth/franceconnect_unknown.html"), 200
    return _signed_in(victim, id_token, "franceconnect")


def _activate_with_identity(code_id: int, claims: dict, issuer: str, id_token: str):
    back = url_for("enrolment.activate")
    try:
        code = pending_code(code_id)
    except ActivationError as error:
        return render_template("auth/oidc_error.html", message=error.message, back=back), 400
    mismatch = compare(code.complaint, claims)
    if mismatch is not None:
        try:
            record_identity_mismatch(code, mismatch.reason, current_actor())
        except ActivationCodeLocked as locked:
            return render_template("auth/oidc_error.html", message=locked.message, back=back), 400
        message = ("L'identité transmise par FranceConnect ne correspond pas à celle enregistrée avec votre "
                   "plainte. Pour votre sécurité, la plainte n'a pas été ajoutée. Contactez le service qui a "
                   f"pris votre plainte ({code.complaint.service.name}, {code.complaint.service.phone}) : il "
                   "vérifiera votre identité.")
        return render_template("auth/oidc_error.html", message=message, back=back), 400
    account = db.session.scalar(db.select(VictimAccount).where(VictimAccount.fc_issuer == issuer,
                                                               VictimAccount.fc_sub == claims["sub"]))
    if account is None:
        account = signed_in_victim()
    if account is None:
        email = (claims.get("email") or "").strip().lower()
        if not email or db.session.scalar(db.select(VictimAccount.id).where(VictimAccount.email == email)):
            message = ("Un espace existe déjà avec l'adresse e-mail de votre compte FranceConnect. Connectez-vous "
                       "d'abord avec votre mot de passe, puis saisissez à nouveau votre code.")
            return render_template("auth/oidc_error.html", message=message, back=url_for("auth.victim_sign_in")), 400
        account = VictimAccount(email=email, password_hash=None)
    account.fc_issuer, account.fc_sub = issuer, claims["sub"]
    try:
        complaint = complete_activation(code_id, account, current_actor())
    except ActivationError as error:
        return render_template("auth/oidc_error.html", message=error.message, back=back), 400
    flash(f"Votre plainte n° {complaint.procedure_number} est maintenant dans votre espace. Vous pourrez "
          "revenir avec FranceConnect.", "success")
    return _signed_in(account, id_token, "franceconnect")


def _signed_in(principal, id_token: str, method: str):
    token = open_session(principal, current_actor(), request.user_agent.string, method)
    begin_session(principal, token, permanent=principal.kind == "victim")
    session["idp"] = {"provider": method, "id_token": id_token}
    return redirect(url_for("complaints.index" if principal.kind == "victim" else "agents.dashboard"))


def provider_logout_redirect(idp: dict):
    """After a local sign-out, end the session at the provider too (it comes back to us with `state`)."""
    try:
        current = oidc.provider(idp["provider"])
        state = secrets.token_urlsafe(32)
        session["idp_logout_state"] = state
        return redirect(oidc.end_session_url(current, idp["id_token"], state,
                                             url_for(f"auth.{idp['provider']}_logged_out", _external=True)))
    except oidc.OidcError:
        return None


def _logged_out(target: str):
    expected = session.pop("idp_logout_state", None)
    if not expected or not secrets.compare_digest(request.args.get("state", ""), expected):
        flash("Vous êtes déconnecté de Suivi Plainte.", "success")
    else:
        flash("Vous êtes déconnecté de Suivi Plainte et du service d'identification.", "success")
    return redirect(url_for(target))


@bp.get("/franceconnect/deconnexion")
def franceconnect_logged_out():
    return _logged_out("auth.victim_sign_in")


@bp.get("/proconnect/deconnexion")
def proconnect_logged_out():
    return _logged_out("auth.agent_sign_in")


# ---- ProConnect (agents) ----

@bp.post("/agents/proconnect/connexion")
def proconnect_start():
    try:
        return redirect(oidc.start(oidc.provider("proconnect"), "agent"))
    except oidc.OidcError as error:
        return oidc_error_page(error, url_for("auth.agent_sign_in"))


@bp.get("/proconnect/retour")
def proconnect_callback():
    back = url_for("auth.agent_sign_in")
    try:
        claims, _, id_token = oidc.finish(oidc.provider("proconnect"), request.args)
    except oidc.OidcError as error:
        return oidc_error_page(error, back)
    agent = db.session.scalar(db.select(Agent).where(db.func.lower(Agent.email) == str(claims.get("email", "")).lower()))
    siret_ok = not current_app.config["PROCONNECT_REQUIRE_SIRET"] or (
        agent is not None and agent.service.siret and agent.service.siret == claims.get("siret"))
    if agent is None or not agent.active or not siret_ok:
        audit.record("agent.sign_in_failed", current_actor(), service_id=agent.service_id if agent else None,
                     details={"reason": "proconnect_identity_unknown", "email": str(claims.get("email", ""))[:200]})
        db.session.commit()
        message = ("Aucun compte agent ne correspond à votre identité ProConnect. Les comptes sont créés par "
                   "l'administrateur de votre service : adressez-vous à lui.")
        return render_template("auth/oidc_error.html", message=message, back=back), 403
    return _signed_in(agent, id_token, "proconnect")


# ---- second factor for agents' password sign-in ----

def ask_second_factor(agent: Agent):
    session["second_factor"] = {"agent": agent.id, "at": time.time(), "failures": 0}
    return redirect(url_for("auth.agent_second_factor"))


@bp.route("/agents/connexion/code", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def agent_second_factor():
    pending = session.get("second_factor")
    if not pending or time.time() - pending["at"] > SECOND_FACTOR_LIFETIME:
        session.pop("second_factor", None)
        flash("Reprenez la connexion depuis le début.", "warning")
        return redirect(url_for("auth.agent_sign_in"))
    agent = db.session.get(Agent, pending["agent"])
    if agent is None or not agent.active:
        abort(403)
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        if totp.verify(agent, form.code.data):
            session.pop("second_factor", None)
            token = open_session(agent, current_actor(), request.user_agent.string, "password+totp")
            begin_session(agent, token, permanent=False)
            return redirect(url_for("agents.dashboard"))
        pending["failures"] += 1
        session["second_factor"] = pending
        audit.record("agent.sign_in_failed", current_actor(), service_id=agent.service_id,
                     subject=f"agent:{agent.public_id}", details={"reason": "second_factor"})
        db.session.commit()
        if pending["failures"] >= 5:
            session.pop("second_factor", None)
            flash("Trop de codes incorrects : reprenez la connexion depuis le début.", "warning")
            return redirect(url_for("auth.agent_sign_in"))
        form.code.errors.append("Ce code n'est pas valable (ou a déjà servi). Saisissez le code affiché maintenant.")
        status = 422
    elif form.is_submitted():
        status = 422
    return render_template("auth/second_factor.html", form=form), status
