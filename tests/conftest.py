"""Test fixtures: the app on SQLite and on PostgreSQL, both built by the Alembic migrations.

Every test that uses ``app`` runs once per database backend. PostgreSQL is used when
TEST_DATABASE_URL is set; with SUIVI_REQUIRE_ALL_BACKENDS=1 (CI) its absence is an error, not a skip.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

_INSTANCE = tempfile.mkdtemp(prefix="suivi-plainte-tests-")
os.environ["SUIVI_INSTANCE_DIR"] = _INSTANCE
os.environ.pop("SUIVI_DATABASE_URL", None)
os.environ.pop("SUIVI_MODE", None)

from flask_migrate import upgrade  # noqa: E402
from py_vapid import Vapid  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from tests.push_service import PushService  # noqa: E402
from tests.webclient import Client  # noqa: E402

SQLITE_URL = f"sqlite:///{Path(_INSTANCE) / 'tests.sqlite'}"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
REQUIRE_ALL = os.environ.get("SUIVI_REQUIRE_ALL_BACKENDS") == "1"

if REQUIRE_ALL and not POSTGRES_URL:
    raise pytest.UsageError("SUIVI_REQUIRE_ALL_BACKENDS=1 but TEST_DATABASE_URL is not set")

BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
URLS = {"sqlite": SQLITE_URL, "postgresql": POSTGRES_URL}

_vapid = Vapid()
_vapid.generate_keys()
VAPID_PEM = _vapid.private_pem().decode()
# One push service for the whole run (its state is reset for each test by the push_service fixture).
PUSH_SERVICE = PushService(Path(_INSTANCE))


def make_app(backend: str, tmp_path: Path, **overrides):
    config = {
        "MODE": "testing", "TESTING": True, "SECRET_KEY": "tests-only-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": URLS[backend], "DOCUMENTS_DIR": str(tmp_path / "documents"),
        "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://", "SERVER_NAME": None,
        "VAPID_PRIVATE_KEY": VAPID_PEM, "VAPID_SUBJECT": "mailto:tests@suivi-plainte.fr",
        "PUSH_SERVICE_HOSTS": (f"127.0.0.1:{PUSH_SERVICE.port}",), "PUSH_CA_BUNDLE": str(PUSH_SERVICE.cert_path),
        "PUSH_TIMEOUT_SECONDS": 1.0, "NOTIFICATIONS_EMBEDDED": False, "PUBLIC_URL": "https://suivi-plainte.test",
    }
    config.update(overrides)
    return create_app(config)


_migrated: set[str] = set()


def migrate_once(backend: str, tmp_path: Path) -> None:
    """Build the test database with the migrations, once per backend per run, from an empty schema."""
    if backend in _migrated:
        return
    app = make_app(backend, tmp_path)
    with app.app_context():
        drop_everything()
        upgrade()
        db.engine.dispose()
    _migrated.add(backend)


def drop_everything() -> None:
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    else:
        metadata = sa.MetaData()
        metadata.reflect(db.engine)
        metadata.drop_all(db.engine)


def empty_tables() -> None:
    """Remove every row (the schema stays): each test starts from an empty database."""
    db.session.remove()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(sa.text(f"DELETE FROM {table}"))


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def app_factory(backend, tmp_path):
    """Build an app on the current backend with extra configuration (e.g. a smaller size limit)."""
    migrate_once(backend, tmp_path)
    apps = []

    def factory(**overrides):
        app = make_app(backend, tmp_path, **overrides)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            empty_tables()
            db.engine.dispose()


@pytest.fixture
def app(app_factory):
    app = app_factory()
    with app.app_context():
        yield app


@pytest.fixture
def client(app) -> Client:
    return Client(app)


@pytest.fixture
def other_client(app) -> Client:
    """A second browser, e.g. another victim."""
    return Client(app)


@pytest.fixture
def push_service():
    """The local push service, with a clean state for this test."""
    PUSH_SERVICE.subscribers.clear()
    PUSH_SERVICE.script.clear()
    PUSH_SERVICE.rejections.clear()
    PUSH_SERVICE.delay = 0.0
    PUSH_SERVICE.connections = 0
    yield PUSH_SERVICE
    assert PUSH_SERVICE.rejections == [], "the push service refused requests"


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 that keeps what it receives."""
    from aiosmtpd.controller import Controller

    class Mailbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            import email
            self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
            return "250 OK"

    import socket
    with socket.socket() as probe:  # aiosmtpd needs a real port number to check it started
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = Mailbox()
    mailbox.port = port
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox
    controller.stop()


@pytest.fixture
def live_server(app):
    """The app on 127.0.0.1 on a free port, in a thread; yields its base URL."""
    import threading
    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
