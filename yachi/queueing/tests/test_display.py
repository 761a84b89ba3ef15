"""The waiting-room display: managers create and revoke display tokens, and a token
opens its own clinic's board and nothing else."""

import pytest
from django.urls import reverse

from yachi.compliance.models import AuditEntry
from yachi.core.errors import InvalidInput, PermissionDenied
from yachi.queueing import services as queue
from yachi.queueing.display import services
from yachi.queueing.display.access import display_by_secret
from yachi.queueing.display.models import DisplayToken

pytestmark = pytest.mark.django_db


def called_walk_ins(world, *names):
    """Walk-ins at clinic A (王医生's queue today), the first of them called."""
    tickets = [
        queue.walk_in(
            actor=world.clinic_a_front_desk,
            clinic=world.clinic_a,
            phone=f"1390000{index:04d}",
            name=name,
            service=world.cleaning_a,
            doctor=world.clinic_a_doctor,
        )
        for index, name in enumerate(names)
    ]
    called = queue.call_next(actor=world.clinic_a_front_desk, queue=tickets[0].queue, room="3")
    return called, tickets


def board_url(clinic, secret, fragment=False):
    name = "web:display_board" if fragment else "web:display"
    return reverse(name, kwargs={"clinic_id": clinic.public_id}) + f"?token={secret}"


def test_a_manager_creates_a_display_token_whose_secret_is_kept_only_as_a_digest(world):
    token, secret = services.display_token_create(
        actor=world.clinic_a_manager, clinic=world.clinic_a, name=" 候诊区  电视 "
    )
    assert token.name == "候诊区 电视"
    assert secret.startswith("yd_") and len(secret) > 30
    assert secret not in str(DisplayToken.objects.filter(pk=token.pk).values().get())
    assert token.hint == secret[-4:]
    assert display_by_secret(clinic_id=world.clinic_a.public_id, secret=secret) == token
    entry = AuditEntry.objects.filter(object_type="display_token").get()
    assert entry.details["step"] == "display_token_created"
    assert entry.actor_id == world.clinic_a_manager.pk


def test_only_the_clinics_managers_manage_its_displays(world):
    for person in (world.clinic_a_front_desk, world.clinic_a_doctor.user, world.patient_parent):
        with pytest.raises(PermissionDenied):
            services.display_token_create(actor=person, clinic=world.clinic_a, name="电视")
    token, _ = services.display_token_create(
        actor=world.clinic_a_manager, clinic=world.clinic_a, name="电视"
    )
    with pytest.raises(PermissionDenied):
        services.display_token_revoke(actor=world.clinic_a_front_desk, token=token)
    token.refresh_from_db()
    assert token.active
    with pytest.raises(InvalidInput):
        services.display_token_create(actor=world.clinic_a_manager, clinic=world.clinic_a, name=" ")
    assert DisplayToken.objects.count() == 1


def test_the_board_shows_the_call_masked_and_who_is_next(client, world):
    _, secret = services.display_token_create(
        actor=world.clinic_a_manager, clinic=world.clinic_a, name="电视"
    )
    called, _ = called_walk_ins(world, "张小三", "李四", "欧阳小明")
    page = client.get(board_url(world.clinic_a, secret))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="yachi-realtime"' in html
    latest = html.split('data-testid="latest-call"', 1)[1].split("</div>", 1)[0]
    assert called.number in latest and "张*三" in latest and "3" in latest
    assert "李*" in html and "欧**明" in html  # next in 王医生's queue
    for full in ("张小三", "李四", "欧阳小明", "13900000000"):
        assert full not in html
    assert page["Cache-Control"].startswith("max-age=0")
    fragment = client.get(board_url(world.clinic_a, secret, fragment=True))
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    assert "张*三" in fragment.content.decode()


def test_a_revoked_foreign_or_made_up_token_opens_no_board(client, world):
    token, secret = services.display_token_create(
        actor=world.clinic_a_manager, clinic=world.clinic_a, name="电视"
    )
    called_walk_ins(world, "张小三")
    # Clinic A's token does not open clinic B's board.
    foreign = client.get(board_url(world.clinic_b, secret))
    assert foreign.status_code == 404
    for made_up in ("", "yd_" + "x" * 32, secret + "x"):
        answer = client.get(board_url(world.clinic_a, made_up))
        assert answer.status_code == 404
        assert "张*三" not in answer.content.decode()
    services.display_token_revoke(actor=world.clinic_a_manager, token=token)
    services.display_token_revoke(actor=world.clinic_a_manager, token=token)  # twice: once
    for fragment in (False, True):
        answer = client.get(board_url(world.clinic_a, secret, fragment=fragment))
        assert answer.status_code == 404
        assert "张*三" not in answer.content.decode()
    steps = list(
        AuditEntry.objects.filter(object_type="display_token")
        .order_by("seq")
        .values_list("details", flat=True)
    )
    assert [s["step"] for s in steps] == ["display_token_created", "display_token_revoked"]


def test_the_console_page_shows_a_new_link_once_and_revokes(client, world):
    client.force_login(world.clinic_a_manager)
    url = reverse("console:displays", kwargs={"clinic_id": world.clinic_a.public_id})
    created = client.post(url, {"action": "create", "name": "候诊区电视"})
    assert created.status_code == 200
    html = created.content.decode()
    link = html.split('data-testid="display-link"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    secret = link.split("?token=", 1)[1]
    assert client.get(link.split("testserver", 1)[1]).status_code == 200
    again = client.get(url).content.decode()
    assert "候诊区电视" in again and secret not in again
    token = DisplayToken.objects.get()
    answer = client.post(url, {"action": "revoke", "id": str(token.public_id)})
    assert answer.status_code == 302
    token.refresh_from_db()
    assert not token.active and token.revoked_by == world.clinic_a_manager
    assert client.get(board_url(world.clinic_a, secret)).status_code == 404


def test_the_front_desk_cannot_open_the_console_page(client, world):
    client.force_login(world.clinic_a_front_desk)
    url = reverse("console:displays", kwargs={"clinic_id": world.clinic_a.public_id})
    assert client.post(url, {"action": "create", "name": "电视"}).status_code == 403
    assert not DisplayToken.objects.exists()
