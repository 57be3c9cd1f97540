"""Back-office: the service's complaints, creating a complaint, posting events and documents."""
from __future__ import annotations

import secrets

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from webapp import audit
from webapp.agents.forms import ComplaintForm, choices, DocumentForm, EventForm, NewCodeForm, SearchForm
from webapp.auth.access import agent_required, current_actor
from webapp.complaints import queries
from webapp.complaints.service import (ComplaintDetails, ComplaintError, create_complaint, investigators_of,
                                       post_event, record_view)
from webapp.complaints.views import send_document
from webapp.documents.checks import UploadRejected
from webapp.documents.service import add_document, record_download, record_rejected_upload
from webapp.extensions import db
from webapp.agents import inbox
from webapp.http import etag_for, fragment_response, wants_fragment
from webapp.messages import service as message_service, withdrawal
from webapp.messages.forms import ConfirmForm, ReassignForm
from webapp.messages.views import fresh_message_form
from webapp.models import ActivationCode, AgentRole

bp = Blueprint("agents", __name__, url_prefix="/agents")

PER_PAGE = 25


@bp.get("/")
@agent_required
def dashboard():
    form = SearchForm(request.args)
    search = (form.q.data if form.validate() else "") or ""
    labels = inbox.filter_labels()
    name = request.args.get("filtre") if request.args.get("filtre") in labels else "toutes"
    sort = request.args.get("tri") if request.args.get("tri") in inbox.SORTS else "recentes"
    page = db.paginate(inbox.service_complaints(current_user, name=name, search=search, sort=sort),
                       per_page=PER_PAGE, error_out=False)
    return render_template("agents/dashboard.html", page=page, form=form, search=search, filter_name=name,
                           flags=inbox.flags(page.items),
                           sort=sort, sorts=inbox.SORTS, labels=labels, counts=inbox.counts(current_user))


@bp.get("/compteurs")
@agent_required
def counts():
    """The filter links with their counts, refreshed by htmx without reloading the page."""
    values = inbox.counts(current_user)
    etag = etag_for("counts", current_user.service_id, sorted(values.items()), request.args.get("filtre", ""))
    return fragment_response(etag, lambda: render_template(
        "agents/_filters.html", counts=values, labels=inbox.filter_labels(),
        filter_name=request.args.get("filtre") or "toutes", sort=request.args.get("tri") or "recentes"))


@bp.route("/plaintes/nouvelle", methods=["GET", "POST"])
@agent_required
def new_complaint():
    form = ComplaintForm()
    form.investigator.choices = choices([("", "Pas encore désigné")] + [
        (a.public_id, a.display_name) for a in investigators_of(current_user.service)])
    status = 200
    if form.validate_on_submit():
        try:
            complaint = create_complaint(current_user.service, _details(form), current_actor())
        except ComplaintError as error:
            getattr(form, error.field).errors.append(error.message)
            status = 422
        else:
            flash("La plainte est enregistrée. Remettez maintenant la lettre d'activation à la victime.", "success")
            return redirect(url_for("agents.complaint", public_id=complaint.public_id))
    elif form.is_submitted():
        status = 422
    return render_template("agents/new_complaint.html", form=form), status


def _details(form: ComplaintForm) -> ComplaintDetails:
    return ComplaintDetails(
        procedure_number=form.procedure_number.data, offence_code=form.offence_code.data,
        facts_date=form.facts_date.data, facts_place=form.facts_place.data,
        against_named_person=form.against.data == "named", suspect_name=form.suspect_name.data or "",
        investigator_public_id=form.investigator.data or None,
        victim_family_name=form.victim_family_name.data, victim_given_names=form.victim_given_names.data,
        victim_birth_date=form.victim_birth_date.data, victim_birth_place=form.victim_birth_place.data,
        victim_email=form.victim_email.data or "", victim_phone=form.victim_phone.data or "",
        victim_birth_place_code=form.victim_birth_place_code.data or "")


def _fresh_key() -> str:
    return secrets.token_urlsafe(24)


def _complaint_page(complaint, *, event_form=None, document_form=None, message_form=None, status=200):
    last_code = db.session.scalar(db.select(ActivationCode).where(ActivationCode.complaint_id == complaint.id)
                                  .order_by(ActivationCode.created_at.desc(), ActivationCode.id.desc()).limit(1))
    reassign = ReassignForm(investigator=complaint.investigator.public_id if complaint.investigator else None)
    reassign.investigator.choices = choices([(a.public_id, a.display_name)
                                             for a in investigators_of(complaint.service)])
    return render_template(
        "agents/complaint.html", complaint=complaint, timeline=queries.full_timeline(complaint),
        documents=queries.all_documents(complaint), last_code=last_code,
        event_form=event_form or EventForm(submission_key=_fresh_key()),
        document_form=document_form or DocumentForm(submission_key=_fresh_key()),
        message_form=message_form or fresh_message_form(), thread=message_service.thread_of(complaint),
        withdrawals=withdrawal.requests_of(complaint), confirm_form=ConfirmForm(), reassign_form=reassign,
        audit_excerpt=audit.complaint_excerpt(complaint), code_form=NewCodeForm()), status


@bp.get("/plaintes/<public_id>")
@agent_required
def complaint(public_id: str):
    complaint = queries.service_complaint_or_404(current_user, public_id)
    record_view(complaint, current_actor())
    message_service.mark_read(complaint, reader_kind="agent")
    return _complaint_page(complaint)


@bp.post("/plaintes/<public_id>/etapes")
@agent_required
def add_event(public_id: str):
    complaint = queries.service_complaint_or_404(current_user, public_id)
    form = EventForm()
    if form.validate_on_submit():
        try:
            post_event(complaint, form.event_code.data, note=form.note.data or "",
                       visible_to_victim=not form.internal.data, submission_key=form.submission_key.data or None,
                       by=current_actor())
        except ComplaintError as error:
            form.event_code.errors.append(error.message)
        else:
            if wants_fragment():
                return _events_section(complaint, EventForm(submission_key=_fresh_key()), message="L'étape est ajoutée.")
            flash("L'étape est ajoutée à la chronologie.", "success")
            return redirect(url_for("agents.complaint", public_id=complaint.public_id) + "#chronologie")
    if wants_fragment():
        return _events_section(complaint, form)
    return _complaint_page(complaint, event_form=form, status=422)


def _events_section(complaint, form, message=""):
    return render_template("agents/_events.html", complaint=complaint, event_form=form, message=message,
                           timeline=queries.full_timeline(complaint))


@bp.post("/plaintes/<public_id>/documents")
@agent_required
def add_document_view(public_id: str):
    complaint = queries.service_complaint_or_404(current_user, public_id)
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            add_document(complaint, upload.stream, kind=form.kind.data, original_filename=upload.filename or "",
                         visible_to_victim=not form.internal.data, submission_key=form.submission_key.data or None,
                         by=current_actor())
        except UploadRejected as rejected:
            record_rejected_upload(complaint, rejected.message, current_actor())
            form.file.errors.append(rejected.message)
        else:
            flash("Le document est ajouté.", "success")
            return redirect(url_for("agents.complaint", public_id=complaint.public_id) + "#documents")
    return _complaint_page(complaint, document_form=form, status=422)


@bp.get("/plaintes/<public_id>/documents/<document_id>")
@agent_required
def download(public_id: str, document_id: str):
    document = queries.service_document_or_404(current_user, public_id, document_id)
    record_download(document, current_actor())
    return send_document(document)


@bp.get("/journal")
@agent_required(roles=(AgentRole.SERVICE_ADMIN,))
def audit_trail():
    action = request.args.get("action") or None
    if action not in audit.ACTION_LABELS:
        action = None
    page = db.paginate(audit.service_trail(current_user.service_id, action=action), per_page=50, error_out=False)
    return render_template("agents/audit.html", page=page, action=action, labels=audit.ACTION_LABELS)


from webapp.agents import casework  # noqa: E402,F401  (its routes are on this blueprint)
