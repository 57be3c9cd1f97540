"""A local OpenID Connect provider, built with authlib's server side, behaving like FranceConnect v2
(victims) or ProConnect (agents) for what Suivi Plainte uses: discovery, JWKS, an authorization page
listing test identities, token endpoint (code flow, PKCE, nonce), ES256-signed ID tokens, a userinfo
answer that is itself a signed JWT (``application/jwt``), and end-session.

For development, demonstration and tests only: the app refuses to start in production with it.
State lives in memory (one process, e.g. ``flask run``).
"""
from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet

from webapp.devidp.identities import IDENTITIES

CODE_LIFETIME = 30       # seconds, as ProConnect
TOKEN_LIFETIME = 60      # seconds, as FranceConnect's access tokens


def _registered(uri: str, paths: list[str], hosts: set[str]) -> bool:
    """The app may run on any local port: a registered URI is a path on an allowed host."""
    parts = urlsplit(uri)
    return parts.scheme in ("http", "https") and parts.hostname in hosts and parts.path in paths and not parts.query


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_paths: list[str]
    post_logout_paths: list[str]
    hosts: set[str]

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope):
        return scope

    def check_redirect_uri(self, redirect_uri):
        return _registered(redirect_uri, self.redirect_paths, self.hosts)

    def check_post_logout_uri(self, uri):
        return _registered(uri, self.post_logout_paths, self.hosts)

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_post", "client_secret_basic")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: dict
    nonce: str
    acr: str
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return self.acr

    def get_amr(self):
        return ["pwd"]

    def is_expired(self):
        return time.time() - self.auth_time > CODE_LIFETIME


class Provider:
    """One local provider ("franceconnect" or "proconnect") and its in-memory state."""

    def __init__(self, name: str, instance_path: str):
        self.name = name
        self.key = self._key(Path(instance_path) / f"devidp-{name}-key.json")
        self.lock = threading.Lock()
        self.codes: dict[str, Code] = {}
        self.tokens: dict[str, tuple[dict, str, float]] = {}  # access token -> (user, client_id, expiry)
        self.client: Client | None = None
        self.server = AuthorizationServer(query_client=self.query_client, save_token=self.save_token)

    @staticmethod
    def _key(path: Path) -> ECKey:
        if path.exists():
            return ECKey.import_key(json.loads(path.read_text()))
        key = ECKey.generate_key("P-256", parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "ES256"},
                                 private=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(key.as_dict(private=True)))
        path.chmod(0o600)
        return key

    def query_client(self, client_id):
        return self.client if self.client and client_id == self.client.client_id else None

    def save_token(self, token, oauth_request):
        with self.lock:
            self.tokens[token["access_token"]] = (oauth_request.user, oauth_request.client.client_id,
                                                  time.time() + TOKEN_LIFETIME)

    def issuer(self) -> str:
        return url_for(f"devidp_{self.name}.discovery", _external=True).rsplit("/.well-known", 1)[0]

    def sign(self, claims: dict) -> str:
        return jwt.encode({"alg": "ES256", "kid": self.key.kid}, claims, self.key)

    def user_claims(self, user: dict, scope: str) -> dict:
        return {key: value for key, value in user.items() if not key.startswith("_")}


def create_blueprint(name: str) -> Blueprint:
    bp = Blueprint(f"devidp_{name}", __name__, url_prefix=f"/dev-idp/{name}/api/v2")

    def provider() -> Provider:
        return current_app.extensions["devidp"][name]

    @bp.get("/.well-known/openid-configuration")
    def discovery():
        issuer = provider().issuer()
        return {
            "issuer": issuer, "authorization_endpoint": f"{issuer}/authorize", "token_endpoint": f"{issuer}/token",
            "userinfo_endpoint": f"{issuer}/userinfo", "jwks_uri": f"{issuer}/jwks",
            "end_session_endpoint": f"{issuer}/session/end", "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"], "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["ES256"], "userinfo_signing_alg_values_supported": ["ES256"],
            "code_challenge_methods_supported": ["S256"], "acr_values_supported": list(_acr_values(name)),
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "scopes_supported": ["openid", "given_name", "family_name", "birthdate", "birthplace", "birthcountry",
                                 "gender", "email", "preferred_username", "usual_name", "uid", "siret"],
        }

    @bp.get("/jwks")
    def jwks():
        return KeySet([provider().key]).as_dict(private=False)

    @bp.route("/authorize", methods=["GET", "POST"])
    def authorize():
        current = provider()
        for parameter in ("state", "nonce"):  # FranceConnect and ProConnect require at least 32 characters
            if len(request.values.get(parameter, "")) < 32:
                return _error_redirect(f"{parameter} trop court (32 caractères au moins)")
        try:
            grant = current.server.get_consent_grant(end_user=None)
        except Exception as error:  # invalid client, redirect URI, scope, PKCE…: shown, never redirected
            return Response(f"Requête d'autorisation invalide : {error}", status=400, mimetype="text/plain")
        if request.method == "GET":
            return render_template("devidp/authorize.html", provider=name, identities=IDENTITIES[name],
                                   client=grant.client.client_id, query=request.query_string.decode())
        if request.form.get("action") == "cancel":
            return current.server.create_authorization_response(grant_user=None, grant=grant)
        user = next((i for i in IDENTITIES[name] if i["sub"] == request.form.get("identity")), None)
        if user is None:
            abort(400)
        return current.server.create_authorization_response(grant_user=user, grant=grant)

    @bp.post("/token")
    def token():
        return provider().server.create_token_response()

    @bp.get("/userinfo")
    def userinfo():
        current = provider()
        header = request.headers.get("Authorization", "")
        entry = current.tokens.get(header[7:]) if header.startswith("Bearer ") else None
        if entry is None or entry[2] < time.time():
            return Response("", status=401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        user, client_id, _ = entry
        now = int(time.time())
        claims = {**current.user_claims(user, ""), "iss": current.issuer(), "aud": client_id, "iat": now,
                  "exp": now + TOKEN_LIFETIME}
        return Response(current.sign(claims), mimetype="application/jwt")

    @bp.get("/session/end")
    def end_session():
        current = provider()
        target = request.args.get("post_logout_redirect_uri", "")
        if not current.client or not current.client.check_post_logout_uri(target):
            return Response("post_logout_redirect_uri inconnue", status=400, mimetype="text/plain")
        if not request.args.get("id_token_hint") or not request.args.get("state"):
            return Response("id_token_hint et state sont obligatoires", status=400, mimetype="text/plain")
        return redirect(f"{target}?{urlencode({'state': request.args['state']})}")

    return bp


def _client_secret(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _acr_values(name: str) -> tuple[str, ...]:
    return ("eidas1", "eidas2", "eidas3") if name == "franceconnect" else ("eidas1", "self-asserted-2fa")


def _error_redirect(description: str):
    redirect_uri = request.values.get("redirect_uri", "")
    providers = current_app.extensions["devidp"]
    if not any(p.client and p.client.check_redirect_uri(redirect_uri) for p in providers.values()):
        return Response(description, status=400, mimetype="text/plain")
    query = urlencode({"error": "invalid_request", "error_description": description,
                       "state": request.values.get("state", "")})
    return redirect(f"{redirect_uri}?{query}")


class CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_post", "client_secret_basic"]

    def provider(self) -> Provider:
        return current_app.extensions["devidp"][request.blueprint.removeprefix("devidp_")]

    def save_authorization_code(self, code, oauth_request):
        data = oauth_request.payload.data
        acr = (data.get("acr_values") or "eidas1").split()[0]
        item = Code(code=code, client_id=oauth_request.client.client_id, redirect_uri=oauth_request.payload.redirect_uri,
                    scope=oauth_request.payload.scope, user=oauth_request.user, nonce=data.get("nonce"), acr=acr,
                    code_challenge=data.get("code_challenge"), code_challenge_method=data.get("code_challenge_method"))
        with self.provider().lock:
            self.provider().codes[code] = item
        return item

    def query_authorization_code(self, code, client):
        item = self.provider().codes.get(code)
        if item and item.client_id == client.client_id and not item.is_expired():
            return item
        return None

    def delete_authorization_code(self, authorization_code):
        with self.provider().lock:
            self.provider().codes.pop(authorization_code.code, None)  # a code works once

    def authenticate_user(self, authorization_code):
        return authorization_code.user


class IdTokens(OpenIDCode):
    def provider(self) -> Provider:
        return current_app.extensions["devidp"][request.blueprint.removeprefix("devidp_")]

    def exists_nonce(self, nonce, oauth_request):
        return any(c.nonce == nonce for c in self.provider().codes.values())

    def resolve_client_private_key(self, client):
        return self.provider().key

    def get_client_algorithm(self, client):
        return "ES256"

    def get_encode_header(self, client):
        return {"alg": "ES256", "kid": self.provider().key.kid}

    def get_client_claims(self, client):
        return {"iss": self.provider().issuer(), "aud": [client.get_client_id()]}

    def generate_user_info(self, user, scope):
        return {"sub": user["sub"]}  # the other claims come from the userinfo JWT, as with FranceConnect


def install(app) -> None:
    """Mount both local providers on the app and register the app as their client, with generated
    credentials kept in the instance folder (unless configured)."""
    from webapp.extensions import csrf
    app.extensions["devidp"] = {}
    hosts = {"127.0.0.1", "localhost"}
    if app.config.get("PUBLIC_URL"):
        hosts.add(urlsplit(app.config["PUBLIC_URL"]).hostname)
    for name in ("franceconnect", "proconnect"):
        prefix = name.upper()
        if not app.config.get(f"{prefix}_CLIENT_ID"):
            app.config[f"{prefix}_CLIENT_ID"] = f"suivi-plainte-{name}-dev"
            app.config[f"{prefix}_CLIENT_SECRET"] = _client_secret(Path(app.instance_path) / f"devidp-{name}-secret")
        current = Provider(name, app.instance_path)
        current.client = Client(app.config[f"{prefix}_CLIENT_ID"], app.config[f"{prefix}_CLIENT_SECRET"],
                                [f"/{name}/retour"], [f"/{name}/deconnexion"], hosts)
        current.server.init_app(app)
        current.server.register_grant(CodeGrant, [CodeChallenge(required=True), IdTokens(require_nonce=True)])
        app.extensions["devidp"][name] = current
        blueprint = create_blueprint(name)
        csrf.exempt(blueprint)
        app.register_blueprint(blueprint)
