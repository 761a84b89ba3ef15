"""The family's conversations in their data download, and gone when they erase."""

import io
import json
import zipfile

import pytest

from tests.factories import png_upload
from yachi.compliance.facade import personal_data_erase, personal_data_export
from yachi.messaging.chat import services
from yachi.messaging.chat.models import ChatMessage, Conversation

pytestmark = pytest.mark.django_db


def test_the_download_holds_the_conversations_and_their_pictures(world, chat):
    services.message_send(actor=world.patient_parent, conversation=chat, text="孩子牙疼")
    services.message_send(actor=world.patient_parent, conversation=chat, image=png_upload())
    _name, content = personal_data_export(user=world.patient_parent)
    archive = zipfile.ZipFile(io.BytesIO(content))
    data = json.loads(archive.read("data.json"))
    [conversation] = data["conversations"]
    assert conversation["clinic"] == "静安店" and conversation["patient"] == "张小宝"
    assert conversation["messages"][0]["text"] == "孩子牙疼"
    picture = conversation["messages"][1]["file"]
    assert archive.read(picture).startswith(b"\x89PNG")


def test_erasure_deletes_the_conversations_and_leaves_others(world, chat):
    services.message_send(actor=world.patient_parent, conversation=chat, text="再见")
    theirs = services.conversation_open(
        actor=world.other_patient, clinic_id=world.clinic_a.public_id
    ).conversation
    services.message_send(actor=world.other_patient, conversation=theirs, text="你好")
    result = personal_data_erase(user=world.patient_parent)
    assert not Conversation.objects.filter(owner=world.patient_parent).exists()
    assert ChatMessage.objects.filter(conversation=theirs).count() == 1
    assert any("conversations" in text or "对话" in text for text in result.deleted)
