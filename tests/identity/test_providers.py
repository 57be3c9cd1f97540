"""FranceConnect and ProConnect sign-in over real HTTP: the app and the local providers on 127.0.0.1."""
from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import ECKey
from sqlalchemy import func, select

from tests.factories import PASSWORD, create_agent, create_complaint, create_service, create_victim, issue_code
from webapp.extensions import db
from webapp.models import ActivationCode, AgentRole, AuditEntry, AuthSession, VictimAccount


class Browser:
    """A cookie-keeping HTTP client that reads CSRF tokens from the pages, like a browser user."""

    def __init__(self, base: str):
        self.base, self.http = base, requests.Session()

    def csrf(self, path: str) -> str:
        html = self.http.get(self.base + path).text
        return re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', html).group(1)

    def post(self, path: str, data: dict, *, form_page: str, follow=True):
        return self.http.post(self.base + path, data={"csrf_token": self.csrf(form_page), **data},
                              allow_redirects=follow)

    def choose_identity(self, authorize: requests.Response, sub: str, action="accept", follow=True):
        """On the provider's page, pick a test identity (the provider's form posts to itself)."""
        assert authorize.status_code == 200 and "Choisir une identité de test" in authorize.text, authorize.text[:300]
        return self.http.post(authorize.url, data={"identity": sub, "action": action}, allow_redirects=follow)


@pytest.fixture
def web(live_server) -> Browser:
    return Browser(live_server)


@pytest.fixture
def camille_complaint(app):
    """A complaint recorded for the local FranceConnect's "Camille Louise MARTIN", with a fresh code."""
    complaint = create_complaint(create_service("Commissariat de Villeurbanne"), victim_family_name="Martin",
                                 victim_given_names="Camille", victim_birth_date=__import__("datetime").date(1988, 5, 14),
                                 victim_birth_place_code="69266", procedure_number="2026/060606")
    return complaint, issue_code(complaint)


def activate_with_franceconnect(web: Browser, code: str, sub: str):
    authorize = web.post("/activation", {"code": code, "method": "franceconnect"}, form_page="/activation")
    return web.choose_identity(authorize, sub)


def sessions() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(AuthSession.id)))


def test_victim_activates_with_franceconnect_then_signs_in_with_it(web, camille_complaint):
    complaint, code = camille_complaint
    landed = activate_with_franceconnect(web, code, "fc-camille-martin")
    assert landed.url.endswith("/mes-plaintes") and "2026/060606" in landed.text
    victim = db.session.scalar(select(VictimAccount))
    assert victim.fc_sub == "fc-camille-martin" and victim.email == "camille.martin@example.org"
    assert victim.password_hash is None
    assert db.session.scalar(select(ActivationCode.used_at)) is not None

    # Sign out: the FranceConnect session is ended too, and the app checks the state on return.
    out = web.post("/deconnexion", {}, form_page="/mes-plaintes")
    assert out.url.endswith("/connexion") and "et du service d&#39;identification" in out.text
    assert web.http.get(web.base + "/mes-plaintes", allow_redirects=False).status_code == 302

    # Next time, FranceConnect goes straight to "Mes plaintes".
    authorize = web.post("/franceconnect/connexion", {}, form_page="/connexion")
    back = web.choose_identity(authorize, "fc-camille-martin")
    assert back.url.endswith("/mes-plaintes") and "2026/060606" in back.text


def test_homonym_born_elsewhere_is_refused_and_logged(web, camille_complaint):
    complaint, code = camille_complaint
    refused = activate_with_franceconnect(web, code, "fc-camille-martin-homonyme")
    assert refused.status_code == 400 and "ne correspond pas" in refused.text and "Commissariat de Villeurbanne" in refused.text
    assert db.session.scalar(select(func.count(VictimAccount.id))) == 0 and sessions() == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "activation.identity_mismatch"))
    assert entry is not None and "birth place" in entry.details
    assert db.session.scalar(select(ActivationCode.failed_attempts)) == 1


def test_cancelling_at_the_provider_gives_a_clear_page(web, camille_complaint):
    _, code = camille_complaint
    authorize = web.post("/activation", {"code": code, "method": "franceconnect"}, form_page="/activation")
    page = web.choose_identity(authorize, "fc-camille-martin", action="cancel")
    assert page.status_code == 400 and "Vous avez annulé la connexion" in page.text
    assert sessions() == 0


def test_unknown_code_never_reaches_franceconnect(web, camille_complaint):
    response = web.post("/activation", {"code": "AAAAA-BBBBB-CCCCC", "method": "franceconnect"}, form_page="/activation")
    assert response.status_code == 422 and "ne correspond pas" in response.text and "dev-idp" not in response.url


def test_franceconnect_identity_without_account_is_told_what_to_do(web):
    authorize = web.post("/franceconnect/connexion", {}, form_page="/connexion")
    page = web.choose_identity(authorize, "fc-lea-durand")
    assert "Aucun espace n'est encore relié" in page.text and sessions() == 0


def test_wrong_state_and_replayed_code_are_refused(web, camille_complaint):
    _, code = camille_complaint
    authorize = web.post("/activation", {"code": code, "method": "franceconnect"}, form_page="/activation")
    callback = web.choose_identity(authorize, "fc-camille-martin", follow=False).headers["Location"]
    params = parse_qs(urlsplit(callback).query)
    forged = web.http.get(f"{web.base}/franceconnect/retour?code={params['code'][0]}&state=not-the-state")
    assert forged.status_code == 400 and sessions() == 0
    # The flow was consumed by that attempt: the genuine callback, replayed now, opens nothing either.
    replay = web.http.get(callback)
    assert replay.status_code == 400 and sessions() == 0 and db.session.scalar(select(ActivationCode.used_at)) is None


def test_the_provider_accepts_a_code_once(live_server, app, camille_complaint):
    """Straight at the provider's token endpoint, as an attacker who caught a code would."""
    web = Browser(live_server)
    _, code = camille_complaint
    authorize = web.post("/activation", {"code": code, "method": "franceconnect"}, form_page="/activation")
    callback = web.choose_identity(authorize, "fc-camille-martin", follow=False).headers["Location"]
    assert web.http.get(callback).url.endswith("/mes-plaintes")  # the app used the code
    replay = requests.post(f"{live_server}/dev-idp/franceconnect/api/v2/token", data={
        "grant_type": "authorization_code", "code": parse_qs(urlsplit(callback).query)["code"][0],
        "client_id": app.config["FRANCECONNECT_CLIENT_ID"], "client_secret": app.config["FRANCECONNECT_CLIENT_SECRET"],
        "redirect_uri": f"{live_server}/franceconnect/retour", "code_verifier": "x" * 43})
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"


# ---- tampered tokens, verified by the app's own checks ----

@pytest.fixture
def verifier(app, live_server):
    """Run webapp.auth.oidc.verify as the app would, against the local FranceConnect's keys."""
    from webapp.auth import oidc

    def verify(token: str, nonce="n" * 32):
        with app.test_request_context(base_url=live_server):
            return oidc.verify(oidc.provider("franceconnect"), token, nonce=nonce)

    with app.test_request_context(base_url=live_server):
        issuer = oidc.metadata(oidc.provider("franceconnect"))["issuer"]
    provider_key = app.extensions["devidp"]["franceconnect"].key
    return verify, issuer, provider_key, app.config["FRANCECONNECT_CLIENT_ID"]


def signed(claims: dict, key, alg="ES256", kid=None) -> str:
    return jwt.encode({"alg": alg, "kid": kid or getattr(key, "kid", None) or "k"}, claims, key, algorithms=[alg])


def good_claims(issuer, audience, **overrides) -> dict:
    now = int(time.time())
    claims = {"iss": issuer, "aud": audience, "sub": "fc-camille-martin", "exp": now + 60, "iat": now,
              "nonce": "n" * 32, "acr": "eidas1"}
    claims.update(overrides)
    return claims


def test_a_genuine_token_passes(verifier):
    verify, issuer, key, audience = verifier
    assert verify(signed(good_claims(issuer, audience), key))["sub"] == "fc-camille-martin"


@pytest.mark.parametrize("tamper", ["wrong_nonce", "other_key", "expired", "wrong_audience", "wrong_issuer",
                                    "alg_none", "hs256_with_public_key", "low_acr"])
def test_tampered_tokens_are_refused(verifier, tamper):
    from webapp.auth.oidc import OidcError
    verify, issuer, key, audience = verifier
    claims = good_claims(issuer, audience)
    if tamper == "wrong_nonce":
        token = signed({**claims, "nonce": "x" * 32}, key)
    elif tamper == "other_key":
        token = signed(claims, ECKey.generate_key("P-256", private=True), kid=key.kid)
    elif tamper == "expired":
        token = signed({**claims, "exp": int(time.time()) - 3600}, key)
    elif tamper == "wrong_audience":
        token = signed({**claims, "aud": "another-client"}, key)
    elif tamper == "wrong_issuer":
        token = signed({**claims, "iss": "https://evil.example"}, key)
    elif tamper == "alg_none":
        import base64
        import json
        part = lambda data: base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()  # noqa: E731
        token = f"{part({'alg': 'none', 'kid': key.kid})}.{part(claims)}."
    elif tamper == "hs256_with_public_key":  # the classic confusion: the public key used as an HMAC secret
        import base64
        import hashlib
        import hmac
        import json
        part = lambda data: base64.urlsafe_b64encode(data).rstrip(b"=").decode()  # noqa: E731
        signing_input = (f"{part(json.dumps({'alg': 'HS256', 'kid': key.kid}).encode())}."
                         f"{part(json.dumps(claims).encode())}")
        mac = hmac.new(key.as_pem(private=False), signing_input.encode(), hashlib.sha256).digest()
        token = f"{signing_input}.{part(mac)}"
    else:
        token = signed({**claims, "acr": "eidas0"}, key)
    with pytest.raises(OidcError):
        verify(token)


# ---- ProConnect and the agents' second factor ----

def test_agent_signs_in_with_proconnect_and_unknown_identities_are_refused(web, app):
    service = create_service()
    create_agent(service, AgentRole.INVESTIGATOR, email="enqueteur@demo.suivi-plainte.fr")
    authorize = web.post("/agents/proconnect/connexion", {}, form_page="/agents/connexion")
    landed = web.choose_identity(authorize, "pc-karim-benali")
    assert landed.url.endswith("/agents/") and "Plaintes –" in landed.text

    other = Browser(web.base)
    authorize = other.post("/agents/proconnect/connexion", {}, form_page="/agents/connexion")
    refused = other.choose_identity(authorize, "pc-inconnu")
    assert refused.status_code == 403 and "Aucun compte agent" in refused.text
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "agent.sign_in_failed")) == 1


def test_siret_is_checked_when_required(app_factory):
    app = app_factory(PROCONNECT_REQUIRE_SIRET=True)
    import threading
    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with app.app_context():
            service = create_service(siret="11111111111111")
            create_agent(service, email="enqueteur@demo.suivi-plainte.fr")
            web = Browser(f"http://127.0.0.1:{server.server_port}")
            authorize = web.post("/agents/proconnect/connexion", {}, form_page="/agents/connexion")
            assert web.choose_identity(authorize, "pc-karim-benali").status_code == 403
            service.siret = "13000000000000"
            db.session.commit()
            authorize = web.post("/agents/proconnect/connexion", {}, form_page="/agents/connexion")
            assert web.choose_identity(authorize, "pc-karim-benali").url.endswith("/agents/")
    finally:
        server.shutdown()


def test_password_sign_in_needs_a_one_time_code_when_configured(app_factory):
    import pyotp
    from tests.webclient import Client
    from webapp.auth.totp import enrol
    app = app_factory(AGENT_PASSWORD_SIGNIN="totp")
    with app.app_context():
        agent = create_agent(create_service())
        secret = parse_qs(urlsplit(enrol(agent)).query)["secret"][0]
        client = Client(app)
        response = client.submit("/agents/connexion", data={"email": agent.email, "password": PASSWORD})
        assert response.headers["Location"].endswith("/agents/connexion/code")
        assert client.get("/agents/").status_code == 302  # not signed in yet
        wrong = client.submit("/agents/connexion/code", data={"code": "000000"})
        assert wrong.status_code == 422 and "pas valable" in wrong.get_data(as_text=True)
        code = pyotp.TOTP(secret).now()
        assert client.submit("/agents/connexion/code", data={"code": code}).headers["Location"].endswith("/agents/")
        assert client.get("/agents/").status_code == 200
        # The same code cannot be used again (someone looking over the shoulder).
        client.submit("/agents/", action="/deconnexion")
        client.submit("/agents/connexion", data={"email": agent.email, "password": PASSWORD})
        replay = client.submit("/agents/connexion/code", data={"code": code})
        assert replay.status_code == 422 and client.get("/agents/").status_code == 302


def test_one_time_code_attempts_are_limited(app_factory):
    from tests.webclient import Client
    from webapp.auth.totp import enrol
    app = app_factory(AGENT_PASSWORD_SIGNIN="totp", RATELIMIT_ENABLED=True)
    with app.app_context():
        agent = create_agent(create_service())
        enrol(agent)
        client = Client(app)
        client.submit("/agents/connexion", data={"email": agent.email, "password": PASSWORD})
        statuses = [client.submit("/agents/connexion/code", data={"code": "000000"}).status_code for _ in range(5)]
        assert statuses == [422, 422, 422, 422, 302]  # the fifth failure sends back to the password step
        assert client.get("/agents/connexion/code").status_code == 302
        client.submit("/agents/connexion", data={"email": agent.email, "password": PASSWORD})
        from tests.webclient import csrf_token_in
        token = csrf_token_in(client.text("/agents/connexion/code"))
        sixth = client.post("/agents/connexion/code", data={"csrf_token": token, "code": "000000"})
        assert sixth.status_code == 429  # and no more than 5 tries a minute, whatever the session


def test_production_turns_password_sign_in_off(app_factory, client):
    app = app_factory(AGENT_PASSWORD_SIGNIN="off")
    from tests.webclient import Client
    with app.app_context():
        agent = create_agent(create_service())
        other = Client(app)
        page = other.text("/agents/connexion")
        assert "ProConnect" in page and 'name="password"' not in page
        assert other.post("/agents/connexion", data={"email": agent.email, "password": PASSWORD}).status_code in (400, 403)


def test_production_refuses_the_local_providers(tmp_path, monkeypatch):
    from webapp.config import ConfigurationError, build_config
    monkeypatch.setenv("SUIVI_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("SUIVI_DATABASE_URL", "postgresql://db/suivi")
    monkeypatch.setenv("SUIVI_PUBLIC_URL", "https://suivi-plainte.example")
    monkeypatch.setenv("SUIVI_DEV_IDP_ENABLED", "1")
    with pytest.raises(ConfigurationError, match="local identity providers"):
        build_config(tmp_path, {"MODE": "production"})
