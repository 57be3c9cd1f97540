"""Victims see only their own complaints, agents only their service's; each kind stays on its pages."""
from __future__ import annotations

import pytest

from tests.factories import (create_agent, create_complaint, create_document, create_service, create_victim,
                             sign_in_agent, sign_in_victim)
from webapp.models import AgentRole


@pytest.fixture
def two_victims(app):
    service = create_service()
    alice, bob = create_victim("alice@example.org"), create_victim("bob@example.org")
    alice_complaint = create_complaint(service, victim=alice)
    bob_complaint = create_complaint(service, victim=bob)
    bob_document = create_document(bob_complaint)
    return alice, bob_complaint, bob_document


def test_victim_cannot_see_another_victims_complaint_timeline_or_document(client, two_victims):
    alice, bob_complaint, bob_document = two_victims
    sign_in_victim(client, alice)
    missing = client.get("/plaintes/does-not-exist")
    urls = [f"/plaintes/{bob_complaint.public_id}",
            f"/plaintes/{bob_complaint.public_id}/chronologie",
            f"/plaintes/{bob_complaint.public_id}/documents/{bob_document.public_id}"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.get_data() == missing.get_data()  # same answer as a complaint that does not exist
    fragment = client.get(urls[1], headers={"HX-Request": "true"})
    assert fragment.status_code == 404
    assert bob_complaint.procedure_number not in client.text("/mes-plaintes")


def test_victim_cannot_fetch_her_document_through_another_complaint(client, app):
    service = create_service()
    alice = create_victim()
    first, second = create_complaint(service, victim=alice), create_complaint(service, victim=alice)
    document = create_document(first)
    sign_in_victim(client, alice)
    assert client.get(f"/plaintes/{first.public_id}/documents/{document.public_id}").status_code == 200
    assert client.get(f"/plaintes/{second.public_id}/documents/{document.public_id}").status_code == 404


def test_victim_cannot_download_an_internal_document(client, app):
    service = create_service()
    alice = create_victim()
    complaint = create_complaint(service, victim=alice)
    internal = create_document(complaint, visible=False)
    sign_in_victim(client, alice)
    assert client.get(f"/plaintes/{complaint.public_id}/documents/{internal.public_id}").status_code == 404
    assert internal.public_id not in client.text(f"/plaintes/{complaint.public_id}")


def test_victim_session_opens_no_agent_page(client, two_victims):
    alice, bob_complaint, _ = two_victims
    sign_in_victim(client, alice)
    for url in ["/agents/", "/agents/plaintes/nouvelle", f"/agents/plaintes/{bob_complaint.public_id}",
                "/agents/journal"]:
        assert client.get(url).status_code == 403, url
    response = client.post(f"/agents/plaintes/{bob_complaint.public_id}/etapes", data={"event_code": "information"})
    assert response.status_code in (400, 403)


def test_agent_session_opens_no_victim_page(client, two_victims):
    _, bob_complaint, _ = two_victims
    agent = create_agent(bob_complaint.service)
    sign_in_agent(client, agent)
    assert client.get("/mes-plaintes").status_code == 403
    assert client.get(f"/plaintes/{bob_complaint.public_id}").status_code == 403


def test_agent_of_another_service_gets_404(client, app):
    service_1, service_2 = create_service(), create_service()
    complaint = create_complaint(service_2)
    document = create_document(complaint)
    outsider = create_agent(service_1)
    sign_in_agent(client, outsider)
    for url in [f"/agents/plaintes/{complaint.public_id}",
                f"/agents/plaintes/{complaint.public_id}/documents/{document.public_id}"]:
        assert client.get(url).status_code == 404, url
    response = client.submit("/agents/plaintes/nouvelle", action=f"/agents/plaintes/{complaint.public_id}/etapes",
                             data={"event_code": "information"})
    assert response.status_code == 404
    assert complaint.procedure_number not in client.text("/agents/")


def test_signed_out_visitor_is_sent_to_the_right_sign_in_page(client, two_victims):
    _, bob_complaint, _ = two_victims
    response = client.get(f"/plaintes/{bob_complaint.public_id}")
    assert response.status_code == 302 and "/connexion?next=" in response.headers["Location"]
    response = client.get("/agents/")
    assert response.status_code == 302 and "/agents/connexion" in response.headers["Location"]
    htmx = client.get(f"/plaintes/{bob_complaint.public_id}/chronologie", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and "/connexion" in htmx.headers["HX-Redirect"]


def test_only_service_admins_read_the_audit_trail(client, app):
    service = create_service()
    investigator = create_agent(service, AgentRole.INVESTIGATOR)
    admin = create_agent(service, AgentRole.SERVICE_ADMIN)
    sign_in_agent(client, investigator)
    assert client.get("/agents/journal").status_code == 403
    client.submit("/agents/", action="/deconnexion")
    sign_in_agent(client, admin)
    page = client.text("/agents/journal")
    assert "Connexion d&#39;un agent" in page or "Connexion d'un agent" in page


def test_ids_in_urls_are_random_not_sequential(app):
    service = create_service()
    first, second = create_complaint(service), create_complaint(service)
    assert len(first.public_id) >= 20 and first.public_id != second.public_id
    assert str(first.id) not in (first.public_id, second.public_id)
