"""Alerts in Chromium: the subscribe button's wiring, and a push delivered to the service worker."""
from __future__ import annotations

import json
import re

from sqlalchemy import select

from tests.browser.conftest import axe_violations
from tests.browser.test_offline import sign_in, wait_for_worker
from tests.factories import create_complaint, create_service, create_victim
from webapp.extensions import db
from webapp.models import PushSubscription


def test_victim_subscribes_from_the_complaint_page(app, live_server, browser_context, push_service):
    victim = create_victim()
    complaint = create_complaint(create_service(), victim=victim)
    subscription = push_service.new_subscriber().subscription_info()
    context = browser_context()
    context.grant_permissions(["notifications"], origin=live_server)
    # Headless Chromium has no push service to register with: hand the page the subscription a browser
    # would return, to test the page's wiring (permission, subscribe, POST with CSRF) end to end.
    context.add_init_script(f"""
        PushManager.prototype.subscribe = function (options) {{
            window.subscribeOptions = options;
            const data = {json.dumps(subscription)};
            return Promise.resolve({{toJSON: () => data, endpoint: data.endpoint}});
        }};
        PushManager.prototype.getSubscription = () => Promise.resolve(null);
    """)
    page = context.new_page()
    sign_in(page, live_server, victim)
    wait_for_worker(page)
    page.goto(f"{live_server}/plaintes/{complaint.public_id}")
    page.click("[data-push-subscribe]")
    status = page.locator("#alertes [data-push-status]")
    status.filter(has_text="C'est fait").wait_for()
    assert page.evaluate("() => window.subscribeOptions.userVisibleOnly") is True
    assert page.evaluate("() => window.subscribeOptions.applicationServerKey.length") == 65
    stored = db.session.scalar(select(PushSubscription))
    assert stored.endpoint == subscription["endpoint"] and stored.victim_id == victim.id
    assert axe_violations(page) == []
    page.goto(f"{live_server}/mes-alertes")
    assert "(cet appareil)" in page.locator(".devices").inner_text()
    assert axe_violations(page) == []


def test_refused_permission_gets_a_kind_explanation(app, live_server, browser_context):
    victim = create_victim()
    complaint = create_complaint(create_service(), victim=victim)
    context = browser_context()
    context.add_init_script("Notification.requestPermission = () => Promise.resolve('denied');")
    page = context.new_page()
    sign_in(page, live_server, victim)
    page.goto(f"{live_server}/plaintes/{complaint.public_id}")
    page.click("[data-push-subscribe]")
    status = page.locator("#alertes [data-push-status]")
    status.filter(has_text="par e-mail").wait_for()
    assert db.session.scalar(select(PushSubscription)) is None


def test_push_shows_a_discreet_notification_and_refreshes_the_open_page(app, live_server, browser_context):
    from webapp.notifications.outbox import push_payload
    victim = create_victim()
    complaint = create_complaint(create_service(), victim=victim, offence_code="violences",
                                 procedure_number="2026/135790")
    payload = json.loads(push_payload(complaint))
    context = browser_context()
    context.grant_permissions(["notifications"], origin=live_server)
    page = context.new_page()
    sign_in(page, live_server, victim)
    wait_for_worker(page)
    page.goto(f"{live_server}/plaintes/{complaint.public_id}")
    refreshes = []
    page.on("request", lambda r: r.url.endswith("/chronologie") and refreshes.append(r))

    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    page.wait_for_timeout(300)
    registration_id = registrations[0]["registrationId"]
    cdp.send("ServiceWorker.deliverPushMessage", {"origin": live_server, "registrationId": registration_id,
                                                  "data": json.dumps(payload)})
    page.wait_for_function("""() => navigator.serviceWorker.ready.then(r => r.getNotifications())
                                  .then(list => list.length === 1)""")
    [shown] = page.evaluate("""() => navigator.serviceWorker.ready.then(r => r.getNotifications())
        .then(list => list.map(n => ({title: n.title, body: n.body, tag: n.tag, data: n.data, icon: n.icon})))""")
    assert shown["title"] == "Suivi Plainte" and shown["body"] == "Du nouveau sur votre plainte"
    assert shown["tag"] == payload["tag"] and shown["data"]["url"] == f"/plaintes/{complaint.public_id}"
    assert re.search(r"/assets/[0-9a-f]{12}/icons/icon-192\.png$", shown["icon"])
    text = json.dumps(shown)
    assert "2026/135790" not in text and "iolences" not in text
    page.wait_for_timeout(300)
    assert refreshes, "the open complaint page refreshes its timeline when a push arrives"
