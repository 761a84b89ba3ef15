"""Patient tags as staff meet them: computed from the clinic's own records by the
refresh, shown with their reasons through the API, and manual tags added by staff."""

import pytest
from django.core.management import call_command

from tests.apiclient import ApiClient
from yachi.compliance.models import AuditAction, AuditEntry
from yachi.core.errors import PermissionDenied
from yachi.crm.tags.models import PatientTag, TagDefinition
from yachi.crm.tags.services import definition_save, manual_tag_add, tags_refresh


def tags_path(patient):
    return f"/clinic/patients/{patient.public_id}/tags"


def test_the_refresh_tags_the_clinics_best_patient_and_says_why(seen):
    done = tags_refresh()
    assert done.added > 0
    response = ApiClient().as_user(seen.clinic_a_front_desk).get(tags_path(seen.parent))
    assert response.status_code == 200
    tags = {tag["code"]: tag for tag in response.json()}
    assert set(response.json()[0]) == {"code", "label", "reason", "source"}
    assert tags["ltv_12m_high"] == {
        "code": "ltv_12m_high",
        "label": "较高消费",
        "reason": "近 12 个月消费 ¥8,460（不低于 ¥2,000），位于本店前 50 %",
        "source": "computed",
    }
    again = tags_refresh()
    assert again.total_changed == 0


def test_a_tag_that_no_longer_holds_is_removed_and_a_new_threshold_counts(seen):
    tags_refresh()
    assert PatientTag.objects.filter(patient=seen.parent, definition__code="ltv_12m_high").exists()
    definition_save(
        actor=seen.clinic_a_manager,
        code="ltv_12m_high",
        label_zh="较高消费",
        thresholds={"min_yuan": 10000},
    )
    done = tags_refresh()
    assert done.removed >= 1
    assert not PatientTag.objects.filter(
        patient=seen.parent, definition__code="ltv_12m_high"
    ).exists()
    assert AuditEntry.objects.filter(action=AuditAction.TAG_DEFINITION_CHANGED).count() == 1


def test_only_managers_define_tags(seen):
    with pytest.raises(PermissionDenied):
        definition_save(actor=seen.clinic_a_front_desk, code="vip2", label_zh="贵宾")
    assert not TagDefinition.objects.filter(code="vip2").exists()


def test_staff_elsewhere_get_404_and_patients_403(seen):
    tags_refresh()
    assert (
        ApiClient().as_user(seen.clinic_b_front_desk).get(tags_path(seen.parent)).status_code == 404
    )
    mine = ApiClient().as_user(seen.patient_parent).get(tags_path(seen.parent))
    assert mine.status_code == 403 and mine.json()["code"] == "staff_only"
    odd = ApiClient().as_user(seen.clinic_a_front_desk).get("/clinic/patients/nope/tags")
    assert odd.status_code == 404 and odd.json()["code"] == "patient_not_found"


def test_a_manual_tag_carries_the_staff_note_and_is_audited(seen, client):
    tags_refresh()
    client.force_login(seen.clinic_a_front_desk)
    response = client.post(
        f"/console/crm/patients/{seen.parent.public_id}/tags/",
        {"code": "anxious", "note": "怕打麻药，需提前沟通"},
    )
    assert response.status_code == 302
    tags = ApiClient().as_user(seen.clinic_a_front_desk).get(tags_path(seen.parent)).json()
    assert {
        "code": "anxious",
        "label": "牙科焦虑",
        "reason": "怕打麻药，需提前沟通",
        "source": "manual",
    } in tags
    entry = AuditEntry.objects.get(action=AuditAction.PATIENT_TAG_CHANGED)
    assert entry.object_id == str(seen.parent.public_id)
    # The refresh leaves manual tags alone.
    tags_refresh()
    assert PatientTag.objects.filter(definition__code="anxious").exists()


def test_the_command_prints_how_many_tags_changed(seen, capsys):
    call_command("crm", "refresh")
    first = capsys.readouterr().out.strip()
    assert first.endswith("tags changed") and not first.startswith("0 ")
    call_command("crm", "refresh")
    assert capsys.readouterr().out.strip() == "0 tags changed"


def test_manual_tags_refuse_unknown_codes_and_duplicates(seen):
    from yachi.core.errors import Conflict, NotFound

    tags_refresh()
    manual_tag_add(actor=seen.clinic_a_front_desk, patient=seen.parent, code="vip")
    with pytest.raises(Conflict):
        manual_tag_add(actor=seen.clinic_a_front_desk, patient=seen.parent, code="vip")
    with pytest.raises(NotFound):
        manual_tag_add(actor=seen.clinic_a_front_desk, patient=seen.parent, code="ltv_12m_top")
    assert PatientTag.objects.filter(source="manual").count() == 1


def test_a_bill_left_unpaid_past_its_days_to_pay_tags_arrears(seen):
    from datetime import timedelta

    from django.utils import timezone

    from yachi.payments.bills import bill_create
    from yachi.payments.models import Bill, PaymentIntent
    from yachi.payments.services import intents_close_expired

    intent = bill_create(
        actor=seen.clinic_a_front_desk,
        clinic=seen.clinic_a,
        payer=seen.patient_parent,
        amount_fen=58000,
        description="补牙",
        appointment=seen.child_visit,
    )
    long_ago = timezone.now() - timedelta(days=45)
    Bill.objects.filter(appointment=seen.child_visit, payer=seen.patient_parent).update(
        created_at=long_ago
    )
    PaymentIntent.objects.filter(pk=intent.pk).update(
        created_at=long_ago, expires_at=long_ago + timedelta(days=30)
    )
    # The pay window ran out: the payment is closed, the money still owed.
    assert intents_close_expired() == 1
    tags_refresh()
    tag = PatientTag.objects.get(patient=seen.patient_child, definition__code="arrears")
    assert tag.reason == "1 笔账单逾期未付，共 ¥580，最早的已 45 天"
