"""Conversations and their messages: sequence numbers, read receipts, unread counts,
picking up, handing over, closing and reopening; text encrypted at rest."""

import pytest
from django.db import connection

from conftest import tomorrow_at
from tests import factories as f
from yachi.booking.services import appointments_book
from yachi.compliance.models import AuditEntry
from yachi.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from yachi.messaging.chat import selectors, services
from yachi.messaging.chat.access import access_conversation_by_id
from yachi.messaging.chat.choices import ConversationStatus, Event, MessageKind, Side
from yachi.messaging.chat.models import ChatMessage, Conversation

pytestmark = pytest.mark.django_db


def test_a_family_has_one_conversation_per_patient_and_clinic(world, chat):
    again = services.conversation_open(
        actor=world.patient_parent,
        clinic_id=world.clinic_a.public_id,
        patient_id=world.patient_child.public_id,
    )
    assert again.conversation.pk == chat.pk and not again.created
    holder = services.conversation_open(
        actor=world.patient_parent, clinic_id=world.clinic_a.public_id
    )
    assert holder.created and holder.conversation.patient_id == world.parent.pk
    assert chat.owner_id == world.patient_parent.pk


def test_nobody_opens_a_conversation_for_another_family_or_as_staff(world):
    with pytest.raises(NotFound):
        services.conversation_open(
            actor=world.patient_parent,
            clinic_id=world.clinic_a.public_id,
            patient_id=world.other.public_id,
        )
    with pytest.raises(PermissionDenied):
        services.conversation_open(
            actor=world.clinic_a_front_desk, clinic_id=world.clinic_a.public_id
        )
    with pytest.raises(NotFound):
        services.conversation_open(actor=world.patient_parent, clinic_id="not-a-clinic")
    assert not Conversation.objects.exists()


def test_messages_are_numbered_in_order_and_their_text_is_encrypted(world, chat):
    first = services.message_send(actor=world.patient_parent, conversation=chat, text="牙疼怎么办")
    second = services.message_send(actor=world.patient_parent, conversation=chat, text="还在疼")
    assert (first.seq, second.seq) == (1, 2)
    chat.refresh_from_db()
    assert chat.last_seq == 2 and chat.patient_read_seq == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM messaging_chatmessage WHERE id = %s", [first.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("sm4gcm:v1:") and "牙疼" not in stored
    assert ChatMessage.objects.get(pk=first.pk).text == "牙疼怎么办"


def test_bad_text_is_refused_and_changes_nothing(world, chat):
    for text in ("", "   ", "x" * 2001, "bell\x07"):
        with pytest.raises(InvalidInput):
            services.message_send(actor=world.patient_parent, conversation=chat, text=text)
    chat.refresh_from_db()
    assert chat.last_seq == 0 and not ChatMessage.objects.exists()


def test_staff_answering_picks_the_conversation_up_and_unread_counts_follow(world, chat):
    services.message_send(actor=world.patient_parent, conversation=chat, text="你好")
    [row] = selectors.inbox_of(clinic_pk=world.clinic_a.pk, actor=world.clinic_a_front_desk)
    assert row.unread == 1 and row.patient == "张小宝"
    services.message_send(actor=world.clinic_a_front_desk, conversation=chat, text="您好，请讲")
    chat.refresh_from_db()
    assert chat.status == ConversationStatus.ASSIGNED
    assert chat.assignee_id == world.clinic_a_front_desk.pk
    kinds = list(chat.messages.order_by("seq").values_list("kind", "event", "side"))
    assert kinds == [
        (MessageKind.TEXT, "", Side.PATIENT),
        (MessageKind.EVENT, Event.PICKED_UP, Side.SYSTEM),
        (MessageKind.TEXT, "", Side.STAFF),
    ]
    [mine] = selectors.conversations_of_owner(user=world.patient_parent)
    assert mine.unread == 1  # the clinic's answer; the notice is not counted
    assert selectors.unread_of_owner(user=world.patient_parent) == 1
    services.conversation_read(actor=world.patient_parent, conversation=chat)
    assert selectors.unread_of_owner(user=world.patient_parent) == 0
    assert chat.patient_read_seq == 3


def test_read_receipts_never_move_back_or_past_the_log(world, chat):
    for text in ("一", "二", "三"):
        services.message_send(actor=world.clinic_a_front_desk, conversation=chat, text=text)
    assert services.conversation_read(actor=world.patient_parent, conversation=chat, seq=2) == 2
    assert services.conversation_read(actor=world.patient_parent, conversation=chat, seq=1) == 2
    assert services.conversation_read(actor=world.patient_parent, conversation=chat, seq=99) == 4
    with pytest.raises(InvalidInput):
        services.conversation_read(actor=world.patient_parent, conversation=chat, seq=-1)


def test_the_front_desk_hands_over_to_a_doctor_and_closes_and_the_patient_reopens(world, chat):
    services.message_send(actor=world.patient_parent, conversation=chat, text="想问种植")
    services.conversation_assign(
        actor=world.clinic_a_front_desk,
        conversation=chat,
        assignee_id=world.clinic_a_implant_doctor.user.public_id,
    )
    chat.refresh_from_db()
    assert chat.assignee_id == world.clinic_a_implant_doctor.user_id
    # The doctor answers and closes the conversation handed to them.
    services.message_send(
        actor=world.clinic_a_implant_doctor.user, conversation=chat, text="可以先来拍片"
    )
    services.conversation_close(actor=world.clinic_a_implant_doctor.user, conversation=chat)
    chat.refresh_from_db()
    assert chat.status == ConversationStatus.CLOSED
    with pytest.raises(Conflict):
        services.conversation_assign(actor=world.clinic_a_front_desk, conversation=chat)
    services.message_send(actor=world.patient_parent, conversation=chat, text="好的，再问一下")
    chat.refresh_from_db()
    assert chat.status == ConversationStatus.OPEN and chat.assignee_id is None
    events = list(chat.messages.exclude(event="").order_by("seq").values_list("event", flat=True))
    assert events == [Event.ASSIGNED, Event.CLOSED, Event.REOPENED]
    shown = selectors.messages_shown(list(chat.messages.order_by("seq")))
    assert "李医生" in shown[1]["event_text"]


def test_only_the_desk_picks_up_and_only_colleagues_of_the_clinic_are_assignees(world, chat):
    with pytest.raises(PermissionDenied):
        services.conversation_assign(actor=world.clinic_a_doctor.user, conversation=chat)
    with pytest.raises(PermissionDenied):
        services.conversation_close(actor=world.clinic_a_doctor.user, conversation=chat)
    with pytest.raises(InvalidInput):
        services.conversation_assign(
            actor=world.clinic_a_front_desk,
            conversation=chat,
            assignee_id=world.clinic_b_doctor.user.public_id,
        )
    chat.refresh_from_db()
    assert chat.status == ConversationStatus.OPEN and chat.last_seq == 0


def test_appointment_cards_are_of_the_family_at_that_clinic(world, chat):
    theirs = appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    ).appointments[0]
    card = services.message_send(
        actor=world.clinic_a_front_desk, conversation=chat, appointment_id=theirs.public_id
    )
    [shown] = selectors.messages_shown([card])
    assert shown["appointment"]["id"] == str(theirs.public_id)
    assert shown["appointment"]["doctor"] == "王医生"
    elsewhere = appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_b_doctor,
        service=world.cleaning_b,
        start=tomorrow_at(11),
        patients=[world.parent],
    ).appointments[0]
    strangers = appointments_book(
        actor=world.other_patient,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(14),
        patients=[world.other],
    ).appointments[0]
    for appointment in (elsewhere, strangers):
        with pytest.raises(NotFound):
            services.message_send(
                actor=world.clinic_a_front_desk,
                conversation=chat,
                appointment_id=appointment.public_id,
            )
    assert chat.messages.filter(kind=MessageKind.APPOINTMENT).count() == 1


def test_pictures_are_re_encoded_and_stored_encrypted(world, chat):
    message = services.message_send(
        actor=world.patient_parent, conversation=chat, image=f.png_upload(size=(3000, 1500))
    )
    assert message.kind == MessageKind.IMAGE
    assert (message.image_width, message.image_height) == (1600, 800)
    with message.image.open("rb") as stored:
        assert not stored.read(8).startswith(b"\x89PNG")
    assert services.image_content(message).startswith(b"\x89PNG")
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(InvalidInput):
        services.message_send(
            actor=world.patient_parent,
            conversation=chat,
            image=SimpleUploadedFile("x.png", b"not a picture", content_type="image/png"),
        )
    assert chat.messages.count() == 1


def test_history_pages_newest_first_by_sequence(world, chat):
    for number in range(1, 8):
        services.message_send(actor=world.patient_parent, conversation=chat, text=f"第{number}条")
    page, before = selectors.history_page(conversation=chat, limit=3)
    assert [m.seq for m in page] == [7, 6, 5] and before == 5
    page, before = selectors.history_page(conversation=chat, before=before, limit=3)
    assert [m.seq for m in page] == [4, 3, 2] and before == 2
    page, before = selectors.history_page(conversation=chat, before=before, limit=3)
    assert [m.seq for m in page] == [1] and before is None
    assert [m.seq for m in selectors.log_after(conversation_pk=chat.pk, after=5)] == [6, 7]


def test_only_the_family_and_the_clinics_staff_reach_a_conversation(world, chat):
    from yachi.core.roles import ClinicRole

    allowed = [
        world.patient_parent,
        world.clinic_a_front_desk,
        world.clinic_a_manager,
        world.clinic_a_doctor.user,
    ]
    for user in allowed:
        assert access_conversation_by_id(actor=user, conversation_id=chat.public_id) == chat
    manager_b = f.staff_member(world.clinic_b, role=ClinicRole.MANAGER)
    for user in (
        world.other_patient,
        world.clinic_b_front_desk,
        world.clinic_b_doctor.user,
        manager_b,
    ):
        with pytest.raises(NotFound):
            access_conversation_by_id(actor=user, conversation_id=chat.public_id)


def test_staff_reads_are_in_the_audit_trail(world, chat):
    selectors.audit_staff_read(actor=world.clinic_a_front_desk, conversation=chat, how="api")
    selectors.audit_staff_read(actor=world.patient_parent, conversation=chat, how="api")
    entries = AuditEntry.objects.filter(object_type="conversation", object_id=str(chat.public_id))
    assert entries.count() == 1
    assert entries.get().clinic == str(world.clinic_a.public_id)


def test_quick_replies_are_the_clinics_and_titles_are_unique(world):
    reply = services.quick_reply_save(
        clinic_pk=world.clinic_a.pk, title="营业时间", text="每天 9:00–21:00"
    )
    with pytest.raises(Conflict):
        services.quick_reply_save(clinic_pk=world.clinic_a.pk, title="营业时间", text="别的")
    services.quick_reply_save(clinic_pk=world.clinic_b.pk, title="营业时间", text="每天 9:00–18:00")
    with pytest.raises(InvalidInput):
        services.quick_reply_save(clinic_pk=world.clinic_a.pk, title="", text="x")
    assert [r.pk for r in selectors.quick_replies_of(clinic_pk=world.clinic_a.pk)] == [reply.pk]
