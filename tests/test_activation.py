"""Activation: codes, second factor, one generic refusal, locking, expiry, single use."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import BIRTH_DATE, create_complaint, create_service, create_victim, issue_code, sign_in_victim
from webapp.enrolment.codes import ALPHABET, CODE_LENGTH, generate_code, normalise_code
from webapp.extensions import db
from webapp.models import ActivationCode, AuditEntry, Complaint, VictimAccount, utcnow

RIGHT_BIRTH = {"birth_day": str(BIRTH_DATE.day), "birth_month": str(BIRTH_DATE.month),
               "birth_year": str(BIRTH_DATE.year)}
WRONG_BIRTH = {"birth_day": "1", "birth_month": "1", "birth_year": "1970"}
GENERIC = "Le code ou la date de naissance ne correspond pas"


def activate(client, code: str, birth: dict = RIGHT_BIRTH):
    return client.submit("/activation", data={"code": code, **birth})


def counts() -> tuple:
    return (db.session.scalar(select(func.count(VictimAccount.id))),
            db.session.scalar(select(func.count(Complaint.id)).where(Complaint.victim_account_id.is_not(None))))


def test_codes_are_long_random_and_typed_in_groups_without_lookalikes():
    codes = {generate_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}", code)
    assert not set("01OIL") & set(ALPHABET)
    import math
    assert CODE_LENGTH * math.log2(len(ALPHABET)) >= 64
    assert normalise_code(" abcde fghjk-mnpqr ") == "ABCDEFGHJKMNPQR"
    assert normalise_code("ABCDE-FGHJK") is None


def test_code_is_stored_only_as_a_hash(app):
    complaint = create_complaint(create_service())
    code = issue_code(complaint)
    row = db.session.scalar(select(ActivationCode))
    assert normalise_code(code) not in row.code_hash and code not in row.code_hash
    assert len(row.code_hash) == 64
    assert row.expires_at - utcnow() > timedelta(days=29)


def test_wrong_code_and_wrong_birth_date_get_the_same_answer(app, client):
    complaint = create_complaint(create_service())
    code = issue_code(complaint)
    wrong_code = activate(client, generate_code())
    wrong_birth = activate(client, code, WRONG_BIRTH)
    assert wrong_code.status_code == wrong_birth.status_code == 422
    for response in (wrong_code, wrong_birth):
        assert GENERIC in response.get_data(as_text=True)
    strip = lambda r: re.sub(r'value="[^"]*"', "", r.get_data(as_text=True))  # noqa: E731
    assert strip(wrong_code) == strip(wrong_birth)
    assert counts() == (0, 0)


def test_code_travels_in_the_post_body_and_never_in_a_link(app, client):
    complaint = create_complaint(create_service())
    code = issue_code(complaint)
    response = activate(client, code)
    assert code not in response.headers.get("Location", "")
    assert client.get(f"/activation?code={code}").status_code == 200  # a code in the query string does nothing
    assert counts() == (0, 0)


def test_five_wrong_birth_dates_lock_the_code(app, client):
    complaint = create_complaint(create_service())
    code = issue_code(complaint)
    for _ in range(4):
        assert GENERIC in activate(client, code, WRONG_BIRTH).get_data(as_text=True)
    fifth = activate(client, code, WRONG_BIRTH)
    assert "bloqué" in fifth.get_data(as_text=True)
    # Even the right birth date no longer opens it.
    response = activate(client, code)
    assert response.status_code == 422 and "bloqué" in response.get_data(as_text=True)
    assert db.session.scalar(select(ActivationCode.locked_at)) is not None
    assert counts() == (0, 0)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "activation.locked")) == 1
    # The agent issues a new code, which works.
    new_code = issue_code(complaint)
    assert activate(client, new_code).status_code == 302


def test_expired_code_gets_a_clear_message(app, client):
    complaint = create_complaint(create_service())
    code = issue_code(complaint)
    row = db.session.scalar(select(ActivationCode))
    row.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = activate(client, code)
    assert response.status_code == 422
    assert "n'est plus valable" in response.get_data(as_text=True).replace("&#39;", "'")


def test_a_new_letter_replaces_the_old_code(app, client):
    complaint = create_complaint(create_service())
    old = issue_code(complaint)
    issue_code(complaint)
    assert "n'est plus valable" in activate(client, old).get_data(as_text=True).replace("&#39;", "'")


def test_used_code_gets_a_clear_message_and_cannot_take_the_complaint_again(app, client, other_client):
    complaint = create_complaint(create_service())
    code = issue_code(complaint)
    activate(client, code)
    client.submit("/activation/compte", data={"email": "a@example.org", "password": "une phrase assez longue",
                                              "password_confirmation": "une phrase assez longue"})
    response = activate(other_client, code)
    assert response.status_code == 422
    assert "déjà été utilisé" in response.get_data(as_text=True)
    db.session.refresh(complaint)
    assert complaint.victim_account.email == "a@example.org"


def test_double_submit_of_the_account_form_creates_one_account(app, client):
    complaint = create_complaint(create_service())
    code = issue_code(complaint)
    activate(client, code)
    page = client.text("/activation/compte")
    from tests.webclient import csrf_token_in
    data = {"csrf_token": csrf_token_in(page), "email": "b@example.org", "password": "une phrase assez longue",
            "password_confirmation": "une phrase assez longue"}
    cookie_before = client.http.get_cookie("suivi_session").value
    first = client.post("/activation/compte", data=data)
    # A double tap: the second request left the phone with the same cookie as the first.
    client.http.set_cookie("suivi_session", cookie_before)
    second = client.post("/activation/compte", data=data)
    assert first.status_code == 302
    assert second.status_code == 302 and second.headers["Location"].endswith("/activation")
    assert "déjà été utilisé" in client.text("/activation")
    assert counts() == (1, 1)


@pytest.mark.parametrize("password, confirmation, message", [
    ("court", "court", "au moins 10 caractères"),
    ("azertyuiop", "azertyuiop", "trop courant"),
    ("une phrase assez longue", "une autre phrase longue", "pas identiques"),
])
def test_weak_or_mismatched_password_is_refused_and_nothing_is_created(app, client, password, confirmation, message):
    complaint = create_complaint(create_service())
    activate(client, issue_code(complaint))
    response = client.submit("/activation/compte", data={"email": "c@example.org", "password": password,
                                                          "password_confirmation": confirmation})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert counts() == (0, 0)
    assert db.session.scalar(select(ActivationCode.used_at)) is None


def test_email_already_used_asks_to_sign_in_first(app, client):
    existing = create_victim("deja@example.org")
    complaint = create_complaint(create_service())
    activate(client, issue_code(complaint))
    response = client.submit("/activation/compte", data={"email": "deja@example.org", "password": "une phrase assez longue",
                                                          "password_confirmation": "une phrase assez longue"})
    assert response.status_code == 422
    assert "Connectez-vous" in response.get_data(as_text=True)
    # She signs in: the complaint goes into her existing space.
    sign_in_victim(client, existing)
    assert client.submit("/activation/compte").status_code == 302
    db.session.refresh(complaint)
    assert complaint.victim_account_id == existing.id


def test_account_step_without_a_verified_code_goes_back_to_the_code(app, client):
    response = client.get("/activation/compte")
    assert response.status_code == 302 and response.headers["Location"].endswith("/activation")


def test_failed_attempts_are_in_the_audit_trail(app, client):
    complaint = create_complaint(create_service())
    code = issue_code(complaint)
    activate(client, generate_code())
    activate(client, code, WRONG_BIRTH)
    failures = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "activation.failed")).all()
    assert len(failures) == 2
    assert {f.ip_address for f in failures} == {"127.0.0.1"}


def test_activation_is_rate_limited_per_address(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True)
    from tests.webclient import Client
    client = Client(app)
    with app.app_context():
        statuses = [activate(client, generate_code()).status_code for _ in range(11)]
    assert statuses[:10] == [422] * 10
    assert statuses[10] == 429
