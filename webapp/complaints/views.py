"""Victim side: "Mes plaintes", the complaint page, its timeline fragment, document downloads."""
from __future__ import annotations

import hashlib
import hmac

from functools import wraps
from urllib.parse import quote

from flask import Blueprint, current_app, make_response, render_template, send_file
from flask_login import current_user

from webapp.auth.access import current_actor, victim_required
from webapp.complaints import queries
from webapp.complaints.service import record_view, timeline_version
from webapp.messages.queries import unread_for_victim
from webapp.messages.withdrawal import pending_request
from webapp.catalogue import document_kind
from webapp.documents.service import download_name, record_download
from webapp.documents.storage import document_storage
from webapp.notifications.views import vapid_public_key
from webapp.http import etag_for, fragment_response, wants_fragment

bp = Blueprint("complaints", __name__)

OWNER_HEADER = "SP-Cache-Owner"


def cache_owner_key(victim) -> str:
    """An opaque key of the signed-in victim: the service worker keeps her pages under it, and
    forgets them all when another key shows up."""
    return hmac.new(current_app.secret_key.encode(), f"cache-owner:{victim.public_id}".encode(),
                    hashlib.sha256).hexdigest()[:24]


def offline_capable(view):
    """The victim's own pages may be kept by her phone's service worker (not by any shared cache)."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        if response.status_code in (200, 304):
            if "no-cache" not in response.headers.get("Cache-Control", ""):
                response.headers["Cache-Control"] = "private, no-cache"
            response.headers[OWNER_HEADER] = cache_owner_key(current_user)
        return response
    return wrapped


@bp.get("/mes-plaintes")
@victim_required
@offline_capable
def index():
    return render_template("complaints/index.html", complaints=queries.complaints_of(current_user))


def _page(complaint):
    return render_template("complaints/show.html", complaint=complaint,
                           timeline=queries.visible_timeline(complaint), withdrawal=pending_request(complaint),
                           documents=queries.visible_documents(complaint), vapid_key=vapid_public_key(),
                           unread=unread_for_victim(complaint))


@bp.get("/plaintes/<public_id>")
@victim_required
@offline_capable
def show(public_id: str):
    complaint = queries.victim_complaint_or_404(current_user, public_id)
    record_view(complaint, current_actor())
    return _page(complaint)


@bp.get("/plaintes/<public_id>/chronologie")
@victim_required
@offline_capable
def timeline(public_id: str):
    """The timeline alone for htmx (cheap to refresh: ETag, 304), the whole page otherwise."""
    complaint = queries.victim_complaint_or_404(current_user, public_id)
    if not wants_fragment():
        response = _page(complaint)
        return response, 200, {"Vary": "HX-Request"}
    withdrawal = pending_request(complaint)
    etag = etag_for("victim-timeline", complaint.public_id, *timeline_version(complaint, include_internal=False),
                    withdrawal.public_id if withdrawal else "")
    return fragment_response(etag, lambda: render_template(
        "complaints/_timeline.html", complaint=complaint, timeline=queries.visible_timeline(complaint),
        withdrawal=withdrawal))


@bp.get("/plaintes/<public_id>/documents/<document_id>")
@victim_required
@offline_capable
def download(public_id: str, document_id: str):
    document = queries.victim_document_or_404(current_user, public_id, document_id)
    record_download(document, current_actor())
    response = send_document(document)
    response.headers["SP-Title"] = quote(document_kind(document.kind).label)
    return response


def send_document(document):
    """A complaint document, named after what it is (``recepisse-plainte-2026-012345.pdf``)."""
    return send_document_file(document, download_name(document))


def send_document_file(stored, name: str):
    """A stored file as an attachment; never sniffed, never run by the browser."""
    response = send_file(document_storage().path(stored.storage_key), mimetype=stored.content_type,
                         as_attachment=True, download_name=name, conditional=True, etag=stored.sha256, max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
