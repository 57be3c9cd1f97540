"""Suivi Plainte: a victim follows the complaint she filed, from her phone."""
from __future__ import annotations

import logging
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp.config import build_config
from webapp.extensions import csrf, db, htmx, limiter, login_manager, migrate


def create_app(overrides: dict | None = None) -> Flask:
    """Application factory: configuration, extensions, blueprints, CLI and error pages."""
    app = Flask(__name__, instance_path=os.environ.get("SUIVI_INSTANCE_DIR") or None,
                instance_relative_config=True)
    app.config.update(build_config(app.instance_path, overrides))
    _configure_logging()
    os.makedirs(app.config["DOCUMENTS_DIR"], exist_ok=True)
    if app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"],
                                x_proto=app.config["PROXY_COUNT"], x_host=app.config["PROXY_COUNT"])

    _init_extensions(app)
    _register_blueprints(app)

    from webapp import assets, cli, compression, errors, http, templating
    assets.init_app(app)
    from webapp.pwa.views import register_icons
    register_icons(app)
    http.install_security_headers(app)
    http.install_input_guard(app)
    from webapp.auth.access import install_clear_site_data
    install_clear_site_data(app)
    compression.install(app)
    errors.register(app)
    templating.register(app)
    cli.register(app)
    from webapp.notifications import cli as notifications_cli, dispatcher
    from webapp.api.cli import api_client_cli
    notifications_cli.register(app)
    app.cli.add_command(api_client_cli)
    if app.config["DEV_IDP_ENABLED"]:
        from webapp import devidp
        devidp.provider.install(app)
    dispatcher.install_embedded(app)
    return app


def _configure_logging() -> None:
    """Our own messages (alerts written to the log, dispatcher errors) reach the terminal or journal."""
    logger = logging.getLogger("webapp")
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    htmx.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = None  # sessions are server-side rows (webapp.auth.sessions)
    import webapp.auth.access  # noqa: F401  registers the user loader


def _register_blueprints(app: Flask) -> None:
    from webapp.agents.views import bp as agents_bp
    from webapp.api.views import bp as api_bp
    from webapp.auth.views import bp as auth_bp
    from webapp.complaints.views import bp as complaints_bp
    from webapp.enrolment.views import bp as enrolment_bp
    from webapp.pages import bp as pages_bp
    from webapp.messages.views import bp as messages_bp
    from webapp.notifications.views import bp as notifications_bp
    from webapp.pwa.views import bp as pwa_bp

    for blueprint in (pages_bp, pwa_bp, auth_bp, enrolment_bp, complaints_bp, messages_bp, agents_bp,
                      notifications_bp, api_bp):
        app.register_blueprint(blueprint)
