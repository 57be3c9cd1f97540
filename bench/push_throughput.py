"""Alerts per second: the project's dispatcher against a naive loop calling pywebpush.webpush().

A local push service (tests/push_service.py, in its own process) checks each VAPID signature, decrypts
each message, and answers after a delay standing for the round trip to a real push service.
For each delay (default 50 ms, then 0 ms), N alerts are sent to 50 subscribed browsers:
- project: N outbox rows sent by one Dispatcher (claim, send concurrently, record every attempt);
- naive: one pywebpush.webpush() call per message, one after the other (new VAPID token each time).
Target: at 50 ms, at least 10 times the naive loop; at 0 ms, not slower than it.
Usage: .venv/bin/python bench/push_throughput.py [--count 2000] [--naive-count 2000] [--delays 0.05,0]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import _app  # noqa: F401  (sets up the import path and a temporary instance folder)
from py_vapid import Vapid

ROOT = Path(__file__).resolve().parents[1]
SUBJECT = "mailto:bench@suivi-plainte.fr"


class PushServiceProcess:
    def __init__(self, delay: float):
        self.directory = tempfile.mkdtemp(prefix="push-service-")
        self.process = subprocess.Popen([sys.executable, "-m", "tests.push_service", "--delay", str(delay),
                                         "--dir", self.directory], cwd=ROOT, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        info = json.loads(self.process.stdout.readline())
        self.port, self.cert = info["port"], info["cert"]
        self.origin = f"https://127.0.0.1:{self.port}"
        import ssl
        self.context = ssl.create_default_context(cafile=self.cert)

    def call(self, method: str, path: str) -> dict:
        request = urllib.request.Request(self.origin + path, method=method, data=b"" if method == "POST" else None)
        with urllib.request.urlopen(request, context=self.context) as response:
            return json.loads(response.read())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)


def project_rate(service: PushServiceProcess, subscribers: list[dict], count: int, vapid_pem: str) -> float:
    from sqlalchemy import insert
    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import Notification, utcnow
    from webapp.notifications import subscriptions
    from webapp.notifications.dispatcher import Dispatcher
    from flask_migrate import upgrade
    from tests.factories import create_complaint, create_service, create_victim

    database = os.environ.get("SUIVI_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app({"MODE": "testing", "SECRET_KEY": "bench-only-secret-key", "SQLALCHEMY_DATABASE_URI": database,
                      "VAPID_PRIVATE_KEY": vapid_pem, "VAPID_SUBJECT": SUBJECT, "PUSH_CA_BUNDLE": service.cert,
                      "PUSH_SERVICE_HOSTS": (f"127.0.0.1:{service.port}",), "NOTIFICATIONS_EMBEDDED": False})
    with app.app_context():
        upgrade()
        victim = create_victim()
        complaint = create_complaint(create_service(), victim=victim)
        rows = [subscriptions.subscribe(victim, subscriptions.validate(s), auth_session_id=None, user_agent="")
                for s in subscribers]
        now = utcnow()
        db.session.execute(insert(Notification), [
            {"public_id": f"n{i}", "victim_id": victim.id, "complaint_id": complaint.id, "channel": "push",
             "subscription_id": rows[i % len(rows)].id, "reason": "event", "status": "pending", "attempts": 0,
             "next_attempt_at": now, "created_at": now, "email_address": "", "last_error": ""}
            for i in range(count)])
        db.session.commit()
        dispatcher = Dispatcher(app)
        started = time.perf_counter()
        while dispatcher.dispatch_once():
            pass
        elapsed = time.perf_counter() - started
        dispatcher.close()
        sent = db.session.scalar(db.select(db.func.count()).select_from(Notification).where(Notification.status == "sent"))
        assert sent == count, f"only {sent} of {count} sent"
    return count / elapsed


def naive_rate(service: PushServiceProcess, subscribers: list[dict], count: int, vapid_pem: str) -> float:
    from pywebpush import webpush
    os.environ["REQUESTS_CA_BUNDLE"] = service.cert
    vapid = Vapid.from_pem(vapid_pem.encode())
    payload = json.dumps({"title": "Suivi Plainte", "body": "Du nouveau sur votre plainte",
                          "url": "/plaintes/abcdefghijklmnopqrstuv", "tag": "abcdefghijklmnopqrstuv"})
    started = time.perf_counter()
    for i in range(count):
        webpush(subscribers[i % len(subscribers)], payload, vapid_private_key=vapid,
                vapid_claims={"sub": SUBJECT}, ttl=2419200, headers={"Urgency": "normal"})
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--naive-count", type=int, default=2000)
    parser.add_argument("--delays", default="0.05,0")
    arguments = parser.parse_args()
    vapid = Vapid()
    vapid.generate_keys()
    vapid_pem = vapid.private_pem().decode()
    print(f"{arguments.count} alerts (naive loop: {arguments.naive_count}), 50 subscribed browsers, one process")
    print(f"{'push service delay':>18} {'project /s':>11} {'naive /s':>9} {'ratio':>6}")
    for delay in (float(d) for d in arguments.delays.split(",")):
        service = PushServiceProcess(delay)
        try:
            subscribers = [service.call("POST", "/subscribers") for _ in range(50)]
            project = project_rate(service, subscribers, arguments.count, vapid_pem)
            naive = naive_rate(service, subscribers, arguments.naive_count, vapid_pem)
            stats = service.call("GET", "/stats")
            assert stats["deliveries"] == arguments.count + arguments.naive_count and not stats["rejections"], stats
        finally:
            service.close()
        print(f"{delay * 1000:>15.0f} ms {project:>11.0f} {naive:>9.1f} {project / naive:>6.1f}")


if __name__ == "__main__":
    main()
