"""Pages answer bad input with a friendly page and change nothing.

What a page is sent is checked once, before the CSRF check and the view
(``yachi.web.middleware.PageInputMiddleware``): a body Django cannot read is a 413 or
400 page, never a 500 with a traceback in the log, and a control character in any
query or form value is refused before a view stores or searches for it.
"""

import pytest

from conftest import tomorrow_at
from yachi.booking.models import Appointment
from yachi.booking.services import appointments_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent_client(client, world):
    client.force_login(world.patient_parent)
    return client


@pytest.fixture
def desk(client, world):
    client.force_login(world.clinic_a_front_desk)
    return client


def _no_traceback_logged(caplog):
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records]


def test_a_name_with_nul_is_refused_and_nobody_is_added(parent_client, world):
    for name in ("张\x00爷爷", "张\x1b[31m爷爷", "张\x7f爷爷"):
        page = parent_client.post(
            "/family/add/", {"name": name, "relationship": "parent", "gender": "male"}
        )
        assert page.status_code == 400
        assert "无法保存的字符" in page.content.decode()
    assert world.patient_parent.family_account.members.count() == 2


def test_a_control_character_in_a_search_is_refused(desk):
    assert desk.get("/console/patients/", {"q": "138\x00"}).status_code == 400
    assert desk.get("/console/patients/", {"q": "138"}).status_code == 200


def test_booking_at_the_desk_with_a_control_character_books_nothing(desk, world):
    response = desk.post(
        f"/console/clinic/{world.clinic_a.public_id}/book/",
        {
            "service": str(world.cleaning_a.public_id),
            "doctor": str(world.clinic_a_doctor.public_id),
            "phone": "13800000009",
            "name": "新\x00患者",
            "start": tomorrow_at(14).isoformat(),
        },
    )
    assert response.status_code == 400
    assert not Appointment.objects.exists()


def test_line_breaks_and_tabs_in_a_reason_are_text(parent_client, world):
    appointment = appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10, days=3),
        patients=[world.parent],
    ).appointments[0]
    response = parent_client.post(
        f"/appointments/{appointment.public_id}/cancel/", {"reason": "发烧了\r\n改天\t再来"}
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.cancel_reason == "发烧了\r\n改天\t再来"


def test_a_10_mb_form_is_a_friendly_413_without_a_traceback(parent_client, world, caplog):
    page = parent_client.post(
        "/family/add/",
        "name=" + "x" * (10 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert page.status_code == 413
    assert "太大" in page.content.decode()
    assert world.patient_parent.family_account.members.count() == 2
    _no_traceback_logged(caplog)


def test_a_form_without_its_multipart_boundary_is_a_friendly_400(parent_client, world, caplog):
    page = parent_client.post(
        "/family/add/", b"--x\r\nnot really multipart", content_type="multipart/form-data"
    )
    assert page.status_code == 400
    assert "无法读取" in page.content.decode()
    assert world.patient_parent.family_account.members.count() == 2
    _no_traceback_logged(caplog)
