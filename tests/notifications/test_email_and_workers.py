"""Email over real SMTP; worker processes: crash safety, and exactly-once with several on PostgreSQL."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from tests.conftest import URLS, VAPID_PEM
from tests.factories import create_complaint, create_event, create_service, create_victim
from tests.notifications.helpers import dispatch, notifications, subscribe
from webapp.extensions import db
from webapp.models import Notification, NotificationAttempt, utcnow

ROOT = Path(__file__).resolve().parents[2]


def test_email_alert_goes_through_smtp_without_details(app_factory, smtp_server):
    app = app_factory(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_SECURITY="none")
    with app.app_context():
        victim = create_victim("ines@example.org")
        complaint = create_complaint(create_service("Commissariat de Dijon"), victim=victim,
                                     procedure_number="2026/777777", victim_family_name="Roussel")
        create_event(complaint, "classement_sans_suite")
        dispatch(app)
        [(recipients, message)] = smtp_server.messages
        assert recipients == ["ines@example.org"]
        assert message["Subject"] == "Du nouveau sur votre plainte"
        body = message.get_payload(decode=True).decode()
        assert f"https://suivi-plainte.test/plaintes/{complaint.public_id}" in body
        for secret in ("2026/777777", "Roussel", "Dijon", "Classement", "classement"):
            assert secret not in body and secret not in message["Subject"]
        assert notifications()[0].status == "sent"


def test_smtp_server_down_is_retried(app_factory, smtp_server):
    app = app_factory(SMTP_HOST="127.0.0.1", SMTP_PORT=1, SMTP_SECURITY="none")  # nothing listens on port 1
    with app.app_context():
        complaint = create_complaint(create_service(), victim=create_victim())
        create_event(complaint, "enquete_en_cours")
        dispatch(app)
        [row] = notifications()
        assert row.status == "pending" and row.attempts == 1 and "messagerie" in row.last_error


def worker_env(backend: str, **extra) -> dict:
    from tests.conftest import PUSH_SERVICE, _INSTANCE
    env = dict(os.environ)
    env.update({
        "SUIVI_MODE": "testing", "SUIVI_DATABASE_URL": URLS[backend], "SUIVI_INSTANCE_DIR": _INSTANCE,
        "SUIVI_SECRET_KEY": "tests-only-secret-key-not-for-production", "SUIVI_VAPID_PRIVATE_KEY": VAPID_PEM,
        "SUIVI_VAPID_SUBJECT": "mailto:tests@suivi-plainte.fr",
        "SUIVI_PUSH_SERVICE_HOSTS": f"127.0.0.1:{PUSH_SERVICE.port}", "SUIVI_PUSH_CA_BUNDLE": str(PUSH_SERVICE.cert_path),
        "SUIVI_PUSH_TIMEOUT_SECONDS": "30", "SUIVI_NOTIFICATIONS_EMBEDDED": "0",
    })
    env.update({f"SUIVI_{k}": str(v) for k, v in extra.items()})
    return env


def start_worker(backend: str, *args, **extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "webapp", "notifications", "worker", *args],
                            cwd=ROOT, env=worker_env(backend, **extra), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)


def test_alert_survives_a_dispatcher_killed_while_sending(app, backend, push_service):
    victim = create_victim()
    victim.email_enabled = False
    db.session.commit()
    complaint = create_complaint(create_service(), victim=victim)
    phone = push_service.new_subscriber()
    subscribe(victim, phone)
    create_event(complaint, "audience_fixee")  # committed: the alert is in the outbox
    push_service.answer_next(("hang", 30))
    worker = start_worker(backend, NOTIFICATIONS_LEASE_SECONDS=2)
    deadline = time.time() + 20
    while not push_service.connections and time.time() < deadline:  # the worker is sending…
        time.sleep(0.05)
    assert push_service.connections, worker.communicate(timeout=5)[0]
    worker.send_signal(signal.SIGKILL)  # …and dies before hearing back
    worker.wait(timeout=10)
    assert phone.deliveries == [] and notifications()[0].status == "pending"

    time.sleep(2.1)  # its lease runs out
    restarted = start_worker(backend, "--exit-when-idle", NOTIFICATIONS_LEASE_SECONDS=2)
    output = restarted.communicate(timeout=60)[0].decode()
    assert restarted.returncode == 0, output
    assert len(phone.deliveries) == 1
    assert notifications()[0].status == "sent"


def test_three_workers_send_a_thousand_alerts_exactly_once_on_postgresql(app, backend, push_service):
    if backend != "postgresql":
        pytest.skip("concurrent workers need PostgreSQL's row locks (FOR UPDATE SKIP LOCKED); "
                    "this test runs in the PostgreSQL pass")
    victim = create_victim()
    complaint = create_complaint(create_service(), victim=victim)
    phones = [push_service.new_subscriber() for _ in range(10)]
    subscriptions = [subscribe(victim, phone) for phone in phones]
    now = utcnow()
    db.session.execute(insert(Notification), [
        {"public_id": f"bulk-{i:04d}", "victim_id": victim.id, "complaint_id": complaint.id, "channel": "push",
         "subscription_id": subscriptions[i % 10].id, "reason": "event", "status": "pending", "attempts": 0,
         "next_attempt_at": now, "created_at": now, "email_address": "", "last_error": ""} for i in range(1000)])
    db.session.commit()
    workers = [start_worker(backend, "--exit-when-idle", "--batch-size", "25", "--concurrency", "8")
               for _ in range(3)]
    outputs = [w.communicate(timeout=300)[0].decode() for w in workers]
    assert all(w.returncode == 0 for w in workers), outputs
    assert sum(len(p.deliveries) for p in phones) == 1000
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.status == "sent")) == 1000
    assert db.session.scalar(select(func.count(NotificationAttempt.id))) == 1000


def test_embedded_dispatcher_sends_in_the_background(app_factory, push_service):
    app = app_factory(NOTIFICATIONS_EMBEDDED=True, NOTIFICATIONS_POLL_SECONDS=0.2)
    from tests.webclient import Client
    with app.app_context():
        victim = create_victim()
        complaint = create_complaint(create_service(), victim=victim)
        phone = push_service.new_subscriber()
        subscribe(victim, phone)
        Client(app).get("/")  # the first request starts the background thread
        create_event(complaint, "jugement_rendu")
        deadline = time.time() + 10
        while not phone.deliveries and time.time() < deadline:
            time.sleep(0.05)
        assert len(phone.deliveries) == 1
        thread, stop = app.extensions["notifications_thread"]
        stop.set()
        thread.join(timeout=5)
