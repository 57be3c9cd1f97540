"""Column types and helpers shared by the models."""
from __future__ import annotations

import secrets
from datetime import datetime, timezone

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_public_id() -> str:
    """A random, unguessable identifier for URLs (128 bits), never starting with "-" (command lines)."""
    while (value := secrets.token_urlsafe(16))[0] in "-_":
        pass
    return value


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every database (SQLite stores no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware UTC datetime")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
