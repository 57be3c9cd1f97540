"""Agents' second factor: time-based one-time codes (RFC 6238, with pyotp). A code works once."""
from __future__ import annotations

import time

import pyotp

from webapp.extensions import db
from webapp.models import Agent

STEP = 30


def enrol(agent: Agent, issuer: str = "Suivi Plainte") -> str:
    """Give the agent a new secret; return the otpauth:// URI for an authenticator app."""
    agent.totp_secret = pyotp.random_base32()
    agent.totp_last_counter = None
    db.session.commit()
    return pyotp.TOTP(agent.totp_secret).provisioning_uri(name=agent.email, issuer_name=issuer)


def verify(agent: Agent, code: str, now: float | None = None) -> bool:
    """True for a current code (one step of clock drift allowed) never used before."""
    if not agent.totp_secret or not code or not code.strip().isdigit():
        return False
    now = time.time() if now is None else now
    totp = pyotp.TOTP(agent.totp_secret)
    current = int(now // STEP)
    for counter in (current, current - 1, current + 1):
        if pyotp.utils.strings_equal(totp.at(counter * STEP), code.strip()):
            if agent.totp_last_counter is not None and counter <= agent.totp_last_counter:
                return False  # replayed
            agent.totp_last_counter = counter
            db.session.commit()
            return True
    return False
