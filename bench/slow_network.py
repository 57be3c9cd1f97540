"""The complaint page on a slow mobile network, in real Chromium, against the state design system.

Link: 400 kbit/s down, 400 kbit/s up, 400 ms round trip (bench/_netem.py, in front of the server, so
that the service worker's requests are slowed too). Times are until the timeline is painted (Element
Timing of its heading), measured by the browser from the start of navigation.
- cold: new profile, empty caches;
- warm: the service worker installed and the page kept (network first, short timeout, then the copy);
- offline: no network at all, the page from the service worker's cache;
- comparison: a minimal page with the design system's full bundle (dsfr.min.css, dsfr.module.min.js,
  two Marianne fonts, from the npm package @gouvfr/dsfr installed in bench/), cold, on the same link.
Targets: cold ≤ 1.5 s, warm and offline ≤ 0.3 s.
Usage: .venv/bin/python bench/slow_network.py [repeat]
"""
from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

from flask import Flask, Response, request
from playwright.sync_api import sync_playwright

from _browser import launch, serve, sign_in_cookies, start
from _netem import NetworkEmulator

SLOW = {"down_bps": 400_000, "up_bps": 400_000, "rtt_ms": 400}
DSFR = Path(__file__).resolve().parent / "node_modules" / "@gouvfr" / "dsfr" / "dist"
PAINTED = """() => new Promise(resolve => new PerformanceObserver((list, observer) => {
    const entry = list.getEntries().find(e => e.identifier === 'timeline');
    if (entry) { observer.disconnect(); resolve(entry.renderTime || entry.loadTime); }
}).observe({type: 'element', buffered: true}))"""
DSFR_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Ma plainte</title>
<link rel="stylesheet" href="/dsfr/dsfr.min.css">
<link rel="preload" href="/dsfr/fonts/Marianne-Regular.woff2" as="font" type="font/woff2" crossorigin>
<link rel="preload" href="/dsfr/fonts/Marianne-Bold.woff2" as="font" type="font/woff2" crossorigin>
</head><body><main class="fr-container"><h1>Cambriolage du 14 octobre 2026</h1>
<section id="chronologie"><h2 elementtiming="timeline">Où en est mon dossier</h2>
<ol><li><h3>Enquête en cours</h3><p>Des enquêteurs travaillent sur votre affaire.</p></li>
<li><h3>Plainte enregistrée</h3><p>Votre plainte a été enregistrée par le service.</p></li></ol></section></main>
<script type="module" src="/dsfr/dsfr.module.min.js"></script></body></html>"""


def dsfr_app() -> Flask:
    """A minimal page with the design system's bundle, compressed like our own responses."""
    from webapp.compression import COMPRESSIBLE, choose_encoding, compress
    app = Flask(__name__)

    @app.get("/")
    def page():
        return DSFR_PAGE

    @app.get("/dsfr/<path:name>")
    def bundle(name):
        path = (DSFR / name).resolve()
        types = {".css": "text/css", ".js": "text/javascript", ".woff2": "font/woff2"}
        content_type = types.get(path.suffix, "application/octet-stream")
        data = path.read_bytes()
        encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
        headers = {"Cache-Control": "public, max-age=31536000, immutable"}
        if encoding and content_type in COMPRESSIBLE:
            data = compress(data, encoding, static=True)
            headers["Content-Encoding"] = encoding
        return Response(data, content_type=content_type, headers=headers)

    return app


def ensure_dsfr() -> None:
    if not (DSFR / "dsfr.min.css").exists():
        subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                       cwd=DSFR.parents[2], check=True)


def paint_time(page, url: str) -> float:
    page.goto(url, wait_until="commit")
    return page.evaluate(PAINTED) / 1000


def main(repeat: int = 3) -> None:
    ensure_dsfr()
    app, network, email, complaint_path = start()
    dsfr_network = NetworkEmulator(serve(dsfr_app()), **SLOW)
    results = {"cold": [], "warm": [], "offline": [], "dsfr": []}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        cookies = sign_in_cookies(browser, network.url, email)
        network.configure(**SLOW)
        url = network.url + complaint_path
        for _ in range(repeat):
            context = browser.new_context()
            context.add_cookies(cookies)
            page = context.new_page()
            results["cold"].append(paint_time(page, url))
            page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
            paint_time(page, url)  # this visit goes through the worker, which keeps the page
            network.wait_idle(0.5)
            results["warm"].append(paint_time(page, url))
            network.wait_idle(0.5)
            context.set_offline(True)
            results["offline"].append(paint_time(page, url))
            context.close()

            dsfr_context = browser.new_context()
            results["dsfr"].append(paint_time(dsfr_context.new_page(), dsfr_network.url + "/"))
            dsfr_context.close()
        browser.close()

    median = {key: statistics.median(values) for key, values in results.items()}
    print(f"link: 400 kbit/s down and up, 400 ms round trip; median of {repeat} runs, seconds to timeline painted")
    print(f"{'load':<42} {'seconds':>8} {'target':>8}")
    print(f"{'complaint page, cold':<42} {median['cold']:>8.2f} {'≤ 1.5':>8}")
    print(f"{'complaint page, warm (service worker)':<42} {median['warm']:>8.2f} {'≤ 0.3':>8}")
    print(f"{'complaint page, offline':<42} {median['offline']:>8.2f} {'≤ 0.3':>8}")
    print(f"{'design-system bundle page, cold':<42} {median['dsfr']:>8.2f}")
    print(f"ratio cold, design-system page / complaint page: {median['dsfr'] / median['cold']:.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
