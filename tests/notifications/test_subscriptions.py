"""Subscribing a browser, devices and preferences, and the refusals that keep the server from being
made to POST anywhere (SSRF)."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from tests.factories import create_complaint, create_event, create_service, create_victim, sign_in_victim
from tests.notifications.helpers import notifications
from webapp.extensions import db
from webapp.models import Complaint, Notification, PushSubscription
from webapp.notifications.subscriptions import DEFAULT_PUSH_HOSTS

ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"


def csrf_of(client) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', client.text("/mes-plaintes")).group(1)


def post_subscription(client, data, csrf=True):
    headers = {"Content-Type": "application/json", "User-Agent": ANDROID}
    if csrf:
        headers["X-CSRFToken"] = csrf_of(client)
    return client.post("/notifications/abonnements", data=json.dumps(data), headers=headers)


@pytest.fixture
def victim_client(app, client):
    victim = create_victim()
    create_complaint(create_service(), victim=victim)
    sign_in_victim(client, victim)
    return victim


def count() -> int:
    return db.session.scalar(select(func.count(PushSubscription.id)))


def test_victim_subscribes_a_phone_and_sees_it(client, victim_client, push_service):
    response = post_subscription(client, push_service.new_subscriber().subscription_info())
    assert response.status_code == 201 and response.get_json()["device"] == "Téléphone Android"
    page = client.text("/mes-alertes")
    assert "Téléphone Android, depuis le" in page
    # The same browser subscribing again updates its row.
    assert count() == 1


def test_subscription_without_csrf_token_is_refused(client, victim_client, push_service):
    response = post_subscription(client, push_service.new_subscriber().subscription_info(), csrf=False)
    assert response.status_code == 400 and count() == 0


def valid_keys(push_service) -> dict:
    return push_service.new_subscriber().subscription_info()["keys"]


@pytest.mark.parametrize("endpoint", [
    "http://fcm.googleapis.com/fcm/send/abc",             # not https
    "https://127.0.0.1/push/abc",                          # loopback
    "https://10.0.0.7/push/abc",                           # private address
    "https://169.254.169.254/latest/meta-data",            # cloud metadata
    "https://push.example.org/abc",                        # unknown host
    "https://fcm.googleapis.com.evil.example/abc",         # look-alike
    "https://fcm.googleapis.com@evil.example/abc",         # credentials trick
    "https://evil.example/fcm.googleapis.com",
    "ftp://updates.push.services.mozilla.com/x",
])
def test_endpoints_outside_the_push_services_are_refused(app_factory, push_service, endpoint):
    app = app_factory(PUSH_SERVICE_HOSTS=DEFAULT_PUSH_HOSTS)
    from tests.webclient import Client
    client = Client(app)
    with app.app_context():
        victim = create_victim()
        sign_in_victim(client, victim)
        response = post_subscription(client, {"endpoint": endpoint, "keys": valid_keys(push_service)})
        assert response.status_code == 400
        assert response.get_json()["error"]
        assert count() == 0


@pytest.mark.parametrize("endpoint", [
    "https://fcm.googleapis.com/fcm/send/dGVzdA",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
    "https://web.push.apple.com/QGx0ZXN0",
    "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
])
def test_real_push_services_are_accepted_by_default(app_factory, push_service, endpoint):
    app = app_factory(PUSH_SERVICE_HOSTS=DEFAULT_PUSH_HOSTS)
    from tests.webclient import Client
    client = Client(app)
    with app.app_context():
        sign_in_victim(client, create_victim())
        assert post_subscription(client, {"endpoint": endpoint, "keys": valid_keys(push_service)}).status_code == 201


@pytest.mark.parametrize("keys", [
    {},
    {"p256dh": "not base64 !!", "auth": "AAAAAAAAAAAAAAAAAAAAAA"},
    {"p256dh": "BAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"},  # too short
    "MISSING_AUTH",
    "SHORT_AUTH",
])
def test_malformed_keys_are_refused(client, victim_client, push_service, keys):
    good = valid_keys(push_service)
    if keys == "MISSING_AUTH":
        keys = {"p256dh": good["p256dh"]}
    elif keys == "SHORT_AUTH":
        keys = {"p256dh": good["p256dh"], "auth": "AAAA"}
    response = post_subscription(client, {"endpoint": push_service.new_subscriber().endpoint, "keys": keys})
    assert response.status_code == 400 and count() == 0


def test_not_json_at_all_is_refused(client, victim_client):
    response = client.post("/notifications/abonnements", data="endpoint=x",
                           headers={"X-CSRFToken": csrf_of(client)})
    assert response.status_code == 400 and count() == 0


def test_victim_removes_a_device(client, other_client, victim_client, push_service):
    post_subscription(client, push_service.new_subscriber().subscription_info())
    device = db.session.scalar(select(PushSubscription))
    # Another victim cannot remove it.
    sign_in_victim(other_client, create_victim())
    response = other_client.submit("/mes-alertes", action=f"/mes-alertes/appareils/{device.public_id}/retirer")
    assert response.status_code == 404 and count() == 1
    response = client.submit("/mes-alertes", action=f"/mes-alertes/appareils/{device.public_id}/retirer")
    assert response.status_code == 302 and count() == 0


def test_signing_out_of_a_device_removes_its_subscription(client, other_client, victim_client, push_service):
    post_subscription(client, push_service.new_subscriber().subscription_info())
    sign_in_victim(other_client, victim_client)  # her second device
    post_subscription(other_client, push_service.new_subscriber().subscription_info())
    assert count() == 2
    client.submit("/mes-plaintes", action="/deconnexion")
    assert count() == 1


def test_preferences_choose_the_channels(client, victim_client, push_service):
    complaint = db.session.scalar(select(Complaint))
    post_subscription(client, push_service.new_subscriber().subscription_info())
    response = client.submit("/mes-alertes", data={"email_enabled": "y", "notification_email": "Alertes@Example.org"})
    assert response.status_code == 302
    create_event(complaint, "enquete_en_cours")
    rows = notifications()
    assert [(n.channel, n.email_address) for n in rows] == [("email", "alertes@example.org")]
    client.submit("/mes-alertes", data={"push_enabled": "y"})
    create_event(complaint, "transmis_parquet")
    assert [n.channel for n in notifications()[1:]] == ["push"]
    bad = client.submit("/mes-alertes", data={"email_enabled": "y", "notification_email": "pas une adresse"})
    assert bad.status_code == 422 and db.session.scalar(select(func.count(Notification.id))) == 2


def test_complaint_page_offers_alerts_with_the_public_key(client, victim_client):
    complaint = db.session.scalar(select(Complaint))
    page = client.text(f"/plaintes/{complaint.public_id}")
    key = re.search(r'data-vapid-key="([^"]+)"', page).group(1)
    import base64
    assert len(base64.urlsafe_b64decode(key + "==")) == 65
    assert "Recevoir une alerte quand ma plainte avance" in page
