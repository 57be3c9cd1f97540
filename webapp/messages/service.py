"""The thread between a victim and the service in charge of her complaint."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from webapp import audit
from webapp.audit import Actor
from webapp.documents.checks import UploadRejected
from webapp.documents.service import display_filename
from webapp.documents.storage import document_storage
from webapp.extensions import db
from webapp.messages.attachments import receive_attachments
from webapp.models import Complaint, Message, MessageAttachment, utcnow
from webapp.notifications import outbox

MAX_LENGTH = 5000


class MessageRefused(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def thread_of(complaint: Complaint) -> list[Message]:
    """The messages of a complaint, oldest first (a conversation reads top to bottom)."""
    return list(db.session.scalars(select(Message).where(Message.complaint_id == complaint.id)
                                   .order_by(Message.created_at, Message.id)))


def send_message(complaint: Complaint, body: str, files, *, by: Actor, submission_key: str | None) -> Message:
    """Add a message (and its files) from the victim or an agent. The same form sent twice adds it once."""
    body = (body or "").strip()
    if submission_key and (existing := _by_submission(submission_key, complaint)):
        return existing
    if len(body) > MAX_LENGTH:
        raise MessageRefused("body", f"Votre message est trop long ({len(body)} caractères) : "
                                     f"{MAX_LENGTH} au maximum. Vous pouvez l'envoyer en plusieurs fois.")
    if not body and not [f for f in files if f and getattr(f, "filename", "")]:
        raise MessageRefused("body", "Écrivez un message ou joignez un fichier.")
    config = current_app.config
    try:
        kept = receive_attachments(files, document_storage(), max_size=config["MAX_ATTACHMENT_SIZE"],
                                   max_count=config["MAX_ATTACHMENTS"])
    except UploadRejected as rejected:
        raise MessageRefused("attachments", rejected.message) from None
    message = Message(complaint_id=complaint.id, author_kind="agent" if by.agent else "victim",
                      author_agent_id=by.agent.id if by.agent else None, body=body, submission_key=submission_key)
    message.attachments = [MessageAttachment(content_type=c.content_type, size_bytes=c.size_bytes, sha256=c.sha256,
                                             storage_key=key, original_filename=display_filename(name))
                           for c, key, name in kept]
    db.session.add(message)
    try:
        db.session.flush()
    except IntegrityError:  # the same form arrived twice at the same moment
        db.session.rollback()
        for _, key, _ in kept:
            document_storage().delete(key)
        return _by_submission(submission_key, complaint)
    audit.record("message.sent", by, complaint=complaint, subject=f"message:{message.public_id}",
                 details={"attachments": len(kept)})
    if by.agent:
        outbox.enqueue_for_complaint(complaint, "message")
    db.session.commit()
    outbox.wake_dispatcher()
    return message


def _by_submission(key: str, complaint: Complaint) -> Message | None:
    return db.session.scalar(select(Message).where(Message.submission_key == key,
                                                   Message.complaint_id == complaint.id))


def mark_read(complaint: Complaint, *, reader_kind: str) -> int:
    """The reader has seen the other side's messages: stamp them read (once)."""
    other = "agent" if reader_kind == "victim" else "victim"
    result = db.session.execute(update(Message).where(
        Message.complaint_id == complaint.id, Message.author_kind == other, Message.read_at.is_(None))
        .values(read_at=utcnow()))
    db.session.commit()
    return result.rowcount


def attachment_of(complaint: Complaint, public_id: str) -> MessageAttachment | None:
    return db.session.scalar(select(MessageAttachment).join(Message).where(
        MessageAttachment.public_id == public_id, Message.complaint_id == complaint.id))


def record_attachment_download(attachment: MessageAttachment, by: Actor) -> None:
    audit.record("attachment.downloaded", by, complaint=attachment.message.complaint,
                 subject=f"attachment:{attachment.public_id}")
    db.session.commit()
