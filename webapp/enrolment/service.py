"""Enrolment: an agent issues an activation code; the victim proves who she is and opens her space."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from webapp import audit
from webapp.audit import Actor
from webapp.auth.passwords import hash_password, password_problem
from webapp.enrolment.codes import generate_code, hash_code, normalise_code
from webapp.extensions import db
from webapp.models import ActivationCode, Complaint, VictimAccount, utcnow


class ActivationError(Exception):
    """Base of the reasons an activation does not go through; ``message`` is for the victim."""

    message = "Le code ou la date de naissance ne correspond pas. Vérifiez-les et réessayez."


class ActivationRefused(ActivationError):
    """Wrong code or wrong birth date: deliberately one and the same answer."""


class ActivationCodeExpired(ActivationError):
    message = ("Ce code n'est plus valable : il a dépassé sa durée de validité ou un nouveau code l'a "
               "remplacé. Contactez le service qui a pris votre plainte pour en recevoir un nouveau.")


class ActivationCodeUsed(ActivationError):
    message = ("Ce code a déjà été utilisé. Connectez-vous avec l'adresse e-mail et le mot de passe "
               "choisis lors de l'activation.")


class ActivationCodeLocked(ActivationError):
    message = ("Ce code a été bloqué après plusieurs essais incorrects, pour protéger votre dossier. "
               "Contactez le service qui a pris votre plainte : il vous remettra un nouveau code.")


class AccountError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class IssuedCode:
    activation_code: ActivationCode
    code: str  # the only time the plain code exists: printed on the letter, never stored


def issue_activation_code(complaint: Complaint, by: Actor) -> IssuedCode:
    """Create a new single-use code for a complaint; earlier unused codes stop working."""
    now = utcnow()
    db.session.execute(
        update(ActivationCode)
        .where(ActivationCode.complaint_id == complaint.id, ActivationCode.used_at.is_(None),
               ActivationCode.revoked_at.is_(None))
        .values(revoked_at=now))
    code = generate_code()
    row = ActivationCode(complaint_id=complaint.id, code_hash=hash_code(normalise_code(code)),
                         created_at=now, expires_at=now + current_app.config["ACTIVATION_CODE_VALIDITY"],
                         issued_by_id=by.agent.id if by.agent else None)
    db.session.add(row)
    audit.record("activation_code.issued", by, complaint=complaint, subject=f"complaint:{complaint.public_id}")
    db.session.commit()
    return IssuedCode(row, code)


def verify_activation(typed_code: str, birth_date: date | None, by: Actor) -> ActivationCode:
    """Check a typed code and the birth date; return the code row or raise an ActivationError.

    A wrong code and a wrong birth date take the same path, do the same database work (one read,
    one counter update, one audit entry, one commit) and give the same answer.
    """
    canonical = normalise_code(typed_code or "") or ""
    row = db.session.scalar(select(ActivationCode).options(joinedload(ActivationCode.complaint))
                            .where(ActivationCode.code_hash == hash_code(canonical)))
    if row is not None:
        _check_usable(row)
    if row is None or birth_date != row.complaint.victim_birth_date:
        _record_failure(row, by)
    audit.record("activation.verified", by, complaint=row.complaint, subject=f"code:{row.id}")
    db.session.commit()
    return row


def _check_usable(row: ActivationCode) -> None:
    if row.used_at is not None:
        raise ActivationCodeUsed()
    if row.locked_at is not None:
        raise ActivationCodeLocked()
    if row.revoked_at is not None or row.expires_at <= utcnow():
        raise ActivationCodeExpired()


def _record_failure(row: ActivationCode | None, by: Actor) -> None:
    """Count a failed attempt on the code (or on nothing, at the same cost, for an unknown code)."""
    attempts = db.session.scalar(
        update(ActivationCode).where(ActivationCode.id == (row.id if row else -1))
        .values(failed_attempts=ActivationCode.failed_attempts + 1).returning(ActivationCode.failed_attempts))
    audit.record("activation.failed", by, complaint=row.complaint if row else None,
                 subject=f"code:{row.id}" if row else "",
                 details={"reason": "birth_date", "attempts": attempts} if row else {"reason": "unknown_code"})
    if row is not None and attempts >= current_app.config["ACTIVATION_MAX_FAILURES"]:
        db.session.execute(update(ActivationCode).where(ActivationCode.id == row.id).values(locked_at=utcnow()))
        audit.record("activation.locked", by, complaint=row.complaint, subject=f"code:{row.id}")
        db.session.commit()
        raise ActivationCodeLocked()
    db.session.commit()
    raise ActivationRefused()


def find_usable_code(typed_code: str, by: Actor) -> ActivationCode:
    """A valid code, before FranceConnect checks the identity instead of the birth date."""
    canonical = normalise_code(typed_code or "") or ""
    row = db.session.scalar(select(ActivationCode).where(ActivationCode.code_hash == hash_code(canonical)))
    if row is None:
        audit.record("activation.failed", by, details={"reason": "unknown_code", "method": "franceconnect"})
        db.session.commit()
        raise ActivationRefused()
    _check_usable(row)
    return row


def record_identity_mismatch(row: ActivationCode, reason: str, by: Actor) -> None:
    """FranceConnect gave another identity than the complaint's: counted like a wrong birth date."""
    audit.record("activation.identity_mismatch", by, complaint=row.complaint, subject=f"code:{row.id}",
                 details={"reason": reason})
    try:
        _record_failure(row, by)
    except ActivationRefused:
        pass


def pending_code(code_id: int) -> ActivationCode:
    """The code a victim verified a moment ago, if it is still usable."""
    row = db.session.get(ActivationCode, code_id)
    if row is None:
        raise ActivationCodeExpired()
    _check_usable(row)
    return row


def new_victim_account(email: str, password: str, password_confirmation: str) -> VictimAccount:
    """Check the chosen sign-in details and build (not yet save) the victim's account."""
    email = email.strip().lower()
    if db.session.scalar(select(VictimAccount.id).where(VictimAccount.email == email)) is not None:
        raise AccountError("email", "Un espace existe déjà avec cette adresse e-mail. Connectez-vous "
                                    "d'abord : la plainte sera ajoutée à votre espace.")
    if problem := password_problem(password):
        raise AccountError("password", problem)
    if password != password_confirmation:
        raise AccountError("password_confirmation", "Les deux mots de passe ne sont pas identiques.")
    return VictimAccount(email=email, password_hash=hash_password(password))


def complete_activation(code_id: int, account: VictimAccount, by: Actor) -> Complaint:
    """Use the code once and give the complaint to the victim's account."""
    row = pending_code(code_id)
    claimed = db.session.execute(
        update(ActivationCode).where(ActivationCode.id == row.id, ActivationCode.used_at.is_(None))
        .values(used_at=utcnow()))
    if claimed.rowcount != 1:  # used in another tab or by a double submit a moment ago
        db.session.rollback()
        raise ActivationCodeUsed()
    db.session.add(account)
    db.session.flush()
    complaint = row.complaint
    complaint.victim_account_id = account.id
    if not complaint.victim_email:
        complaint.victim_email = account.email
    audit.record("activation.succeeded", Actor.for_victim(account, by.ip), complaint=complaint,
                 subject=f"complaint:{complaint.public_id}")
    db.session.commit()
    return complaint


def pending_activation_is_fresh(started_at: float, now: float) -> bool:
    """A verified code waits at most 20 minutes for the victim to choose her password."""
    return now - started_at < timedelta(minutes=20).total_seconds()
