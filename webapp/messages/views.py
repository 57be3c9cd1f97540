"""Victim side: the thread with the service, attachments, the withdrawal request."""
from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from webapp.auth.access import current_actor, victim_required
from webapp.complaints.queries import victim_complaint_or_404
from webapp.complaints.views import send_document_file
from webapp.extensions import limiter
from webapp.http import wants_fragment
from webapp.messages import service, withdrawal
from webapp.messages.forms import ConfirmForm, MessageForm, WithdrawalForm

bp = Blueprint("messages", __name__)


def fresh_message_form() -> MessageForm:
    return MessageForm(formdata=None, submission_key=secrets.token_urlsafe(24))


def _thread_page(complaint, form, status=200, message=""):
    template = "messages/_thread.html" if wants_fragment() else "messages/thread.html"
    return render_template(template, complaint=complaint, thread=service.thread_of(complaint), form=form,
                           message=message, viewer="victim"), status


@bp.get("/plaintes/<public_id>/messages")
@victim_required
def thread(public_id: str):
    complaint = victim_complaint_or_404(current_user, public_id)
    service.mark_read(complaint, reader_kind="victim")
    return _thread_page(complaint, fresh_message_form())


@bp.post("/plaintes/<public_id>/messages")
@victim_required
@limiter.limit("30 per hour")
def send(public_id: str):
    complaint = victim_complaint_or_404(current_user, public_id)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            service.send_message(complaint, form.body.data, request.files.getlist("attachments"),
                                 by=current_actor(), submission_key=form.submission_key.data or None)
        except service.MessageRefused as refused:
            getattr(form, refused.field).errors.append(refused.message)
        else:
            if wants_fragment():
                return _thread_page(complaint, fresh_message_form(), message="Votre message est envoyé.")
            flash("Votre message est envoyé au service.", "success")
            return redirect(url_for("messages.thread", public_id=public_id) + "#dernier-message")
    return _thread_page(complaint, form, status=200 if wants_fragment() else 422)


@bp.get("/plaintes/<public_id>/messages/pieces/<attachment_id>")
@victim_required
def attachment(public_id: str, attachment_id: str):
    complaint = victim_complaint_or_404(current_user, public_id)
    found = service.attachment_of(complaint, attachment_id)
    if found is None:
        abort(404)
    service.record_attachment_download(found, current_actor())
    return send_document_file(found, found.original_filename or "piece-jointe")


@bp.route("/plaintes/<public_id>/retrait", methods=["GET", "POST"])
@victim_required
def withdraw(public_id: str):
    complaint = victim_complaint_or_404(current_user, public_id)
    pending = withdrawal.pending_request(complaint)
    form = WithdrawalForm()
    status = 200
    if pending is None and form.validate_on_submit():
        withdrawal.request_withdrawal(complaint, form.reason.data, current_actor())
        flash("Votre demande de retrait est envoyée au service. Vous pouvez l'annuler tant qu'elle est "
              "en attente.", "success")
        return redirect(url_for("complaints.show", public_id=public_id))
    if form.is_submitted() and pending is None:
        status = 422
    return render_template("messages/withdrawal.html", complaint=complaint, form=form, pending=pending,
                           cancel_form=ConfirmForm()), status


@bp.post("/plaintes/<public_id>/retrait/annuler")
@victim_required
def cancel_withdrawal(public_id: str):
    complaint = victim_complaint_or_404(current_user, public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        withdrawal.cancel_withdrawal(complaint, current_actor())
    except withdrawal.WithdrawalRefused as refused:
        flash(refused.message, "warning")
    else:
        flash("Votre demande de retrait est annulée : votre plainte continue.", "success")
    return redirect(url_for("complaints.show", public_id=public_id))
