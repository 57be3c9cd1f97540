"""Events per second through the records-software API, against the framework's ceiling.

The app runs under gunicorn on PostgreSQL (database ``suivi_bench``, recreated). 8 concurrent clients
post 5,000 events (each with an Idempotency-Key, on 50 complaints whose victims get an email alert:
one outbox row per event), then call a trivial authenticated endpoint (GET /api/v1/whoami) 5,000
times. Prints events/s and p50/p95/p99 latency for both, and the ratio.
Usage: .venv/bin/python bench/api_ingest.py [--count 5000] [--clients 8] [--database postgresql://…]
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


def fresh_database(server: str, name: str) -> str:
    engine = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return f"{server}/{name}"


def environment(database: str, instance: str) -> dict:
    env = dict(os.environ)
    env.update({"SUIVI_DATABASE_URL": database, "SUIVI_INSTANCE_DIR": instance, "SUIVI_MODE": "embedded",
                "SUIVI_SECRET_KEY": "bench-only-secret-key-bench-only-secret-key", "SUIVI_RATELIMIT_ENABLED": "0",
                "SUIVI_NOTIFICATIONS_EMBEDDED": "0"})
    return env


def prepare(env: dict) -> tuple[str, list[str]]:
    """Migrate, then create a service, an API client and 50 complaints with enrolled victims."""
    script = """
from flask_migrate import upgrade
from webapp import create_app
from webapp.api.clients import SCOPES, create_client
from tests.factories import create_complaint, create_service, create_victim
app = create_app()
with app.app_context():
    upgrade()
    service = create_service("Commissariat de banc d'essai")
    _, token = create_client(service, "LRP banc d'essai", list(SCOPES))
    ids = [create_complaint(service, victim=create_victim()).public_id for _ in range(50)]
    print(token)
    print(" ".join(ids))
"""
    output = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True,
                            text=True).stdout.strip().splitlines()
    return output[-2], output[-1].split()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_load(count: int, clients: int, request) -> tuple[float, list[float]]:
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(count))

    def worker():
        session = requests.Session()
        mine = []
        for index in counter:
            started = time.perf_counter()
            response = request(session, index)
            mine.append(time.perf_counter() - started)
            if response.status_code >= 300:
                raise RuntimeError(f"{response.status_code}: {response.text[:200]}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    [t.start() for t in threads]
    [t.join() for t in threads]
    return time.perf_counter() - started, latencies


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--database-server", default=DEFAULT_SERVER)
    parser.add_argument("--workers", type=int, default=3)
    arguments = parser.parse_args()

    env = environment(fresh_database(arguments.database_server, "suivi_bench"), tempfile.mkdtemp(prefix="api-bench-"))
    token, complaint_ids = prepare(env)
    port = free_port()
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", str(arguments.workers),
                               "--threads", "4", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
                               "webapp:create_app()"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}/api/v1"
    headers = {"Authorization": f"Bearer {token}"}
    try:
        for _ in range(100):
            try:
                if requests.get(f"{base}/whoami", headers=headers, timeout=5).ok:
                    break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.1)

        def post_event(session, index):
            return session.post(f"{base}/complaints/{complaint_ids[index % len(complaint_ids)]}/events",
                                json={"code": "information", "note": f"Acte n° {index}"},
                                headers={**headers, "Idempotency-Key": str(uuid.uuid4())}, timeout=30)

        def whoami(session, index):
            return session.get(f"{base}/whoami", headers=headers, timeout=30)

        run_load(200, arguments.clients, whoami)  # warm up every worker
        results = {}
        for label, request in [("POST events", post_event), ("GET whoami (ceiling)", whoami)]:
            elapsed, latencies = run_load(arguments.count, arguments.clients, request)
            results[label] = (arguments.count / elapsed, latencies)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    print(f"gunicorn {arguments.workers} workers x 4 threads on PostgreSQL, {arguments.clients} concurrent clients, "
          f"{arguments.count} requests each")
    print(f"{'endpoint':<22} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for label, (rate, latencies) in results.items():
        print(f"{label:<22} {rate:>8.0f} {percentile(latencies, 50):>8.1f} {percentile(latencies, 95):>8.1f} "
              f"{percentile(latencies, 99):>8.1f}")
    events, ceiling = results["POST events"][0], results["GET whoami (ceiling)"][0]
    print(f"events/s as a share of the framework's ceiling: {events / ceiling:.2f}")


if __name__ == "__main__":
    main()
