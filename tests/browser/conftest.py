"""Browser tests: the app served by a real HTTP server thread, driven in Debian's headless Chromium."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
REQUIRED = os.environ.get("SUIVI_REQUIRE_BROWSER") == "1"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def backend() -> str:
    """The browser journeys run on SQLite; the database layer is covered on both backends elsewhere."""
    return "sqlite"


@pytest.fixture(scope="session")
def playwright():
    if not Path(CHROMIUM).exists() or not AXE.exists():
        message = f"browser tests need {CHROMIUM} and {AXE} (apt-get install chromium; npm ci)"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def chromium(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def browser_context(chromium):
    contexts = []

    def make(**options):
        options.setdefault("bypass_csp", False)
        options.setdefault("locale", "fr-FR")
        context = chromium.new_context(**options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def axe_violations(page) -> list:
    """Run axe-core in the page (injected through the DevTools protocol, so the app's CSP stays strict)."""
    page.evaluate(AXE.read_text())
    return page.evaluate("""axe.run(document, {resultTypes: ['violations']})
        .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)})))""")


class CspWatcher:
    """Collects Content-Security-Policy violations and script errors reported by the page."""

    def __init__(self, page):
        self.messages: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.messages.append(str(error)))

    def _console(self, message) -> None:
        # Chromium also logs every 4xx answer (a form with errors is a 422): that is not a page problem.
        if message.type == "error" and not message.text.startswith("Failed to load resource: the server responded"):
            self.messages.append(message.text)
