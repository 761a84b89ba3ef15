"""The patient's and the doctor's video pages."""

from datetime import timedelta

import pytest
from django.urls import reverse

from yachi.messaging.tests.video.conftest import consultation


def patient_page(appointment):
    return reverse("web:video_room", args=[appointment.public_id])


def doctor_page(appointment):
    return reverse("console:video_room", args=[appointment.public_id])


def test_the_patient_s_page_opens_the_room_with_the_camera_allowed(
    client, world, video_appointment
):
    client.force_login(world.patient_parent)
    response = client.get(patient_page(video_appointment))
    assert response.status_code == 200
    page = response.content.decode()
    assert "data-video-room" in page
    assert "messaging/video.js" in page
    assert "王医生" in page
    assert f"ws/video/{video_appointment.public_id}/" in page
    policy = response["Permissions-Policy"]
    assert "camera=(self)" in policy and "microphone=(self)" in policy
    # Only this page: the others keep the camera off.
    assert "camera=()" in client.get(reverse("web:appointments"))["Permissions-Policy"]


def test_too_early_the_page_says_when_it_opens(client, world, video_service):
    appointment = consultation(world, video_service, starts_in=timedelta(hours=2))
    client.force_login(world.patient_parent)
    page = client.get(patient_page(appointment)).content.decode()
    assert "data-video-room" not in page
    assert 'data-code="too_early"' in page
    assert "10 分钟" in page or "10分钟" in page


def test_a_stranger_finds_no_page(client, world, video_appointment):
    client.force_login(world.other_patient)
    response = client.get(patient_page(video_appointment))
    assert response.status_code == 404
    assert "data-video-room" not in response.content.decode()


def test_the_doctor_s_console_page_shows_the_room_and_who_joined(client, world, video_appointment):
    from yachi.messaging.video.access import access_video_room
    from yachi.messaging.video.services import room_join

    room_join(
        actor=world.patient_parent,
        room=access_video_room(
            actor=world.patient_parent, appointment_id=video_appointment.public_id
        ),
    )
    client.force_login(world.clinic_a_doctor.user)
    response = client.get(doctor_page(video_appointment))
    assert response.status_code == 200
    page = response.content.decode()
    assert "data-video-room" in page
    assert world.parent.display_name in page
    assert 'data-testid="video-log"' in page and "进入" in page
    assert "camera=(self)" in response["Permissions-Policy"]


@pytest.mark.parametrize("who", ["clinic_a_front_desk", "clinic_a_manager", "clinic_b_front_desk"])
def test_other_staff_find_no_room(client, world, video_appointment, who):
    client.force_login(getattr(world, who))
    response = client.get(doctor_page(video_appointment))
    assert response.status_code == 404


def test_the_patient_cannot_open_the_console_page(client, world, video_appointment):
    client.force_login(world.patient_parent)
    assert client.get(doctor_page(video_appointment)).status_code == 403


def test_the_appointment_pages_link_to_the_room(client, world, video_appointment):
    client.force_login(world.patient_parent)
    page = client.get(reverse("web:appointment", args=[video_appointment.public_id]))
    assert patient_page(video_appointment) in page.content.decode()
    client.force_login(world.clinic_a_doctor.user)
    panel = client.get(reverse("console:appointment", args=[video_appointment.public_id]))
    assert doctor_page(video_appointment) in panel.content.decode()


def test_signed_out_both_pages_send_to_their_login(client, video_appointment):
    patient = client.get(patient_page(video_appointment))
    assert patient.status_code == 302 and patient["Location"].startswith("/login/")
    doctor = client.get(doctor_page(video_appointment))
    assert doctor.status_code == 302 and doctor["Location"].startswith("/console/login/")
