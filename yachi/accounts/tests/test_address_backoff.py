"""Per-address limits slow a guesser down without locking out the people who share
its address (a clinic's Wi-Fi, a carrier's NAT)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import STAFF_PASSWORD
from yachi.accounts.models import LoginFailure, SmsCode
from yachi.accounts.throttle import backoff_seconds
from yachi.messaging.providers.local import MemoryProvider

NAT = "10.3.3.3"


def after(seconds):
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds))


def post_json(api, path, body, ip=NAT):
    return api.client.post(f"/api/v1{path}", body, content_type="application/json", REMOTE_ADDR=ip)


def test_the_wait_doubles_from_the_allowance_up_to_the_cap(settings):
    settings.YACHI_IP_BACKOFF_MAX_SECONDS = 300
    waits = [backoff_seconds(count=n, allowance=30) for n in (0, 29, 30, 31, 32, 37, 38, 500)]
    assert waits == [0, 0, 2, 4, 8, 256, 300, 300]


@pytest.mark.django_db(transaction=True)
def test_thirty_bad_guesses_behind_one_nat_do_not_stop_a_neighbour_logging_in(api, settings):
    for n in range(30):
        post_json(api, "/auth/login", {"phone": f"139123{n:05d}", "code": "123456"})
    assert LoginFailure.objects.filter(ip=NAT).count() == 30

    assert post_json(api, "/auth/sms-code", {"phone": "13800000099"}).status_code == 202
    code = "".join(ch for ch in MemoryProvider.outbox[-1].text if ch.isdigit())[:6]
    slowed = post_json(api, "/auth/login", {"phone": "13800000099", "code": code})
    assert slowed.status_code == 429
    assert slowed.json()["code"] == "address_rate_limited"
    wait = int(slowed["Retry-After"])
    assert 0 < wait <= settings.YACHI_IP_BACKOFF_MAX_SECONDS
    assert "秒" in slowed.json()["message"]
    assert SmsCode.objects.get().attempts == 0  # the slowed try did not use up the code

    with after(wait):
        login = post_json(api, "/auth/login", {"phone": "13800000099", "code": code})
    assert login.status_code == 200, login.content
    assert login.json()["user"]["role"] == "patient"


@pytest.mark.django_db
def test_each_further_failure_makes_the_address_wait_longer(client, world, settings):
    settings.YACHI_LOGIN_IP_HOURLY_FAILURES = 3
    numbers = iter(f"1391111{n:04d}" for n in range(100))  # never one number's lockout

    def guess():
        return client.post(
            "/console/login/", {"phone": next(numbers), "password": "x"}, REMOTE_ADDR=NAT
        )

    for _ in range(3):
        assert guess().status_code == 401
    waits = []
    with time_machine.travel(timezone.now()) as clock:
        for _ in range(3):
            slowed = guess()
            assert slowed.status_code == 429
            waits.append(int(slowed["Retry-After"]))
            assert f"请等待 {waits[-1]} 秒" in slowed.content.decode()
            clock.shift(waits[-1])
            assert guess().status_code == 401
    assert waits == [2, 4, 8]
    assert LoginFailure.objects.filter(ip=NAT).count() == 6  # the slowed tries were not judged


@pytest.mark.django_db
def test_a_colleague_behind_a_guessing_address_logs_in_after_the_wait(client, world, settings):
    settings.YACHI_LOGIN_IP_HOURLY_FAILURES = 3
    for n in range(3):
        client.post(
            "/console/login/", {"phone": f"1391111000{n}", "password": "x"}, REMOTE_ADDR=NAT
        )
    desk = {"phone": world.clinic_a_front_desk.phone, "password": STAFF_PASSWORD}
    assert client.post("/console/login/", desk, REMOTE_ADDR=NAT).status_code == 429
    with after(settings.YACHI_IP_BACKOFF_MAX_SECONDS):
        assert client.post("/console/login/", desk, REMOTE_ADDR=NAT).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_many_codes_from_one_address_slow_it_but_a_neighbour_still_gets_one(api, settings):
    settings.YACHI_SMS_IP_HOURLY_LIMIT = 3
    for n in range(3):
        assert post_json(api, "/auth/sms-code", {"phone": f"1391234000{n}"}).status_code == 202
    slowed = post_json(api, "/auth/sms-code", {"phone": "13800000099"})
    assert slowed.status_code == 429
    assert slowed.json()["code"] == "address_rate_limited"
    assert int(slowed["Retry-After"]) == 2
    assert len(MemoryProvider.outbox) == 3
    with after(2):
        assert post_json(api, "/auth/sms-code", {"phone": "13800000099"}).status_code == 202
    assert MemoryProvider.outbox[-1].phone == "13800000099"
