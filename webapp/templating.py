"""Jinja filters and globals: French dates, catalogue labels, hashed asset URLs."""
from __future__ import annotations

import hashlib
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, abort, current_app, send_file, url_for

from webapp import catalogue

PARIS = ZoneInfo("Europe/Paris")
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]

# Front-end packages come from node_modules (installed at set-up), served under a stable name.
VENDOR_FILES = {"vendor/htmx.min.js": "htmx.org/dist/htmx.min.js"}


def date_fr(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(PARIS).date()
    return f"{'1er' if value.day == 1 else value.day} {MONTHS[value.month - 1]} {value.year}"


def datetime_fr(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(PARIS)
    return f"{date_fr(local.date())} à {local.hour} h {local.minute:02d}"


def filesize_fr(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} Ko"
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")


def asset_path(name: str) -> Path:
    app = current_app
    if name in VENDOR_FILES:
        return Path(app.config["VENDOR_DIR"]) / VENDOR_FILES[name]
    path = (Path(app.static_folder) / name).resolve()
    if Path(app.static_folder).resolve() not in path.parents:
        abort(404)
    return path


@lru_cache(maxsize=128)
def _fingerprint(path: Path, mtime: float) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def asset_fingerprint(name: str) -> str:
    path = asset_path(name)
    if not path.is_file():
        raise FileNotFoundError(f"{name}: run the set-up (npm ci) to install front-end packages")
    return _fingerprint(path, path.stat().st_mtime)


def asset_url(name: str) -> str:
    """URL of a static file with its content hash in the path, cached for a year by browsers."""
    return url_for("pages.asset", fingerprint=asset_fingerprint(name), name=name)


def serve_asset(fingerprint: str, name: str):
    path = asset_path(name)
    if not path.is_file() or asset_fingerprint(name) != fingerprint:
        abort(404)
    response = send_file(path, max_age=365 * 24 * 3600, conditional=True)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        date_fr=date_fr, datetime_fr=datetime_fr, filesize_fr=filesize_fr,
        offence_label=catalogue.offence_label)
    app.jinja_env.globals.update(
        asset_url=asset_url, milestone=catalogue.milestone, document_kind=catalogue.document_kind,
        OFFENCES=catalogue.OFFENCES, MILESTONES=catalogue.MILESTONES,
        DOCUMENT_KINDS=catalogue.DOCUMENT_KINDS)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
