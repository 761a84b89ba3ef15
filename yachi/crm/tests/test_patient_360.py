"""The patient 360 page and the staff search by phone, name, tag or last visit."""

from datetime import timedelta

from django.utils import timezone

from yachi.compliance.models import AuditAction, AuditEntry
from yachi.crm.tags.services import manual_tag_add, tags_refresh

from .conftest import visit


def test_the_360_page_shows_the_whole_picture_within_a_query_budget(
    seen, client, django_assert_max_num_queries
):
    tags_refresh()
    manual_tag_add(actor=seen.clinic_a_front_desk, patient=seen.parent, code="vip", note="老板朋友")
    visit(seen, seen.parent, days_ago=-3, status="booked", service=seen.filling_a)
    client.force_login(seen.clinic_a_front_desk)
    path = f"/console/crm/patients/{seen.parent.public_id}/"
    client.get(path)  # warm caches (sessions, roles) the budget is not about
    with django_assert_max_num_queries(40):
        response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    for shown in (
        "张妈妈",
        "张小宝",  # family
        "较高消费",
        "近 12 个月消费 ¥8,460",  # a tag with its reason
        "重要客户",
        "老板朋友",  # a manual tag with the note
        "¥8,460",  # spending
        "补牙",  # a treatment
        "洁牙复查",  # the next recommended care
        "隐私政策",  # consents
    ):
        assert shown in page, shown
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.PATIENT_360_READ, object_id=str(seen.parent.public_id)
        ).count()
        == 2
    )


def test_the_360_lists_conversations_campaigns_and_planned_treatments_of_the_desks_clinic(
    seen, client, django_assert_max_num_queries
):
    from yachi.crm.campaigns.models import Recipient
    from yachi.crm.campaigns.services import campaign_create
    from yachi.crm.segments.services import segment_save
    from yachi.messaging.chat.services import conversation_open, message_send

    chat = conversation_open(
        actor=seen.patient_parent,
        clinic_id=seen.clinic_a.public_id,
        patient_id=seen.parent.public_id,
    ).conversation
    message_send(actor=seen.patient_parent, conversation=chat, text="请问洗牙要多久？")
    message_send(actor=seen.clinic_a_front_desk, conversation=chat, text="大约 40 分钟。")
    their_chat = conversation_open(
        actor=seen.patient_parent,
        clinic_id=seen.clinic_b.public_id,
        patient_id=seen.parent.public_id,
    ).conversation
    message_send(actor=seen.patient_parent, conversation=their_chat, text="徐汇店的问题")
    segment = segment_save(
        actor=seen.clinic_a_manager,
        clinic=seen.clinic_a,
        name="老客户",
        definition={"match": "all", "groups": []},
    )
    campaign = campaign_create(
        actor=seen.clinic_a_manager,
        segment=segment,
        name="秋季洁牙回访",
        kind="message",
        text="欢迎回店复查。",
        channels=["inbox"],
    )
    Recipient.objects.create(campaign=campaign, patient=seen.parent, outcome="sent")
    _plan_with(seen.clinic_a, seen.clinic_a_doctor, seen.parent, "16", "种植体植入")
    _plan_with(seen.clinic_b, seen.clinic_b_doctor, seen.parent, "36", "根管治疗")
    client.force_login(seen.clinic_a_front_desk)
    path = f"/console/crm/patients/{seen.parent.public_id}/"
    client.get(path)
    with django_assert_max_num_queries(44):
        page = client.get(path).content.decode()
    assert f"/console/clinic/{seen.clinic_a.public_id}/chat/{chat.public_id}/" in page
    assert "2 条消息" in page
    # Another clinic's conversation is not this desk's, and no words are shown here.
    assert str(their_chat.public_id) not in page
    assert "洗牙要多久" not in page and "40 分钟" not in page
    assert "秋季洁牙回访" in page and "已触达" in page
    assert "种植体植入" in page and "¥8,000" in page
    assert "根管治疗" not in page  # planned at the other clinic


def _plan_with(clinic, doctor, patient, tooth, what):
    from yachi.clinical.models import PlanItem, PlanPhase, TreatmentPlan

    plan = TreatmentPlan.objects.create(
        patient=patient, clinic=clinic, doctor=doctor, title=what, status="accepted"
    )
    phase = PlanPhase.objects.create(plan=plan, position=1, title="第一阶段")
    PlanItem.objects.create(
        phase=phase,
        position=1,
        tooth=tooth,
        service_code="implant",
        description=what,
        unit_fen=800_000,
    )


def test_staff_of_another_clinic_do_not_find_the_page(seen, client):
    client.force_login(seen.clinic_b_front_desk)
    response = client.get(f"/console/crm/patients/{seen.parent.public_id}/")
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.PATIENT_360_READ).exists()


def test_search_by_tag_and_by_last_visit(seen, client):
    tags_refresh()
    client.force_login(seen.clinic_a_front_desk)
    by_tag = client.get("/console/crm/patients/", {"tag": "ltv_12m_high"}).content.decode()
    assert "张妈妈" in by_tag and "张小宝" not in by_tag
    by_name = client.get("/console/crm/patients/", {"q": "张", "tag": "ltv_12m_high"})
    assert "张妈妈" in by_name.content.decode() and "张小宝" not in by_name.content.decode()
    recent = (timezone.localdate() - timedelta(days=5)).isoformat()
    by_visit = client.get("/console/crm/patients/", {"q": "张", "after": recent}).content.decode()
    assert "张小宝" in by_visit and "张妈妈" not in by_visit
    by_phone = client.get("/console/crm/patients/", {"q": "13800000001"}).content.decode()
    assert "张妈妈" in by_phone


def test_the_other_clinics_desk_finds_nobody_by_tag(seen, client):
    tags_refresh()
    client.force_login(seen.clinic_b_front_desk)
    page = client.get("/console/crm/patients/", {"tag": "ltv_12m_high"}).content.decode()
    assert "张妈妈" not in page
