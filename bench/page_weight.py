"""Bytes transferred for the cold load of each main page, measured in real Chromium.

Cold: a new browser profile (empty HTTP cache, no service worker yet). Every byte the browser receives
is counted at the wire (response headers included, bodies compressed as served), with and without the
service worker script and what it pre-caches on first visit; these pages load no document file.
Budget for the complaint page: 30 KB.
Usage: .venv/bin/python bench/page_weight.py
"""
from __future__ import annotations

from playwright.sync_api import sync_playwright

from _browser import launch, sign_in_cookies, start

BUDGET = 30 * 1024


def cold_bytes(browser, network, url: str, cookies=None, service_workers: str = "allow") -> int:
    context = browser.new_context(service_workers=service_workers)
    if cookies:
        context.add_cookies(cookies)
    page = context.new_page()
    network.reset_count()
    page.goto(url, wait_until="load")
    network.wait_idle(quiet=1.0)
    total = network.down.carried  # received by the phone: what a data plan counts and a slow link waits for
    context.close()
    return total


def main() -> None:
    app, network, email, complaint_path = start()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        cookies = sign_in_cookies(browser, network.url, email)
        pages = [("sign-in (/connexion)", "/connexion", None), ("Mes plaintes", "/mes-plaintes", cookies),
                 ("complaint page", complaint_path, cookies)]
        print(f"{'page':<24} {'cold, with SW (bytes)':>22} {'cold, no SW (bytes)':>20}")
        results = {}
        for label, path, page_cookies in pages:
            with_sw = cold_bytes(browser, network, network.url + path, page_cookies)
            without_sw = cold_bytes(browser, network, network.url + path, page_cookies, service_workers="block")
            results[label] = (with_sw, without_sw)
            print(f"{label:<24} {with_sw:>22} {without_sw:>20}")
        browser.close()
    with_sw, page_only = results["complaint page"]
    for label, size in [("page itself (HTML, CSS, JS)", page_only), ("with the worker's first install", with_sw)]:
        verdict = "within" if size <= BUDGET else "OVER"
        print(f"complaint page cold, {label}: {size / 1024:.1f} KB, {verdict} the {BUDGET // 1024} KB budget "
              f"({size / BUDGET:.0%})")


if __name__ == "__main__":
    main()
