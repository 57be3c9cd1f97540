"""Jinja filters and globals: French dates, catalogue labels, hashed asset URLs."""
from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask
from markupsafe import Markup, escape

from webapp import catalogue
from webapp.assets import asset_url
from webapp.audit import ACTION_LABELS
from webapp.models import utcnow

PARIS = ZoneInfo("Europe/Paris")
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]


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


URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")


def linkify(text: str) -> Markup:
    """User text, escaped, with its web addresses made into links that open safely."""
    pieces, last = [], 0
    for match in URL.finditer(text or ""):
        pieces.append(escape(text[last:match.start()]))
        url = match.group(0)
        pieces.append(Markup('<a href="{0}" rel="noopener noreferrer nofollow">{0}</a>').format(url))
        last = match.end()
    pieces.append(escape((text or "")[last:]))
    return Markup("").join(pieces)


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        date_fr=date_fr, datetime_fr=datetime_fr, filesize_fr=filesize_fr,
        offence_label=catalogue.offence_label, linkify=linkify)
    app.jinja_env.globals.update(
        asset_url=asset_url, now=utcnow, milestone=catalogue.milestone, document_kind=catalogue.document_kind,
        OFFENCES=catalogue.OFFENCES, MILESTONES=catalogue.MILESTONES,
        DOCUMENT_KINDS=catalogue.DOCUMENT_KINDS, audit_labels=ACTION_LABELS)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
