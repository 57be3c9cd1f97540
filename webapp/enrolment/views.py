"""Activation: the victim types her code and birth date, then chooses how to sign in."""
from __future__ import annotations

import time
from datetime import date

from flask import (Blueprint, abort, flash, redirect, render_template, request, session, url_for)
from flask_login import current_user

from webapp.auth.access import agent_required, current_actor, signed_in_victim
from webapp.auth.service import start_session_for
from webapp.auth.views import begin_session
from webapp.complaints.queries import service_complaint_or_404
from webapp.enrolment import letter
from webapp.enrolment.forms import AccountForm, ActivationForm, AttachForm
from webapp.enrolment.service import (AccountError, ActivationError, complete_activation, find_usable_code,
                                      issue_activation_code, new_victim_account, pending_activation_is_fresh,
                                      pending_code, verify_activation)
from webapp.extensions import limiter

bp = Blueprint("enrolment", __name__)

ACTIVATION_LIMIT = "10 per minute; 30 per hour"


def _birth_date(form: ActivationForm) -> date | None:
    try:
        return date(form.birth_year.data, form.birth_month.data, form.birth_day.data)
    except (TypeError, ValueError):
        return None


@bp.route("/activation", methods=["GET", "POST"])
@limiter.limit(ACTIVATION_LIMIT, methods=["POST"])
def activate():
    form = ActivationForm()
    status = 200
    if form.validate_on_submit() and request.form.get("method") == "franceconnect":
        try:
            code = find_usable_code(form.code.data, current_actor())
        except ActivationError as error:
            form.code.errors.append(error.message)
            status = 422
        else:
            from webapp.auth.federation import start_activation_with_franceconnect
            return start_activation_with_franceconnect(code.id)
    elif form.validate_on_submit():
        birth_date = _birth_date(form)
        if birth_date is None:
            form.birth_day.errors.append("Indiquez votre date de naissance complète : jour, mois et année.")
            status = 422
        else:
            try:
                code = verify_activation(form.code.data, birth_date, current_actor())
            except ActivationError as error:
                form.code.errors.append(error.message)
                status = 422
            else:
                session["activation"] = {"code_id": code.id, "at": time.time()}
                return redirect(url_for("enrolment.choose_account"))
    elif form.is_submitted():
        status = 422
    return render_template("enrolment/activate.html", form=form), status


def _pending():
    pending = session.get("activation")
    if not pending or not pending_activation_is_fresh(pending["at"], time.time()):
        session.pop("activation", None)
        return None
    return pending


@bp.route("/activation/compte", methods=["GET", "POST"])
def choose_account():
    pending = _pending()
    if pending is None:
        flash("Votre activation a expiré. Saisissez à nouveau votre code.", "warning")
        return redirect(url_for("enrolment.activate"))
    try:
        code = pending_code(pending["code_id"])
    except ActivationError as error:
        session.pop("activation", None)
        flash(error.message, "warning")
        return redirect(url_for("enrolment.activate"))
    if current_user.is_authenticated and current_user.kind == "agent":
        abort(403)
    victim = signed_in_victim()
    form = AttachForm() if victim else AccountForm(email=code.complaint.victim_email or None)
    status = 200
    if form.validate_on_submit():
        try:
            return _finish(pending["code_id"], victim, form)
        except ActivationError as error:
            session.pop("activation", None)
            flash(error.message, "warning")
            return redirect(url_for("enrolment.activate"))
        except AccountError as error:
            getattr(form, error.field).errors.append(error.message)
            status = 422
    elif form.is_submitted():
        status = 422
    return render_template("enrolment/account.html", form=form, complaint=code.complaint,
                           victim=victim), status


def _finish(code_id: int, victim, form):
    actor = current_actor()
    if victim is None:
        account = new_victim_account(form.email.data, form.password.data, form.password_confirmation.data)
        complaint = complete_activation(code_id, account, actor)
        begin_session(account, start_session_for(account, actor, request.user_agent.string), permanent=True)
    else:
        complaint = complete_activation(code_id, victim, actor)
    session.pop("activation", None)
    flash(f"Votre plainte n° {complaint.procedure_number} est maintenant dans votre espace. "
          "Ouvrez-la pour suivre son avancement.", "success")
    return redirect(url_for("complaints.index"))


@bp.post("/agents/plaintes/<public_id>/lettre-activation")
@agent_required
def issue_letter(public_id: str):
    """Issue a new code and show the printable letter, once: the code is not kept in clear anywhere."""
    complaint = service_complaint_or_404(current_user, public_id)
    issued = issue_activation_code(complaint, current_actor())
    return render_template("enrolment/letter.html", complaint=complaint,
                           **letter.letter_context(complaint, issued.code, issued.activation_code.expires_at))
