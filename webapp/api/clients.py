"""API clients: created by a service admin's command, one secret token shown once, stored hashed."""
from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ApiClient, Service, utcnow

SCOPES = ("complaints:write", "complaints:read", "events:write", "documents:write")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_client(service: Service, name: str, scopes: list[str]) -> tuple[ApiClient, str]:
    """Create a client; return it and its token (``sp_<prefix>_<secret>``), which is never stored."""
    unknown = set(scopes) - set(SCOPES)
    if unknown or not scopes:
        raise ValueError(f"Permissions inconnues : {', '.join(sorted(unknown)) or '(aucune)'}. "
                         f"Possibles : {', '.join(SCOPES)}.")
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    client = ApiClient(service_id=service.id, name=name, token_prefix=prefix, token_hash=_digest(secret),
                       scopes=" ".join(sorted(set(scopes))))
    db.session.add(client)
    db.session.commit()
    return client, f"sp_{prefix}_{secret}"


def authenticate(token: str | None) -> ApiClient | None:
    """The active client holding this token, or None (unknown, malformed or revoked)."""
    if not token or not token.startswith("sp_") or token.count("_") < 2:
        return None
    prefix, secret = token[3:].split("_", 1)
    client = db.session.scalar(select(ApiClient).where(ApiClient.token_prefix == prefix))
    if client is None or client.revoked_at is not None:
        _digest(secret)  # the same work whether or not the prefix exists
        return None
    return client if hmac.compare_digest(client.token_hash, _digest(secret)) else None


def revoke(client: ApiClient) -> None:
    client.revoked_at = utcnow()
    db.session.commit()
