"""Activation codes: generation, normalisation and hashing.

A code is 15 characters from an alphabet of 30 without look-alikes (no 0/O, 1/I/L, U), typed as
three groups of five: log2(30) * 15 ≈ 73.6 bits from the operating system's CSPRNG.
"""
from __future__ import annotations

import hashlib
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 3
GROUP_LENGTH = 5
CODE_LENGTH = GROUPS * GROUP_LENGTH


def generate_code() -> str:
    """A new random code, formatted for reading aloud and typing: ``ABCDE-FGHJK-MNPQR``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return format_code(raw)


def format_code(raw: str) -> str:
    return "-".join(raw[i:i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))


def normalise_code(typed: str) -> str | None:
    """The canonical code from what a person typed (spaces, dashes, lower case), or None if malformed."""
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum())
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def hash_code(canonical: str) -> str:
    """Codes carry 73 bits of entropy: a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(f"suivi-plainte-activation:{canonical}".encode()).hexdigest()
