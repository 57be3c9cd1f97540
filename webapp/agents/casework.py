"""Back-office casework on a complaint: replying to the victim, withdrawal requests, reassignment."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from webapp import audit
from webapp.agents.views import _complaint_page, bp
from webapp.auth.access import agent_required, current_actor
from webapp.complaints import queries
from webapp.complaints.service import ComplaintError, reassign
from webapp.complaints.views import send_document_file
from webapp.http import wants_fragment
from webapp.messages import service as message_service, withdrawal
from webapp.messages.forms import ConfirmForm, MessageForm, ReassignForm
from webapp.messages.views import fresh_message_form


def _messages_section(complaint, form, message=""):
    return render_template("agents/_messages.html", complaint=complaint, message_form=form, message=message,
                           thread=message_service.thread_of(complaint))


@bp.post("/plaintes/<public_id>/messages")
@agent_required
def reply(public_id: str):
    complaint = queries.service_complaint_or_404(current_user, public_id)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            message_service.send_message(complaint, form.body.data, request.files.getlist("attachments"),
                                         by=current_actor(), submission_key=form.submission_key.data or None)
        except message_service.MessageRefused as refused:
            getattr(form, refused.field).errors.append(refused.message)
        else:
            if wants_fragment():
                return _messages_section(complaint, fresh_message_form(), "Votre réponse est envoyée à la victime.")
            flash("Votre réponse est envoyée à la victime.", "success")
            return redirect(url_for("agents.complaint", public_id=public_id) + "#messages")
    if wants_fragment():
        return _messages_section(complaint, form)
    return _complaint_page(complaint, message_form=form, status=422)


@bp.get("/plaintes/<public_id>/messages/pieces/<attachment_id>")
@agent_required
def attachment(public_id: str, attachment_id: str):
    complaint = queries.service_complaint_or_404(current_user, public_id)
    found = message_service.attachment_of(complaint, attachment_id)
    if found is None:
        abort(404)
    message_service.record_attachment_download(found, current_actor())
    return send_document_file(found, found.original_filename or "piece-jointe")


@bp.post("/plaintes/<public_id>/retrait/prendre-en-compte")
@agent_required
def acknowledge_withdrawal(public_id: str):
    complaint = queries.service_complaint_or_404(current_user, public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        withdrawal.acknowledge_withdrawal(complaint, current_actor())
    except withdrawal.WithdrawalRefused as refused:
        flash(refused.message, "warning")
    else:
        flash("La demande de retrait est prise en compte : la victime en est informée.", "success")
    return redirect(url_for("agents.complaint", public_id=public_id) + "#retrait")


@bp.post("/plaintes/<public_id>/enqueteur")
@agent_required
def reassign_view(public_id: str):
    complaint = queries.service_complaint_or_404(current_user, public_id)
    form = ReassignForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        reassign(complaint, form.investigator.data, current_actor())
    except ComplaintError as error:
        flash(error.message, "warning")
    else:
        flash("L'enquêteur chargé du dossier est changé.", "success")
    return redirect(url_for("agents.complaint", public_id=public_id))
