"""SMS carry short links (``/s/<code>``, 8 characters) that expire with what they point
to; the inbox shows the text with a button, never a raw URL."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from yachi.messaging import services
from yachi.messaging.providers.local import MemoryProvider

pytestmark = pytest.mark.django_db(transaction=True)
LONG = "/a/eyJhIjoiM2Y2YjE4YjQtZTg4Yy00ZjFjLWI4ZTAtMjU1ZTkzYjQ0Y2FlIiwicyI6IjIwMjYtMTItMDQifQ:1wXyZq:abcdefghijklmnopqrstuvwxyz0123456789ABCD/"
PARAMS = {"patient": "张妈妈", "service": "洁牙", "doctor": "王医生", "clinic": "静安店"}
SHORT = re.compile(r"http://127\.0\.0\.1:8000/s/([A-Za-z0-9]{8})(?![A-Za-z0-9/])")


def remind(user, *, key="short", expires=None, **changes):
    return services.notify(
        recipient=user,
        kind="appointment_reminder",
        params={**PARAMS, "link": f"{settings.YACHI_PUBLIC_URL}{LONG}"},
        key=key,
        link_expires_at=expires or timezone.now() + timedelta(days=3),
        **changes,
    )


def test_an_sms_carries_a_short_link_not_the_long_token(world, settings):
    settings.YACHI_PUBLIC_URL = "http://127.0.0.1:8000"
    remind(world.patient_parent)
    [sms] = MemoryProvider.outbox
    assert LONG not in sms.text and "/a/" not in sms.text
    assert SHORT.search(sms.text), sms.text
    assert SHORT.search(sms.params["link"])  # what the vendor's template gets


def test_the_short_link_leads_to_the_page_until_it_expires(client, world):
    expires = timezone.now() + timedelta(days=3)
    remind(world.patient_parent, expires=expires)
    code = SHORT.search(MemoryProvider.outbox[0].text)[1]

    response = client.get(f"/s/{code}")
    assert response.status_code == 302 and response["Location"] == LONG
    with time_machine.travel(expires + timedelta(seconds=1)):
        gone = client.get(f"/s/{code}")
    assert gone.status_code == 404 and "链接已失效" in gone.content.decode()
    assert client.get("/s/AAAAAAAA").status_code == 404


def test_messages_with_the_same_link_share_one_code(world):
    remind(world.patient_parent, key="24h")
    remind(world.patient_parent, key="2h")
    codes = {SHORT.search(m.text)[1] for m in MemoryProvider.outbox}
    assert len(codes) == 1


def test_the_inbox_shows_a_button_never_a_raw_url(client, api, world):
    remind(world.patient_parent)
    client.force_login(world.patient_parent)
    page = client.get("/notifications/").content.decode()

    [button] = re.findall(r'<a class="button[^"]*" href="(/s/[A-Za-z0-9]{8})">确认或取消</a>', page)
    assert "http://" not in page and LONG not in page
    assert client.get(button).status_code == 302

    api.as_user(world.patient_parent)
    [item] = api.get("/notifications", {"scope": "inbox"}).json()
    assert "http" not in item["text"] and "/s/" not in item["text"]
    assert (item["action"], item["link"]) == ("确认或取消", button)


def test_the_inbox_button_follows_the_address_served_now(client, world, settings):
    settings.YACHI_PUBLIC_URL = "http://127.0.0.1:8801"
    remind(world.patient_parent)
    settings.YACHI_PUBLIC_URL = "https://yachi.example.cn"
    client.force_login(world.patient_parent)
    page = client.get("/notifications/").content.decode()
    assert re.search(r'href="/s/[A-Za-z0-9]{8}"', page) and "8801" not in page
