"""Withdrawal requests, reassignment, and the service dashboard's filters and counts."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from tests.factories import (create_agent, create_complaint, create_service, create_victim, sign_in_agent,
                             sign_in_victim)
from tests.notifications.helpers import notifications
from webapp.extensions import db
from webapp.models import AgentRole, Message, TimelineEvent, WithdrawalRequest, utcnow


@pytest.fixture
def case(app, client, other_client):
    service = create_service()
    investigator = create_agent(service, AgentRole.INVESTIGATOR)
    victim = create_victim()
    complaint = create_complaint(service, agent=investigator, victim=victim, investigator_public_id=investigator.public_id)
    sign_in_victim(client, victim)
    sign_in_agent(other_client, investigator)
    return complaint


def withdrawal_url(complaint) -> str:
    return f"/plaintes/{complaint.public_id}/retrait"


def test_withdrawal_explained_requested_shown_pending_then_cancelled(client, case):
    page = client.text(withdrawal_url(case))
    assert "procureur de la République" in page and "violences" in page
    refused = client.submit(withdrawal_url(case), data={"reason": "On s'est arrangés"})
    assert refused.status_code == 422 and "Cochez la case" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(WithdrawalRequest.id))) == 0

    assert client.submit(withdrawal_url(case), data={"reason": "On s'est arrangés", "confirm": "y"}).status_code == 302
    complaint_page = client.text(f"/plaintes/{case.public_id}")
    assert "Demande de retrait envoyée" in complaint_page and "En attente" in complaint_page
    # Asking again while pending changes nothing.
    client.submit(withdrawal_url(case), data={"confirm": "y"})
    assert db.session.scalar(select(func.count(WithdrawalRequest.id))) == 1

    response = client.submit(withdrawal_url(case), action=f"{withdrawal_url(case)}/annuler")
    assert response.status_code == 302
    assert "Demande de retrait envoyée" not in client.text(f"/plaintes/{case.public_id}")
    assert db.session.scalar(select(WithdrawalRequest.status)) == "cancelled"


def test_timeline_fragment_changes_when_a_withdrawal_is_requested(client, case):
    url = f"/plaintes/{case.public_id}/chronologie"
    etag = client.get(url, headers={"HX-Request": "true"}).headers["ETag"]
    client.submit(withdrawal_url(case), data={"confirm": "y"})
    changed = client.get(url, headers={"HX-Request": "true", "If-None-Match": etag})
    assert changed.status_code == 200 and "Demande de retrait envoyée" in changed.get_data(as_text=True)


def test_service_acknowledges_the_request_and_the_victim_is_told(client, other_client, case):
    client.submit(withdrawal_url(case), data={"reason": "Je préfère arrêter", "confirm": "y"})
    dashboard = other_client.text("/agents/?filtre=retraits")
    assert case.procedure_number in dashboard and "Retrait demandé" in dashboard
    url = f"/agents/plaintes/{case.public_id}"
    assert "Je préfère arrêter" in other_client.text(url)
    assert other_client.submit(url, action=f"{url}/retrait/prendre-en-compte").status_code == 302
    page = client.text(f"/plaintes/{case.public_id}")
    assert "Demande de retrait prise en compte" in page and "En attente" not in page
    assert [n.reason for n in notifications()] == ["event"]
    # Acknowledging twice, or cancelling after, changes nothing.
    again = other_client.submit(url, action=f"{url}/retrait/prendre-en-compte")
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(TimelineEvent.id)).where(
        TimelineEvent.event_code == "retrait_pris_en_compte")) == 1
    client.submit(withdrawal_url(case), action=f"{withdrawal_url(case)}/annuler")
    assert db.session.scalar(select(WithdrawalRequest.status)) == "acknowledged"


def test_another_victim_cannot_request_or_cancel(app, client, case):
    from tests.webclient import Client
    stranger = Client(app)
    sign_in_victim(stranger, create_victim())
    assert stranger.get(withdrawal_url(case)).status_code == 404
    response = stranger.submit("/mes-plaintes", action=withdrawal_url(case), data={"confirm": "y"})
    assert response.status_code == 404
    assert db.session.scalar(select(func.count(WithdrawalRequest.id))) == 0


def test_agent_reassigns_within_the_service_only(other_client, case):
    colleague = create_agent(case.service, AgentRole.INVESTIGATOR, full_name="Zoé Ferrand")
    outsider = create_agent(create_service(), AgentRole.INVESTIGATOR)
    url = f"/agents/plaintes/{case.public_id}"
    other_client.submit(url, action=f"{url}/enqueteur", data={"investigator": outsider.public_id})
    db.session.refresh(case)
    assert case.investigator_id != outsider.id
    other_client.submit(url, action=f"{url}/enqueteur", data={"investigator": colleague.public_id})
    db.session.refresh(case)
    assert case.investigator_id == colleague.id


def test_dashboard_filters_counts_and_sorting(app, client, other_client, case):
    agent_id = case.investigator_id
    service = case.service
    mine_and_unread = case
    stale = create_complaint(service, procedure_number="2026/100001")
    db.session.execute(update(TimelineEvent).where(TimelineEvent.complaint_id == stale.id)
                       .values(occurred_at=utcnow() - timedelta(days=45)))
    stale.filed_at = utcnow() - timedelta(days=45)
    db.session.commit()
    fresh = create_complaint(service, procedure_number="2026/100002")
    db.session.add(Message(complaint_id=mine_and_unread.id, author_kind="victim", body="?"))
    db.session.commit()

    def listed(query: str) -> list[str]:
        page = other_client.text(f"/agents/?{query}")
        return [n for n in (case.procedure_number, "2026/100001", "2026/100002") if n in page]

    assert listed("filtre=non-lus") == [case.procedure_number]
    assert listed("filtre=miennes") == [case.procedure_number]
    assert listed("filtre=sans-nouvelles") == ["2026/100001"]
    assert set(listed("filtre=toutes")) == {case.procedure_number, "2026/100001", "2026/100002"}
    recent_first = other_client.text("/agents/?tri=recentes")
    assert recent_first.index("2026/100002") < recent_first.index("2026/100001")
    oldest_first = other_client.text("/agents/?tri=anciennes")
    assert oldest_first.index("2026/100001") < oldest_first.index("2026/100002")

    counts = other_client.get("/agents/compteurs", headers={"HX-Request": "true"})
    body = counts.get_data(as_text=True)
    assert counts.status_code == 200 and "<html" not in body
    assert 'Messages non lus <span class="count">1</span>' in body
    assert 'Toutes les plaintes <span class="count">3</span>' in body
    again = other_client.get("/agents/compteurs", headers={"HX-Request": "true", "If-None-Match": counts.headers["ETag"]})
    assert again.status_code == 304
    assert agent_id and fresh


def test_dashboard_is_paginated(app, other_client, case):
    for i in range(30):
        create_complaint(case.service, procedure_number=f"2026/2{i:05d}")
    first = other_client.text("/agents/")
    assert "Page 1 sur 2" in first and "Page suivante" in first
    assert "Page 2 sur 2" in other_client.text("/agents/?page=2")
