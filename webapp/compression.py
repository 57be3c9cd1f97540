"""Response compression: brotli when the browser accepts it, gzip otherwise.

Victims are often on slow, metered mobile data: every HTML page, fragment, stylesheet and script
travels compressed. Already-compressed files (PDF, JPEG, PNG) are left alone.
"""
from __future__ import annotations

import gzip

import brotli
from flask import Flask, Response, request

COMPRESSIBLE = {"text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                "application/manifest+json", "image/svg+xml", "text/plain"}
MIN_SIZE = 512


def choose_encoding(accept_encoding: str) -> str | None:
    accepted = {part.split(";")[0].strip().lower() for part in accept_encoding.split(",")}
    if "br" in accepted:
        return "br"
    if "gzip" in accepted:
        return "gzip"
    return None


def compress(data: bytes, encoding: str, *, static: bool = False) -> bytes:
    """Compress a body; static files (compressed once, kept in memory) get the strongest setting."""
    if encoding == "br":
        return brotli.compress(data, quality=11 if static else 5)
    return gzip.compress(data, compresslevel=9 if static else 6, mtime=0)


def install(app: Flask) -> None:
    @app.after_request
    def compress_response(response: Response) -> Response:
        if (response.direct_passthrough or response.status_code < 200 or response.status_code in (204, 304)
                or "Content-Encoding" in response.headers or response.mimetype not in COMPRESSIBLE):
            return response
        response.vary.add("Accept-Encoding")
        encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
        data = response.get_data()
        if encoding is None or len(data) < MIN_SIZE:
            return response
        response.set_data(compress(data, encoding))
        response.headers["Content-Encoding"] = encoding
        if response.headers.get("ETag"):  # a different representation of the same content
            etag, weak = response.get_etag()
            response.set_etag(etag, weak=True)
        return response
