"""The installable app in Chromium: service worker, offline reading, privacy on sign-out, updates."""
from __future__ import annotations

import io
import json
import re

import pytest
from PIL import Image

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, CspWatcher, axe_violations
from tests.factories import PASSWORD, create_complaint, create_document, create_service, create_victim, png_bytes


@pytest.fixture
def victim_with_documents(app):
    victim = create_victim()
    complaint = create_complaint(create_service(), victim=victim, procedure_number="2026/888001")
    receipt = create_document(complaint, kind="recepisse")
    statement = create_document(complaint, kind="proces_verbal")
    photo = create_document(complaint, content=png_bytes(), kind="autre")
    return victim, complaint, [receipt, statement, photo]


def sign_in(page, base_url, victim):
    page.goto(f"{base_url}/connexion")
    page.fill("#email", victim.email)
    page.fill("#password", PASSWORD)
    page.click("main form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/mes-plaintes$"))


def wait_for_worker(page):
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)


def cache_urls(page) -> dict:
    return page.evaluate("""async () => {
        const out = {};
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            out[name] = (await cache.keys()).map(r => new URL(r.url).pathname);
        }
        return out;
    }""")


def fetch_status(page, url) -> list:
    return page.evaluate("""url => fetch(url).then(async r => [r.status, (await r.text()).slice(0, 5)])
                               .catch(e => ['failed', String(e)])""", url)


def test_manifest_icons_and_install_criteria(app, client, live_server, playwright, tmp_path):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["name"] == "Suivi Plainte" and manifest["lang"] == "fr"
    assert manifest["start_url"] == "/mes-plaintes" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone" and manifest["theme_color"] and manifest["background_color"]
    sizes = {}
    for icon in manifest["icons"]:
        image = Image.open(io.BytesIO(client.get(icon["src"]).data))
        sizes[(icon["sizes"], icon["purpose"])] = image.size
    assert sizes == {("192x192", "any"): (192, 192), ("512x512", "any"): (512, 512),
                     ("512x512", "maskable"): (512, 512)}

    # Installability is judged on a real (non-incognito) browser profile.
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = context.new_page()
    page.goto(f"{live_server}/")
    wait_for_worker(page)
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/sw.js")
    cdp = context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    manifest_errors = cdp.send("Page.getAppManifest").get("errors", [])
    shell_caches = cache_urls(page)
    context.close()
    assert errors == [] and manifest_errors == []
    shell = [urls for name, urls in shell_caches.items() if name.startswith("sp-shell-")]
    assert shell and "/hors-ligne" in shell[0] and any(u.endswith("/app.css") for u in shell[0])


def test_complaint_and_opened_document_are_readable_offline(live_server, browser_context, victim_with_documents):
    victim, complaint, (receipt, statement, photo) = victim_with_documents
    context = browser_context(accept_downloads=True)
    page = context.new_page()
    problems = CspWatcher(page)
    sign_in(page, live_server, victim)
    wait_for_worker(page)
    complaint_url = f"{live_server}/plaintes/{complaint.public_id}"
    page.goto(complaint_url)
    receipt_url = f"/plaintes/{complaint.public_id}/documents/{receipt.public_id}"
    with page.expect_download():
        page.click(f"a[href='{receipt_url}']")

    context.set_offline(True)
    page.reload()
    assert "2026/888001" in page.locator("main").inner_text()
    banner = page.locator("[data-offline-banner]")
    assert banner.is_visible() and "Hors connexion — dernière mise à jour le" in banner.inner_text()
    page.locator("[data-offline-status]").first.wait_for()
    statuses = {row.get_attribute("data-document-url"): row.locator("[data-offline-status]").inner_text()
                for row in page.locator("[data-document-url]").all()}
    assert "Disponible sans connexion" in statuses[receipt_url]
    statement_url = f"/plaintes/{complaint.public_id}/documents/{statement.public_id}"
    assert statuses[statement_url] == "Pas encore disponible sans connexion"
    assert fetch_status(page, receipt_url) == [200, "%PDF-"]
    assert fetch_status(page, statement_url)[0] != 200
    assert axe_violations(page) == []

    # The switch downloads every document of the complaint, with progress, and keeps them.
    context.set_offline(False)
    page.check("#keep-documents")
    page.wait_for_function("() => document.querySelector('[data-keep-status]').textContent.includes('disponibles')")
    assert "Vos 3 documents sont disponibles sans connexion" in page.locator("[data-keep-status]").inner_text()
    context.set_offline(True)
    page.reload()
    page.wait_for_function("() => document.querySelector('#keep-documents').checked")
    for document in (statement, photo):
        url = f"/plaintes/{complaint.public_id}/documents/{document.public_id}"
        assert fetch_status(page, url)[0] == 200
    page.wait_for_function("() => document.querySelectorAll('.offline-yes').length === 3")

    # A page never opened gives the offline page, which lists what is available.
    page.goto(f"{live_server}/installer")
    assert "Vous êtes hors connexion" in page.locator("h1").inner_text()
    page.locator("[data-offline-pages] a").first.wait_for()
    listed = page.locator("[data-offline-list]").inner_text()
    assert "ma plainte" in listed and "Récépissé de dépôt de plainte" in listed
    assert axe_violations(page) == []
    assert problems.messages == []


def test_kept_complaint_gets_new_documents_automatically(app, live_server, browser_context, victim_with_documents):
    victim, complaint, _ = victim_with_documents
    context = browser_context()
    page = context.new_page()
    sign_in(page, live_server, victim)
    wait_for_worker(page)
    page.goto(f"{live_server}/plaintes/{complaint.public_id}")
    page.check("#keep-documents")
    page.wait_for_function("() => document.querySelector('[data-keep-status]').textContent.includes('disponibles')")
    summons = create_document(complaint, kind="convocation")
    page.reload()  # the service worker sees the new document on the kept complaint and fetches it
    url = f"/plaintes/{complaint.public_id}/documents/{summons.public_id}"
    page.wait_for_function("url => caches.match(url).then(Boolean)", arg=url, timeout=10_000)
    context.set_offline(True)
    assert fetch_status(page, url) == [200, "%PDF-"]


def test_sign_out_wipes_everything_of_the_victim(live_server, browser_context, victim_with_documents):
    victim, complaint, (receipt, *_) = victim_with_documents
    context = browser_context(accept_downloads=True)
    page = context.new_page()
    sign_in(page, live_server, victim)
    wait_for_worker(page)
    page.goto(f"{live_server}/plaintes/{complaint.public_id}")
    receipt_url = f"/plaintes/{complaint.public_id}/documents/{receipt.public_id}"
    with page.expect_download():
        page.click(f"a[href='{receipt_url}']")
    assert any(name.startswith("sp-user-") for name in cache_urls(page))

    page.click("text=Se déconnecter")
    page.wait_for_url(re.compile(r".*/connexion$"))
    leftovers = [url for urls in cache_urls(page).values() for url in urls
                 if url.startswith("/plaintes") or url.startswith("/mes-plaintes") or url.startswith("/__sp")]
    assert leftovers == []
    context.set_offline(True)
    assert fetch_status(page, receipt_url)[0] != 200
    offline_page = context.new_page()
    try:
        offline_page.goto(f"{live_server}/plaintes/{complaint.public_id}")
    except Exception as error:  # nothing kept: the browser's own "no internet" error
        assert "ERR_INTERNET_DISCONNECTED" in str(error)
    else:
        assert "2026/888001" not in offline_page.content()


def test_a_new_version_is_offered_and_replaces_the_old_caches(app, live_server, browser_context, victim_with_documents):
    victim, complaint, _ = victim_with_documents
    page = browser_context().new_page()
    sign_in(page, live_server, victim)
    wait_for_worker(page)
    old_shell = [n for n in cache_urls(page) if n.startswith("sp-shell-")]
    assert len(old_shell) == 1

    app.config["SW_VERSION_SALT"] = "deployment 2"
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    banner = page.locator("[data-update-banner]")
    banner.wait_for(state="visible", timeout=10_000)
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.click("[data-update-reload]")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function("old => caches.keys().then(ks => !ks.includes(old))", arg=old_shell[0], timeout=10_000)
    shells = [n for n in cache_urls(page) if n.startswith("sp-shell-")]
    assert len(shells) == 1 and shells != old_shell


def test_install_instructions_are_accessible(live_server, browser_context):
    page = browser_context().new_page()
    page.goto(f"{live_server}/installer")
    assert "Sur l'écran d'accueil" in page.content()
    assert axe_violations(page) == []


def test_app_works_without_a_service_worker(live_server, browser_context, victim_with_documents):
    victim, complaint, (receipt, *_) = victim_with_documents
    page = browser_context(service_workers="block", accept_downloads=True).new_page()
    sign_in(page, live_server, victim)
    page.goto(f"{live_server}/plaintes/{complaint.public_id}")
    assert "Plainte enregistrée" in page.locator("#chronologie").inner_text()
    assert page.locator("[data-offline-tools]").is_hidden()
    with page.expect_download() as download:
        page.click(f"a[href='/plaintes/{complaint.public_id}/documents/{receipt.public_id}']")
    assert download.value.suggested_filename.startswith("recepisse-plainte-2026-888001")


def test_install_button_uses_the_browsers_prompt(live_server, browser_context, victim_with_documents):
    victim, _, _ = victim_with_documents
    page = browser_context().new_page()
    sign_in(page, live_server, victim)
    assert page.locator("[data-install-button]").is_hidden()
    # Headless Chromium never offers installation by itself: hand the page the event it would receive.
    page.evaluate("""() => {
        const offer = new Event('beforeinstallprompt');
        offer.prompt = () => { window.installPrompted = true; };
        offer.userChoice = Promise.resolve({outcome: 'accepted'});
        window.dispatchEvent(offer);
    }""")
    page.click("[data-install-button]")
    assert page.evaluate("() => window.installPrompted") is True
    assert axe_violations(page) == []


def test_ios_visitors_get_the_share_menu_instructions(live_server, browser_context, victim_with_documents):
    victim, _, _ = victim_with_documents
    iphone = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
              "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")
    page = browser_context(user_agent=iphone).new_page()
    sign_in(page, live_server, victim)
    instructions = page.locator("[data-install-ios]")
    assert instructions.is_visible() and "Sur l'écran d'accueil" in instructions.inner_text()
