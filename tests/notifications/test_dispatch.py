"""Delivery through a real (local) push service: encrypted, signed, private, retried, never lost."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from tests.factories import create_agent, create_complaint, create_event, create_service, create_victim, sign_in_agent
from tests.notifications.helpers import attempts_of, dispatch, notifications, subscribe
from webapp.extensions import db
from webapp.models import AgentRole, Notification, PushSubscription, utcnow


@pytest.fixture
def followed(app, push_service):
    """A victim with one phone subscribed, on a burglary complaint."""
    victim = create_victim()
    victim.email_enabled = False
    db.session.commit()
    complaint = create_complaint(create_service("Commissariat de Roubaix"), victim=victim, offence_code="cambriolage",
                                 procedure_number="2026/424242", victim_family_name="Lambert")
    phone = push_service.new_subscriber()
    subscribe(victim, phone)
    return complaint, phone


def make_due_now() -> None:
    db.session.execute(update(Notification).values(next_attempt_at=utcnow()))
    db.session.commit()


def test_event_reaches_the_phone_encrypted_signed_and_without_details(app, push_service, followed):
    complaint, phone = followed
    create_event(complaint, "mis_en_cause_entendu", note="Monsieur Dupont a été entendu")
    assert dispatch(app) == 1
    [delivery] = phone.deliveries
    payload = delivery.payload
    assert payload["title"] == "Suivi Plainte" and payload["body"] == "Du nouveau sur votre plainte"
    assert payload["url"] == f"/plaintes/{complaint.public_id}"
    text = delivery.plaintext.decode()
    for secret in ("2026/424242", "Cambriolage", "cambriolage", "Lambert", "Dupont", "Roubaix", "entendu"):
        assert secret not in text
    assert len(delivery.plaintext) <= 4096
    headers = delivery.headers
    assert int(headers["TTL"]) == 28 * 24 * 3600 and headers["Urgency"] == "normal"
    topic = headers["Topic"]
    assert len(topic) <= 32 and complaint.public_id not in topic and topic == payload["tag"]
    assert delivery.jwt_claims["sub"] == "mailto:tests@suivi-plainte.fr"
    [row] = notifications()
    assert row.status == "sent" and row.sent_at is not None
    assert [(a.outcome, a.status_code) for a in attempts_of(row)] == [("sent", 201)]


def test_internal_event_sends_nothing(app, push_service, followed):
    complaint, phone = followed
    create_event(complaint, "information", visible=False)
    assert notifications() == [] and dispatch(app) == 0


def test_new_document_alerts_too(app, push_service, followed):
    from tests.factories import create_document
    complaint, phone = followed
    create_document(complaint)
    dispatch(app)
    assert len(phone.deliveries) == 1


def test_topic_is_the_same_for_a_complaint_so_alerts_replace_each_other(app, push_service, followed):
    complaint, phone = followed
    create_event(complaint, "enquete_en_cours")
    create_event(complaint, "transmis_parquet")
    dispatch(app)
    assert len({d.headers["Topic"] for d in phone.deliveries}) == 1
    other = create_complaint(complaint.service, victim=complaint.victim_account)
    create_event(other, "enquete_en_cours")
    dispatch(app)
    assert len({d.headers["Topic"] for d in phone.deliveries}) == 2


def test_vapid_token_and_connections_are_reused(app, push_service, followed):
    complaint, phone = followed
    for _ in range(12):
        create_event(complaint, "information")
    dispatch(app, concurrency=2)
    assert len(phone.deliveries) == 12
    assert len({d.jwt for d in phone.deliveries}) == 1
    assert push_service.connections <= 2


def test_gone_subscription_is_deleted_and_recorded(app, push_service, followed):
    complaint, phone = followed
    push_service.answer_next(410)
    create_event(complaint, "enquete_en_cours")
    dispatch(app)
    assert db.session.scalar(select(func.count(PushSubscription.id))) == 0
    [row] = notifications()
    assert row.status == "cancelled" and [a.status_code for a in attempts_of(row)] == [410]
    create_event(complaint, "transmis_parquet")  # nothing more is queued for the removed phone
    assert len(notifications()) == 1


def test_too_many_requests_is_retried_after_retry_after(app, push_service, followed):
    complaint, phone = followed
    push_service.answer_next((429, {"Retry-After": "120"}))
    create_event(complaint, "enquete_en_cours")
    dispatch(app)
    [row] = notifications()
    assert row.status == "pending" and row.attempts == 1
    assert row.next_attempt_at >= utcnow() + timedelta(seconds=115)
    assert dispatch(app) == 0  # not before Retry-After
    make_due_now()
    dispatch(app)
    [row] = notifications()
    assert row.status == "sent" and [a.status_code for a in attempts_of(row)] == [429, 201]
    assert len(phone.deliveries) == 1


def test_push_service_down_is_retried_with_backoff_then_sent(app, push_service, followed):
    complaint, phone = followed
    push_service.answer_next(503, 503, ("hang", 2))
    create_event(complaint, "enquete_en_cours")
    delays = []
    for _ in range(3):
        before = utcnow()
        dispatch(app)
        [row] = notifications()
        assert row.status == "pending"
        delays.append((row.next_attempt_at - before).total_seconds())
        make_due_now()
    assert delays[0] < delays[1] < delays[2]  # exponential backoff
    dispatch(app)
    [row] = notifications()
    outcomes = [(a.outcome, a.status_code) for a in attempts_of(row)]
    assert outcomes == [("retry", 503), ("retry", 503), ("retry", None), ("sent", 201)]
    assert "délai dépassé" in attempts_of(row)[2].detail
    assert len(phone.deliveries) == 1


@pytest.mark.parametrize("status", [400, 403, 413])
def test_refused_request_is_recorded_and_stops(app, push_service, followed, status):
    complaint, phone = followed
    push_service.answer_next(status)
    create_event(complaint, "enquete_en_cours")
    dispatch(app)
    [row] = notifications()
    assert row.status == "failed" and [a.status_code for a in attempts_of(row)] == [status]


def test_after_the_last_attempt_the_alert_is_failed_and_shown_to_the_service_admin(app_factory, push_service, client_factory=None):
    app = app_factory(NOTIFICATIONS_MAX_ATTEMPTS=3)
    from tests.webclient import Client
    with app.app_context():
        victim = create_victim()
        service = create_service()
        complaint = create_complaint(service, victim=victim, procedure_number="2026/000503")
        subscribe(victim, push_service.new_subscriber())
        victim.email_enabled = False
        db.session.commit()
        push_service.answer_next(503, 503, 503)
        create_event(complaint, "enquete_en_cours")
        for _ in range(3):
            dispatch(app)
            make_due_now()
        [row] = notifications()
        assert row.status == "failed" and row.attempts == 3 and len(attempts_of(row)) == 3
        admin = create_agent(service, AgentRole.SERVICE_ADMIN)
        client = Client(app)
        sign_in_agent(client, admin)
        page = client.text("/agents/alertes")
        assert "2026/000503" in page and "indisponible (503)" in page
        response = client.submit("/agents/alertes", action=f"/agents/alertes/{row.public_id}/relancer")
        assert response.status_code == 302
        dispatch(app)
        assert notifications()[0].status == "sent"
        # Another service's admin does not see it.
        outsider = create_agent(create_service(), AgentRole.SERVICE_ADMIN)
        other = Client(app)
        sign_in_agent(other, outsider)
        assert "2026/000503" not in other.text("/agents/alertes")


def test_every_device_of_the_victim_is_alerted(app, push_service, followed):
    complaint, phone = followed
    laptop = push_service.new_subscriber()
    subscribe(complaint.victim_account, laptop, user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64)")
    create_event(complaint, "audience_fixee")
    dispatch(app)
    assert len(phone.deliveries) == len(laptop.deliveries) == 1


def test_alerts_off_means_no_push(app, push_service, followed):
    complaint, phone = followed
    complaint.victim_account.push_enabled = False
    db.session.commit()
    create_event(complaint, "audience_fixee")
    assert notifications() == []
