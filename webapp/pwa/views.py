"""The installable app: manifest, service worker, offline page, install instructions."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request, url_for

from webapp.assets import Asset, asset_url, minify_js
from webapp.compression import choose_encoding
from webapp.pwa.icons import ICONS

bp = Blueprint("pwa", __name__)

SHELL_ASSETS = ["app.css", "app.js", "vendor/htmx.min.js"]
THEME_COLOR = "#000091"


@bp.get("/manifest.webmanifest")
def manifest():
    icon = lambda name, size, purpose: {"src": asset_url(name), "sizes": size, "type": "image/png",  # noqa: E731
                                        "purpose": purpose}
    body = {
        "name": "Suivi Plainte", "short_name": "Ma plainte", "lang": "fr", "dir": "ltr",
        "description": "Suivez la plainte que vous avez déposée : étapes de l'enquête, documents, contact du service.",
        "id": "/mes-plaintes", "start_url": "/mes-plaintes", "scope": "/", "display": "standalone",
        "theme_color": THEME_COLOR, "background_color": "#ffffff",
        "icons": [icon("icons/icon-192.png", "192x192", "any"), icon("icons/icon-512.png", "512x512", "any"),
                  icon("icons/maskable-512.png", "512x512", "maskable")],
    }
    response = Response(json.dumps(body, ensure_ascii=False), content_type="application/manifest+json")
    response.headers["Cache-Control"] = "public, no-cache"
    return response


def service_worker_source() -> str:
    """The worker with its configuration filled in; its bytes change whenever an asset changes."""
    source = Path(current_app.config["SERVICE_WORKER_PATH"]).read_text(encoding="utf-8")
    precache = [asset_url(name) for name in SHELL_ASSETS] + [url_for("pwa.offline")]
    version = hashlib.sha256(json.dumps([source, precache, current_app.config["SW_VERSION_SALT"]])
                             .encode()).hexdigest()[:12]
    config = {"version": version, "precache": precache, "offlineUrl": url_for("pwa.offline"),
              "networkTimeoutMs": current_app.config["SW_NETWORK_TIMEOUT_MS"],
              "icon": asset_url("icons/icon-192.png"), "badge": asset_url("icons/badge-96.png")}
    return minify_js(source).replace('"__SP_CONFIG__"', json.dumps(json.dumps(config)))


@bp.get("/sw.js")
def service_worker():
    """The worker, compressed once per version with the strongest setting (first visits are slow)."""
    source = service_worker_source().encode()
    cache = current_app.extensions.setdefault("service_worker", {})
    worker = cache.get(source) or cache.setdefault(source, Asset("sw.js", source, "text/javascript"))
    encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
    body = worker.encoded(encoding)
    response = Response(body, content_type="text/javascript")
    if body is not worker.data:
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/hors-ligne")
def offline():
    """Shown by the service worker when a page is not available without network. Holds nothing personal."""
    response = Response(render_template("pwa/offline.html", show_account_menu=False))
    response.headers["Cache-Control"] = "public, no-cache"
    return response


@bp.get("/installer")
def install():
    return render_template("pwa/install.html")


def register_icons(app) -> None:
    for name, generate in ICONS.items():
        app.extensions["assets"].register_generated(name, generate)
