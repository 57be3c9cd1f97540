"""The FranceConnect path in Chromium, through the local provider, as a victim would click it."""
from __future__ import annotations

import re
from datetime import date

from tests.browser.conftest import CspWatcher, axe_violations
from tests.factories import create_complaint, create_service, issue_code


def test_victim_activates_with_franceconnect_in_the_browser(app, live_server, browser_context):
    complaint = create_complaint(create_service(), victim_family_name="MARTIN", victim_given_names="Camille Louise",
                                 victim_birth_date=date(1988, 5, 14), victim_birth_place_code="69266",
                                 procedure_number="2026/121212")
    code = issue_code(complaint)
    page = browser_context().new_page()
    problems = CspWatcher(page)
    page.goto(f"{live_server}/activation#code={code}")
    assert page.locator(".fc-button").is_visible()
    assert axe_violations(page) == []
    page.click(".fc-button")
    page.wait_for_url(re.compile(r".*/dev-idp/franceconnect/api/v2/authorize.*"))
    assert axe_violations(page) == []
    page.check("text=Camille Louise MARTIN")
    page.click("button[value=accept]")
    page.wait_for_url(re.compile(r".*/mes-plaintes$"))
    assert "2026/121212" in page.locator("main").inner_text()
    assert problems.messages == []
