"""Master data in the Django admin, for chain administrators."""

import pytest
from django.contrib import admin
from django.urls import reverse

from conftest import tomorrow_at
from yachi.booking.selectors import doctor_availability
from yachi.core.roles import Role


@pytest.fixture
def administrator(world):
    from tests.factories import StaffFactory

    return StaffFactory(role=Role.ADMIN, is_superuser=True)


def test_every_admin_page_opens(client, world, administrator):
    client.force_login(administrator)
    for model, model_admin in admin.site._registry.items():
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        changelist = client.get(reverse(f"admin:{info}_changelist"))
        assert changelist.status_code == 200, info
        if model_admin.has_add_permission(type("R", (), {"user": administrator})()):
            assert client.get(reverse(f"admin:{info}_add")).status_code == 200, info


def test_every_admin_list_answers_a_search_and_a_sort_without_touching_ciphertext(
    client, world, administrator
):
    """Names and numbers are encrypted: searches go through blind indexes, and a
    column of ciphertext cannot be sorted, whatever the URL asks for."""
    client.force_login(administrator)
    for model, model_admin in admin.site._registry.items():
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        url = reverse(f"admin:{info}_changelist")
        for term in ("张妈妈", "13800000001", "张"):
            assert client.get(url, {"q": term}).status_code == 200, (info, term)
        for column in range(len(model_admin.list_display)):
            assert client.get(url, {"o": f"-{column}"}).status_code == 200, (info, column)


@pytest.mark.parametrize(
    ("model", "term"),
    [
        ("accounts_user", "张妈妈"),
        ("accounts_user", "+8613800000001"),
        ("patients_familyaccount", "张小宝"),
        ("patients_familyaccount", "13800000001"),
    ],
)
def test_an_administrator_finds_a_person_by_the_whole_name_or_number(
    client, world, administrator, model, term
):
    client.force_login(administrator)
    page = client.get(reverse(f"admin:{model}_changelist"), {"q": term}).content.decode()
    assert "张妈妈" in page and "陌生人" not in page
    partial = client.get(reverse(f"admin:{model}_changelist"), {"q": "张"}).content.decode()
    assert "张妈妈" not in partial


def test_only_administrators_reach_the_admin(client, world):
    client.force_login(world.clinic_a_manager)
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_chair_taken_out_of_service_in_the_admin_reduces_availability(
    client, world, administrator
):
    from tests.factories import occupy_chairs

    # Two chairs of three are busy at 11:00; the third is the last one free.
    occupy_chairs(world.clinic_a, world.cleaning_a, tomorrow_at(11), count=2)

    def offered():
        day = doctor_availability(doctor=world.clinic_a_doctor, service=world.cleaning_a, days=2)[1]
        return tomorrow_at(11) in [s for s, _ in day.slots]

    assert offered()
    from yachi.booking.models import Appointment

    busy = set(Appointment.objects.values_list("chair_id", flat=True))
    free_chair = next(c for c in world.chairs_a if c.pk not in busy)
    client.force_login(administrator)
    response = client.post(
        reverse("admin:clinics_chair_change", args=[free_chair.pk]),
        {"clinic": world.clinic_a.pk, "name": free_chair.name, "public_id": free_chair.public_id},
    )
    assert response.status_code == 302
    assert not offered()


def test_leave_in_year_9999_is_refused_by_the_admin(client, world, administrator):
    from yachi.rostering.models import ShiftException

    client.force_login(administrator)
    response = client.post(
        reverse("admin:rostering_shiftexception_add"),
        {"doctor": world.clinic_a_doctor.pk, "date": "9999-12-31", "kind": "leave"},
    )
    assert response.status_code == 200
    assert "2200-12-31" in response.content.decode()
    assert not ShiftException.objects.exists()


def test_a_password_an_administrator_sets_is_audited_and_kept_in_the_history(
    client, world, administrator
):
    from yachi.accounts.models import PasswordHistory
    from yachi.compliance.models import AuditAction, AuditEntry

    member = world.clinic_a_front_desk
    previous = member.password
    client.force_login(administrator)
    url = reverse("admin:auth_user_password_change", args=[member.pk])
    answer = client.post(
        url, {"password1": "Kq7#mWz9pL", "password2": "Kq7#mWz9pL", "usable_password": "true"}
    )
    assert answer.status_code == 302
    member.refresh_from_db()
    assert member.check_password("Kq7#mWz9pL")
    entry = AuditEntry.objects.get(action=AuditAction.PASSWORD_CHANGED, object_id=member.public_id)
    assert entry.actor == str(administrator.public_id)
    assert entry.details == {"by": "administrator"}
    assert PasswordHistory.objects.filter(user=member, password=previous).exists()


def test_a_weak_password_an_administrator_tries_changes_nothing(client, world, administrator):
    from yachi.compliance.models import AuditAction, AuditEntry

    member = world.clinic_a_front_desk
    previous = member.password
    client.force_login(administrator)
    url = reverse("admin:auth_user_password_change", args=[member.pk])
    answer = client.post(url, {"password1": "abc", "password2": "abc", "usable_password": "true"})
    assert answer.status_code == 200
    member.refresh_from_db()
    assert member.password == previous
    assert not AuditEntry.objects.filter(action=AuditAction.PASSWORD_CHANGED).exists()
