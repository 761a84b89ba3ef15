from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.utils import timezone

from tests.factories import STAFF_PASSWORD
from yachi.accounts import staff_auth
from yachi.accounts.models import ApiToken, User
from yachi.core.errors import InvalidInput

pytestmark = pytest.mark.django_db(transaction=True)


def console_login(client, user, password=STAFF_PASSWORD, ip="10.0.0.1"):
    return client.post(
        "/console/login/", {"phone": user.phone, "password": password}, REMOTE_ADDR=ip
    )


def enrol(user) -> str:
    secret = pyotp.random_base32()
    staff_auth.totp_enroll(user=user, secret=secret, code=pyotp.TOTP(secret).now())
    user.refresh_from_db()
    return secret


# --- password profile ------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["short1!", "alllowercase", "ALLUPPER123", "12345678"])
def test_mlps_profile_refuses_simple_passwords(world, weak):
    with pytest.raises(InvalidInput):
        staff_auth.password_change(user=world.clinic_a_front_desk, current=None, new=weak)


def test_mlps_profile_accepts_three_kinds_of_characters(world):
    staff_auth.password_change(user=world.clinic_a_front_desk, current=None, new="Dental9chair")
    assert User.objects.get(pk=world.clinic_a_front_desk.pk).check_password("Dental9chair")


def test_asvs_profile_wants_length_not_variety(world, settings):
    settings.YACHI_PASSWORD_PROFILE = "asvs"
    with pytest.raises(InvalidInput):
        staff_auth.password_change(user=world.clinic_a_front_desk, current=None, new="Dental9chr!")
    staff_auth.password_change(
        user=world.clinic_a_front_desk, current=None, new="brushing teeth twice daily"
    )


def test_the_last_five_passwords_cannot_be_reused(world):
    user = world.clinic_a_front_desk
    used = [f"Clinic-Pass-{n}x" for n in range(6)]
    for password in used:
        staff_auth.password_change(user=user, current=None, new=password)
    for recent in used[1:]:
        with pytest.raises(InvalidInput, match="5"):
            staff_auth.password_change(user=user, current=None, new=recent)
    staff_auth.password_change(user=user, current=None, new=used[0])  # six ago: allowed


def test_changing_requires_the_current_password(client, world):
    client.force_login(world.clinic_a_front_desk)
    page = client.post(
        "/console/password/", {"current": "wrong", "new": "Dental9chair", "repeat": "Dental9chair"}
    )
    assert page.status_code == 422
    assert User.objects.get(pk=world.clinic_a_front_desk.pk).check_password(STAFF_PASSWORD)


def test_an_expired_password_must_be_changed_first(client, world):
    user = world.clinic_a_front_desk
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client.force_login(user)
    response = client.get("/console/")
    assert response.status_code == 302 and response["Location"] == "/console/password/"
    client.post(
        "/console/password/",
        {"current": STAFF_PASSWORD, "new": "Dental9chair", "repeat": "Dental9chair"},
    )
    assert client.get("/console/").status_code == 302
    assert client.get("/console/")["Location"] != "/console/password/"


# --- lockout --------------------------------------------------------------------------


def test_five_failures_lock_the_account_for_fifteen_minutes(client, world):
    user = world.clinic_a_front_desk
    for _ in range(5):
        assert console_login(client, user, password="nope").status_code == 401
    page = console_login(client, user)
    assert page.status_code == 429
    assert "锁定" in page.content.decode()
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert console_login(client, user).status_code == 302


def test_unknown_numbers_lock_the_same_way(client, db):
    ghost = User(phone="13911112222")
    answers = [console_login(client, ghost, password="x").status_code for _ in range(6)]
    assert answers == [401] * 5 + [429]


def test_one_address_cannot_try_many_numbers(client, world, settings):
    settings.YACHI_LOGIN_IP_HOURLY_FAILURES = 3
    for n in range(3):
        console_login(client, User(phone=f"1391111000{n}"), password="x", ip="10.9.9.9")
    assert console_login(client, world.clinic_a_front_desk, ip="10.9.9.9").status_code == 429
    assert console_login(client, world.clinic_a_front_desk, ip="10.1.1.1").status_code == 302


# --- second factor -------------------------------------------------------------------


def test_a_manager_must_set_up_an_authenticator_before_entering(client, world):
    manager = world.clinic_a_manager
    response = console_login(client, manager)
    assert response["Location"] == "/console/login/authenticator/"
    assert client.get("/console/").status_code == 302  # not logged in yet
    page = client.get("/console/login/authenticator/").content.decode()
    assert "<svg" in page
    secret = client.session["totp_secret"]
    response = client.post("/console/login/authenticator/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert User.objects.get(pk=manager.pk).has_totp
    assert client.get("/console/").status_code == 302  # into the calendar
    assert "/calendar/" in client.get("/console/")["Location"]


def test_an_enrolled_member_enters_a_code_once(client, world):
    manager = world.clinic_a_manager
    secret = enrol(manager)
    code_used_at_enrolment = pyotp.TOTP(secret).now()
    assert console_login(client, manager)["Location"] == "/console/login/code/"
    # The code that switched the factor on cannot log in again (replay).
    assert client.post("/console/login/code/", {"code": code_used_at_enrolment}).status_code == 401
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        response = client.post("/console/login/code/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get("/console/").status_code == 302


def test_wrong_codes_count_towards_the_lockout(client, world):
    manager = world.clinic_a_manager
    enrol(manager)
    for _ in range(5):
        console_login(client, manager)
        client.post("/console/login/code/", {"code": "000000"})
    assert console_login(client, manager).status_code == 429


def test_the_admin_logs_in_through_the_console(client, db):
    response = client.get("/admin/login/?next=/admin/clinics/")
    assert response.status_code == 302
    assert response["Location"] == "/console/login/?next=%2Fadmin%2Fclinics%2F"


# --- sessions -------------------------------------------------------------------------


def test_idle_console_sessions_end(client, world):
    client.force_login(world.clinic_a_front_desk)
    assert client.get("/console/").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = client.get(f"/console/clinic/{world.clinic_a.public_id}/calendar/")
    assert response.status_code == 302
    assert response["Location"].startswith("/console/login/")
    assert client.get(f"/console/clinic/{world.clinic_a.public_id}/calendar/").status_code == 302


def test_a_console_session_outlasts_twenty_nine_idle_minutes_by_default(client, world):
    client.force_login(world.clinic_a_front_desk)
    calendar = f"/console/clinic/{world.clinic_a.public_id}/calendar/"
    assert client.get(calendar).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        assert client.get(calendar).status_code == 200


def test_activity_keeps_a_console_session_alive(client, world):
    client.force_login(world.clinic_a_front_desk)
    calendar = f"/console/clinic/{world.clinic_a.public_id}/calendar/"
    start = timezone.now()
    for minutes in (20, 40, 60, 80, 100, 120):  # never more than 30 minutes apart
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert client.get(calendar).status_code == 200
    with time_machine.travel(start + timedelta(minutes=151)):
        response = client.get(calendar)
    assert response.status_code == 302
    assert response["Location"] == f"/console/login/?next={calendar}"


def test_the_idle_time_is_configurable(client, world, settings):
    settings.YACHI_STAFF_IDLE_MINUTES = 10
    client.force_login(world.clinic_a_front_desk)
    calendar = f"/console/clinic/{world.clinic_a.public_id}/calendar/"
    start = timezone.now()
    assert client.get(calendar).status_code == 200
    with time_machine.travel(start + timedelta(minutes=9)):
        assert client.get(calendar).status_code == 200
    with time_machine.travel(start + timedelta(minutes=20)):
        assert client.get(calendar)["Location"].startswith("/console/login/")


def test_an_idle_patient_web_session_is_kept(client, world):
    client.force_login(world.patient_parent)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert client.get("/appointments/").status_code == 200


def test_log_out_everywhere_ends_sessions_and_tokens(api, client, world):
    client.force_login(world.patient_parent)
    assert client.get("/appointments/").status_code == 200
    api.as_user(world.patient_parent)
    other_token = api.token
    api.as_user(world.patient_parent)
    assert api.post("/auth/logout-all").status_code == 204
    assert client.get("/appointments/").status_code == 302
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
    response = api.get("/me", headers={"Authorization": f"Bearer {other_token}"})
    assert response.status_code == 401


# --- staff API login -----------------------------------------------------------------


def test_front_desk_gets_an_api_token_with_the_password(api, world):
    response = api.post(
        "/auth/staff-login", {"phone": world.clinic_a_front_desk.phone, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = api.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["role"] == "staff"
    assert me.json()["clinic_roles"] == [
        {"clinic_id": str(world.clinic_a.public_id), "role": "front_desk"}
    ]


def test_a_manager_api_login_needs_the_second_factor(api, world):
    manager = world.clinic_a_manager
    body = {"phone": manager.phone, "password": STAFF_PASSWORD}
    refused = api.post("/auth/staff-login", body)
    assert refused.status_code == 403
    assert refused.json()["code"] == "totp_enrollment_required"
    secret = enrol(manager)
    assert api.post("/auth/staff-login", body).json()["code"] == "totp_required"
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        ok = api.post("/auth/staff-login", {**body, "otp": pyotp.TOTP(secret).now()})
    assert ok.status_code == 200


def test_staff_api_login_refuses_wrong_passwords_alike(api, world):
    wrong = api.post(
        "/auth/staff-login", {"phone": world.clinic_a_front_desk.phone, "password": "x"}
    )
    unknown = api.post("/auth/staff-login", {"phone": "13911110000", "password": "x"})
    patient = api.post("/auth/staff-login", {"phone": world.patient_parent.phone, "password": "x"})
    assert wrong.status_code == unknown.status_code == patient.status_code == 401
    assert wrong.json() == unknown.json() == patient.json()
