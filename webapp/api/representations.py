"""JSON shapes of the API's answers (documented in openapi.py)."""
from __future__ import annotations

from flask import url_for

from webapp.catalogue import milestone, offence_label
from webapp.complaints import queries
from webapp.enrolment.letter import activation_url
from webapp.messages.withdrawal import requests_of


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def event(item) -> dict:
    return {"id": item.public_id, "code": item.event_code, "title": milestone(item.event_code).title,
            "note": item.note, "visible_to_victim": item.visible_to_victim, "occurred_at": iso(item.occurred_at)}


def document(item) -> dict:
    return {"id": item.public_id, "kind": item.kind, "content_type": item.content_type, "size_bytes": item.size_bytes,
            "sha256": item.sha256, "visible_to_victim": item.visible_to_victim, "uploaded_at": iso(item.uploaded_at)}


def activation(complaint, issued) -> dict:
    return {"code": issued.code, "expires_at": iso(issued.activation_code.expires_at),
            "activation_url": activation_url(issued.code),
            "letter_url": url_for("api.activation_letter", public_id=complaint.public_id, _external=True)}


def complaint(item, *, full: bool = False) -> dict:
    timeline = queries.full_timeline(item)
    visible = [e for e in timeline if e.visible_to_victim]
    body = {
        "id": item.public_id, "procedure_number": item.procedure_number,
        "offence": {"code": item.offence_code, "label": offence_label(item.offence_code)},
        "facts_date": item.facts_date.isoformat(), "facts_place": item.facts_place,
        "against_named_person": item.against_named_person, "filed_at": iso(item.filed_at),
        "investigator_email": item.investigator.email if item.investigator else None,
        "victim_space_activated": item.victim_account_id is not None,
        "status": event(visible[0]) if visible else None,
    }
    if full:
        withdrawal = next(iter(requests_of(item)), None)
        body["timeline"] = [event(e) for e in timeline]
        body["documents"] = [document(d) for d in queries.all_documents(item)]
        body["withdrawal_request"] = ({"status": withdrawal.status, "created_at": iso(withdrawal.created_at)}
                                      if withdrawal else None)
    return body
