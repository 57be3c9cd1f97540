"""``Idempotency-Key`` for POST requests: a retry gets the first answer and creates nothing new.

The key is claimed by inserting a row (unique per client and key): of several identical requests
sent at once, exactly one does the work; the others wait for its answer and replay it.
"""
from __future__ import annotations

import hashlib
import time
from datetime import timedelta

from flask import Response
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from webapp.api.problems import ApiProblem
from webapp.extensions import db
from webapp.models import ApiClient, IdempotencyRecord, utcnow

LOCK = timedelta(minutes=2)
WAIT_SECONDS = 10


def fingerprint(method: str, path: str, body: bytes, content_type: str) -> str:
    # Multipart bodies carry a random boundary: fingerprint the boundary-free parts of the request.
    if content_type.startswith("multipart/"):
        boundary = content_type.split("boundary=")[-1].encode()
        body = body.replace(boundary, b"")
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def replay(record: IdempotencyRecord) -> Response:
    response = Response(record.response_body or "", status=record.status_code, content_type=record.content_type)
    response.headers["Idempotent-Replayed"] = "true"
    return response


def run_once(client: ApiClient, key: str, request_fingerprint: str, handler) -> Response:
    """Run ``handler`` for the first request with this key; replay its answer for the others."""
    if not key or len(key) > 200:
        raise ApiProblem(400, "L'en-tête Idempotency-Key doit contenir entre 1 et 200 caractères.")
    record = _claim(client, key, request_fingerprint)
    if record is not None:  # someone else has (or had) this key
        return _answer_of(record, request_fingerprint)
    try:
        response = handler()
    except BaseException:
        db.session.rollback()
        db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.client_id == client.id,
                                                           IdempotencyRecord.key == key))
        db.session.commit()  # a failure is not remembered: the client may retry
        raise
    if response.status_code >= 500 or response.status_code == 429:
        _forget(client, key)
        return response
    record = db.session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.client_id == client.id,
                                                               IdempotencyRecord.key == key))
    record.status_code, record.response_body = response.status_code, response.get_data(as_text=True)
    record.content_type, record.locked_until = response.content_type, None
    db.session.commit()
    return response


def _claim(client: ApiClient, key: str, request_fingerprint: str) -> IdempotencyRecord | None:
    db.session.add(IdempotencyRecord(client_id=client.id, key=key, request_fingerprint=request_fingerprint,
                                     locked_until=utcnow() + LOCK))
    try:
        db.session.commit()
        return None
    except IntegrityError:
        db.session.rollback()
    return db.session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.client_id == client.id,
                                                             IdempotencyRecord.key == key))


def _answer_of(record: IdempotencyRecord, request_fingerprint: str) -> Response:
    if record.request_fingerprint != request_fingerprint:
        raise ApiProblem(422, "Cette clé Idempotency-Key a déjà servi pour une requête différente.")
    record_id = record.id
    deadline = time.monotonic() + WAIT_SECONDS
    while record is not None and record.status_code is None and time.monotonic() < deadline:
        time.sleep(0.05)
        db.session.rollback()
        db.session.expire_all()
        record = db.session.get(IdempotencyRecord, record_id)
    if record is None or record.status_code is None:
        raise ApiProblem(409, "Une requête avec cette clé Idempotency-Key est encore en cours ou vient "
                              "d'échouer : réessayez dans un instant.", headers={"Retry-After": "2"})
    return replay(record)


def _forget(client: ApiClient, key: str) -> None:
    db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.client_id == client.id,
                                                       IdempotencyRecord.key == key))
    db.session.commit()
