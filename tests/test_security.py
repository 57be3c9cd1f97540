"""Headers, CSRF, sessions that really end, production configuration checks."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from tests.factories import (PASSWORD, create_agent, create_complaint, create_service, create_victim,
                             sign_in_agent, sign_in_victim)
from webapp.config import ConfigurationError, build_config
from webapp.extensions import db
from webapp.models import AuditEntry, AuthSession, Complaint, TimelineEvent, utcnow


def test_pages_carry_strict_security_headers(app, client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_static_assets_are_immutable_and_hashed(app, client):
    html = client.text("/")
    import re
    css = re.search(r'href="(/assets/[0-9a-f]{12}/app\.css)"', html).group(1)
    htmx = re.search(r'src="(/assets/[0-9a-f]{12}/vendor/htmx\.min\.js)"', html).group(1)
    for url in (css, htmx):
        response = client.get(url)
        assert response.status_code == 200
        assert "immutable" in response.headers["Cache-Control"]
    assert client.get(css.replace(css.split("/")[2], "000000000000")).status_code == 404
    assert client.get("/assets/abc/../../config.py").status_code == 404


def test_form_without_csrf_token_is_refused_and_changes_nothing(app, client):
    service = create_service()
    agent = create_agent(service)
    complaint = create_complaint(service, agent=agent)
    sign_in_agent(client, agent)
    before = db.session.scalar(select(func.count(TimelineEvent.id)))
    response = client.post(f"/agents/plaintes/{complaint.public_id}/etapes", data={"event_code": "information"})
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(TimelineEvent.id))) == before
    response = client.post("/agents/plaintes/nouvelle", data={"procedure_number": "X/1"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Complaint.id))) == 1


def test_sign_in_gives_a_new_session_and_sign_out_ends_it_on_the_server(app, client):
    victim = create_victim()
    client.get("/connexion")
    cookie_before = client.http.get_cookie("suivi_session").value
    sign_in_victim(client, victim)
    signed_in_cookie = client.http.get_cookie("suivi_session").value
    assert signed_in_cookie != cookie_before
    assert client.get("/mes-plaintes").status_code == 200
    response = client.submit("/mes-plaintes", action="/deconnexion")
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    # Replaying the old cookie does not bring the session back.
    client.http.set_cookie("suivi_session", signed_in_cookie)
    assert client.get("/mes-plaintes").status_code == 302
    assert db.session.scalar(select(AuthSession.ended_at)) is not None


def test_session_cookie_is_httponly_and_lax(app, client):
    victim = create_victim()
    response = sign_in_victim(client, victim)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_agent_session_ends_after_idle_time(app, client):
    agent = create_agent(create_service())
    sign_in_agent(client, agent)
    assert client.get("/agents/").status_code == 200
    db.session.execute(update(AuthSession).values(last_seen_at=utcnow() - timedelta(minutes=31)))
    db.session.commit()
    assert client.get("/agents/").status_code == 302


def test_disabled_agent_is_signed_out(app, client):
    agent = create_agent(create_service())
    sign_in_agent(client, agent)
    agent.active = False
    db.session.commit()
    assert client.get("/agents/").status_code == 302


def test_wrong_password_is_refused_generically_and_audited(app, client):
    agent = create_agent(create_service())
    wrong = client.submit("/agents/connexion", data={"email": agent.email, "password": "pas le bon"})
    unknown = client.submit("/agents/connexion", data={"email": "inconnu@police.example", "password": PASSWORD})
    for response in (wrong, unknown):
        assert response.status_code == 422
        assert "L&#39;adresse e-mail ou le mot de passe est incorrect" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "agent.sign_in_failed")) == 2


def test_victim_credentials_do_not_open_the_agent_space(app, client):
    victim = create_victim()
    response = client.submit("/agents/connexion", data={"email": victim.email, "password": PASSWORD})
    assert response.status_code == 422


def test_sign_in_does_not_redirect_to_another_site(app, client):
    victim = create_victim()
    for target in ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]:
        response = client.submit(f"/connexion?next={target}", data={"email": victim.email, "password": PASSWORD,
                                                                    "next": target})
        assert response.headers["Location"] == "/mes-plaintes"
        client.submit("/mes-plaintes", action="/deconnexion")


def test_errors_are_plain_french_pages(app, client):
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_production_refuses_to_start_with_development_defaults(tmp_path, monkeypatch):
    for name in ("SUIVI_SECRET_KEY", "SUIVI_DATABASE_URL", "SUIVI_PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigurationError) as refused:
        build_config(tmp_path, {"MODE": "production"})
    message = str(refused.value)
    assert "SUIVI_SECRET_KEY" in message and "PostgreSQL" in message and "https://" in message
    assert not (tmp_path / "secret_key").exists()
    monkeypatch.setenv("SUIVI_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("SUIVI_DATABASE_URL", "postgresql://db/suivi")
    monkeypatch.setenv("SUIVI_PUBLIC_URL", "https://suivi-plainte.example")
    config = build_config(tmp_path, {"MODE": "production"})
    assert config["SESSION_COOKIE_SECURE"] is True


def test_embedded_mode_keeps_a_generated_secret_key_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SUIVI_SECRET_KEY", raising=False)
    first = build_config(tmp_path)["SECRET_KEY"]
    assert len(first) >= 40 and build_config(tmp_path)["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_nul_characters_in_forms_are_refused_politely(app, client):
    agent = create_agent(create_service())
    sign_in_agent(client, agent)
    response = client.submit("/agents/plaintes/nouvelle", data={"procedure_number": "2026/1\x002", "facts_place": "x"})
    assert response.status_code == 400 and "Demande incomplète" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Complaint.id))) == 0
