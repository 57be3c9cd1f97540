"""Every page is a proper page: a title, a main landmark, CSRF in every POST form; URLs stay put."""
from __future__ import annotations

import re

from tests.factories import (create_agent, create_complaint, create_document, create_service, create_victim,
                             sign_in_agent, sign_in_victim)
from webapp.models import AgentRole

# URLs printed on letters, bookmarked or sent in messages must not vanish.
EXPECTED_ROUTES = {
    "/", "/activation", "/activation/compte", "/connexion", "/deconnexion", "/mes-plaintes",
    "/plaintes/<public_id>", "/plaintes/<public_id>/chronologie", "/plaintes/<public_id>/documents/<document_id>",
    "/agents/", "/agents/connexion", "/agents/journal", "/agents/plaintes/nouvelle", "/agents/plaintes/<public_id>",
    "/agents/plaintes/<public_id>/etapes", "/agents/plaintes/<public_id>/documents",
    "/agents/plaintes/<public_id>/documents/<document_id>", "/agents/plaintes/<public_id>/lettre-activation",
    "/assets/<fingerprint>/<path:name>", "/sante", "/static/<path:filename>",
    "/sw.js", "/manifest.webmanifest", "/hors-ligne", "/installer",
    "/mes-alertes", "/mes-alertes/appareils/<public_id>/retirer", "/notifications/abonnements",
    "/agents/alertes", "/agents/alertes/<public_id>/relancer",
}


def test_public_urls_stay_in_place(app):
    routes = {rule.rule for rule in app.url_map.iter_rules()}
    assert EXPECTED_ROUTES <= routes


def assert_proper_page(html: str, url: str) -> None:
    assert re.search(r"<title>[^<]+ – Suivi Plainte</title>", html), url
    assert html.count("<main") == 1, url
    assert '<html lang="fr">' in html, url
    for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, flags=re.S):
        assert 'name="csrf_token"' in form, f"{url}: POST form without CSRF token"


def test_victim_and_agent_pages_are_well_formed(app, client, other_client):
    service = create_service()
    agent = create_agent(service, AgentRole.SERVICE_ADMIN)
    victim = create_victim()
    complaint = create_complaint(service, agent=agent, victim=victim)
    create_document(complaint)
    for url in ["/", "/activation", "/connexion", "/agents/connexion", "/nulle-part", "/installer", "/hors-ligne"]:
        response = client.get(url)
        assert_proper_page(response.get_data(as_text=True), url)
    sign_in_victim(client, victim)
    for url in ["/mes-plaintes", f"/plaintes/{complaint.public_id}", "/mes-alertes"]:
        assert_proper_page(client.text(url), url)
    sign_in_agent(other_client, agent)
    for url in ["/agents/", "/agents/plaintes/nouvelle", f"/agents/plaintes/{complaint.public_id}", "/agents/journal",
                "/agents/alertes"]:
        assert_proper_page(other_client.text(url), url)
    letter = other_client.submit(f"/agents/plaintes/{complaint.public_id}",
                                 action=f"/agents/plaintes/{complaint.public_id}/lettre-activation")
    assert_proper_page(letter.get_data(as_text=True), "letter")


def test_health_check_reaches_the_database(app, client):
    assert client.get("/sante").get_json() == {"status": "ok"}
