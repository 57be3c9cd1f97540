"""Static assets under content-hashed URLs, compressed once and cached for a year by browsers.

Sources: files of ``webapp/static``, front-end packages installed by npm (``node_modules``) and
files the app generates (icons). ``asset_url(name)`` gives ``/assets/<hash>/<name>``.
"""
from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from flask import Flask, Response, abort, current_app, request, url_for

from webapp.compression import COMPRESSIBLE, choose_encoding, compress

# Front-end packages come from node_modules (installed at set-up), served under a stable name.
VENDOR_FILES = {"vendor/htmx.min.js": "htmx.org/dist/htmx.min.js"}
YEAR = 365 * 24 * 3600


@dataclass
class Asset:
    name: str
    data: bytes
    content_type: str
    fingerprint: str = ""
    _encoded: dict = field(default_factory=dict)

    def __post_init__(self):
        self.fingerprint = hashlib.sha256(self.data).hexdigest()[:12]

    def encoded(self, encoding: str | None) -> bytes:
        if encoding is None or self.content_type.split(";")[0] not in COMPRESSIBLE:
            return self.data
        if encoding not in self._encoded:
            self._encoded[encoding] = compress(self.data, encoding, static=True)
        return self._encoded[encoding]


class AssetRegistry:
    def __init__(self, app: Flask):
        self.static_root = Path(app.static_folder).resolve()
        self.vendor_root = Path(app.config["VENDOR_DIR"])
        self.generators: dict[str, Callable[[], bytes]] = {}
        self._cache: dict[str, tuple[float, Asset]] = {}

    def register_generated(self, name: str, generate: Callable[[], bytes]) -> None:
        self.generators[name] = generate

    def _source(self, name: str) -> Path | None:
        if name in VENDOR_FILES:
            return self.vendor_root / VENDOR_FILES[name]
        path = (self.static_root / name).resolve()
        return path if self.static_root in path.parents else None

    def get(self, name: str) -> Asset | None:
        if name in self.generators:
            if name not in self._cache:
                self._cache[name] = (0, Asset(name, self.generators[name](), _content_type(name)))
            return self._cache[name][1]
        path = self._source(name)
        if path is None or not path.is_file():
            return None
        mtime = path.stat().st_mtime
        cached = self._cache.get(name)
        if cached is None or cached[0] != mtime:  # files edited during development are picked up
            data = path.read_bytes()
            if name.endswith(".js") and name not in VENDOR_FILES:
                data = minify_js(data.decode("utf-8")).encode("utf-8")
            cached = (mtime, Asset(name, data, _content_type(name)))
            self._cache[name] = cached
        return cached[1]


def minify_js(source: str) -> str:
    """Our own scripts without comments and indentation (they are written to be read, and downloaded
    over slow networks). Only whole-line ``//`` comments are removed, never anything inside a line."""
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    lines = (line.strip() for line in source.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def _content_type(name: str) -> str:
    if name.endswith(".js"):
        return "text/javascript"
    if name.endswith(".webmanifest"):
        return "application/manifest+json"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def registry() -> AssetRegistry:
    return current_app.extensions["assets"]


def asset(name: str) -> Asset:
    found = registry().get(name)
    if found is None:
        raise FileNotFoundError(f"{name}: run the set-up (npm ci) to install front-end packages")
    return found


def asset_url(name: str) -> str:
    """URL of an asset with its content hash in the path."""
    return url_for("pages.asset", fingerprint=asset(name).fingerprint, name=name)


def serve_asset(fingerprint: str, name: str) -> Response:
    found = registry().get(name)
    if found is None or found.fingerprint != fingerprint:
        abort(404)
    encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
    body = found.encoded(encoding)
    response = Response(body, content_type=found.content_type)
    if body is not found.data:
        response.headers["Content-Encoding"] = encoding
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    response.vary.add("Accept-Encoding")
    response.set_etag(found.fingerprint)
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    app.extensions["assets"] = AssetRegistry(app)
