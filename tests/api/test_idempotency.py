"""Idempotency-Key: retries return the first answer and create nothing new, even all at once."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from tests.api.conftest import Api, complaint_body
from tests.factories import create_complaint
from tests.webclient import Client
from webapp.extensions import db
from webapp.models import Complaint, TimelineEvent


def events() -> int:
    return db.session.scalar(select(func.count(TimelineEvent.id)).where(TimelineEvent.event_code == "audience_fixee"))


def test_retry_with_the_same_key_returns_the_first_answer(api, api_service):
    complaint = create_complaint(api_service)
    url = f"/complaints/{complaint.public_id}/events"
    first = api.post(url, {"code": "audience_fixee"}, key="lrp-42-event-1")
    again = api.post(url, {"code": "audience_fixee"}, key="lrp-42-event-1")
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json() and again.headers["Idempotent-Replayed"] == "true"
    assert events() == 1
    other = api.post(url, {"code": "audience_fixee"}, key="lrp-42-event-2")
    assert other.status_code == 201 and events() == 2


def test_same_key_with_another_body_is_422(api, api_service):
    complaint = create_complaint(api_service)
    url = f"/complaints/{complaint.public_id}/events"
    api.post(url, {"code": "audience_fixee"}, key="k1")
    response = api.post(url, {"code": "jugement_rendu"}, key="k1")
    assert response.status_code == 422 and "requête différente" in response.get_json()["detail"]
    assert db.session.scalar(select(func.count(TimelineEvent.id))) == 2


def test_complaint_creation_retried_gives_the_same_code_and_one_complaint(api):
    first = api.post("/complaints", complaint_body(), key="create-055501")
    again = api.post("/complaints", complaint_body(), key="create-055501")
    assert again.get_json()["activation"]["code"] == first.get_json()["activation"]["code"]
    assert db.session.scalar(select(func.count(Complaint.id))) == 1


def test_a_refused_request_is_not_remembered(api, api_service):
    complaint = create_complaint(api_service)
    url = f"/complaints/{complaint.public_id}/events"
    assert api.post(url, {"code": "inconnu"}, key="k2").status_code == 422
    assert events() == 0
    # Refused input is not kept (as with Stripe's keys): the client fixes its body and retries.
    assert api.post(url, {"code": "audience_fixee"}, key="k2").status_code == 201
    assert api.post(url, {"code": "audience_fixee"}, key="k2").headers["Idempotent-Replayed"] == "true"
    assert events() == 1


def test_twenty_parallel_posts_with_one_key_make_exactly_one_event(app, api, api_service):
    complaint = create_complaint(api_service)
    url = f"/complaints/{complaint.public_id}/events"
    barrier = threading.Barrier(20)
    statuses, bodies = [], []

    def post():
        caller = Api(Client(app), api.token)
        barrier.wait()
        response = caller.post(url, {"code": "audience_fixee"}, key="retry-storm")
        statuses.append(response.status_code)
        bodies.append(response.get_json().get("id"))

    threads = [threading.Thread(target=post) for _ in range(20)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert events() == 1
    assert statuses == [201] * 20 and len(set(bodies)) == 1
