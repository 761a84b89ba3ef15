"""Forwarded headers are believed only from the configured proxies: the address the
throttles count, the audit trail records and payment providers see, the request id,
and whether the request came over HTTPS."""

import pytest
from django.test import Client

from yachi.accounts.models import LoginFailure
from yachi.compliance.models import AuditAction, AuditEntry
from yachi.payments.models import CallbackRecord

pytestmark = pytest.mark.django_db

PEER = "198.51.100.7"
PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings):
    settings.YACHI_TRUSTED_PROXIES = ["10.0.0.0/8"]


def bad_login(client, peer, forwarded_for, phone="13912340001"):
    return client.post(
        "/api/v1/auth/login",
        {"phone": phone, "code": "123456"},
        content_type="application/json",
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_spoofed_forwarded_for_from_an_untrusted_peer_is_not_the_counted_address(client):
    for n in range(3):
        assert bad_login(client, PEER, f"203.0.113.{n}").status_code == 400
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {PEER}
    failed = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED)
    assert set(failed.values_list("ip", flat=True)) == {PEER}


def test_rotating_the_header_does_not_reset_the_sms_limit_of_an_address(client, settings):
    settings.YACHI_SMS_IP_HOURLY_LIMIT = 3
    answers = [
        client.post(
            "/api/v1/auth/sms-code",
            {"phone": f"1391234000{n}"},
            content_type="application/json",
            REMOTE_ADDR=PEER,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(4)
    ]
    assert answers == [202, 202, 202, 429]


def test_from_a_trusted_proxy_the_forwarded_client_is_counted(client, behind_proxy):
    # The client prepended "1.1.1.1" itself; the proxy appended the address it saw.
    assert bad_login(client, PROXY, "1.1.1.1, 203.0.113.5").status_code == 400
    assert bad_login(client, PROXY, "203.0.113.6, 10.0.0.9").status_code == 400
    assert sorted(LoginFailure.objects.values_list("ip", flat=True)) == [
        "203.0.113.5",
        "203.0.113.6",
    ]
    failed = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED)
    assert sorted(failed.values_list("ip", flat=True)) == ["203.0.113.5", "203.0.113.6"]


def notify(client, peer, forwarded_for):
    return client.post(
        "/payments/notify/simulator/",
        b'{"event": "paid", "out_trade_no": "nope", "amount_fen": 1}',
        content_type="application/json",
        headers={"X-Simulator-Signature": "forged"},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_payment_notifications_are_recorded_with_the_derived_address(client, settings):
    notify(client, PEER, "203.0.113.1")
    settings.YACHI_TRUSTED_PROXIES = ["10.0.0.0/8"]
    notify(client, PROXY, "203.0.113.1")
    recorded = CallbackRecord.objects.order_by("pk").values_list("remote_addr", flat=True)
    assert list(recorded) == [PEER, "203.0.113.1"]


def request_id_of(client, peer, chosen):
    response = client.get("/api/v1/health", REMOTE_ADDR=peer, HTTP_X_REQUEST_ID=chosen)
    return response["X-Request-ID"]


def test_a_client_cannot_choose_the_request_id_in_the_audit_trail(client):
    chosen = "attacker-chosen-id-0001"
    assert request_id_of(client, PEER, chosen) != chosen
    response = client.post(
        "/api/v1/auth/login",
        {"phone": "13912340001", "code": "123456"},
        content_type="application/json",
        REMOTE_ADDR=PEER,
        HTTP_X_REQUEST_ID=chosen,
    )
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.request_id == response["X-Request-ID"] != chosen


def test_a_trusted_proxy_passes_its_well_formed_request_id_on(client, behind_proxy):
    assert request_id_of(client, PROXY, "edge-4f2a9c1e") == "edge-4f2a9c1e"
    for malformed in ("short", "x" * 65, "with space in it", "id\u00e9-unicode-01"):
        assert request_id_of(client, PROXY, malformed) != malformed


def test_only_a_trusted_proxy_can_say_the_request_came_over_https(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    browser = Client()
    spoofed = browser.get("/api/v1/health", REMOTE_ADDR=PEER, HTTP_X_FORWARDED_PROTO="https")
    assert "Strict-Transport-Security" not in spoofed
    settings.YACHI_TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxied = browser.get("/api/v1/health", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    assert proxied["Strict-Transport-Security"] == "max-age=3600"
