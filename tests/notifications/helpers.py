"""Shared steps of the notification tests."""
from __future__ import annotations

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Notification, NotificationAttempt
from webapp.notifications import subscriptions


def subscribe(victim, subscriber, user_agent: str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile"):
    clean = subscriptions.validate(subscriber.subscription_info())
    return subscriptions.subscribe(victim, clean, auth_session_id=None, user_agent=user_agent)


def dispatch(app, **options) -> int:
    """Run the dispatcher until nothing is due; return how many sends were attempted."""
    from webapp.notifications.dispatcher import Dispatcher
    dispatcher = Dispatcher(app, **options)
    try:
        total = 0
        while attempted := dispatcher.dispatch_once():
            total += attempted
        return total
    finally:
        dispatcher.close()


def notifications() -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).order_by(Notification.id)))


def attempts_of(notification: Notification) -> list[NotificationAttempt]:
    return list(db.session.scalars(select(NotificationAttempt).where(
        NotificationAttempt.notification_id == notification.id).order_by(NotificationAttempt.id)))
