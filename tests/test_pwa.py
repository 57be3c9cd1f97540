"""Server side of the installable app: worker script, cache rules, compression, lost sessions."""
from __future__ import annotations

import gzip
import json
import re
from datetime import timedelta

import brotli
from sqlalchemy import update

from tests.factories import (create_agent, create_complaint, create_document, create_service, create_victim,
                             sign_in_agent, sign_in_victim)
from webapp.extensions import db
from webapp.models import AuthSession, utcnow


def test_service_worker_is_served_at_the_root_with_its_configuration(app, client):
    response = client.get("/sw.js")
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    source = response.get_data(as_text=True)
    config = json.loads(json.loads(re.search(r"JSON\.parse\((\"(?:[^\"\\]|\\.)*\")\)", source).group(1)))
    assert "/hors-ligne" in config["precache"]
    assert any(re.fullmatch(r"/assets/[0-9a-f]{12}/app\.css", url) for url in config["precache"])
    for url in config["precache"]:
        assert client.get(url).status_code == 200, url


def test_worker_version_changes_with_the_assets(app, client):
    first = client.get("/sw.js").get_data()
    app.config["SW_VERSION_SALT"] = "next deployment"
    assert client.get("/sw.js").get_data() != first


def test_victim_pages_may_be_kept_by_her_phone_only(app, client, other_client):
    service = create_service()
    alice, bob = create_victim(), create_victim()
    complaint = create_complaint(service, victim=alice)
    create_complaint(service, victim=bob)
    document = create_document(complaint)
    sign_in_victim(client, alice)
    sign_in_victim(other_client, bob)
    urls = ["/mes-plaintes", f"/plaintes/{complaint.public_id}",
            f"/plaintes/{complaint.public_id}/documents/{document.public_id}"]
    owners = set()
    for url in urls:
        response = client.get(url)
        assert response.headers["Cache-Control"] == "private, no-cache", url
        owners.add(response.headers["SP-Cache-Owner"])
    assert len(owners) == 1
    bob_owner = other_client.get("/mes-plaintes").headers["SP-Cache-Owner"]
    assert bob_owner not in owners
    assert alice.public_id not in owners.pop()  # opaque


def test_pages_not_meant_for_the_cache_are_no_store(app, client):
    agent = create_agent(create_service())
    complaint = create_complaint(agent.service, agent=agent)
    for url in ["/activation", "/connexion"]:
        assert client.get(url).headers["Cache-Control"] == "no-store", url
    sign_in_agent(client, agent)
    for url in ["/agents/", f"/agents/plaintes/{complaint.public_id}"]:
        response = client.get(url)
        assert response.headers["Cache-Control"] == "no-store" and "SP-Cache-Owner" not in response.headers


def test_offline_page_holds_nothing_personal(app, client):
    victim = create_victim()
    sign_in_victim(client, victim)
    html = client.text("/hors-ligne")
    assert victim.email not in html and "csrf_token" not in html and "csrf-token" not in html and "Se déconnecter" not in html
    assert client.get("/hors-ligne").headers["Cache-Control"] == "public, no-cache"


def test_a_lost_session_tells_the_browser_to_wipe_its_copies(app, client):
    victim = create_victim()
    sign_in_victim(client, victim)
    db.session.execute(update(AuthSession).values(ended_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    response = client.get("/mes-plaintes")
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert "Clear-Site-Data" not in client.get("/connexion").headers  # said once, then forgotten


def test_pages_and_assets_travel_compressed(app, client):
    page = client.get("/activation", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in page.headers["Vary"]
    assert "Activer mon espace" in gzip.decompress(page.data).decode()
    htmx_url = re.search(r'src="(/assets/[^"]+htmx[^"]+)"', client.text("/")).group(1)
    plain = client.get(htmx_url)
    br = client.get(htmx_url, headers={"Accept-Encoding": "gzip, br"})
    assert br.headers["Content-Encoding"] == "br" and brotli.decompress(br.data) == plain.data
    assert len(br.data) < len(plain.data) / 2


def test_documents_are_not_compressed_again(app, client):
    victim = create_victim()
    complaint = create_complaint(create_service(), victim=victim)
    document = create_document(complaint)
    sign_in_victim(client, victim)
    response = client.get(f"/plaintes/{complaint.public_id}/documents/{document.public_id}",
                          headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in response.headers and response.data.startswith(b"%PDF-")


def test_install_page_explains_ios_and_android(app, client):
    html = client.text("/installer")
    assert "Sur l'écran d'accueil" in html and "Android" in html
