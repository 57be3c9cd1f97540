"""Documents of a complaint: agents upload them, victims and agents download them."""
from __future__ import annotations

import re
import unicodedata
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp import audit
from webapp.audit import Actor
from webapp.catalogue import CONTENT_TYPE_EXTENSIONS, DOCUMENT_KINDS, document_kind
from webapp.documents.checks import UploadRejected, receive_upload
from webapp.documents.storage import document_storage
from webapp.extensions import db
from webapp.models import Complaint, Document
from webapp.notifications import outbox


def add_document(complaint: Complaint, stream: BinaryIO, *, kind: str, original_filename: str,
                 visible_to_victim: bool, by: Actor, submission_key: str | None = None) -> Document:
    """Check and store an uploaded file for a complaint. Raise UploadRejected and keep nothing if wrong."""
    if kind not in DOCUMENT_KINDS:
        raise UploadRejected("Choisissez le type de document dans la liste.")
    if submission_key and (existing := _by_submission(submission_key, complaint)):
        return existing
    storage = document_storage()
    checked = receive_upload(stream, storage.new_upload_path(), current_app.config["MAX_DOCUMENT_SIZE"])
    key = storage.keep(checked.path)
    document = Document(complaint_id=complaint.id, kind=kind, content_type=checked.content_type,
                        size_bytes=checked.size_bytes, sha256=checked.sha256, storage_key=key,
                        original_filename=display_filename(original_filename),
                        visible_to_victim=visible_to_victim, submission_key=submission_key,
                        uploaded_by_id=by.agent.id if by.agent else None)
    db.session.add(document)
    try:
        db.session.flush()
    except IntegrityError:  # the same form arrived twice at the same moment
        db.session.rollback()
        storage.delete(key)
        return _by_submission(submission_key, complaint)
    audit.record("document.uploaded", by, complaint=complaint, subject=f"document:{document.public_id}",
                 details={"kind": kind, "sha256": checked.sha256, "size": checked.size_bytes})
    if visible_to_victim:
        outbox.enqueue_for_complaint(complaint, "document")
    db.session.commit()
    outbox.wake_dispatcher()
    return document


def _by_submission(key: str, complaint: Complaint) -> Document | None:
    return db.session.scalar(select(Document).where(Document.submission_key == key,
                                                    Document.complaint_id == complaint.id))


def record_rejected_upload(complaint: Complaint, reason: str, by: Actor) -> None:
    audit.record("document.rejected", by, complaint=complaint, details={"reason": reason})
    db.session.commit()


def record_download(document: Document, by: Actor) -> None:
    """Note in the audit trail who downloaded the document."""
    audit.record("document.downloaded", by, complaint=document.complaint, subject=f"document:{document.public_id}")
    db.session.commit()


def download_name(document: Document) -> str:
    """A filename that says what the document is: ``recepisse-plainte-2026-012345.pdf``."""
    number = re.sub(r"[^A-Za-z0-9]+", "-", document.complaint.procedure_number).strip("-")
    extension = CONTENT_TYPE_EXTENSIONS[document.content_type]
    return f"{document_kind(document.kind).filename_stem}-plainte-{number}.{extension}"


def display_filename(name: str) -> str:
    """The client's filename, kept only to show agents what they uploaded (never used on disk)."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    return name[:255]
