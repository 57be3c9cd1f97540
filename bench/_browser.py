"""Shared set-up of the Chromium benchmarks: the app served on a temporary database with a victim's
complaint, reached through the network emulator, and Chromium driven by Playwright."""
from __future__ import annotations

import os
import re
import shutil
import threading

from werkzeug.serving import make_server

from _app import bench_app
from _netem import NetworkEmulator

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
PASSWORD = "une phrase de passe solide"


def serve(app) -> int:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_port


def seeded_app():
    """The app with one victim and a realistic complaint: six milestones, three documents."""
    app = bench_app()
    from tests.factories import create_complaint, create_document, create_event, create_service, create_victim
    with app.app_context():
        victim = create_victim("camille@example.org")
        complaint = create_complaint(create_service("Commissariat de police de Lyon 3e arrondissement"),
                                     victim=victim, procedure_number="2026/004211", offence_code="cambriolage")
        for code in ("victime_entendue", "enquete_en_cours", "mis_en_cause_identifie", "mis_en_cause_entendu",
                     "transmis_parquet"):
            create_event(complaint, code, note="Une précision du service, écrite pour la victime.")
        for kind in ("recepisse", "proces_verbal", "avis"):
            create_document(complaint, kind=kind)
        return app, victim.email, f"/plaintes/{complaint.public_id}"


def sign_in_cookies(browser, base_url: str, email: str) -> list:
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.goto(f"{base_url}/connexion")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/mes-plaintes$"))
    cookies = context.cookies()
    context.close()
    return cookies


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def start(**network):
    app, email, complaint_path = seeded_app()
    network_emulator = NetworkEmulator(serve(app), **network)
    return app, network_emulator, email, complaint_path
