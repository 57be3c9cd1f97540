"""The dispatcher: claims due outbox rows, sends them concurrently, records every attempt.

Runs as a thread inside the app (embedded mode) or as any number of ``flask notifications worker``
processes. Rows are claimed with a lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so two workers
never take the same row, and the rows of a worker that died come back when its lease runs out:
delivery is at least once, never silently dropped.
"""
from __future__ import annotations

import logging
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import joinedload

from webapp.extensions import db
from webapp.models import Notification, NotificationAttempt, NotificationStatus, PushSubscription, utcnow
from webapp.notifications import outbox, subscriptions
from webapp.notifications.senders import EmailJob, EmailSender, Outcome, PushJob, PushSender
from webapp.notifications.vapid import VapidSigner, load_vapid

log = logging.getLogger(__name__)
MAX_BACKOFF = 6 * 3600


class Dispatcher:
    def __init__(self, app: Flask, *, concurrency: int | None = None, batch_size: int | None = None):
        config = app.config
        self.app = app
        self.batch_size = batch_size or config["NOTIFICATIONS_BATCH_SIZE"]
        self.lease = timedelta(seconds=config["NOTIFICATIONS_LEASE_SECONDS"])
        self.max_attempts = config["NOTIFICATIONS_MAX_ATTEMPTS"]
        self.retry_base = config["NOTIFICATIONS_RETRY_BASE_SECONDS"]
        self.pool = ThreadPoolExecutor(max_workers=concurrency or config["NOTIFICATIONS_CONCURRENCY"],
                                       thread_name_prefix="push")
        with app.app_context():
            signer = VapidSigner(load_vapid(), config["VAPID_SUBJECT"])
        self.push = PushSender(signer, ttl=config["PUSH_TTL_SECONDS"], timeout=config["PUSH_TIMEOUT_SECONDS"],
                               verify=config["PUSH_CA_BUNDLE"] or True)
        self.email = EmailSender(config)

    # ---- one round: claim, send, record ----

    def dispatch_once(self) -> int:
        """Send one batch of due notifications; return how many were attempted."""
        lease_until, ids = self._claim()
        if not ids:
            return 0
        jobs, outcomes = self._jobs(ids)
        outcomes += list(self.pool.map(self._send, jobs))
        self._record(outcomes, lease_until)
        return len(ids)

    def run(self, stop: threading.Event, *, poll_interval: float = 1.0, exit_when_idle: bool = False) -> None:
        """Dispatch until ``stop`` is set (or, with ``exit_when_idle``, until nothing is due)."""
        while not stop.is_set():
            try:
                with self.app.app_context():
                    sent = self.dispatch_once()
            except Exception:  # a database hiccup must not kill the worker: the rows stay pending
                log.exception("notification dispatch failed; retrying")
                sent = 0
                time.sleep(poll_interval)
            if sent:
                continue
            if exit_when_idle:
                return
            outbox.wait_for_work(poll_interval)

    def close(self) -> None:
        self.pool.shutdown(wait=True)

    # ---- steps ----

    def _claim(self):
        now = utcnow()
        # A few random microseconds make each claim's lease value its own (ownership check on record).
        lease_until = now + self.lease + timedelta(microseconds=random.randrange(1, 999_999))
        due = (select(Notification.id)
               .where(Notification.status == NotificationStatus.PENDING, Notification.next_attempt_at <= now,
                      or_(Notification.lease_until.is_(None), Notification.lease_until < now))
               .order_by(Notification.next_attempt_at, Notification.id).limit(self.batch_size)
               .with_for_update(skip_locked=True))
        ids = list(db.session.scalars(update(Notification).where(Notification.id.in_(due.scalar_subquery()))
                                      .values(lease_until=lease_until).returning(Notification.id)))
        db.session.commit()
        return lease_until, ids

    def _jobs(self, ids: list[int]):
        jobs, cancelled = [], []
        rows = db.session.scalars(select(Notification).where(Notification.id.in_(ids))
                                  .options(joinedload(Notification.complaint), joinedload(Notification.subscription)))
        for row in rows:
            if row.channel == "push":
                if row.subscription is None:
                    cancelled.append(Outcome(row.id, "cancelled", None, "abonnement supprimé"))
                    continue
                jobs.append(PushJob(row.id, row.subscription.endpoint, row.subscription.p256dh,
                                    row.subscription.auth, outbox.push_payload(row.complaint),
                                    outbox.topic_for(row.complaint)))
            else:
                jobs.append(EmailJob(row.id, row.email_address, self.email.message_for(row.complaint)))
        db.session.rollback()  # nothing to keep from this read: end the transaction before sending
        return jobs, cancelled

    def _send(self, job) -> Outcome:
        sender = self.push if isinstance(job, PushJob) else self.email
        started = time.perf_counter()
        try:
            outcome = sender.send(job)
        except Exception as error:  # never lose the row because of an unexpected error: retry later
            log.exception("unexpected error while sending notification %s", job.notification_id)
            outcome = Outcome(job.notification_id, "retry", None, f"erreur inattendue : {type(error).__name__}")
        outcome.duration_ms = int((time.perf_counter() - started) * 1000)
        return outcome

    def _record(self, outcomes: list[Outcome], lease_until) -> None:
        now = utcnow()
        db.session.execute(insert(NotificationAttempt), [
            {"notification_id": o.notification_id, "attempted_at": now, "status_code": o.status_code,
             "outcome": o.outcome, "detail": o.detail[:300], "duration_ms": o.duration_ms} for o in outcomes])
        mine = (Notification.lease_until == lease_until,)
        by_outcome: dict[str, list[Outcome]] = {}
        for outcome in outcomes:
            by_outcome.setdefault(outcome.outcome, []).append(outcome)
        if sent := [o.notification_id for o in by_outcome.get("sent", [])]:
            db.session.execute(update(Notification).where(Notification.id.in_(sent), *mine).values(
                status=NotificationStatus.SENT, sent_at=now, lease_until=None, last_error="",
                attempts=Notification.attempts + 1))
            db.session.execute(update(PushSubscription).where(PushSubscription.id.in_(
                select(Notification.subscription_id).where(Notification.id.in_(sent)).scalar_subquery()))
                .values(last_success_at=now))
        for outcome in by_outcome.get("cancelled", []):
            db.session.execute(update(Notification).where(Notification.id == outcome.notification_id, *mine)
                               .values(status=NotificationStatus.CANCELLED, lease_until=None,
                                       last_error=outcome.detail[:300]))
        for outcome in by_outcome.get("gone", []):
            self._subscription_gone(outcome, lease_until)
        for outcome in by_outcome.get("rejected", []):
            db.session.execute(update(Notification).where(Notification.id == outcome.notification_id, *mine)
                               .values(status=NotificationStatus.FAILED, lease_until=None,
                                       attempts=Notification.attempts + 1, last_error=outcome.detail[:300]))
        for outcome in by_outcome.get("retry", []):
            self._retry_later(outcome, lease_until, now)
        db.session.commit()

    def _subscription_gone(self, outcome: Outcome, lease_until) -> None:
        """404/410: the browser unsubscribed or the subscription expired: forget it."""
        row = db.session.get(Notification, outcome.notification_id)
        db.session.execute(update(Notification).where(Notification.id == row.id,
                                                      Notification.lease_until == lease_until)
                           .values(status=NotificationStatus.CANCELLED, lease_until=None,
                                   attempts=Notification.attempts + 1, last_error=outcome.detail[:300]))
        if row.subscription is not None:
            subscriptions.remove(row.subscription, "abonnement expiré ou retiré par le navigateur")

    def _retry_later(self, outcome: Outcome, lease_until, now) -> None:
        row = db.session.get(Notification, outcome.notification_id)
        if row is None or row.lease_until != lease_until:
            return
        row.attempts += 1
        row.lease_until = None
        row.last_error = outcome.detail[:300]
        if row.attempts >= self.max_attempts:
            row.status = NotificationStatus.FAILED
            return
        backoff = min(MAX_BACKOFF, self.retry_base * 2 ** (row.attempts - 1))
        row.next_attempt_at = now + timedelta(seconds=max(backoff, outcome.retry_after or 0))


# ---- the embedded dispatcher: a background thread inside the web app ----

_embedded_lock = threading.Lock()


def start_embedded(app: Flask) -> None:
    """Start the in-process dispatcher once per process (first request), in embedded mode."""
    with _embedded_lock:
        if app.extensions.get("notifications_thread"):
            return
        stop = threading.Event()

        def target():
            try:
                dispatcher = Dispatcher(app)
            except Exception:
                log.exception("notifications are not sent: the dispatcher could not start")
                return
            dispatcher.run(stop, poll_interval=app.config["NOTIFICATIONS_POLL_SECONDS"])

        thread = threading.Thread(target=target, name="notifications", daemon=True)
        thread.start()
        app.extensions["notifications_thread"] = (thread, stop)


def install_embedded(app: Flask) -> None:
    if not app.config["NOTIFICATIONS_EMBEDDED"]:
        return

    @app.before_request
    def ensure_dispatcher():
        if not app.extensions.get("notifications_thread"):
            start_embedded(current_app._get_current_object())
