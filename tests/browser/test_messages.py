"""Messages in Chromium: a photo sent over a slow network without double send; the agents' dashboard
with and without JavaScript; axe on the thread, withdrawal and dashboard pages."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.browser.conftest import CspWatcher, axe_violations
from tests.browser.test_offline import sign_in
from tests.factories import PASSWORD, create_agent, create_complaint, create_service, create_victim
from tests.messages.test_messages import jpeg_with_gps
from webapp.extensions import db
from webapp.models import AgentRole, Message, MessageAttachment


def test_victim_sends_a_photo_on_a_slow_network_once(app, live_server, browser_context, tmp_path):
    victim = create_victim()
    complaint = create_complaint(create_service(), victim=victim)
    photo = tmp_path / "porte.jpg"
    photo.write_bytes(jpeg_with_gps() + b"\0" * 0)
    context = browser_context(service_workers="block")
    page = context.new_page()
    problems = CspWatcher(page)
    sign_in(page, live_server, victim)
    page.goto(f"{live_server}/plaintes/{complaint.public_id}/messages")
    assert axe_violations(page) == []

    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 400,
                                                  "downloadThroughput": 50_000, "uploadThroughput": 50_000})
    page.fill("#body", "Voici la photo de la porte forcée.")
    page.set_input_files("#attachments", str(photo))
    button = page.locator("#fil button[type=submit]")
    button.click()
    indicator = page.locator("#fil .sending")
    indicator.wait_for(state="visible")
    assert button.is_disabled()           # a second tap cannot send it again…
    button.click(force=True, no_wait_after=True, timeout=2000)
    page.locator("#fil .alert-success").wait_for(timeout=20_000)
    assert "Voici la photo de la porte forcée." in page.locator("#fil .thread").inner_text()
    assert db.session.scalar(select(func.count(Message.id))) == 1      # …and did not
    assert db.session.scalar(select(func.count(MessageAttachment.id))) == 1
    assert page.locator("#body").input_value() == ""                   # a fresh form for the next message
    assert axe_violations(page) == []
    assert problems.messages == []


def test_withdrawal_page_is_accessible(app, live_server, browser_context):
    victim = create_victim()
    complaint = create_complaint(create_service(), victim=victim)
    page = browser_context().new_page()
    sign_in(page, live_server, victim)
    page.goto(f"{live_server}/plaintes/{complaint.public_id}/retrait")
    assert axe_violations(page) == []
    page.click("main button[type=submit]")  # without the confirmation: a clear error
    page.locator(".error-summary").wait_for()
    assert axe_violations(page) == []
    page.check("#confirm")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/plaintes/[\w-]+$"))
    assert "Demande de retrait envoyée" in page.locator("#chronologie").inner_text()
    page.goto(f"{live_server}/plaintes/{complaint.public_id}/retrait")
    assert axe_violations(page) == []


def agent_signs_in(page, base_url, agent):
    page.goto(f"{base_url}/agents/connexion")
    page.fill("#email", agent.email)
    page.fill("#password", PASSWORD)
    page.click("main form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/agents/$"))


def test_agent_works_through_the_dashboard_without_javascript(app, live_server, browser_context):
    service = create_service()
    agent = create_agent(service, AgentRole.INVESTIGATOR)
    victim = create_victim()
    complaint = create_complaint(service, agent=agent, victim=victim, procedure_number="2026/909090")
    db.session.add(Message(complaint_id=complaint.id, author_kind="victim", body="Avez-vous du nouveau ?"))
    db.session.commit()
    from webapp.audit import Actor
    from webapp.messages.withdrawal import request_withdrawal
    request_withdrawal(complaint, "", Actor.for_victim(victim))

    page = browser_context(java_script_enabled=False).new_page()
    agent_signs_in(page, live_server, agent)
    page.click("text=Messages non lus")
    assert "2026/909090" in page.locator("table").inner_text()
    page.click("text=2026/909090")
    page.fill("#body", "Pas encore, je vous tiens informée.")
    page.click("#messages button[type=submit]")
    page.wait_for_url(re.compile(r".*#messages$"))
    assert "Pas encore, je vous tiens informée." in page.locator("#messages").inner_text()
    page.click("#retrait button[type=submit]")
    assert "Demande de retrait prise en compte" in page.locator("#chronologie").inner_text()
    page.goto(f"{live_server}/agents/?filtre=retraits")
    assert "2026/909090" not in page.content()


def test_dashboard_counts_refresh_and_pages_are_accessible(app, live_server, browser_context):
    service = create_service()
    agent = create_agent(service, AgentRole.SERVICE_ADMIN)
    complaint = create_complaint(service, agent=agent, victim=create_victim())
    page = browser_context().new_page()
    problems = CspWatcher(page)
    agent_signs_in(page, live_server, agent)
    assert axe_violations(page) == []
    unread = page.locator("#filtres a", has_text="Messages non lus").locator(".count")
    assert unread.inner_text() == "0"
    db.session.add(Message(complaint_id=complaint.id, author_kind="victim", body="Bonjour"))
    db.session.commit()
    page.evaluate("() => htmx.trigger('#filtres', 'refresh')")  # what the 30-second timer does
    page.wait_for_function("() => document.querySelector('#filtres a[href*=non-lus] .count').textContent === '1'")
    page.goto(f"{live_server}/agents/plaintes/{complaint.public_id}")
    assert axe_violations(page) == []
    page.goto(f"{live_server}/agents/alertes")
    assert axe_violations(page) == []
    assert problems.messages == []
