"""OpenID Connect relying party for FranceConnect (victims) and ProConnect (agents), with authlib.

Authorization code flow with ``state``, ``nonce`` (32+ characters), PKCE (S256) and ``acr_values``.
The ID token is verified here: signature from the provider's JWKS (ES256 or RS256 only, so neither
``alg: none`` nor HS256 passes; an unknown ``kid`` re-fetches the JWKS once), issuer, audience,
expiry, nonce, acr. The userinfo answer, a signed JWT with these providers, is verified the same way.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from authlib.integrations.requests_client import OAuth2Session
from flask import current_app, session, url_for
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

ALGORITHMS = ["ES256", "RS256"]
FLOW_LIFETIME = 600  # seconds for the person to come back from the provider
LEEWAY = 60


class OidcError(Exception):
    """The sign-in did not go through; ``message`` is for the person, ``reason`` for the log."""

    def __init__(self, message: str, reason: str):
        super().__init__(reason)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    discovery_url: str
    client_id: str
    client_secret: str
    scope: str
    acr_values: str
    callback_endpoint: str


def provider(name: str) -> Provider:
    config = current_app.config
    prefix = name.upper()
    discovery = config.get(f"{prefix}_DISCOVERY_URL")
    if not discovery and config["DEV_IDP_ENABLED"]:
        discovery = url_for(f"devidp_{name}.discovery", _external=True)
    if not discovery or not config.get(f"{prefix}_CLIENT_ID"):
        raise OidcError("Ce mode de connexion n'est pas disponible pour le moment.", f"{name} not configured")
    return Provider(name=name, label="FranceConnect" if name == "franceconnect" else "ProConnect",
                    discovery_url=discovery, client_id=config[f"{prefix}_CLIENT_ID"],
                    client_secret=config[f"{prefix}_CLIENT_SECRET"], scope=config[f"{prefix}_SCOPES"],
                    acr_values=config[f"{prefix}_ACR_VALUES"], callback_endpoint=f"auth.{name}_callback")


def _get(url: str, **kwargs) -> requests.Response:
    try:
        response = requests.get(url, timeout=current_app.config["OIDC_HTTP_TIMEOUT"], **kwargs)
    except requests.RequestException as error:
        raise OidcError("Le service d'identification ne répond pas. Réessayez dans quelques minutes.",
                        f"provider unreachable: {type(error).__name__}") from None
    if response.status_code >= 400:
        raise OidcError("Le service d'identification a refusé la demande. Réessayez plus tard.",
                        f"provider answered {response.status_code} on {url}")
    return response


def metadata(current: Provider) -> dict:
    cache = current_app.extensions.setdefault("oidc_metadata", {})
    cached = cache.get(current.discovery_url)
    if cached and cached[0] > time.time():
        return cached[1]
    data = _get(current.discovery_url).json()
    cache[current.discovery_url] = (time.time() + 3600, data)
    return data


def keys(current: Provider, *, refresh: bool = False) -> KeySet:
    cache = current_app.extensions.setdefault("oidc_jwks", {})
    if refresh or current.name not in cache:
        cache[current.name] = KeySet.import_key_set(_get(metadata(current)["jwks_uri"]).json())
    return cache[current.name]


def start(current: Provider, purpose: str, **extra) -> str:
    """Remember the flow in the session and return the provider's authorization URL."""
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    session["oidc"] = {"provider": current.name, "state": state, "nonce": nonce, "verifier": verifier,
                       "purpose": purpose, "started": time.time(), **extra}
    client = OAuth2Session(current.client_id, current.client_secret, scope=current.scope,
                           redirect_uri=url_for(current.callback_endpoint, _external=True),
                           code_challenge_method="S256")
    params = {"nonce": nonce}
    if current.acr_values:
        params["acr_values"] = current.acr_values
    url, _ = client.create_authorization_url(metadata(current)["authorization_endpoint"], state=state,
                                             code_verifier=verifier, **params)
    return url


def finish(current: Provider, args) -> tuple[dict, dict, str]:
    """Complete the flow from the callback's query: (claims, flow, id_token). Raise OidcError."""
    flow = session.pop("oidc", None)
    if args.get("error"):
        cancelled = args.get("error") == "access_denied"
        raise OidcError("Vous avez annulé la connexion." if cancelled else
                        "Le service d'identification n'a pas pu vous identifier.",
                        f"provider error {args.get('error')}: {args.get('error_description', '')[:200]}")
    if (not flow or flow["provider"] != current.name or not args.get("state")
            or not secrets.compare_digest(args.get("state", ""), flow["state"])):
        raise OidcError("Cette connexion a expiré ou ne vient pas de cet appareil. Recommencez.", "state mismatch")
    if time.time() - flow["started"] > FLOW_LIFETIME:
        raise OidcError("Cette connexion a expiré. Recommencez.", "flow expired")
    token = _exchange(current, args.get("code", ""), flow["verifier"])
    id_claims = verify(current, token.get("id_token", ""), nonce=flow["nonce"])
    userinfo = _userinfo(current, token.get("access_token", ""))
    if userinfo.get("sub") != id_claims["sub"]:
        raise OidcError("Le service d'identification a donné une réponse incohérente.", "userinfo sub mismatch")
    return {**userinfo, **id_claims}, flow, token["id_token"]


def _exchange(current: Provider, code: str, verifier: str) -> dict:
    client = OAuth2Session(current.client_id, current.client_secret,
                           redirect_uri=url_for(current.callback_endpoint, _external=True),
                           token_endpoint_auth_method="client_secret_post")
    try:
        return client.fetch_token(metadata(current)["token_endpoint"], code=code, code_verifier=verifier,
                                  grant_type="authorization_code", timeout=current_app.config["OIDC_HTTP_TIMEOUT"])
    except Exception as error:  # invalid or replayed code, network: authlib raises several kinds
        raise OidcError("La connexion n'a pas pu aboutir. Recommencez.", f"token exchange failed: {error}") from None


def verify(current: Provider, token: str, *, nonce: str | None = None) -> dict:
    """Verify a JWT from the provider (ID token or userinfo) and return its claims."""
    try:
        try:
            decoded = jwt.decode(token, keys(current), algorithms=ALGORITHMS)
        except JoseError:  # perhaps a new signing key (unknown kid): fetch the JWKS again, once
            decoded = jwt.decode(token, keys(current, refresh=True), algorithms=ALGORITHMS)
        registry = JWTClaimsRegistry(leeway=LEEWAY, iss={"essential": True, "value": metadata(current)["issuer"]},
                                     aud={"essential": True, "value": current.client_id},
                                     exp={"essential": True}, sub={"essential": True})
        registry.validate(decoded.claims)
    except (JoseError, ValueError) as error:
        raise OidcError("La réponse du service d'identification n'est pas valable. Recommencez.",
                        f"token rejected: {type(error).__name__}: {error}") from None
    claims = dict(decoded.claims)
    if nonce is not None:
        if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
            raise OidcError("La réponse du service d'identification n'est pas valable. Recommencez.", "nonce mismatch")
        if current.acr_values and claims.get("acr") not in current.acr_values.split():
            raise OidcError("Le niveau de sécurité de l'identification est insuffisant.",
                            f"acr {claims.get('acr')!r} not in {current.acr_values!r}")
    return claims


def _userinfo(current: Provider, access_token: str) -> dict:
    response = _get(metadata(current)["userinfo_endpoint"], headers={"Authorization": f"Bearer {access_token}"})
    if response.headers.get("Content-Type", "").startswith("application/jwt"):
        return verify(current, response.text.strip())
    return response.json()


def end_session_url(current: Provider, id_token: str, state: str, post_logout: str) -> str:
    endpoint = metadata(current)["end_session_endpoint"]
    return f"{endpoint}?{urlencode({'id_token_hint': id_token, 'state': state, 'post_logout_redirect_uri': post_logout})}"
