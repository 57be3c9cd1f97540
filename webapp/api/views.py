"""The records-software API (JSON over HTTPS, /api/v1): complaints, events, documents, activation.

Authentication by bearer token (one per client, scoped to a service and to permissions); every call
is in the audit trail; every POST accepts an ``Idempotency-Key``; errors are problem details.
"""
from __future__ import annotations

from datetime import timedelta
from functools import wraps

from flask import Blueprint, current_app, g, render_template, request
from sqlalchemy import select

from webapp import audit
from webapp.api import idempotency, inputs, representations
from webapp.api.clients import authenticate
from webapp.api.openapi import openapi_document
from webapp.api.problems import ApiProblem, field_error, problem_response
from webapp.audit import Actor
from webapp.catalogue import OFFENCES
from webapp.complaints.service import ComplaintDetails, ComplaintError, create_complaint, post_event
from webapp.documents.checks import UploadRejected, UploadTooLarge
from webapp.documents.service import add_document
from webapp.enrolment.codes import hash_code, normalise_code
from webapp.enrolment.letter import letter_context
from webapp.enrolment.service import issue_activation_code
from webapp.extensions import csrf, db, limiter
from webapp.models import ActivationCode, Agent, Complaint, utcnow

bp = Blueprint("api", __name__, url_prefix="/api/v1")
LAST_USED_RESOLUTION = timedelta(minutes=1)
csrf.exempt(bp)

FIELD_NAMES = {"procedure_number": "procedure_number", "offence_code": "offence_code", "facts_date": "facts_date",
               "investigator": "investigator_email", "victim_email": "victim.email", "event_code": "code",
               "victim_birth_place_code": "victim.birth_place_code"}


def client_key() -> str:
    """Rate limits count per client (the token's public prefix); requests without a token, per address.

    Flask-Limiter checks before our authentication runs, hence the prefix rather than the client row.
    """
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else ""
    if token.startswith("sp_") and token.count("_") >= 2:
        return "api-client:" + token[3:].split("_", 1)[0][:16]
    return f"api-ip:{request.remote_addr}"


limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=client_key)(bp)


@bp.before_request
def authenticate_client():
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    client = authenticate(header[7:].strip() if header.lower().startswith("bearer ") else None)
    if client is None:
        return problem_response(401, "Jeton d'accès absent, invalide ou révoqué.",
                                headers={"WWW-Authenticate": 'Bearer realm="suivi-plainte"'})
    g.api_client = client
    g.api_actor = Actor("api", client.public_id, client.name, request.remote_addr or "", client.service_id)
    return None


@bp.after_request
def audit_call(response):
    client = g.get("api_client")
    if client is not None:
        now = utcnow()
        if client.last_used_at is None or now - client.last_used_at > LAST_USED_RESOLUTION:
            client.last_used_at = now
        audit.record("api.call", g.api_actor, service_id=client.service_id, subject=f"api:{request.method}",
                     details={"path": request.path, "status": response.status_code})
        db.session.commit()
    return response


@bp.errorhandler(ApiProblem)
def api_problem(problem: ApiProblem):
    db.session.rollback()
    return problem_response(problem.status, problem.detail, errors=problem.errors, headers=problem.headers)


def requires(scope: str):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if scope not in g.api_client.scope_set:
                raise ApiProblem(403, f"Ce client n'a pas la permission « {scope} ».")
            return view(*args, **kwargs)
        return wrapped
    return decorator


def idempotent(view):
    """POSTs with an Idempotency-Key run once; retries get the first answer."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return view(*args, **kwargs)
        body = request.get_data(cache=True)
        print_ = idempotency.fingerprint(request.method, request.path, body, request.content_type or "")
        return idempotency.run_once(g.api_client, key, print_, lambda: _response(view(*args, **kwargs)))
    return wrapped


def _response(result):
    return current_app.make_response(result)


def complaint_or_404(public_id: str) -> Complaint:
    complaint = db.session.scalar(select(Complaint).where(Complaint.public_id == public_id,
                                                          Complaint.service_id == g.api_client.service_id))
    if complaint is None:
        raise ApiProblem(404, "Aucune plainte de votre service ne porte cet identifiant.")
    return complaint


def as_field_problem(error: ComplaintError) -> ApiProblem:
    return field_error(FIELD_NAMES.get(error.field, error.field), error.message)


# ---- endpoints ----

@bp.get("/openapi.json")
@limiter.exempt
def openapi():
    return openapi_document()


@bp.get("/whoami")
def whoami():
    client = g.api_client
    return {"client": client.name, "service": {"id": client.service.public_id, "name": client.service.name},
            "scopes": sorted(client.scope_set)}


@bp.post("/complaints")
@requires("complaints:write")
@idempotent
def create():
    data = inputs.json_object(request)
    victim = inputs.nested(data, "victim")
    details = ComplaintDetails(
        procedure_number=inputs.text(data, "procedure_number", max_length=40),
        offence_code=inputs.text(data, "offence_code", max_length=40),
        facts_date=inputs.a_date(data, "facts_date"), facts_place=inputs.text(data, "facts_place"),
        against_named_person=inputs.boolean(data, "against_named_person", False),
        suspect_name=inputs.text(data, "suspect_name", required=False, max_length=200),
        investigator_public_id=_investigator(inputs.text(data, "investigator_email", required=False, max_length=200)),
        victim_family_name=inputs.text(victim, "family_name", prefix="victim.", max_length=200),
        victim_given_names=inputs.text(victim, "given_names", prefix="victim.", max_length=200),
        victim_birth_date=inputs.a_date(victim, "birth_date", prefix="victim."),
        victim_birth_place=inputs.text(victim, "birth_place", prefix="victim.", max_length=200),
        victim_email=inputs.text(victim, "email", required=False, prefix="victim.", max_length=200),
        victim_phone=inputs.text(victim, "phone", required=False, prefix="victim.", max_length=40),
        victim_birth_place_code=inputs.text(victim, "birth_place_code", required=False, prefix="victim.",
                                            max_length=5))
    if details.offence_code not in OFFENCES:
        raise field_error("offence_code", f"code inconnu ; codes possibles : {', '.join(OFFENCES)}")
    if details.victim_email and ("@" not in details.victim_email or " " in details.victim_email):
        raise field_error("victim.email", "adresse e-mail invalide")
    try:
        complaint = create_complaint(g.api_client.service, details, g.api_actor)
    except ComplaintError as error:
        raise as_field_problem(error) from None
    issued = issue_activation_code(complaint, g.api_actor)
    body = representations.complaint(complaint)
    body["activation"] = representations.activation(complaint, issued)
    return body, 201


def _investigator(email: str) -> str | None:
    if not email:
        return None
    agent = db.session.scalar(select(Agent).where(Agent.email == email.lower(),
                                                  Agent.service_id == g.api_client.service_id, Agent.active.is_(True)))
    if agent is None:
        raise field_error("investigator_email", "aucun agent actif de votre service n'a cette adresse")
    return agent.public_id


@bp.get("/complaints")
@requires("complaints:read")
def find():
    number = request.args.get("procedure_number", "")
    if not number:
        raise field_error("procedure_number", "paramètre obligatoire")
    complaints = db.session.scalars(select(Complaint).where(Complaint.service_id == g.api_client.service_id,
                                                            Complaint.procedure_number == number))
    return {"items": [representations.complaint(c) for c in complaints]}


@bp.get("/complaints/<public_id>")
@requires("complaints:read")
def show(public_id: str):
    complaint = complaint_or_404(public_id)
    audit.record("complaint.viewed", g.api_actor, complaint=complaint, subject=f"complaint:{public_id}")
    return representations.complaint(complaint, full=True)


@bp.post("/complaints/<public_id>/events")
@requires("events:write")
@idempotent
def add_event(public_id: str):
    complaint = complaint_or_404(public_id)
    data = inputs.json_object(request)
    code = inputs.text(data, "code", max_length=40)
    note = inputs.text(data, "note", required=False, max_length=2000)
    visible = inputs.boolean(data, "visible_to_victim", True)
    occurred_at = inputs.a_datetime(data, "occurred_at")
    try:
        event = post_event(complaint, code, note=note, visible_to_victim=visible, occurred_at=occurred_at,
                           by=g.api_actor)
    except ComplaintError as error:
        raise as_field_problem(error) from None
    return representations.event(event), 201


@bp.post("/complaints/<public_id>/documents")
@requires("documents:write")
@idempotent
def upload(public_id: str):
    complaint = complaint_or_404(public_id)
    upload_file = request.files.get("file")
    if upload_file is None or not upload_file.filename:
        raise field_error("file", "un fichier est attendu (multipart/form-data, champ « file »)")
    kind = request.form.get("kind", "")
    visible = request.form.get("visible_to_victim", "true").lower()
    if visible not in ("true", "false"):
        raise field_error("visible_to_victim", "true ou false est attendu")
    try:
        document = add_document(complaint, upload_file.stream, kind=kind, original_filename=upload_file.filename,
                                visible_to_victim=visible == "true", by=g.api_actor)
    except UploadTooLarge as rejected:
        raise ApiProblem(413, rejected.message) from None
    except UploadRejected as rejected:
        raise field_error("kind" if "type de document" in rejected.message else "file", rejected.message) from None
    return representations.document(document), 201


@bp.post("/complaints/<public_id>/activation-codes")
@requires("complaints:write")
@idempotent
def new_activation_code(public_id: str):
    complaint = complaint_or_404(public_id)
    return representations.activation(complaint, issue_activation_code(complaint, g.api_actor)), 201


@bp.post("/complaints/<public_id>/activation-letter")
@requires("complaints:write")
def activation_letter(public_id: str):
    """The printable letter for a code just issued (the code travels in the body, never in a URL)."""
    complaint = complaint_or_404(public_id)
    code = inputs.text(inputs.json_object(request), "code", max_length=40)
    row = db.session.scalar(select(ActivationCode).where(
        ActivationCode.complaint_id == complaint.id, ActivationCode.code_hash == hash_code(normalise_code(code) or ""),
        ActivationCode.used_at.is_(None), ActivationCode.revoked_at.is_(None), ActivationCode.locked_at.is_(None)))
    if row is None or row.expires_at <= utcnow():
        raise field_error("code", "ce code n'est pas un code valable de cette plainte")
    return render_template("enrolment/letter.html", complaint=complaint,
                           **letter_context(complaint, code, row.expires_at))
