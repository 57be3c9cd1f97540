"""The printable activation letter: the code, and a QR code that carries it only in the URL fragment."""
from __future__ import annotations

from datetime import datetime

import segno
from flask import current_app, url_for
from markupsafe import Markup

from webapp.models import Complaint


def activation_url(code: str | None = None) -> str:
    """The activation page's public address; the code, if any, goes after ``#`` so no server logs it."""
    base = current_app.config.get("PUBLIC_URL")
    path = url_for("enrolment.activate")
    url = f"{base.rstrip('/')}{path}" if base else url_for("enrolment.activate", _external=True)
    return f"{url}#code={code}" if code else url


def qr_svg(data: str) -> Markup:
    """An inline SVG QR code (no inline style, so it passes the strict CSP)."""
    qr = segno.make(data, error="m")
    svg = qr.svg_inline(scale=4, border=2, dark="#000", light="#fff", omitsize=False)
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="QR code vers la page d\'activation" ', 1))


def letter_context(complaint: Complaint, code: str, expires_at: datetime) -> dict:
    url_with_code = activation_url(code)
    return {"code": code, "expires_at": expires_at, "activation_url": activation_url(),
            "qr_svg": qr_svg(url_with_code)}
