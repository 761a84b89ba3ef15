"""Managers search and export the audit trail; logins and chart reads appear in it."""

import csv
import io

import pyotp
import pytest

from tests.factories import STAFF_PASSWORD
from yachi.accounts import staff_auth
from yachi.compliance.audit import audit_record
from yachi.compliance.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)


def test_logins_good_and_bad_are_in_the_trail(client, world):
    desk = world.clinic_a_front_desk
    client.post(
        "/console/login/",
        {"phone": desk.phone, "password": "wrong"},
        REMOTE_ADDR="10.0.0.7",
        HTTP_USER_AGENT="DeskPC",
    )
    client.post(
        "/console/login/",
        {"phone": desk.phone, "password": STAFF_PASSWORD},
        REMOTE_ADDR="10.0.0.7",
        HTTP_USER_AGENT="DeskPC",
    )
    failed, ok = AuditEntry.objects.filter(action__in=["login", "login_failed"]).order_by("seq")
    assert (failed.action, failed.outcome, failed.actor_id) == ("login_failed", "failure", desk.pk)
    assert (ok.action, ok.actor_role, ok.ip, ok.device) == (
        "login",
        "front_desk",
        "10.0.0.7",
        "DeskPC",
    )
    assert ok.request_id


def test_a_manager_searches_and_exports(client, world):
    manager = world.clinic_a_manager
    secret = pyotp.random_base32()
    staff_auth.totp_enroll(user=manager, secret=secret, code=pyotp.TOTP(secret).now())
    audit_record(
        action=AuditAction.CLINICAL_READ,
        actor=world.clinic_a_doctor.user,
        object_type="patient",
        object_id="p-1",
        clinic=world.clinic_a,
    )
    audit_record(
        action=AuditAction.CLINICAL_READ,
        actor=world.clinic_b_doctor.user,
        object_type="patient",
        object_id="p-2",
        clinic=world.clinic_b,
    )
    client.force_login(manager)
    page = client.get("/console/audit/", {"action": "clinical_read"}).content.decode()
    assert "p-1" in page and "p-2" not in page  # only their own clinic
    export = client.get("/console/audit/export.csv", {"action": "clinical_read"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "seq" and [r[7] for r in rows[1:]] == ["p-1"]
    assert AuditEntry.objects.filter(action="audit_exported", actor_id=manager.pk).exists()


def test_exported_cells_cannot_become_formulas(client, world):
    from yachi.core.middleware import RequestOrigin

    audit_record(
        action=AuditAction.LOGIN,
        actor=world.clinic_a_front_desk,
        origin=RequestOrigin(request_id="r1", ip="1.2.3.4", device="=HYPERLINK('x')"),
    )
    admin = world.clinic_a_manager
    admin.role = "admin"
    admin.save()
    client.force_login(admin)
    body = b"".join(client.get("/console/audit/export.csv").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_front_desk_and_doctors_cannot_open_the_trail(client, world):
    client.force_login(world.clinic_a_front_desk)
    assert client.get("/console/audit/").status_code == 403
    assert client.get("/console/audit/export.csv").status_code == 403


def test_an_administrator_sees_whether_checkpoints_keep_up(client, world):
    from datetime import timedelta

    from django.utils import timezone

    from yachi.compliance.audit import audit_checkpoint
    from yachi.compliance.models import AuditHead

    admin = world.clinic_a_manager
    admin.role = "admin"
    admin.save()
    client.force_login(admin)
    audit_record(action=AuditAction.LOGIN, actor=admin)
    page = client.get("/console/audit/").content.decode()
    assert "数据库之外尚无检查点" in page
    checkpoint = audit_checkpoint()
    audit_record(action=AuditAction.LOGIN, actor=admin)
    page = client.get("/console/audit/").content.decode()
    assert f"第 #{checkpoint.seq} 条" in page and "1 条记录等待下一个检查点" in page
    assert "检查点已延迟" not in page
    # The job consumer stopped a while ago, and entries keep coming.
    AuditHead.objects.update(checkpointed_at=timezone.now() - timedelta(hours=1))
    page = client.get("/console/audit/").content.decode()
    assert "检查点已延迟" in page


def test_a_manager_does_not_see_the_state_of_the_whole_trail(client, world):
    from yachi.clinics.facade import role_at

    client.force_login(world.clinic_a_manager)
    assert role_at(world.clinic_a_manager, world.clinic_a) == "manager"
    audit_record(action=AuditAction.LOGIN, actor=world.clinic_a_manager)
    page = client.get("/console/audit/").content.decode()
    assert "检查点" not in page


@pytest.mark.django_db
def test_searching_the_trail_for_far_days_is_a_clear_refusal(client, world):
    manager = world.clinic_a_manager
    secret = pyotp.random_base32()
    staff_auth.totp_enroll(user=manager, secret=secret, code=pyotp.TOTP(secret).now())
    client.force_login(manager)
    for query in ({"to": "9999-12-31"}, {"from": "0001-01-01"}, {"from": "yesterday"}):
        for url in ("/console/audit/", "/console/audit/export.csv"):
            response = client.get(url, query)
            assert response.status_code == 422, (url, query)
    assert not AuditEntry.objects.filter(action="audit_exported").exists()


def test_an_export_filtered_by_a_mobile_number_keeps_no_number_in_the_trail(client, world):
    from yachi.compliance.facade import blind_index

    manager = world.clinic_a_manager
    client.force_login(manager)
    export = client.get("/console/audit/export.csv", {"phone": "13800000001"})
    b"".join(export.streaming_content)
    entry = AuditEntry.objects.get(action="audit_exported", actor_id=manager.pk)
    assert "13800000001" not in str(entry.details)
    assert entry.details["phone"] == blind_index("phone", "13800000001")
