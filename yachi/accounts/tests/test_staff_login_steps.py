"""The console login as a state machine: what a half-logged-in visitor (password
given, second factor owed) can and cannot reach, and how a factor is replaced."""

from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.factories import STAFF_PASSWORD, StaffFactory
from yachi.accounts import staff_auth
from yachi.accounts.models import ApiToken, LoginFailure, User
from yachi.compliance.models import AuditAction, AuditEntry
from yachi.core.errors import Conflict, PermissionDenied
from yachi.core.roles import Role

pytestmark = pytest.mark.django_db

FACTOR_ACTIONS = (
    AuditAction.SECOND_FACTOR_ENABLED,
    AuditAction.SECOND_FACTOR_REPLACED,
    AuditAction.SECOND_FACTOR_RESET,
)


def enrol(user) -> str:
    secret = pyotp.random_base32()
    staff_auth.totp_enroll(user=user, secret=secret, code=pyotp.TOTP(secret).now())
    user.refresh_from_db()
    return secret


def password_step(client, user):
    return client.post("/console/login/", {"phone": user.phone, "password": STAFF_PASSWORD})


def later(seconds=31):
    """Past the time step of the code used at enrolment (codes are single-use)."""
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds))


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def factor_of(user):
    return User.objects.filter(pk=user.pk).values_list("totp_secret", "totp_confirmed_at").get()


@pytest.fixture
def manager_with_factor(world):
    manager = world.clinic_a_manager
    return manager, enrol(manager)


def test_half_logged_in_user_cannot_enrol_a_new_authenticator(client, manager_with_factor):
    manager, _secret = manager_with_factor
    before = factor_of(manager)
    audit_before = AuditEntry.objects.filter(action__in=FACTOR_ACTIONS).count()
    assert password_step(client, manager)["Location"] == "/console/login/code/"

    page = client.get("/console/login/authenticator/")
    assert page.status_code == 302 and page["Location"] == "/console/login/code/"
    attacker = pyotp.random_base32()
    session = client.session
    session["totp_secret"] = attacker  # as if the enrolment page had been shown
    session.save()
    answer = client.post("/console/login/authenticator/", {"code": pyotp.TOTP(attacker).now()})

    assert answer.status_code == 302 and answer["Location"] == "/console/login/code/"
    assert factor_of(manager) == before
    assert AuditEntry.objects.filter(action__in=FACTOR_ACTIONS).count() == audit_before
    assert not logged_in(client)


def test_half_logged_in_user_reaches_no_other_console_page(client, world, manager_with_factor):
    manager, _secret = manager_with_factor
    password_step(client, manager)
    calendar = f"/console/clinic/{world.clinic_a.public_id}/calendar/"
    for path in ("/console/", calendar, "/console/password/", "/console/audit/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/login/" in response["Location"], path
    changed = client.post(
        "/console/password/",
        {"current": STAFF_PASSWORD, "new": "Dental9chair!", "repeat": "Dental9chair!"},
    )
    assert changed.status_code == 302 and "/console/login/" in changed["Location"]
    assert User.objects.get(pk=manager.pk).check_password(STAFF_PASSWORD)
    assert client.get("/admin/login/")["Location"].startswith("/console/login/")
    assert not logged_in(client)


def test_a_pending_login_expires(client, manager_with_factor):
    manager, secret = manager_with_factor
    password_step(client, manager)
    with later(seconds=301):
        response = client.post("/console/login/code/", {"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 302 and response["Location"] == "/console/login/"
        assert client.get("/console/login/code/")["Location"] == "/console/login/"
    assert not logged_in(client)
    assert User.objects.get(pk=manager.pk).last_login is None


def test_the_pending_session_cannot_be_replayed_after_the_login(client, manager_with_factor):
    manager, secret = manager_with_factor
    password_step(client, manager)
    pending_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    with later():
        assert client.post("/console/login/code/", {"code": pyotp.TOTP(secret).now()})[
            "Location"
        ].startswith("/console/")
        assert logged_in(client)

        replay = Client()
        replay.cookies[settings.SESSION_COOKIE_NAME] = pending_cookie
        assert replay.get("/console/login/code/")["Location"] == "/console/login/"
        assert replay.get("/console/")["Location"].startswith("/console/login/")


def test_a_password_change_ends_a_pending_login(client, manager_with_factor):
    manager, secret = manager_with_factor
    password_step(client, manager)
    staff_auth.password_change(user=manager, current=None, new="Another-Desk-2026!")
    with later():
        response = client.post("/console/login/code/", {"code": pyotp.TOTP(secret).now()})
    assert response["Location"] == "/console/login/"
    assert not logged_in(client)


def test_logging_out_forgets_a_pending_login(client, manager_with_factor):
    manager, _secret = manager_with_factor
    password_step(client, manager)
    client.post("/console/logout/")
    assert client.get("/console/login/code/")["Location"] == "/console/login/"


def test_a_pending_login_without_a_factor_is_sent_to_enrolment(client, world):
    password_step(client, world.clinic_a_manager)
    response = client.post("/console/login/code/", {"code": "123456"})
    assert response["Location"] == "/console/login/authenticator/"
    assert not LoginFailure.objects.exists()


def test_a_new_password_step_ends_the_current_login(client, world, manager_with_factor):
    manager, _secret = manager_with_factor
    client.force_login(world.clinic_a_front_desk)
    password_step(client, manager)
    assert not logged_in(client)
    assert client.get("/console/")["Location"].startswith("/console/login/")


def test_replacing_a_factor_needs_the_current_code(client, manager_with_factor):
    manager, secret = manager_with_factor
    before = factor_of(manager)
    client.force_login(manager)
    page = client.get("/console/login/authenticator/")
    assert page.status_code == 200
    assert 'name="current"' in page.content.decode()
    new_secret = client.session["totp_secret"]

    with later():
        refused = client.post(
            "/console/login/authenticator/",
            {"current": "000000", "code": pyotp.TOTP(new_secret).now()},
        )
        missing = client.post(
            "/console/login/authenticator/", {"code": pyotp.TOTP(new_secret).now()}
        )
        assert refused.status_code == 401 and missing.status_code == 422
        assert factor_of(manager) == before
        assert LoginFailure.objects.filter(kind=LoginFailure.Kind.TOTP).count() == 1

        replaced = client.post(
            "/console/login/authenticator/",
            {"current": pyotp.TOTP(secret).now(), "code": pyotp.TOTP(new_secret).now()},
        )
    assert replaced.status_code == 302
    manager.refresh_from_db()
    assert manager.totp_secret == new_secret
    entry = AuditEntry.objects.get(action=AuditAction.SECOND_FACTOR_REPLACED)
    assert entry.actor == str(manager.public_id)


def test_the_enrolment_service_refuses_an_account_that_has_a_factor(manager_with_factor):
    manager, _secret = manager_with_factor
    before = factor_of(manager)
    other = pyotp.random_base32()
    with pytest.raises(Conflict):
        staff_auth.totp_enroll(user=manager, secret=other, code=pyotp.TOTP(other).now())
    assert factor_of(manager) == before


def test_an_administrator_resets_a_lost_authenticator(client, manager_with_factor):
    manager, _secret = manager_with_factor
    ApiToken.objects.create(user=manager, digest="d" * 64, label="t", expires_at=timezone.now())
    administrator = StaffFactory(role=Role.ADMIN, is_superuser=True)
    client.force_login(administrator)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [manager.pk]},
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert not manager.has_totp and manager.totp_secret == ""
    assert not ApiToken.objects.filter(user=manager, revoked_at__isnull=True).exists()
    entry = AuditEntry.objects.get(action=AuditAction.SECOND_FACTOR_RESET)
    assert entry.actor == str(administrator.public_id)
    assert entry.object_id == str(manager.public_id)
    # At the next login the manager sets up a new app.
    assert password_step(Client(), manager)["Location"] == "/console/login/authenticator/"


def test_only_an_administrator_can_reset_a_factor(world, manager_with_factor):
    manager, _secret = manager_with_factor
    before = factor_of(manager)
    with pytest.raises(PermissionDenied):
        staff_auth.totp_reset(actor=world.clinic_a_manager, user=manager)
    assert factor_of(manager) == before
    assert not AuditEntry.objects.filter(action=AuditAction.SECOND_FACTOR_RESET).exists()


def test_a_password_alone_gets_no_api_token_for_a_member_with_a_factor(api, world):
    manager = world.clinic_a_manager
    enrol(manager)
    body = {"phone": manager.phone, "password": STAFF_PASSWORD}
    assert api.post("/auth/staff-login", body).json()["code"] == "totp_required"
    assert api.post("/auth/staff-login", {**body, "otp": "000000"}).status_code == 401
    assert not ApiToken.objects.filter(user=manager).exists()
