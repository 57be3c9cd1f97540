"""Password hashing (Argon2id) and the password policy."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
_hasher = PasswordHasher()
# Verified against when the account does not exist, so that both paths cost the same.
_DUMMY_HASH = _hasher.hash("not a real password, only here to spend the same time")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if the password matches; spends the same time when there is no hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    text = resources.files("webapp.auth").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problem(password: str) -> str | None:
    """Explain in plain words why a new password is refused, or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Choisissez un mot de passe d'au moins {MIN_LENGTH} caractères."
    if password.lower() in _common_passwords() or len(set(password)) < 4:
        return "Ce mot de passe est trop courant et facile à deviner. Choisissez-en un autre."
    return None
