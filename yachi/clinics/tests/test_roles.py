"""Roles belong to a person's place at each clinic, and chain roles cover clinics (ADR 0026).

朱强 (here ``zhu``) manages clinic A and works at clinic B's front desk: he keeps A's roster
and flash sales, and at B takes payments like any front desk, nothing more. A regional
manager looks after A and B but not C; chain operations looks after every clinic of the
chain, one opened tomorrow too, and none of another chain.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import tomorrow_at
from tests import factories as f
from yachi.accounts.staff_auth import DONE, TOTP_ENROLL, next_step
from yachi.clinics import facade as clinics
from yachi.clinics.admin import ChainAssignmentForm
from yachi.clinics.models import StaffMembership
from yachi.compliance.facade import AuditAction, audit_record
from yachi.compliance.models import AuditEntry
from yachi.core.roles import ChainRole, ClinicRole
from yachi.rostering.models import ShiftException
from yachi.shop.flash.services import flash_sale_create
from yachi.shop.models import FlashSale

pytestmark = pytest.mark.django_db


@pytest.fixture
def zhu(world):
    user = f.staff_member(world.clinic_a, role=ClinicRole.MANAGER, name="朱强")
    StaffMembership.objects.create(user=user, clinic=world.clinic_b, role=ClinicRole.FRONT_DESK)
    return user


@pytest.fixture
def clinic_c(world):
    return f.ClinicFactory(chain=world.chain, name="浦东店", name_en="Pudong")


@pytest.fixture
def regional(world):
    user = f.StaffFactory(name="林峰")
    f.chain_role(user, world.chain, ChainRole.REGIONAL_MANAGER, [world.clinic_a, world.clinic_b])
    return user


def _leave(client, clinic, doctor):
    return client.post(
        f"/console/clinic/{clinic.public_id}/roster/",
        {
            "action": "leave_add",
            "doctor": str(doctor.public_id),
            "day": tomorrow_at(10, days=5).date().isoformat(),
        },
    )


def _flash_form(client, clinic):
    now = timezone.localtime()
    return client.post(
        f"/console/clinic/{clinic.public_id}/flash-sales/",
        {
            "title": "洁牙秒杀",
            "price": "9.90",
            "original_price": "200",
            "places": "10",
            "per_person_limit": "1",
            "starts_at": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "payment_window_minutes": "15",
        },
    )


def test_a_manager_at_one_clinic_and_front_desk_at_another_edits_only_the_first_roster(
    client, world, zhu
):
    client.force_login(zhu)
    assert _leave(client, world.clinic_a, world.clinic_a_doctor).status_code == 302
    assert ShiftException.objects.count() == 1
    refused = _leave(client, world.clinic_b, world.clinic_b_doctor)
    assert refused.status_code == 403
    assert ShiftException.objects.count() == 1
    assert client.get(f"/console/clinic/{world.clinic_b.public_id}/roster/").status_code == 403


def test_flash_sales_are_created_only_where_the_person_manages(client, world, zhu):
    client.force_login(zhu)
    assert _flash_form(client, world.clinic_a).status_code == 302
    _flash_form(client, world.clinic_b)
    assert list(FlashSale.objects.values_list("clinic", flat=True)) == [world.clinic_a.pk]
    sale = FlashSale.objects.get()
    theirs = flash_sale_create(
        clinic=world.clinic_b,
        title="徐汇秒杀",
        price_fen=990,
        original_price_fen=20000,
        places=5,
        starts_at=sale.starts_at,
        ends_at=sale.ends_at,
    )
    pause = client.post(f"/console/flash-sales/{theirs.public_id}/active/", {"active": "0"})
    assert pause.status_code == 403
    theirs.refresh_from_db()
    assert theirs.is_active


def test_the_till_is_open_to_him_at_both_clinics(client, world, zhu):
    client.force_login(zhu)
    for clinic in (world.clinic_a, world.clinic_b):
        assert client.get(f"/console/clinic/{clinic.public_id}/payments/").status_code == 200


def test_the_clinic_switch_shows_each_clinic_with_his_role_there(client, world, zhu):
    client.force_login(zhu)
    page = client.get(f"/console/clinic/{world.clinic_b.public_id}/calendar/").content.decode()
    assert "静安店 · 店长" in page and "徐汇店 · 前台" in page
    assert f"/console/clinic/{world.clinic_b.public_id}/roster/" not in page
    assert f"/console/clinic/{world.clinic_b.public_id}/payments/" in page
    assert '<span class="muted">前台</span>' in page
    page = client.get(f"/console/clinic/{world.clinic_a.public_id}/calendar/").content.decode()
    assert f"/console/clinic/{world.clinic_a.public_id}/roster/" in page


def test_the_audit_trail_shows_him_only_the_clinic_he_manages(client, world, zhu):
    audit_record(
        action=AuditAction.ROSTER_CHANGED, actor=world.clinic_b_front_desk, clinic=world.clinic_b
    )
    audit_record(
        action=AuditAction.CALENDAR_CHANGED, actor=world.clinic_a_doctor.user, clinic=world.clinic_a
    )
    client.force_login(zhu)
    seen = {entry.action for entry in client.get("/console/audit/").context["page"].object_list}
    assert AuditAction.CALENDAR_CHANGED in seen and AuditAction.ROSTER_CHANGED not in seen
    client.force_login(world.clinic_b_front_desk)
    assert client.get("/console/audit/").status_code == 403


def test_the_audit_trail_names_the_role_he_acted_in_at_each_clinic(client, world, zhu):
    client.force_login(zhu)
    _leave(client, world.clinic_a, world.clinic_a_doctor)
    client.post(
        f"/console/clinic/{world.clinic_b.public_id}/payments/",
        {"phone": world.patient_parent.phone, "amount": "99", "description": "洁牙"},
    )
    acted = dict(
        AuditEntry.objects.filter(
            actor_id=zhu.pk,
            clinic__in=[str(world.clinic_a.public_id), str(world.clinic_b.public_id)],
        ).values_list("clinic", "actor_role")
    )
    assert acted == {
        str(world.clinic_a.public_id): "manager",
        str(world.clinic_b.public_id): "front_desk",
    }


def test_a_regional_manager_manages_the_clinics_of_the_region_and_no_other(
    client, world, regional, clinic_c
):
    client.force_login(regional)
    assert _leave(client, world.clinic_a, world.clinic_a_doctor).status_code == 302
    assert _leave(client, world.clinic_b, world.clinic_b_doctor).status_code == 302
    assert client.get(f"/console/clinic/{clinic_c.public_id}/calendar/").status_code == 404
    page = client.get(f"/console/clinic/{world.clinic_a.public_id}/calendar/").content.decode()
    assert "静安店 · 区域经理" in page and "徐汇店 · 区域经理" in page and "浦东店" not in page


def test_a_region_never_reaches_past_its_own_chain(world):
    elsewhere = f.ClinicFactory(chain=f.ChainFactory(name="别家口腔"))
    user = f.StaffFactory()
    f.chain_role(user, world.chain, ChainRole.REGIONAL_MANAGER, [world.clinic_a, elsewhere])
    assert clinics.clinics_where(user, clinics.Duty.MANAGE) == {world.clinic_a.pk}
    form = ChainAssignmentForm(
        data={
            "user": user.pk,
            "chain": world.chain.pk,
            "role": ChainRole.REGIONAL_MANAGER,
            "clinics": [world.clinic_a.pk, elsewhere.pk],
        }
    )
    assert not form.is_valid()


def test_chain_operations_covers_every_clinic_of_the_chain_even_a_new_one(client, world):
    user = f.StaffFactory()
    f.chain_role(user, world.chain, ChainRole.CHAIN_OPERATIONS)
    opened_later = f.ClinicFactory(chain=world.chain)
    elsewhere = f.ClinicFactory(chain=f.ChainFactory(name="别家口腔"))
    for clinic in (world.clinic_a, world.clinic_b, opened_later):
        assert clinics.role_at(user, clinic) == ChainRole.CHAIN_OPERATIONS
        assert clinics.may_manage(user, clinic)
    assert clinics.role_at(user, elsewhere) is None
    client.force_login(user)
    assert client.get(f"/console/clinic/{elsewhere.public_id}/roster/").status_code == 404


def test_a_doctor_who_manages_another_clinic_reads_no_chart_there(world):
    doctor = world.clinic_a_doctor.user
    StaffMembership.objects.create(user=doctor, clinic=world.clinic_b, role=ClinicRole.MANAGER)
    assert clinics.roles_at(doctor, world.clinic_a) == {ClinicRole.DOCTOR}
    assert clinics.clinics_where(doctor, clinics.Duty.TREAT) == {world.clinic_a.pk}
    assert clinics.clinics_where(doctor, clinics.Duty.MANAGE) == {world.clinic_b.pk}


def test_a_role_taken_away_counts_at_the_next_request(client, world, zhu):
    client.force_login(zhu)
    url = f"/console/clinic/{world.clinic_a.public_id}/roster/"
    assert client.get(url).status_code == 200
    StaffMembership.objects.filter(user=zhu, clinic=world.clinic_a).update(
        role=ClinicRole.FRONT_DESK
    )
    assert client.get(url).status_code == 403


def test_the_second_factor_follows_any_managing_role(world, zhu, regional):
    assert next_step(world.clinic_a_front_desk) == DONE
    assert next_step(world.clinic_a_doctor.user) == DONE
    assert next_step(zhu) == TOTP_ENROLL  # front desk at B does not lift it
    assert next_step(regional) == TOTP_ENROLL
