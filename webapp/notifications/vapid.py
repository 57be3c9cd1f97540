"""VAPID keys (RFC 8292): created once, kept in the instance folder or given by the environment.

The signed ``Authorization`` header is cached per push service (its ``aud``) and reused until close
to its expiry, instead of one ECDSA signature per message.
"""
from __future__ import annotations

import base64
import os
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from flask import current_app
from py_vapid import Vapid

TOKEN_LIFETIME = 12 * 3600  # push services refuse more than 24 h; 12 h leaves room for clock skew
RENEW_BEFORE = 3600


class VapidError(RuntimeError):
    pass


def key_file() -> Path:
    return Path(current_app.instance_path) / "vapid_private_key.pem"


def init_keys() -> tuple[Path, bool]:
    """Create the key pair unless it exists. Returns the file and whether it was created."""
    path = key_file()
    if path.exists() or current_app.config.get("VAPID_PRIVATE_KEY"):
        return path, False
    vapid = Vapid()
    vapid.generate_keys()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(vapid.private_pem())
    return path, True


def load_vapid() -> Vapid:
    configured = current_app.config.get("VAPID_PRIVATE_KEY")
    if configured:
        if "BEGIN" in configured:
            return Vapid.from_pem(configured.encode())
        return Vapid.from_string(configured)
    path = key_file()
    if not path.exists():
        raise VapidError("No VAPID key: run `flask vapid init` or set SUIVI_VAPID_PRIVATE_KEY.")
    return Vapid.from_file(str(path))


def public_key(vapid: Vapid) -> str:
    """The application server key, as the page gives it to ``pushManager.subscribe``."""
    raw = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def check_subject(subject: str) -> str | None:
    """Why a VAPID contact is not acceptable, or None. Push services (Apple) check it."""
    if not (subject.startswith("mailto:") or subject.startswith("https://")):
        return "SUIVI_VAPID_SUBJECT must be a mailto: or https: address"
    host = subject.split("@")[-1] if subject.startswith("mailto:") else urlsplit(subject).hostname or ""
    if host in ("localhost", "127.0.0.1") or host.endswith((".localhost", ".local", ".invalid", ".test")):
        return "SUIVI_VAPID_SUBJECT must be a real, reachable contact (not localhost)"
    return None


class VapidSigner:
    """Signs VAPID tokens, once per push service origin and period."""

    def __init__(self, vapid: Vapid, subject: str):
        self.vapid = vapid
        self.subject = subject
        self._cache: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def authorization(self, endpoint: str) -> str:
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        now = time.time()
        with self._lock:
            cached = self._cache.get(audience)
            if cached and cached[0] - now > RENEW_BEFORE:
                return cached[1]
            expiry = int(now) + TOKEN_LIFETIME
            # A fresh dict each time: py_vapid and pywebpush write into the claims they are given.
            header = self.vapid.sign({"aud": audience, "exp": expiry, "sub": self.subject})["Authorization"]
            self._cache[audience] = (expiry, header)
            return header
