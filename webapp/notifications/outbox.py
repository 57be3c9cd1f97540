"""The transactional outbox: alerts are rows written with the change they announce.

Callers add the rows inside their own transaction (before its commit): an event committed is a
notification that will be sent. The payload never carries a detail of the offence.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading

from flask import current_app
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Complaint, Notification, PushSubscription, VictimAccount

ALERT_TITLE = "Suivi Plainte"
ALERT_BODY = "Du nouveau sur votre plainte"
MAX_PAYLOAD = 4096

_wake = threading.Event()


def enqueue_for_complaint(complaint: Complaint, reason: str) -> list[Notification]:
    """Add, to the current transaction, one alert per channel of the complaint's victim."""
    if complaint.victim_account_id is None:
        return []
    victim = db.session.get(VictimAccount, complaint.victim_account_id)
    if victim is None or not victim.active:
        return []
    rows = []
    if victim.push_enabled:
        for subscription in db.session.scalars(select(PushSubscription).where(
                PushSubscription.victim_id == victim.id)):
            rows.append(Notification(victim_id=victim.id, complaint_id=complaint.id, channel="push",
                                     subscription_id=subscription.id, reason=reason))
    if victim.email_enabled and victim.alert_email:
        rows.append(Notification(victim_id=victim.id, complaint_id=complaint.id, channel="email",
                                 email_address=victim.alert_email, reason=reason))
    db.session.add_all(rows)
    return rows


def wake_dispatcher() -> None:
    """Tell the in-process dispatcher (embedded mode) that new rows were committed."""
    _wake.set()


def wait_for_work(timeout: float) -> None:
    _wake.wait(timeout)
    _wake.clear()


def topic_for(complaint: Complaint) -> str:
    """Opaque, stable per complaint (push services see the Topic in clear): 22 base64url characters."""
    digest = hmac.new(current_app.secret_key.encode(), f"topic:{complaint.public_id}".encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def complaint_path(complaint: Complaint) -> str:
    return f"/plaintes/{complaint.public_id}"


def push_payload(complaint: Complaint) -> bytes:
    """What the lock screen may show: no offence, no name, no procedure number."""
    payload = json.dumps({"title": ALERT_TITLE, "body": ALERT_BODY, "url": complaint_path(complaint),
                          "tag": topic_for(complaint)}, ensure_ascii=False).encode()
    assert len(payload) <= MAX_PAYLOAD
    return payload
