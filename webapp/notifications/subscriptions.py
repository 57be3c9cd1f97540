"""Push subscriptions: strict validation (the server will POST to the endpoint: no SSRF), devices."""
from __future__ import annotations

import base64
import binascii
import hashlib
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select, update

from webapp.extensions import db
from webapp.models import Notification, NotificationStatus, PushSubscription, VictimAccount

# Real push services only. A browser gives us this URL; anything else must never be contacted.
DEFAULT_PUSH_HOSTS = (
    "fcm.googleapis.com",                 # Chrome, Edge on Android, Samsung Internet, Opera
    "updates.push.services.mozilla.com",  # Firefox
    "web.push.apple.com",                 # Safari (macOS, iOS 16.4+)
    ".notify.windows.com",                # Edge on Windows (wns2-*.notify.windows.com)
)


class InvalidSubscription(ValueError):
    """A subscription we refuse; ``message`` is safe to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _b64url_bytes(value, field: str) -> bytes:
    if not isinstance(value, str) or not value or len(value) > 200:
        raise InvalidSubscription(f"La clé {field} est absente ou invalide.")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise InvalidSubscription(f"La clé {field} n'est pas en base64url.") from None


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    """Exact host names, or any sub-domain of an entry starting with a dot."""
    host = host.lower().rstrip(".")
    return any(host == entry or (entry.startswith(".") and host.endswith(entry)) for entry in allowed)


def validate(data) -> dict:
    """Check a PushSubscription sent by a page; return its clean form or raise InvalidSubscription."""
    if not isinstance(data, dict):
        raise InvalidSubscription("Abonnement illisible.")
    endpoint = data.get("endpoint")
    if not isinstance(endpoint, str) or len(endpoint) > 1000:
        raise InvalidSubscription("Adresse d'abonnement absente ou trop longue.")
    parts = urlsplit(endpoint)
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        raise InvalidSubscription("L'adresse d'abonnement doit être en https.")
    allowed = tuple(current_app.config["PUSH_SERVICE_HOSTS"])
    host = parts.hostname if parts.port in (None, 443) else f"{parts.hostname}:{parts.port}"
    if not host_allowed(host, allowed):
        raise InvalidSubscription("Ce service de notification n'est pas reconnu.")
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    p256dh = _b64url_bytes(keys.get("p256dh"), "p256dh")
    if len(p256dh) != 65 or p256dh[0] != 4:
        raise InvalidSubscription("La clé p256dh doit être un point P-256 non compressé (65 octets).")
    if len(_b64url_bytes(keys.get("auth"), "auth")) != 16:
        raise InvalidSubscription("Le secret auth doit faire 16 octets.")
    return {"endpoint": endpoint, "p256dh": keys["p256dh"].rstrip("="), "auth": keys["auth"].rstrip("=")}


def endpoint_hash(endpoint: str) -> str:
    return hashlib.sha256(endpoint.encode()).hexdigest()


def device_label(user_agent: str) -> str:
    """A name she recognises: "Téléphone Android", "iPhone", "Ordinateur Windows"…"""
    ua = user_agent.lower()
    if "iphone" in ua:
        return "iPhone"
    if "ipad" in ua:
        return "iPad"
    if "android" in ua:
        return "Téléphone Android" if "mobile" in ua else "Tablette Android"
    for marker, name in (("windows", "Ordinateur Windows"), ("mac os", "Mac"), ("cros", "Chromebook"),
                         ("linux", "Ordinateur Linux")):
        if marker in ua:
            return name
    return "Appareil"


def subscribe(victim: VictimAccount, clean: dict, *, auth_session_id: int | None, user_agent: str) -> PushSubscription:
    """Save (or move to this victim and session) a validated subscription."""
    digest = endpoint_hash(clean["endpoint"])
    fields = {"victim_id": victim.id, "auth_session_id": auth_session_id, "p256dh": clean["p256dh"],
              "auth": clean["auth"], "device_label": device_label(user_agent)}
    subscription = db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint_hash == digest))
    if subscription is None:
        subscription = PushSubscription(endpoint=clean["endpoint"], endpoint_hash=digest, **fields)
        db.session.add(subscription)
    else:  # the same browser again (another account signed in on it, or a refreshed key)
        for name, value in fields.items():
            setattr(subscription, name, value)
    victim.push_enabled = True
    db.session.commit()
    return subscription


def devices_of(victim: VictimAccount) -> list[PushSubscription]:
    return list(db.session.scalars(select(PushSubscription).where(PushSubscription.victim_id == victim.id)
                                   .order_by(PushSubscription.created_at)))


def remove(subscription: PushSubscription, reason: str) -> None:
    """Forget a subscription; alerts still waiting for it are cancelled (recorded, not lost silently)."""
    db.session.execute(
        update(Notification).where(Notification.subscription_id == subscription.id,
                                   Notification.status == NotificationStatus.PENDING)
        .values(status=NotificationStatus.CANCELLED, last_error=reason[:300], lease_until=None))
    db.session.execute(update(Notification).where(Notification.subscription_id == subscription.id)
                       .values(subscription_id=None))
    db.session.delete(subscription)


def remove_for_session(auth_session_id: int) -> None:
    """Signing out of a device stops its alerts."""
    for subscription in db.session.scalars(select(PushSubscription).where(
            PushSubscription.auth_session_id == auth_session_id)):
        remove(subscription, "appareil déconnecté")


def victim_device_or_none(victim: VictimAccount, public_id: str) -> PushSubscription | None:
    return db.session.scalar(select(PushSubscription).where(
        PushSubscription.public_id == public_id, PushSubscription.victim_id == victim.id))
