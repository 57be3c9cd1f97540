"""A throw-away app for benchmarks: SQLite in a temporary folder (or SUIVI_DATABASE_URL), migrated."""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("SUIVI_INSTANCE_DIR", tempfile.mkdtemp(prefix="suivi-bench-"))

from flask_migrate import upgrade  # noqa: E402

from webapp import create_app  # noqa: E402


def bench_app():
    app = create_app({"MODE": "testing", "RATELIMIT_ENABLED": False, "SECRET_KEY": "bench-only-secret-key"})
    with app.app_context():
        upgrade()
    return app


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000
