"""Web push for real: a local push service receives the message and the test decrypts it like a browser (RFC 8291)."""

from __future__ import annotations

import base64
import json

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from modules.notifications import services
from modules.notifications.models import Notification, PushSubscription
from modules.notifications.push import vapid_public_key
from tests.accounts.factories import UserFactory
from tests.helpers import host_of, logged_in_client
from tests.modules.notifications.helpers import BrowserKeys, berlin


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _subscribe(client, endpoint: str, keys: BrowserKeys):
    # Exactly what push.js posts: the browser's PushSubscription.toJSON().
    body = {"endpoint": endpoint, "expirationTime": None, "keys": {"p256dh": keys.p256dh, "auth": keys.auth}}
    return client.post("/notifications/push/subscribe/", json.dumps(body), content_type="application/json")


def _notify(user, **extra) -> dict:
    ids = services.notifications_create(
        user_ids=[user.pk], event="test.event", title="Straßensperrung Hauptstraße",
        body="Die Hauptstraße ist ab Montag gesperrt.", url="/news/sperrung/", dedupe_key="test:push:1",
        now=berlin(12), **extra,
    )
    return services.notifications_dispatch(notification_ids=ids)


def _verify_vapid(authorization: str, endpoint_origin: str) -> None:
    """The Authorization header is a VAPID JWT signed with the key whose public half the page hands out."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == vapid_public_key()
    header, claims, signature = fields["t"].split(".")
    assert json.loads(_unb64(claims))["aud"] == endpoint_origin
    raw = _unb64(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64(fields["k"]))
    public.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged


def test_a_notification_reaches_the_browser_encrypted_and_readable(in_town_a, push_service):
    # given: a resident whose browser subscribed through the subscription endpoint
    resident = UserFactory(email="push@example.org")
    keys = BrowserKeys.generate()
    client = logged_in_client(in_town_a, resident)
    assert _subscribe(client, push_service.endpoint(), keys).status_code == 201

    # when: something is sent to them
    counts = _notify(resident)

    # then: the push service got one aes128gcm message that only the browser's keys open
    assert counts["push"] == 1
    assert push_service.arrived.wait(5)
    (message,) = push_service.received
    assert message["path"] == "/push/browser-1"
    assert message["headers"]["content-encoding"] == "aes128gcm"
    assert int(message["headers"]["ttl"]) > 0
    _verify_vapid(message["headers"]["authorization"], push_service.url)
    payload = json.loads(keys.decrypt(message["body"]))
    assert payload == {
        "title": "Straßensperrung Hauptstraße",
        "body": "Die Hauptstraße ist ab Montag gesperrt.",
        "url": f"http://{host_of(in_town_a)}/news/sperrung/",
    }
    assert Notification.objects.get(user=resident).push_state == "sent"
    assert PushSubscription.objects.get(user=resident).last_success_at is not None


def test_urgent_push_asks_the_push_service_for_high_urgency(in_town_a, push_service):
    resident = UserFactory(email="eilig@example.org")
    keys = BrowserKeys.generate()
    services.push_subscription_save(user=resident, endpoint=push_service.endpoint(), p256dh=keys.p256dh,
                                    auth=keys.auth)
    _notify(resident, urgent=True, topic="urgent")
    assert push_service.arrived.wait(5)
    assert push_service.received[0]["headers"]["urgency"] == "high"


def test_a_gone_subscription_is_removed(in_town_a, push_service):
    # given: the browser uninstalled the app, the push service answers 410 Gone
    push_service.status = 410
    resident = UserFactory(email="weg@example.org")
    keys = BrowserKeys.generate()
    services.push_subscription_save(user=resident, endpoint=push_service.endpoint(), p256dh=keys.p256dh,
                                    auth=keys.auth)
    # when
    counts = _notify(resident)
    # then: the subscription is gone, the notification stays in the centre
    assert counts["push_gone"] == 1
    assert not PushSubscription.objects.filter(user=resident).exists()
    assert Notification.objects.filter(user=resident).count() == 1


def test_a_failing_push_service_does_not_stop_the_rest(in_town_a, push_service):
    push_service.status = 500
    resident = UserFactory(email="kaputt@example.org")
    keys = BrowserKeys.generate()
    services.push_subscription_save(user=resident, endpoint=push_service.endpoint(), p256dh=keys.p256dh,
                                    auth=keys.auth)
    _notify(resident)
    assert PushSubscription.objects.filter(user=resident).exists()  # kept: 500 is not "gone"
    assert Notification.objects.get(user=resident).push_state == "sent"


def test_a_push_address_on_the_servers_own_network_is_never_contacted(in_town_a, push_service, settings):
    # given: a browser (or someone posing as one) subscribed with an address inside the server's network
    settings.OUTBOUND_ALLOWED_NETWORKS = []  # production: loopback is not a push service
    resident = UserFactory(email="intern@example.org")
    keys = BrowserKeys.generate()
    services.push_subscription_save(user=resident, endpoint=push_service.endpoint(), p256dh=keys.p256dh,
                                    auth=keys.auth)
    # when
    _notify(resident)
    # then: nothing reached that address; the notification still waits in the centre
    assert push_service.received == []
    assert Notification.objects.get(user=resident).push_state == "sent"


def test_bad_subscriptions_are_refused_and_nothing_is_stored(in_town_a, push_service):
    resident = UserFactory(email="falsch@example.org")
    client = logged_in_client(in_town_a, resident)
    keys = BrowserKeys.generate()
    bad_bodies = [
        b"not json",
        json.dumps({"endpoint": push_service.endpoint(), "keys": {"p256dh": "AAAA", "auth": keys.auth}}),
        json.dumps({"endpoint": push_service.endpoint(), "keys": {"p256dh": keys.p256dh, "auth": "kurz"}}),
        json.dumps({"endpoint": "ftp://example.org/x", "keys": {"p256dh": keys.p256dh, "auth": keys.auth}}),
        json.dumps(["a", "list"]),
    ]
    for body in bad_bodies:
        response = client.post("/notifications/push/subscribe/", body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["ok"] is False
    assert not PushSubscription.objects.exists()


def test_plain_http_push_endpoints_are_refused_outside_tests(in_town_a, settings):
    settings.WEBPUSH_ALLOW_INSECURE_ENDPOINTS = False
    resident = UserFactory(email="http@example.org")
    client = logged_in_client(in_town_a, resident)
    response = _subscribe(client, "http://127.0.0.1:9/push/x", BrowserKeys.generate())
    assert response.status_code == 400
    assert not PushSubscription.objects.exists()


def test_subscribing_needs_a_login_and_unsubscribing_removes_only_your_own(in_town_a, client_a, push_service):
    assert _subscribe(client_a, push_service.endpoint(), BrowserKeys.generate()).status_code == 302
    owner = UserFactory(email="eigen@example.org")
    other = UserFactory(email="fremd@example.org")
    services.push_subscription_save(user=owner, endpoint=push_service.endpoint(), p256dh=BrowserKeys.generate().p256dh,
                                    auth=BrowserKeys.generate().auth)
    body = json.dumps({"endpoint": push_service.endpoint()})
    logged_in_client(in_town_a, other).post("/notifications/push/unsubscribe/", body, content_type="application/json")
    assert PushSubscription.objects.filter(user=owner).exists()
    logged_in_client(in_town_a, owner).post("/notifications/push/unsubscribe/", body, content_type="application/json")
    assert not PushSubscription.objects.exists()
