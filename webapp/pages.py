"""Public pages: home, static assets with hashed names, health check."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from webapp.auth.access import signed_in_agent, signed_in_victim
from webapp.extensions import csrf, db
from webapp.assets import serve_asset

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    if signed_in_victim():
        return redirect(url_for("complaints.index"))
    if signed_in_agent():
        return redirect(url_for("agents.dashboard"))
    return render_template("pages/home.html")


@bp.get("/assets/<fingerprint>/<path:name>")
def asset(fingerprint: str, name: str):
    return serve_asset(fingerprint, name)


@bp.get("/sante")
@csrf.exempt
def health():
    """For load balancers: the app answers and reaches its database."""
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok"}
