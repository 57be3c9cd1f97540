"""HTTP helpers: security headers, htmx-aware redirects, fragments with ETags."""
from __future__ import annotations

import hashlib
from typing import Callable

from flask import Flask, Response, abort, redirect, request
from htmx_flask import make_response as htmx_response

# Scripts, styles, fonts, fetches, the manifest and the worker fall back to default-src: our origin only,
# no inline code. (Each header byte is paid on every page over slow mobile data.)
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def install_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        if request.endpoint == "pages.asset":  # scripts, styles, icons: page-level policies do not apply
            return response
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        # Personal data: nothing is stored by shared caches, and pages are not kept by the
        # browser unless a view says otherwise (fragments revalidated with an ETag).
        if "Cache-Control" not in headers and response.mimetype in ("text/html", "application/json"):
            headers["Cache-Control"] = "no-store"
        return response


def install_input_guard(app: Flask) -> None:
    """A NUL character in a form or address is never legitimate text (and PostgreSQL refuses it)."""
    @app.before_request
    def refuse_nul_characters():
        values = list(request.args.values())
        if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
                "application/x-www-form-urlencoded", "multipart/form-data"):
            values += list(request.form.values())
        if any("\x00" in value for value in values):
            abort(400)
        return None


def wants_fragment() -> bool:
    """True for an htmx request that expects a piece of the page, not a history restore."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def htmx_redirect(location: str) -> Response:
    """Redirect a plain browser; tell htmx to load the page itself (it does not follow 3xx well)."""
    if request.htmx:
        return htmx_response("", 401, redirect=location)
    return redirect(location)


def etag_for(*parts) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]


def fragment_response(etag: str, render: Callable[[], str]) -> Response:
    """An HTML fragment that browsers keep privately and revalidate: 304 when unchanged, without rendering."""
    if request.if_none_match.contains_weak(etag):  # If-None-Match uses the weak comparison
        response = Response(status=304)
    else:
        response = Response(render(), mimetype="text/html")
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("HX-Request")
    return response
