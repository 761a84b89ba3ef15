"""The patient's chat pages and the console's inbox."""

import pytest
from django.urls import reverse

from tests.factories import png_upload
from yachi.compliance.models import AuditEntry
from yachi.messaging.chat import services
from yachi.messaging.chat.models import QuickReply

pytestmark = pytest.mark.django_db


def test_the_patient_starts_a_conversation_and_writes(client, world):
    client.force_login(world.patient_parent)
    page = client.get(reverse("web:chat"))
    assert page.status_code == 200 and "静安店" in page.content.decode()
    started = client.post(
        reverse("web:chat_start"),
        {"clinic": str(world.clinic_a.public_id), "patient": str(world.patient_child.public_id)},
    )
    assert started.status_code == 302
    conversation = started["Location"]
    sent = client.post(conversation + "send/", {"text": "孩子门牙松了"})
    assert sent.status_code == 302
    as_json = client.post(
        conversation + "send/", {"text": "正常吗"}, headers={"Accept": "application/json"}
    )
    assert as_json.status_code == 201 and as_json.json()["seq"] == 2
    refused = client.post(
        conversation + "send/", {"text": ""}, headers={"Accept": "application/json"}
    )
    assert refused.status_code == 422 and refused.json()["code"] == "message_empty"
    picture = client.post(conversation + "send/", {"image": png_upload()})
    assert picture.status_code == 302
    shown = client.get(conversation).content.decode()
    assert "孩子门牙松了" in shown and "chat-image" in shown
    assert 'data-socket="ws/conversations/' in shown
    me = client.get(reverse("web:me")).content.decode()
    assert reverse("web:chat") in me


def test_older_messages_come_as_a_fragment(client, world, chat):
    for number in range(35):
        services.message_send(actor=world.patient_parent, conversation=chat, text=f"消息{number}")
    client.force_login(world.patient_parent)
    url = reverse("web:chat_conversation", args=[chat.public_id])
    page = client.get(url).content.decode()
    assert "消息34" in page and "消息0<" not in page and "?before=6" in page
    older = client.get(url, {"before": 6}).content.decode()
    assert "消息0" in older and "消息34" not in older
    assert client.get(url, {"before": "x"}).status_code == 422


def test_the_inbox_and_a_conversation_in_the_console(client, world, chat):
    services.message_send(actor=world.patient_parent, conversation=chat, text="在吗")
    client.force_login(world.clinic_a_front_desk)
    inbox = client.get(reverse("console:chat_inbox", args=[world.clinic_a.public_id]))
    assert inbox.status_code == 200 and "张小宝" in inbox.content.decode()
    url = reverse("console:chat_conversation", args=[world.clinic_a.public_id, chat.public_id])
    page = client.get(url)
    assert page.status_code == 200 and "在吗" in page.content.decode()
    assert AuditEntry.objects.filter(object_type="conversation").exists()
    chat.refresh_from_db()
    assert chat.staff_read_seq == chat.last_seq
    client.post(url + "assign/", {"assignee": str(world.clinic_a_doctor.user.public_id)})
    chat.refresh_from_db()
    assert chat.assignee_id == world.clinic_a_doctor.user_id
    client.post(url + "close/")
    chat.refresh_from_db()
    assert chat.status == "closed"
    # Another clinic's staff: not found.
    client.force_login(world.clinic_b_front_desk)
    other = reverse("console:chat_conversation", args=[world.clinic_b.public_id, chat.public_id])
    assert client.get(other).status_code == 404


def test_quick_replies_are_kept_by_the_desk(client, world):
    client.force_login(world.clinic_a_front_desk)
    url = reverse("console:chat_quick_replies", args=[world.clinic_a.public_id])
    assert client.post(url, {"title": "地址", "text": "南京西路 1 号"}).status_code == 302
    reply = QuickReply.objects.get(clinic=world.clinic_a)
    edit = reverse("console:chat_quick_reply", args=[world.clinic_a.public_id, reply.public_id])
    client.post(edit, {"title": "地址", "text": "南京西路 2 号"})
    reply.refresh_from_db()
    assert reply.text == "南京西路 2 号"
    client.post(edit, {"action": "delete"})
    assert not QuickReply.objects.exists()
    client.force_login(world.clinic_a_doctor.user)
    assert client.get(url).status_code == 403
