"""Settings read from the environment, with safe defaults for the embedded mode.

Every variable is prefixed ``SUIVI_``. The embedded mode (the default) needs none of them: it keeps
a SQLite file, the uploaded documents and a generated secret key in the instance folder. The
production mode refuses to start while a development default is still in place.
"""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from webapp.notifications.subscriptions import DEFAULT_PUSH_HOSTS
from webapp.notifications.vapid import check_subject

EMBEDDED = "embedded"
PRODUCTION = "production"
TESTING = "testing"
MODES = (EMBEDDED, PRODUCTION, TESTING)

DEFAULT_MAX_DOCUMENT_SIZE = 10 * 1024 * 1024


class ConfigurationError(RuntimeError):
    """The configuration is not safe or not complete enough to start."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(f"SUIVI_{name}")
    return value if value not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def _instance_secret_key(instance_path: Path) -> str:
    """Return the secret key kept in the instance folder, creating it on first start."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return key_file.read_text().strip()


def build_config(instance_path: str | os.PathLike, overrides: dict | None = None) -> dict:
    """Build the Flask configuration from the environment and explicit overrides."""
    overrides = dict(overrides or {})
    instance = Path(instance_path)
    mode = overrides.pop("MODE", None) or _env("MODE", EMBEDDED)
    if mode not in MODES:
        raise ConfigurationError(f"SUIVI_MODE must be one of {', '.join(MODES)}, not {mode!r}.")
    secret_key = _env("SECRET_KEY")
    secret_from_instance = secret_key is None and mode != PRODUCTION
    if secret_from_instance:
        secret_key = _instance_secret_key(instance)

    config = {
        "MODE": mode,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": _env("DATABASE_URL", f"sqlite:///{instance / 'suivi-plainte.sqlite'}"),
        "DOCUMENTS_DIR": _env("DOCUMENTS_DIR", str(instance / "documents")),
        "MAX_DOCUMENT_SIZE": int(_env("MAX_DOCUMENT_SIZE", str(DEFAULT_MAX_DOCUMENT_SIZE))),
        "MAX_ATTACHMENT_SIZE": int(_env("MAX_ATTACHMENT_SIZE", str(DEFAULT_MAX_DOCUMENT_SIZE))),
        "MAX_ATTACHMENTS": int(_env("MAX_ATTACHMENTS", "5")),
        "STALE_AFTER_DAYS": int(_env("STALE_AFTER_DAYS", "30")),
        "API_RATE_LIMIT": _env("API_RATE_LIMIT", "600 per minute"),
        # FranceConnect (victims) and ProConnect (agents); in development and tests, local providers
        # (webapp.devidp) stand in for them. A production configuration refuses the local ones.
        "DEV_IDP_ENABLED": _env_bool("DEV_IDP_ENABLED", mode != PRODUCTION),
        "FRANCECONNECT_DISCOVERY_URL": _env("FRANCECONNECT_DISCOVERY_URL"),
        "FRANCECONNECT_CLIENT_ID": _env("FRANCECONNECT_CLIENT_ID"),
        "FRANCECONNECT_CLIENT_SECRET": _env("FRANCECONNECT_CLIENT_SECRET"),
        "FRANCECONNECT_ACR_VALUES": _env("FRANCECONNECT_ACR_VALUES", "eidas1"),
        "FRANCECONNECT_SCOPES": _env("FRANCECONNECT_SCOPES", "openid given_name family_name birthdate birthplace "
                                                             "birthcountry gender email preferred_username"),
        "PROCONNECT_DISCOVERY_URL": _env("PROCONNECT_DISCOVERY_URL"),
        "PROCONNECT_CLIENT_ID": _env("PROCONNECT_CLIENT_ID"),
        "PROCONNECT_CLIENT_SECRET": _env("PROCONNECT_CLIENT_SECRET"),
        "PROCONNECT_ACR_VALUES": _env("PROCONNECT_ACR_VALUES", ""),
        "PROCONNECT_SCOPES": _env("PROCONNECT_SCOPES", "openid email given_name usual_name uid siret"),
        "PROCONNECT_REQUIRE_SIRET": _env_bool("PROCONNECT_REQUIRE_SIRET", False),
        "OIDC_HTTP_TIMEOUT": float(_env("OIDC_HTTP_TIMEOUT", "10")),
        # Agents' password sign-in: "password" (development, demonstration), "totp" (with a second
        # factor), or "off" (ProConnect only, the production default).
        "AGENT_PASSWORD_SIGNIN": _env("AGENT_PASSWORD_SIGNIN", "off" if mode == PRODUCTION else "password"),
        "PUBLIC_URL": _env("PUBLIC_URL"),
        "REDIS_URL": _env("REDIS_URL"),
        "VENDOR_DIR": _env("VENDOR_DIR", str(Path(__file__).resolve().parent.parent / "node_modules")),
        "PROXY_COUNT": int(_env("PROXY_COUNT", "0")),
        "SERVICE_WORKER_PATH": _env("SERVICE_WORKER_PATH",
                                    str(Path(__file__).resolve().parent.parent / "service-worker" / "sw.js")),
        # A page slower than this is shown from the phone's copy while the network answer refreshes it.
        "SW_NETWORK_TIMEOUT_MS": int(_env("SW_NETWORK_TIMEOUT_MS", "200")),
        "SW_VERSION_SALT": "",
        # Web push and email alerts (webapp.notifications)
        "VAPID_PRIVATE_KEY": _env("VAPID_PRIVATE_KEY"),
        "VAPID_SUBJECT": _env("VAPID_SUBJECT", "mailto:contact@suivi-plainte.fr"),
        "PUSH_SERVICE_HOSTS": tuple(h.strip() for h in _env("PUSH_SERVICE_HOSTS", ",".join(DEFAULT_PUSH_HOSTS))
                                    .split(",") if h.strip()),
        "PUSH_CA_BUNDLE": _env("PUSH_CA_BUNDLE"),
        "PUSH_TTL_SECONDS": int(_env("PUSH_TTL_SECONDS", str(28 * 24 * 3600))),
        "PUSH_TIMEOUT_SECONDS": float(_env("PUSH_TIMEOUT_SECONDS", "10")),
        "NOTIFICATIONS_EMBEDDED": _env_bool("NOTIFICATIONS_EMBEDDED", mode == EMBEDDED),
        "NOTIFICATIONS_CONCURRENCY": int(_env("NOTIFICATIONS_CONCURRENCY", "32")),
        "NOTIFICATIONS_BATCH_SIZE": int(_env("NOTIFICATIONS_BATCH_SIZE", "200")),
        "NOTIFICATIONS_LEASE_SECONDS": int(_env("NOTIFICATIONS_LEASE_SECONDS", "120")),
        "NOTIFICATIONS_MAX_ATTEMPTS": int(_env("NOTIFICATIONS_MAX_ATTEMPTS", "8")),
        "NOTIFICATIONS_RETRY_BASE_SECONDS": int(_env("NOTIFICATIONS_RETRY_BASE_SECONDS", "30")),
        "NOTIFICATIONS_POLL_SECONDS": float(_env("NOTIFICATIONS_POLL_SECONDS", "2")),
        "SMTP_HOST": _env("SMTP_HOST"),
        "SMTP_PORT": int(_env("SMTP_PORT", "587")),
        "SMTP_SECURITY": _env("SMTP_SECURITY", "starttls"),
        "SMTP_USERNAME": _env("SMTP_USERNAME"),
        "SMTP_PASSWORD": _env("SMTP_PASSWORD"),
        "MAIL_FROM": _env("MAIL_FROM", "Suivi Plainte <ne-pas-repondre@suivi-plainte.fr>"),
        "ACTIVATION_CODE_VALIDITY": timedelta(days=int(_env("ACTIVATION_CODE_DAYS", "30"))),
        "ACTIVATION_MAX_FAILURES": 5,
        "VICTIM_SESSION_IDLE": timedelta(days=int(_env("VICTIM_SESSION_DAYS", "30"))),
        "AGENT_SESSION_IDLE": timedelta(minutes=int(_env("AGENT_IDLE_MINUTES", "30"))),
        "AGENT_SESSION_MAX": timedelta(hours=12),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "SESSION_COOKIE_NAME": "suivi_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _env_bool("SECURE_COOKIES", mode == PRODUCTION),
        "PERMANENT_SESSION_LIFETIME": timedelta(days=30),
        # The cookie is sent back only when the session changes, not with every asset: the idle timeout
        # is kept on the server (webapp.auth.sessions), and every byte counts on slow mobile data.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "WTF_I18N_ENABLED": False,  # WTForms' built-in French messages (webapp.forms)
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    }
    config.update(overrides)
    # Requests far larger than a document are cut off before being read (413).
    config.setdefault("MAX_CONTENT_LENGTH", max(config["MAX_DOCUMENT_SIZE"],
                                                config["MAX_ATTACHMENT_SIZE"] * config["MAX_ATTACHMENTS"]) + 256 * 1024)
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    check_production_safety(config)
    return config


def normalise_database_url(url: str) -> str:
    """``postgresql://`` means the psycopg 3 driver here (the one installed)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def check_production_safety(config: dict) -> None:
    """Refuse to run in production with a development default left in place."""
    if config["MODE"] != PRODUCTION:
        return
    problems = []
    if not config.get("SECRET_KEY") or len(config["SECRET_KEY"]) < 32:
        problems.append("SUIVI_SECRET_KEY must be set to a random value of at least 32 characters")
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        problems.append("SUIVI_DATABASE_URL must point to PostgreSQL")
    if not config.get("PUBLIC_URL", "") or not config["PUBLIC_URL"].startswith("https://"):
        problems.append("SUIVI_PUBLIC_URL must be the https:// address of the service")
    if not config["SESSION_COOKIE_SECURE"]:
        problems.append("session cookies must be Secure in production")
    if problem := check_subject(config["VAPID_SUBJECT"]):
        problems.append(problem)
    if config["DEV_IDP_ENABLED"]:
        problems.append("the local identity providers (SUIVI_DEV_IDP_ENABLED) are for development only")
    if config["AGENT_PASSWORD_SIGNIN"] == "password":
        problems.append("agents' password sign-in needs a second factor in production (totp) or none at all (off)")
    if problems:
        raise ConfigurationError("Refusing to start in production: " + "; ".join(problems) + ".")
