"""The timeline: a fragment for htmx, the whole page otherwise, 304 when nothing changed."""
from __future__ import annotations

import pytest

from tests.factories import create_complaint, create_event, create_service, create_victim, sign_in_victim


@pytest.fixture
def signed_in_complaint(app, client):
    victim = create_victim()
    complaint = create_complaint(create_service(), victim=victim)
    sign_in_victim(client, victim)
    return complaint


def test_htmx_gets_only_the_fragment_and_a_browser_the_whole_page(client, signed_in_complaint):
    url = f"/plaintes/{signed_in_complaint.public_id}/chronologie"
    fragment = client.get(url, headers={"HX-Request": "true"})
    page = client.get(url)
    assert fragment.status_code == page.status_code == 200
    body = fragment.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="chronologie"') and "<html" not in body
    assert "Plainte enregistrée" in body
    assert "<html" in page.get_data(as_text=True) and "Qui contacter" in page.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"] and "HX-Request" in page.headers["Vary"]


def test_history_restore_gets_the_whole_page(client, signed_in_complaint):
    url = f"/plaintes/{signed_in_complaint.public_id}/chronologie"
    response = client.get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.get_data(as_text=True)


def test_unchanged_timeline_answers_304_and_a_new_event_changes_it(client, signed_in_complaint):
    url = f"/plaintes/{signed_in_complaint.public_id}/chronologie"
    first = client.get(url, headers={"HX-Request": "true"})
    etag = first.headers["ETag"]
    again = client.get(url, headers={"HX-Request": "true", "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    create_event(signed_in_complaint, "transmis_parquet")
    changed = client.get(url, headers={"HX-Request": "true", "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Dossier transmis au procureur" in changed.get_data(as_text=True)


def test_compressed_fragment_is_revalidated_too(client, signed_in_complaint):
    url = f"/plaintes/{signed_in_complaint.public_id}/chronologie"
    headers = {"HX-Request": "true", "Accept-Encoding": "gzip, deflate, br"}
    first = client.get(url, headers=headers)
    assert first.headers["Content-Encoding"] == "br"
    etag = first.headers["ETag"]
    again = client.get(url, headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304


def test_internal_event_does_not_change_what_the_victim_sees(client, signed_in_complaint):
    url = f"/plaintes/{signed_in_complaint.public_id}/chronologie"
    etag = client.get(url, headers={"HX-Request": "true"}).headers["ETag"]
    create_event(signed_in_complaint, "information", visible=False, note="interne")
    assert client.get(url, headers={"HX-Request": "true", "If-None-Match": etag}).status_code == 304


def test_timeline_is_newest_first_in_plain_language(client, signed_in_complaint):
    create_event(signed_in_complaint, "classement_sans_suite")
    page = client.text(f"/plaintes/{signed_in_complaint.public_id}")
    assert page.index("Classement sans suite") < page.index("Plainte enregistrée")
    assert "Vous pouvez contester cette décision" in page


def test_agent_adds_an_event_with_htmx_and_gets_the_updated_section(app, client):
    from tests.factories import create_agent, sign_in_agent
    service = create_service()
    agent = create_agent(service)
    complaint = create_complaint(service, agent=agent)
    sign_in_agent(client, agent)
    url = f"/agents/plaintes/{complaint.public_id}"
    response = client.submit(url, action=f"{url}/etapes", data={"event_code": "audience_fixee"},
                             headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body and "Audience fixée" in body and "L&#39;étape est ajoutée" in body
    error = client.submit(url, action=f"{url}/etapes", data={"event_code": "nope"}, headers={"HX-Request": "true"})
    assert error.status_code == 200 and "error-message" in error.get_data(as_text=True)
