"""A test client that behaves like a browser on our pages: it reads the CSRF token from the form
it submits, like a person filling the form would."""
from __future__ import annotations

import re

from flask import has_app_context
from flask.testing import FlaskClient

from webapp.extensions import db

CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token_in(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1) or match.group(2)


class _IsolatedClient(FlaskClient):
    """Each request runs in its own application context, as in production: its own ``g`` and its own
    database session, not those of the test body (which then sees only what was committed)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


class Client:
    def __init__(self, app):
        self.app = app
        app.test_client_class = _IsolatedClient
        self.http: FlaskClient = app.test_client()

    def get(self, url: str, **kwargs):
        return self.http.get(url, **kwargs)

    def submit(self, form_page: str, action: str | None = None, data: dict | None = None, **kwargs):
        """GET the page holding the form, then POST the form with its CSRF token."""
        page = self.http.get(form_page)
        assert page.status_code == 200, f"{form_page} answered {page.status_code}"
        payload = dict(data or {})
        payload.setdefault("csrf_token", csrf_token_in(page.get_data(as_text=True)))
        return self.http.post(action or form_page, data=payload, **kwargs)

    def post(self, url: str, data: dict | None = None, **kwargs):
        """POST without visiting a form first (no CSRF token unless given)."""
        return self.http.post(url, data=data or {}, **kwargs)

    def text(self, url: str, **kwargs) -> str:
        response = self.http.get(url, **kwargs)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        return response.get_data(as_text=True)
