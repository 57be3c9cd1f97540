"""A victim activates her space and reads her complaint in Chromium, as a person would; axe finds nothing."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import CspWatcher, axe_violations
from tests.factories import (PASSWORD, create_agent, create_complaint, create_document, create_event,
                             create_service, issue_code)
from webapp.models import AgentRole


@pytest.fixture
def enrolled(app):
    service = create_service("Commissariat de Rennes")
    agent = create_agent(service, AgentRole.INVESTIGATOR, full_name="Nora Said", grade="Lieutenante")
    complaint = create_complaint(service, agent=agent, investigator_public_id=agent.public_id,
                                 procedure_number="2026/777001")
    create_event(complaint, "enquete_en_cours", note="Les images de la gare sont en cours d'analyse.")
    create_document(complaint)
    return complaint, issue_code(complaint), agent


def assert_accessible(page, name: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{name}: {violations}"


def test_victim_activates_from_the_qr_link_and_reads_her_complaint(live_server, browser_context, enrolled):
    complaint, code, _ = enrolled
    context = browser_context(accept_downloads=True)
    page = context.new_page()
    problems = CspWatcher(page)

    page.goto(f"{live_server}/")
    assert_accessible(page, "home")

    # The QR code opens the activation page with the code after '#': the page fills it in and
    # removes it from the address bar.
    page.goto(f"{live_server}/activation#code={code}")
    assert page.locator("#code").input_value() == code
    assert "#" not in page.url and code not in page.url
    assert_accessible(page, "activation")

    # A wrong birth date first: one clear message, linked from the error summary.
    page.fill("#birth_day", "1")
    page.fill("#birth_month", "1")
    page.fill("#birth_year", "1970")
    page.click("main button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert "ne correspond pas" in page.locator(".error-summary").inner_text()
    assert_accessible(page, "activation with error")

    page.fill("#code", code)
    page.fill("#birth_day", "14")
    page.fill("#birth_month", "7")
    page.fill("#birth_year", "1990")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/activation/compte$"))
    assert "2026/777001" in page.content()
    assert_accessible(page, "account")

    page.fill("#email", "lea.durand@example.org")
    page.fill("#password", "mon vélo est bleu")
    page.fill("#password_confirmation", "mon vélo est bleu")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/mes-plaintes$"))
    assert "2026/777001" in page.locator(".alert-success").inner_text()
    assert_accessible(page, "mes plaintes")
    page.click(".complaint-list a")
    page.wait_for_url(re.compile(r".*/plaintes/[\w-]+$"))

    assert page.locator("h1").inner_text().startswith("Vol")
    timeline = page.locator("#chronologie")
    assert "Enquête en cours" in timeline.inner_text()
    assert "Les images de la gare" in timeline.inner_text()
    assert "Lieutenante Nora Said" in page.locator(".contact-card").inner_text()
    assert_accessible(page, "complaint")

    # The timeline refreshes itself through htmx, answered 304 when nothing changed.
    statuses = []
    page.on("response", lambda r: "/chronologie" in r.url and statuses.append(r.status))
    page.evaluate("htmx.trigger('#chronologie', 'refresh')")
    page.wait_for_timeout(500)
    page.evaluate("htmx.trigger('#chronologie', 'refresh')")
    page.wait_for_timeout(500)
    assert statuses and statuses[0] == 200
    assert "Enquête en cours" in page.locator("#chronologie").inner_text()

    with page.expect_download() as download_info:
        page.click(".document-link")
    download = download_info.value
    assert download.suggested_filename == "recepisse-plainte-2026-777001.pdf"
    assert open(download.path(), "rb").read().startswith(b"%PDF-")

    page.click("text=Se déconnecter")
    page.wait_for_url(re.compile(r".*/connexion$"))
    assert_accessible(page, "sign in")
    assert problems.messages == []


def test_activation_works_without_javascript(live_server, browser_context, enrolled):
    _, code, _ = enrolled
    page = browser_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server}/activation")
    page.fill("#code", code.lower())
    page.fill("#birth_day", "14")
    page.fill("#birth_month", "07")
    page.fill("#birth_year", "1990")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/activation/compte$"))
    page.fill("#email", "sans.js@example.org")
    page.fill("#password", "une phrase sans script")
    page.fill("#password_confirmation", "une phrase sans script")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/mes-plaintes$"))
    page.click(".complaint-list a")
    page.wait_for_url(re.compile(r".*/plaintes/[\w-]+$"))
    assert "Enquête en cours" in page.locator("#chronologie").inner_text()


def test_agent_pages_are_accessible(live_server, browser_context, enrolled):
    complaint, _, agent = enrolled
    page = browser_context().new_page()
    problems = CspWatcher(page)
    page.goto(f"{live_server}/agents/connexion")
    assert_accessible(page, "agent sign in")
    page.fill("#email", agent.email)
    page.fill("#password", PASSWORD)
    page.click("main form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/agents/$"))
    assert_accessible(page, "dashboard")
    page.goto(f"{live_server}/agents/plaintes/nouvelle")
    assert_accessible(page, "new complaint")
    page.click("main button[type=submit]")  # empty form: the errors are announced and linked
    page.locator(".error-summary").wait_for()
    assert_accessible(page, "new complaint with errors")
    page.goto(f"{live_server}/agents/plaintes/{complaint.public_id}")
    assert_accessible(page, "agent complaint")

    # htmx posts the event and swaps the timeline section in place.
    page.select_option("#event_code", "audience_fixee")
    page.click("#chronologie button[type=submit]")
    page.locator("#chronologie .alert-success").wait_for()
    assert "Audience fixée" in page.locator("#chronologie").inner_text()
    assert_accessible(page, "agent complaint after htmx")

    page.click("form[action$='lettre-activation'] button")
    page.locator(".letter svg").wait_for()
    assert page.locator("[data-print]").is_visible()  # the print button appears with JavaScript
    assert_accessible(page, "letter")
    assert problems.messages == []
